#pragma once

#include "base/result.h"
#include "generate/generator.h"
#include "midi/score.h"

#include <cstdint>
#include <stop_token>
#include <vector>

namespace lyrebird::generate {

/// Regenerating a region of a piece: bars firstBar to lastBar (counted from 1 on the piece's own
/// time signatures, inclusive) are written again, between the music that stays.
struct InfillOptions {
  /// Sampling, steering, key limits and the seed (candidate i draws with seed + i); its length and
  /// prime are ignored (the region sets the one, the music before it is the other).
  GenerateOptions generate;
  int firstBar = 1;
  int lastBar = 1;
  int candidates = 8;
  /// Bars after the region whose likelihood ranks the candidates.
  int judgedBars = 2;
  /// Also rank the region as the piece has it (a candidate marked `original`), to audition
  /// against, or to see how the model judges the music it replaces.
  bool includeOriginal = false;
  /// Bars after the piece's end may be asked for (up to kMaxExtensionBars of them, each as long
  /// as its last bar): the piece is continued. Otherwise they are refused.
  bool allowExtension = false;
  static constexpr int kMaxExtensionBars = 64;
  /// A candidate that comes out without a note, where the piece has notes in the region or the
  /// region continues it, is drawn again with another seed (candidate i's k-th redraw uses
  /// seed + i + k * candidates), up to this many times: a user who rewrites or continues music
  /// rarely asks for silence. One that stays empty is kept. A region the piece leaves empty may
  /// be filled with silence at the first draw.
  int emptyRedraws = 3;
};

/// One way to fill the region.
struct InfillCandidate {
  std::uint64_t seed = 0; ///< the seed it was drawn with (the last one, after empty redraws)
  /// Its notes, in the piece's ticks (inside the region), in the piece's key.
  std::vector<midi::Note> notes;
  /// How well the music after the region follows it: the model's mean log-likelihood (nats per
  /// token) of the judged bars after it; higher is better. NaN when no music follows the region.
  double score = 0.0;
  /// The judged tokens (0 when no music follows the region).
  std::size_t judgedTokens = 0;
  bool original = false; ///< the piece's own notes (InfillOptions::includeOriginal)
};

struct InfillResult {
  std::int64_t startTicks = 0; ///< the region in the piece's ticks: [startTicks, endTicks)
  std::int64_t endTicks = 0;
  std::size_t track = 0;                   ///< the piece's track the candidates' notes go to
  std::vector<InfillCandidate> candidates; ///< best first (in the order drawn when nothing follows)
};

// Generator::infill(piece, options, onCandidate, stop) writes them (generator.h).

/// The piece with candidate `index` in its region: the notes starting in the region are replaced
/// (on every track but drums), every other note stays as it is, those sounding across the
/// region's edges included. The original candidate gives the piece as it was.
midi::Score withCandidate(const midi::Score& piece, const InfillResult& result, std::size_t index);

/// The bars of `piece` as a grid model reads them (its own time signatures, from tick 0 through
/// the bar its last note ends in): each bar's first tick, and the tick after the last bar.
std::vector<std::int64_t> barStarts(const midi::Score& piece, int gridResolution = 12);

} // namespace lyrebird::generate
