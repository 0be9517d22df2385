#pragma once

#include "base/result.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace lyrebird {

/// Writes `bytes` to `path` atomically: they go to a temporary file in the same folder, which
/// is renamed over `path` only once fully written and flushed, so a failure never leaves half a
/// file (a model, a MIDI file, settings). Errors: ErrorKind::Io with the path and the reason.
Status writeFileAtomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

} // namespace lyrebird
