#include "corpus/piecestats.h"

#include "midi/tempomap.h"

#include <algorithm>
#include <vector>

namespace lyrebird::corpus {

PieceStats measurePiece(const midi::Score& score) {
  PieceStats stats;
  // Sweep over pitched note starts and ends in time order: between two events, `sounding`
  // notes play, so their summed duration grows by sounding * dt and the union of the
  // spans by dt whenever sounding > 0. Sorting plain tick arrays and walking the tempo
  // map monotonically keeps this O(n log n) with a small constant.
  std::vector<std::int64_t> starts;
  std::vector<std::int64_t> ends;
  starts.reserve(score.noteCount());
  ends.reserve(score.noteCount());
  std::int64_t lastEnd = 0;
  for (const midi::Track& track : score.tracks) {
    if (track.notes.empty()) {
      continue;
    }
    ++stats.tracks;
    stats.notes += track.notes.size();
    for (const midi::Note& note : track.notes) {
      lastEnd = std::max(lastEnd, note.endTicks());
    }
    if (track.isDrum) {
      stats.drumNotes += track.notes.size();
      continue;
    }
    for (const midi::Note& note : track.notes) {
      stats.minPitch = stats.minPitch < 0 ? note.pitch : std::min<int>(stats.minPitch, note.pitch);
      stats.maxPitch = std::max<int>(stats.maxPitch, note.pitch);
      starts.push_back(note.startTicks);
      ends.push_back(note.endTicks());
    }
  }
  const midi::TempoMap tempo(score);
  stats.seconds = tempo.seconds(lastEnd);
  std::sort(starts.begin(), starts.end());
  std::sort(ends.begin(), ends.end());

  midi::TempoMap::Walker walker(tempo);
  std::size_t s = 0;
  std::size_t e = 0;
  std::int64_t sounding = 0;
  double previousSeconds = 0.0;
  while (e < ends.size()) {
    // Ends before starts at the same tick: a re-struck key does not count twice.
    const bool isStart = s < starts.size() && starts[s] < ends[e];
    const std::int64_t ticks = isStart ? starts[s] : ends[e];
    const double now = walker.seconds(ticks);
    if (sounding > 0) {
      const double dt = now - previousSeconds;
      stats.noteSeconds += static_cast<double>(sounding) * dt;
      stats.soundingSeconds += dt;
    }
    previousSeconds = now;
    if (isStart) {
      ++sounding;
      ++s;
    } else {
      --sounding;
      ++e;
    }
  }
  return stats;
}

} // namespace lyrebird::corpus
