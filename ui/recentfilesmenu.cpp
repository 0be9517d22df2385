#include "recentfilesmenu.h"

#include <QFileInfo>
#include <QSettings>

namespace lyrebird::ui {

namespace {
constexpr int kMaxRecentFiles = 8;
const QString kRecentKey = QStringLiteral("files/recent");
} // namespace

RecentFilesMenu::RecentFilesMenu(const QString& title, QWidget* parent) : QMenu(title, parent) {
  rebuild();
}

void RecentFilesMenu::add(const QString& path) {
  QSettings settings;
  QStringList files = settings.value(kRecentKey).toStringList();
  files.removeAll(path);
  files.prepend(path);
  while (files.size() > kMaxRecentFiles)
    files.removeLast();
  settings.setValue(kRecentKey, files);
  rebuild();
}

void RecentFilesMenu::rebuild() {
  clear();
  const QStringList files = QSettings().value(kRecentKey).toStringList();
  for (const QString& path : files) {
    addAction(QFileInfo(path).fileName(), this, [this, path] { Q_EMIT fileChosen(path); })->setToolTip(path);
  }
  setEnabled(!files.isEmpty());
}

} // namespace lyrebird::ui
