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

} // namespace lyrebird::midi
