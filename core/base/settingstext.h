#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lyrebird {

/// Settings text, as stored in model files: one "key=value" per line, empty lines ignored.
/// Calls `handle(key, value)` for each line; `handle` returns false when it does not know
/// the key or cannot use the value. Returns nullopt, or a sentence fragment saying what
/// is wrong ("the line 'x=y' is not understood").
std::optional<std::string>
forEachSetting(std::string_view text,
               const std::function<bool(std::string_view key, const std::string& value)>& handle);
/// Appends "key=value\n".
void appendSetting(std::string& out, std::string_view key, std::string_view value);
/// Exact text of a double ("%.17g"), so reading it back gives the same number.
std::string exactNumber(double value);
/// Whole-string number parsing; false on any other text.
bool parseNumber(const std::string& text, int& out);
bool parseNumber(const std::string& text, std::uint64_t& out);
bool parseNumber(const std::string& text, double& out);

} // namespace lyrebird
