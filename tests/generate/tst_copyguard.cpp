#include "generate/copyguard.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::generate;

class TestCopyGuard : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void stopsTheNoteThatCompletesARun();
  void aChordJoinsItsOnsetLowestFirst();
  void emptyIndexGuardsNothing();
  void longPiecesKeepTheirTail();
};

namespace {
using Pitches = std::vector<std::uint8_t>;
}

void TestCopyGuard::stopsTheNoteThatCompletesARun() {
  // Training music 60 62 64 65, runs of 4: the guard refuses the 4th note of that phrase in
  // any key, and nothing else.
  const corpus::CopyIndex index = corpus::CopyIndex::build(std::vector<std::vector<int>>{{60, 62, 64, 65}}, 4);
  CopyGuard guard(index);
  QVERIFY(guard.active());
  std::int64_t t = 0;
  for (std::uint8_t p : {67, 69, 71}) { // the same intervals from G
    QVERIFY(!guard.wouldCopy(Pitches{p}, t));
    guard.place(Pitches{p}, t);
    t += 240;
  }
  QVERIFY(guard.wouldCopy(Pitches{72}, t));  // would make 67 69 71 72
  QVERIFY(!guard.wouldCopy(Pitches{73}, t)); // another interval is new
  guard.place(Pitches{73}, t);
  QVERIFY(!guard.wouldCopy(Pitches{75}, t + 240)); // 69 71 73 75: 2 2 2, not 2 2 1
}

void TestCopyGuard::aChordJoinsItsOnsetLowestFirst() {
  // Training music heard as 48 52 55 60 (a chord C E G then C); the guard hears the new chord's
  // pitches in the same order whatever order they are drawn in.
  const corpus::CopyIndex index = corpus::CopyIndex::build(std::vector<std::vector<int>>{{48, 52, 55, 60}}, 4);
  CopyGuard guard(index);
  guard.place(Pitches{55}, 0);
  QVERIFY(!guard.wouldCopy(Pitches{48}, 0)); // 48 55: not yet four notes
  guard.place(Pitches{48}, 0);
  QVERIFY(!guard.wouldCopy(Pitches{52}, 0)); // 48 52 55: three
  guard.place(Pitches{52}, 0);
  QVERIFY(guard.wouldCopy(Pitches{60}, 480)); // 48 52 55 | 60
  QVERIFY(!guard.wouldCopy(Pitches{59}, 480));
  // A note joining the first chord instead sorts into it: 48 52 55 60 as one onset is the run too.
  QVERIFY(guard.wouldCopy(Pitches{60}, 0));
}

void TestCopyGuard::emptyIndexGuardsNothing() {
  const corpus::CopyIndex none;
  CopyGuard guard(none);
  QVERIFY(!guard.active());
  for (int i = 0; i < 40; ++i) {
    QVERIFY(!guard.wouldCopy(Pitches{60}, i * 240));
    guard.place(Pitches{60}, i * 240);
  }
}

void TestCopyGuard::longPiecesKeepTheirTail() {
  // Thousands of notes in, the guard still sees the run that ends at the newest note.
  const corpus::CopyIndex index = corpus::CopyIndex::build(std::vector<std::vector<int>>{{60, 61, 62, 63, 64}}, 5);
  CopyGuard guard(index);
  std::int64_t t = 0;
  for (int i = 0; i < 10000; ++i, t += 120)
    guard.place(Pitches{static_cast<std::uint8_t>(40 + (i * 5) % 7)}, t);
  for (std::uint8_t p : {70, 71, 72, 73}) {
    QVERIFY(!guard.wouldCopy(Pitches{p}, t));
    guard.place(Pitches{p}, t);
    t += 120;
  }
  QVERIFY(guard.wouldCopy(Pitches{74}, t));
}

QTEST_APPLESS_MAIN(TestCopyGuard)
#include "tst_copyguard.moc"
