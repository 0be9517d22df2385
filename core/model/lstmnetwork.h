#pragma once

// The only place Lyrebird defines torch modules. Include from core/train, core/generate
// and core/distributed only; everything else sees ModelConfig.

#include "model/fusedlstm.h"
#include "model/lstmstepper.h"
#include "model/modelconfig.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <optional>
#include <tuple>

namespace lyrebird::model {

/// The poster's two models and Lyrebird's default, one module (see ModelConfig).
/// Outputs logits; the softmax is folded into the cross-entropy loss and the sampler.
class LstmNetworkImpl : public torch::nn::Module {
public:
  explicit LstmNetworkImpl(const ModelConfig& config);

  /// tokens: int64 [batch, time]; lookback (with ModelConfig::lookback, else undefined): int64
  /// [batch, time, kLookbackChannels], the tokens one and two bars back, the repeating flags and
  /// the bar clock (tokenize::LookbackTracker). Returns logits [batch, outputs] for Objective::Last (after the
  /// last step) or [batch, time, outputs] for Objective::All (outputs: ModelConfig::outputSize()).
  torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& lookback = {});

  /// Logits at every position, [batch, time, vocabulary], continuing from `state`
  /// (none: zeros) and returning the state after the last step. For generation.
  std::tuple<torch::Tensor, LstmState> forwardWithState(const torch::Tensor& tokens,
                                                        const std::optional<LstmState>& state,
                                                        const torch::Tensor& lookback = {});

  /// A copy of the weights for LstmStepper (generation without torch in the loop).
  LstmStepper::Weights stepperWeights() const;

  const ModelConfig& config() const { return m_config; }

private:
  torch::Tensor embed(const torch::Tensor& tokens, const torch::Tensor& lookback);
  torch::Tensor head(const torch::Tensor& features);

  ModelConfig m_config;
  torch::nn::Embedding m_embedding{nullptr};
  torch::nn::Embedding m_lookbackOne{nullptr};
  torch::nn::Embedding m_lookbackTwo{nullptr};
  torch::nn::Embedding m_repeating{nullptr}; ///< with ModelConfig::repeatLabels
  torch::nn::Embedding m_meter{nullptr};     ///< the bar clock's, with ModelConfig::hasBarClock()
  torch::nn::Embedding m_toBarLine{nullptr};
  FusedLstm m_lstm{nullptr};
  torch::nn::Linear m_dense{nullptr};
  torch::nn::Linear m_output{nullptr};
};
TORCH_MODULE(LstmNetwork);

} // namespace lyrebird::model
