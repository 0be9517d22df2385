#include "midi/sequence.h"

#include "midi/tempomap.h"

#include <algorithm>

namespace lyrebird::midi {

namespace {
int rank(TimedEvent::Kind kind) {
  switch (kind) {
  case TimedEvent::Kind::Program: return 0;
  case TimedEvent::Kind::Control: return 1;
  case TimedEvent::Kind::PitchBend: return 2;
  case TimedEvent::Kind::NoteOff: return 3;
  case TimedEvent::Kind::NoteOn: return 4;
  }
  return 5;
}

// A zero-length note still needs its release after its start.
constexpr double kShortestNoteSeconds = 0.005;
} // namespace

bool eventBefore(const TimedEvent& a, const TimedEvent& b) {
  if (a.seconds != b.seconds) return a.seconds < b.seconds;
  return rank(a.kind) < rank(b.kind);
}

std::vector<TimedEvent> sequenceFromScore(const Score& score) {
  std::vector<TimedEvent> events;
  const TempoMap tempo(score);
  for (const Track& track : score.tracks) {
    const std::uint8_t channel = track.isDrum ? 9 : static_cast<std::uint8_t>(track.channel & 0x0f);
    if (!track.isDrum) events.push_back({0.0, TimedEvent::Kind::Program, channel, track.program, 0});
    for (const ControlChange& c : track.controls) {
      events.push_back({tempo.seconds(c.ticks), TimedEvent::Kind::Control, channel, c.controller, c.value});
    }
    for (const PitchBend& b : track.pitchBends) {
      events.push_back({tempo.seconds(b.ticks), TimedEvent::Kind::PitchBend, channel, 0, b.value});
    }
    TempoMap::Walker starts(tempo);
    for (const Note& n : track.notes) {
      const double start = starts.seconds(n.startTicks);
      const double end = std::max(tempo.seconds(n.endTicks()), start + kShortestNoteSeconds);
      events.push_back({start, TimedEvent::Kind::NoteOn, channel, n.pitch, n.velocity});
      events.push_back({end, TimedEvent::Kind::NoteOff, channel, n.pitch, 0});
    }
  }
  std::stable_sort(events.begin(), events.end(), eventBefore);
  return events;
}

void insertEvent(std::vector<TimedEvent>& events, const TimedEvent& event) {
  events.insert(std::upper_bound(events.begin(), events.end(), event, eventBefore), event);
}

} // namespace lyrebird::midi
