#include "train/trainer.h"

#include "distributed/processgroup.h"
#include "train/torchstate.h"
#include "train/trainingrun.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <utility>

namespace lyrebird::train {

void TrainingControl::pause() {
  m_paused.store(true);
  m_changed.notify_all();
}

void TrainingControl::resume() {
  m_paused.store(false);
  m_changed.notify_all();
}

void TrainingControl::requestSnapshot(std::filesystem::path path) {
  {
    const std::lock_guard lock(m_mutex);
    m_snapshot = std::move(path);
  }
  m_changed.notify_all();
}

std::optional<std::filesystem::path> TrainingControl::takeSnapshotRequest() {
  const std::lock_guard lock(m_mutex);
  return std::exchange(m_snapshot, std::nullopt);
}

void TrainingControl::waitWhilePaused(std::stop_token stop) {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, stop, [this] { return !m_paused.load() || m_snapshot.has_value(); });
}

std::int64_t metricsInterval(int metricsEveryBatches, std::int64_t batchesInEpoch) {
  return std::clamp<std::int64_t>(batchesInEpoch / kMetricsPointsPerEpoch, 1, std::max(1, metricsEveryBatches));
}

std::filesystem::path bestOrLastCheckpoint(const TrainingOutcome& outcome) {
  std::error_code ec;
  return std::filesystem::exists(outcome.bestCheckpoint, ec) ? outcome.bestCheckpoint : outcome.lastCheckpoint;
}

Status exportForGenerating(const std::filesystem::path& source, const std::filesystem::path& target) {
  Result<Checkpoint> model = readCheckpoint(source);
  if (!model) return model.error();
  model->optimizerState.clear();
  model->rngState.clear();
  Result<model::LstmNetwork> network = networkFromCheckpoint(*model);
  if (!network) return network.error();
  try {
    model->modelState = saveModuleStateForGenerating(**network);
  } catch (const c10::Error& e) {
    return Error{ErrorKind::Internal, target.string(), -1,
                 std::string("LibTorch failed: ") + e.what_without_backtrace()};
  }
  return writeCheckpoint(*model, target);
}

std::filesystem::path bestCheckpointPath(const std::filesystem::path& output) {
  std::filesystem::path best = output;
  best.replace_extension();
  best += ".best";
  best += output.has_extension() ? output.extension() : std::filesystem::path(".lyrebird");
  return best;
}

Result<TrainingOutcome> runTraining(const corpus::Corpus& corpus, const TrainingJob& job, TrainingControl& control,
                                    std::stop_token stop, const TrainingCallbacks& callbacks) {
  try {
    return detail::runOnce(corpus, job, control, std::move(stop), callbacks);
  } catch (const c10::Error& e) {
    std::string what = e.what_without_backtrace();
    if (job.distributed.enabled()) {
      // c10d reports a dead or silent peer as an exception out of a collective.
      return Error{ErrorKind::Io, job.output.string(), -1,
                   "Distributed training stopped (" + distributed::rankName(job.distributed) +
                       "): another training process died, was stopped or cannot be reached (" +
                       what.substr(0, what.find('\n')) +
                       "). The last model file written is intact; run all ranks again with --resume."};
    }
    return Error{ErrorKind::Internal, job.output.string(), -1, "LibTorch failed: " + what};
  } catch (const std::exception& e) {
    if (job.distributed.enabled()) {
      return Error{ErrorKind::Io, job.output.string(), -1,
                   "Distributed training stopped (" + distributed::rankName(job.distributed) +
                       "): another training process died, was stopped or cannot be reached (" + e.what() +
                       "). The last model file written is intact; run all ranks again with --resume."};
    }
    return Error{ErrorKind::Io, job.output.string(), -1, std::string("Training failed: ") + e.what()};
  }
}

} // namespace lyrebird::train
