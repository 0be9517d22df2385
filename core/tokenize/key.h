#pragma once

#include "midi/score.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lyrebird::tokenize {

/// A major or minor key: what Krumhansl–Schmuckler key finding estimates.
struct Key {
  int tonic = 0;      ///< pitch class of the tonic, 0 (C) .. 11 (B)
  bool minor = false; ///< natural minor (aeolian) rather than major

  /// 0..23: the 12 major keys from C, then the 12 minor keys from C (an index for counts).
  int index() const { return tonic + (minor ? 12 : 0); }
  static Key fromIndex(int index) { return Key{((index % 12) + 12) % 12, index % 24 >= 12}; }
  /// "C major", "F# minor", "Bb major" (flats for the flat major keys and their relatives).
  std::string name() const;
  /// Parses "D major", "c# minor", "Eb", "a minor", "F#m"; nullopt for anything else.
  static std::optional<Key> parse(std::string_view text);
  /// The semitones (-6..5) that move this key to C major or, for a minor key, to A minor:
  /// the one key (and so one scale) key-normalized training music is written in.
  int normalizingShift() const;
  friend bool operator==(const Key&, const Key&) = default;
};

/// The key signature of a key: sharps (> 0) or flats (< 0), -5..6 (F# major has six sharps).
int keySignatureSharps(const Key& key);

/// The key of a piece by the Krumhansl–Schmuckler algorithm: the correlation of its
/// duration-weighted pitch-class histogram (non-drum notes; a note counts at most two
/// quarters, so a held bass does not outweigh the melody) with key profiles rotated to each of
/// the 24 keys; the best one wins. The profiles are Temperley's Kostka–Payne ones (measured
/// better than Krumhansl–Kessler's on four corpora, see key.cpp). C major for a piece without notes.
Key estimateKey(const midi::Score& score);

/// The same from a duration-weighted pitch-class histogram (any scale; index 0 = C).
Key estimateKey(const std::array<double, 12>& pitchClassWeights);

/// The pitch-class weights estimateKey() reads: each non-drum note's length in quarter notes,
/// capped at two, on its pitch class.
std::array<double, 12> pitchClassWeights(const midi::Score& score);

} // namespace lyrebird::tokenize
