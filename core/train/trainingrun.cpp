#include "train/trainingrun.h"

#include "distributed/processgroup.h"
#include "model/lstmnetwork.h"
#include "train/batching.h"
#include "train/dataset.h"
#include "train/torchstate.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>
#include <torch/optim/rmsprop.h>

#include <ATen/Parallel.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <utility>

namespace lyrebird::train {

namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(model::LstmNetwork& network, const TrainingConfig& config) {
  if (config.optimizer == TrainingConfig::Optimizer::RmsProp) {
    // Keras' RMSprop, as the originals used it: rho 0.9, epsilon 1e-7.
    return std::make_unique<torch::optim::RMSprop>(
        network->parameters(), torch::optim::RMSpropOptions(config.learningRate).alpha(0.9).eps(1e-7));
  }
  return std::make_unique<torch::optim::Adam>(network->parameters(), torch::optim::AdamOptions(config.learningRate));
}

void setLearningRate(torch::optim::Optimizer& optimizer, double rate) {
  for (auto& group : optimizer.param_groups())
    group.options().set_lr(rate);
}

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

/// The model file to resume or start from: read by rank 0 and sent to the other ranks, which
/// may run on hosts without it. Rank 0's --resume and --from decide for all.
Result<std::optional<Checkpoint>> Run::readShared(bool wanted, const std::filesystem::path& path) {
  if (!m_group) {
    if (!wanted) return std::optional<Checkpoint>{};
    Result<Checkpoint> read = readCheckpoint(path);
    if (!read) return read.error();
    return std::optional<Checkpoint>(std::move(read.value()));
  }
  std::string message = "N"; // none; 'C' + checkpoint bytes, or 'E' + what rank 0 could not read
  std::optional<Error> failure;
  if (m_main && wanted) {
    Result<Checkpoint> read = readCheckpoint(path);
    if (read) {
      message = "C" + encodeCheckpoint(*read);
    } else {
      failure = read.error();
      message = "E" + read.error().describe();
    }
  }
  m_group->broadcast(message);
  if (failure) return *failure;
  if (message == "N") return std::optional<Checkpoint>{};
  if (message.empty() || message[0] != 'C') {
    return Error{ErrorKind::Io, path.string(), -1,
                 "Rank 0 could not read the model: " + message.substr(std::min<std::size_t>(1, message.size()))};
  }
  Result<Checkpoint> decoded = decodeCheckpoint(std::string_view(message).substr(1), path.string());
  if (!decoded) return decoded.error();
  return std::optional<Checkpoint>(std::move(decoded.value()));
}

/// Every rank must tokenize the same music (the same folder, or a copy of it on each host)
/// and train with the same settings (torch threads may differ from host to host).
Status Run::checkSameData() {
  if (!m_group) return Done{};
  TrainingConfig shared = m_config;
  shared.threads = 1;
  const std::string mine = m_data->fingerprint() + "\n" + shared.serialize();
  std::string main = mine;
  m_group->broadcast(main);
  const bool sameMusic = main.substr(0, main.find('\n')) == m_data->fingerprint();
  std::vector<double> differing{sameMusic ? 0.0 : 1.0, main == mine ? 0.0 : 1.0};
  m_group->allReduceSum(differing);
  if (differing[0] > 0) {
    return Error{ErrorKind::Io,
                 {},
                 -1,
                 std::to_string(static_cast<int>(differing[0])) + " rank(s) read different music than rank 0 (" +
                     distributed::rankName(m_group->config()) +
                     "): every rank must train on the same folder, with the same files and split."};
  }
  if (differing[1] > 0) {
    return Error{ErrorKind::Io,
                 {},
                 -1,
                 std::to_string(static_cast<int>(differing[1])) +
                     " rank(s) were given other training settings than "
                     "rank 0 (" +
                     distributed::rankName(m_group->config()) +
                     "): start every rank with the same options (preset, batch, epochs, seed...)."};
  }
  return Done{};
}

/// All ranks continue from rank 0's weights; the dropout masks differ per rank.
void Run::chooseTokenizer() {
  double share = 0.0;
  m_config.tokenizer.kind = chooseTokenizerKind(m_corpus, m_config.tokenizer.gridResolution, &share);
  const bool grid = m_config.tokenizer.kind == tokenize::TokenizerConfig::Kind::Grid;
  char percent[16];
  std::snprintf(percent, sizeof percent, "%.1f%%", 100.0 * share);
  log(std::string("Tokens: ") + (grid ? "grid (metrical music: " : "event (recorded performances: ") + percent +
      " of the onsets on a grid of " + std::to_string(m_config.tokenizer.gridResolution) + " steps a quarter; " +
      (grid ? "at least " : "under ") + std::to_string(static_cast<int>(TrainingConfig::kMetricalShare * 100)) +
      "% chooses grid).");
}

void Run::shareWeights() {
  if (!m_group) return;
  std::vector<at::Tensor> state = m_network->parameters();
  for (const at::Tensor& b : m_network->buffers())
    state.push_back(b);
  m_group->broadcast(state);
  if (!m_main) {
    torch::manual_seed(m_config.seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(m_group->rank())) ^
                       static_cast<std::uint64_t>(m_progress.step));
  }
}

