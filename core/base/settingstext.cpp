#include "base/settingstext.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace lyrebird {

std::optional<std::string>
forEachSetting(std::string_view text,
               const std::function<bool(std::string_view key, const std::string& value)>& handle) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view row = text.substr(pos, end - pos);
    pos = end + 1;
    if (row.empty()) continue;
    const std::size_t eq = row.find('=');
    if (eq == std::string_view::npos || !handle(row.substr(0, eq), std::string(row.substr(eq + 1)))) {
      return "the line '" + std::string(row) + "' is not understood";
    }
  }
  return std::nullopt;
}

void appendSetting(std::string& out, std::string_view key, std::string_view value) {
  out.append(key);
  out += '=';
  out.append(value);
  out += '\n';
}

std::string exactNumber(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

bool parseNumber(const std::string& text, int& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

bool parseNumber(const std::string& text, std::uint64_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

bool parseNumber(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

} // namespace lyrebird
