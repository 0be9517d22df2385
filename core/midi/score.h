#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lyrebird::midi {

/// One note. Times are in ticks of the owning Score (see Score::ticksPerQuarter).
struct Note {
  std::int64_t startTicks = 0;
  std::int64_t durationTicks = 0; ///< >= 0; 0 for a note-on immediately released
  std::uint8_t pitch = 60;        ///< MIDI note number 0..127
  std::uint8_t velocity = 100;    ///< 1..127

  std::int64_t endTicks() const { return startTicks + durationTicks; }
  friend bool operator==(const Note&, const Note&) = default;
};

/// A controller change (sustain pedal, volume, ...), kept so files play back as written.
struct ControlChange {
  std::int64_t ticks = 0;
  std::uint8_t controller = 0; ///< 0..127
  std::uint8_t value = 0;      ///< 0..127
  friend bool operator==(const ControlChange&, const ControlChange&) = default;
};

/// A pitch-bend change; 0 is the centre, range -8192..8191.
struct PitchBend {
  std::int64_t ticks = 0;
  std::int16_t value = 0;
  friend bool operator==(const PitchBend&, const PitchBend&) = default;
};

/// One instrument line: the notes a single MIDI track plays on a single channel.
struct Track {
  std::string name;
  std::uint8_t channel = 0;            ///< 0..15 (channel 10 of the manuals is 9 here)
  std::uint8_t program = 0;            ///< General MIDI program 0..127 (0 = Acoustic Grand Piano)
  bool isDrum = false;                 ///< true for channel 9 (GM percussion)
  std::vector<Note> notes;             ///< sorted by start, then pitch
  std::vector<ControlChange> controls; ///< sorted by ticks, file order kept within a tick
  std::vector<PitchBend> pitchBends;   ///< sorted by ticks
  friend bool operator==(const Track&, const Track&) = default;
};

/// Tempo from `ticks` on, in microseconds per quarter note (500000 = 120 BPM).
struct TempoChange {
  std::int64_t ticks = 0;
  std::uint32_t microsecondsPerQuarter = 500000;
  double bpm() const { return 60'000'000.0 / microsecondsPerQuarter; }
  friend bool operator==(const TempoChange&, const TempoChange&) = default;
};

struct TimeSignature {
  std::int64_t ticks = 0;
  std::uint8_t numerator = 4;
  std::uint8_t denominator = 4; ///< a power of two: 1, 2, 4, 8, ...
  friend bool operator==(const TimeSignature&, const TimeSignature&) = default;
};

struct KeySignature {
  std::int64_t ticks = 0;
  std::int8_t sharps = 0; ///< -7 (7 flats) .. 7 (7 sharps)
  bool minor = false;
  friend bool operator==(const KeySignature&, const KeySignature&) = default;
};

/// The hub type of Lyrebird: every reader, writer, tokenizer, view and synth uses it.
/// Times are ticks; seconds come only from a TempoMap built over `tempos`.
struct Score {
  int ticksPerQuarter = 480;
  std::string title;     ///< sequence name of the first track, if any
  std::string copyright; ///< copyright notice meta event, if any
  std::vector<Track> tracks;
  std::vector<TempoChange> tempos;           ///< sorted by ticks; empty means 120 BPM throughout
  std::vector<TimeSignature> timeSignatures; ///< sorted; empty means 4/4
  std::vector<KeySignature> keySignatures;   ///< sorted; may be empty

  /// End of the last note, in ticks (0 for a score without notes).
  std::int64_t endTicks() const;
  /// Number of notes over all tracks.
  std::size_t noteCount() const;
  friend bool operator==(const Score&, const Score&) = default;
};

/// Scientific pitch name of a MIDI note number: 60 -> "C4", 61 -> "C#4", 21 -> "A0".
std::string pitchName(int pitch);

} // namespace lyrebird::midi
