#include "takelist.h"

#include "midi/score.h"
#include "midi/smfwriter.h"

#include <QDir>
#include <QMimeData>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>

namespace lyrebird::ui {

TakeList::TakeList(QWidget* parent) : QListWidget(parent) {
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragOnly);
  setSelectionMode(QAbstractItemView::SingleSelection);
}

void TakeList::setTakeSource(std::function<bool(int, midi::Score&, QString&)> source) {
  m_source = std::move(source);
}

QStringList TakeList::mimeTypes() const {
  return {QStringLiteral("text/uri-list")};
}

QMimeData* TakeList::mimeData(const QList<QListWidgetItem*>& items) const {
  if (items.isEmpty() || !m_source) return nullptr;
  midi::Score score;
  QString name;
  if (!m_source(row(items.front()), score, name)) return nullptr;
  const QString folder =
      QStandardPaths::writableLocation(QStandardPaths::TempLocation) + QStringLiteral("/lyrebird-takes");
  QDir().mkpath(folder);
  // A file name a DAW shows as the clip's name.
  name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._ -]")), QStringLiteral("_"));
  const QString path = QDir(folder).filePath(name + QStringLiteral(".mid"));
  if (!midi::writeSmfFile(score, path.toStdString())) return nullptr;
  auto* mime = new QMimeData;
  mime->setUrls({QUrl::fromLocalFile(path)});
  return mime;
}

} // namespace lyrebird::ui
