#include "tokenize/vocabulary.h"

#include <charconv>

namespace lyrebird::tokenize {

namespace {
constexpr std::string_view kHeader = "lyrebird-vocabulary 1";
}

Vocabulary::Vocabulary() {
  m_tokens.emplace_back(kUnknownToken);
  m_counts.push_back(0);
  m_index.emplace(std::string(kUnknownToken), kUnknown);
}

TokenId Vocabulary::add(std::string_view token, std::uint64_t count) {
  auto it = m_index.find(std::string(token));
  if (it != m_index.end()) {
    m_counts[it->second] += count;
    return it->second;
  }
  if (m_tokens.size() >= kMaxSize) {
    m_counts[kUnknown] += count;
    return kUnknown;
  }
  const auto id = static_cast<TokenId>(m_tokens.size());
  m_tokens.emplace_back(token);
  m_counts.push_back(count);
  m_index.emplace(std::string(token), id);
  return id;
}

TokenId Vocabulary::id(std::string_view token) const {
  auto it = m_index.find(std::string(token));
  return it == m_index.end() ? kUnknown : it->second;
}

const std::string& Vocabulary::token(TokenId id) const {
  return id < m_tokens.size() ? m_tokens[id] : m_tokens[kUnknown];
}

Vocabulary Vocabulary::pruned(std::uint64_t minCount) const {
  Vocabulary out;
  out.m_counts[kUnknown] = m_counts[kUnknown];
  for (std::size_t i = 1; i < m_tokens.size(); ++i) {
    if (m_counts[i] >= minCount) {
      out.add(m_tokens[i], m_counts[i]);
    } else {
      out.m_counts[kUnknown] += m_counts[i];
    }
  }
  return out;
}

std::string Vocabulary::serialize() const {
  std::string text(kHeader);
  text += '\n';
  for (std::size_t i = 0; i < m_tokens.size(); ++i) {
    text += std::to_string(m_counts[i]);
    text += '\t';
    text += m_tokens[i];
    text += '\n';
  }
  return text;
}

Result<Vocabulary> Vocabulary::deserialize(std::string_view text) {
  auto corrupt = [](std::string message) { return Error{ErrorKind::Corrupt, {}, -1, std::move(message)}; };
  const std::size_t headerEnd = text.find('\n');
  if (headerEnd == std::string_view::npos || text.substr(0, headerEnd) != kHeader) {
    return corrupt("The vocabulary does not start with its header; it is not a Lyrebird vocabulary.");
  }
  Vocabulary vocabulary;
  std::size_t pos = headerEnd + 1;
  std::size_t line = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      return corrupt("The vocabulary ends in the middle of a line; it is incomplete.");
    }
    const std::string_view row = text.substr(pos, end - pos);
    const std::size_t tab = row.find('\t');
    std::uint64_t count = 0;
    if (tab == std::string_view::npos || std::from_chars(row.data(), row.data() + tab, count).ec != std::errc{}) {
      return corrupt("Line " + std::to_string(line + 2) + " of the vocabulary is not 'count<TAB>token'.");
    }
    const std::string_view token = row.substr(tab + 1);
    if (line == 0) {
      if (token != kUnknownToken) return corrupt("The vocabulary's first token must be <unk>.");
      vocabulary.m_counts[kUnknown] = count;
    } else {
      if (vocabulary.contains(token)) {
        return corrupt("The token '" + std::string(token) + "' appears twice in the vocabulary.");
      }
      if (vocabulary.size() >= kMaxSize) return corrupt("The vocabulary has more than 65535 tokens.");
      vocabulary.add(token, count);
    }
    ++line;
    pos = end + 1;
  }
  if (line == 0) return corrupt("The vocabulary is empty.");
  return vocabulary;
}

} // namespace lyrebird::tokenize
