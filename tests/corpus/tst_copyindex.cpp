#include "corpus/copyindex.h"
#include "evaluate/musicmetrics.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::corpus;

class TestCopyIndex : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void pitchSequenceIsOnsetOrderLowestFirst();
  void findsEveryRunInAnyKey();
  void findsNothingElse();
  void runsEndingFromSkipTheOnesAsked();
  void shortMusicAndEmptyIndex();
  void serializesExactly();
  void damagedBytesAreAnError();
};

namespace {
midi::Score scoreOf(const std::vector<std::pair<std::int64_t, int>>& notes) {
  midi::Score score;
  score.ticksPerQuarter = 480;
  midi::Track track;
  for (const auto& [start, pitch] : notes)
    track.notes.push_back({start, 240, static_cast<std::uint8_t>(pitch), 90});
  score.tracks.push_back(track);
  return score;
}

std::vector<int> scale(int from, int count) {
  static const int steps[] = {2, 2, 1, 2, 2, 2, 1};
  std::vector<int> out{from};
  for (int i = 1; i < count; ++i)
    out.push_back(out.back() + steps[(i - 1) % 7]);
  return out;
}
} // namespace

void TestCopyIndex::pitchSequenceIsOnsetOrderLowestFirst() {
  midi::Score score = scoreOf({{480, 67}, {0, 64}, {0, 60}, {480, 62}});
  midi::Track drums;
  drums.isDrum = true;
  drums.notes.push_back({0, 10, 36, 100});
  score.tracks.push_back(drums);
  QCOMPARE(pitchSequence(score), (std::vector<int>{60, 64, 62, 67}));
  // evaluate measures copies on the same sequence the guard is built from.
  QCOMPARE(evaluate::pitchSequence(score), pitchSequence(score));
}

void TestCopyIndex::findsEveryRunInAnyKey() {
  const std::vector<std::vector<int>> music{scale(60, 30)};
  const CopyIndex index = CopyIndex::build(music, 5);
  QCOMPARE(index.notes(), 5);
  // 26 runs of 5 notes; their 4 intervals (of 2 2 1 2 2 2 1, cyclic) take 5 distinct patterns.
  QCOMPARE(index.size(), std::size_t{5});
  for (std::size_t start = 0; start + 5 <= music[0].size(); ++start) {
    std::vector<int> run(music[0].begin() + static_cast<std::ptrdiff_t>(start),
                         music[0].begin() + static_cast<std::ptrdiff_t>(start) + 5);
    QVERIFY(index.contains(run));
    for (int& p : run)
      p += 3; // the same phrase in another key
    QVERIFY(index.contains(run));
  }
}

void TestCopyIndex::findsNothingElse() {
  const CopyIndex index = CopyIndex::build(std::vector<std::vector<int>>{{60, 62, 64, 65, 67}}, 5);
  QVERIFY(index.contains(std::vector<int>{60, 62, 64, 65, 67}));
  QVERIFY(!index.contains(std::vector<int>{60, 62, 64, 65, 68}));     // last interval differs
  QVERIFY(!index.contains(std::vector<int>{67, 65, 64, 62, 60}));     // backwards
  QVERIFY(!index.contains(std::vector<int>{60, 62, 64, 65}));         // not a run's length
  QVERIFY(!index.contains(std::vector<int>{60, 62, 64, 65, 67, 69})); // nor this
}

void TestCopyIndex::runsEndingFromSkipTheOnesAsked() {
  const CopyIndex index = CopyIndex::build(std::vector<std::vector<int>>{{60, 62, 64}}, 3);
  const std::vector<int> sequence{60, 62, 64, 50, 51};
  QVERIFY(index.containsRunEndingFrom(sequence, 0));
  QVERIFY(index.containsRunEndingFrom(sequence, 2));  // the run ends at index 2
  QVERIFY(!index.containsRunEndingFrom(sequence, 3)); // runs ending at 3 or 4 are new
  QVERIFY(index.containsRunEndingFrom(std::vector<int>{40, 42, 44}, 2));
}

void TestCopyIndex::shortMusicAndEmptyIndex() {
  const CopyIndex none;
  QCOMPARE(none.notes(), 0);
  QVERIFY(none.empty());
  QVERIFY(!none.containsRunEndingFrom(scale(60, 40), 0));
  const CopyIndex tooShort = CopyIndex::build(std::vector<std::vector<int>>{{60, 62}}, 17);
  QVERIFY(tooShort.empty());
  QCOMPARE(tooShort.notes(), 17);
  QVERIFY(!tooShort.containsRunEndingFrom(scale(60, 40), 0));
}

void TestCopyIndex::serializesExactly() {
  const CopyIndex index = CopyIndex::build(std::vector<std::vector<int>>{scale(48, 60), scale(50, 40)});
  const std::string bytes = index.serialize();
  QCOMPARE(bytes.size(), 12 + 8 * index.size());
  const Result<CopyIndex> back = CopyIndex::deserialize(bytes);
  QVERIFY(back.ok());
  QVERIFY(*back == index);
  QCOMPARE(back->serialize(), bytes);
}

void TestCopyIndex::damagedBytesAreAnError() {
  const std::string bytes = CopyIndex::build(std::vector<std::vector<int>>{scale(48, 60)}, 5).serialize();
  for (const std::string& damaged :
       {bytes.substr(0, 11), bytes.substr(0, bytes.size() - 3), bytes + "x", std::string(12, '\0')}) {
    const Result<CopyIndex> back = CopyIndex::deserialize(damaged);
    QVERIFY(!back.ok());
    QCOMPARE(back.error().kind, ErrorKind::Corrupt);
  }
}

QTEST_APPLESS_MAIN(TestCopyIndex)
#include "tst_copyindex.moc"
