#include "model/lstmnetwork.h"
#include "model/lstmstepper.h"

#include <QtTest>

#include <torch/torch.h>

using namespace lyrebird::model;

// The torch-free stepper generation runs on must compute what the torch network does.
class TestLstmStepper : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }
  void matchesTheNetworkStepByStep_data();
  void matchesTheNetworkStepByStep();
  void resetStartsOver();
};

void TestLstmStepper::matchesTheNetworkStepByStep_data() {
  QTest::addColumn<bool>("stacked");
  QTest::addColumn<bool>("scalar");
  QTest::addColumn<int>("hidden"); // 37: rows and columns not multiples of the vector width
  QTest::addColumn<bool>("half");
  QTest::addColumn<double>("tolerance");
  QTest::addColumn<bool>("lookback");
  QTest::addColumn<bool>("repeatLabels");
  QTest::addColumn<bool>("barClock");
  QTest::newRow("stacked embedding float") << true << false << 64 << false << 1e-4 << false << false << false;
  QTest::newRow("stacked scalar float") << true << true << 37 << false << 1e-4 << false << false << false;
  QTest::newRow("single embedding float") << false << false << 48 << false << 1e-4 << false << false << false;
  QTest::newRow("stacked embedding half") << true << false << 64 << true << 2e-2 << false << false << false;
  QTest::newRow("single scalar half") << false << true << 37 << true << 2e-2 << false << false << false;
  QTest::newRow("stacked lookback float") << true << false << 37 << false << 1e-4 << true << false << false;
  QTest::newRow("stacked lookback half") << true << false << 64 << true << 2e-2 << true << false << false;
  QTest::newRow("stacked repeat labels float") << true << false << 37 << false << 1e-4 << true << true << false;
  QTest::newRow("single repeat labels half") << false << false << 64 << true << 2e-2 << true << true << false;
  QTest::newRow("stacked bar clock float") << true << false << 37 << false << 1e-4 << true << true << true;
  QTest::newRow("single bar clock half") << false << false << 64 << true << 2e-2 << true << true << true;
}

void TestLstmStepper::matchesTheNetworkStepByStep() {
  QFETCH(bool, stacked);
  QFETCH(bool, scalar);
  QFETCH(int, hidden);
  QFETCH(bool, half);
  QFETCH(double, tolerance);
  QFETCH(bool, lookback);
  QFETCH(bool, repeatLabels);
  QFETCH(bool, barClock);
  ModelConfig config;
  config.lookback = lookback;
  config.repeatLabels = repeatLabels;
  config.clockMeters = barClock ? 5 : 0;
  config.clockSteps = barClock ? 9 : 0;
  config.arch = stacked ? ModelConfig::Arch::Stacked : ModelConfig::Arch::Single;
  config.layers = stacked ? 3 : 1;
  config.input = scalar ? ModelConfig::Input::Scalar : ModelConfig::Input::Embedding;
  config.hidden = hidden;
  config.denseSize = 24;
  config.embeddingSize = 16;
  config.vocabularySize = 41;
  torch::manual_seed(3);
  LstmNetwork network(config);
  network->eval();
  // Make the biases matter: torch initialises them small.
  {
    torch::NoGradGuard noGrad;
    for (auto& p : network->named_parameters()) {
      if (p.key().find("bias") != std::string::npos) p.value().uniform_(-0.5, 0.5);
    }
  }
  LstmStepper stepper(network->stepperWeights(), half ? LstmStepper::Precision::Half : LstmStepper::Precision::Float);
  const torch::Tensor tokens = torch::randint(41, {1, 30}, torch::kLong);
  const torch::Tensor back = torch::cat(
      {torch::randint(41, {1, 30, 2}, torch::kLong), torch::randint(kRepeatingValues, {1, 30, 1}, torch::kLong),
       torch::randint(5, {1, 30, 1}, torch::kLong), torch::randint(9, {1, 30, 1}, torch::kLong)},
      -1);
  torch::NoGradGuard noGrad;
  const torch::Tensor expected =
      std::get<0>(network->forwardWithState(tokens, std::nullopt, lookback ? back : torch::Tensor())).squeeze(0);
  QCOMPARE(stepper.hasLookback(), lookback);
  QCOMPARE(stepper.hasRepeatLabels(), repeatLabels);
  const int outputs = repeatLabels ? 43 : 41;
  QCOMPARE(stepper.outputSize(), outputs);
  for (int t = 0; t < 30; ++t) {
    const std::span<const float> logits = stepper.step(
        tokens[0][t].item<std::int64_t>(), back[0][t][0].item<std::int64_t>(), back[0][t][1].item<std::int64_t>(),
        static_cast<int>(back[0][t][2].item<std::int64_t>()), static_cast<int>(back[0][t][3].item<std::int64_t>()),
        static_cast<int>(back[0][t][4].item<std::int64_t>()));
    QCOMPARE(logits.size(), static_cast<std::size_t>(outputs));
    for (int v = 0; v < outputs; ++v) {
      const double want = expected[t][v].item<float>();
      QVERIFY2(std::abs(logits[static_cast<std::size_t>(v)] - want) <= tolerance * (1.0 + std::abs(want)),
               qPrintable(QStringLiteral("step %1 token %2: %3 vs %4").arg(t).arg(v).arg(logits[v]).arg(want)));
    }
  }
}

void TestLstmStepper::resetStartsOver() {
  ModelConfig config;
  config.vocabularySize = 20;
  config.hidden = 16;
  config.layers = 2;
  config.embeddingSize = 8;
  config.denseSize = 8;
  torch::manual_seed(1);
  LstmNetwork network(config);
  LstmStepper stepper(network->stepperWeights());
  const std::span<const float> logits = stepper.step(5);
  const std::vector<float> first(logits.begin(), logits.end());
  (void)stepper.step(7);
  stepper.reset();
  const std::span<const float> again = stepper.step(5);
  QVERIFY(std::equal(first.begin(), first.end(), again.begin()));
}

QTEST_APPLESS_MAIN(TestLstmStepper)
#include "tst_lstmstepper.moc"
