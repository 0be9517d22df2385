#include "tokenize/eventtokenizer.h"

#include "midi/tempomap.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace lyrebird::tokenize {

namespace {

struct Event {
  std::int64_t step; // time in timeShiftMs units
  bool on;
  std::uint8_t pitch;
  std::uint8_t velocity;
};

} // namespace

EventTokenizer::EventTokenizer(const TokenizerConfig& config) : Tokenizer(config) {}

Vocabulary EventTokenizer::fixedVocabulary() const {
  Vocabulary v;
  for (int p = 0; p < 128; ++p) v.add("on" + std::to_string(p), 0);
  for (int p = 0; p < 128; ++p) v.add("off" + std::to_string(p), 0);
  for (int s = 1; s <= config().timeShiftBins; ++s) v.add("wait" + std::to_string(s), 0);
  for (int b = 0; b < config().velocityBins; ++b) v.add("vel" + std::to_string(b), 0);
  return v;
}

Vocabulary EventTokenizer::buildVocabulary(std::span<const midi::Score* const> scores, std::uint64_t) const {
  // The vocabulary is fixed (never pruned: every event must stay expressible); counts
  // are filled so the app can show how the corpus uses it.
  Vocabulary v = fixedVocabulary();
  std::vector<std::uint64_t> counts(v.size(), 0);
  for (const midi::Score* score : scores) {
    for (TokenId id : encode(*score, v)) ++counts[id];
  }
  for (std::size_t id = 1; id < counts.size(); ++id) {
    if (counts[id]) v.add(v.token(static_cast<TokenId>(id)), counts[id]);
  }
  return v;
}

std::vector<TokenId> EventTokenizer::encode(const midi::Score& score, const Vocabulary&) const {
  const midi::TempoMap tempo(score);
  const double stepsPerSecond = 1000.0 / config().timeShiftMs;
  std::vector<Event> events;
  events.reserve(score.noteCount() * 2);
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& note : track.notes) {
      const auto start = static_cast<std::int64_t>(std::llround(tempo.seconds(note.startTicks) * stepsPerSecond));
      auto end = static_cast<std::int64_t>(std::llround(tempo.seconds(note.endTicks()) * stepsPerSecond));
      end = std::max(end, start + 1); // a note lasts at least one step, so its release follows its onset
      events.push_back({start, true, note.pitch, note.velocity});
      events.push_back({end, false, note.pitch, 0});
    }
  }
  // Releases before onsets at the same step, so a re-struck key sounds again.
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.step != b.step) return a.step < b.step;
    if (a.on != b.on) return !a.on;
    return a.pitch < b.pitch;
  });

  std::vector<TokenId> ids;
  ids.reserve(events.size() * 2);
  std::int64_t now = 0;
  int currentBin = -1;
  const int bins = config().velocityBins;
  for (const Event& e : events) {
    std::int64_t delta = e.step - now;
    while (delta > 0) {
      const int shift = static_cast<int>(std::min<std::int64_t>(delta, config().timeShiftBins));
      ids.push_back(timeShift(shift));
      delta -= shift;
    }
    now = e.step;
    if (e.on) {
      const int bin = std::clamp(e.velocity * bins / 128, 0, bins - 1);
      if (bin != currentBin) {
        ids.push_back(velocity(bin));
        currentBin = bin;
      }
      ids.push_back(noteOn(e.pitch));
    } else {
      ids.push_back(noteOff(e.pitch));
    }
  }
  return ids;
}

midi::Score EventTokenizer::decode(std::span<const TokenId> ids, const Vocabulary&) const {
  midi::Score score;
  score.ticksPerQuarter = kDecodedTicksPerQuarter;
  score.tempos = {{0, kDecodedMicrosecondsPerQuarter}};
  const midi::TempoMap tempo(score);
  const double secondsPerStep = config().timeShiftMs / 1000.0;
  auto ticksAt = [&](std::int64_t step) { return tempo.ticks(static_cast<double>(step) * secondsPerStep); };

  midi::Track track;
  track.name = "Lyrebird";
  struct Open {
    std::int64_t step;
    std::uint8_t pitch;
    std::uint8_t velocity;
  };
  std::deque<Open> open; // oldest first: releases pair first-in, first-out
  std::vector<midi::Note> finished;
  const int bins = config().velocityBins;
  auto binVelocity = [&](int bin) { return static_cast<std::uint8_t>(std::clamp((bin * 128 + 64) / bins, 1, 127)); };
  std::uint8_t currentVelocity = binVelocity(64 * bins / 128);
  std::int64_t now = 0;
  auto close = [&](std::deque<Open>::iterator it, std::int64_t endStep) {
    const std::int64_t start = ticksAt(it->step);
    const std::int64_t end = ticksAt(std::max(endStep, it->step + 1));
    finished.push_back(midi::Note{start, end - start, it->pitch, it->velocity});
    open.erase(it);
  };
  for (TokenId id : ids) {
    const int v = id;
    if (v >= kNoteOnBase && v < kNoteOnBase + 128) {
      open.push_back({now, static_cast<std::uint8_t>(v - kNoteOnBase), currentVelocity});
    } else if (v >= kNoteOffBase && v < kNoteOffBase + 128) {
      const auto pitch = static_cast<std::uint8_t>(v - kNoteOffBase);
      auto it = std::find_if(open.begin(), open.end(), [&](const Open& o) { return o.pitch == pitch; });
      if (it != open.end()) close(it, now);
    } else if (v >= kTimeShiftBase && v < velocityBase()) {
      now += v - kTimeShiftBase + 1;
    } else if (v >= velocityBase() && v < velocityBase() + bins) {
      currentVelocity = binVelocity(v - velocityBase());
    }
    // "<unk>" and ids beyond the vocabulary are skipped.
  }
  while (!open.empty()) close(open.begin(), now); // a generated piece may stop mid-note
  std::stable_sort(finished.begin(), finished.end(), [](const midi::Note& a, const midi::Note& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  track.notes = std::move(finished);
  if (!track.notes.empty()) score.tracks.push_back(std::move(track));
  return score;
}

bool EventTokenizer::transpose(std::span<TokenId> ids, int semitones, const Vocabulary&) const {
  for (TokenId id : ids) {
    const int v = id;
    int pitch = -1;
    if (v >= kNoteOnBase && v < kNoteOnBase + 128) pitch = v - kNoteOnBase;
    else if (v >= kNoteOffBase && v < kNoteOffBase + 128) pitch = v - kNoteOffBase;
    if (pitch >= 0 && (pitch + semitones < 0 || pitch + semitones > 127)) return false;
  }
  for (TokenId& id : ids) {
    const int v = id;
    if ((v >= kNoteOnBase && v < kNoteOnBase + 128) || (v >= kNoteOffBase && v < kNoteOffBase + 128)) {
      id = static_cast<TokenId>(v + semitones);
    }
  }
  return true;
}

std::vector<std::uint8_t> EventTokenizer::onsetPitches(TokenId id, const Vocabulary&) const {
  if (id >= kNoteOnBase && id < kNoteOnBase + 128) return {static_cast<std::uint8_t>(id - kNoteOnBase)};
  return {};
}

double EventTokenizer::quartersAdvanced(TokenId id, const Vocabulary&) const {
  if (id < kTimeShiftBase || id >= velocityBase()) return 0.0;
  const double seconds = (id - kTimeShiftBase + 1) * config().timeShiftMs / 1000.0;
  return seconds * 1e6 / kDecodedMicrosecondsPerQuarter;
}

} // namespace lyrebird::tokenize
