#include "train/trainingrun.h"

#include "train/run.h"
#include "train/torchstate.h"
#include "train/trainingheap.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <utility>

namespace lyrebird::train::detail {

void Run::emit(const MetricsRecord& record) {
  m_history.push_back(record);
  if (m_csv.is_open()) {
    m_csv << metricsCsvRow(record) << '\n';
    m_csv.flush();
  }
  if (m_main && m_callbacks.metrics) m_callbacks.metrics(record);
}

void Run::serveSnapshot() {
  const std::optional<std::filesystem::path> path = m_control.takeSnapshotRequest();
  if (!path || !m_main) return;
  const Status written = save(*path, true);
  if (m_callbacks.snapshot) m_callbacks.snapshot(*path, written ? std::string() : written.error().describe());
}

Status Run::save(const std::filesystem::path& path, bool forGenerating) {
  if (!m_main) return Done{}; // rank 0 writes for everyone
  Checkpoint c;
  c.config = m_config;
  c.vocabulary = m_data->vocabulary();
  c.history = m_history;
  c.corpusFingerprint = m_data->fingerprint();
  c.progress = m_progress;
  c.progress.elapsedSeconds = elapsed();
  c.modelState = saveModuleState(*m_network);
  if (!forGenerating) {
    c.optimizerState = saveOptimizerState(*m_optimizer);
    c.rngState = saveRandomState();
  }
  c.copyIndex = m_copyIndex;
  return writeCheckpoint(c, path);
}

Result<TrainingOutcome> Run::execute() {
  const TrainingHeap heap;
  if (Status s = setUp(); !s) return s.error();
  m_runStart = Clock::now();
  if (!m_job.from.empty()) {
    if (Status s = measureStart(); !s) return s.error();
  }
  m_lastSave = Clock::now();
  for (int epoch = m_progress.epochsDone + 1; epoch <= m_config.epochs && !m_finished; ++epoch) {
    const std::vector<Window> windows = m_data->trainWindows(m_config.seed, epoch);
    const auto batches = static_cast<std::int64_t>((windows.size() + static_cast<std::size_t>(m_config.batch) - 1) /
                                                   static_cast<std::size_t>(m_config.batch));
    if (epoch == m_progress.epochsDone + 1 && m_progress.batchInEpoch == 0) {
      log("Epoch " + std::to_string(epoch) + ": " + std::to_string(windows.size()) + " windows in " +
          std::to_string(batches) + " batches.");
    }
    EpochTallies tallies;
    tallies.metricsEvery = metricsInterval(m_config.metricsEveryBatches, batches);
    tallies.recentStart = Clock::now();
    tallies.recentPaused = m_pausedSeconds;
    for (std::int64_t b = m_progress.batchInEpoch; b < batches; ++b) {
      if (mustStop()) {
        m_finished = true;
        break;
      }
      const Result<Tally> step = trainStep(windows, epoch, b);
      if (!step) return step.error();
      report(tallies, *step, epoch, b, batches);
      if (m_config.checkpointEveryMinutes > 0 &&
          std::chrono::duration<double>(Clock::now() - m_lastSave).count() >= m_config.checkpointEveryMinutes * 60.0) {
        if (Status s = save(m_job.output); !s) return s.error();
        m_lastSave = Clock::now();
      }
    }
    const Status ended = m_finished ? endMidEpoch(tallies, epoch, batches) : endEpoch(tallies, epoch, batches);
    if (!ended) return ended.error();
  }
  if (Status s = finish(); !s) return s.error();
  return m_outcome;
}

bool Run::mustStop() {
  serveSnapshot();
  while (m_control.paused() && !m_stop.stop_requested()) {
    const auto pauseStart = Clock::now();
    m_control.waitWhilePaused(m_stop); // a snapshot asked for meanwhile is written while paused
    m_pausedSeconds += std::chrono::duration<double>(Clock::now() - pauseStart).count();
    serveSnapshot();
  }
  m_timeUp = m_config.maxMinutes > 0 && elapsed() >= m_config.maxMinutes * 60.0;
  m_cancel = m_stop.stop_requested();
  if (!(m_group ? (m_agreedCancel || m_agreedTimeUp) : (m_cancel || m_timeUp))) return false;
  m_outcome.cancelled = m_group ? m_agreedCancel : m_cancel;
  m_outcome.timeLimitReached = !m_outcome.cancelled;
  return true;
}

Result<Tally> Run::trainStep(const std::vector<Window>& windows, int epoch, std::int64_t b) {
  const auto stepStart = Clock::now();
  const std::size_t begin = static_cast<std::size_t>(b) * static_cast<std::size_t>(m_config.batch);
  const std::size_t end = std::min(windows.size(), begin + static_cast<std::size_t>(m_config.batch));
  // This process's shard of the global batch (all of it without a process group).
  const auto [first, last] = m_group ? shardOf(end - begin, m_group->rank(), m_group->worldSize())
                                     : std::pair<std::size_t, std::size_t>{0, end - begin};
  SplitMix64 transposeRandom(m_config.seed ^ (static_cast<std::uint64_t>(epoch) << 40) ^ static_cast<std::uint64_t>(b));
  if (m_config.transpose > 0) {
    // The draws of the windows before this shard, so each window transposes as in one process.
    for (std::size_t i = 0; i < first; ++i)
      transposeRandom.below(static_cast<std::uint64_t>(2 * m_config.transpose + 1));
  }
  const Batch batch = makeBatch(*m_data, m_data->trainPieces(), m_data->trainLookback(),
                                std::span(windows).subspan(begin + first, last - first), m_config, &transposeRandom);

  m_optimizer->zero_grad();
  Tally stepTally;
  if (last > first) {
    const std::int64_t outputs = m_config.model.outputSize();
    const torch::Tensor logits = m_network->forward(batch.inputs, batch.lookback).reshape({-1, outputs});
    const torch::Tensor targets = batch.targets.reshape({-1});
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits, targets);
    stepTally.add(logits.detach(), targets, loss.item<double>());
    if (m_group) {
      // Summed over the ranks, the gradients equal one process's on the whole batch: each
      // rank's mean loss is weighted by its share of the batch's targets.
      const std::int64_t perWindow = batch.targets.numel() / static_cast<std::int64_t>(last - first);
      loss = loss * (static_cast<double>(targets.numel()) /
                     static_cast<double>(perWindow * static_cast<std::int64_t>(end - begin)));
    }
    loss.backward();
  }
  if (m_group) {
    // Distributed: a stop (Ctrl+C on any rank, or the time limit) travels with a step's sums
    // and ends the run on every rank before the next step.
    m_gradients.clear();
    for (torch::Tensor& p : m_network->parameters()) {
      if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
      m_gradients.push_back(p.grad());
    }
    m_group->allReduceSum(m_gradients);
    std::vector<double> sums = stepTally.sums();
    sums.push_back(m_cancel ? 1.0 : 0.0);
    sums.push_back(m_timeUp ? 1.0 : 0.0);
    m_group->allReduceSum(sums);
    m_agreedCancel = sums[4] > 0;
    m_agreedTimeUp = sums[5] > 0;
    sums.resize(4);
    stepTally = Tally::fromSums(sums);
  }
  if (m_config.gradientClip > 0) torch::nn::utils::clip_grad_norm_(m_network->parameters(), m_config.gradientClip);
  m_optimizer->step();
  if (!std::isfinite(stepTally.loss())) {
    return Error{ErrorKind::Diverged, m_job.output.string(), -1,
                 "Training diverged (the loss is no longer a number); lower the learning rate (--lr)."};
  }
  ++m_progress.step;
  m_progress.batchInEpoch = b + 1;
  ++m_stepsThisRun;
  m_stepSecondsSum += std::chrono::duration<double>(Clock::now() - stepStart).count();
  m_runTargets += stepTally.targets;
  return stepTally;
}

