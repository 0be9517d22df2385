#include "train/run.h"

#include "train/torchstate.h"

#include <torch/optim/adam.h>
#include <torch/optim/rmsprop.h>

#include <ATen/Parallel.h>

#include <cmath>
#include <utility>

namespace lyrebird::train::detail {

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

/// All ranks continue from rank 0's weights; the dropout masks differ per rank.
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

} // namespace lyrebird::train::detail
