#include "train/trainingconfig.h"

#include "base/settingstext.h"

namespace lyrebird::train {

namespace {

Error invalid(const std::string& why) {
  return Error{ErrorKind::InvalidArgument, {}, -1, why};
}

} // namespace

std::vector<std::string> TrainingConfig::presetNames() {
  return {"seed-single", "seed-stacked", "default"};
}

Result<TrainingConfig> TrainingConfig::fromPreset(std::string_view name) {
  TrainingConfig c;
  c.preset = std::string(name);
  if (name == "seed-single" || name == "seed-stacked") {
    c.tokenizer.kind = tokenize::TokenizerConfig::Kind::NoteChord;
    c.tokenizer.rhythm = false;
    c.model.arch = name == "seed-single" ? model::ModelConfig::Arch::Single : model::ModelConfig::Arch::Stacked;
    c.model.layers = name == "seed-single" ? 1 : 3;
    c.model.hidden = 512;
    c.model.dropout = 0.3;
    c.model.denseSize = 256;
    c.model.input = model::ModelConfig::Input::Scalar;
    c.model.objective = model::ModelConfig::Objective::Last;
    c.optimizer = Optimizer::RmsProp;
    c.learningRate = 1e-3;
    c.gradientClip = 0.0;
    c.batch = 64;
    c.sequenceLength = 100;
    c.transpose = 0;
    c.patience = 0; // the originals train a fixed number of epochs
    c.plateauPatience = 0;
    return c;
  }
  if (name == "default") {
    c.tokenizer.kind = tokenize::TokenizerConfig::Kind::Grid; // until the corpus decides (autoTokenizer)
    c.autoTokenizer = true;
    c.autoSize = true; // the network sized to the music (applyAutoSize()); 3 x 256 until then
    c.normalizeKeys = true;
    c.model.arch = model::ModelConfig::Arch::Stacked;
    c.model.layers = 3;
    c.model.hidden = 256;
    c.model.dropout = 0.2;
    c.model.denseSize = 256;
    c.model.embeddingSize = 64;
    c.model.input = model::ModelConfig::Input::Embedding;
    c.model.objective = model::ModelConfig::Objective::All;
    // For grid tokens (the trainer turns both off for tokens without bars): what followed here one
    // and two bars back as inputs, and "repeat" labels. Measured on the demo corpus, 10 minutes,
    // 365 steps each: with the labels the takes' distinct 4-gram ratio fell from 1.000 to 0.898
    // (held-out openings 0.711) and --repeat moves it (0.63 at 2; without them 1.000 even at 3).
    c.model.lookback = true;
    c.model.repeatLabels = true;
    c.barClock = true;
    c.optimizer = Optimizer::Adam;
    c.learningRate = 2e-3;
    c.gradientClip = 1.0;
    c.batch = 32;
    c.sequenceLength = 128;
    c.transpose = kTransposeAuto; // measured: see autoTranspose()
    return c;
  }
  return Error{ErrorKind::InvalidArgument,
               {},
               -1,
               "There is no preset '" + std::string(name) + "'; choose seed-single, seed-stacked or default."};
}

void TrainingConfig::applyAutoSize(std::size_t trainingTokens) {
  const bool small = trainingTokens < kSmallMusicTokens;
  model.layers = small ? 2 : 3;
  model.hidden = small ? 192 : 256;
  learningRate = small ? 3e-3 : 2e-3;
}

int TrainingConfig::autoTranspose(std::size_t trainingTokens, bool normalizedKeys) {
  if (normalizedKeys) return 0;
  return trainingTokens < kAutoTransposeTokens ? 3 : 0;
}

TrainingConfig TrainingConfig::fineTuning(const TrainingConfig& base, std::string_view name,
                                          std::string_view fingerprint) {
  const TrainingConfig fresh;
  TrainingConfig c = base;
  c.epochs = fresh.epochs;
  c.seed = fresh.seed;
  c.patience = fresh.patience;
  c.maxMinutes = fresh.maxMinutes;
  c.validFraction = fresh.validFraction;
  c.learningRate = base.learningRate * kFineTuneRateFactor;
  // The network's shape and tokens are the base's: nothing is chosen from the new music but
  // the transposition (none where keys are normalized) and what it is like (keys, tempos).
  c.autoSize = false;
  c.autoTokenizer = false;
  if (base.normalizeKeys) c.transpose = 0;
  c.corpusKeys = {};
  c.corpusTempoBpm = 0.0;
  c.corpusTemposBpm.clear();
  c.baseModel.clear();
  for (char ch : name)
    c.baseModel += (ch == '\n' || ch == '\r') ? ' ' : ch;
  c.baseFingerprint = std::string(fingerprint);
  return c;
}

Status TrainingConfig::usableAsBase() const {
  if (tokenizer.kind != tokenize::TokenizerConfig::Kind::NoteChord) return Done{};
  return Error{ErrorKind::InvalidArgument,
               {},
               -1,
               "This model learned note-chord tokens, whose vocabulary is the chords of its own music: it cannot "
               "hold another folder's. Start from a grid or event model, or learn from scratch."};
}

Status TrainingConfig::canStartFrom(const TrainingConfig& base) const {
  auto differs = [](const std::string& what) {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "The model to start from has " + what +
                     ", so its network cannot be the start of this one; leave the option that changes it out, or "
                     "learn from scratch."};
  };
  if (!(tokenizer == base.tokenizer)) {
    return differs("other tokens (" + std::string(tokenize::TokenizerConfig::kindName(base.tokenizer.kind)) +
                   ", or other token settings)");
  }
  model::ModelConfig mine = model;
  model::ModelConfig theirs = base.model;
  mine.dropout = theirs.dropout;               // dropout changes no weight
  mine.vocabularySize = theirs.vocabularySize; // set from the vocabulary when the run starts
  if (!(mine == theirs)) {
    return differs(std::to_string(base.model.layers) + " LSTM layers of " + std::to_string(base.model.hidden) +
                   " units and its own inputs (lookback, bar clock)");
  }
  if (normalizeKeys != base.normalizeKeys) {
    return differs(base.normalizeKeys ? "learned its music moved to one key" : "learned its music in its own keys");
  }
  return Done{};
}

