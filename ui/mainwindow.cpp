#include "mainwindow.h"

#include "appdata.h"
#include "audioexport.h"
#include "comparepanel.h"
#include "corpuspanel.h"
#include "generatepanel.h"
#include "logpanel.h"
#include "notedocument.h"
#include "pianoroll.h"
#include "preferencesdialog.h"
#include "recentfilesmenu.h"
#include "regioneditor.h"
#include "trainingpanel.h"
#include "transport.h"

#include "generate/prime.h"
#include "midi/smfreader.h"
#include "midi/smfwriter.h"
#include "midi/tempomap.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace lyrebird::ui {

namespace {

QString formatPosition(double seconds) {
  const int total = static_cast<int>(seconds * 10);
  return QStringLiteral("%1:%2.%3").arg(total / 600).arg((total / 10) % 60, 2, 10, QLatin1Char('0')).arg(total % 10);
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowIcon(QIcon(QStringLiteral(":/lyrebird/icons/lyrebird.svg")));
  setObjectName(QStringLiteral("MainWindow"));
  setAcceptDrops(true);

  m_document = new NoteDocument(this);
  m_roll = new PianoRoll(m_document, this);
  m_roll->setObjectName(QStringLiteral("pianoRoll"));
  m_transport = new Transport(SoundPreferences::load(), this);

  createPanels();
  // The piano roll, with the Regenerate Region strip above it while candidates are auditioned.
  m_region = new RegionEditor(m_document, m_generate, m_transport, this);
  auto* central = new QWidget(this);
  auto* column = new QVBoxLayout(central);
  column->setContentsMargins(0, 0, 0, 0);
  column->setSpacing(0);
  column->addWidget(m_region);
  column->addWidget(m_roll, 1);
  setCentralWidget(central);
  createActions();
  createMenus();
  createToolBar();
  wirePanels();

  m_position = new QLabel(formatPosition(0), this);
  m_position->setObjectName(QStringLiteral("position"));
  m_position->setMinimumWidth(80);
  statusBar()->addPermanentWidget(m_position);
  statusBar()->showMessage(tr("Ready"));
  if (!m_transport->canSound()) {
    // Said once, in plain words; everything else works.
    statusBar()->showMessage(m_transport->message(), 15000);
  }
  m_log->append(m_transport->message());

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
    for (QAction* a : {m_delete, m_transposeUp, m_transposeDown, m_octaveUp, m_octaveDown})
      a->setEnabled(any);
  });

  m_title = tr("Untitled");
  updateTitle();
  restoreLayout();
  openStartupData();
  Q_EMIT m_document->selectionChanged();
}

MainWindow::~MainWindow() {
  // The document (a child) is deleted after this body; its undo stack, cleared then, would report
  // a change of its clean state to a window that is no longer one (caught by UBSan).
  m_document->undoStack()->disconnect(this);
  m_document->disconnect(this);
}

