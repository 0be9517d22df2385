#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lyrebird::midi {

/// MIDI text meta events carry bytes in no declared encoding (ASCII, Latin-1, Shift-JIS...).
/// Returns valid UTF-8: the bytes unchanged when they already are UTF-8, otherwise each
/// byte read as Latin-1. Trailing NULs and white space are removed.
std::string textToUtf8(std::string_view bytes);

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

} // namespace lyrebird::midi
