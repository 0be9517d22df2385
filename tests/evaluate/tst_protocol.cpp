#include "evaluate/protocol.h"

#include <QtTest>

#include <cmath>

using namespace lyrebird;
using namespace lyrebird::evaluate;

class TestProtocol : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void featuresOfAHandMadePiece();
  void lengthClassesAndDistances();
  void kernelDensityFollowsScottsRule();
  void densityComparison();
  void setsLikeTheReferenceOverlapMore();
};

namespace {

// Quarter notes at 120 BPM (480 ticks a quarter).
midi::Score notes(std::initializer_list<std::pair<int, int>> pitchAndQuarterTicks) {
  midi::Score s;
  midi::Track t;
  std::int64_t at = 0;
  for (auto [pitch, ticks] : pitchAndQuarterTicks) {
    t.notes.push_back({at, ticks, static_cast<std::uint8_t>(pitch), 80});
    at += ticks;
  }
  s.tracks = {t};
  return s;
}

} // namespace

void TestProtocol::featuresOfAHandMadePiece() {
  const ProtocolFeatures f = protocolFeatures(notes({{60, 480}, {64, 480}, {67, 480}}));
  QCOMPARE(f.pitchCount, 3.0);
  QCOMPARE(f.pitchRange, 7.0);
  QCOMPARE(f.averagePitchInterval, 3.5); // (4 + 3) / 2
  QCOMPARE(f.noteCount, 3.0);
  QCOMPARE(f.averageIoiSeconds, 0.5);
  QCOMPARE(f.pitchClassHistogram[0], 1.0 / 3.0);
  QCOMPARE(f.pitchClassHistogram[4], 1.0 / 3.0);
  QCOMPARE(f.pitchClassHistogram[7], 1.0 / 3.0);
  QCOMPARE(f.pitchClassTransitions[0 * 12 + 4], 0.5);
  QCOMPARE(f.pitchClassTransitions[4 * 12 + 7], 0.5);
  QCOMPARE(f.noteLengthHistogram[2], 1.0); // all quarters
  QCOMPARE(f.noteLengthTransitions[2 * 12 + 2], 1.0);
  const ProtocolFeatures empty = protocolFeatures(midi::Score{});
  QCOMPARE(empty.noteCount, 0.0);
}

void TestProtocol::lengthClassesAndDistances() {
  // An eighth, a dotted quarter and an eighth-note triplet.
  const ProtocolFeatures f = protocolFeatures(notes({{60, 240}, {62, 720}, {64, 160}}));
  QCOMPARE(f.noteLengthHistogram[3], 1.0 / 3.0);
  QCOMPARE(f.noteLengthHistogram[6], 1.0 / 3.0);
  QCOMPARE(f.noteLengthHistogram[11], 1.0 / 3.0);
  const ProtocolFeatures g = protocolFeatures(notes({{60, 480}, {64, 480}, {67, 480}}));
  QCOMPARE(featureDistance(f, g, 0), 0.0); // three pitches each
  QCOMPARE(featureDistance(f, g, 3), 3.0); // range 4 vs 7
  QCOMPARE(featureDistance(f, g, 5), 0.0); // three notes each
  QCOMPARE(featureDistance(f, f, 1), 0.0);
  // Pitch classes {0, 2, 4} vs {0, 4, 7}: two classes differ by 1/3 each.
  QVERIFY(std::abs(featureDistance(f, g, 1) - std::sqrt(2.0) / 3.0) < 1e-12);
  QCOMPARE(QString(kProtocolFeatureNames[8]), QStringLiteral("note_length_transitions"));
}

void TestProtocol::kernelDensityFollowsScottsRule() {
  const KernelDensity k({0.0, 2.0});
  const double h = std::sqrt(2.0) * std::pow(2.0, -0.2); // sample deviation x n^(-1/5)
  QVERIFY(std::abs(k.bandwidth() - h) < 1e-12);
  const double phi = std::exp(-0.5 * (1.0 / h) * (1.0 / h)) / std::sqrt(2.0 * M_PI);
  QVERIFY(std::abs(k(1.0) - phi / h) < 1e-12); // both kernels one unit away
  // It integrates to one.
  double area = 0.0;
  for (double x = k.low(); x < k.high(); x += 0.001)
    area += k(x) * 0.001;
  QVERIFY(std::abs(area - 1.0) < 1e-3);
}

void TestProtocol::densityComparison() {
  const KernelDensity p({0.0, 1.0, 2.0, 3.0});
  const DensityComparison same = compareDensities(p, p);
  QVERIFY(std::abs(same.overlap - 1.0) < 1e-3);
  QVERIFY(same.klDivergence < 1e-6);
  const KernelDensity far({100.0, 101.0, 102.0, 103.0});
  const DensityComparison apart = compareDensities(p, far);
  QVERIFY(apart.overlap < 1e-6);
  QVERIFY(apart.klDivergence > 10.0);
  // Shifted by one bandwidth: between the two, and the same both ways.
  const KernelDensity shifted({0.9, 1.9, 2.9, 3.9});
  const DensityComparison near = compareDensities(p, shifted);
  QVERIFY(near.overlap > 0.3 && near.overlap < 0.95);
  QVERIFY(std::abs(compareDensities(shifted, p).overlap - near.overlap) < 1e-6);
}

void TestProtocol::setsLikeTheReferenceOverlapMore() {
  // The reference: short C-major melodies of 6 to 12 notes; "like" takes are more of them;
  // "unlike" takes are long chromatic runs.
  std::vector<ProtocolFeatures> reference, like, unlike;
  for (int i = 0; i < 8; ++i) {
    midi::Score m;
    midi::Track t;
    const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
    for (int n = 0; n < 6 + (i % 4) * 2; ++n)
      t.notes.push_back({n * 480, 480, static_cast<std::uint8_t>(scale[(n * (i + 1)) % 8]), 80});
    m.tracks = {t};
    (i % 2 ? like : reference).push_back(protocolFeatures(m));
    midi::Score c;
    midi::Track u;
    for (int n = 0; n < 60; ++n)
      u.notes.push_back({n * 60, 60, static_cast<std::uint8_t>(40 + n), 80});
    c.tracks = {u};
    unlike.push_back(protocolFeatures(c));
  }
  const ProtocolComparison good = compareSets(like, reference);
  const ProtocolComparison bad = compareSets(unlike, reference);
  QVERIFY2(good.meanOverlap() > bad.meanOverlap() + 0.3,
           qPrintable(QStringLiteral("%1 vs %2").arg(good.meanOverlap()).arg(bad.meanOverlap())));
  QVERIFY(bad.features[3].overlap < 0.01); // pitch range: 59 against at most 12
  QCOMPARE(compareSets({}, reference).meanOverlap(), 0.0);
  const std::string json = protocolJsonMembers(good, false);
  QVERIFY(json.find("\"pitch_count\": ") == 0);
  QVERIFY(json.find("\"note_length_transitions\": ") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
