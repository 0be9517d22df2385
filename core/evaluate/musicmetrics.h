#pragma once

#include "midi/score.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lyrebird::evaluate {

/// Bins of the inter-onset-interval histogram, in seconds: [0, 1/16), [1/16, 1/8), [1/8, 1/4),
/// [1/4, 1/2), [1/2, 1), [1, 2), [2, inf).
inline constexpr std::array<double, 6> kIoiEdgesSeconds = {0.0625, 0.125, 0.25, 0.5, 1.0, 2.0};
inline constexpr std::size_t kIoiBins = kIoiEdgesSeconds.size() + 1;

/// Musical measurements of one piece, independent of any tokenizer: they read the notes
/// of every non-drum track (times through the tempo map). In the spirit of MusPy's metrics
/// (Dong et al. 2020); each one is defined where it is declared. Empty pieces give zeros.
struct MusicMetrics {
  std::size_t notes = 0;
  double seconds = 0.0; ///< end of the last note
  int pitchRange = 0;   ///< highest minus lowest pitch
  int pitchesUsed = 0;  ///< distinct pitches
  /// Share of notes on each pitch class (C = 0); sums to 1 (all 0 without notes).
  std::array<double, 12> pitchClassHistogram{};
  /// Mean number of notes sounding, over the time when at least one sounds.
  double polyphony = 0.0;
  /// The largest share of notes inside one major (or natural minor) scale, over all 12 keys.
  double scaleConsistency = 0.0;
  /// Share of beats (quarter notes from 0 to the end of the last note) in which no note starts.
  double emptyBeatRate = 0.0;
  double noteDensity = 0.0; ///< notes per second
  /// Share of intervals between successive onset times in each bin of kIoiEdgesSeconds.
  std::array<double, kIoiBins> ioiHistogram{};
  /// 1 minus the mean Hamming distance between the onset patterns (on a sixteenth grid) of
  /// successive bars (time signature from the start), as a share of the grid; 1 for < 2 bars.
  double grooveConsistency = 1.0;
  /// The longest run of one onset group (a pitch, or the chord of pitches starting together)
  /// repeated back to back, in onsets.
  int longestRepeat = 0;
  /// Distinct 4-grams of onset groups over all 4-grams (1 = never repeats; 0 without any).
  double distinct4gramRatio = 0.0;
};

MusicMetrics measure(const midi::Score& score);

/// Total variation distance between two histograms (half the L1 distance): 0 for equal
/// distributions, 1 for disjoint ones.
template <std::size_t N> double histogramDistance(const std::array<double, N>& a, const std::array<double, N>& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < N; ++i)
    sum += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
  return sum / 2.0;
}

/// How far a set of pieces lies from another set as a whole: the energy distance (Székely
/// and Rizzo) between their per-piece histograms under histogramDistance(),
/// 2·E d(X,Y) − E d(X,X′) − E d(Y,Y′), every mean over all pairs (the V-statistic: never
/// below 0, 0 for two equal sets, 2 at most). Unlike a piece's distance to a pooled
/// histogram it rewards a set that varies as the corpus does: a set whose every piece is the
/// corpus's average (all its keys mixed in each) sits close to the pooled histogram piece by
/// piece, yet far from a corpus of pieces that each keep to one key. Small sets read high
/// (the within-set means count each piece against itself); compare sets of equal size. Empty
/// sets give 0.
template <std::size_t N>
double energyDistance(const std::vector<std::array<double, N>>& a, const std::vector<std::array<double, N>>& b) {
  if (a.empty() || b.empty()) return 0.0;
  auto meanDistance = [](const std::vector<std::array<double, N>>& x, const std::vector<std::array<double, N>>& y) {
    double sum = 0.0;
    for (const auto& p : x)
      for (const auto& q : y)
        sum += histogramDistance(p, q);
    return sum / (static_cast<double>(x.size()) * static_cast<double>(y.size()));
  };
  const double e = 2.0 * meanDistance(a, b) - meanDistance(a, a) - meanDistance(b, b);
  return e > 0.0 ? e : 0.0; // rounding only: the V-statistic of a metric of negative type is >= 0
}

/// A set of pieces against a reference set: energyDistance() of their pitch-class and of
/// their inter-onset-interval histograms.
struct SetDistances {
  double pitchClass = 0.0;
  double ioi = 0.0;
};
SetDistances setDistances(const std::vector<MusicMetrics>& pieces, const std::vector<MusicMetrics>& reference);

/// What held-out music looks like: histograms pooled over all its notes and onsets, the
/// other metrics averaged over its pieces.
struct ReferenceProfile {
  std::size_t pieces = 0;
  MusicMetrics mean; ///< histograms pooled (by notes / intervals), the rest averaged per piece
};
ReferenceProfile referenceProfile(const std::vector<const midi::Score*>& pieces);

/// The pitches of a piece's non-drum notes in onset order (lowest first within a chord):
/// the sequence copies are looked for in (corpus::pitchSequence, which the generator guards on).
std::vector<int> pitchSequence(const midi::Score& score);

/// How much of a generated piece is found verbatim in the training music.
struct Originality {
  /// Share of the piece's n-note windows (n = 8) that occur in some training piece.
  double copiedNgramShare = 0.0;
  /// The longest run of consecutive notes (pitches) that occurs in one training piece.
  int longestCopyNotes = 0;
};

/// Exact pitch matches within single training pieces (a copy never spans two pieces).
/// Linear in the training music per probe: a set of the piece's n-grams is matched against
/// rolling hashes of the training sequences, and the longest copy is found by bisection.
Originality originality(const std::vector<std::vector<int>>& training, const std::vector<int>& piece, int n = 8);

/// A take's metrics against the held-out reference and the training set.
struct TakeEvaluation {
  MusicMetrics metrics;
  double pcHistDistance = 0.0;  ///< pitch-class histogram vs the reference's
  double ioiHistDistance = 0.0; ///< inter-onset-interval histogram vs the reference's
  Originality originality;
};
TakeEvaluation evaluateTake(const midi::Score& take, const ReferenceProfile& reference,
                            const std::vector<std::vector<int>>& training);

/// The metrics as JSON object members ("\"notes\": 12, ..."), without braces, for reports.
std::string metricsJsonMembers(const MusicMetrics& metrics);
std::string takeJsonMembers(const TakeEvaluation& take);

} // namespace lyrebird::evaluate