Status TrainingConfig::validate() const {
  if (Status m = model.validate(); !m) return m;
  if (!(learningRate > 0.0 && learningRate < 10.0)) return invalid("The learning rate must be above 0 and below 10.");
  if (!(gradientClip >= 0.0)) return invalid("Gradient clipping must be 0 (off) or positive.");
  if (batch < 1 || batch > 65536) return invalid("The batch size must be between 1 and 65536.");
  if (sequenceLength < 1 || sequenceLength > 100000) return invalid("The window length must be between 1 and 100000.");
  if (epochs < 1 || epochs > 100000) return invalid("The number of epochs must be between 1 and 100000.");
  if (threads < 1 || threads > 1024) return invalid("Threads must be between 1 and 1024.");
  if (!(validFraction >= 0.0 && validFraction < 1.0))
    return invalid("The valid fraction must be at least 0 and below 1.");
  if (patience < 0 || plateauPatience < 0) return invalid("Patience values must be 0 or more.");
  if (!(plateauFactor > 0.0 && plateauFactor <= 1.0)) return invalid("The plateau factor must be above 0, at most 1.");
  if (metricsEveryBatches < 1) return invalid("Metrics must be reported at least every batch count of 1.");
  if (transpose != kTransposeAuto && (transpose < 0 || transpose > 24)) {
    return invalid("Transposition must be between 0 and 24 semitones (or automatic).");
  }
  if (maxValidWindows < 1) return invalid("Validation needs at least one window.");
  if (!(maxMinutes >= 0.0) || !(checkpointEveryMinutes >= 0.0)) return invalid("Time limits must be 0 or more.");
  if (!(corpusTempoBpm >= 0.0 && corpusTempoBpm <= 1000.0)) return invalid("The corpus tempo must be 0 to 1000 BPM.");
  for (double tempo : corpusTemposBpm) {
    if (!(tempo > 0.0 && tempo <= 1000.0)) return invalid("The corpus tempos must be above 0, at most 1000 BPM.");
  }
  return Done{};
}

