#include "appdata.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace lyrebird::ui {

namespace {
QString installed(const QString& relative) {
  return QDir(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/lyrebird/") + relative).absolutePath();
}
} // namespace

QString demoFolder() {
  for (const QString& candidate :
       {installed(QStringLiteral("demo")), QStringLiteral(LYREBIRD_SOURCE_RESOURCES_DIR "/demo")}) {
    if (QFileInfo(candidate + QStringLiteral("/corpus")).isDir()) return candidate;
  }
  return {};
}

QString bundledModelPath() {
  const QString folder = demoFolder();
  const QString path = folder + QStringLiteral("/demo.lyrebird");
  return !folder.isEmpty() && QFileInfo::exists(path) ? path : QString();
}

std::vector<std::filesystem::path> bundledSoundFontFolders() {
  return {installed(QStringLiteral("soundfonts")).toStdString(), std::string(LYREBIRD_SOURCE_SOUNDFONTS_DIR)};
}

} // namespace lyrebird::ui
