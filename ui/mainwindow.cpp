#include "mainwindow.h"

#include "audioexport.h"
#include "notedocument.h"
#include "pianoroll.h"
#include "transport.h"

#include "midi/smfreader.h"
#include "midi/smfwriter.h"
#include "midi/tempomap.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace lyrebird::ui {

namespace {
constexpr int kMaxRecentFiles = 8;
const QString kRecentKey = QStringLiteral("files/recent");

QString formatPosition(double seconds) {
  const int total = static_cast<int>(seconds * 10);
  return QStringLiteral("%1:%2.%3")
      .arg(total / 600)
      .arg((total / 10) % 60, 2, 10, QLatin1Char('0'))
      .arg(total % 10);
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowIcon(QIcon(QStringLiteral(":/lyrebird/icons/lyrebird.svg")));
  setObjectName(QStringLiteral("MainWindow"));

  m_document = new NoteDocument(this);
  m_roll = new PianoRoll(m_document, this);
  m_roll->setObjectName(QStringLiteral("pianoRoll"));
  setCentralWidget(m_roll);
  m_transport = new Transport(QSettings().value(QStringLiteral("sound/soundfont")).toString(), this);

  createActions();
  createMenus();
  createToolBar();

  m_position = new QLabel(formatPosition(0), this);
  m_position->setObjectName(QStringLiteral("position"));
  m_position->setMinimumWidth(80);
  statusBar()->addPermanentWidget(m_position);
  statusBar()->showMessage(tr("Ready"));
  if (!m_transport->canSound()) {
    // Said once, in plain words; everything else works.
    statusBar()->showMessage(m_transport->message(), 15000);
  }

  connect(m_roll, &PianoRoll::keyPressed, m_transport, &Transport::previewOn);
  connect(m_roll, &PianoRoll::keyReleased, m_transport, &Transport::previewOff);
  connect(m_roll, &PianoRoll::seekRequested, m_transport, &Transport::seekTicks);
  connect(m_transport, &Transport::positionChanged, this, [this](std::int64_t ticks) {
    m_roll->setPlayheadTicks(ticks);
    m_position->setText(formatPosition(midi::TempoMap(m_document->header()).seconds(ticks)));
  });
  connect(m_transport, &Transport::playingChanged, this, [this](bool playing) {
    m_play->setText(playing ? tr("Stop") : tr("Play"));
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
  });
  // What plays follows the edits (the playhead stays where it is).
  connect(m_document, &NoteDocument::notesChanged, this, [this] {
    if (!m_transport->isPlaying()) m_transport->setScore(m_document->score(), true);
  });
  connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
  connect(m_document, &NoteDocument::selectionChanged, this, [this] {
    const bool any = m_document->selectedCount() > 0;
    for (QAction* a : {m_delete, m_transposeUp, m_transposeDown, m_octaveUp, m_octaveDown}) a->setEnabled(any);
  });

  m_title = tr("Untitled");
  updateTitle();
  updateRecentMenu();
  restoreLayout();
  Q_EMIT m_document->selectionChanged();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
  auto action = [this](const QString& text, const QKeySequence& shortcut, auto slot) {
    auto* a = new QAction(text, this);
    if (!shortcut.isEmpty()) a->setShortcut(shortcut);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  m_open = action(tr("&Open MIDI File…"), QKeySequence::Open, [this] { chooseAndOpen(); });
  m_exportMidi = action(tr("Export &MIDI…"), QKeySequence(tr("Ctrl+E")), [this] { chooseAndExportMidi(); });
  m_exportAudio = action(tr("Export &Audio…"), QKeySequence(tr("Ctrl+Shift+E")), [this] { chooseAndExportAudio(); });
  m_quit = action(tr("&Quit"), QKeySequence::Quit, [this] { close(); });
  m_quit->setMenuRole(QAction::QuitRole);

  m_undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
  m_undo->setShortcut(QKeySequence::Undo);
  m_redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
  m_redo->setShortcuts({QKeySequence(tr("Ctrl+Shift+Z")), QKeySequence(tr("Ctrl+Y"))});
  m_selectAll = action(tr("Select &All"), QKeySequence::SelectAll, [this] { m_document->selectAll(); });
  m_delete = action(tr("&Delete"), QKeySequence::Delete, [this] { m_document->deleteSelected(); });
  m_transposeUp = action(tr("Transpose &Up"), QKeySequence(tr("Alt+Up")), [this] { m_document->transposeSelected(1); });
  m_transposeDown =
      action(tr("Transpose D&own"), QKeySequence(tr("Alt+Down")), [this] { m_document->transposeSelected(-1); });
  m_octaveUp = action(tr("Octave U&p"), QKeySequence(tr("Ctrl+Alt+Up")), [this] { m_document->transposeSelected(12); });
  m_octaveDown =
      action(tr("Octave Dow&n"), QKeySequence(tr("Ctrl+Alt+Down")), [this] { m_document->transposeSelected(-12); });
  m_quantize = action(tr("&Quantize to Grid"), QKeySequence(tr("Q")), [this] { m_document->quantize(m_roll->snapTicks()); });

  m_play = action(tr("Play"), QKeySequence(Qt::Key_Space), [this] { m_transport->togglePlay(); });
  m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_toStart = action(tr("To &Start"), QKeySequence(Qt::Key_Home), [this] { m_transport->toStart(); });
  m_toStart->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
  m_panic = action(tr("&Panic (All Sound Off)"), QKeySequence(tr("Ctrl+.")), [this] { m_transport->panic(); });
  m_follow = action(tr("&Follow Playhead"), QKeySequence(tr("F")), [this](bool on) { m_roll->setFollowPlayhead(on); });
  m_follow->setCheckable(true);
  m_follow->setChecked(true);
  m_drawTool = action(tr("&Draw Notes"), QKeySequence(tr("D")), [this](bool on) {
    m_roll->setTool(on ? PianoRoll::Tool::Draw : PianoRoll::Tool::Select);
  });
  m_drawTool->setCheckable(true);
  m_zoomIn = action(tr("Zoom &In"), QKeySequence::ZoomIn, [this] { m_roll->setPixelsPerQuarter(m_roll->pixelsPerQuarter() * 1.25); });
  m_zoomOut = action(tr("Zoom &Out"), QKeySequence::ZoomOut, [this] { m_roll->setPixelsPerQuarter(m_roll->pixelsPerQuarter() / 1.25); });
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(m_open);
  m_recentMenu = file->addMenu(tr("Open &Recent"));
  file->addSeparator();
  file->addAction(m_exportMidi);
  file->addAction(m_exportAudio);
  file->addSeparator();
  file->addAction(m_quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addActions({m_undo, m_redo});
  edit->addSeparator();
  edit->addActions({m_selectAll, m_delete});
  edit->addSeparator();
  edit->addActions({m_transposeUp, m_transposeDown, m_octaveUp, m_octaveDown, m_quantize});

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addActions({m_follow, m_drawTool, m_zoomIn, m_zoomOut});

  QMenu* transport = menuBar()->addMenu(tr("&Transport"));
  transport->addActions({m_play, m_toStart, m_panic});

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Lyrebird"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createToolBar() {
  QToolBar* bar = addToolBar(tr("Transport"));
  bar->setObjectName(QStringLiteral("transportToolBar"));
  bar->addActions({m_toStart, m_play});
  bar->addSeparator();
  bar->addActions({m_follow, m_drawTool});
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Lyrebird"),
                     tr("<h3>Lyrebird %1</h3>"
                        "<p>A desktop composer that learns music from a folder of MIDI files "
                        "with LSTM networks and writes new music.</p>"
                        "<p>Sound: FluidSynth with a General MIDI SoundFont (TimGM6mb, GPL-2, by default).</p>"
                        "<p>Built with Qt %2.</p>")
                         .arg(QStringLiteral(LYREBIRD_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::restoreLayout() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) resize(1100, 720);
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::updateTitle() {
  const bool modified = !m_document->undoStack()->isClean();
  setWindowTitle(QStringLiteral("%1%2 — Lyrebird").arg(m_title, modified ? QStringLiteral(" *") : QString()));
}

void MainWindow::showScore(const midi::Score& score, const QString& title) {
  m_document->setScore(score);
  m_title = title;
  updateTitle();
  m_transport->setScore(score);
  // Centre the view on the piece's pitches.
  int lo = 127, hi = 0;
  for (const auto& n : m_document->notes()) {
    lo = std::min<int>(lo, n.note.pitch);
    hi = std::max<int>(hi, n.note.pitch);
  }
  if (lo <= hi) m_roll->centerOnPitch((lo + hi) / 2);
}

bool MainWindow::openMidi(const QString& path) {
  const Result<midi::SmfFile> file = midi::readSmfFile(path.toStdString());
  if (!file) {
    QMessageBox::warning(this, tr("Open MIDI File"), QString::fromStdString(file.error().describe()));
    return false;
  }
  m_currentPath = path;
  showScore(file->score, QFileInfo(path).fileName());
  addRecentFile(path);
  statusBar()->showMessage(tr("Opened %1: %2 notes.").arg(QFileInfo(path).fileName()).arg(file->score.noteCount()), 5000);
  return true;
}

void MainWindow::chooseAndOpen() {
  const QString dir = QSettings().value(QStringLiteral("files/lastDir"), QStandardPaths::writableLocation(QStandardPaths::MusicLocation)).toString();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open MIDI File"), dir,
                                                    tr("MIDI files (*.mid *.midi *.kar *.rmi);;All files (*)"));
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("files/lastDir"), QFileInfo(path).absolutePath());
  openMidi(path);
}

QString MainWindow::suggestedExportName(const QString& extension) const {
  const QString dir = QSettings().value(QStringLiteral("files/exportDir"), QStandardPaths::writableLocation(QStandardPaths::MusicLocation)).toString();
  QString base = QFileInfo(m_title).completeBaseName();
  if (base.isEmpty() || base == tr("Untitled")) base = QStringLiteral("lyrebird");
  return QDir(dir).filePath(base + extension);
}

bool MainWindow::exportMidi(const QString& path) {
  const Status written = midi::writeSmfFile(m_document->score(), path.toStdString());
  if (!written) {
    QMessageBox::warning(this, tr("Export MIDI"), QString::fromStdString(written.error().describe()));
    return false;
  }
  m_document->undoStack()->setClean();
  statusBar()->showMessage(tr("Exported %1.").arg(QDir::toNativeSeparators(path)), 5000);
  return true;
}

bool MainWindow::exportAudioFile(const QString& path) {
  const Status rendered = exportAudio(this, m_document->score(), path, QSettings().value(QStringLiteral("sound/soundfont")).toString());
  if (!rendered) {
    if (rendered.error().kind != ErrorKind::Cancelled) {
      QMessageBox::warning(this, tr("Export Audio"), QString::fromStdString(rendered.error().describe()));
    }
    return false;
  }
  statusBar()->showMessage(tr("Exported %1.").arg(QDir::toNativeSeparators(path)), 5000);
  return true;
}

void MainWindow::chooseAndExportMidi() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export MIDI"), suggestedExportName(QStringLiteral(".mid")),
                                                    tr("MIDI files (*.mid)"));
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("files/exportDir"), QFileInfo(path).absolutePath());
  exportMidi(path);
}

void MainWindow::chooseAndExportAudio() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export Audio"), suggestedExportName(QStringLiteral(".wav")),
      tr("WAV audio (*.wav);;FLAC audio (*.flac);;Ogg Vorbis audio (*.ogg)"));
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("files/exportDir"), QFileInfo(path).absolutePath());
  exportAudioFile(path);
}

void MainWindow::addRecentFile(const QString& path) {
  QSettings settings;
  QStringList files = settings.value(kRecentKey).toStringList();
  files.removeAll(path);
  files.prepend(path);
  while (files.size() > kMaxRecentFiles) files.removeLast();
  settings.setValue(kRecentKey, files);
  updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
  m_recentMenu->clear();
  const QStringList files = QSettings().value(kRecentKey).toStringList();
  for (const QString& path : files) {
    m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openMidi(path); })->setToolTip(path);
  }
  m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  m_transport->panic();
  event->accept();
}

} // namespace lyrebird::ui
