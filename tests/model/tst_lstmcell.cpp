#include "model/lstmcell.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

using namespace lyrebird::model;

class TestLstmCell : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void forwardMatchesTheFormulas_data();
  void forwardMatchesTheFormulas();
  void backwardMatchesFiniteDifferences();
};

namespace {

float sigmoid(double x) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-x)));
}

std::vector<float> uniform(std::size_t n, float scale, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> d(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v)
    x = d(random);
  return v;
}

} // namespace

void TestLstmCell::forwardMatchesTheFormulas_data() {
  QTest::addColumn<int>("rows");
  QTest::addColumn<int>("hidden");
  QTest::addColumn<float>("scale");
  QTest::newRow("a batch, vector width") << 5 << 64 << 4.0f;
  QTest::newRow("a width with a remainder") << 3 << 37 << 4.0f;
  QTest::newRow("narrower than a vector") << 2 << 5 << 4.0f;
  QTest::newRow("saturating inputs") << 4 << 24 << 120.0f; // exp would overflow unclamped
}

void TestLstmCell::forwardMatchesTheFormulas() {
  QFETCH(int, rows);
  QFETCH(int, hidden);
  QFETCH(float, scale);
  const auto n = static_cast<std::size_t>(rows * hidden);
  std::vector<float> gates = uniform(4 * n, scale, 1);
  const std::vector<float> pre = gates;
  const std::vector<float> cPrev = uniform(n, 2.0f, 2);
  std::vector<float> cNext(n), tanhC(n), hNext(n);
  LstmCell::forward(gates.data(), cPrev.data(), cNext.data(), tanhC.data(), hNext.data(), rows, hidden);
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < hidden; ++j) {
      const auto at = [&](int gate) { return static_cast<std::size_t>(r * 4 * hidden + gate * hidden + j); };
      const float i = sigmoid(pre[at(0)]);
      const float f = sigmoid(pre[at(1)]);
      const auto g = static_cast<float>(std::tanh(static_cast<double>(pre[at(2)])));
      const float o = sigmoid(pre[at(3)]);
      const std::size_t k = static_cast<std::size_t>(r * hidden + j);
      const float c = f * cPrev[k] + i * g;
      const auto tc = static_cast<float>(std::tanh(static_cast<double>(c)));
      QVERIFY(std::abs(gates[at(0)] - i) < 1e-6f);
      QVERIFY(std::abs(gates[at(1)] - f) < 1e-6f);
      QVERIFY(std::abs(gates[at(2)] - g) < 1e-6f);
      QVERIFY(std::abs(gates[at(3)] - o) < 1e-6f);
      QVERIFY(std::abs(cNext[k] - c) < 2e-6f);
      QVERIFY(std::abs(tanhC[k] - tc) < 2e-6f);
      QVERIFY(std::abs(hNext[k] - o * tc) < 2e-6f);
      QVERIFY(std::isfinite(hNext[k]));
    }
  }
}

void TestLstmCell::backwardMatchesFiniteDifferences() {
  // loss = sum(wh * h) + sum(wc * c) over one step; its gradient by the kernel against central
  // differences in double precision.
  const int rows = 2;
  const int hidden = 11;
  const auto n = static_cast<std::size_t>(rows * hidden);
  const std::vector<float> pre = uniform(4 * n, 2.0f, 3);
  const std::vector<float> cPrev = uniform(n, 1.0f, 4);
  const std::vector<float> wh = uniform(n, 1.0f, 5);
  const std::vector<float> wc = uniform(n, 1.0f, 6);
  auto loss = [&](const std::vector<double>& a) {
    double sum = 0.0;
    for (int r = 0; r < rows; ++r) {
      for (int j = 0; j < hidden; ++j) {
        const auto at = [&](int gate) { return static_cast<std::size_t>(r * 4 * hidden + gate * hidden + j); };
        const std::size_t k = static_cast<std::size_t>(r * hidden + j);
        const double c = cPrev[k] / (1.0 + std::exp(-a[at(1)])) + std::tanh(a[at(2)]) / (1.0 + std::exp(-a[at(0)]));
        sum += wh[k] * std::tanh(c) / (1.0 + std::exp(-a[at(3)])) + wc[k] * c;
      }
    }
    return sum;
  };
  std::vector<float> gates = pre;
  std::vector<float> cNext(n), tanhC(n), hNext(n);
  LstmCell::forward(gates.data(), cPrev.data(), cNext.data(), tanhC.data(), hNext.data(), rows, hidden);
  // dh arrives as dy + dhNext: split wh between the two.
  std::vector<float> dy(n), dhNext(n), dc = wc, dGates(4 * n);
  for (std::size_t k = 0; k < n; ++k) {
    dy[k] = 0.25f * wh[k];
    dhNext[k] = 0.75f * wh[k];
  }
  LstmCell::backward(gates.data(), tanhC.data(), cPrev.data(), dy.data(), dhNext.data(), dc.data(), dGates.data(), rows,
                     hidden);
  std::vector<double> a(pre.begin(), pre.end());
  for (std::size_t k = 0; k < a.size(); ++k) {
    const double saved = a[k];
    a[k] = saved + 1e-6;
    const double up = loss(a);
    a[k] = saved - 1e-6;
    const double down = loss(a);
    a[k] = saved;
    QVERIFY2(std::abs((up - down) / 2e-6 - dGates[k]) < 1e-4, qPrintable(QString::number(k)));
  }
  // And the gradient reaching cPrev: dc * f.
  for (std::size_t k = 0; k < n; ++k) {
    const int r = static_cast<int>(k) / hidden;
    const int j = static_cast<int>(k) % hidden;
    const float f = gates[static_cast<std::size_t>(r * 4 * hidden + hidden + j)];
    const float dcAtC =
        wc[k] + wh[k] * gates[static_cast<std::size_t>(r * 4 * hidden + 3 * hidden + j)] * (1.0f - tanhC[k] * tanhC[k]);
    QVERIFY(std::abs(dc[k] - dcAtC * f) < 1e-5f);
  }
}

QTEST_GUILESS_MAIN(TestLstmCell)
#include "tst_lstmcell.moc"
