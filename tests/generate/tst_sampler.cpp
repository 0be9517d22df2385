#include "generate/sampler.h"

#include <QtTest>

#include <cmath>
#include <map>

using namespace lyrebird;
using namespace lyrebird::generate;

class TestSampler : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void greedyPicksTheMostLikely();
  void sameSeedSameDraws();
  void drawsFollowTheDistribution();
  void temperatureRaisesEntropy();
  void topKKeepsKTokens();
  void topPKeepsTheSmallestSufficientSet();
  void maskExcludesTokens();
  void maskThatAllowsNothingIsIgnored();
  void repetitionPenaltyLowersRecentTokens();
  void sparedTokensAreDrawnAsPredicted();
};

namespace {

const std::vector<float> kLogits = {std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)};

double entropyOfDraws(double temperature) {
  Sampler sampler(5);
  std::vector<float> logits(32);
  for (std::size_t i = 0; i < logits.size(); ++i)
    logits[i] = -0.25f * static_cast<float>(i);
  SamplingOptions options;
  options.temperature = temperature;
  std::map<int, int> counts;
  const int n = 20000;
  for (int i = 0; i < n; ++i)
    ++counts[sampler.sample(logits, options)];
  double h = 0.0;
  for (const auto& [id, c] : counts) {
    const double p = static_cast<double>(c) / n;
    h -= p * std::log(p);
  }
  return h;
}

} // namespace

void TestSampler::greedyPicksTheMostLikely() {
  Sampler sampler(1);
  SamplingOptions greedy;
  greedy.temperature = 0.0;
  for (int i = 0; i < 10; ++i)
    QCOMPARE(sampler.sample(kLogits, greedy), tokenize::TokenId{0});
}

void TestSampler::sameSeedSameDraws() {
  Sampler a(42);
  Sampler b(42);
  Sampler c(43);
  std::vector<tokenize::TokenId> da;
  std::vector<tokenize::TokenId> db;
  std::vector<tokenize::TokenId> dc;
  for (int i = 0; i < 200; ++i) {
    da.push_back(a.sample(kLogits, {}));
    db.push_back(b.sample(kLogits, {}));
    dc.push_back(c.sample(kLogits, {}));
  }
  QCOMPARE(da, db);
  QVERIFY(da != dc);
}

void TestSampler::drawsFollowTheDistribution() {
  Sampler sampler(7);
  std::vector<int> counts(4, 0);
  const int n = 40000;
  for (int i = 0; i < n; ++i)
    ++counts[sampler.sample(kLogits, {})];
  const double expected[] = {0.5, 0.3, 0.15, 0.05};
  for (int i = 0; i < 4; ++i) {
    QVERIFY2(std::abs(static_cast<double>(counts[i]) / n - expected[i]) < 0.01, qPrintable(QString::number(i)));
  }
}

void TestSampler::temperatureRaisesEntropy() {
  const double cold = entropyOfDraws(0.5);
  const double normal = entropyOfDraws(1.0);
  const double hot = entropyOfDraws(2.0);
  QVERIFY2(cold < normal && normal < hot, qPrintable(QStringLiteral("%1 %2 %3").arg(cold).arg(normal).arg(hot)));
}

void TestSampler::topKKeepsKTokens() {
  Sampler sampler(3);
  SamplingOptions options;
  options.topK = 2;
  const std::vector<double> p = sampler.distribution(kLogits, options);
  QVERIFY(std::abs(p[0] - 0.5 / 0.8) < 1e-6);
  QVERIFY(std::abs(p[1] - 0.3 / 0.8) < 1e-6);
  QCOMPARE(p[2], 0.0);
  QCOMPARE(p[3], 0.0);
  for (int i = 0; i < 500; ++i)
    QVERIFY(sampler.sample(kLogits, options) < 2);
}

void TestSampler::topPKeepsTheSmallestSufficientSet() {
  Sampler sampler(3);
  SamplingOptions options;
  options.topP = 0.9; // 0.5 + 0.3 < 0.9 <= 0.5 + 0.3 + 0.15
  const std::vector<double> p = sampler.distribution(kLogits, options);
  QVERIFY(p[2] > 0.0);
  QCOMPARE(p[3], 0.0);
  options.topP = 0.5;
  const std::vector<double> q = sampler.distribution(kLogits, options);
  QVERIFY(std::abs(q[0] - 1.0) < 1e-6);
}

