#include "model/lstmnetwork.h"
#include "train/torchstate.h"
#include "train/trainingconfig.h"

#include <QtTest>

#include <torch/torch.h>

using namespace lyrebird;
using namespace lyrebird::model;

class TestLstmNetwork : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }
  void outputShapesOfEveryPreset_data();
  void outputShapesOfEveryPreset();
  void singleHasNoDenseLayer();
  void steppingWithStateMatchesTheWholeWindow();
  void saveThenLoadGivesIdenticalLogits();
  void loadingIntoAnotherShapeFails();
};

void TestLstmNetwork::outputShapesOfEveryPreset_data() {
  QTest::addColumn<QString>("preset");
  for (const std::string& name : train::TrainingConfig::presetNames())
    QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

void TestLstmNetwork::outputShapesOfEveryPreset() {
  QFETCH(QString, preset);
  train::TrainingConfig config = *train::TrainingConfig::fromPreset(preset.toStdString());
  config.model.vocabularySize = 57;
  torch::manual_seed(0);
  LstmNetwork network(config.model);
  const std::int64_t t = config.sequenceLength;
  const torch::Tensor tokens = torch::randint(57, {3, t}, torch::kLong);
  torch::NoGradGuard noGrad;
  const torch::Tensor logits = network->forward(tokens);
  // Repeat labels add their outputs after the vocabulary's.
  const std::int64_t outputs = config.model.outputSize();
  if (config.model.objective == ModelConfig::Objective::Last) {
    QCOMPARE(logits.sizes().vec(), (std::vector<std::int64_t>{3, outputs}));
  } else {
    QCOMPARE(logits.sizes().vec(), (std::vector<std::int64_t>{3, t, outputs}));
  }
  QCOMPARE(outputs, config.model.repeatLabels ? std::int64_t{59} : std::int64_t{57});
  QVERIFY(torch::isfinite(logits).all().item<bool>());
}

void TestLstmNetwork::singleHasNoDenseLayer() {
  ModelConfig c = train::TrainingConfig::fromPreset("seed-single")->model;
  c.vocabularySize = 10;
  c.hidden = 8;
  LstmNetwork network(c);
  std::int64_t parameters = 0;
  for (const auto& p : network->parameters())
    parameters += p.numel();
  // LSTM(1 -> 8): 4*8*(1+8) + 2*4*8 biases; Dense(8 -> 10): 8*10 + 10.
  QCOMPARE(parameters, std::int64_t{4 * 8 * 9 + 64 + 90});
}

void TestLstmNetwork::steppingWithStateMatchesTheWholeWindow() {
  ModelConfig c = train::TrainingConfig::fromPreset("default")->model;
  c.vocabularySize = 40;
  c.hidden = 16;
  c.layers = 2;
  torch::manual_seed(3);
  LstmNetwork network(c);
  network->eval();
  torch::NoGradGuard noGrad;
  const torch::Tensor tokens = torch::randint(40, {1, 12}, torch::kLong);
  const torch::Tensor whole = network->forward(tokens);
  std::optional<LstmState> state;
  for (std::int64_t i = 0; i < 12; ++i) {
    auto [logits, next] = network->forwardWithState(tokens.slice(1, i, i + 1), state);
    state = next;
    QVERIFY(torch::allclose(logits.select(1, 0), whole.select(1, i), 1e-5, 1e-6));
  }
}

void TestLstmNetwork::saveThenLoadGivesIdenticalLogits() {
  ModelConfig c = train::TrainingConfig::fromPreset("seed-stacked")->model;
  c.vocabularySize = 30;
  c.hidden = 24;
  torch::manual_seed(1);
  LstmNetwork original(c);
  original->eval();
  const std::string bytes = train::saveModuleState(*original);
  torch::manual_seed(2); // different initial weights
  LstmNetwork restored(c);
  restored->eval();
  QVERIFY(train::loadModuleState(*restored, bytes).ok());
  torch::NoGradGuard noGrad;
  const torch::Tensor tokens = torch::randint(30, {4, 20}, torch::kLong);
  QVERIFY(torch::equal(original->forward(tokens), restored->forward(tokens)));
}

void TestLstmNetwork::loadingIntoAnotherShapeFails() {
  ModelConfig c = train::TrainingConfig::fromPreset("default")->model;
  c.vocabularySize = 30;
  c.hidden = 16;
  LstmNetwork small(c);
  c.hidden = 32;
  LstmNetwork large(c);
  const Status s = train::loadModuleState(*large, train::saveModuleState(*small));
  QVERIFY(!s.ok());
  QCOMPARE(s.error().kind, ErrorKind::Corrupt);
  QVERIFY(!train::loadModuleState(*large, "not a torch archive").ok());
}

QTEST_GUILESS_MAIN(TestLstmNetwork)
#include "tst_lstmnetwork.moc"
