#include "corpus/piecestats.h"

#include "midi/tempomap.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace lyrebird::corpus {

PieceStats measurePiece(const midi::Score& score) {
  PieceStats stats;
  const midi::TempoMap tempo(score);
  std::vector<std::pair<std::int64_t, std::int64_t>> spans; // pitched notes, in ticks
  spans.reserve(score.noteCount());
  for (const midi::Track& track : score.tracks) {
    if (track.notes.empty()) {
      continue;
    }
    ++stats.tracks;
    stats.notes += track.notes.size();
    if (track.isDrum) {
      stats.drumNotes += track.notes.size();
    }
    for (const midi::Note& note : track.notes) {
      stats.seconds = std::max(stats.seconds, tempo.seconds(note.endTicks()));
      if (track.isDrum) {
        continue;
      }
      stats.minPitch = stats.minPitch < 0 ? note.pitch : std::min<int>(stats.minPitch, note.pitch);
      stats.maxPitch = std::max<int>(stats.maxPitch, note.pitch);
      stats.noteSeconds += tempo.seconds(note.endTicks()) - tempo.seconds(note.startTicks);
      spans.emplace_back(note.startTicks, note.endTicks());
    }
  }
  // The union of the note spans; the tempo map is monotonic, so merging in ticks is exact.
  std::sort(spans.begin(), spans.end());
  std::int64_t runStart = 0;
  std::int64_t runEnd = -1;
  for (const auto& [start, end] : spans) {
    if (start > runEnd) {
      if (runEnd > runStart) {
        stats.soundingSeconds += tempo.seconds(runEnd) - tempo.seconds(runStart);
      }
      runStart = start;
      runEnd = end;
    } else {
      runEnd = std::max(runEnd, end);
    }
  }
  if (runEnd > runStart) {
    stats.soundingSeconds += tempo.seconds(runEnd) - tempo.seconds(runStart);
  }
  return stats;
}

} // namespace lyrebird::corpus
