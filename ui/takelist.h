#pragma once

#include <QListWidget>

#include <functional>

namespace lyrebird::midi {
struct Score;
}

namespace lyrebird::ui {

/// The list of takes. Dragging a take out of it drops a .mid file (written to a temporary
/// folder) onto a DAW, a file manager or the desktop.
class TakeList : public QListWidget {
  Q_OBJECT

public:
  explicit TakeList(QWidget* parent = nullptr);
  /// Gives the Score and a file name for a row.
  void setTakeSource(std::function<bool(int row, midi::Score& score, QString& name)> source);

protected:
  QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
  QStringList mimeTypes() const override;

private:
  std::function<bool(int, midi::Score&, QString&)> m_source;
};

} // namespace lyrebird::ui