void Run::report(EpochTallies& tallies, const Tally& step, int epoch, std::int64_t b, std::int64_t batches) {
  tallies.recent.add(step);
  tallies.epoch.add(step);
  ++tallies.recentBatches;
  if (m_main && m_callbacks.progress) {
    BatchProgress p;
    p.epoch = epoch;
    p.batchInEpoch = b + 1;
    p.batchesInEpoch = batches;
    p.step = m_progress.step;
    p.loss = step.loss();
    p.tokensPerSecond = m_stepSecondsSum > 0 ? static_cast<double>(m_runTargets) / m_stepSecondsSum : 0.0;
    p.elapsedSeconds = elapsed();
    p.etaSeconds = etaSeconds(m_stepSecondsSum / static_cast<double>(m_stepsThisRun), epoch, b + 1, batches);
    m_callbacks.progress(p);
  }
  if ((b + 1) % tallies.metricsEvery != 0 && b + 1 != batches) return;
  const double seconds = std::chrono::duration<double>(Clock::now() - tallies.recentStart).count() -
                         (m_pausedSeconds - tallies.recentPaused);
  MetricsRecord r;
  r.kind = MetricsRecord::Kind::Batches;
  r.epoch = epoch;
  r.step = m_progress.step;
  r.batchInEpoch = b + 1;
  r.batchesInEpoch = batches;
  r.trainLoss = tallies.recent.loss();
  r.trainAccuracy = tallies.recent.accuracy();
  r.trainTop5 = tallies.recent.top5Accuracy();
  r.tokensPerSecond = seconds > 0 ? static_cast<double>(tallies.recent.targets) / seconds : 0.0;
  r.learningRate = m_progress.learningRate;
  r.elapsedSeconds = elapsed();
  r.etaSeconds = etaSeconds(seconds / static_cast<double>(tallies.recentBatches), epoch, b + 1, batches);
  emit(r);
  tallies.recent = Tally{};
  tallies.recentBatches = 0;
  tallies.recentStart = Clock::now();
  tallies.recentPaused = m_pausedSeconds;
}

