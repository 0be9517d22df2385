#include "train/trainbench.h"

#include "model/lstmnetwork.h"
#include "train/trainingheap.h"

#include <torch/nn/functional/loss.h>
#include <torch/optim/rmsprop.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>

namespace lyrebird::train {

namespace {

using Clock = std::chrono::steady_clock;

/// Multiply-add count of one forward pass, times 2 (FLOPs); backward costs twice that.
double stepGflop(const TrainBenchOptions& o) {
  const model::ModelConfig& m = o.model;
  const double b = o.batch;
  const double t = o.sequenceLength;
  const double h = m.hidden;
  const double input = m.input == model::ModelConfig::Input::Scalar ? 1.0 : m.embeddingSize;
  double forward = 0.0;
  for (int layer = 0; layer < m.layers; ++layer) {
    forward += 2.0 * b * t * 4.0 * h * ((layer == 0 ? input : h) + h);
  }
  const double positions = m.objective == model::ModelConfig::Objective::All ? b * t : b;
  if (m.arch == model::ModelConfig::Arch::Stacked) {
    forward += 2.0 * positions * (h * m.denseSize + m.denseSize * m.vocabularySize);
  } else {
    forward += 2.0 * positions * h * m.vocabularySize;
  }
  return 3.0 * forward / 1e9;
}

} // namespace

double measureGemmGflops(int threads) {
  at::set_num_threads(std::max(1, threads));
  torch::NoGradGuard noGrad;
  const int n = 1024;
  const torch::Tensor a = torch::rand({n, n});
  const torch::Tensor b = torch::rand({n, n});
  torch::Tensor c = torch::mm(a, b); // warm-up
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    c = torch::mm(a, b);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return 2.0 * n * n * n / best / 1e9;
}

TrainBenchResult benchTrainSteps(const TrainBenchOptions& options) {
  const TrainingHeap heap;
  TrainBenchResult result;
  at::set_num_threads(std::max(1, options.threads));
  result.threads = at::get_num_threads();
  torch::manual_seed(0);
  model::LstmNetwork network(options.model);
  network->train();
  torch::optim::RMSprop optimizer(network->parameters(), torch::optim::RMSpropOptions(1e-3));

  const bool all = options.model.objective == model::ModelConfig::Objective::All;
  const int vocabulary = options.model.vocabularySize;
  const torch::Tensor inputs = torch::randint(vocabulary, {options.batch, options.sequenceLength}, torch::kLong);
  const torch::Tensor targets = all ? torch::randint(vocabulary, {options.batch, options.sequenceLength}, torch::kLong)
                                    : torch::randint(vocabulary, {options.batch}, torch::kLong);
  auto step = [&] {
    optimizer.zero_grad();
    const torch::Tensor logits = network->forward(inputs);
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits.reshape({-1, vocabulary}), targets.reshape({-1}));
    loss.backward();
    optimizer.step();
  };
  step(); // warm-up: allocations, first-touch
  const auto start = Clock::now();
  for (int i = 0; i < options.steps; ++i)
    step();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count() / std::max(1, options.steps);

  result.msPerStep = seconds * 1000.0;
  result.sequencesPerSecond = options.batch / seconds;
  result.targetsPerSecond = (all ? options.batch * options.sequenceLength : options.batch) / seconds;
  result.gflopPerStep = stepGflop(options);
  result.gflopsPerSecond = result.gflopPerStep / seconds;
  result.gemmPeakGflops = measureGemmGflops(options.threads);
  return result;
}

} // namespace lyrebird::train