void TestSampler::maskExcludesTokens() {
  Sampler sampler(9);
  const std::vector<std::uint8_t> allowed = {0, 1, 0, 1};
  for (int i = 0; i < 500; ++i) {
    const tokenize::TokenId id = sampler.sample(kLogits, {}, allowed);
    QVERIFY(id == 1 || id == 3);
  }
  const std::vector<double> p = sampler.distribution(kLogits, {}, allowed);
  QVERIFY(std::abs(p[1] - 0.3 / 0.35) < 1e-6);
}

void TestSampler::maskThatAllowsNothingIsIgnored() {
  Sampler sampler(9);
  const std::vector<std::uint8_t> none = {0, 0, 0, 0};
  const std::vector<double> p = sampler.distribution(kLogits, {}, none);
  QVERIFY(std::abs(p[0] - 0.5) < 1e-6);
}

void TestSampler::repetitionPenaltyLowersRecentTokens() {
  Sampler sampler(1);
  SamplingOptions options;
  options.repetitionPenalty = 2.0;
  const std::vector<float> logits = {2.0f, 1.9f, -1.0f};
  const std::vector<tokenize::TokenId> recent = {0, 0, 2};
  const std::vector<double> plain = sampler.distribution(logits, {});
  const std::vector<double> penalised = sampler.distribution(logits, options, {}, recent);
  QVERIFY(penalised[0] < plain[0]);
  QVERIFY(penalised[1] > plain[1]);
  QVERIFY(penalised[2] < plain[2]);
}

void TestSampler::sparedTokensAreDrawnAsPredicted() {
  // Tokens 0-2 are rhythm (spared), 3-5 notes. At temperature 1 the rhythm holds 0.5 of the mass.
  const std::vector<float> logits = {std::log(0.30f), std::log(0.15f), std::log(0.05f),
                                     std::log(0.30f), std::log(0.15f), std::log(0.05f)};
  const std::vector<std::uint8_t> spared = {1, 1, 1, 0, 0, 0};
  SamplingOptions sharp;
  sharp.temperature = 0.5;
  sharp.topP = 0.7;
  const Sampler sampler(1);
  const std::vector<double> p = sampler.distribution(logits, sharp, {}, {}, spared);
  // The rhythm as predicted, its rare 0.05 included: neither sharpened nor cut.
  QVERIFY(std::abs(p[0] - 0.30) < 1e-6);
  QVERIFY(std::abs(p[1] - 0.15) < 1e-6);
  QVERIFY(std::abs(p[2] - 0.05) < 1e-6);
  // The notes share the other 0.5, sharpened (temperature 0.5: 0.3^2 : 0.15^2 : 0.05^2 = 36 : 9 : 1)
  // and cut by top-p among themselves (36 / 46 = 0.78 reaches 0.7 alone).
  QVERIFY(std::abs(p[3] - 0.5) < 1e-6);
  QCOMPARE(p[4], 0.0);
  QCOMPARE(p[5], 0.0);
  // Without spared tokens every token is sharpened alike (the previous behaviour).
  const std::vector<double> all = sampler.distribution(logits, sharp);
  QVERIFY(std::abs(all[0] - 0.5) < 1e-6 && std::abs(all[3] - 0.5) < 1e-6);
  QCOMPARE(all[1], 0.0);
  // Only spared tokens allowed (a length after a pitch): drawn as predicted.
  const std::vector<std::uint8_t> lengthsOnly = {1, 1, 1, 0, 0, 0};
  const std::vector<double> lengths = sampler.distribution(logits, sharp, lengthsOnly, {}, spared);
  QVERIFY(std::abs(lengths[0] - 0.6) < 1e-6 && std::abs(lengths[1] - 0.3) < 1e-6 && std::abs(lengths[2] - 0.1) < 1e-6);
  // Greedy stays greedy over everything.
  SamplingOptions greedy;
  greedy.temperature = 0.0;
  QCOMPARE(Sampler(1).sample(logits, greedy, {}, {}, spared), tokenize::TokenId{0});
}

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
