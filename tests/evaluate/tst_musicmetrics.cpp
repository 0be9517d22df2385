#include "evaluate/musicmetrics.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::evaluate;

namespace {

/// 480 ticks per quarter, 120 BPM (a quarter is 0.5 s), 4/4.
midi::Score scoreOf(std::vector<midi::Note> notes) {
  midi::Score score;
  score.ticksPerQuarter = 480;
  score.tempos = {{0, 500000}};
  score.timeSignatures = {{0, 4, 4}};
  midi::Track track;
  track.notes = std::move(notes);
  score.tracks = {track};
  return score;
}

} // namespace

class TestMusicMetrics : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void handMadePiece();
  void grooveAndRepetition();
  void drumsAndEmptyPieces();
  void histogramDistances();
  void energyDistances();
  void setsThatMixEveryKeyReadFar();
  void pooledReference();
  void plantedCopyIsFound();
  void copiesDoNotSpanPieces();
  void takeAgainstReference();
};

void TestMusicMetrics::handMadePiece() {
  // A C-E dyad (a quarter), G (a quarter), C (a half note): 2 s in all.
  const MusicMetrics m = measure(scoreOf({{0, 480, 60, 90}, {0, 480, 64, 90}, {480, 480, 67, 90}, {960, 960, 60, 90}}));
  QCOMPARE(m.notes, std::size_t{4});
  QCOMPARE(m.seconds, 2.0);
  QCOMPARE(m.pitchRange, 7);
  QCOMPARE(m.pitchesUsed, 3);
  QCOMPARE(m.pitchClassHistogram[0], 0.5);
  QCOMPARE(m.pitchClassHistogram[4], 0.25);
  QCOMPARE(m.pitchClassHistogram[7], 0.25);
  // Two notes for 0.5 s, then one for 1.5 s: (2 * 0.5 + 1 * 1.5) / 2.
  QCOMPARE(m.polyphony, 1.25);
  QCOMPARE(m.scaleConsistency, 1.0);
  // Four beats, the last without an onset.
  QCOMPARE(m.emptyBeatRate, 0.25);
  QCOMPARE(m.noteDensity, 2.0);
  // Onsets at 0, 0.5 and 1.0 s: two intervals of 0.5 s, in the [0.5, 1) bin.
  QCOMPARE(m.ioiHistogram[4], 1.0);
  QCOMPARE(m.grooveConsistency, 1.0); // one bar
  QCOMPARE(m.longestRepeat, 1);
  QCOMPARE(m.distinct4gramRatio, 0.0); // three onset groups: no 4-gram
}

void TestMusicMetrics::grooveAndRepetition() {
  // Bar 1: sixteenths 0, 4, 8, 12; bar 2: 0, 4, 8, 14 (one step moved: 2 of 16 positions differ).
  std::vector<midi::Note> notes;
  for (int position : {0, 4, 8, 12})
    notes.push_back({position * 120, 120, 60, 80});
  for (int position : {0, 4, 8, 14})
    notes.push_back({1920 + position * 120, 120, 60, 80});
  const MusicMetrics m = measure(scoreOf(notes));
  QCOMPARE(m.grooveConsistency, 1.0 - 2.0 / 16.0);
  QCOMPARE(m.longestRepeat, 8);        // one pitch eight times
  QCOMPARE(m.distinct4gramRatio, 0.2); // five 4-grams, all the same
  QCOMPARE(m.pitchesUsed, 1);
  QCOMPARE(m.pitchRange, 0);
  // Out of C major: 1 of 4 notes off the best scale.
  const MusicMetrics chromatic =
      measure(scoreOf({{0, 480, 60, 90}, {480, 480, 61, 90}, {960, 480, 62, 90}, {1440, 480, 63, 90}}));
  QCOMPARE(chromatic.scaleConsistency, 0.75); // Db major holds C, C# and D#, no scale all four
  QCOMPARE(chromatic.distinct4gramRatio, 1.0);
}

void TestMusicMetrics::drumsAndEmptyPieces() {
  midi::Score score = scoreOf({{0, 480, 60, 90}});
  midi::Track drums;
  drums.isDrum = true;
  drums.channel = 9;
  drums.notes = {{0, 10, 36, 100}, {480, 10, 38, 100}};
  score.tracks.push_back(drums);
  QCOMPARE(measure(score).notes, std::size_t{1});
  const MusicMetrics empty = measure(scoreOf({}));
  QCOMPARE(empty.notes, std::size_t{0});
  QCOMPARE(empty.polyphony, 0.0);
  QCOMPARE(empty.noteDensity, 0.0);
}

void TestMusicMetrics::histogramDistances() {
  std::array<double, 3> a{1.0, 0.0, 0.0};
  std::array<double, 3> b{0.0, 0.5, 0.5};
  std::array<double, 3> c{0.5, 0.5, 0.0};
  QCOMPARE(histogramDistance(a, a), 0.0);
  QCOMPARE(histogramDistance(a, b), 1.0);
  QCOMPARE(histogramDistance(a, c), 0.5);
  QCOMPARE(histogramDistance(b, c), 0.5);
}

