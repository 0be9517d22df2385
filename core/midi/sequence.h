#pragma once

#include "midi/score.h"

#include <cstdint>
#include <vector>

namespace lyrebird::midi {

/// One channel message at a time in seconds from the start of the piece.
struct TimedEvent {
  enum class Kind : std::uint8_t { NoteOff, NoteOn, Program, Control, PitchBend };
  double seconds = 0.0;
  Kind kind = Kind::NoteOn;
  std::uint8_t channel = 0;
  std::uint8_t key = 0;   ///< pitch, controller number or program
  std::int16_t value = 0; ///< velocity, controller value or bend (-8192..8191)
  friend bool operator==(const TimedEvent&, const TimedEvent&) = default;
};

/// Orders events by time; at the same time programs and controllers come first, then
/// releases, then new notes, so a re-struck key sounds and a program applies to its notes.
bool eventBefore(const TimedEvent& a, const TimedEvent& b);

/// Everything a Score plays, in time order: each track's program at 0 (drum tracks on
/// channel 9, as General MIDI), its controllers, pitch bends and notes, timed by the
/// Score's tempo map. Notes of zero length still sound (a short release follows).
std::vector<TimedEvent> sequenceFromScore(const Score& score);

/// Inserts `event` keeping `events` ordered (after events at the same time and rank).
void insertEvent(std::vector<TimedEvent>& events, const TimedEvent& event);

} // namespace lyrebird::midi
