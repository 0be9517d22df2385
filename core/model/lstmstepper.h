#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lyrebird::model {

/// Inference of a trained LstmNetwork one token at a time, without torch: plain float
/// arrays and hand-vectorised matrix-vector products (AVX2/FMA where the CPU has them).
/// Generation spends its whole life in this loop, and a torch call per gate and layer
/// costs more in dispatch than the arithmetic of a small model; this does not.
/// Same results as LstmNetwork::forwardWithState to float rounding (Precision::Float) or
/// to the rounding of the weights to half precision (Precision::Half). Not thread-safe:
/// one stepper per generation thread.
class LstmStepper {
public:
  /// The weights of one LSTM layer, fused: row r of `weights` is [W_ih row r | W_hh row r].
  struct Layer {
    int inputSize = 0;
    std::vector<float> weights; ///< [4*hidden x (inputSize + hidden)], gates in torch's order i, f, g, o
    std::vector<float> bias;    ///< [4*hidden], b_ih + b_hh
  };
  /// Everything the network's forward pass reads (see LstmNetwork for the shapes).
  struct Weights {
    int vocabularySize = 0;
    int hidden = 0;
    bool scalarInput = false;       ///< token / vocabularySize as one input, as the originals
    std::vector<float> embedding;   ///< [vocabularySize x embeddingSize] unless scalarInput
    std::vector<float> lookbackOne; ///< same shape, with ModelConfig::lookback; else empty
    std::vector<float> lookbackTwo;
    std::vector<float> repeating;  ///< [kRepeatingValues x embeddingSize] with repeat labels; else empty
    std::vector<float> clockMeter; ///< [clockMeters x embeddingSize] with the bar clock; else empty
    std::vector<float> clockSteps; ///< [clockSteps x embeddingSize]
    std::vector<Layer> layers;
    std::vector<float> denseWeight; ///< [denseSize x hidden]; empty for the single-layer model
    std::vector<float> denseBias;
    std::vector<float> outputWeight; ///< [outputs x (denseSize or hidden)]: ModelConfig::outputSize()
    std::vector<float> outputBias;
  };

  /// How the LSTM matrices are stored. Half precision halves the memory each token
  /// streams through (products still accumulate in float); the head stays in float.
  enum class Precision { Float, Half };

  explicit LstmStepper(const Weights& weights, Precision precision = Precision::Half);

  /// Back to the zero state (the start of a piece).
  void reset();
  /// Feeds `token` (0 <= token < vocabularySize) and returns the logits of the next
  /// token (outputSize() of them), valid until the next call. `oneBar`, `twoBars`, `repeating`,
  /// `meter`, `toBarLine`: its lookback inputs (ids, 0 for none; flags 0-3; the bar clock, 0 for
  /// none), read only by a network that has them.
  std::span<const float> step(std::int64_t token, std::int64_t oneBar = 0, std::int64_t twoBars = 0, int repeating = 0,
                              int meter = 0, int toBarLine = 0);
  bool hasLookback() const { return !m_lookbackGates.empty(); }
  /// Whether the last two outputs are the repeat labels (ModelConfig::repeatLabels).
  bool hasRepeatLabels() const { return !m_repeatingGates.empty(); }

  int vocabularySize() const { return m_vocabularySize; }
  int outputSize() const { return static_cast<int>(m_logits.size()); }

private:
  /// A matrix in the chosen precision (one of the two vectors is filled).
  struct Matrix {
    int rows = 0, cols = 0;
    std::vector<float> full;
    std::vector<std::uint16_t> half;
  };
  std::vector<float> m_lookbackGates;  ///< [2 x vocabularySize x 4*hidden]: W_ih of each lookback embedding row
  std::vector<float> m_repeatingGates; ///< [kRepeatingValues x 4*hidden]: W_ih of each repeating flag's row
  std::vector<float> m_meterGates;     ///< [clockMeters x 4*hidden]: W_ih of each bar-clock meter's row
  std::vector<float> m_clockGates;     ///< [clockSteps x 4*hidden]: ... of each step to the bar line
  std::vector<float> m_inputSum;       ///< token's and lookbacks' input gates, summed per step
  struct FusedLayer {
    Matrix weights;
    std::vector<float> bias;
  };
  Matrix matrix(std::vector<float> values, int rows, int cols) const;
  void multiply(const Matrix& m, const float* x, const float* bias, float* y) const;

  Precision m_precision;
  int m_vocabularySize;
  int m_hidden;
  std::vector<float> m_inputGates; ///< [vocabularySize x 4*hidden]: layer 0's W_ih x + biases, per token
  Matrix m_recurrent0;             ///< layer 0's W_hh [4*hidden x hidden]
  std::vector<FusedLayer> m_upper; ///< layers 1..n-1
  std::vector<float> m_denseWeight, m_denseBias, m_outputWeight, m_outputBias;
  int m_denseSize = 0;
  // State and scratch.
  std::vector<std::vector<float>> m_h, m_c;
  std::vector<float> m_gates, m_concat, m_dense, m_logits;
};

} // namespace lyrebird::model
