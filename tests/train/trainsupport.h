#pragma once

// What the trainer's tests share: a corpus in memory and a tiny network's settings.

#include "testsupport.h"

#include "train/trainingconfig.h"

#include <span>

namespace lyrebird::test {

/// A corpus in memory: `files` pieces, each a melody repeated `repeats` times.
inline corpus::Corpus melodyCorpus(int files, int repeats, int transposeEach = 0,
                                   std::span<const int> melody = std::span<const int>()) {
  static const int kScale[] = {60, 62, 64, 65, 67, 65, 64, 62};
  if (melody.empty()) melody = kScale;
  std::vector<midi::Score> scores;
  for (int f = 0; f < files; ++f) {
    midi::Track track;
    std::int64_t t = 0;
    for (int r = 0; r < repeats; ++r) {
      for (int p : melody) {
        track.notes.push_back({t, 240, static_cast<std::uint8_t>(p + transposeEach * f), 96});
        t += 240;
      }
    }
    midi::Score score;
    score.tracks = {track};
    scores.push_back(std::move(score));
  }
  return memoryCorpus(std::move(scores));
}

inline train::TrainingConfig tinyConfig() {
  train::TrainingConfig c = *train::TrainingConfig::fromPreset("default");
  c.autoSize = false; // the tiny network below, not one sized to the music
  c.model.hidden = 32;
  c.model.layers = 1;
  c.model.denseSize = 32;
  c.model.embeddingSize = 16;
  c.model.dropout = 0.0;
  c.sequenceLength = 16;
  c.batch = 4;
  c.learningRate = 1e-2;
  c.epochs = 3;
  c.transpose = 0;
  c.patience = 0;
  c.plateauPatience = 0;
  c.validFraction = 0.25;
  c.metricsEveryBatches = 1;
  c.checkpointEveryMinutes = 0;
  return c;
}

} // namespace lyrebird::test
