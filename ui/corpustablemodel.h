#pragma once

#include "corpus/corpus.h"

#include <QAbstractTableModel>

#include <memory>

namespace lyrebird::ui {

/// The files of a loaded corpus as a table: name, duration, notes, tracks, status (with the
/// error or warnings as tooltip). Sortable through a QSortFilterProxyModel (numbers sort as
/// numbers via Qt::UserRole). GUI thread only.
class CorpusTableModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column { Name, Duration, Notes, Tracks, Status, ColumnCount };

  explicit CorpusTableModel(QObject* parent = nullptr);

  void setCorpus(std::shared_ptr<const corpus::Corpus> corpus);
  const corpus::CorpusFile* file(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
  std::shared_ptr<const corpus::Corpus> m_corpus;
};

} // namespace lyrebird::ui
