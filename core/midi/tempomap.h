#pragma once

#include "midi/score.h"

#include <cstdint>
#include <vector>

namespace lyrebird::midi {

/// Converts between ticks and seconds through a score's tempo changes.
/// Immutable after construction; safe to use from any thread. O(log n) per lookup.
class TempoMap {
public:
  /// `tempos` need not start at tick 0: 120 BPM applies before the first change.
  /// Changes at the same tick: the last one wins. ticksPerQuarter must be > 0.
  TempoMap(int ticksPerQuarter, const std::vector<TempoChange>& tempos);
  explicit TempoMap(const Score& score);

  /// Seconds from the start of the piece to `ticks` (ticks may exceed the last change).
  double seconds(std::int64_t ticks) const;
  /// Inverse of seconds(); rounds to the nearest tick; negative input gives 0.
  std::int64_t ticks(double seconds) const;
  /// Tempo in force at `ticks`, in microseconds per quarter note.
  std::uint32_t microsecondsPerQuarter(std::int64_t ticks) const;

  /// Fast seconds() for a non-decreasing sequence of ticks: O(1) amortized per call.
  /// Borrows the TempoMap, which must outlive it.
  class Walker {
  public:
    explicit Walker(const TempoMap& map) : m_map(map) {}
    /// `ticks` must be >= the previous call's.
    double seconds(std::int64_t ticks);

  private:
    const TempoMap& m_map;
    std::size_t m_index = 0;
  };

private:
  struct Segment {
    std::int64_t startTicks;
    double startSeconds;
    double secondsPerTick;
    std::uint32_t microsecondsPerQuarter;
  };
  const Segment& segmentAtTicks(std::int64_t ticks) const;

  std::vector<Segment> m_segments; // never empty, sorted by startTicks, first at 0
};

} // namespace lyrebird::midi
