#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lyrebird::tokenize {

/// Token ids are small: every stream of the corpus is stored as uint16.
using TokenId = std::uint16_t;

/// Token <-> id with occurrence counts. Id 0 is always the unknown token "<unk>", which
/// stands for anything pruned or never seen. Not thread-safe for writes; const use is.
class Vocabulary {
public:
  static constexpr TokenId kUnknown = 0;
  static constexpr std::size_t kMaxSize = 65535;
  static constexpr std::string_view kUnknownToken = "<unk>";

  Vocabulary();

  /// Adds one occurrence of `token` (creating it if new) and returns its id; returns
  /// kUnknown once the vocabulary is full.
  TokenId add(std::string_view token, std::uint64_t count = 1);
  /// The id of `token`, or kUnknown.
  TokenId id(std::string_view token) const;
  bool contains(std::string_view token) const { return m_index.count(std::string(token)) != 0; }
  /// The text of `id`; "<unk>" for ids out of range.
  const std::string& token(TokenId id) const;
  std::uint64_t count(TokenId id) const { return id < m_counts.size() ? m_counts[id] : 0; }
  std::size_t size() const { return m_tokens.size(); }

  /// A copy that keeps only tokens seen at least `minCount` times; the counts of the
  /// others are added to "<unk>". Surviving tokens keep their relative order.
  Vocabulary pruned(std::uint64_t minCount) const;

  /// Text form: a header line, then one "count<TAB>token" line per id in order.
  std::string serialize() const;
  /// Parses serialize()'s output; ErrorKind::Corrupt with a reason on anything else.
  static Result<Vocabulary> deserialize(std::string_view text);

  /// The same tokens under the same ids (the counts may differ).
  bool sameTokens(const Vocabulary& other) const { return m_tokens == other.m_tokens; }

  friend bool operator==(const Vocabulary& a, const Vocabulary& b) {
    return a.m_tokens == b.m_tokens && a.m_counts == b.m_counts;
  }

private:
  std::vector<std::string> m_tokens;
  std::vector<std::uint64_t> m_counts;
  std::unordered_map<std::string, TokenId> m_index;
};

} // namespace lyrebird::tokenize
