#pragma once

// What the generator's tests share: a corpus in memory that a tiny network learns in seconds.

#include "testsupport.h"

namespace lyrebird::test {

/// Six pieces of rising and falling major scales (each from its own tonic) over a bass every
/// other beat, eight times louder each time round.
inline corpus::Corpus scalesCorpus() {
  std::vector<midi::Score> scores;
  for (int f = 0; f < 6; ++f) {
    midi::Track track;
    std::int64_t t = 0;
    for (int r = 0; r < 8; ++r) {
      for (int step : {0, 2, 4, 5, 7, 9, 11, 12, 11, 9, 7, 5, 4, 2}) {
        track.notes.push_back(
            {t, 200, static_cast<std::uint8_t>(48 + f + step), static_cast<std::uint8_t>(60 + 5 * r)});
        if (step % 4 == 0) track.notes.push_back({t, 400, static_cast<std::uint8_t>(36 + f + step), 50});
        t += 240;
      }
    }
    midi::Score score;
    score.tracks = {track};
    scores.push_back(std::move(score));
  }
  return memoryCorpus(std::move(scores));
}

} // namespace lyrebird::test
