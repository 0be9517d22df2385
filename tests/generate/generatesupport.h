#pragma once

// What the generator's tests share: a corpus in memory that a tiny network learns in seconds.

#include "testsupport.h"

#include "train/trainer.h"

#include <filesystem>

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

/// The default preset (grid tokens, lookback, bar clock) in a tiny size that learns in seconds.
inline train::TrainingConfig tinyGridConfig(int hidden, int layers, int sequenceLength, int epochs) {
  train::TrainingConfig c = *train::TrainingConfig::fromPreset("default");
  c.autoSize = false; // the tiny network, not one sized to the music
  c.model.hidden = hidden;
  c.model.layers = layers;
  c.model.denseSize = 32;
  c.model.embeddingSize = 16;
  c.sequenceLength = sequenceLength;
  c.batch = 8;
  c.epochs = epochs;
  c.patience = 0;
  c.learningRate = 1e-2;
  c.checkpointEveryMinutes = 0;
  return c;
}

/// Trains `config` on `corpus` into `output`; the error's description, or empty.
inline std::string trainTo(const corpus::Corpus& corpus, const train::TrainingConfig& config,
                           const std::filesystem::path& output) {
  train::TrainingJob job;
  job.config = config;
  job.output = output;
  train::TrainingControl control;
  const Result<train::TrainingOutcome> trained = train::runTraining(corpus, job, control, {}, {});
  return trained ? std::string() : trained.error().describe();
}

} // namespace lyrebird::test
