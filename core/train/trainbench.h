#pragma once

#include "model/modelconfig.h"

#include <string>

namespace lyrebird::train {

struct TrainBenchOptions {
  model::ModelConfig model; ///< arch, input, objective, hidden, vocabularySize, layers...
  int sequenceLength = 100;
  int batch = 64;
  int steps = 5;   ///< timed steps, after one warm-up step
  int threads = 1; ///< torch intra-op threads
};

struct TrainBenchResult {
  double msPerStep = 0.0;
  double sequencesPerSecond = 0.0;
  double targetsPerSecond = 0.0;
  double gflopPerStep = 0.0;    ///< analytic count of one training step (forward + backward)
  double gflopsPerSecond = 0.0; ///< gflopPerStep / seconds per step
  double gemmPeakGflops = 0.0;  ///< a large single-precision matrix product on the same threads
  int threads = 0;
};

/// Times training steps (RMSprop, cross-entropy) of a model on random data, the same
/// work as ../shared/bench/ref_lstm_bench.py. Sets torch's intra-op thread count.
TrainBenchResult benchTrainSteps(const TrainBenchOptions& options);

/// Measured single-precision GEMM rate of this machine on `threads` threads, GFLOP/s.
double measureGemmGflops(int threads);

} // namespace lyrebird::train
