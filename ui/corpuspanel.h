#pragma once

#include "corpus/corpus.h"

#include <QWidget>

#include <memory>
#include <stop_token>
#include <thread>

class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace lyrebird::ui {

class CorpusTableModel;

/// The Corpus panel: choose a folder (button or drag and drop), load it on a worker thread
/// with a progress bar and Cancel, see every file (failed ones with their reasons) and the
/// totals. Double-click a file to open it in the piano roll. GUI thread only.
class CorpusPanel : public QWidget {
  Q_OBJECT

public:
  explicit CorpusPanel(QWidget* parent = nullptr);
  ~CorpusPanel() override;

  /// Starts loading `folder` (a load in progress is cancelled first).
  void load(const QString& folder);
  void cancel();
  bool isLoading() const { return m_worker.joinable() && !m_finished; }
  /// The loaded corpus (null before the first load finishes).
  std::shared_ptr<const corpus::Corpus> corpus() const { return m_corpus; }
  QString folder() const { return m_folder; }
  QTableView* table() const { return m_table; }

Q_SIGNALS:
  /// Exactly one of these ends each load.
  void loaded(const QString& folder);
  void loadFailed(const QString& message);
  /// The user opened a file of the corpus.
  void pieceActivated(const lyrebird::midi::Score& score, const QString& title);

protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void chooseFolder();
  void finish(std::shared_ptr<corpus::Corpus> corpus, const QString& error);
  void showSummary();

  QPushButton* m_choose = nullptr;
  QPushButton* m_cancel = nullptr;
  QLabel* m_folderLabel = nullptr;
  QProgressBar* m_progress = nullptr;
  QTableView* m_table = nullptr;
  QLabel* m_summary = nullptr;
  CorpusTableModel* m_model = nullptr;
  QSortFilterProxyModel* m_proxy = nullptr;

  QString m_folder;
  std::shared_ptr<const corpus::Corpus> m_corpus;
  std::jthread m_worker;
  bool m_finished = true;
};

} // namespace lyrebird::ui
