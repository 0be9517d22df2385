#include "evaluate/protocol.h"

#include "midi/tempomap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace lyrebird::evaluate {

const std::array<const char*, kProtocolFeatureCount> kProtocolFeatureNames = {
    "pitch_count", "pitch_class_histogram",  "pitch_class_transitions",
    "pitch_range", "average_pitch_interval", "note_count",
    "average_ioi", "note_length_histogram",  "note_length_transitions"};

namespace {

struct Timed {
  std::int64_t startTicks;
  double startSeconds;
  double quarters;
  int pitch;
};

std::size_t lengthClass(double quarters) {
  std::size_t best = 0;
  double bestDistance = INFINITY;
  const double x = std::log2(std::max(quarters, 1e-3));
  for (std::size_t i = 0; i < kNoteLengthQuarters.size(); ++i) {
    const double d = std::abs(x - std::log2(kNoteLengthQuarters[i]));
    if (d < bestDistance - 1e-12) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

template <std::size_t N> void normalize(std::array<double, N>& values) {
  const double sum = std::accumulate(values.begin(), values.end(), 0.0);
  if (sum > 0.0)
    for (double& v : values)
      v /= sum;
}

template <std::size_t N> double euclidean(const std::array<double, N>& a, const std::array<double, N>& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < N; ++i)
    sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

} // namespace

ProtocolFeatures protocolFeatures(const midi::Score& score) {
  ProtocolFeatures f;
  const midi::TempoMap tempo(score);
  const double tpq = score.ticksPerQuarter > 0 ? score.ticksPerQuarter : 480;
  std::vector<Timed> notes;
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& n : track.notes) {
      notes.push_back({n.startTicks, tempo.seconds(n.startTicks), static_cast<double>(n.durationTicks) / tpq, n.pitch});
    }
  }
  std::sort(notes.begin(), notes.end(), [](const Timed& a, const Timed& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  if (notes.empty()) return f;
  f.noteCount = static_cast<double>(notes.size());
  std::array<bool, 128> used{};
  int lowest = 127, highest = 0;
  double intervals = 0.0;
  double ioiSum = 0.0;
  std::size_t iois = 0;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const Timed& n = notes[i];
    used[static_cast<std::size_t>(n.pitch)] = true;
    lowest = std::min(lowest, n.pitch);
    highest = std::max(highest, n.pitch);
    f.pitchClassHistogram[static_cast<std::size_t>(n.pitch % 12)] += 1.0;
    const std::size_t length = lengthClass(n.quarters);
    f.noteLengthHistogram[length] += 1.0;
    if (i > 0) {
      const Timed& p = notes[i - 1];
      intervals += std::abs(n.pitch - p.pitch);
      f.pitchClassTransitions[static_cast<std::size_t>(p.pitch % 12) * 12 + static_cast<std::size_t>(n.pitch % 12)] +=
          1.0;
      f.noteLengthTransitions[lengthClass(p.quarters) * 12 + length] += 1.0;
      if (n.startTicks != p.startTicks) {
        ioiSum += n.startSeconds - p.startSeconds;
        ++iois;
      }
    }
  }
  f.pitchCount = static_cast<double>(std::count(used.begin(), used.end(), true));
  f.pitchRange = highest - lowest;
  f.averagePitchInterval = notes.size() > 1 ? intervals / static_cast<double>(notes.size() - 1) : 0.0;
  f.averageIoiSeconds = iois ? ioiSum / static_cast<double>(iois) : 0.0;
  normalize(f.pitchClassHistogram);
  normalize(f.pitchClassTransitions);
  normalize(f.noteLengthHistogram);
  normalize(f.noteLengthTransitions);
  return f;
}

double featureDistance(const ProtocolFeatures& a, const ProtocolFeatures& b, std::size_t feature) {
  switch (feature) {
  case 0: return std::abs(a.pitchCount - b.pitchCount);
  case 1: return euclidean(a.pitchClassHistogram, b.pitchClassHistogram);
  case 2: return euclidean(a.pitchClassTransitions, b.pitchClassTransitions);
  case 3: return std::abs(a.pitchRange - b.pitchRange);
  case 4: return std::abs(a.averagePitchInterval - b.averagePitchInterval);
  case 5: return std::abs(a.noteCount - b.noteCount);
  case 6: return std::abs(a.averageIoiSeconds - b.averageIoiSeconds);
  case 7: return euclidean(a.noteLengthHistogram, b.noteLengthHistogram);
  case 8: return euclidean(a.noteLengthTransitions, b.noteLengthTransitions);
  default: return 0.0;
  }
}

KernelDensity::KernelDensity(std::vector<double> samples) : m_samples(std::move(samples)) {
  const auto n = static_cast<double>(m_samples.size());
  if (m_samples.empty()) return;
  const double mean = std::accumulate(m_samples.begin(), m_samples.end(), 0.0) / n;
  double variance = 0.0;
  for (double x : m_samples)
    variance += (x - mean) * (x - mean);
  variance = m_samples.size() > 1 ? variance / (n - 1.0) : 0.0;
  // Scott's factor n^(-1/5) times the sample deviation; without spread, a kernel a hundredth of
  // the value's size (or 1e-3) wide, so equal sets still overlap fully and distinct ones do not.
  const double spread = std::sqrt(variance);
  m_bandwidth = spread > 0.0 ? spread * std::pow(n, -0.2) : std::max(1e-3, 0.01 * std::abs(mean));
}

double KernelDensity::operator()(double x) const {
  if (m_samples.empty()) return 0.0;
  constexpr double kInvSqrt2Pi = 0.3989422804014327;
  double sum = 0.0;
  for (double s : m_samples) {
    const double z = (x - s) / m_bandwidth;
    sum += std::exp(-0.5 * z * z);
  }
  return sum * kInvSqrt2Pi / (m_bandwidth * static_cast<double>(m_samples.size()));
}

double KernelDensity::low() const {
  return m_samples.empty() ? 0.0 : *std::min_element(m_samples.begin(), m_samples.end()) - 4.0 * m_bandwidth;
}
double KernelDensity::high() const {
  return m_samples.empty() ? 0.0 : *std::max_element(m_samples.begin(), m_samples.end()) + 4.0 * m_bandwidth;
}

DensityComparison compareDensities(const KernelDensity& p, const KernelDensity& q) {
  DensityComparison c;
  if (p.empty() || q.empty()) return c;
  const double low = std::min(p.low(), q.low());
  const double high = std::max(p.high(), q.high());
  // Fine enough that the narrower kernel spans many steps.
  const int steps =
      static_cast<int>(std::clamp((high - low) / (0.05 * std::min(p.bandwidth(), q.bandwidth())), 2000.0, 200000.0));
  const double dx = (high - low) / steps;
  constexpr double kFloor = 1e-12; // keeps the divergence finite where q has no mass
  for (int i = 0; i < steps; ++i) {
    const double x = low + (i + 0.5) * dx;
    const double a = p(x), b = q(x);
    c.overlap += std::min(a, b) * dx;
    if (a > kFloor) c.klDivergence += a * std::log(a / std::max(b, kFloor)) * dx;
  }
  c.overlap = std::clamp(c.overlap, 0.0, 1.0);
  c.klDivergence = std::max(0.0, c.klDivergence);
  return c;
}

double ProtocolComparison::meanOverlap() const {
  double sum = 0.0;
  for (const DensityComparison& f : features)
    sum += f.overlap;
  return sum / static_cast<double>(features.size());
}

ProtocolComparison compareSets(const std::vector<ProtocolFeatures>& pieces,
                               const std::vector<ProtocolFeatures>& reference) {
  ProtocolComparison result;
  if (pieces.empty() || reference.size() < 2) return result;
  for (std::size_t f = 0; f < kProtocolFeatureCount; ++f) {
    std::vector<double> intra, inter;
    for (std::size_t i = 0; i < reference.size(); ++i) {
      for (std::size_t j = i + 1; j < reference.size(); ++j)
        intra.push_back(featureDistance(reference[i], reference[j], f));
    }
    for (const ProtocolFeatures& p : pieces) {
      for (const ProtocolFeatures& r : reference)
        inter.push_back(featureDistance(p, r, f));
    }
    result.features[f] = compareDensities(KernelDensity(std::move(intra)), KernelDensity(std::move(inter)));
  }
  return result;
}

std::string protocolJsonMembers(const ProtocolComparison& comparison, bool kl) {
  std::string json;
  for (std::size_t f = 0; f < kProtocolFeatureCount; ++f) {
    char value[32];
    std::snprintf(value, sizeof value, "%.6g",
                  kl ? comparison.features[f].klDivergence : comparison.features[f].overlap);
    json += (f ? ", \"" : "\"") + std::string(kProtocolFeatureNames[f]) + "\": " + value;
  }
  return json;
}

} // namespace lyrebird::evaluate
