#include "corpus/copyindex.h"

#include <algorithm>
#include <iterator>

namespace lyrebird::corpus {

std::vector<int> pitchSequence(const midi::Score& score) {
  std::vector<std::pair<std::int64_t, int>> onsets;
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& n : track.notes)
      onsets.emplace_back(n.startTicks, n.pitch);
  }
  std::sort(onsets.begin(), onsets.end());
  std::vector<int> pitches;
  pitches.reserve(onsets.size());
  for (const auto& onset : onsets)
    pitches.push_back(onset.second);
  return pitches;
}

std::uint64_t CopyIndex::hashRun(std::span<const int> run) {
  // FNV-1a over the intervals, then a SplitMix64 finalizer so that near runs spread apart.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 1; i < run.size(); ++i) {
    h ^= static_cast<std::uint64_t>(run[i] - run[i - 1] + 256);
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

CopyIndex CopyIndex::build(std::span<const std::vector<int>> sequences, int notes) {
  CopyIndex index;
  index.m_notes = std::max(2, notes);
  const auto n = static_cast<std::size_t>(index.m_notes);
  for (const std::vector<int>& sequence : sequences) {
    for (std::size_t start = 0; start + n <= sequence.size(); ++start)
      index.m_hashes.push_back(hashRun(std::span(sequence).subspan(start, n)));
  }
  std::sort(index.m_hashes.begin(), index.m_hashes.end());
  index.m_hashes.erase(std::unique(index.m_hashes.begin(), index.m_hashes.end()), index.m_hashes.end());
  return index;
}

bool CopyIndex::contains(std::span<const int> run) const {
  if (m_hashes.empty() || run.size() != static_cast<std::size_t>(m_notes)) return false;
  return std::binary_search(m_hashes.begin(), m_hashes.end(), hashRun(run));
}

bool CopyIndex::containsRunEndingFrom(std::span<const int> sequence, std::size_t from) const {
  const auto n = static_cast<std::size_t>(m_notes);
  if (m_hashes.empty() || sequence.size() < n) return false;
  for (std::size_t end = std::max(from + 1, n); end <= sequence.size(); ++end) {
    if (contains(sequence.subspan(end - n, n))) return true;
  }
  return false;
}

CopyIndex CopyIndex::merged(const CopyIndex& other) const {
  if (other.m_hashes.empty()) return *this;
  if (m_hashes.empty()) return other;
  if (other.m_notes != m_notes) return *this; // runs of another length cannot be asked the same way
  CopyIndex index;
  index.m_notes = m_notes;
  index.m_hashes.reserve(m_hashes.size() + other.m_hashes.size());
  std::set_union(m_hashes.begin(), m_hashes.end(), other.m_hashes.begin(), other.m_hashes.end(),
                 std::back_inserter(index.m_hashes));
  return index;
}

std::string CopyIndex::serialize() const {
  std::string out;
  auto put = [&out](std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
      out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  out.reserve(12 + 8 * m_hashes.size());
  put(static_cast<std::uint32_t>(m_notes), 4);
  put(m_hashes.size(), 8);
  for (std::uint64_t h : m_hashes)
    put(h, 8);
  return out;
}

Result<CopyIndex> CopyIndex::deserialize(std::string_view bytes) {
  auto get = [&bytes](std::size_t at, int count) {
    std::uint64_t v = 0;
    for (int i = count - 1; i >= 0; --i)
      v = (v << 8) | static_cast<std::uint8_t>(bytes[at + static_cast<std::size_t>(i)]);
    return v;
  };
  const Error damaged{ErrorKind::Corrupt, {}, -1, "The model's index of its training music is damaged."};
  if (bytes.size() < 12) return damaged;
  CopyIndex index;
  const std::uint64_t notes = get(0, 4);
  const std::uint64_t count = get(4, 8);
  if (notes < 2 || notes > 4096 || count != (bytes.size() - 12) / 8 || (bytes.size() - 12) % 8 != 0) return damaged;
  index.m_notes = static_cast<int>(notes);
  index.m_hashes.resize(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < index.m_hashes.size(); ++i)
    index.m_hashes[i] = get(12 + 8 * i, 8);
  if (!std::is_sorted(index.m_hashes.begin(), index.m_hashes.end())) return damaged;
  return index;
}

} // namespace lyrebird::corpus
