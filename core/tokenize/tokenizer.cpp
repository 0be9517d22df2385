#include "tokenize/tokenizer.h"

#include "tokenize/eventtokenizer.h"
#include "tokenize/gridtokenizer.h"
#include "tokenize/notechordtokenizer.h"

#include "base/settingstext.h"

#include <algorithm>

namespace lyrebird::tokenize {

std::string TokenizerConfig::serialize() const {
  std::string s;
  appendSetting(s, "kind", kindName(kind));
  appendSetting(s, "rhythm", rhythm ? "1" : "0");
  appendSetting(s, "steps_per_quarter", std::to_string(stepsPerQuarter));
  appendSetting(s, "max_steps", std::to_string(maxSteps));
  appendSetting(s, "fixed_step_quarters", exactNumber(fixedStepQuarters));
  appendSetting(s, "fixed_duration_quarters", exactNumber(fixedDurationQuarters));
  appendSetting(s, "time_shift_ms", std::to_string(timeShiftMs));
  appendSetting(s, "time_shift_bins", std::to_string(timeShiftBins));
  appendSetting(s, "velocity_bins", std::to_string(velocityBins));
  appendSetting(s, "grid_resolution", std::to_string(gridResolution));
  return s;
}

Result<TokenizerConfig> TokenizerConfig::parse(std::string_view text) {
  TokenizerConfig c;
  auto inRange = [](const std::string& value, int& out, int lo, int hi) {
    return parseNumber(value, out) && out >= lo && out <= hi;
  };
  auto positive = [](const std::string& value, double& out) {
    return parseNumber(value, out) && out > 0.0 && out <= 64.0;
  };
  const std::optional<std::string> problem = forEachSetting(text, [&](std::string_view key, const std::string& value) {
    if (key == "kind") {
      const std::optional<Kind> named = kindFromName(value);
      if (named) c.kind = *named;
      return named.has_value();
    }
    if (key == "rhythm") {
      c.rhythm = value == "1";
      return value == "0" || value == "1";
    }
    if (key == "steps_per_quarter") return inRange(value, c.stepsPerQuarter, 1, 96);
    if (key == "max_steps") return inRange(value, c.maxSteps, 1, 4096);
    if (key == "fixed_step_quarters") return positive(value, c.fixedStepQuarters);
    if (key == "fixed_duration_quarters") return positive(value, c.fixedDurationQuarters);
    if (key == "time_shift_ms") return inRange(value, c.timeShiftMs, 1, 1000);
    if (key == "time_shift_bins") return inRange(value, c.timeShiftBins, 1, 1000);
    if (key == "velocity_bins") return inRange(value, c.velocityBins, 1, 128);
    if (key == "grid_resolution") return inRange(value, c.gridResolution, 2, 48) && c.gridResolution % 2 == 0;
    return false;
  });
  if (problem) return Error{ErrorKind::Corrupt, {}, -1, "The tokenizer settings are damaged: " + *problem + "."};
  return c;
}

int Tokenizer::releasedPitch(TokenId, const Vocabulary&) const {
  return -1;
}

TokenId Tokenizer::releaseToken(int, const Vocabulary&) const {
  return Vocabulary::kUnknown;
}

Vocabulary Tokenizer::counted(Vocabulary fixed, std::span<const midi::Score* const> scores) const {
  std::vector<std::uint64_t> counts(fixed.size(), 0);
  for (const midi::Score* score : scores) {
    for (TokenId id : encode(*score, fixed))
      ++counts[id];
  }
  for (std::size_t id = 1; id < counts.size(); ++id) {
    if (counts[id]) fixed.add(fixed.token(static_cast<TokenId>(id)), counts[id]);
  }
  return fixed;
}

int Tokenizer::barMeter(TokenId) const {
  return -1;
}

std::unique_ptr<LookbackTracker> Tokenizer::lookbackTracker() const {
  return nullptr;
}

std::vector<LookbackTracker::Lookback> Tokenizer::lookback(std::span<const TokenId> ids) const {
  std::vector<LookbackTracker::Lookback> out(ids.size());
  const std::unique_ptr<LookbackTracker> tracker = lookbackTracker();
  if (!tracker) return out;
  for (std::size_t i = 0; i < ids.size(); ++i)
    out[i] = tracker->push(ids[i]);
  return out;
}

TokenId Tokenizer::startToken(const Vocabulary&, std::uint64_t) const {
  return Vocabulary::kUnknown;
}

std::string_view TokenizerConfig::kindName(Kind kind) {
  switch (kind) {
  case Kind::NoteChord: return "note-chord";
  case Kind::Event: return "event";
  case Kind::Grid: return "grid";
  }
  return "event";
}

std::optional<TokenizerConfig::Kind> TokenizerConfig::kindFromName(std::string_view name) {
  for (Kind kind : {Kind::NoteChord, Kind::Event, Kind::Grid}) {
    if (kindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::unique_ptr<Tokenizer> Tokenizer::create(const TokenizerConfig& config) {
  switch (config.kind) {
  case TokenizerConfig::Kind::NoteChord: return std::make_unique<NoteChordTokenizer>(config);
  case TokenizerConfig::Kind::Grid: return std::make_unique<GridTokenizer>(config);
  case TokenizerConfig::Kind::Event: break;
  }
  return std::make_unique<EventTokenizer>(config);
}

midi::Score decodedScore(std::span<const NoteEvent> events) {
  midi::Score score;
  score.ticksPerQuarter = kDecodedTicksPerQuarter;
  score.tempos = {{0, kDecodedMicrosecondsPerQuarter}};
  std::vector<midi::Note> notes;
  for (const NoteEvent& e : events) {
    if (e.kind == NoteEvent::Kind::Start) {
      if (notes.size() <= e.note) notes.resize(e.note + 1);
      notes[e.note] = midi::Note{e.ticks, 0, e.pitch, e.velocity};
    } else if (e.note < notes.size()) {
      notes[e.note].durationTicks = std::max<std::int64_t>(0, e.ticks - notes[e.note].startTicks);
    }
  }
  std::stable_sort(notes.begin(), notes.end(), [](const midi::Note& a, const midi::Note& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  if (!notes.empty()) {
    midi::Track track;
    track.name = "Lyrebird";
    track.notes = std::move(notes);
    score.tracks.push_back(std::move(track));
  }
  return score;
}

midi::Score Tokenizer::decode(std::span<const TokenId> ids, const Vocabulary& vocabulary) const {
  const std::unique_ptr<TokenDecoder> d = decoder(vocabulary);
  std::vector<NoteEvent> events;
  for (TokenId id : ids)
    d->push(id, events);
  d->finish(events);
  midi::Score score = decodedScore(events);
  score.timeSignatures = d->timeSignatures();
  return score;
}

} // namespace lyrebird::tokenize
