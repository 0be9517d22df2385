#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <optional>
#include <tuple>

namespace lyrebird::model {

/// LSTM state between calls: (h, c), each [layers, batch, hidden].
using LstmState = std::tuple<torch::Tensor, torch::Tensor>;

/// A multi-layer, batch-first LSTM for CPU training, the same function as torch::nn::LSTM
/// (same parameters, names, gate order i, f, g, o and initialisation; results agree to ~1e-6)
/// but with a hand-written step and backward pass: each layer's input projections and weight
/// gradients are one large matrix product each for all time steps, and a time step is one
/// small product straight to the BLAS plus one vectorised pass over the gates (LstmCell),
/// instead of one autograd node chain per step. That is what makes a training step faster
/// than PyTorch's own LSTM on the CPU.
/// Float32 only. Inter-layer dropout as torch::nn::LSTM (training mode only).
class FusedLstmImpl : public torch::nn::Module {
public:
  FusedLstmImpl(int inputSize, int hidden, int layers, double dropout);

  /// x: [batch, time, input]. Returns the last layer's outputs [batch, time, hidden]
  /// and the final state; `state` defaults to zeros.
  std::tuple<torch::Tensor, LstmState> forward(const torch::Tensor& x, const std::optional<LstmState>& state = {});

  int hidden() const { return m_hidden; }
  int layers() const { return m_layers; }

private:
  int m_hidden;
  int m_layers;
  double m_dropout;
  std::vector<torch::Tensor> m_weightIh;
  std::vector<torch::Tensor> m_weightHh;
  std::vector<torch::Tensor> m_biasIh;
  std::vector<torch::Tensor> m_biasHh;
};
TORCH_MODULE(FusedLstm);

} // namespace lyrebird::model
