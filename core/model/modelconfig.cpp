#include "model/modelconfig.h"

#include "base/settingstext.h"

namespace lyrebird::model {

std::string_view archName(ModelConfig::Arch arch) {
  return arch == ModelConfig::Arch::Single ? "single" : "stacked";
}
std::string_view inputName(ModelConfig::Input input) {
  return input == ModelConfig::Input::Scalar ? "scalar" : "embedding";
}
std::string_view objectiveName(ModelConfig::Objective objective) {
  return objective == ModelConfig::Objective::Last ? "last" : "all";
}

std::string ModelConfig::serialize() const {
  std::string s;
  appendSetting(s, "arch", archName(arch));
  appendSetting(s, "input", inputName(input));
  appendSetting(s, "objective", objectiveName(objective));
  appendSetting(s, "vocabulary_size", std::to_string(vocabularySize));
  appendSetting(s, "hidden", std::to_string(hidden));
  appendSetting(s, "layers", std::to_string(layers));
  appendSetting(s, "dropout", exactNumber(dropout));
  appendSetting(s, "dense_size", std::to_string(denseSize));
  appendSetting(s, "embedding_size", std::to_string(embeddingSize));
  appendSetting(s, "lookback", lookback ? "1" : "0");
  if (repeatLabels) appendSetting(s, "repeat_labels", "1"); // older readers see the models they know
  if (hasBarClock()) {
    appendSetting(s, "clock_meters", std::to_string(clockMeters));
    appendSetting(s, "clock_steps", std::to_string(clockSteps));
  }
  return s;
}

Status ModelConfig::validate() const {
  auto bad = [](const std::string& what) { return Error{ErrorKind::InvalidArgument, {}, -1, what}; };
  if (vocabularySize < 2 || vocabularySize > 65535) return bad("The vocabulary must have 2 to 65535 tokens.");
  if (hidden < 1 || hidden > 8192) return bad("The hidden size must be between 1 and 8192.");
  if (layers < 1 || layers > 16) return bad("The number of LSTM layers must be between 1 and 16.");
  if (!(dropout >= 0.0 && dropout < 1.0)) return bad("Dropout must be at least 0 and below 1.");
  if (denseSize < 1 || denseSize > 8192) return bad("The dense layer size must be between 1 and 8192.");
  if (embeddingSize < 1 || embeddingSize > 4096) return bad("The embedding size must be between 1 and 4096.");
  if (lookback && input != Input::Embedding) return bad("Lookback inputs need an embedding input.");
  if (repeatLabels && !lookback) return bad("Repeat labels need lookback inputs.");
  if (clockMeters < 0 || clockMeters > 256 || clockSteps < 0 || clockSteps > 4096 ||
      (clockMeters > 0) != (clockSteps > 0))
    return bad("The bar clock needs 1 to 256 meters and 1 to 4096 steps, or neither.");
  if (hasBarClock() && !lookback) return bad("The bar clock needs lookback inputs.");
  return Done{};
}

Result<ModelConfig> ModelConfig::parse(std::string_view text) {
  ModelConfig c;
  const std::optional<std::string> problem = forEachSetting(text, [&c](std::string_view key, const std::string& value) {
    if (key == "arch") {
      c.arch = value == "single" ? Arch::Single : Arch::Stacked;
      return value == "single" || value == "stacked";
    }
    if (key == "input") {
      c.input = value == "scalar" ? Input::Scalar : Input::Embedding;
      return value == "scalar" || value == "embedding";
    }
    if (key == "objective") {
      c.objective = value == "last" ? Objective::Last : Objective::All;
      return value == "last" || value == "all";
    }
    if (key == "vocabulary_size") return parseNumber(value, c.vocabularySize);
    if (key == "hidden") return parseNumber(value, c.hidden);
    if (key == "layers") return parseNumber(value, c.layers);
    if (key == "dropout") return parseNumber(value, c.dropout);
    if (key == "dense_size") return parseNumber(value, c.denseSize);
    if (key == "embedding_size") return parseNumber(value, c.embeddingSize);
    if (key == "lookback") {
      c.lookback = value == "1";
      return value == "0" || value == "1";
    }
    if (key == "clock_meters") return parseNumber(value, c.clockMeters);
    if (key == "clock_steps") return parseNumber(value, c.clockSteps);
    if (key == "repeat_labels") {
      c.repeatLabels = value == "1";
      return value == "0" || value == "1";
    }
    return false;
  });
  auto bad = [](const std::string& why) {
    return Error{ErrorKind::Corrupt, {}, -1, "The model settings are damaged: " + why + "."};
  };
  if (problem) return bad(*problem);
  if (Status valid = c.validate(); !valid) return bad(valid.error().message);
  return c;
}

} // namespace lyrebird::model
