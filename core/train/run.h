#pragma once

// Internal to core/train: the training loop of one run (Run), shared by trainingrun.cpp (the
// epochs, the steps, the end) and runsetup.cpp (a new, resumed or fine-tuning run's set-up).

#include "distributed/processgroup.h"
#include "model/lstmnetwork.h"
#include "train/batching.h"
#include "train/dataset.h"
#include "train/trainer.h"

#include <torch/optim/optimizer.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

namespace lyrebird::train::detail {

using Clock = std::chrono::steady_clock;

/// The optimizer the settings name (Adam, or Keras' RMSprop for the originals' presets).
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(model::LstmNetwork& network, const TrainingConfig& config);
void setLearningRate(torch::optim::Optimizer& optimizer, double rate);

/// The training loop of one run; owns the network, the optimizer and the bookkeeping.
class Run {
public:
  Run(const corpus::Corpus& corpus, const TrainingJob& job, TrainingControl& control, std::stop_token stop,
      const TrainingCallbacks& callbacks)
      : m_corpus(corpus), m_job(job), m_control(control), m_stop(std::move(stop)), m_callbacks(callbacks) {}

  /// setUp(), then per batch mustStop(), trainStep() and report(), per epoch endEpoch() (or
  /// endMidEpoch() when stopped), and finish().
  Result<TrainingOutcome> execute();

private:
  /// What an epoch has measured so far, and since its last metrics point.
  struct EpochTallies {
    Tally epoch;
    Tally recent;
    std::int64_t recentBatches = 0;
    std::int64_t metricsEvery = 1; // batches between two metrics points (metricsInterval())
    Clock::time_point recentStart;
    double recentPaused = 0.0; // m_pausedSeconds when the recent tally began
  };

  /// A new run or a resumed one: the data, the network, the optimizer, the CSV log.
  Status setUp();
  /// A new run's tokens and network inputs (the bar clock sized to the tokens).
  void chooseInputs();
  /// The transposition and (for a new run) the network's size, from the training tokens.
  void chooseSizes(bool resumed);
  /// Waits while paused (serving snapshots); whether the run ends before the next batch.
  bool mustStop();
  /// One optimizer step on batch `b` of `windows`: its tally, summed over the ranks.
  Result<Tally> trainStep(const std::vector<Window>& windows, int epoch, std::int64_t b);
  /// The progress after a batch, and a metrics point every tallies.metricsEvery batches.
  void report(EpochTallies& tallies, const Tally& step, int epoch, std::int64_t b, std::int64_t batches);
  /// Validation with the train metrics of the epoch so far.
  MetricsRecord validate(const EpochTallies& tallies, int epoch, std::int64_t batchesDone, std::int64_t batches);
  /// End of an epoch: validate, keep the best, lower the rate on a plateau, save, stop early.
  Status endEpoch(const EpochTallies& tallies, int epoch, std::int64_t batches);
  /// Stopped mid-epoch by the time limit: measure where it stands; keep it if best.
  Status endMidEpoch(const EpochTallies& tallies, int epoch, std::int64_t batches);
  /// Saves a stopped run and fills in the outcome.
  Status finish();
  void log(const std::string& text) const {
    if (m_main && m_callbacks.log) m_callbacks.log(text);
  }
  /// The model file at `path` when `wanted` (read by rank 0 and sent to the other ranks).
  Result<std::optional<Checkpoint>> readShared(bool wanted, const std::filesystem::path& path);
  /// Fine-tuning: checks that the run can start from `base` (job.from).
  Status checkBase(const Checkpoint& base) const;
  /// Fine-tuning: where the base model stands on this folder, before the first step (the
  /// history's first point, and the best model until training beats it).
  Status measureStart();
  Status checkSameData();
  void chooseTokenizer();
  void shareWeights();
  void emit(const MetricsRecord& record);
  /// The run's state; `forGenerating`: without optimizer and random state (cannot be resumed).
  Status save(const std::filesystem::path& path, bool forGenerating = false);
  /// Writes the snapshot TrainingControl::requestSnapshot() asked for, if any.
  void serveSnapshot();
  double elapsed() const {
    return m_elapsedBase + std::chrono::duration<double>(Clock::now() - m_runStart).count() - m_pausedSeconds;
  }
  // Seconds to the end of the planned epochs at `secondsPerBatch`, or to the time limit if sooner.
  double etaSeconds(double secondsPerBatch, int epoch, std::int64_t batchesDone, std::int64_t batches) const {
    const double remaining = static_cast<double>(batches - batchesDone) +
                             static_cast<double>(batches) * static_cast<double>(m_config.epochs - epoch);
    double eta = remaining * secondsPerBatch;
    if (m_config.maxMinutes > 0) eta = std::min(eta, m_config.maxMinutes * 60.0 - elapsed());
    return std::max(eta, 0.0);
  }

  const corpus::Corpus& m_corpus;
  const TrainingJob& m_job;
  TrainingControl& m_control;
  std::stop_token m_stop;
  const TrainingCallbacks& m_callbacks;

  TrainingConfig m_config;
  std::optional<TokenDataset> m_data;
  model::LstmNetwork m_network{nullptr};
  std::unique_ptr<torch::optim::Optimizer> m_optimizer;
  std::vector<MetricsRecord> m_history;
  TrainingProgress m_progress;
  std::ofstream m_csv;
  Clock::time_point m_runStart;
  double m_elapsedBase = 0.0;
  double m_pausedSeconds = 0.0;
  std::unique_ptr<distributed::ProcessGroup> m_group; // only in a distributed run
  bool m_main = true;                                 // rank 0 (or the only process)
  std::vector<Window> m_validWindows;
  TrainingOutcome m_outcome;
  bool m_finished = false;
  bool m_cancel = false, m_timeUp = false;             // this process's, before the step
  bool m_agreedCancel = false, m_agreedTimeUp = false; // all ranks', after the step's all-reduce
  std::int64_t m_stepsThisRun = 0;
  double m_stepSecondsSum = 0.0;
  std::int64_t m_runTargets = 0; // training targets of this session's steps
  Clock::time_point m_lastSave;
  std::vector<torch::Tensor> m_gradients;
  corpus::CopyIndex m_copyIndex; // this music's runs, and those of the model it started from
};

} // namespace lyrebird::train::detail
