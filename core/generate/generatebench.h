#pragma once

#include "model/lstmstepper.h"
#include "model/modelconfig.h"

namespace lyrebird::generate {

struct GenerateBenchOptions {
  model::ModelConfig model; ///< arch, input, hidden, layers, vocabularySize
  int tokens = 1000;        ///< tokens drawn per timed run
  int primeTokens = 0;      ///< prime length read before the first token (0: none)
  int repeat = 3;           ///< runs; the fastest is reported
  model::LstmStepper::Precision precision = model::LstmStepper::Precision::Half;
};

struct GenerateBenchResult {
  double tokensPerSecond = 0.0; ///< drawn tokens per second, after the first
  double firstTokenMs = 0.0;    ///< from generate() to the first drawn token (prime included)
  double firstNoteMs = 0.0;     ///< from generate() to the first note start reaching the listener
  double loadMs = 0.0;          ///< building the generator from a checkpoint in memory
  double microsecondsPerToken = 0.0;
};

/// Times generation with a randomly initialised model of the given shape (sampling at
/// temperature 1, no constraints), on the calling thread.
GenerateBenchResult benchGenerate(const GenerateBenchOptions& options);

} // namespace lyrebird::generate
