#include "audio/sequence.h"

#include "midi/tempomap.h"

#include <algorithm>

namespace lyrebird::audio {

namespace {
int rank(SynthEvent::Kind kind) {
  switch (kind) {
  case SynthEvent::Kind::Program: return 0;
  case SynthEvent::Kind::Control: return 1;
  case SynthEvent::Kind::PitchBend: return 2;
  case SynthEvent::Kind::NoteOff: return 3;
  case SynthEvent::Kind::NoteOn: return 4;
  }
  return 5;
}

// A zero-length note still needs its release after its start.
constexpr double kShortestNoteSeconds = 0.005;
} // namespace

bool eventBefore(const SynthEvent& a, const SynthEvent& b) {
  if (a.seconds != b.seconds) return a.seconds < b.seconds;
  return rank(a.kind) < rank(b.kind);
}

std::vector<SynthEvent> sequenceFromScore(const midi::Score& score) {
  std::vector<SynthEvent> events;
  const midi::TempoMap tempo(score);
  for (const midi::Track& track : score.tracks) {
    const std::uint8_t channel = track.isDrum ? 9 : static_cast<std::uint8_t>(track.channel & 0x0f);
    if (!track.isDrum) events.push_back({0.0, SynthEvent::Kind::Program, channel, track.program, 0});
    for (const midi::ControlChange& c : track.controls) {
      events.push_back({tempo.seconds(c.ticks), SynthEvent::Kind::Control, channel, c.controller, c.value});
    }
    for (const midi::PitchBend& b : track.pitchBends) {
      events.push_back({tempo.seconds(b.ticks), SynthEvent::Kind::PitchBend, channel, 0, b.value});
    }
    midi::TempoMap::Walker starts(tempo);
    for (const midi::Note& n : track.notes) {
      const double start = starts.seconds(n.startTicks);
      const double end = std::max(tempo.seconds(n.endTicks()), start + kShortestNoteSeconds);
      events.push_back({start, SynthEvent::Kind::NoteOn, channel, n.pitch, n.velocity});
      events.push_back({end, SynthEvent::Kind::NoteOff, channel, n.pitch, 0});
    }
  }
  std::stable_sort(events.begin(), events.end(), eventBefore);
  return events;
}

void insertEvent(std::vector<SynthEvent>& events, const SynthEvent& event) {
  events.insert(std::upper_bound(events.begin(), events.end(), event, eventBefore), event);
}

} // namespace lyrebird::audio