void MainWindow::createActions() {
  auto action = [this](const QString& text, const QKeySequence& shortcut, auto slot) {
    auto* a = new QAction(text, this);
    if (!shortcut.isEmpty()) a->setShortcut(shortcut);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  m_openFolder = action(tr("Open &Folder…"), QKeySequence(tr("Ctrl+Shift+O")), [this] {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Choose a Folder of MIDI Files"), m_corpus->folder());
    if (!folder.isEmpty()) m_corpus->load(folder);
  });
  m_open = action(tr("&Open MIDI File…"), QKeySequence::Open, [this] { chooseAndOpen(); });
  m_openModel = action(tr("Open &Model…"), QKeySequence(tr("Ctrl+M")), [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), m_generate->modelPath(),
                                                      tr("Lyrebird models (*.lyrebird)"));
    if (!path.isEmpty() && !m_generate->loadModel(path))
      QMessageBox::warning(this, tr("Open Model"), tr("This file cannot be used as a model."));
  });
  m_saveModel = action(tr("&Save Model As…"), QKeySequence::SaveAs, [this] { chooseAndSaveModel(); });
  m_exportMidi = action(tr("Export &MIDI…"), QKeySequence(tr("Ctrl+E")), [this] { chooseAndExportMidi(); });
  m_exportAudio = action(tr("Export &Audio…"), QKeySequence(tr("Ctrl+Shift+E")), [this] { chooseAndExportAudio(); });
  m_preferences =
      action(tr("&Preferences…"),
             QKeySequence::keyBindings(QKeySequence::Preferences).isEmpty() ? QKeySequence(tr("Ctrl+,"))
                                                                            : QKeySequence(QKeySequence::Preferences),
             [this] { showPreferences(); });
  m_preferences->setMenuRole(QAction::PreferencesRole);
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
  m_quantize =
      action(tr("&Quantize to Grid"), QKeySequence(tr("Q")), [this] { m_document->quantize(m_roll->snapTicks()); });

  m_play = action(tr("Play"), QKeySequence(Qt::Key_Space), [this] { m_transport->togglePlay(); });
  m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_toStart = action(tr("To &Start"), QKeySequence(Qt::Key_Home), [this] { m_transport->toStart(); });
  m_toStart->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
  m_panic = action(tr("&Panic (All Sound Off)"), QKeySequence(tr("Ctrl+.")), [this] { m_transport->panic(); });
  m_regenerateRegion = action(tr("Regenerate &Region"), QKeySequence(tr("Ctrl+R")), [this] { m_region->start(); });
  m_regenerateRegion->setToolTip(tr("Write the bars of the selected notes again, between the music that stays"));
  m_continueHere = action(tr("&Continue From Here"), QKeySequence(tr("Ctrl+Shift+R")),
                          [this] { m_region->continueFrom(m_transport->positionTicks()); });
  m_continueHere->setToolTip(tr("Write what follows the playhead again (at the end: four more bars)"));
  m_generateAction = action(tr("&Generate"), QKeySequence(tr("Ctrl+G")), [this] {
    m_generate->isGenerating() ? m_generate->stopGenerating() : m_generate->generate();
  });
  m_generateAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
  m_generateAction->setToolTip(tr("Write a new piece with the model (Ctrl+G); it plays as it appears"));
  m_generateAction->setEnabled(false);
  m_follow = action(tr("&Follow Playhead"), QKeySequence(tr("F")), [this](bool on) { m_roll->setFollowPlayhead(on); });
  m_follow->setCheckable(true);
  m_follow->setChecked(true);
  m_drawTool = action(tr("&Draw Notes"), QKeySequence(tr("D")),
                      [this](bool on) { m_roll->setTool(on ? PianoRoll::Tool::Draw : PianoRoll::Tool::Select); });
  m_drawTool->setCheckable(true);
  m_zoomIn = action(tr("Zoom &In"), QKeySequence::ZoomIn,
                    [this] { m_roll->setPixelsPerQuarter(m_roll->pixelsPerQuarter() * 1.25); });
  m_zoomOut = action(tr("Zoom &Out"), QKeySequence::ZoomOut,
                     [this] { m_roll->setPixelsPerQuarter(m_roll->pixelsPerQuarter() / 1.25); });
  m_zoomFit = action(tr("Zoom to &Fit"), QKeySequence(tr("Ctrl+0")), [this] { m_roll->zoomToFit(); });
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(m_openFolder);
  file->addAction(m_open);
  m_recentMenu = new RecentFilesMenu(tr("Open &Recent"), this);
  connect(m_recentMenu, &RecentFilesMenu::fileChosen, this, &MainWindow::openMidi);
  file->addMenu(m_recentMenu);
  file->addSeparator();
  file->addAction(m_openModel);
  file->addAction(m_saveModel);
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
  edit->addSeparator();
  edit->addActions({m_regenerateRegion, m_continueHere});
  edit->addSeparator();
  edit->addAction(m_preferences);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : m_docks.all())
    view->addAction(dock->toggleViewAction());
  view->addSeparator();
  view->addActions({m_follow, m_drawTool, m_zoomIn, m_zoomOut, m_zoomFit});

  QMenu* transport = menuBar()->addMenu(tr("&Transport"));
  transport->addActions({m_play, m_toStart, m_panic});
  transport->addSeparator();
  transport->addAction(m_generateAction);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Lyrebird"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createToolBar() {
  QToolBar* bar = addToolBar(tr("Transport"));
  bar->setObjectName(QStringLiteral("transportToolBar"));
  bar->addActions({m_toStart, m_play});
  bar->addSeparator();
  bar->addAction(m_generateAction);
  if (auto* button = bar->widgetForAction(m_generateAction)) {
    button->setObjectName(QStringLiteral("generateButton"));
    static_cast<QToolButton*>(button)->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  }
  bar->addAction(m_regenerateRegion);
  bar->addSeparator();
  bar->addActions({m_follow, m_drawTool});
}

