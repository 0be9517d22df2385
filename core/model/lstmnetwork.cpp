#include "model/lstmnetwork.h"

#include "model/dropout.h"

#include <torch/nn/functional/activation.h>

namespace lyrebird::model {

LstmNetworkImpl::LstmNetworkImpl(const ModelConfig& config) : m_config(config) {
  const bool scalar = config.input == ModelConfig::Input::Scalar;
  const int inputSize = scalar ? 1 : config.embeddingSize;
  if (!scalar) {
    m_embedding = register_module("embedding", torch::nn::Embedding(config.vocabularySize, config.embeddingSize));
    if (config.lookback) {
      m_lookbackOne = register_module("lookback1", torch::nn::Embedding(config.vocabularySize, config.embeddingSize));
      m_lookbackTwo = register_module("lookback2", torch::nn::Embedding(config.vocabularySize, config.embeddingSize));
    }
    if (config.repeatLabels) {
      m_repeating = register_module("repeating", torch::nn::Embedding(kRepeatingValues, config.embeddingSize));
    }
    if (config.hasBarClock()) {
      m_meter = register_module("clock_meter", torch::nn::Embedding(config.clockMeters, config.embeddingSize));
      m_toBarLine = register_module("clock_steps", torch::nn::Embedding(config.clockSteps, config.embeddingSize));
    }
  }
  m_lstm = register_module(
      "lstm", FusedLstm(inputSize, config.hidden, config.layers, config.layers > 1 ? config.dropout : 0.0));
  if (config.arch == ModelConfig::Arch::Stacked) {
    m_dense = register_module("dense", torch::nn::Linear(config.hidden, config.denseSize));
    m_output = register_module("output", torch::nn::Linear(config.denseSize, config.outputSize()));
  } else {
    m_output = register_module("output", torch::nn::Linear(config.hidden, config.outputSize()));
  }
}

torch::Tensor LstmNetworkImpl::embed(const torch::Tensor& tokens, const torch::Tensor& lookback) {
  if (m_config.input == ModelConfig::Input::Scalar) {
    // The originals feed token / vocabulary size as one float per step.
    return (tokens.to(torch::kFloat32) / static_cast<float>(m_config.vocabularySize)).unsqueeze(-1);
  }
  if (!m_lookbackOne) return m_embedding(tokens);
  // Without lookback inputs (a caller that has none) every place reads as "none" (id 0).
  const torch::Tensor back =
      lookback.defined() ? lookback : torch::zeros({tokens.size(0), tokens.size(1), kLookbackChannels}, torch::kLong);
  torch::Tensor x = m_embedding(tokens) + m_lookbackOne(back.select(-1, 0)) + m_lookbackTwo(back.select(-1, 1));
  if (m_repeating) x = x + m_repeating(back.select(-1, 2));
  if (m_meter) x = x + m_meter(back.select(-1, 3)) + m_toBarLine(back.select(-1, 4));
  return x;
}

torch::Tensor LstmNetworkImpl::head(const torch::Tensor& features) {
  torch::Tensor x = fastDropout(features, m_config.dropout, is_training());
  if (m_config.arch == ModelConfig::Arch::Stacked) {
    x = fastDropout(torch::relu(m_dense(x)), m_config.dropout, is_training());
  }
  return m_output(x);
}

torch::Tensor LstmNetworkImpl::forward(const torch::Tensor& tokens, const torch::Tensor& lookback) {
  torch::Tensor features = std::get<0>(m_lstm(embed(tokens, lookback)));
  if (m_config.objective == ModelConfig::Objective::Last) {
    features = features.select(1, -1);
  }
  return head(features);
}

std::tuple<torch::Tensor, LstmState> LstmNetworkImpl::forwardWithState(const torch::Tensor& tokens,
                                                                       const std::optional<LstmState>& state,
                                                                       const torch::Tensor& lookback) {
  auto [features, next] = m_lstm(embed(tokens, lookback), state);
  return {head(features), next};
}

namespace {
std::vector<float> floats(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}
} // namespace

LstmStepper::Weights LstmNetworkImpl::stepperWeights() const {
  LstmStepper::Weights w;
  w.vocabularySize = m_config.vocabularySize;
  w.hidden = m_config.hidden;
  w.scalarInput = m_config.input == ModelConfig::Input::Scalar;
  if (!w.scalarInput) w.embedding = floats(m_embedding->weight);
  if (m_lookbackOne) {
    w.lookbackOne = floats(m_lookbackOne->weight);
    w.lookbackTwo = floats(m_lookbackTwo->weight);
  }
  if (m_repeating) w.repeating = floats(m_repeating->weight);
  if (m_meter) {
    w.clockMeter = floats(m_meter->weight);
    w.clockSteps = floats(m_toBarLine->weight);
  }
  const auto parameters = m_lstm->named_parameters(false);
  for (int l = 0; l < m_config.layers; ++l) {
    const std::string suffix = "_l" + std::to_string(l);
    const torch::Tensor ih = parameters["weight_ih" + suffix];
    const torch::Tensor hh = parameters["weight_hh" + suffix];
    LstmStepper::Layer layer;
    layer.inputSize = static_cast<int>(ih.size(1));
    layer.weights = floats(torch::cat({ih, hh}, 1));
    layer.bias = floats(parameters["bias_ih" + suffix] + parameters["bias_hh" + suffix]);
    w.layers.push_back(std::move(layer));
  }
  if (m_dense) {
    w.denseWeight = floats(m_dense->weight);
    w.denseBias = floats(m_dense->bias);
  }
  w.outputWeight = floats(m_output->weight);
  w.outputBias = floats(m_output->bias);
  return w;
}

} // namespace lyrebird::model
