#pragma once

#include "generate/generator.h"
#include "generate/infill.h"
#include "midi/score.h"
#include "take.h"
#include "tokenize/tokenizer.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <thread>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSpinBox;

namespace lyrebird::ui {

class PrimeChooser;
class TakeList;

/// The Generate panel: the model, sampling (temperature, top-k, top-p, repetition penalty),
/// length, variations, seed, key, instrument, tempo, polyphony and what to continue (a
/// PrimeChooser). Generate streams the notes out as the generator draws them (noteEvent) so they
/// appear and sound at once; each generation is a take in a list to audition, keep, delete or
/// regenerate. The generator runs on a worker thread. GUI thread only.
class GeneratePanel : public QWidget {
  Q_OBJECT

public:
  /// Candidates Regenerate Region writes (8 for a 4-bar region measured well under a second: `bench infill`).
  static constexpr int kRegionCandidates = 8;

  explicit GeneratePanel(QWidget* parent = nullptr);
  ~GeneratePanel() override;

  /// Loads a model; false (and the reason in status) when it cannot be used.
  bool loadModel(const QString& path);
  QString modelPath() const { return m_modelPath; }
  bool hasModel() const { return m_generator != nullptr; }
  /// The loaded model's training settings (its split of a corpus); null without a model.
  const train::TrainingConfig* trainingConfig() const { return m_generator ? &m_generator->trainingConfig() : nullptr; }
  bool isGenerating() const { return m_worker.joinable() && !m_finished; }
  /// Sources of primes the panel cannot reach itself (set by the main window).
  void setPrimeSources(std::function<std::vector<midi::Score>()> corpusPieces,
                       std::function<midi::Score()> pianoRollSelection);
  generate::GenerateOptions options() const;
  const std::vector<Take>& takes() const { return m_takes; }
  QListWidget* takeList() const;
  /// The take list with its buttons; the main window shows it in a dock of its own.
  QWidget* takesPanel() const { return m_takesPanel; }

  /// Whether a training runs: while it does, "Use the model being trained" may be checked, and
  /// Generate then asks for its latest weights (trainingModelWanted) and generates with them.
  void setTrainingRunning(bool running);

public Q_SLOTS:
  void generate();
  void stopGenerating();
  /// Writes kRegionCandidates fillings of bars firstBar..lastBar of `piece` with the open model and
  /// the panel's settings (a new seed each time when "new each time" is ticked), ranked with the
  /// piece's own bars, on the worker; regionReady says when (with an error instead when no model
  /// is open or a generation runs).
  /// `extend`: bars after the piece's end may be asked for (the piece is continued).
  void regenerateRegion(const lyrebird::midi::Score& piece, int firstBar, int lastBar, bool extend = false);
  /// The answer to trainingModelWanted: generates with the snapshot at `path`, or shows `error`.
  void useTrainingSnapshot(const QString& path, const QString& error);

Q_SIGNALS:
  /// A generation begins: the piece's header (tempo, time signature, program).
  void generationStarted(const lyrebird::midi::Score& header, int program);
  /// A note starts or ends, as the generator makes it.
  void noteEvent(const lyrebird::tokenize::NoteEvent& event);
  /// The generation is done; `take` is its index in takes().
  void generationFinished(int take, const QString& error);
  /// A take was added or deleted.
  void takesChanged();
  /// The user picked a take to audition.
  void takeActivated(const lyrebird::midi::Score& score, const QString& name);
  void logMessage(const QString& text);
  /// Whether a model is loaded and whether a generation runs (for the window's Generate action).
  void stateChanged(bool canGenerate, bool generating);
  /// Generate was pressed with "Use the model being trained" checked: the main window asks the
  /// training for a snapshot and answers with useTrainingSnapshot().
  void trainingModelWanted();
  /// The candidates regenerateRegion() asked for, best first (result null and error set on failure).
  void regionReady(std::shared_ptr<const lyrebird::generate::InfillResult> result, const QString& error);

private:
  // The constructor's parts: the sampling settings (and what to continue), and the takes.
  QFormLayout* buildSettingsForm();
  void addPrimeRows(QFormLayout* form);
  QWidget* buildTakesPanel();
  void chooseModel();
  /// Replaces the generator with the model at `path`, shown as `title`; false (reason in status) if unusable.
  bool loadGenerator(const QString& path, const QString& title);
  void onFinished(std::shared_ptr<midi::Score> score, quint64 seed, const QString& error);
  void updateButtons();

  std::unique_ptr<generate::Generator> m_generator;
  QString m_modelPath;

  QLabel* m_model = nullptr;
  QCheckBox* m_fromTraining = nullptr; ///< "Use the model being trained", enabled while one runs
  bool m_snapshotLoaded = false;       ///< the generator holds the snapshot just asked for
  QDoubleSpinBox* m_temperature = nullptr;
  QSpinBox* m_topK = nullptr;
  QDoubleSpinBox* m_topP = nullptr;
  QDoubleSpinBox* m_penalty = nullptr;
  QDoubleSpinBox* m_repeat = nullptr;
  bool m_repeatChosen = false; // by the user; until then each model's default (Generator::defaultRepeat())
  QDoubleSpinBox* m_density = nullptr;
  QSpinBox* m_softest = nullptr; ///< the velocity range (dynamics)
  QSpinBox* m_loudest = nullptr;
  QLineEdit* m_length = nullptr;
  QSpinBox* m_variations = nullptr;
  QSpinBox* m_seed = nullptr;
  QCheckBox* m_randomSeed = nullptr;
  QComboBox* m_key = nullptr;
  QComboBox* m_scale = nullptr;
  QComboBox* m_program = nullptr;
  QSpinBox* m_tempo = nullptr;
  static constexpr int kModelTempo = 19; ///< the tempo box's lowest value, shown as "the model's"
  QSpinBox* m_polyphony = nullptr;
  PrimeChooser* m_prime = nullptr;
  QPushButton* m_generate = nullptr;
  QPushButton* m_stop = nullptr;
  QWidget* m_takesPanel = nullptr;
  TakeList* m_takeList = nullptr;
  QPushButton* m_keep = nullptr;
  QPushButton* m_delete = nullptr;
  QPushButton* m_regenerate = nullptr;
  QLabel* m_status = nullptr;

  std::vector<Take> m_takes;
  std::jthread m_worker;
  bool m_finished = true;
  int m_remainingVariations = 0;
  quint64 m_nextSeed = 0;
};

} // namespace lyrebird::ui
