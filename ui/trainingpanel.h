#pragma once

#include "corpus/corpus.h"
#include "train/metrics.h"
#include "train/trainer.h"
#include "train/trainingconfig.h"

#include <QWidget>

#include <cmath>
#include <memory>
#include <thread>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace lyrebird::ui {

class MetricsChart;

/// The Training panel: a preset and every hyper-parameter, Start / Pause / Resume / Stop,
/// progress (epoch, batch, tokens/s, ETA) and live loss/accuracy charts. Training runs on
/// a worker thread (train::runTraining); metrics arrive through queued calls, so the GUI
/// never waits for a batch. Checkpoints are written by the trainer after every epoch.
/// GUI thread only.
class TrainingPanel : public QWidget {
  Q_OBJECT

public:
  explicit TrainingPanel(QWidget* parent = nullptr);
  ~TrainingPanel() override;

  /// The corpus to train on (from the Corpus panel) and a name for the model file.
  void setCorpus(std::shared_ptr<const corpus::Corpus> corpus, const QString& name);
  /// The settings the form shows.
  train::TrainingConfig config() const;
  void setConfig(const train::TrainingConfig& config);
  /// Where the model goes (default: the app's data folder, named after the corpus and preset).
  QString modelPath() const;
  void setModelPath(const QString& path);

  /// The model a run starts from (fine-tuning, train::TrainingJob::from), or empty to learn from
  /// scratch. Choosing one shows its network and the fine-tuning settings (the shape options
  /// cannot change); false (reason in the status, scratch kept) if it cannot be read.
  bool setStartFrom(const QString& modelPath);
  QString startFrom() const { return m_fromPath; }
  /// Metrical folders of fewer notes start from the bundled model by default; larger ones, and
  /// recorded performances, from scratch. Measured (docs/measurements.md): starting from the
  /// bundled model gave the lower held-out loss in 3 and 10 minutes on every folder tried, from
  /// 6,618 notes to all of nottingham's 712,532 (0.670 against 0.869 nats per token after 10
  /// minutes); beyond that it is unmeasured.
  static constexpr std::size_t kStartFromBundledBelowNotes = 750000;

  /// Overlays the training curves stored in a saved model; false (reason in the status) if unreadable.
  bool openPastRun(const QString& path);

  bool isTraining() const { return m_worker.joinable() && !m_finished; }
  MetricsChart* chart() const { return m_chart; }

public Q_SLOTS:
  void start();
  void pauseOrResume();
  /// Stops between two batches; the trainer saves a checkpoint. Blocks until it has.
  void stop();
  /// Asks the running training for its weights as they are now, as a model file for generating
  /// (written between two batches without stopping, or at once when paused); snapshotReady says
  /// when. Without a running training, snapshotReady comes with an error.
  void requestSnapshot();

Q_SIGNALS:
  void started();
  /// Training ended (done, stopped, or failed with `error`). Unless error, `modelPath` is the
  /// model to generate with: the run's best (lowest validation loss; NAME.best.lyrebird beside
  /// the model file) when one was written, else the model file itself.
  void finished(const QString& modelPath, const QString& error);
  void logMessage(const QString& text);
  /// The progress line moved (at most kProgressPerSecond times a second while training).
  void progressed(const QString& line);
  /// The snapshot asked for is at `path` (error empty) or could not be written.
  void snapshotReady(const QString& path, const QString& error);

public:
  static constexpr int kProgressPerSecond = 10;

private:
  // The constructor's parts: the settings (a preset and every hyper-parameter), and the
  // buttons, progress and status above them.
  QFormLayout* buildSettingsForm();
  QWidget* buildControls(QFormLayout* form);
  void applyPreset(const QString& name);
  /// The Start from box's choice changed (index into its items).
  void onStartFromChosen(int index);
  /// The file name a new model gets: the corpus and the preset, or the model it starts from.
  void proposeModelPath();
  void onMetrics(const train::MetricsRecord& record);
  void onProgress(const train::BatchProgress& progress);
  /// How a run ended, written by the training thread before it posts onFinished (read after that,
  /// or after joining the thread).
  struct RunEnd {
    QString error;
    QString model; ///< the model to generate with: the best when one was written (empty on error)
    double bestLoss = NAN;
  };
  void onFinished(const RunEnd& end);
  void updateButtons();

  std::shared_ptr<const corpus::Corpus> m_corpus;
  QString m_corpusName;
  QComboBox* m_startFrom = nullptr; ///< the bundled model, nothing (scratch), a model file…, chosen files
  QComboBox* m_preset = nullptr;
  QSpinBox* m_epochs = nullptr;
  QDoubleSpinBox* m_minutes = nullptr;
  QCheckBox* m_autoSize = nullptr; ///< network size and rate chosen from the music (TrainingConfig::autoSize)
  QSpinBox* m_hidden = nullptr;
  QSpinBox* m_layers = nullptr;
  QSpinBox* m_sequence = nullptr;
  QSpinBox* m_batch = nullptr;
  QDoubleSpinBox* m_learningRate = nullptr;
  QDoubleSpinBox* m_dropout = nullptr;
  QSpinBox* m_transpose = nullptr;
  QComboBox* m_tokenizer = nullptr;
  QSpinBox* m_patience = nullptr;
  QDoubleSpinBox* m_validFraction = nullptr;
  QSpinBox* m_seed = nullptr;
  QSpinBox* m_threads = nullptr;
  QLineEdit* m_output = nullptr;
  QPushButton* m_start = nullptr;
  QPushButton* m_pause = nullptr;
  QPushButton* m_stop = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_status = nullptr;
  MetricsChart* m_chart = nullptr;

  train::TrainingConfig m_base; // the preset's settings the form does not show
  train::TrainingControl m_control;
  std::jthread m_worker;
  std::shared_ptr<RunEnd> m_runEnd; // the running (or last) run's, shared with its thread
  bool m_finished = true;
  double m_lastLoss = NAN; // of the last metrics record: steadier than one batch's
  QString m_runningPath;
  QString m_fromPath; // the model the next run starts from; empty: from scratch
};

} // namespace lyrebird::ui
