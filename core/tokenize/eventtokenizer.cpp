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
  for (int p = 0; p < 128; ++p)
    v.add("on" + std::to_string(p), 0);
  for (int p = 0; p < 128; ++p)
    v.add("off" + std::to_string(p), 0);
  for (int s = 1; s <= config().timeShiftBins; ++s)
    v.add("wait" + std::to_string(s), 0);
  for (int b = 0; b < config().velocityBins; ++b)
    v.add("vel" + std::to_string(b), 0);
  return v;
}

Vocabulary EventTokenizer::buildVocabulary(std::span<const midi::Score* const> scores, std::uint64_t) const {
  // The vocabulary is fixed (never pruned: every event must stay expressible).
  return counted(fixedVocabulary(), scores);
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

namespace {

class EventDecoder final : public TokenDecoder {
public:
  EventDecoder(const TokenizerConfig& config, int noteOnBase, int noteOffBase, int timeShiftBase)
      : m_config(config), m_noteOnBase(noteOnBase), m_noteOffBase(noteOffBase), m_timeShiftBase(timeShiftBase),
        m_velocityBase(timeShiftBase + config.timeShiftBins), m_tempo(decodedTempo()),
        m_velocity(binVelocity(64 * config.velocityBins / 128)) {}

  void push(TokenId id, std::vector<NoteEvent>& out) override {
    const int v = id;
    if (v >= m_noteOnBase && v < m_noteOnBase + 128) {
      const auto pitch = static_cast<std::uint8_t>(v - m_noteOnBase);
      m_open.push_back({m_nextNote, m_step, pitch});
      out.push_back({NoteEvent::Kind::Start, m_nextNote++, ticksAt(m_step), pitch, m_velocity});
    } else if (v >= m_noteOffBase && v < m_noteOffBase + 128) {
      const auto pitch = static_cast<std::uint8_t>(v - m_noteOffBase);
      // Releases pair with the oldest sounding note of the pitch, first in, first out.
      auto it = std::find_if(m_open.begin(), m_open.end(), [&](const Open& o) { return o.pitch == pitch; });
      if (it != m_open.end()) close(it, out);
    } else if (v >= m_timeShiftBase && v < m_velocityBase) {
      m_step += v - m_timeShiftBase + 1;
    } else if (v >= m_velocityBase && v < m_velocityBase + m_config.velocityBins) {
      m_velocity = binVelocity(v - m_velocityBase);
    }
    // "<unk>" and ids beyond the vocabulary are skipped.
  }

  void finish(std::vector<NoteEvent>& out) override {
    while (!m_open.empty())
      close(m_open.begin(), out); // a generated piece may stop mid-note
  }

  std::int64_t nowTicks() const override { return ticksAt(m_step); }

private:
  struct Open {
    std::uint32_t note;
    std::int64_t step;
    std::uint8_t pitch;
  };

  static midi::TempoMap decodedTempo() {
    midi::Score score;
    score.ticksPerQuarter = kDecodedTicksPerQuarter;
    score.tempos = {{0, kDecodedMicrosecondsPerQuarter}};
    return midi::TempoMap(score);
  }
  std::uint8_t binVelocity(int bin) const {
    return static_cast<std::uint8_t>(std::clamp((bin * 128 + 64) / m_config.velocityBins, 1, 127));
  }
  std::int64_t ticksAt(std::int64_t step) const {
    return m_tempo.ticks(static_cast<double>(step) * m_config.timeShiftMs / 1000.0);
  }
  void close(std::deque<Open>::iterator it, std::vector<NoteEvent>& out) {
    // A note keeps at least one step of length.
    const std::int64_t end = ticksAt(std::max(m_step, it->step + 1));
    out.push_back({NoteEvent::Kind::End, it->note, end, it->pitch, 0});
    m_open.erase(it);
  }

  TokenizerConfig m_config;
  int m_noteOnBase, m_noteOffBase, m_timeShiftBase, m_velocityBase;
  midi::TempoMap m_tempo;
  std::uint8_t m_velocity;
  std::int64_t m_step = 0;
  std::uint32_t m_nextNote = 0;
  std::deque<Open> m_open; // oldest first
};

} // namespace

std::unique_ptr<TokenDecoder> EventTokenizer::decoder(const Vocabulary&) const {
  return std::make_unique<EventDecoder>(config(), kNoteOnBase, kNoteOffBase, kTimeShiftBase);
}

bool EventTokenizer::transpose(std::span<TokenId> ids, int semitones, const Vocabulary&) const {
  for (TokenId id : ids) {
    const int v = id;
    int pitch = -1;
    if (v >= kNoteOnBase && v < kNoteOnBase + 128)
      pitch = v - kNoteOnBase;
    else if (v >= kNoteOffBase && v < kNoteOffBase + 128)
      pitch = v - kNoteOffBase;
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

int EventTokenizer::releasedPitch(TokenId id, const Vocabulary&) const {
  return id >= kNoteOffBase && id < kNoteOffBase + 128 ? id - kNoteOffBase : -1;
}

TokenId EventTokenizer::releaseToken(int pitch, const Vocabulary&) const {
  return pitch >= 0 && pitch < 128 ? noteOff(pitch) : Vocabulary::kUnknown;
}

double EventTokenizer::quartersAdvanced(TokenId id, const Vocabulary&) const {
  if (id < kTimeShiftBase || id >= velocityBase()) return 0.0;
  const double seconds = (id - kTimeShiftBase + 1) * config().timeShiftMs / 1000.0;
  return seconds * 1e6 / kDecodedMicrosecondsPerQuarter;
}

} // namespace lyrebird::tokenize
