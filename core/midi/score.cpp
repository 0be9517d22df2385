#include "midi/score.h"

#include <algorithm>

namespace lyrebird::midi {

std::int64_t Score::endTicks() const {
  std::int64_t end = 0;
  for (const Track& track : tracks) {
    for (const Note& note : track.notes) {
      end = std::max(end, note.endTicks());
    }
  }
  return end;
}

std::size_t Score::noteCount() const {
  std::size_t count = 0;
  for (const Track& track : tracks) {
    count += track.notes.size();
  }
  return count;
}

std::string pitchName(int pitch) {
  static constexpr const char* kNames[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  if (pitch < 0 || pitch > 127) {
    return "?";
  }
  return std::string(kNames[pitch % 12]) + std::to_string(pitch / 12 - 1);
}

} // namespace lyrebird::midi
