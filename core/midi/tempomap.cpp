#include "midi/tempomap.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace lyrebird::midi {

namespace {
constexpr std::uint32_t kDefaultMicrosecondsPerQuarter = 500000;
}

TempoMap::TempoMap(int ticksPerQuarter, const std::vector<TempoChange>& tempos) {
  assert(ticksPerQuarter > 0);
  const double ticksPerQuarterD = static_cast<double>(ticksPerQuarter);
  auto secondsPerTick = [&](std::uint32_t usPerQuarter) {
    return static_cast<double>(usPerQuarter) / 1e6 / ticksPerQuarterD;
  };
  m_segments.push_back({0, 0.0, secondsPerTick(kDefaultMicrosecondsPerQuarter), kDefaultMicrosecondsPerQuarter});
  for (const TempoChange& change : tempos) {
    const std::int64_t at = std::max<std::int64_t>(0, change.ticks);
    const std::uint32_t usPerQuarter =
        change.microsecondsPerQuarter > 0 ? change.microsecondsPerQuarter : kDefaultMicrosecondsPerQuarter;
    Segment& last = m_segments.back();
    if (at <= last.startTicks) {
      last.secondsPerTick = secondsPerTick(usPerQuarter); // same tick (or unsorted): last wins
      last.microsecondsPerQuarter = usPerQuarter;
      continue;
    }
    const double startSeconds = last.startSeconds + static_cast<double>(at - last.startTicks) * last.secondsPerTick;
    m_segments.push_back({at, startSeconds, secondsPerTick(usPerQuarter), usPerQuarter});
  }
}

TempoMap::TempoMap(const Score& score) : TempoMap(score.ticksPerQuarter, score.tempos) {}

const TempoMap::Segment& TempoMap::segmentAtTicks(std::int64_t ticks) const {
  auto it = std::upper_bound(m_segments.begin(), m_segments.end(), ticks,
                             [](std::int64_t t, const Segment& s) { return t < s.startTicks; });
  return it == m_segments.begin() ? m_segments.front() : *std::prev(it);
}

double TempoMap::seconds(std::int64_t ticks) const {
  const Segment& segment = segmentAtTicks(ticks);
  return segment.startSeconds + static_cast<double>(ticks - segment.startTicks) * segment.secondsPerTick;
}

double TempoMap::Walker::seconds(std::int64_t ticks) {
  const std::vector<Segment>& segments = m_map.m_segments;
  while (m_index + 1 < segments.size() && segments[m_index + 1].startTicks <= ticks) {
    ++m_index;
  }
  const Segment& segment = segments[m_index];
  return segment.startSeconds + static_cast<double>(ticks - segment.startTicks) * segment.secondsPerTick;
}

std::int64_t TempoMap::ticks(double seconds) const {
  if (!(seconds > 0.0)) {
    return 0;
  }
  auto it = std::upper_bound(m_segments.begin(), m_segments.end(), seconds,
                             [](double s, const Segment& seg) { return s < seg.startSeconds; });
  const Segment& segment = it == m_segments.begin() ? m_segments.front() : *std::prev(it);
  return segment.startTicks +
         static_cast<std::int64_t>(std::llround((seconds - segment.startSeconds) / segment.secondsPerTick));
}

std::uint32_t TempoMap::microsecondsPerQuarter(std::int64_t ticks) const {
  return segmentAtTicks(ticks).microsecondsPerQuarter;
}

} // namespace lyrebird::midi