Status Run::setUp() {
  m_config = m_job.config;
  if (Status valid = m_config.validate(); !valid) return valid.error();
  at::set_num_threads(m_config.threads);
  if (m_job.distributed.enabled()) {
    Result<std::unique_ptr<distributed::ProcessGroup>> group = distributed::ProcessGroup::connect(m_job.distributed);
    if (!group) return group.error();
    m_group = std::move(group.value());
    m_main = m_group->rank() == 0;
    log("Connected " + std::to_string(m_group->worldSize()) + " training processes through " +
        m_job.distributed.masterHost + ":" + std::to_string(m_job.distributed.masterPort) +
        " (c10d, Gloo); each takes a shard of every batch of " + std::to_string(m_config.batch) + " windows.");
  }

  if (m_job.resume && !m_job.from.empty()) {
    return Error{ErrorKind::InvalidArgument, m_job.from.string(), -1,
                 "A run either resumes its own model or starts from another one, not both."};
  }
  Result<std::optional<Checkpoint>> resumedRead = readShared(m_job.resume, m_job.output);
  if (!resumedRead) return resumedRead.error();
  std::optional<Checkpoint> resumed = std::move(resumedRead.value());
  Result<std::optional<Checkpoint>> baseRead = readShared(!m_job.from.empty(), m_job.from);
  if (!baseRead) return baseRead.error();
  const std::optional<Checkpoint> base = std::move(baseRead.value());
  if (base) {
    if (Status s = checkBase(*base); !s) return s.error();
  }
  if (resumed) {
    // The run keeps its own settings; only how long to train may change.
    const int epochs = m_config.epochs;
    const double maxMinutes = m_config.maxMinutes;
    m_config = resumed->config;
    m_config.epochs = epochs;
    m_config.maxMinutes = maxMinutes;
    at::set_num_threads(m_config.threads);
  } else if (!base) {
    chooseInputs();
  }
  Result<TokenDataset> data = TokenDataset::build(m_corpus, m_config, resumed ? &resumed->vocabulary : nullptr);
  if (!data) return data.error();
  m_data.emplace(std::move(data.value()));
  if (base && !(m_data->vocabulary().sameTokens(base->vocabulary))) {
    return Error{ErrorKind::InvalidArgument, m_job.from.string(), -1,
                 "This folder's music needs other tokens than the model to start from knows, so its network cannot "
                 "learn it; learn from scratch instead."};
  }
  m_copyIndex = m_data->copyIndex().merged(resumed ? resumed->copyIndex : base ? base->copyIndex : corpus::CopyIndex{});
  if (!resumed) {
    m_config.corpusKeys = m_data->trainKeys();
    m_config.corpusTempoBpm = m_data->trainTempoBpm();
    m_config.corpusTemposBpm = m_data->trainTempos();
  }
  chooseSizes(resumed.has_value());
  if (Status same = checkSameData(); !same) return same.error();
  if (resumed && resumed->corpusFingerprint != m_data->fingerprint()) {
    return Error{ErrorKind::Io, m_job.output.string(), -1,
                 "This model was trained on different music (the files or the split differ), so its training "
                 "cannot be resumed on this folder. Train a new model, or resume with the original folder."};
  }
  m_config.model.vocabularySize = static_cast<int>(m_data->vocabulary().size());

  torch::manual_seed(m_config.seed);
  m_network = model::LstmNetwork(m_config.model);
  m_network->train();
  m_optimizer = makeOptimizer(m_network, m_config);
  m_progress.learningRate = m_config.learningRate;
  if (resumed) {
    if (Status s = loadModuleState(*m_network, resumed->modelState); !s) return s.error();
    if (resumed->optimizerState.empty()) {
      return Error{ErrorKind::Corrupt,
                   {},
                   -1,
                   "This model was exported for generating (without its optimizer state); training cannot resume "
                   "from it. Resume from the model file the training wrote instead."};
    }
    if (Status s = loadOptimizerState(*m_optimizer, resumed->optimizerState); !s) return s.error();
    if (Status s = loadRandomState(resumed->rngState); !s) return s.error();
    m_history = resumed->history;
    m_progress = resumed->progress;
    setLearningRate(*m_optimizer, m_progress.learningRate);
  } else if (base) {
    if (Status s = loadModuleState(*m_network, base->modelState); !s) return s.error();
  }
  m_elapsedBase = m_progress.elapsedSeconds;
  shareWeights();

  if (m_main && !m_job.csvLog.empty()) {
    const bool append = m_job.resume && std::filesystem::exists(m_job.csvLog);
    m_csv.open(m_job.csvLog, append ? std::ios::app : std::ios::trunc);
    if (!m_csv) {
      return Error{ErrorKind::Io, m_job.csvLog.string(), -1, "The metrics log cannot be written."};
    }
    if (!append) m_csv << metricsCsvHeader() << '\n';
  }

  m_validWindows = m_data->validWindows();
  log("Training on " + std::to_string(m_data->trainPieces().size()) + " files (" +
      std::to_string(m_data->trainTokens()) + " tokens), validating on " +
      std::to_string(m_data->validPieces().size()) + " files (" + std::to_string(m_validWindows.size()) +
      " windows); vocabulary of " + std::to_string(m_data->vocabulary().size()) + " tokens; " +
      std::to_string(at::get_num_threads()) + " torch thread(s).");
  m_outcome.lastCheckpoint = m_job.output;
  m_outcome.bestCheckpoint = bestCheckpointPath(m_job.output);
  return Done{};
}

