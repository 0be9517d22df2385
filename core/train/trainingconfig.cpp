#include "train/trainingconfig.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace lyrebird::train {

namespace {

std::string number(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

Error invalid(const std::string& why) { return Error{ErrorKind::Corrupt, {}, -1, why}; }

} // namespace

std::vector<std::string> TrainingConfig::presetNames() { return {"seed-single", "seed-stacked", "default"}; }

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
    c.tokenizer.kind = tokenize::TokenizerConfig::Kind::Event;
    c.model.arch = model::ModelConfig::Arch::Stacked;
    c.model.layers = 3;
    c.model.hidden = 256;
    c.model.dropout = 0.2;
    c.model.denseSize = 256;
    c.model.embeddingSize = 64;
    c.model.input = model::ModelConfig::Input::Embedding;
    c.model.objective = model::ModelConfig::Objective::All;
    c.optimizer = Optimizer::Adam;
    c.learningRate = 2e-3;
    c.gradientClip = 1.0;
    c.batch = 32;
    c.sequenceLength = 128;
    c.transpose = 3;
    return c;
  }
  return Error{ErrorKind::NotFound, {}, -1,
               "There is no preset '" + std::string(name) + "'; choose seed-single, seed-stacked or default."};
}

Status TrainingConfig::validate() const {
  if (Status m = model.validate(); !m) return m;
  if (!(learningRate > 0.0 && learningRate < 10.0)) return invalid("The learning rate must be above 0 and below 10.");
  if (!(gradientClip >= 0.0)) return invalid("Gradient clipping must be 0 (off) or positive.");
  if (batch < 1 || batch > 65536) return invalid("The batch size must be between 1 and 65536.");
  if (sequenceLength < 1 || sequenceLength > 100000) return invalid("The window length must be between 1 and 100000.");
  if (epochs < 1 || epochs > 100000) return invalid("The number of epochs must be between 1 and 100000.");
  if (threads < 1 || threads > 1024) return invalid("Threads must be between 1 and 1024.");
  if (!(validFraction >= 0.0 && validFraction < 1.0)) return invalid("The valid fraction must be at least 0 and below 1.");
  if (patience < 0 || plateauPatience < 0) return invalid("Patience values must be 0 or more.");
  if (!(plateauFactor > 0.0 && plateauFactor <= 1.0)) return invalid("The plateau factor must be above 0, at most 1.");
  if (metricsEveryBatches < 1) return invalid("Metrics must be reported at least every batch count of 1.");
  if (transpose < 0 || transpose > 24) return invalid("Transposition must be between 0 and 24 semitones.");
  if (maxValidWindows < 1) return invalid("Validation needs at least one window.");
  if (!(maxMinutes >= 0.0) || !(checkpointEveryMinutes >= 0.0)) return invalid("Time limits must be 0 or more.");
  return Done{};
}

std::string TrainingConfig::serialize() const {
  std::string s;
  auto line = [&](std::string_view key, const std::string& value) {
    s.append(key);
    s += '=';
    s += value;
    s += '\n';
  };
  line("preset", preset);
  line("optimizer", optimizer == Optimizer::Adam ? "adam" : "rmsprop");
  line("learning_rate", number(learningRate));
  line("gradient_clip", number(gradientClip));
  line("batch", std::to_string(batch));
  line("sequence_length", std::to_string(sequenceLength));
  line("epochs", std::to_string(epochs));
  line("seed", std::to_string(seed));
  line("threads", std::to_string(threads));
  line("valid_fraction", number(validFraction));
  line("patience", std::to_string(patience));
  line("plateau_patience", std::to_string(plateauPatience));
  line("plateau_factor", number(plateauFactor));
  line("min_learning_rate", number(minLearningRate));
  line("metrics_every_batches", std::to_string(metricsEveryBatches));
  line("transpose", std::to_string(transpose));
  line("min_token_count", std::to_string(minTokenCount));
  line("max_valid_windows", std::to_string(maxValidWindows));
  line("max_minutes", number(maxMinutes));
  line("checkpoint_every_minutes", number(checkpointEveryMinutes));
  // Nested settings, prefixed so one flat text holds everything.
  auto nested = [&](std::string_view prefix, const std::string& text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      s.append(prefix);
      s.append(text, pos, end - pos);
      s += '\n';
      pos = end + 1;
    }
  };
  nested("tokenizer.", tokenizer.serialize());
  nested("model.", model.serialize());
  return s;
}