void MainWindow::createPanels() {
  m_corpus = new CorpusPanel(this);
  m_training = new TrainingPanel(this);
  m_generate = new GeneratePanel(this);
  m_log = new LogPanel(this);
  m_compare = new ComparePanel(this);
  auto dock = [this](QWidget* panel, const QString& title, const QString& name, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    // Scrollable, so a tall panel never forces the window to be tall.
    auto* scroll = new QScrollArea(d);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(panel);
    d->setWidget(scroll);
    addDockWidget(area, d);
    return d;
  };
  m_docks.corpus = dock(m_corpus, tr("Corpus"), QStringLiteral("corpusDock"), Qt::LeftDockWidgetArea);
  m_docks.training = dock(m_training, tr("Training"), QStringLiteral("trainingDock"), Qt::BottomDockWidgetArea);
  m_docks.generate = dock(m_generate, tr("Generate"), QStringLiteral("generateDock"), Qt::RightDockWidgetArea);
  m_docks.takes = dock(m_generate->takesPanel(), tr("Takes"), QStringLiteral("takesDock"), Qt::RightDockWidgetArea);
  splitDockWidget(m_docks.generate, m_docks.takes, Qt::Vertical);
  // The right-hand column (Generate above the Takes) runs the window's full height, so both fit
  // on a 1280x800 screen; the bottom docks (the charts) take the width beside it.
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  m_docks.log = dock(m_log, tr("Log"), QStringLiteral("logDock"), Qt::BottomDockWidgetArea);
  tabifyDockWidget(m_docks.training, m_docks.log);
  m_docks.compare = dock(m_compare, tr("Compare"), QStringLiteral("compareDock"), Qt::BottomDockWidgetArea);
  tabifyDockWidget(m_docks.log, m_docks.compare);
  m_docks.training->raise();
}

