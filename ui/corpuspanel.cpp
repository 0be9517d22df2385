#include "corpuspanel.h"

#include "corpustablemodel.h"
#include "guithread.h"

#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

namespace lyrebird::ui {

CorpusPanel::CorpusPanel(QWidget* parent) : QWidget(parent) {
  setAcceptDrops(true);
  m_choose = new QPushButton(tr("Choose Folder…"), this);
  m_choose->setObjectName(QStringLiteral("chooseFolder"));
  m_cancel = new QPushButton(tr("Cancel"), this);
  m_cancel->setEnabled(false);
  m_folderLabel = new QLabel(tr("Drop a folder of MIDI files here, or choose one."), this);
  m_folderLabel->setWordWrap(true);
  m_progress = new QProgressBar(this);
  m_progress->setVisible(false);
  m_model = new CorpusTableModel(this);
  m_proxy = new QSortFilterProxyModel(this);
  m_proxy->setSourceModel(m_model);
  m_proxy->setSortRole(Qt::UserRole);
  m_table = new QTableView(this);
  m_table->setObjectName(QStringLiteral("corpusTable"));
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->setVisible(false);
  m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  // The name takes the room that is left, so the numbers and the status stay in view in a
  // narrow dock; a long name is elided in the middle (the tooltip has it whole).
  m_table->horizontalHeader()->setStretchLastSection(false);
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->horizontalHeader()->setSectionResizeMode(CorpusTableModel::Name, QHeaderView::Stretch);
  // A failure's reason can be long: the column starts narrow (the tooltip has it all) and can be widened.
  m_table->horizontalHeader()->setSectionResizeMode(CorpusTableModel::Status, QHeaderView::Interactive);
  m_table->setColumnWidth(CorpusTableModel::Status, fontMetrics().horizontalAdvance(tr("failed")) + 16);
  // Right-click the header to show or hide columns; the track count starts hidden to leave
  // the names room in a narrow dock.
  m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    QMenu menu(this);
    for (int column = 0; column < m_model->columnCount(); ++column) {
      if (column == CorpusTableModel::Name) continue;
      QAction* toggle = menu.addAction(m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
      toggle->setCheckable(true);
      toggle->setChecked(!m_table->isColumnHidden(column));
      connect(toggle, &QAction::toggled, m_table, [this, column](bool on) { m_table->setColumnHidden(column, !on); });
    }
    menu.exec(m_table->horizontalHeader()->mapToGlobal(at));
  });
  m_table->setColumnHidden(CorpusTableModel::Tracks, true);
  m_table->setTextElideMode(Qt::ElideMiddle);
  m_summary = new QLabel(this);
  m_summary->setWordWrap(true);
  m_summary->setObjectName(QStringLiteral("corpusSummary"));

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_choose);
  buttons->addWidget(m_cancel);
  buttons->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(buttons);
  layout->addWidget(m_folderLabel);
  layout->addWidget(m_progress);
  layout->addWidget(m_table, 1);
  layout->addWidget(m_summary);

  connect(m_choose, &QPushButton::clicked, this, &CorpusPanel::chooseFolder);
  connect(m_cancel, &QPushButton::clicked, this, &CorpusPanel::cancel);
  connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const corpus::CorpusFile* f = m_model->file(m_proxy->mapToSource(index).row());
    if (f && f->score) Q_EMIT pieceActivated(*f->score, QString::fromStdString(f->relativePath));
  });
}

CorpusPanel::~CorpusPanel() {
  cancel();
}

void CorpusPanel::chooseFolder() {
  const QString start =
      QSettings()
          .value(QStringLiteral("corpus/lastFolder"), QStandardPaths::writableLocation(QStandardPaths::MusicLocation))
          .toString();
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose a Folder of MIDI Files"), start);
  if (!folder.isEmpty()) load(folder);
}

void CorpusPanel::load(const QString& folder) {
  cancel();
  m_folder = folder;
  QSettings().setValue(QStringLiteral("corpus/lastFolder"), folder);
  m_folderLabel->setText(QDir::toNativeSeparators(folder));
  m_progress->setRange(0, 0);
  m_progress->setVisible(true);
  m_cancel->setEnabled(true);
  m_summary->setText(tr("Loading…"));
  m_finished = false;
  QPointer<CorpusPanel> self(this);
  m_worker = std::jthread([self, path = folder.toStdString()](std::stop_token stop) {
    corpus::LoadOptions options;
    options.progress = [self](const corpus::LoadProgress& p) {
      postToGui(self, [p](CorpusPanel& panel) {
        if (panel.m_finished) return;
        panel.m_progress->setRange(0, static_cast<int>(p.total));
        panel.m_progress->setValue(static_cast<int>(p.done));
      });
    };
    Result<corpus::Corpus> loaded = corpus::loadCorpus(path, options, stop);
    std::shared_ptr<corpus::Corpus> result;
    QString error;
    if (loaded) {
      result = std::make_shared<corpus::Corpus>(std::move(loaded.value()));
    } else {
      error = QString::fromStdString(loaded.error().kind == ErrorKind::Cancelled ? std::string("cancelled")
                                                                                 : loaded.error().describe());
    }
    postToGui(self, [result, error](CorpusPanel& panel) { panel.finish(result, error); });
  });
}

void CorpusPanel::cancel() {
  if (m_worker.joinable()) {
    m_worker.request_stop();
    m_worker.join(); // cancellation is checked between files: a short wait
    m_worker = {};
  }
  if (!m_finished) {
    m_finished = true;
    m_progress->setVisible(false);
    m_cancel->setEnabled(false);
    m_summary->setText(tr("Loading cancelled."));
    Q_EMIT loadFailed(tr("Loading cancelled."));
  }
}

void CorpusPanel::finish(std::shared_ptr<corpus::Corpus> result, const QString& error) {
  if (m_finished) return; // cancelled meanwhile
  m_finished = true;
  m_progress->setVisible(false);
  m_cancel->setEnabled(false);
  if (!result) {
    m_summary->setText(error);
    Q_EMIT loadFailed(error);
    return;
  }
  m_corpus = result;
  m_model->setCorpus(m_corpus);
  m_table->sortByColumn(CorpusTableModel::Name, Qt::AscendingOrder);
  showSummary();
  Q_EMIT loaded(m_folder);
}

void CorpusPanel::showSummary() {
  const corpus::CorpusStats& s = m_corpus->stats;
  const int minutes = static_cast<int>(s.seconds / 60.0 + 0.5);
  QString text = tr("%1 files, %2 loaded, %3 failed · %4 notes · %5 h %6 min")
                     .arg(s.files)
                     .arg(s.loaded)
                     .arg(s.failed)
                     .arg(s.notes)
                     .arg(minutes / 60)
                     .arg(minutes % 60);
  if (s.minPitch >= 0) {
    text += tr(" · pitches %1–%2 · mean polyphony %3").arg(s.minPitch).arg(s.maxPitch).arg(s.meanPolyphony, 0, 'f', 2);
  }
  m_summary->setText(text);
}

void CorpusPanel::dragEnterEvent(QDragEnterEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() == 1 && urls.front().isLocalFile() && QFileInfo(urls.front().toLocalFile()).isDir()) {
    event->acceptProposedAction();
  }
}

void CorpusPanel::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (!urls.isEmpty()) load(urls.front().toLocalFile());
  event->acceptProposedAction();
}

} // namespace lyrebird::ui