Result<TrainingConfig> TrainingConfig::parse(std::string_view text) {
  TrainingConfig c;
  std::string tokenizerText;
  std::string modelText;
  auto bad = [](const std::string& why) {
    return Error{ErrorKind::Corrupt, {}, -1, "The training settings are damaged: " + why + "."};
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view row = text.substr(pos, end - pos);
    pos = end + 1;
    if (row.empty()) continue;
    if (row.starts_with("tokenizer.")) {
      tokenizerText.append(row.substr(10));
      tokenizerText += '\n';
      continue;
    }
    if (row.starts_with("model.")) {
      modelText.append(row.substr(6));
      modelText += '\n';
      continue;
    }
    const std::size_t eq = row.find('=');
    if (eq == std::string_view::npos) return bad("a line without '='");
    const std::string_view key = row.substr(0, eq);
    const std::string value(row.substr(eq + 1));
    bool ok = true;
    auto asInt = [&](int& out) { ok = std::from_chars(value.data(), value.data() + value.size(), out).ec == std::errc{}; };
    auto asU64 = [&](std::uint64_t& out) {
      ok = std::from_chars(value.data(), value.data() + value.size(), out).ec == std::errc{};
    };
    auto asDouble = [&](double& out) {
      char* endPtr = nullptr;
      out = std::strtod(value.c_str(), &endPtr);
      ok = endPtr != value.c_str();
    };
    if (key == "preset") c.preset = value;
    else if (key == "optimizer") {
      ok = value == "adam" || value == "rmsprop";
      c.optimizer = value == "adam" ? Optimizer::Adam : Optimizer::RmsProp;
    } else if (key == "learning_rate") asDouble(c.learningRate);
    else if (key == "gradient_clip") asDouble(c.gradientClip);
    else if (key == "batch") asInt(c.batch);
    else if (key == "sequence_length") asInt(c.sequenceLength);
    else if (key == "epochs") asInt(c.epochs);
    else if (key == "seed") asU64(c.seed);
    else if (key == "threads") asInt(c.threads);
    else if (key == "valid_fraction") asDouble(c.validFraction);
    else if (key == "patience") asInt(c.patience);
    else if (key == "plateau_patience") asInt(c.plateauPatience);
    else if (key == "plateau_factor") asDouble(c.plateauFactor);
    else if (key == "min_learning_rate") asDouble(c.minLearningRate);
    else if (key == "metrics_every_batches") asInt(c.metricsEveryBatches);
    else if (key == "transpose") asInt(c.transpose);
    else if (key == "min_token_count") asU64(c.minTokenCount);
    else if (key == "max_valid_windows") asInt(c.maxValidWindows);
    else if (key == "max_minutes") asDouble(c.maxMinutes);
    else if (key == "checkpoint_every_minutes") asDouble(c.checkpointEveryMinutes);
    else return bad("unknown setting '" + std::string(key) + "'");
    if (!ok) return bad("'" + std::string(key) + "' has the value '" + value + "'");
  }
  Result<tokenize::TokenizerConfig> tokenizer = tokenize::TokenizerConfig::parse(tokenizerText);
  if (!tokenizer) return tokenizer.error();
  c.tokenizer = *tokenizer;
  Result<model::ModelConfig> modelConfig = model::ModelConfig::parse(modelText);
  if (!modelConfig) return modelConfig.error();
  c.model = *modelConfig;
  if (Status valid = c.validate(); !valid) return bad(valid.error().message);
  return c;
}

} // namespace lyrebird::train