MetricsRecord Run::validate(const EpochTallies& tallies, int epoch, std::int64_t batchesDone, std::int64_t batches) {
  const Tally valid = evaluate(m_network, *m_data, m_validWindows, m_config, m_group.get());
  MetricsRecord r;
  r.kind = MetricsRecord::Kind::Epoch;
  r.epoch = epoch;
  r.step = m_progress.step;
  r.batchInEpoch = batchesDone;
  r.batchesInEpoch = batches;
  r.trainLoss = tallies.epoch.loss();
  r.trainAccuracy = tallies.epoch.accuracy();
  r.trainTop5 = tallies.epoch.top5Accuracy();
  r.validLoss = valid.loss();
  r.validAccuracy = valid.accuracy();
  r.validTop5 = valid.top5Accuracy();
  r.learningRate = m_progress.learningRate;
  r.elapsedSeconds = elapsed();
  emit(r);
  return r;
}

Status Run::endMidEpoch(const EpochTallies& tallies, int epoch, std::int64_t batches) {
  // A time limit ends the run mid-epoch: still measure where it stands (runs with equal
  // budgets stay comparable), and keep it as the best model if it is.
  if (!m_outcome.timeLimitReached || tallies.epoch.targets == 0) return Done{};
  const MetricsRecord r = validate(tallies, epoch, m_progress.batchInEpoch, batches);
  const double monitored = std::isnan(r.validLoss) ? r.trainLoss : r.validLoss;
  if (monitored >= m_progress.bestValidLoss) return Done{};
  m_progress.bestValidLoss = monitored;
  return save(m_outcome.bestCheckpoint);
}

Status Run::endEpoch(const EpochTallies& tallies, int epoch, std::int64_t batches) {
  const MetricsRecord r = validate(tallies, epoch, batches, batches);
  m_progress.epochsDone = epoch;
  m_progress.batchInEpoch = 0;

  const double monitored = std::isnan(r.validLoss) ? r.trainLoss : r.validLoss;
  if (monitored < m_progress.bestValidLoss) {
    m_progress.bestValidLoss = monitored;
    m_progress.epochsWithoutImprovement = 0;
    if (Status s = save(m_outcome.bestCheckpoint); !s) return s;
  } else {
    ++m_progress.epochsWithoutImprovement;
    if (m_config.plateauPatience > 0 && m_progress.epochsWithoutImprovement % m_config.plateauPatience == 0) {
      const double lowered = std::max(m_config.minLearningRate, m_progress.learningRate * m_config.plateauFactor);
      if (lowered < m_progress.learningRate) {
        m_progress.learningRate = lowered;
        setLearningRate(*m_optimizer, lowered);
        log("The validation loss stopped improving; learning rate lowered to " + std::to_string(lowered) + ".");
      }
    }
  }
  if (Status s = save(m_job.output); !s) return s;
  m_lastSave = Clock::now();
  if (m_config.patience > 0 && m_progress.epochsWithoutImprovement >= m_config.patience) {
    m_outcome.stoppedEarly = true;
    log("Stopped early: no better validation loss for " + std::to_string(m_config.patience) + " epochs.");
    m_finished = true;
  }
  return Done{};
}

Status Run::finish() {
  if (m_outcome.cancelled || m_outcome.timeLimitReached) {
    if (Status s = save(m_job.output); !s) return s;
    log(m_outcome.cancelled ? "Training stopped; the model so far was saved."
                            : "Time limit reached; the model was saved.");
  }
  m_outcome.epochsDone = m_progress.epochsDone;
  m_outcome.steps = m_progress.step;
  m_outcome.bestValidLoss = m_progress.bestValidLoss;
  if (m_stepsThisRun > 0) m_outcome.stepSeconds = m_stepSecondsSum / static_cast<double>(m_stepsThisRun);
  if (m_group && m_stepsThisRun > 0) {
    m_outcome.collectiveSecondsPerStep = m_group->collectiveSeconds() / static_cast<double>(m_stepsThisRun);
    char line[200];
    std::snprintf(line, sizeof line,
                  "All-reduce: %.2f ms per step (%.1f %% of a %.1f ms step, validation included), %.2f MB per step.",
                  1e3 * m_outcome.collectiveSecondsPerStep,
                  100.0 * m_outcome.collectiveSecondsPerStep / m_outcome.stepSeconds, 1e3 * m_outcome.stepSeconds,
                  static_cast<double>(m_group->reducedBytes()) / 1e6 / static_cast<double>(m_stepsThisRun));
    log(line);
  }
  return Done{};
}

Result<TrainingOutcome> runOnce(const corpus::Corpus& corpus, const TrainingJob& job, TrainingControl& control,
                                std::stop_token stop, const TrainingCallbacks& callbacks) {
  Run run(corpus, job, control, std::move(stop), callbacks);
  return run.execute();
}

} // namespace lyrebird::train::detail
