#pragma once

#include <QMenu>

namespace lyrebird::ui {

/// File → Open Recent: the MIDI files opened last, newest first (at most 8), kept in
/// QSettings under "files/recent". Choosing one emits fileChosen(). GUI thread only.
class RecentFilesMenu : public QMenu {
  Q_OBJECT

public:
  explicit RecentFilesMenu(const QString& title, QWidget* parent = nullptr);
  /// Puts `path` first (moving it up when it is already listed).
  void add(const QString& path);

Q_SIGNALS:
  void fileChosen(const QString& path);

private:
  void rebuild();
};

} // namespace lyrebird::ui