std::string TrainingConfig::serialize() const {
  std::string s;
  appendSetting(s, "preset", preset);
  appendSetting(s, "optimizer", optimizer == Optimizer::Adam ? "adam" : "rmsprop");
  appendSetting(s, "learning_rate", exactNumber(learningRate));
  appendSetting(s, "gradient_clip", exactNumber(gradientClip));
  appendSetting(s, "batch", std::to_string(batch));
  appendSetting(s, "sequence_length", std::to_string(sequenceLength));
  appendSetting(s, "epochs", std::to_string(epochs));
  appendSetting(s, "seed", std::to_string(seed));
  appendSetting(s, "threads", std::to_string(threads));
  appendSetting(s, "valid_fraction", exactNumber(validFraction));
  appendSetting(s, "patience", std::to_string(patience));
  appendSetting(s, "plateau_patience", std::to_string(plateauPatience));
  appendSetting(s, "plateau_factor", exactNumber(plateauFactor));
  appendSetting(s, "min_learning_rate", exactNumber(minLearningRate));
  appendSetting(s, "metrics_every_batches", std::to_string(metricsEveryBatches));
  appendSetting(s, "transpose", std::to_string(transpose));
  appendSetting(s, "min_token_count", std::to_string(minTokenCount));
  appendSetting(s, "max_valid_windows", std::to_string(maxValidWindows));
  appendSetting(s, "max_minutes", exactNumber(maxMinutes));
  appendSetting(s, "checkpoint_every_minutes", exactNumber(checkpointEveryMinutes));
  appendSetting(s, "auto_tokenizer", autoTokenizer ? "1" : "0");
  appendSetting(s, "auto_size", autoSize ? "1" : "0");
  appendSetting(s, "normalize_keys", normalizeKeys ? "1" : "0");
  if (barClock) appendSetting(s, "bar_clock", "1");
  if (!baseModel.empty()) appendSetting(s, "base_model", baseModel);
  if (!baseFingerprint.empty()) appendSetting(s, "base_fingerprint", baseFingerprint);
  std::string keys;
  for (std::size_t i = 0; i < corpusKeys.size(); ++i)
    keys += (i ? "," : "") + std::to_string(corpusKeys[i]);
  appendSetting(s, "corpus_keys", keys);
  appendSetting(s, "corpus_tempo_bpm", exactNumber(corpusTempoBpm));
  std::string tempos;
  for (std::size_t i = 0; i < corpusTemposBpm.size(); ++i)
    tempos += (i ? "," : "") + exactNumber(corpusTemposBpm[i]);
  if (!tempos.empty()) appendSetting(s, "corpus_tempos_bpm", tempos);
  // Nested settings, prefixed, so one flat text holds everything.
  for (const auto& [prefix, text] : {std::pair<std::string, std::string>{"tokenizer.", tokenizer.serialize()},
                                     std::pair<std::string, std::string>{"model.", model.serialize()}}) {
    forEachSetting(text, [&, p = prefix](std::string_view key, const std::string& value) {
      appendSetting(s, p + std::string(key), value);
      return true;
    });
  }
  return s;
}

