#include "corpus/piecestats.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::corpus;

class TestPieceStats : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void emptyScore();
  void melodyHasPolyphonyOne();
  void chordsAndRests();
  void overlappingTracksAndTempoChange();
  void drumsCountedButNotPitched();
};

namespace {
midi::Track track(std::vector<midi::Note> notes, std::uint8_t channel = 0) {
  midi::Track t;
  t.channel = channel;
  t.isDrum = channel == 9;
  t.notes = std::move(notes);
  return t;
}
} // namespace

void TestPieceStats::emptyScore() {
  const PieceStats s = measurePiece(midi::Score{});
  QCOMPARE(s.notes, std::size_t{0});
  QCOMPARE(s.tracks, std::size_t{0});
  QCOMPARE(s.seconds, 0.0);
  QCOMPARE(s.minPitch, -1);
  QCOMPARE(s.meanPolyphony(), 0.0);
}

void TestPieceStats::melodyHasPolyphonyOne() {
  midi::Score score; // 480 ticks per quarter, 120 BPM: a quarter is 0.5 s
  score.tracks = {track({{0, 480, 60, 90}, {480, 480, 62, 90}, {960, 960, 67, 90}})};
  const PieceStats s = measurePiece(score);
  QCOMPARE(s.notes, std::size_t{3});
  QCOMPARE(s.tracks, std::size_t{1});
  QCOMPARE(s.seconds, 1.0 + 1.0);
  QCOMPARE(s.minPitch, 60);
  QCOMPARE(s.maxPitch, 67);
  QCOMPARE(s.meanPolyphony(), 1.0);
}

void TestPieceStats::chordsAndRests() {
  midi::Score score;
  // A triad for a quarter, a quarter rest, one note for a quarter: (3*0.5 + 1*0.5) / 1.0 s sounding.
  score.tracks = {track({{0, 480, 60, 90}, {0, 480, 64, 90}, {0, 480, 67, 90}, {960, 480, 72, 90}})};
  const PieceStats s = measurePiece(score);
  QCOMPARE(s.soundingSeconds, 1.0);
  QCOMPARE(s.noteSeconds, 2.0);
  QCOMPARE(s.meanPolyphony(), 2.0);
  QCOMPARE(s.seconds, 1.5);
}

void TestPieceStats::overlappingTracksAndTempoChange() {
  midi::Score score;
  score.tempos = {{0, 500000}, {480, 1000000}}; // the second quarter lasts 1 s
  score.tracks = {track({{0, 960, 60, 90}}), track({{480, 480, 48, 90}}, 1)};
  const PieceStats s = measurePiece(score);
  QCOMPARE(s.seconds, 1.5);
  QCOMPARE(s.soundingSeconds, 1.5);
  QCOMPARE(s.noteSeconds, 1.5 + 1.0);
  QCOMPARE(s.tracks, std::size_t{2});
}

void TestPieceStats::drumsCountedButNotPitched() {
  midi::Score score;
  score.tracks = {track({{0, 480, 60, 90}}), track({{0, 10, 36, 90}, {480, 10, 38, 90}}, 9)};
  const PieceStats s = measurePiece(score);
  QCOMPARE(s.notes, std::size_t{3});
  QCOMPARE(s.drumNotes, std::size_t{2});
  QCOMPARE(s.minPitch, 60);
  QCOMPARE(s.maxPitch, 60);
  QCOMPARE(s.meanPolyphony(), 1.0);
}

QTEST_GUILESS_MAIN(TestPieceStats)
#include "tst_piecestats.moc"