void MainWindow::wirePanels() {
  connect(m_roll, &PianoRoll::barsChosen, m_region, &RegionEditor::chooseBars);
  connect(m_region, &RegionEditor::message, this, [this](const QString& text) {
    statusBar()->showMessage(text, 8000);
    m_log->append(text);
  });
  connect(m_corpus, &CorpusPanel::loaded, this, [this](const QString& folder) {
    const auto corpus = m_corpus->corpus();
    m_training->setCorpus(corpus, QFileInfo(folder).fileName());
    m_log->append(tr("Loaded %1: %2 of %3 files, %4 notes.")
                      .arg(QDir::toNativeSeparators(folder))
                      .arg(corpus->stats.loaded)
                      .arg(corpus->stats.files)
                      .arg(corpus->stats.notes));
    for (const auto& f : corpus->files) {
      if (f.error)
        m_log->append(
            tr("Skipped %1: %2").arg(QString::fromStdString(f.relativePath), QString::fromStdString(f.error->message)));
    }
  });
  connect(m_corpus, &CorpusPanel::loadFailed, m_log, &LogPanel::append);
  connect(m_corpus, &CorpusPanel::pieceActivated, this, &MainWindow::showScore);
  connect(m_training, &TrainingPanel::logMessage, m_log, &LogPanel::append);
  // While training runs, Generate may use its latest weights.
  connect(m_training, &TrainingPanel::started, this, [this] { m_generate->setTrainingRunning(true); });
  connect(m_generate, &GeneratePanel::trainingModelWanted, m_training, &TrainingPanel::requestSnapshot);
  connect(m_training, &TrainingPanel::snapshotReady, m_generate, &GeneratePanel::useTrainingSnapshot);
  connect(m_training, &TrainingPanel::finished, this, [this](const QString& path, const QString& error) {
    m_generate->setTrainingRunning(false);
    if (!error.isEmpty()) {
      m_log->append(tr("Training failed: %1").arg(error));
      return;
    }
    m_log->append(tr("Generating with %1.").arg(QDir::toNativeSeparators(path)));
    m_generate->loadModel(path);
  });
  m_generate->setPrimeSources(
      [this] {
        std::vector<midi::Score> pieces;
        if (const auto corpus = m_corpus->corpus()) {
          for (const auto& f : corpus->files) {
            if (f.score) pieces.push_back(*f.score);
          }
        }
        return pieces;
      },
      [this] {
        std::vector<midi::Note> notes;
        for (std::size_t i = 0; i < m_document->notes().size(); ++i) {
          if (m_document->selection()[i]) notes.push_back(m_document->notes()[i].note);
        }
        midi::Score selection = generate::scoreFromNotes(notes, m_document->ticksPerQuarter());
        selection.tempos = m_document->header().tempos;
        return selection;
      });
  connect(m_generate, &GeneratePanel::logMessage, m_log, &LogPanel::append);
  // The Compare view measures the takes against the loaded corpus, split as the model's
  // training split it, shortly after either changes.
  m_measureTakes = new QTimer(this);
  m_measureTakes->setSingleShot(true);
  m_measureTakes->setInterval(300);
  connect(m_measureTakes, &QTimer::timeout, this, [this] {
    const train::TrainingConfig* config = m_generate->trainingConfig();
    m_compare->measureTakes(m_generate->takes(), m_corpus->corpus(), config ? config->validFraction : 0.1,
                            config ? config->seed : 1);
  });
  auto measureSoon = [this] { m_measureTakes->start(); };
  connect(m_generate, &GeneratePanel::takesChanged, this, measureSoon);
  connect(m_corpus, &CorpusPanel::loaded, this, measureSoon);
  connect(m_generate, &GeneratePanel::stateChanged, this, [this](bool canGenerate, bool generating) {
    m_generateAction->setEnabled(canGenerate);
    m_generateAction->setText(generating ? tr("Stop &Generating") : tr("&Generate"));
    m_generateAction->setIcon(style()->standardIcon(generating ? QStyle::SP_MediaStop : QStyle::SP_MediaSeekForward));
  });
  connect(m_generate, &GeneratePanel::generationStarted, this, [this](const midi::Score& header, int program) {
    m_document->setScore(header);
    m_title = tr("Generating…");
    updateTitle();
    m_transport->beginStream(header, program);
    m_transport->play(); // the first notes sound as soon as they are drawn
  });
  connect(m_generate, &GeneratePanel::noteEvent, this, [this](const tokenize::NoteEvent& e) {
    if (!m_document->applyStreamEvent(e)) return;
    if (e.kind == tokenize::NoteEvent::Kind::Start) {
      m_transport->streamNoteStart(e.ticks, e.pitch, e.velocity);
    } else {
      m_transport->streamNoteEnd(e.ticks, e.pitch);
    }
  });
  connect(m_generate, &GeneratePanel::generationFinished, this, [this](int take, const QString& error) {
    m_transport->endStream();
    if (take < 0) {
      m_log->append(tr("Generation failed: %1").arg(error));
      return;
    }
    const Take& t = m_generate->takes()[static_cast<std::size_t>(take)];
    m_title = t.name;
    updateTitle();
    m_roll->zoomToFit(); // the whole new take; the playhead still leads the view while it plays
    m_log->append(tr("%1: %2 notes.").arg(t.name).arg(t.score.noteCount()));
  });
  connect(m_generate, &GeneratePanel::takeActivated, this, &MainWindow::showScore);
}

