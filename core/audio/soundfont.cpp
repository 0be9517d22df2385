#include "audio/soundfont.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <fstream>

namespace lyrebird::audio {

std::vector<std::filesystem::path> SoundFontSearch::defaultSystemFiles() {
  return {"/usr/share/sounds/sf2/default-GM.sf2",        "/usr/share/sounds/sf3/default-GM.sf3",
          "/usr/share/sounds/sf2/TimGM6mb.sf2",          "/usr/share/sounds/sf2/FluidR3_GM.sf2",
          "/usr/share/sounds/sf3/MuseScore_General.sf3", "/usr/share/soundfonts/default.sf2"};
}

Status checkSoundFont(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error{ErrorKind::NotFound, path.string(), -1, "There is no SoundFont file here."};
  }
  std::ifstream in(path, std::ios::binary);
  std::array<char, 12> header{};
  if (!in.read(header.data(), header.size())) {
    return Error{ErrorKind::Io, path.string(), -1, "The SoundFont cannot be read, or is shorter than a header."};
  }
  if (std::memcmp(header.data(), "RIFF", 4) != 0 || std::memcmp(header.data() + 8, "sfbk", 4) != 0) {
    return Error{ErrorKind::Corrupt, path.string(), 0, "This file is not a SoundFont (.sf2/.sf3)."};
  }
  return Done{};
}

Result<std::filesystem::path> findSoundFont(const SoundFontSearch& search) {
  if (!search.userChoice.empty()) {
    if (Status ok = checkSoundFont(search.userChoice); !ok) return ok.error();
    return search.userChoice;
  }
  std::vector<std::filesystem::path> candidates;
  for (const std::filesystem::path& folder : search.bundledFolders) {
    std::error_code ec;
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      std::string ext = entry.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
      if (ext == ".sf2" || ext == ".sf3") found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    candidates.insert(candidates.end(), found.begin(), found.end());
  }
  candidates.insert(candidates.end(), search.systemFiles.begin(), search.systemFiles.end());
  for (const std::filesystem::path& path : candidates) {
    if (checkSoundFont(path)) return path;
  }
  std::string tried;
  for (const auto& folder : search.bundledFolders)
    tried += "\n  " + folder.string() + "/*.sf2";
  for (const auto& file : search.systemFiles)
    tried += "\n  " + file.string();
  return Error{ErrorKind::NotFound,
               {},
               -1,
               "No General MIDI SoundFont was found. Install one (Debian: `sudo apt install timgm6mb-soundfont`) "
               "or choose a .sf2 file. Looked in:" +
                   tried};
}

} // namespace lyrebird::audio
