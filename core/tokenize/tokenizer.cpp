#include "tokenize/tokenizer.h"

#include "tokenize/eventtokenizer.h"
#include "tokenize/notechordtokenizer.h"

#include <charconv>
#include <cstdlib>

namespace lyrebird::tokenize {

std::string TokenizerConfig::serialize() const {
  std::string s;
  auto line = [&](const char* key, const std::string& value) {
    s += key;
    s += '=';
    s += value;
    s += '\n';
  };
  line("kind", kind == Kind::Event ? "event" : "note-chord");
  line("rhythm", rhythm ? "1" : "0");
  line("steps_per_quarter", std::to_string(stepsPerQuarter));
  line("max_steps", std::to_string(maxSteps));
  line("fixed_step_quarters", std::to_string(fixedStepQuarters));
  line("fixed_duration_quarters", std::to_string(fixedDurationQuarters));
  line("time_shift_ms", std::to_string(timeShiftMs));
  line("time_shift_bins", std::to_string(timeShiftBins));
  line("velocity_bins", std::to_string(velocityBins));
  return s;
}

Result<TokenizerConfig> TokenizerConfig::parse(std::string_view text) {
  TokenizerConfig c;
  auto bad = [](const std::string& why) {
    return Error{ErrorKind::Corrupt, {}, -1, "The tokenizer settings are damaged: " + why + "."};
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
    auto asInt = [&](int& out, int lo, int hi) -> bool {
      int v = 0;
      if (std::from_chars(value.data(), value.data() + value.size(), v).ec != std::errc{} || v < lo || v > hi)
        return false;
      out = v;
      return true;
    };
    auto asDouble = [&](double& out) -> bool {
      char* endPtr = nullptr;
      const double v = std::strtod(value.c_str(), &endPtr);
      if (endPtr == value.c_str() || !(v > 0.0) || v > 64.0) return false;
      out = v;
      return true;
    };
    bool ok = true;
    if (key == "kind") {
      if (value == "event") c.kind = Kind::Event;
      else if (value == "note-chord") c.kind = Kind::NoteChord;
      else ok = false;
    } else if (key == "rhythm") {
      ok = value == "0" || value == "1";
      c.rhythm = value == "1";
    } else if (key == "steps_per_quarter") {
      ok = asInt(c.stepsPerQuarter, 1, 96);
    } else if (key == "max_steps") {
      ok = asInt(c.maxSteps, 1, 4096);
    } else if (key == "fixed_step_quarters") {
      ok = asDouble(c.fixedStepQuarters);
    } else if (key == "fixed_duration_quarters") {
      ok = asDouble(c.fixedDurationQuarters);
    } else if (key == "time_shift_ms") {
      ok = asInt(c.timeShiftMs, 1, 1000);
    } else if (key == "time_shift_bins") {
      ok = asInt(c.timeShiftBins, 1, 1000);
    } else if (key == "velocity_bins") {
      ok = asInt(c.velocityBins, 1, 128);
    } else {
      return bad("unknown setting '" + std::string(key) + "'");
    }
    if (!ok) return bad("'" + std::string(key) + "' has the value '" + value + "'");
  }
  return c;
}

std::unique_ptr<Tokenizer> Tokenizer::create(const TokenizerConfig& config) {
  if (config.kind == TokenizerConfig::Kind::NoteChord) {
    return std::make_unique<NoteChordTokenizer>(config);
  }
  return std::make_unique<EventTokenizer>(config);
}

} // namespace lyrebird::tokenize