namespace {

// The first local file or folder of a drag that the window can open.
QString droppedPath(const QMimeData* mime) {
  if (!mime || !mime->hasUrls()) return {};
  for (const QUrl& url : mime->urls()) {
    if (!url.isLocalFile()) continue;
    const QFileInfo info(url.toLocalFile());
    const QString suffix = info.suffix().toLower();
    if (info.isDir() || suffix == QLatin1String("mid") || suffix == QLatin1String("midi") ||
        suffix == QLatin1String("kar") || suffix == QLatin1String("rmi")) {
      return info.absoluteFilePath();
    }
  }
  return {};
}

} // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!droppedPath(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QString path = droppedPath(event->mimeData());
  if (path.isEmpty()) return;
  event->acceptProposedAction();
  if (QFileInfo(path).isDir()) {
    m_corpus->load(path);
  } else {
    openMidi(path);
  }
}

void MainWindow::showPreferences() {
  PreferencesDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted) return;
  dialog.save();
  m_transport->reconfigure(dialog.sound());
  train::TrainingConfig config = m_training->config();
  config.threads = dialog.trainingThreads();
  m_training->setConfig(config);
  statusBar()->showMessage(m_transport->message(), 8000);
  m_log->append(m_transport->message());
}

void MainWindow::openStartupData() {
  // Useful in seconds: the last model and folder, or the bundled demo model and corpus.
  QSettings settings;
  const QString demo = demoFolder();
  const QString lastModel = settings.value(QStringLiteral("generate/model")).toString();
  if (!(QFileInfo::exists(lastModel) && m_generate->loadModel(lastModel))) {
    const QString bundled = bundledModelPath();
    if (!bundled.isEmpty() && m_generate->loadModel(bundled)) {
      m_log->append(tr("Opened the bundled model: press Generate to hear it."));
    }
  }
  const QString lastFolder = settings.value(QStringLiteral("corpus/lastFolder")).toString();
  if (!lastFolder.isEmpty() && QFileInfo(lastFolder).isDir()) {
    m_corpus->load(lastFolder);
  } else if (!demo.isEmpty()) {
    m_corpus->load(demo + QStringLiteral("/corpus"));
  }
}

void MainWindow::chooseAndSaveModel() {
  const QString source = m_generate->modelPath();
  if (source.isEmpty()) {
    QMessageBox::information(this, tr("Save Model As"), tr("Train or open a model first."));
    return;
  }
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Save Model As"), source, tr("Lyrebird models (*.lyrebird)"));
  if (path.isEmpty() || path == source) return;
  QFile::remove(path);
  if (!QFile::copy(source, path)) {
    QMessageBox::warning(this, tr("Save Model As"),
                         tr("The model could not be written to %1.").arg(QDir::toNativeSeparators(path)));
    return;
  }
  m_log->append(tr("Model saved as %1.").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::showAbout() {
  const QString attribution = demoFolder() + QStringLiteral("/ATTRIBUTION.tsv");
  const QString list =
      QFileInfo::exists(attribution)
          ? tr("<a href=\"%1\">ATTRIBUTION.tsv</a>").arg(QUrl::fromLocalFile(attribution).toString(QUrl::FullyEncoded))
          : tr("ATTRIBUTION.tsv beside it");
  QMessageBox::about(this, tr("About Lyrebird"),
                     tr("<h3>Lyrebird %1</h3>"
                        "<p>A desktop composer that learns music from a folder of MIDI files "
                        "with LSTM networks and writes new music.</p>"
                        "<p>Sound: FluidSynth with a General MIDI SoundFont (by default TimGM6mb by Tim "
                        "Brechbill, GPL-2, from Debian's timgm6mb-soundfont).</p>"
                        "<p>The bundled model learned 1,249 pieces: 530 keyboard pieces from the Mutopia "
                        "Project (mutopiaproject.org; public domain, CC BY and CC BY-SA, each piece's "
                        "typesetter credited), 337 piano pieces sequenced by Bernd Krüger (piano-midi.de, "
                        "CC BY-SA 3.0 DE) and 382 chorales of J. S. Bach (public domain). It is licensed "
                        "under CC BY-SA 4.0; every piece, its composer, source and licence: %3.</p>"
                        "<p>Demo corpus: 48 public-domain piano pieces from the Mutopia Project, rendered "
                        "from their LilyPond sources, which the bundled model never learned.</p>"
                        "<p>Lyrebird is free software under the GNU General Public License, version 3 or "
                        "later. Built with Qt %2.</p>")
                         .arg(QStringLiteral(LYREBIRD_VERSION), QString::fromLatin1(qVersion()), list));
}

void MainWindow::restoreLayout() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
    const QRect screen = QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->availableGeometry()
                                                          : QRect(0, 0, 1280, 800);
    // A first start fills the screen (the piano roll, the panels and the charts all want room).
    resize(std::max(900, screen.width()), std::max(640, screen.height()));
  }
  if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray())) {
    // A first layout that leaves the piano roll most of the window, applied once the
    // window has its size.
    QTimer::singleShot(0, this, [this] {
      // The training charts need about 290 px to show their axes; a small screen gives them that.
      resizeDocks({m_docks.training}, {std::max(height() / 3, 290)}, Qt::Vertical);
      // The Generate panel as wide as its form needs, so no setting hides behind a scroll bar.
      const int generateWidth = m_generate->sizeHint().width() + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 8;
      resizeDocks({m_docks.corpus, m_docks.generate}, {340, std::max(330, generateWidth)}, Qt::Horizontal);
      // Generate above, the takes below: the takes get what the settings leave, and at least
      // room for their buttons and about eight takes (on a small screen the settings scroll).
      const int settingsHeight = m_generate->sizeHint().height() + 2 * style()->pixelMetric(QStyle::PM_TitleBarHeight);
      const int takesHeight = std::max({m_generate->takesPanel()->sizeHint().height(), 8 * fontMetrics().height() + 90,
                                        m_docks.generate->height() + m_docks.takes->height() - settingsHeight});
      resizeDocks({m_docks.generate, m_docks.takes}, {std::max(1, height() - takesHeight), takesHeight}, Qt::Vertical);
    });
  }
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
  m_roll->zoomToFit(); // the whole piece, its time and its pitch range
}

