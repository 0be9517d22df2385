#pragma once

#include "base/result.h"
#include "corpus/corpus.h"
#include "distributed/distributedconfig.h"
#include "train/checkpoint.h"
#include "train/metrics.h"
#include "train/trainingconfig.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

namespace lyrebird::train {

/// Pause and resume a running training (runTraining) from any thread. Stopping uses the
/// stop_token given to runTraining(); a paused run also wakes up for a stop request.
class TrainingControl {
public:
  void pause();
  void resume();
  bool paused() const { return m_paused.load(); }
  /// Asks for the weights as they are now, written to `path` as a model for generating (no
  /// optimizer state) after the current batch, or at once when paused, without stopping the
  /// run; TrainingCallbacks::snapshot says when it is written. A later request replaces one
  /// not yet served.
  void requestSnapshot(std::filesystem::path path);
  /// The training thread's side: the pending request, if any (and clears it).
  std::optional<std::filesystem::path> takeSnapshotRequest();
  /// Blocks the training thread while paused; returns early when `stop` or a snapshot is requested.
  void waitWhilePaused(std::stop_token stop);

private:
  std::atomic<bool> m_paused{false};
  std::mutex m_mutex;
  std::condition_variable_any m_changed;
  std::optional<std::filesystem::path> m_snapshot; // guarded by m_mutex
};

struct TrainingJob {
  TrainingConfig config;
  std::filesystem::path output; ///< last checkpoint; the best one goes beside it as NAME.best.lyrebird
  bool resume = false;          ///< continue from `output` (its settings win, except epochs and time limit)
  /// Fine-tuning: start from this model's network and vocabulary (a fresh optimizer, history and
  /// split of this folder). `config` must be able to start from it (TrainingConfig::canStartFrom;
  /// TrainingConfig::fineTuning() makes such settings); grid and event models only (a note-chord
  /// vocabulary holds the chords of its own music). Exclusive with `resume`. Before the first
  /// step the run measures the model on this folder: the history starts with that point (epoch 0,
  /// step 0), and it is the best model until training beats it. The new model's copy index holds
  /// both musics, so its takes copy neither.
  std::filesystem::path from;
  std::filesystem::path csvLog; ///< optional: the metrics history as CSV, rewritten as it grows
  /// Data-parallel training over several processes (see runTraining); a world of one by default.
  distributed::DistributedConfig distributed;
};

struct TrainingOutcome {
  int epochsDone = 0;
  std::int64_t steps = 0;
  double bestValidLoss = INFINITY;
  bool stoppedEarly = false; ///< by patience
  bool cancelled = false;    ///< by the stop token (a checkpoint was still written)
  bool timeLimitReached = false;
  std::filesystem::path lastCheckpoint;
  std::filesystem::path bestCheckpoint;
  double collectiveSecondsPerStep = 0.0; ///< distributed: time inside all-reduce per step
  double stepSeconds = 0.0;              ///< mean wall time of one training step
};

/// Where a run stands after a batch (TrainingCallbacks::progress).
struct BatchProgress {
  int epoch = 0; ///< 1-based
  std::int64_t batchInEpoch = 0;
  std::int64_t batchesInEpoch = 0;
  std::int64_t step = 0;        ///< optimizer steps since the run began
  double loss = NAN;            ///< the batch's training loss
  double tokensPerSecond = 0.0; ///< training targets per second of this session's steps so far
  double elapsedSeconds = 0.0;  ///< training time of the run (resumed runs continue it)
  double etaSeconds = 0.0;      ///< to the end of the planned epochs or the time limit
};

/// Batches between two training points of the metrics history: config.metricsEveryBatches,
/// or fewer in a short epoch, so every epoch of at least kMetricsPointsPerEpoch batches gets
/// that many points (a small folder's 33 batches an epoch gave under two at 20).
inline constexpr std::int64_t kMetricsPointsPerEpoch = 10;
std::int64_t metricsInterval(int metricsEveryBatches, std::int64_t batchesInEpoch);

struct TrainingCallbacks {
  /// Every metricsInterval() batches and after each epoch (on the training thread).
  std::function<void(const MetricsRecord&)> metrics;
  /// After every batch (on the training thread; cheap to call): a progress line that moves
  /// while training runs. A GUI throttles what it shows.
  std::function<void(const BatchProgress&)> progress;
  /// A snapshot asked for by TrainingControl::requestSnapshot() was written to the path (error
  /// empty) or could not be (error says why); on the training thread.
  std::function<void(const std::filesystem::path&, const std::string& error)> snapshot;
  /// Plain sentences: data summary, checkpoints written, learning-rate changes.
  std::function<void(const std::string&)> log;
};

/// Trains one of the poster's models or the default one on a loaded corpus. Shared by
/// the CLI and the GUI's worker thread; blocks until done, cancelled or failed.
///
/// Threads: torch's intra-op thread count is set to config.threads (process-wide). On
/// Debian's LibTorch with OpenBLAS, one intra-op thread is fastest: OpenBLAS runs its
/// own threads inside each matrix product, and a second OpenMP thread made steps 3-4x
/// slower when measured (see the README).
///
/// Determinism: the same corpus, config (seed included) and threads give the same loss
/// curve. A resumed run continues the same curve, batch for batch.
///
/// Distributed (job.distributed.worldSize > 1): every rank runs this with the same folder
/// and config. The ranks meet through c10d (TCPStore at rank 0, Gloo); all start from rank
/// 0's weights (and, resuming, from rank 0's model file, sent to them). Each global batch of
/// config.batch windows is cut into one contiguous shard per rank (as PyTorch's
/// DistributedSampler shards a dataset); gradients are summed over the ranks in buckets and
/// weighted so the step equals one process's step on the whole batch. Loss, accuracy,
/// validation, early stopping, Ctrl+C and the time limit are agreed over all ranks; only
/// rank 0 writes checkpoints and the CSV log and calls the callbacks. Without dropout the
/// loss curve equals a single process's within floating-point rounding. A rank that dies or
/// cannot connect makes the others fail with an Error within job.distributed.timeoutSeconds.
Result<TrainingOutcome> runTraining(const corpus::Corpus& corpus, const TrainingJob& job, TrainingControl& control,
                                    std::stop_token stop, const TrainingCallbacks& callbacks);

/// "NAME.best.lyrebird" beside "NAME.lyrebird".
std::filesystem::path bestCheckpointPath(const std::filesystem::path& output);

/// The model a run leaves for generating: its best (lowest validation loss) when one was
/// written, else its last.
std::filesystem::path bestOrLastCheckpoint(const TrainingOutcome& outcome);

/// Writes the model at `source` to `target` without its optimizer and random state, its LSTM
/// matrices in the half precision the generator computes with (the same takes): about a sixth of
/// the size, for generating and shipping (it cannot be resumed; fine-tuning can start from it).
Status exportForGenerating(const std::filesystem::path& source, const std::filesystem::path& target);

} // namespace lyrebird::train
