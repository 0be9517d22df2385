#pragma once

#include "base/result.h"
#include "evaluate/modelevaluation.h"
#include "generate/generator.h"
#include "train/metrics.h"
#include "train/trainer.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

/// The poster's experiment: every model preset trains on every corpus under the same budget and
/// split; each run's takes are generated and measured against the corpus's held-out files; the
/// results are written as a CSV of every curve, a JSON of every number and a markdown report
/// with a reading of them. `lyrebird-cli experiment` parses its options into an
/// ExperimentPlan, runs it and draws the charts (Qt) from experimentCurves().
namespace lyrebird::evaluate {

struct ExperimentCorpus {
  std::string name; ///< used in file names, tables and run names ("nottingham")
  std::filesystem::path folder;
};

struct ExperimentPlan {
  std::vector<ExperimentCorpus> corpora;
  std::vector<std::string> presets{"seed-single", "seed-stacked", "default"};
  /// The budget of every run: epochs, or minutes of training (epochs then unlimited).
  std::optional<int> epochs;
  std::optional<double> minutes;
  std::uint64_t seed = 1; ///< of the split, the weights and the takes
  int takes = 4;          ///< per run
  generate::Length length;
  std::string lengthText = "30s"; ///< `length` as the user wrote it, for the report
  int threads = 1;                ///< torch threads for training
  /// Overrides of every preset's shape (quick trials); a hidden size or layer count given by
  /// hand turns the automatic sizing off.
  std::optional<int> hidden, layers, sequenceLength, batch;
  std::filesystem::path out; ///< the results folder (models/ and takes/ are made in it)
  /// A run whose model is already in `out` is not trained again; its takes are made anew.
  bool reuseModels = false;
  bool audio = false; ///< whether the caller writes the takes as audio too (the report says so)
};

/// One preset on one corpus.
struct ExperimentRun {
  std::string model; ///< the preset
  std::string corpus;
  train::TrainingOutcome outcome;
  std::vector<train::MetricsRecord> history; ///< the whole curve (from the last checkpoint)
  int vocabulary = 0;
  ModelEvaluation evaluation;
  double bestValidAccuracy = NAN; ///< at the epoch of the lowest validation loss
  double bestValidTop5 = NAN;
  std::string name() const { return corpus + '-' + model; }
  /// The longest passage any take copied from the training files, in notes.
  int longestCopyNotes() const;
};

struct ExperimentResults {
  ExperimentPlan plan;
  std::vector<ExperimentRun> runs;
  std::map<std::string, HeldOutMusic> heldOut; ///< by corpus name, the split every run saw
};

struct ExperimentCallbacks {
  /// A line of progress ("nottingham-default: epoch 3, ..."), without its newline.
  std::function<void(const std::string& line)> log;
  /// A take was written as `stem`.mid; the caller may add other forms (audio) beside it.
  std::function<void(const midi::Score& take, const std::filesystem::path& stem)> takeWritten;
};

/// The training settings of `preset` under the plan's budget, seed, threads and overrides;
/// an error names an unknown preset or the override that is out of range.
Result<train::TrainingConfig> experimentConfig(const ExperimentPlan& plan, const std::string& preset);

/// Trains (or with reuseModels, reads back) and measures every run, corpus by corpus, writing
/// the models to out/models and the takes to out/takes. Stops at the first failure.
Result<ExperimentResults> runExperiment(const ExperimentPlan& plan, const ExperimentCallbacks& callbacks = {});

/// One corpus's curves, per run in order: validation points at the end of each epoch and
/// training points in between, x in minutes of training, y a loss (nats per token) or an
/// accuracy (%).
struct ExperimentCurve {
  std::string model;
  std::vector<std::pair<double, double>> valid;
  std::vector<std::pair<double, double>> train;
};
std::vector<ExperimentCurve> experimentCurves(const ExperimentResults& results, const std::string& corpus, bool loss);

/// What the report concludes for one corpus.
struct ExperimentReading {
  const ExperimentRun* closest = nullptr; ///< lowest pitch-class + IOI set distance
  double closestSetSum = NAN;
  const ExperimentRun* defaultRun = nullptr; ///< the default preset's run, if it took part
  bool defaultBeatsAll = false;              ///< closer than every other run on both set distances
  int defaultLongestCopy = 0;
  bool defaultWithinCopyLimit = false;
};
ExperimentReading readExperiment(const ExperimentResults& results, const std::string& corpus);

/// metrics.csv: every run's curve, one row per record.
std::string experimentCsv(const ExperimentResults& results);
/// metrics.json: the budget, the seed and every run's numbers with its evaluation.
std::string experimentJson(const ExperimentResults& results);
/// report.md: per corpus the tables, the charts (loss-NAME.png, accuracy-NAME.png) and the reading.
std::string experimentReport(const ExperimentResults& results);

/// JSON object members for an evaluation against `music`: files, takes, their mean, the
/// reference, the set distances, the yardsticks and Yang & Lerch's overlaps (evaluate's output).
std::string evaluationJson(const ModelEvaluation& evaluation, const HeldOutMusic& music);

} // namespace lyrebird::evaluate
