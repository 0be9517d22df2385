#include "midi/text.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace lyrebird::midi {

namespace {

bool isValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    int continuation = 0;
    if (c < 0x80) {
      continuation = 0;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      continuation = 1;
    } else if ((c & 0xF0) == 0xE0) {
      continuation = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      continuation = 3;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(continuation) >= s.size()) {
      return false;
    }
    for (int k = 1; k <= continuation; ++k) {
      if ((static_cast<std::uint8_t>(s[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += static_cast<std::size_t>(continuation) + 1;
  }
  return true;
}

} // namespace

std::string textToUtf8(std::string_view bytes) {
  while (!bytes.empty() && (bytes.back() == '\0' || bytes.back() == ' ' || bytes.back() == '\r' ||
                            bytes.back() == '\n' || bytes.back() == '\t')) {
    bytes.remove_suffix(1);
  }
  std::string out;
  if (isValidUtf8(bytes)) {
    out.assign(bytes);
  } else {
    out.reserve(bytes.size() * 2);
    for (char ch : bytes) {
      const auto c = static_cast<std::uint8_t>(ch);
      if (c < 0x80) {
        out.push_back(ch);
      } else {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
  }
  // Control characters other than tab/newline make names unreadable in tables and JSON.
  for (char& ch : out) {
    if (static_cast<std::uint8_t>(ch) < 0x20 && ch != '\n' && ch != '\t') {
      ch = ' ';
    }
  }
  return out;
}

} // namespace lyrebird::midi
