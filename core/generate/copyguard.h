#pragma once

#include "corpus/copyindex.h"

#include <cstdint>
#include <span>
#include <vector>

namespace lyrebird::generate {

/// Follows the pitches a generation places, in onset order with the lowest first within an
/// onset (as corpus::pitchSequence orders a finished piece), and tells before each new onset
/// whether it would complete a run of the training music's CopyIndex: Pachet and Roy's "no copy
/// longer than N notes" held while sampling, so no take repeats more than index.notes() - 1
/// pitches of a training file, in any key. An empty index guards nothing. Not thread-safe;
/// one per generation.
class CopyGuard {
public:
  explicit CopyGuard(const corpus::CopyIndex& index) : m_index(index) {}

  /// Whether the index guards anything.
  bool active() const { return !m_index.empty(); }

  /// Whether starting `pitches` at `ticks` (at or after the latest placed onset) would complete
  /// an indexed run. Pitches at the latest onset's time join its chord.
  bool wouldCopy(std::span<const std::uint8_t> pitches, std::int64_t ticks);

  /// Records `pitches` as started at `ticks` (not before the latest placed onset).
  void place(std::span<const std::uint8_t> pitches, std::int64_t ticks);

private:
  const corpus::CopyIndex& m_index;
  std::vector<int> m_heard;       // the placed pitches (the last few thousand)
  std::size_t m_onsetStart = 0;   // where the latest onset's pitches begin in m_heard
  std::int64_t m_onsetTicks = -1; // that onset's time
  std::vector<int> m_candidate;   // scratch for wouldCopy
};

} // namespace lyrebird::generate
