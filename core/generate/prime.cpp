#include "generate/prime.h"

#include "base/random.h"
#include "midi/tempomap.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace lyrebird::generate {

midi::Score excerpt(const midi::Score& score, double startSeconds, double seconds) {
  const midi::TempoMap tempo(score);
  const std::int64_t from = tempo.ticks(std::max(0.0, startSeconds));
  const std::int64_t to = tempo.ticks(std::max(0.0, startSeconds + seconds));
  std::vector<midi::Note> notes;
  for (const midi::Track& track : score.tracks) {
    if (track.isDrum) continue;
    for (const midi::Note& note : track.notes) {
      if (note.startTicks >= from && note.startTicks < to) notes.push_back(note);
    }
  }
  return scoreFromNotes(notes, score.ticksPerQuarter, tempo.microsecondsPerQuarter(from));
}

Result<midi::Score> corpusWindow(std::span<const midi::Score> pieces, std::uint64_t seed, double seconds) {
  std::vector<const midi::Score*> candidates;
  for (const midi::Score& piece : pieces) {
    if (piece.noteCount() > 0) candidates.push_back(&piece);
  }
  if (candidates.empty()) return Error{ErrorKind::NoMusic, {}, -1, "The corpus has no notes to take a prime from."};
  SplitMix64 random(seed);
  const midi::Score& piece = *candidates[random.below(candidates.size())];
  const double length = midi::TempoMap(piece).seconds(piece.endTicks());
  const double latestStart = std::max(0.0, length - seconds);
  // Draw start points until one holds notes (pieces have rests); the start is the fallback.
  for (int attempt = 0; attempt < 16; ++attempt) {
    const double start = latestStart * random.uniform();
    midi::Score window = excerpt(piece, start, seconds);
    if (window.noteCount() > 0) return window;
  }
  return excerpt(piece, 0.0, seconds);
}

midi::Score scoreFromNotes(std::span<const midi::Note> notes, int ticksPerQuarter,
                           std::uint32_t microsecondsPerQuarter) {
  midi::Score score;
  score.ticksPerQuarter = ticksPerQuarter;
  score.tempos = {{0, microsecondsPerQuarter}};
  if (notes.empty()) return score;
  std::int64_t first = notes.front().startTicks;
  for (const midi::Note& note : notes)
    first = std::min(first, note.startTicks);
  midi::Track track;
  track.name = "Prime";
  for (midi::Note note : notes) {
    note.startTicks -= first;
    track.notes.push_back(note);
  }
  std::stable_sort(track.notes.begin(), track.notes.end(), [](const midi::Note& a, const midi::Note& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  score.tracks.push_back(std::move(track));
  return score;
}

} // namespace lyrebird::generate
