#include "midi/sequence.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::midi;
using Kind = TimedEvent::Kind;

class TestSequence : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void timedByTheTempoMap();
  void sameTimeOrder();
  void zeroLengthNotesStillRelease();
  void drumsAndPrograms();
  void insertKeepsOrder();
};

void TestSequence::timedByTheTempoMap() {
  midi::Score score;
  score.tempos = {{0, 500000}, {960, 1000000}}; // 120 BPM, then 60 BPM from beat 2
  midi::Track track;
  track.notes = {{0, 480, 60, 90}, {960, 480, 62, 91}};
  score.tracks = {track};
  const std::vector<TimedEvent> events = sequenceFromScore(score);
  QCOMPARE(events.size(), std::size_t{5});
  QCOMPARE(events[0].kind, Kind::Program);
  QCOMPARE(events[1], (TimedEvent{0.0, Kind::NoteOn, 0, 60, 90}));
  QCOMPARE(events[2], (TimedEvent{0.5, Kind::NoteOff, 0, 60, 0}));
  QCOMPARE(events[3], (TimedEvent{1.0, Kind::NoteOn, 0, 62, 91}));
  QCOMPARE(events[4], (TimedEvent{2.0, Kind::NoteOff, 0, 62, 0})); // a beat at 60 BPM
}

void TestSequence::sameTimeOrder() {
  // A re-struck key: the release of the first note comes before the second start.
  midi::Score score;
  midi::Track track;
  track.notes = {{0, 480, 60, 90}, {480, 480, 60, 90}};
  track.controls = {{480, 64, 127}};
  score.tracks = {track};
  const auto events = sequenceFromScore(score);
  QCOMPARE(events[2].kind, Kind::Control);
  QCOMPARE(events[3].kind, Kind::NoteOff);
  QCOMPARE(events[4].kind, Kind::NoteOn);
  QCOMPARE(events[3].seconds, events[4].seconds);
}

void TestSequence::zeroLengthNotesStillRelease() {
  midi::Score score;
  midi::Track track;
  track.notes = {{480, 0, 70, 90}};
  score.tracks = {track};
  const auto events = sequenceFromScore(score);
  QCOMPARE(events[1].kind, Kind::NoteOn);
  QCOMPARE(events[2].kind, Kind::NoteOff);
  QVERIFY(events[2].seconds > events[1].seconds);
}

void TestSequence::drumsAndPrograms() {
  midi::Score score;
  midi::Track drums;
  drums.isDrum = true;
  drums.channel = 9;
  drums.notes = {{0, 100, 36, 100}};
  midi::Track strings;
  strings.channel = 3;
  strings.program = 48;
  strings.notes = {{0, 100, 60, 100}};
  strings.pitchBends = {{0, -8192}};
  score.tracks = {drums, strings};
  const auto events = sequenceFromScore(score);
  bool drumNote = false, stringProgram = false, bend = false;
  for (const TimedEvent& e : events) {
    QVERIFY(!(e.kind == Kind::Program && e.channel == 9)); // GM drums need no program
    drumNote = drumNote || (e.kind == Kind::NoteOn && e.channel == 9 && e.key == 36);
    stringProgram = stringProgram || (e.kind == Kind::Program && e.channel == 3 && e.key == 48);
    bend = bend || (e.kind == Kind::PitchBend && e.value == -8192);
  }
  QVERIFY(drumNote && stringProgram && bend);
}

void TestSequence::insertKeepsOrder() {
  std::vector<TimedEvent> events;
  insertEvent(events, {1.0, Kind::NoteOn, 0, 60, 90});
  insertEvent(events, {0.5, Kind::NoteOn, 0, 62, 90});
  insertEvent(events, {1.0, Kind::NoteOff, 0, 62, 0});
  QCOMPARE(events[0].seconds, 0.5);
  QCOMPARE(events[1].kind, Kind::NoteOff);
  QCOMPARE(events[2].kind, Kind::NoteOn);
}

QTEST_APPLESS_MAIN(TestSequence)
#include "tst_sequence.moc"