void TestMusicMetrics::energyDistances() {
  using H = std::array<double, 2>;
  const H c{1.0, 0.0};
  const H g{0.0, 1.0};
  // Equal sets: 0. Disjoint one-point sets: 2, the most there is.
  QCOMPARE(energyDistance<2>({c, g}, {c, g}), 0.0);
  QCOMPARE(energyDistance<2>({c, c}, {g, g}), 2.0);
  // {c} against {c, g}: across 2 * (0 + 1) / 2 = 1, within {c} 0, within {c, g} (0 + 1 + 1 + 0) / 4.
  QCOMPARE(energyDistance<2>({c}, {c, g}), 0.5);
  QCOMPARE(energyDistance<2>({c, g}, {c}), 0.5);
  QCOMPARE(energyDistance<2>({}, {c}), 0.0);

  // setDistances() takes each piece's pitch-class and IOI histograms.
  const MusicMetrics quarters = measure(scoreOf({{0, 480, 60, 90}, {480, 480, 62, 90}, {960, 480, 64, 90}}));
  const MusicMetrics eighths = measure(scoreOf({{0, 240, 60, 90}, {240, 240, 62, 90}, {480, 240, 64, 90}}));
  QCOMPARE(setDistances({quarters}, {quarters}).pitchClass, 0.0);
  QCOMPARE(setDistances({quarters}, {quarters}).ioi, 0.0);
  QCOMPARE(setDistances({quarters}, {eighths}).pitchClass, 0.0); // same pitches
  QCOMPARE(setDistances({quarters}, {eighths}).ioi, 2.0);        // 0.5 s against 0.25 s, disjoint bins
}

void TestMusicMetrics::setsThatMixEveryKeyReadFar() {
  // Three held-out "pieces", each on a pitch class of its own (three keys), and two sets of
  // takes: each take on one of them, or each take an even mix of all three.
  using H = std::array<double, 3>;
  const std::vector<H> heldOut = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  const H pooled{1.0 / 3, 1.0 / 3, 1.0 / 3};
  const std::vector<H> mixed = {pooled, pooled, pooled};
  // Piece by piece the mixed takes match the pooled histogram exactly, the keyed ones are 2/3 away...
  QCOMPARE(histogramDistance(mixed[0], pooled), 0.0);
  QCOMPARE(histogramDistance(heldOut[0], pooled), 2.0 / 3.0);
  // ...as sets the keyed takes are the held-out music, the mixed ones are not:
  // 2 * 2/3 - 0 - (6 pairs of 1) / 9.
  QCOMPARE(energyDistance(heldOut, heldOut), 0.0);
  QVERIFY(qAbs(energyDistance(mixed, heldOut) - 2.0 / 3.0) < 1e-12);
}

void TestMusicMetrics::pooledReference() {
  const midi::Score three = scoreOf({{0, 480, 60, 90}, {480, 480, 72, 90}, {960, 480, 48, 90}});
  const midi::Score one = scoreOf({{0, 480, 64, 90}});
  const ReferenceProfile reference = referenceProfile({&three, &one});
  QCOMPARE(reference.pieces, std::size_t{2});
  // Pooled over notes: 3 C, 1 E.
  QCOMPARE(reference.mean.pitchClassHistogram[0], 0.75);
  QCOMPARE(reference.mean.pitchClassHistogram[4], 0.25);
  // Averaged over pieces: densities 3 / 1.5 s and 1 / 0.5 s.
  QCOMPARE(reference.mean.noteDensity, 2.0);
  QCOMPARE(reference.mean.pitchRange, 12); // (24 + 0) / 2
  QCOMPARE(reference.mean.grooveConsistency, 1.0);
}

void TestMusicMetrics::plantedCopyIsFound() {
  std::vector<std::vector<int>> training = {{40, 41, 42, 43, 44, 45, 46, 47, 48, 49},
                                            {50, 52, 54, 55, 57, 59, 61, 62, 64, 66, 67, 69, 71, 73, 74, 76}};
  // Five new notes, twelve copied from the second training piece, five new notes.
  std::vector<int> piece = {100, 101, 102, 103, 104};
  piece.insert(piece.end(), training[1].begin() + 2, training[1].begin() + 14);
  for (int p : {110, 111, 112, 113, 114})
    piece.push_back(p);
  const Originality o = originality(training, piece);
  QCOMPARE(o.longestCopyNotes, 12);
  // 22 notes: 15 windows of 8, of which the 5 inside the copy are found.
  QCOMPARE(o.copiedNgramShare, 5.0 / 15.0);
  // Nothing copied.
  const Originality fresh = originality(training, {90, 91, 92, 93, 94, 95, 96, 97, 98});
  QCOMPARE(fresh.longestCopyNotes, 0);
  QCOMPARE(fresh.copiedNgramShare, 0.0);
  // A whole training piece.
  QCOMPARE(originality(training, training[0]).longestCopyNotes, 10);
  QCOMPARE(originality(training, training[0]).copiedNgramShare, 1.0);
}

void TestMusicMetrics::copiesDoNotSpanPieces() {
  const std::vector<std::vector<int>> training = {{1, 2, 3, 60, 61, 62}, {63, 64, 65, 9}};
  const Originality o = originality(training, {60, 61, 62, 63, 64, 65});
  QCOMPARE(o.longestCopyNotes, 3);
}

void TestMusicMetrics::takeAgainstReference() {
  const midi::Score held = scoreOf({{0, 480, 60, 90}, {480, 480, 64, 90}});
  const ReferenceProfile reference = referenceProfile({&held});
  const midi::Score take = scoreOf({{0, 480, 60, 90}, {480, 480, 67, 90}});
  const TakeEvaluation e = evaluateTake(take, reference, {pitchSequence(held)});
  QCOMPARE(e.pcHistDistance, 0.5); // C shared, E vs G
  QCOMPARE(e.ioiHistDistance, 0.0);
  QCOMPARE(e.originality.longestCopyNotes, 1);
  const std::string json = takeJsonMembers(e);
  QVERIFY(json.find("\"pc_hist_distance\": 0.5") != std::string::npos);
  QVERIFY(json.find("\"longest_copy_notes\": 1") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestMusicMetrics)
#include "tst_musicmetrics.moc"
