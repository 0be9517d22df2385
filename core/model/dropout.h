#pragma once

#include <torch/types.h>

namespace lyrebird::model {

/// Inverted dropout, the same function as torch::dropout: in training, each element is kept
/// with probability 1 - p and scaled by 1 / (1 - p), else zeroed; outside training (or with
/// p == 0) x itself. Differentiable. The keep/drop draws come from a small, fast generator
/// (xoshiro256+) seeded from torch's default CPU generator at each call, so
/// torch::manual_seed still makes runs repeatable; torch's own dropout draws each element
/// through its Bernoulli sampler, ~15 ns an element, which was a sixth of a training step.
/// Float32, CPU. Any thread.
torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training);

} // namespace lyrebird::model
