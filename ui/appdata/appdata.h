#pragma once

#include <QString>

#include <filesystem>
#include <vector>

namespace lyrebird::ui {

/// Folders of the data Lyrebird ships, installed (share/lyrebird/... beside bin/) or, when
/// the app runs from its build tree, in the source tree.

/// The demo corpus and model folder (resources/demo); empty when absent.
QString demoFolder();
/// The bundled model (demoFolder()/demo.lyrebird), the one a first start opens; empty when absent.
QString bundledModelPath();
/// The folders searched for bundled SoundFonts, in order.
std::vector<std::filesystem::path> bundledSoundFontFolders();

} // namespace lyrebird::ui