Status Run::checkBase(const Checkpoint& base) const {
  for (const Status& s : {base.config.usableAsBase(), m_config.canStartFrom(base.config)}) {
    if (!s) {
      Error e = s.error();
      e.path = m_job.from.string();
      return e;
    }
  }
  log("Starting from " + m_job.from.filename().string() + " (fingerprint " + modelFingerprint(base) +
      "): " + std::to_string(base.config.model.layers) + " LSTM layers of " + std::to_string(base.config.model.hidden) +
      ", " + std::string(tokenize::TokenizerConfig::kindName(base.config.tokenizer.kind)) +
      " tokens; a fresh optimizer and history.");
  return Done{};
}

Status Run::measureStart() {
  // A sample of training windows as large as the validation's, in the first epoch's order.
  std::vector<Window> trainSample = m_data->trainWindows(m_config.seed, 1);
  trainSample.resize(std::min(trainSample.size(), static_cast<std::size_t>(m_config.maxValidWindows)));
  const Tally train = evaluate(m_network, *m_data, trainSample, m_config, m_group.get(), true);
  const Tally valid = evaluate(m_network, *m_data, m_validWindows, m_config, m_group.get());
  MetricsRecord r;
  r.kind = MetricsRecord::Kind::Epoch;
  r.epoch = 0;
  r.trainLoss = train.loss();
  r.trainAccuracy = train.accuracy();
  r.trainTop5 = train.top5Accuracy();
  r.validLoss = valid.loss();
  r.validAccuracy = valid.accuracy();
  r.validTop5 = valid.top5Accuracy();
  r.learningRate = m_progress.learningRate;
  emit(r);
  const double monitored = std::isnan(r.validLoss) ? r.trainLoss : r.validLoss;
  if (!(monitored < m_progress.bestValidLoss)) return Done{};
  m_progress.bestValidLoss = monitored;
  return save(m_outcome.bestCheckpoint);
}

