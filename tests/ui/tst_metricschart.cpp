#include "metricschart.h"

#include <QElapsedTimer>
#include <QtTest>

#include <cmath>

using namespace lyrebird;
using namespace lyrebird::ui;

class TestMetricsChart : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void hundredThousandPointsStaySmooth();
  void overlaysComeAndGo();
};

namespace {
std::vector<train::MetricsRecord> curve(int n) {
  std::vector<train::MetricsRecord> records;
  for (int i = 0; i < n; ++i) {
    train::MetricsRecord r;
    r.step = i + 1;
    r.trainLoss = 5.0 * std::exp(-i / 20000.0) + 0.1 * std::sin(i);
    r.trainAccuracy = 1.0 - std::exp(-i / 30000.0);
    if (i % 1000 == 999) {
      r.kind = train::MetricsRecord::Kind::Epoch;
      r.validLoss = r.trainLoss + 0.2;
      r.validAccuracy = r.trainAccuracy - 0.05;
    }
    records.push_back(r);
  }
  return records;
}
} // namespace

void TestMetricsChart::hundredThousandPointsStaySmooth() {
  MetricsChart chart;
  chart.resize(900, 400);
  chart.show();
  QVERIFY(QTest::qWaitForWindowExposed(&chart));
  QElapsedTimer timer;
  timer.start();
  // Points arrive one by one, as from a trainer; the chart redraws at most 5 times a second.
  for (const train::MetricsRecord& r : curve(100000))
    chart.add(r);
  const qint64 adding = timer.elapsed();
  QTRY_VERIFY(chart.shownTrainLossPoints() > 0);
  timer.restart();
  chart.setSmoothing(0.9);
  chart.flush();
  chart.repaint();
  qInfo("100,000 points: %lld ms to add, %lld ms to re-smooth and redraw", static_cast<long long>(adding),
        static_cast<long long>(timer.elapsed()));
  QCOMPARE(chart.pointCount(), std::size_t{100000});
  QVERIFY(chart.shownTrainLossPoints() <= 2002); // down-sampled to what a screen can show
}

void TestMetricsChart::overlaysComeAndGo() {
  MetricsChart chart;
  chart.addOverlay(QStringLiteral("old run"), curve(3000));
  QCOMPARE(chart.overlayCount(), 2);
  chart.clearOverlays();
  QCOMPARE(chart.overlayCount(), 0);
}

QTEST_MAIN(TestMetricsChart)
#include "tst_metricschart.moc"
