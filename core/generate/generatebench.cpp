#include "generate/generatebench.h"

#include "generate/generator.h"
#include "model/lstmnetwork.h"
#include "train/torchstate.h"

#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>

namespace lyrebird::generate {

namespace {

// A note-chord vocabulary of exactly `size` tokens: "<unk>", the 128 pitches, then
// two-note chords, so every token means something to the decoder.
tokenize::Vocabulary syntheticVocabulary(int size) {
  tokenize::Vocabulary vocabulary;
  for (int p = 0; p < 128 && static_cast<int>(vocabulary.size()) < size; ++p)
    vocabulary.add(std::to_string(p));
  for (int a = 0; a < 128 && static_cast<int>(vocabulary.size()) < size; ++a) {
    for (int b = a + 1; b < 128 && static_cast<int>(vocabulary.size()) < size; ++b) {
      vocabulary.add(std::to_string(a) + "." + std::to_string(b));
    }
  }
  return vocabulary;
}

} // namespace

GenerateBenchResult benchGenerate(const GenerateBenchOptions& options) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };

  train::Checkpoint checkpoint;
  checkpoint.config = train::TrainingConfig::fromPreset("seed-stacked").value();
  checkpoint.config.preset = "bench";
  checkpoint.config.tokenizer.kind = tokenize::TokenizerConfig::Kind::NoteChord;
  checkpoint.config.model = options.model;
  checkpoint.config.sequenceLength = std::max(1, options.primeTokens);
  checkpoint.vocabulary = syntheticVocabulary(options.model.vocabularySize);
  checkpoint.config.model.vocabularySize = static_cast<int>(checkpoint.vocabulary.size());
  torch::manual_seed(1);
  const model::LstmNetwork network(checkpoint.config.model);
  checkpoint.modelState = train::saveModuleState(*network);

  GenerateBenchResult best;
  best.tokensPerSecond = 0.0;
  best.firstTokenMs = std::numeric_limits<double>::infinity();
  best.loadMs = std::numeric_limits<double>::infinity();
  best.firstNoteMs = std::numeric_limits<double>::infinity();
  GenerateOptions generateOptions;
  generateOptions.length = {Length::Unit::Tokens, static_cast<double>(options.tokens)};
  if (options.primeTokens > 0) {
    midi::Score prime;
    midi::Track track;
    for (int i = 0; i < options.primeTokens; ++i)
      track.notes.push_back({i * 240, 240, static_cast<std::uint8_t>(48 + i % 24), 80});
    prime.tracks.push_back(track);
    generateOptions.prime = prime;
  }
  for (int run = 0; run < std::max(1, options.repeat); ++run) {
    const Clock::time_point loadStart = Clock::now();
    auto generator = Generator::fromCheckpoint(checkpoint, options.precision);
    const Clock::time_point start = Clock::now();
    Clock::time_point first{};
    Clock::time_point firstNote{};
    generateOptions.seed = static_cast<std::uint64_t>(run);
    GenerateListener listener;
    listener.onToken = [&](tokenize::TokenId, std::size_t n) {
      if (n == 1) first = Clock::now();
    };
    listener.onNote = [&](const tokenize::NoteEvent& e) {
      if (e.kind == tokenize::NoteEvent::Kind::Start && firstNote == Clock::time_point{}) firstNote = Clock::now();
    };
    (void)(*generator)->generate(generateOptions, listener);
    const Clock::time_point end = Clock::now();
    best.loadMs = std::min(best.loadMs, ms(start - loadStart));
    best.firstTokenMs = std::min(best.firstTokenMs, ms(first - start));
    if (firstNote != Clock::time_point{}) best.firstNoteMs = std::min(best.firstNoteMs, ms(firstNote - start));
    const double seconds = std::chrono::duration<double>(end - first).count();
    if (options.tokens > 1 && seconds > 0) {
      best.tokensPerSecond = std::max(best.tokensPerSecond, (options.tokens - 1) / seconds);
    }
  }
  best.microsecondsPerToken = best.tokensPerSecond > 0 ? 1e6 / best.tokensPerSecond : 0.0;
  return best;
}

} // namespace lyrebird::generate