Result<TrainingConfig> TrainingConfig::parse(std::string_view text) {
  TrainingConfig c;
  std::string tokenizerText;
  std::string modelText;
  const std::optional<std::string> problem = forEachSetting(text, [&](std::string_view key, const std::string& value) {
    if (key.starts_with("tokenizer.")) {
      appendSetting(tokenizerText, key.substr(10), value);
      return true;
    }
    if (key.starts_with("model.")) {
      appendSetting(modelText, key.substr(6), value);
      return true;
    }
    if (key == "preset") {
      c.preset = value;
      return true;
    }
    if (key == "optimizer") {
      c.optimizer = value == "adam" ? Optimizer::Adam : Optimizer::RmsProp;
      return value == "adam" || value == "rmsprop";
    }
    if (key == "learning_rate") return parseNumber(value, c.learningRate);
    if (key == "gradient_clip") return parseNumber(value, c.gradientClip);
    if (key == "batch") return parseNumber(value, c.batch);
    if (key == "sequence_length") return parseNumber(value, c.sequenceLength);
    if (key == "epochs") return parseNumber(value, c.epochs);
    if (key == "seed") return parseNumber(value, c.seed);
    if (key == "threads") return parseNumber(value, c.threads);
    if (key == "valid_fraction") return parseNumber(value, c.validFraction);
    if (key == "patience") return parseNumber(value, c.patience);
    if (key == "plateau_patience") return parseNumber(value, c.plateauPatience);
    if (key == "plateau_factor") return parseNumber(value, c.plateauFactor);
    if (key == "min_learning_rate") return parseNumber(value, c.minLearningRate);
    if (key == "metrics_every_batches") return parseNumber(value, c.metricsEveryBatches);
    if (key == "transpose") return parseNumber(value, c.transpose);
    if (key == "min_token_count") return parseNumber(value, c.minTokenCount);
    if (key == "max_valid_windows") return parseNumber(value, c.maxValidWindows);
    if (key == "max_minutes") return parseNumber(value, c.maxMinutes);
    if (key == "checkpoint_every_minutes") return parseNumber(value, c.checkpointEveryMinutes);
    auto flag = [&](bool& target) {
      target = value == "1";
      return value == "0" || value == "1";
    };
    if (key == "auto_tokenizer") return flag(c.autoTokenizer);
    if (key == "auto_size") return flag(c.autoSize);
    if (key == "normalize_keys") return flag(c.normalizeKeys);
    if (key == "bar_clock") return flag(c.barClock);
    if (key == "corpus_tempo_bpm") return parseNumber(value, c.corpusTempoBpm);
    if (key == "base_model") {
      c.baseModel = value;
      return true;
    }
    if (key == "base_fingerprint") {
      c.baseFingerprint = value;
      return true;
    }
    if (key == "corpus_tempos_bpm") {
      c.corpusTemposBpm.clear();
      for (std::size_t from = 0; from <= value.size();) {
        const std::size_t comma = std::min(value.find(',', from), value.size());
        double tempo = 0.0;
        if (!parseNumber(value.substr(from, comma - from), tempo)) return false;
        c.corpusTemposBpm.push_back(tempo);
        from = comma + 1;
      }
      return true;
    }
    if (key == "corpus_keys") {
      std::size_t i = 0;
      std::size_t from = 0;
      while (from <= value.size() && i < c.corpusKeys.size()) {
        const std::size_t comma = std::min(value.find(',', from), value.size());
        std::uint64_t count = 0;
        if (!parseNumber(value.substr(from, comma - from), count) || count > 0xFFFFFFFFull) return false;
        c.corpusKeys[i++] = static_cast<std::uint32_t>(count);
        from = comma + 1;
      }
      return i == c.corpusKeys.size() && from == value.size() + 1;
    }
    return false;
  });
  auto bad = [](const std::string& why) {
    return Error{ErrorKind::Corrupt, {}, -1, "The training settings are damaged: " + why + "."};
  };
  if (problem) return bad(*problem);
  Result<tokenize::TokenizerConfig> tokenizerConfig = tokenize::TokenizerConfig::parse(tokenizerText);
  if (!tokenizerConfig) return tokenizerConfig.error();
  c.tokenizer = *tokenizerConfig;
  Result<model::ModelConfig> modelConfig = model::ModelConfig::parse(modelText);
  if (!modelConfig) return modelConfig.error();
  c.model = *modelConfig;
  if (Status valid = c.validate(); !valid) return bad(valid.error().message);
  return c;
}

} // namespace lyrebird::train
