#include "model/dropout.h"

#include <QtTest>

#include <torch/torch.h>

using namespace lyrebird::model;

class TestDropout : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void identityOutsideTraining();
  void keepsOneMinusPScaled_data();
  void keepsOneMinusPScaled();
  void gradientFollowsTheMask();
  void repeatableFromTorchsSeed();
};

void TestDropout::identityOutsideTraining() {
  const torch::Tensor x = torch::randn({4, 5});
  QVERIFY(fastDropout(x, 0.3, false).equal(x));
  QVERIFY(fastDropout(x, 0.0, true).equal(x));
}

void TestDropout::keepsOneMinusPScaled_data() {
  QTest::addColumn<double>("p");
  QTest::newRow("0.1") << 0.1;
  QTest::newRow("0.3") << 0.3;
  QTest::newRow("0.75") << 0.75;
}

void TestDropout::keepsOneMinusPScaled() {
  QFETCH(double, p);
  torch::manual_seed(3);
  const torch::Tensor x = torch::rand({1001, 999}) + 1.0f; // never zero; an odd count of elements
  const torch::Tensor y = fastDropout(x, p, true);
  const torch::Tensor kept = y != 0;
  const double keptShare = kept.to(torch::kDouble).mean().item<double>();
  // 1e6 draws: the share's standard deviation is under 5e-4.
  QVERIFY2(std::abs(keptShare - (1.0 - p)) < 3e-3, qPrintable(QString::number(keptShare)));
  QVERIFY(torch::allclose(y.masked_select(kept), x.masked_select(kept) / (1.0 - p)));
  // Neighbouring elements are drawn independently (the two halves of one random word).
  const torch::Tensor flat = kept.flatten().to(torch::kDouble);
  const double both = (flat.slice(0, 0, -1, 2) * flat.slice(0, 1, flat.size(0), 2)).mean().item<double>();
  QVERIFY2(std::abs(both - (1.0 - p) * (1.0 - p)) < 4e-3, qPrintable(QString::number(both)));
}

void TestDropout::gradientFollowsTheMask() {
  torch::manual_seed(5);
  const torch::Tensor x = (torch::rand({64, 33}) + 0.5f).requires_grad_(true);
  const torch::Tensor y = fastDropout(x, 0.4, true);
  const torch::Tensor g = torch::randn_like(y);
  (y * g).sum().backward();
  const torch::Tensor expected = torch::where(y != 0, g / 0.6, torch::zeros_like(g));
  QVERIFY(torch::allclose(x.grad(), expected, 1e-5, 1e-6));
}

void TestDropout::repeatableFromTorchsSeed() {
  const torch::Tensor x = torch::ones({128, 17});
  torch::manual_seed(42);
  const torch::Tensor a = fastDropout(x, 0.3, true);
  const torch::Tensor b = fastDropout(x, 0.3, true);
  torch::manual_seed(42);
  const torch::Tensor again = fastDropout(x, 0.3, true);
  QVERIFY(a.equal(again));
  QVERIFY(!a.equal(b));
}

QTEST_GUILESS_MAIN(TestDropout)
#include "tst_dropout.moc"