void Run::chooseInputs() {
  if (m_config.autoTokenizer) chooseTokenizer();
  if (m_config.model.lookback) {
    const std::unique_ptr<tokenize::LookbackTracker> tracker =
        tokenize::Tokenizer::create(m_config.tokenizer)->lookbackTracker();
    if (!tracker) {
      m_config.model.lookback = false;
      m_config.model.repeatLabels = false;
      log("Lookback inputs: off (" + std::string(tokenize::TokenizerConfig::kindName(m_config.tokenizer.kind)) +
          " tokens know no bars).");
    } else if (m_config.barClock) {
      m_config.model.clockMeters = tracker->clockMeters();
      m_config.model.clockSteps = tracker->clockSteps();
    }
  }
  if (m_config.normalizeKeys) {
    log("Keys: every piece is learned moved to C major or A minor (its key estimated by Krumhansl-Schmuckler); "
        "generation writes in the key asked for or one the corpus uses.");
  }
}

void Run::chooseSizes(bool resumed) {
  if (m_config.transpose == TrainingConfig::kTransposeAuto) {
    m_config.transpose = TrainingConfig::autoTranspose(m_data->trainTokens(), m_config.normalizeKeys);
    log(std::string("Transposition: ") +
        (m_config.transpose > 0 ? "each window by a random +-" + std::to_string(m_config.transpose) + " semitones"
                                : "none") +
        (m_config.normalizeKeys ? " (automatic: the music is learned in one key)."
                                : " (automatic: " + std::to_string(m_data->trainTokens()) + " training tokens, " +
                                      (m_config.transpose > 0 ? "under " : "not under ") +
                                      std::to_string(TrainingConfig::kAutoTransposeTokens) + ")."));
  }
  if (m_config.autoSize && !resumed) {
    m_config.applyAutoSize(m_data->trainTokens());
    char rate[32];
    std::snprintf(rate, sizeof rate, "%g", m_config.learningRate);
    log("Network: " + std::to_string(m_config.model.layers) + " LSTM layers of " +
        std::to_string(m_config.model.hidden) + ", learning rate " + rate +
        " (automatic: " + std::to_string(m_data->trainTokens()) + " training tokens, " +
        (m_data->trainTokens() < TrainingConfig::kSmallMusicTokens ? "under " : "not under ") +
        std::to_string(TrainingConfig::kSmallMusicTokens) + ").");
  }
}

Result<TrainingOutcome> Run::execute() {
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

} // namespace

namespace detail {

Result<TrainingOutcome> runOnce(const corpus::Corpus& corpus, const TrainingJob& job, TrainingControl& control,
                                std::stop_token stop, const TrainingCallbacks& callbacks) {
  Run run(corpus, job, control, std::move(stop), callbacks);
  return run.execute();
}

} // namespace detail

} // namespace lyrebird::train