bool MainWindow::openMidi(const QString& path) {
  const Result<midi::SmfFile> file = midi::readSmfFile(path.toStdString());
  if (!file) {
    QMessageBox::warning(this, tr("Open MIDI File"), QString::fromStdString(file.error().describe()));
    return false;
  }
  m_currentPath = path;
  showScore(file->score, QFileInfo(path).fileName());
  m_recentMenu->add(path);
  statusBar()->showMessage(tr("Opened %1: %2 notes.").arg(QFileInfo(path).fileName()).arg(file->score.noteCount()),
                           5000);
  return true;
}

void MainWindow::chooseAndOpen() {
  const QString dir =
      QSettings()
          .value(QStringLiteral("files/lastDir"), QStandardPaths::writableLocation(QStandardPaths::MusicLocation))
          .toString();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open MIDI File"), dir,
                                                    tr("MIDI files (*.mid *.midi *.kar *.rmi);;All files (*)"));
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("files/lastDir"), QFileInfo(path).absolutePath());
  openMidi(path);
}

QString MainWindow::suggestedExportName(const QString& extension) const {
  const QString dir =
      QSettings()
          .value(QStringLiteral("files/exportDir"), QStandardPaths::writableLocation(QStandardPaths::MusicLocation))
          .toString();
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
  const Status rendered = exportAudio(this, m_document->score(), path, SoundPreferences::load());
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
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export MIDI"), suggestedExportName(QStringLiteral(".mid")), tr("MIDI files (*.mid)"));
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("files/exportDir"), QFileInfo(path).absolutePath());
  exportMidi(path);
}

void MainWindow::chooseAndExportAudio() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export Audio"), suggestedExportName(QStringLiteral(".wav")),
                                   tr("WAV audio (*.wav);;FLAC audio (*.flac);;Ogg Vorbis audio (*.ogg)"));
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("files/exportDir"), QFileInfo(path).absolutePath());
  exportAudioFile(path);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (m_training->isTraining()) {
    const auto answer =
        QMessageBox::question(this, tr("Training in progress"),
                              tr("A model is being trained. Stop training (the progress so far is saved) and quit?"),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
    m_training->stop();
  }
  m_generate->stopGenerating();
  m_corpus->cancel();
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  m_transport->panic();
  event->accept();
}

} // namespace lyrebird::ui
