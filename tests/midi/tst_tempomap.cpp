#include "midi/tempomap.h"

#include <QtTest>

using namespace lyrebird::midi;

Q_DECLARE_METATYPE(std::vector<TempoChange>)

class TestTempoMap : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void ticksToSeconds_data();
  void ticksToSeconds();
  void secondsToTicksInvertsExactly();
  void walkerMatchesLookups();
  void tempoInForce();
};

void TestTempoMap::ticksToSeconds_data() {
  QTest::addColumn<int>("ticksPerQuarter");
  QTest::addColumn<std::vector<TempoChange>>("tempos");
  QTest::addColumn<qint64>("ticks");
  QTest::addColumn<double>("seconds");

  const std::vector<TempoChange> none;
  const std::vector<TempoChange> changes = {{0, 500000}, {960, 1000000}, {1920, 250000}};
  QTest::newRow("default 120 BPM, start") << 480 << none << qint64(0) << 0.0;
  QTest::newRow("default 120 BPM, one quarter") << 480 << none << qint64(480) << 0.5;
  QTest::newRow("default 120 BPM, 100 bars of 4/4") << 96 << none << qint64(96 * 400) << 200.0;
  QTest::newRow("60 BPM") << 100 << std::vector<TempoChange>{{0, 1000000}} << qint64(250) << 2.5;
  QTest::newRow("before first change") << 480 << changes << qint64(480) << 0.5;
  QTest::newRow("at a change") << 480 << changes << qint64(960) << 1.0;
  QTest::newRow("inside the slow segment") << 480 << changes << qint64(1440) << 2.0;
  QTest::newRow("at the second change") << 480 << changes << qint64(1920) << 3.0;
  QTest::newRow("past the last change") << 480 << changes << qint64(1920 + 480 * 4) << 4.0;
  QTest::newRow("first change later than zero")
      << 480 << std::vector<TempoChange>{{960, 1000000}} << qint64(1440) << 2.0;
  QTest::newRow("two changes at one tick: last wins")
      << 480 << std::vector<TempoChange>{{0, 250000}, {0, 1000000}} << qint64(480) << 1.0;
  QTest::newRow("SMPTE-style fixed second per quarter")
      << 1000 << std::vector<TempoChange>{{0, 1000000}} << qint64(1500) << 1.5;
}

void TestTempoMap::ticksToSeconds() {
  QFETCH(int, ticksPerQuarter);
  QFETCH(std::vector<TempoChange>, tempos);
  QFETCH(qint64, ticks);
  QFETCH(double, seconds);
  const TempoMap map(ticksPerQuarter, tempos);
  QVERIFY(qAbs(map.seconds(ticks) - seconds) < 1e-9);
  QCOMPARE(map.ticks(seconds), static_cast<std::int64_t>(ticks));
}

void TestTempoMap::secondsToTicksInvertsExactly() {
  const TempoMap map(480, {{0, 500000}, {700, 612345}, {1901, 333333}, {5000, 1200000}});
  for (std::int64_t t = 0; t < 8000; t += 7) {
    QCOMPARE(map.ticks(map.seconds(t)), t);
  }
  QCOMPARE(map.ticks(-3.0), std::int64_t{0});
}

void TestTempoMap::walkerMatchesLookups() {
  const TempoMap map(384, {{0, 400000}, {384, 500000}, {385, 900000}, {10000, 300000}});
  TempoMap::Walker walker(map);
  for (std::int64_t t = 0; t < 20000; t += 13) {
    QCOMPARE(walker.seconds(t), map.seconds(t));
  }
}

void TestTempoMap::tempoInForce() {
  const TempoMap map(480, {{480, 600000}});
  QCOMPARE(map.microsecondsPerQuarter(0), 500000u);
  QCOMPARE(map.microsecondsPerQuarter(480), 600000u);
  QCOMPARE(map.microsecondsPerQuarter(100000), 600000u);
}

QTEST_GUILESS_MAIN(TestTempoMap)
#include "tst_tempomap.moc"
