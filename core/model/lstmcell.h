#pragma once

#include <cstdint>

namespace lyrebird::model {

/// The pointwise part of an LSTM time step for a batch of `rows`, on raw float rows (the matrix
/// products are the caller's). Each row of `gates` holds [i | f | g | o], 4 x `hidden` floats,
/// one row 4 x `hidden` after the other; every other array is [rows x hidden]. On AVX2 + FMA
/// machines one vectorised pass (exp to about two units in the last place), elsewhere plain
/// loops over std::exp; the two agree to ~1e-6. Any thread; the arrays must not overlap
/// except where noted.
struct LstmCell {
  /// gates: pre-activations in, activations out (sigmoid i, f, o; tanh g), kept for backward.
  /// Writes c = f * cPrev + i * g to cNext (may be cPrev itself), tanh(c) to tanhC and
  /// o * tanh(c) to hNext.
  static void forward(float* gates, const float* cPrev, float* cNext, float* tanhC, float* hNext, std::int64_t rows,
                      std::int64_t hidden);

  /// From forward's activations and tanhC, the step's cPrev, and the gradient reaching h
  /// (dy + dhNext) and c (dc, updated in place to the gradient reaching cPrev): the gradient
  /// of the pre-activation gates, [rows x 4 hidden].
  static void backward(const float* gates, const float* tanhC, const float* cPrev, const float* dy, const float* dhNext,
                       float* dc, float* dGates, std::int64_t rows, std::int64_t hidden);
};

} // namespace lyrebird::model
