#pragma once

#include "base/result.h"

#include <filesystem>
#include <vector>

namespace lyrebird::audio {

/// Where Lyrebird looks for a General MIDI SoundFont, in order.
struct SoundFontSearch {
  std::filesystem::path userChoice;                  ///< from settings or --soundfont; tried first
  std::vector<std::filesystem::path> bundledFolders; ///< the app's soundfonts folders
  std::vector<std::filesystem::path> systemFiles = defaultSystemFiles();

  /// Debian's default GM SoundFont links and the common packages' files.
  static std::vector<std::filesystem::path> defaultSystemFiles();
};

/// True when `path` is a readable RIFF 'sfbk' file (SF2, or SF3 with compressed samples);
/// otherwise an Error saying why (missing, unreadable, not a SoundFont).
Status checkSoundFont(const std::filesystem::path& path);

/// The first usable SoundFont of `search`. A user's choice that is unusable is an Error
/// (it is never silently replaced); with no choice, the bundled folders' .sf2/.sf3 files
/// (in name order), then the system files. An Error that lists what was tried when none is usable.
Result<std::filesystem::path> findSoundFont(const SoundFontSearch& search);

} // namespace lyrebird::audio
