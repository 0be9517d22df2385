#pragma once

#include "midi/score.h"

#include <cstdint>
#include <vector>

namespace lyrebird::midiio {

/// A channel message at a time, seconds from the start.
struct TimedMessage {
  double seconds = 0.0;
  std::vector<std::uint8_t> bytes;
  friend bool operator==(const TimedMessage&, const TimedMessage&) = default;
};

/// What a Score sends to a MIDI output, in time order: each track's program, controllers,
/// pitch bends and notes (note-on, and note-off as 0x80), timed by its tempo map.
std::vector<TimedMessage> messagesFromScore(const midi::Score& score);

struct RecordOptions {
  double tempoBpm = 120.0;      ///< tempo of the recorded Score (and of the quantize grid)
  int quantizeDivision = 0;     ///< snap onsets and ends to 1/N of a quarter (4 = sixteenths); 0 = off
  bool startAtFirstNote = true; ///< drop the silence before the first note
};

/// A one-track Score (480 ticks per quarter) from messages played into an input: note-on
/// (velocity 0 = off) and note-off pair first in, first out per key; sustain and other
/// controllers and pitch bend are kept; notes still held at the end close there.
/// Messages of every channel land on the track (a keyboard player's intent).
midi::Score scoreFromMessages(const std::vector<TimedMessage>& messages, const RecordOptions& options = {});

} // namespace lyrebird::midiio
