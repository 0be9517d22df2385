#pragma once

#include "base/result.h"
#include "midi/score.h"

#include <cstdint>
#include <span>

namespace lyrebird::generate {

/// Primes: music a generation continues (GenerateOptions::prime). Any Score will do; these
/// make the common ones. All return a Score whose first note starts at tick 0.

/// The notes of `score` that start in [startSeconds, startSeconds + seconds), moved to
/// start at 0, with the piece's tempo at `startSeconds` and its resolution.
midi::Score excerpt(const midi::Score& score, double startSeconds, double seconds);

/// A window of `seconds` from one of `pieces`, both chosen by `seed`: what "prime from the
/// corpus" means. An Error when no piece has notes.
Result<midi::Score> corpusWindow(std::span<const midi::Score> pieces, std::uint64_t seed, double seconds);

/// A one-track Score from a list of notes (a piano-roll selection, a recording), moved so
/// the earliest starts at 0.
midi::Score scoreFromNotes(std::span<const midi::Note> notes, int ticksPerQuarter = 480,
                           std::uint32_t microsecondsPerQuarter = 500000);

} // namespace lyrebird::generate
