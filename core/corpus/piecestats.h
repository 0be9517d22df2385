#pragma once

#include "midi/score.h"

#include <cstddef>

namespace lyrebird::corpus {

/// Measurements of one piece. Pitch range and polyphony ignore drum tracks.
struct PieceStats {
  std::size_t tracks = 0;       ///< tracks with notes in the score
  std::size_t notes = 0;        ///< notes in the score
  std::size_t drumNotes = 0;    ///< notes on drum tracks (channel 10) in the score
  double seconds = 0.0;         ///< end of the last note
  int minPitch = -1;            ///< lowest pitch, -1 without pitched notes
  int maxPitch = -1;            ///< highest pitch, -1 without pitched notes
  double noteSeconds = 0.0;     ///< sum of the pitched notes' durations
  double soundingSeconds = 0.0; ///< time during which at least one pitched note sounds

  /// Mean number of pitched notes sounding at once, over the time anything sounds.
  double meanPolyphony() const { return soundingSeconds > 0.0 ? noteSeconds / soundingSeconds : 0.0; }
};

/// Measures `score`. O(n log n) in its notes; thread-safe.
PieceStats measurePiece(const midi::Score& score);

} // namespace lyrebird::corpus
