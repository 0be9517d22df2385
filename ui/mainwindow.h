#pragma once

#include <QMainWindow>

#include <array>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTimer;

namespace lyrebird::midi {
struct Score;
}

namespace lyrebird::ui {

class ComparePanel;
class CorpusPanel;
class GeneratePanel;
class LogPanel;
class NoteDocument;
class PianoRoll;
class RegionEditor;
class RecentFilesMenu;
class TrainingPanel;
class Transport;

/// The application window: a piano roll in the middle, a transport toolbar, menus in the
/// conventions of music apps (Space plays, Home goes to the start). Composes and wires the
/// parts; owns no algorithm. GUI thread only.
class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  NoteDocument* document() const { return m_document; }
  PianoRoll* pianoRoll() const { return m_roll; }
  RegionEditor* regionEditor() const { return m_region; }
  Transport* transport() const { return m_transport; }
  CorpusPanel* corpusPanel() const { return m_corpus; }
  TrainingPanel* trainingPanel() const { return m_training; }
  GeneratePanel* generatePanel() const { return m_generate; }
  ComparePanel* comparePanel() const { return m_compare; }

  /// Opens a MIDI file in the piano roll; false (and a message) when it cannot be read.
  bool openMidi(const QString& path);
  /// Shows `score` in the piano roll as a new document titled `title`.
  void showScore(const midi::Score& score, const QString& title);
  bool exportMidi(const QString& path);
  bool exportAudioFile(const QString& path);

protected:
  void closeEvent(QCloseEvent* event) override;
  /// A MIDI file dropped anywhere on the window opens; a folder loads as the corpus.
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void createActions();
  void createMenus();
  void createToolBar();
  void createPanels();
  void wirePanels();
  void chooseAndSaveModel();
  void showPreferences();
  void openStartupData();
  void showAbout();
  void restoreLayout();
  void chooseAndOpen();
  void chooseAndExportMidi();
  void chooseAndExportAudio();
  void updateTitle();
  QString suggestedExportName(const QString& extension) const;

  NoteDocument* m_document = nullptr;
  PianoRoll* m_roll = nullptr;
  RegionEditor* m_region = nullptr;
  Transport* m_transport = nullptr;
  CorpusPanel* m_corpus = nullptr;
  TrainingPanel* m_training = nullptr;
  GeneratePanel* m_generate = nullptr;
  LogPanel* m_log = nullptr;
  ComparePanel* m_compare = nullptr;
  QTimer* m_measureTakes = nullptr; // measures the takes a moment after they change
  /// The docks, by what they hold; all() in the order the View menu lists them.
  struct Docks {
    QDockWidget* corpus = nullptr;
    QDockWidget* training = nullptr;
    QDockWidget* generate = nullptr;
    QDockWidget* takes = nullptr;
    QDockWidget* log = nullptr;
    QDockWidget* compare = nullptr;
    std::array<QDockWidget*, 6> all() const { return {corpus, training, generate, takes, log, compare}; }
  } m_docks;
  QLabel* m_position = nullptr;
  RecentFilesMenu* m_recentMenu = nullptr;
  QString m_title;
  QString m_currentPath;

  QAction* m_open = nullptr;
  QAction* m_openFolder = nullptr;
  QAction* m_openModel = nullptr;
  QAction* m_saveModel = nullptr;
  QAction* m_exportMidi = nullptr;
  QAction* m_exportAudio = nullptr;
  QAction* m_quit = nullptr;
  QAction* m_preferences = nullptr;
  QAction* m_undo = nullptr;
  QAction* m_redo = nullptr;
  QAction* m_selectAll = nullptr;
  QAction* m_delete = nullptr;
  QAction* m_transposeUp = nullptr;
  QAction* m_transposeDown = nullptr;
  QAction* m_octaveUp = nullptr;
  QAction* m_octaveDown = nullptr;
  QAction* m_quantize = nullptr;
  QAction* m_play = nullptr;
  QAction* m_toStart = nullptr;
  QAction* m_panic = nullptr;
  QAction* m_generateAction = nullptr;
  QAction* m_regenerateRegion = nullptr;
  QAction* m_continueHere = nullptr;
  QAction* m_follow = nullptr;
  QAction* m_drawTool = nullptr;
  QAction* m_zoomIn = nullptr;
  QAction* m_zoomOut = nullptr;
  QAction* m_zoomFit = nullptr;
};

} // namespace lyrebird::ui
