#include "corpustablemodel.h"

#include <QBrush>
#include <QColor>

namespace lyrebird::ui {

namespace {
QString duration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

CorpusTableModel::CorpusTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CorpusTableModel::setCorpus(std::shared_ptr<const corpus::Corpus> corpus) {
  beginResetModel();
  m_corpus = std::move(corpus);
  endResetModel();
}

const corpus::CorpusFile* CorpusTableModel::file(int row) const {
  if (!m_corpus || row < 0 || row >= static_cast<int>(m_corpus->files.size())) return nullptr;
  return &m_corpus->files[static_cast<std::size_t>(row)];
}

int CorpusTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !m_corpus ? 0 : static_cast<int>(m_corpus->files.size());
}

int CorpusTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant CorpusTableModel::data(const QModelIndex& index, int role) const {
  const corpus::CorpusFile* f = file(index.row());
  if (!f) return {};
  const bool failed = !f->loaded();
  if (role == Qt::UserRole) { // sort key
    switch (index.column()) {
    case Duration: return f->stats.seconds;
    case Notes: return static_cast<qulonglong>(f->stats.notes);
    case Tracks: return static_cast<qulonglong>(f->stats.tracks);
    case Status: return failed ? 2 : (f->warnings.empty() ? 0 : 1);
    default: return QString::fromStdString(f->relativePath).toLower();
    }
  }
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
    case Name: return QString::fromStdString(f->relativePath);
    case Duration: return failed ? QVariant() : duration(f->stats.seconds);
    case Notes: return failed ? QVariant() : QVariant(static_cast<qulonglong>(f->stats.notes));
    case Tracks: return failed ? QVariant() : QVariant(static_cast<qulonglong>(f->stats.tracks));
    case Status:
      if (failed) return tr("failed: %1").arg(QString::fromStdString(f->error->message));
      return f->warnings.empty() ? tr("ok") : tr("ok, %n warning(s)", nullptr, static_cast<int>(f->warnings.size()));
    default: return {};
    }
  }
  if (role == Qt::ToolTipRole && index.column() == Name) return QString::fromStdString(f->relativePath);
  if (role == Qt::ToolTipRole && index.column() == Status) {
    if (failed) return QString::fromStdString(f->error->describe());
    QStringList lines;
    for (const Error& w : f->warnings)
      lines << QString::fromStdString(w.describe());
    return lines.isEmpty() ? QVariant() : QVariant(lines.join(u'\n'));
  }
  if (role == Qt::ForegroundRole && failed) return QBrush(QColor(190, 30, 30));
  if (role == Qt::TextAlignmentRole && index.column() >= Duration && index.column() <= Tracks) {
    return static_cast<int>(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant CorpusTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case Name: return tr("File");
  case Duration: return tr("Time");
  case Notes: return tr("Notes");
  case Tracks: return tr("Tracks");
  case Status: return tr("Status");
  default: return {};
  }
}

} // namespace lyrebird::ui
