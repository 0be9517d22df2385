#include "generate/copyguard.h"

#include <algorithm>

namespace lyrebird::generate {

bool CopyGuard::wouldCopy(std::span<const std::uint8_t> pitches, std::int64_t ticks) {
  if (!active() || pitches.empty()) return false;
  const auto run = static_cast<std::size_t>(m_index.notes());
  const std::size_t before = ticks == m_onsetTicks ? m_onsetStart : m_heard.size(); // earlier onsets
  const std::size_t from = before - std::min(before, run - 1);
  m_candidate.assign(m_heard.begin() + static_cast<std::ptrdiff_t>(from), m_heard.end());
  m_candidate.insert(m_candidate.end(), pitches.begin(), pitches.end());
  // The joined chord is heard lowest first: only runs ending in it are new.
  std::sort(m_candidate.begin() + static_cast<std::ptrdiff_t>(before - from), m_candidate.end());
  return m_index.containsRunEndingFrom(m_candidate, before - from);
}

void CopyGuard::place(std::span<const std::uint8_t> pitches, std::int64_t ticks) {
  if (!active() || pitches.empty()) return;
  if (ticks != m_onsetTicks) {
    m_onsetStart = m_heard.size();
    m_onsetTicks = ticks;
  }
  m_heard.insert(m_heard.end(), pitches.begin(), pitches.end());
  std::sort(m_heard.begin() + static_cast<std::ptrdiff_t>(m_onsetStart), m_heard.end());
  // Only the last run's worth before the latest onset is ever asked about.
  const auto run = static_cast<std::size_t>(m_index.notes());
  if (m_onsetStart > 4096) {
    const std::size_t drop = m_onsetStart - run;
    m_heard.erase(m_heard.begin(), m_heard.begin() + static_cast<std::ptrdiff_t>(drop));
    m_onsetStart -= drop;
  }
}

} // namespace lyrebird::generate
