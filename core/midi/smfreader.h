#pragma once

#include "base/result.h"
#include "midi/score.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

namespace lyrebird::midi {

/// What a Standard MIDI File held, besides its Score.
struct SmfFile {
  Score score;
  int format = 1;               ///< 0, 1 or 2 as declared by the header
  int declaredTracks = 0;       ///< track count in the header (may disagree with trackChunks)
  int trackChunks = 0;          ///< MTrk chunks actually found
  int smpteFramesPerSecond = 0; ///< 24, 25, 29 (29.97 drop-frame) or 30 for SMPTE timing, else 0
  std::size_t bytes = 0;        ///< size of the file (or buffer) read
  std::vector<Error> warnings;  ///< recoverable problems; the score holds what could be read
};

/// Files larger than this are refused (ErrorKind::TooLarge) before any allocation.
inline constexpr std::size_t kMaxSmfBytes = 256u * 1024u * 1024u;

/// Parses a Standard MIDI File (formats 0, 1, 2; PPQ or SMPTE time division; optionally
/// wrapped in a RIFF RMID container). Thread-safe; never throws; never allocates more
/// than a small multiple of bytes.size(). `path` is only used in error messages.
///
/// Policy for damaged input: problems that leave the notes readable (a track cut short,
/// a wrong track count in the header, stray bytes at the end, system messages that do
/// not belong in a file) become warnings; anything that makes the rest unreadable is an
/// Error with the byte offset where reading stopped.
///
/// Note pairing: a note-off (or note-on with velocity 0) ends the earliest still-sounding
/// note of that pitch and channel; notes never released end where their track ends.
/// Format 2 tracks are independent patterns and are laid out one after another.
Result<SmfFile> readSmf(std::span<const std::uint8_t> bytes, std::string_view path = {});

/// Reads the file at `path` and parses it with readSmf().
Result<SmfFile> readSmfFile(const std::filesystem::path& path);

} // namespace lyrebird::midi
