#pragma once

#include "base/result.h"
#include "midi/score.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace lyrebird::midi {

/// Encodes a Score as a format 1 Standard MIDI File: a conductor track (title,
/// copyright, tempo map, time and key signatures) followed by one track per Score
/// track (name, program change, notes, controllers, pitch bends). Reading the result
/// with readSmf() gives the same notes, tempo map and signatures. Thread-safe.
std::vector<std::uint8_t> writeSmf(const Score& score);

/// Writes writeSmf(score) to `path` atomically: the bytes go to a temporary file in the
/// same folder, which is renamed over `path` only once fully written and flushed, so a
/// failure never leaves half a file. Errors: ErrorKind::Io with the reason.
Status writeSmfFile(const Score& score, const std::filesystem::path& path);

} // namespace lyrebird::midi
