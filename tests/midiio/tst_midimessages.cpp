#include "midiio/midimessages.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::midiio;

using Bytes = std::vector<std::uint8_t>;

class TestMidiMessages : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void scoreToMessages();
  void recordingToScore();
  void quantizeSnapsToTheGrid();
  void heldNotesCloseAtTheEnd();
  void roundTrip();
};

void TestMidiMessages::scoreToMessages() {
  midi::Score score;
  midi::Track track;
  track.channel = 2;
  track.program = 40;
  track.notes = {{0, 480, 60, 90}};
  track.pitchBends = {{240, 8191}};
  score.tracks = {track};
  const auto messages = messagesFromScore(score);
  QCOMPARE(messages.size(), std::size_t{4});
  QCOMPARE(messages[0], (TimedMessage{0.0, Bytes{0xC2, 40}}));
  QCOMPARE(messages[1], (TimedMessage{0.0, Bytes{0x92, 60, 90}}));
  QCOMPARE(messages[2], (TimedMessage{0.25, Bytes{0xE2, 0x7f, 0x7f}}));
  QCOMPARE(messages[3], (TimedMessage{0.5, Bytes{0x82, 60, 0}}));
}

void TestMidiMessages::recordingToScore() {
  const std::vector<TimedMessage> played = {
      {2.0, {0x90, 60, 100}},                            // the first note: time starts here
      {2.25, {0x90, 64, 80}}, {2.5, {0x90, 60, 0}},      // note-on with velocity 0 releases
      {2.5, {0xB0, 64, 127}},                            // sustain
      {2.75, {0x80, 64, 0}},  {3.0, {0xE0, 0x00, 0x40}}, // bend centre
  };
  RecordOptions options;
  options.tempoBpm = 120.0; // 960 ticks a second
  const midi::Score score = scoreFromMessages(played, options);
  QCOMPARE(score.tracks.size(), std::size_t{1});
  const auto& notes = score.tracks[0].notes;
  QCOMPARE(notes.size(), std::size_t{2});
  QCOMPARE(notes[0], (midi::Note{0, 480, 60, 100}));
  QCOMPARE(notes[1], (midi::Note{240, 480, 64, 80}));
  QCOMPARE(score.tracks[0].controls.size(), std::size_t{1});
  QCOMPARE(score.tracks[0].controls[0].ticks, std::int64_t{480});
  QCOMPARE(score.tracks[0].pitchBends[0].value, std::int16_t{0});
  QCOMPARE(score.tempos[0].microsecondsPerQuarter, 500000u);
}

void TestMidiMessages::quantizeSnapsToTheGrid() {
  const std::vector<TimedMessage> played = {
      {0.0, {0x90, 60, 100}}, {0.13, {0x90, 62, 100}}, {0.14, {0x80, 60, 0}}, {0.2, {0x80, 62, 0}}};
  RecordOptions options;
  options.quantizeDivision = 4; // sixteenths: 120 ticks, 0.125 s at 120 BPM
  const midi::Score score = scoreFromMessages(played, options);
  const auto& notes = score.tracks[0].notes;
  QCOMPARE(notes[0], (midi::Note{0, 120, 60, 100}));
  QCOMPARE(notes[1].startTicks, std::int64_t{120});
  QCOMPARE(notes[1].durationTicks, std::int64_t{120}); // at least one step
}

void TestMidiMessages::heldNotesCloseAtTheEnd() {
  const std::vector<TimedMessage> played = {{1.0, {0x90, 60, 100}}, {1.5, {0xB0, 1, 10}}};
  const midi::Score score = scoreFromMessages(played);
  QCOMPARE(score.tracks[0].notes[0].durationTicks, std::int64_t{480});
  QVERIFY(scoreFromMessages({}).tracks.empty());
}

void TestMidiMessages::roundTrip() {
  midi::Score score;
  midi::Track track;
  track.notes = {{0, 240, 60, 90}, {240, 480, 62, 70}, {240, 120, 67, 60}};
  score.tracks = {track};
  score.tempos = {{0, 500000}};
  RecordOptions options;
  options.startAtFirstNote = false;
  const midi::Score back = scoreFromMessages(messagesFromScore(score), options);
  QCOMPARE(back.tracks[0].notes, score.tracks[0].notes);
}

QTEST_APPLESS_MAIN(TestMidiMessages)
#include "tst_midimessages.moc"
