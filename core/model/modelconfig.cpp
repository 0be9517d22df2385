#include "model/modelconfig.h"

#include <charconv>
#include <cstdlib>

namespace lyrebird::model {

std::string_view archName(ModelConfig::Arch arch) { return arch == ModelConfig::Arch::Single ? "single" : "stacked"; }
std::string_view inputName(ModelConfig::Input input) {
  return input == ModelConfig::Input::Scalar ? "scalar" : "embedding";
}
std::string_view objectiveName(ModelConfig::Objective objective) {
  return objective == ModelConfig::Objective::Last ? "last" : "all";
}

std::string ModelConfig::serialize() const {
  std::string s;
  auto line = [&](std::string_view key, const std::string& value) {
    s.append(key);
    s += '=';
    s += value;
    s += '\n';
  };
  line("arch", std::string(archName(arch)));
  line("input", std::string(inputName(input)));
  line("objective", std::string(objectiveName(objective)));
  line("vocabulary_size", std::to_string(vocabularySize));
  line("hidden", std::to_string(hidden));
  line("layers", std::to_string(layers));
  char dropoutText[32];
  std::snprintf(dropoutText, sizeof dropoutText, "%.17g", dropout);
  line("dropout", dropoutText);
  line("dense_size", std::to_string(denseSize));
  line("embedding_size", std::to_string(embeddingSize));
  return s;
}

Status ModelConfig::validate() const {
  auto bad = [](const std::string& what) { return Error{ErrorKind::Corrupt, {}, -1, what}; };
  if (vocabularySize < 2 || vocabularySize > 65535) return bad("The vocabulary must have 2 to 65535 tokens.");
  if (hidden < 1 || hidden > 8192) return bad("The hidden size must be between 1 and 8192.");
  if (layers < 1 || layers > 16) return bad("The number of LSTM layers must be between 1 and 16.");
  if (!(dropout >= 0.0 && dropout < 1.0)) return bad("Dropout must be at least 0 and below 1.");
  if (denseSize < 1 || denseSize > 8192) return bad("The dense layer size must be between 1 and 8192.");
  if (embeddingSize < 1 || embeddingSize > 4096) return bad("The embedding size must be between 1 and 4096.");
  return Done{};
}

Result<ModelConfig> ModelConfig::parse(std::string_view text) {
  ModelConfig c;
  auto bad = [](const std::string& why) {
    return Error{ErrorKind::Corrupt, {}, -1, "The model settings are damaged: " + why + "."};
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view row = text.substr(pos, end - pos);
    pos = end + 1;
    if (row.empty()) continue;
    const std::size_t eq = row.find('=');
    if (eq == std::string_view::npos) return bad("a line without '='");
    const std::string_view key = row.substr(0, eq);
    const std::string value(row.substr(eq + 1));
    auto asInt = [&](int& out) {
      return std::from_chars(value.data(), value.data() + value.size(), out).ec == std::errc{};
    };
    bool ok = true;
    if (key == "arch") {
      ok = value == "single" || value == "stacked";
      c.arch = value == "single" ? Arch::Single : Arch::Stacked;
    } else if (key == "input") {
      ok = value == "scalar" || value == "embedding";
      c.input = value == "scalar" ? Input::Scalar : Input::Embedding;
    } else if (key == "objective") {
      ok = value == "last" || value == "all";
      c.objective = value == "last" ? Objective::Last : Objective::All;
    } else if (key == "vocabulary_size") {
      ok = asInt(c.vocabularySize);
    } else if (key == "hidden") {
      ok = asInt(c.hidden);
    } else if (key == "layers") {
      ok = asInt(c.layers);
    } else if (key == "dropout") {
      char* endPtr = nullptr;
      c.dropout = std::strtod(value.c_str(), &endPtr);
      ok = endPtr != value.c_str();
    } else if (key == "dense_size") {
      ok = asInt(c.denseSize);
    } else if (key == "embedding_size") {
      ok = asInt(c.embeddingSize);
    } else {
      return bad("unknown setting '" + std::string(key) + "'");
    }
    if (!ok) return bad("'" + std::string(key) + "' has the value '" + value + "'");
  }
  if (Status valid = c.validate(); !valid) return bad(valid.error().message);
  return c;
}

} // namespace lyrebird::model
