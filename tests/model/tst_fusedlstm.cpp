#include "model/fusedlstm.h"

#include <QtTest>

#include <torch/torch.h>

using namespace lyrebird::model;

class TestFusedLstm : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }
  void matchesTorchLstm_data();
  void matchesTorchLstm();
  void sameParameterNamesAsTorch();
};

void TestFusedLstm::matchesTorchLstm_data() {
  QTest::addColumn<int>("input");
  QTest::addColumn<int>("hidden");
  QTest::addColumn<int>("layers");
  QTest::addColumn<bool>("withState");
  QTest::newRow("one layer, scalar input") << 1 << 8 << 1 << false;
  QTest::newRow("three layers") << 5 << 12 << 3 << false;
  QTest::newRow("two layers from a state") << 7 << 16 << 2 << true;
  QTest::newRow("wide, with a remainder of the vector width") << 10 << 37 << 2 << true;
}

void TestFusedLstm::matchesTorchLstm() {
  QFETCH(int, input);
  QFETCH(int, hidden);
  QFETCH(int, layers);
  QFETCH(bool, withState);
  torch::manual_seed(11);
  torch::nn::LSTM reference(torch::nn::LSTMOptions(input, hidden).num_layers(layers).batch_first(true));
  FusedLstm fused(input, hidden, layers, 0.0);
  {
    torch::NoGradGuard noGrad;
    auto ours = fused->named_parameters();
    for (const auto& item : reference->named_parameters())
      ours[item.key()].copy_(item.value());
  }
  const std::int64_t b = 3;
  const std::int64_t t = 9;
  const torch::Tensor x = torch::randn({b, t, input});
  torch::Tensor x1 = x.clone().requires_grad_(true);
  torch::Tensor x2 = x.clone().requires_grad_(true);
  const torch::Tensor h0 = torch::randn({layers, b, hidden});
  const torch::Tensor c0 = torch::randn({layers, b, hidden});

  auto [y1, s1] = withState ? reference->forward(x1, std::make_tuple(h0, c0)) : reference->forward(x1);
  auto [y2, s2] = withState ? fused->forward(x2, LstmState{h0, c0}) : fused->forward(x2);
  QVERIFY(torch::allclose(y1, y2, 1e-5, 1e-6));
  QVERIFY(torch::allclose(std::get<0>(s1), std::get<0>(s2), 1e-5, 1e-6));
  QVERIFY(torch::allclose(std::get<1>(s1), std::get<1>(s2), 1e-5, 1e-6));

  // Gradients through outputs and the final state alike.
  const torch::Tensor gy = torch::randn_like(y1);
  const torch::Tensor gh = torch::randn_like(std::get<0>(s1));
  const torch::Tensor gc = torch::randn_like(std::get<1>(s1));
  ((y1 * gy).sum() + (std::get<0>(s1) * gh).sum() + (std::get<1>(s1) * gc).sum()).backward();
  ((y2 * gy).sum() + (std::get<0>(s2) * gh).sum() + (std::get<1>(s2) * gc).sum()).backward();
  QVERIFY(torch::allclose(x1.grad(), x2.grad(), 1e-4, 1e-5));
  const auto ours = fused->named_parameters();
  for (const auto& item : reference->named_parameters()) {
    QVERIFY2(torch::allclose(item.value().grad(), ours[item.key()].grad(), 1e-4, 1e-5), item.key().c_str());
  }
}

void TestFusedLstm::sameParameterNamesAsTorch() {
  torch::nn::LSTM reference(torch::nn::LSTMOptions(4, 6).num_layers(2));
  FusedLstm fused(4, 6, 2, 0.1);
  QCOMPARE(fused->named_parameters().keys(), reference->named_parameters().keys());
}

QTEST_GUILESS_MAIN(TestFusedLstm)
#include "tst_fusedlstm.moc"
