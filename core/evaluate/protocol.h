#pragma once

#include "midi/score.h"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace lyrebird::evaluate {

/// The features of Yang & Lerch (2020), "On the evaluation of generative models in music"
/// (their mgeval toolkit), of one piece's non-drum notes, in onset order (lowest first in a chord).
struct ProtocolFeatures {
  double pitchCount = 0.0;                         ///< distinct pitches
  std::array<double, 12> pitchClassHistogram{};    ///< share of notes per pitch class
  std::array<double, 144> pitchClassTransitions{}; ///< successive notes' pitch classes [from * 12 + to], shares
  double pitchRange = 0.0;                         ///< highest minus lowest pitch
  double averagePitchInterval = 0.0;               ///< mean |semitones| between successive notes
  double noteCount = 0.0;
  double averageIoiSeconds = 0.0;                  ///< mean time between successive distinct onsets
  std::array<double, 12> noteLengthHistogram{};    ///< share of notes per length class (kNoteLengthQuarters)
  std::array<double, 144> noteLengthTransitions{}; ///< successive notes' length classes, shares
};

/// The length classes of the note-length features, in quarter notes: whole, half, quarter,
/// eighth, sixteenth, their dotted forms, and half, quarter and eighth triplets (mgeval's
/// twelve). A note takes the class nearest its length on a logarithmic scale.
inline constexpr std::array<double, 12> kNoteLengthQuarters = {4.0, 2.0,  1.0,   0.5,       0.25,      3.0,
                                                               1.5, 0.75, 0.375, 4.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0};

ProtocolFeatures protocolFeatures(const midi::Score& score);

/// The nine features, in the order and with the JSON names the reports use.
inline constexpr std::size_t kProtocolFeatureCount = 9;
extern const std::array<const char*, kProtocolFeatureCount> kProtocolFeatureNames;

/// The distance between two pieces on feature `feature` (index into kProtocolFeatureNames):
/// the Euclidean distance of the vectors (histograms, matrices), the absolute difference of the
/// numbers.
double featureDistance(const ProtocolFeatures& a, const ProtocolFeatures& b, std::size_t feature);

/// A Gaussian kernel density estimate of `samples` (bandwidth by Scott's rule, as SciPy's
/// gaussian_kde; a set without spread gets a narrow kernel of its own).
class KernelDensity {
public:
  explicit KernelDensity(std::vector<double> samples);
  double operator()(double x) const;
  double bandwidth() const { return m_bandwidth; }
  double low() const;  ///< where the density has fallen to nothing (minimum - 4 bandwidths)
  double high() const; ///< maximum + 4 bandwidths
  bool empty() const { return m_samples.empty(); }

private:
  std::vector<double> m_samples;
  double m_bandwidth = 1.0;
};

/// How alike two distributions of distances are: the overlap area of their densities (1: the
/// same, 0: apart) and the Kullback–Leibler divergence of the second from the first (0: the
/// same), both integrated numerically over both supports.
struct DensityComparison {
  double overlap = 0.0;
  double klDivergence = 0.0;
};
DensityComparison compareDensities(const KernelDensity& p, const KernelDensity& q);

/// The protocol for a set of pieces against a reference set, per feature: the reference's
/// intra-set distances (every pair of its pieces) against the inter-set distances (every piece
/// with every reference piece), as densities. A set that is like the reference overlaps near 1.
struct ProtocolComparison {
  std::array<DensityComparison, kProtocolFeatureCount> features{};
  double meanOverlap() const;
};
ProtocolComparison compareSets(const std::vector<ProtocolFeatures>& pieces,
                               const std::vector<ProtocolFeatures>& reference);

/// JSON members `"pitch_count": 0.71, ...` of one measure (overlap or KL) per feature, for reports.
std::string protocolJsonMembers(const ProtocolComparison& comparison, bool kl);

} // namespace lyrebird::evaluate
