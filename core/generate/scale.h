#pragma once

#include "base/result.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace lyrebird::generate {

/// A key and mode as a set of pitch classes, for masking generated pitches.
struct Scale {
  int tonic = 0;                       ///< pitch class 0 (C) .. 11 (B)
  std::array<bool, 12> pitchClasses{}; ///< which pitch classes belong to the scale
  std::string name;                    ///< normalised, e.g. "D dorian"

  bool contains(int pitch) const { return pitch >= 0 && pitchClasses[static_cast<std::size_t>(pitch % 12)]; }
};

/// Parses "D dorian", "c# minor", "Eb major", "A harmonic minor", "F# blues", "chromatic".
/// Modes: major/ionian, minor/aeolian, dorian, phrygian, lydian, mixolydian, locrian,
/// harmonic minor, melodic minor, pentatonic (major), minor pentatonic, blues, whole tone,
/// chromatic. Errors (ErrorKind::InvalidArgument) name what was not understood.
Result<Scale> parseScale(std::string_view text);

/// The mode names parseScale() knows, for help texts and the GUI.
std::vector<std::string> scaleModeNames();

} // namespace lyrebird::generate
