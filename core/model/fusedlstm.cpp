#include "model/fusedlstm.h"

#include "model/blas.h"
#include "model/dropout.h"
#include "model/lstmcell.h"

#include <torch/autograd.h>
#include <torch/nn/init.h>

#include <ATen/ATen.h>

#include <cmath>

namespace lyrebird::model {

namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// One LSTM layer over a whole sequence, time-major inside.
/// Inputs: x [B, T, I], h0 [B, H], c0 [B, H], weightIh [4H, I], weightHh [4H, H], biasIh [4H], biasHh [4H].
/// Outputs: y [B, T, H], hT [B, H], cT [B, H].
/// A time step is one small matrix product (B x H by H x 4H, straight to the BLAS: no dispatch
/// between steps) and one vectorised pass over the gates (LstmCell).
class LstmLayerFunction : public torch::autograd::Function<LstmLayerFunction> {
public:
  static variable_list forward(AutogradContext* ctx, const Tensor& xIn, const Tensor& h0, const Tensor& c0,
                               const Tensor& weightIh, const Tensor& weightHhIn, const Tensor& biasIh,
                               const Tensor& biasHh) {
    const Tensor x = xIn.contiguous();
    const Tensor weightHh = weightHhIn.contiguous();
    const std::int64_t b = x.size(0);
    const std::int64_t t = x.size(1);
    const std::int64_t inputSize = x.size(2);
    const std::int64_t h = weightHh.size(1);
    const Tensor xTime = x.transpose(0, 1).contiguous(); // [T, B, I]

    // All input projections at once: one large matrix product.
    Tensor gates = at::addmm(biasIh + biasHh, xTime.view({t * b, inputSize}), weightIh.t()).view({t, b, 4 * h});
    Tensor hAll = at::empty({t + 1, b, h}, x.options());
    Tensor cAll = at::empty({t + 1, b, h}, x.options());
    Tensor tanhC = at::empty({t, b, h}, x.options());
    hAll[0].copy_(h0);
    cAll[0].copy_(c0);
    float* gp = gates.data_ptr<float>();
    float* hp = hAll.data_ptr<float>();
    float* cp = cAll.data_ptr<float>();
    float* tp = tanhC.data_ptr<float>();
    const float* w = weightHh.data_ptr<float>();
    const int rows = static_cast<int>(b);
    const int units = static_cast<int>(h);
    for (std::int64_t s = 0; s < t; ++s) {
      float* g = gp + s * b * 4 * h;
      // gates_s += h_{s-1} W_hh^T
      blas::sgemm(false, true, rows, 4 * units, units, 1.0f, hp + s * b * h, units, w, units, 1.0f, g, 4 * units);
      LstmCell::forward(g, cp + s * b * h, cp + (s + 1) * b * h, tp + s * b * h, hp + (s + 1) * b * h, b, h);
    }
    ctx->save_for_backward({xTime, weightIh, weightHh, hAll, cAll, gates, tanhC});
    Tensor y = hAll.slice(0, 1, t + 1).transpose(0, 1).contiguous();
    return {y, hAll[t].clone(), cAll[t].clone()};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const Tensor& xTime = saved[0];
    const Tensor& weightIh = saved[1];
    const Tensor& weightHh = saved[2];
    const Tensor& hAll = saved[3];
    const Tensor& cAll = saved[4];
    const Tensor& gates = saved[5];
    const Tensor& tanhC = saved[6];
    const std::int64_t t = xTime.size(0);
    const std::int64_t b = xTime.size(1);
    const std::int64_t inputSize = xTime.size(2);
    const std::int64_t h = weightHh.size(1);

    const Tensor dy =
        grads[0].defined() ? grads[0].transpose(0, 1).contiguous() : at::zeros({t, b, h}, xTime.options());
    Tensor dhNext = grads[1].defined() ? grads[1].clone().contiguous() : at::zeros({b, h}, xTime.options());
    Tensor dcNext = grads[2].defined() ? grads[2].clone().contiguous() : at::zeros({b, h}, xTime.options());
    Tensor dGates = at::empty({t, b, 4 * h}, xTime.options());
    const float* gp = gates.data_ptr<float>();
    const float* tp = tanhC.data_ptr<float>();
    const float* cp = cAll.data_ptr<float>();
    const float* dyp = dy.data_ptr<float>();
    float* dgp = dGates.data_ptr<float>();
    const float* w = weightHh.data_ptr<float>();
    const int rows = static_cast<int>(b);
    const int units = static_cast<int>(h);
    for (std::int64_t s = t - 1; s >= 0; --s) {
      float* dg = dgp + s * b * 4 * h;
      LstmCell::backward(gp + s * b * 4 * h, tp + s * b * h, cp + s * b * h, dyp + s * b * h, dhNext.data_ptr<float>(),
                         dcNext.data_ptr<float>(), dg, b, h);
      // dh_{s-1} = dGates_s W_hh, over dh_s (read above, not by the product)
      blas::sgemm(false, false, rows, units, 4 * units, 1.0f, dg, 4 * units, w, units, 0.0f, dhNext.data_ptr<float>(),
                  units);
    }

    // Weight and input gradients of every step: three large matrix products.
    const Tensor dGates2d = dGates.view({t * b, 4 * h});
    const Tensor dWeightHh = dGates2d.t().mm(hAll.slice(0, 0, t).reshape({t * b, h}));
    const Tensor dWeightIh = dGates2d.t().mm(xTime.view({t * b, inputSize}));
    const Tensor dBias = dGates2d.sum(0);
    const Tensor dx = dGates2d.mm(weightIh).view({t, b, inputSize}).transpose(0, 1).contiguous();
    return {dx, dhNext, dcNext, dWeightIh, dWeightHh, dBias, dBias.clone()};
  }
};

} // namespace

FusedLstmImpl::FusedLstmImpl(int inputSize, int hidden, int layers, double dropout)
    : m_hidden(hidden), m_layers(layers), m_dropout(dropout) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
  for (int l = 0; l < layers; ++l) {
    const int in = l == 0 ? inputSize : hidden;
    const std::string suffix = "_l" + std::to_string(l);
    // Same names, shapes and initialisation as torch::nn::LSTM, so weights interchange.
    m_weightIh.push_back(register_parameter("weight_ih" + suffix, torch::empty({4 * hidden, in})));
    m_weightHh.push_back(register_parameter("weight_hh" + suffix, torch::empty({4 * hidden, hidden})));
    m_biasIh.push_back(register_parameter("bias_ih" + suffix, torch::empty({4 * hidden})));
    m_biasHh.push_back(register_parameter("bias_hh" + suffix, torch::empty({4 * hidden})));
  }
  torch::NoGradGuard noGrad;
  for (auto& p : parameters())
    p.uniform_(-bound, bound);
}

std::tuple<torch::Tensor, LstmState> FusedLstmImpl::forward(const torch::Tensor& x,
                                                            const std::optional<LstmState>& state) {
  const std::int64_t batch = x.size(0);
  torch::Tensor h0 = state ? std::get<0>(*state) : torch::zeros({m_layers, batch, m_hidden}, x.options());
  torch::Tensor c0 = state ? std::get<1>(*state) : torch::zeros({m_layers, batch, m_hidden}, x.options());
  torch::Tensor layerInput = x.to(torch::kFloat32);
  std::vector<torch::Tensor> hs;
  std::vector<torch::Tensor> cs;
  for (int l = 0; l < m_layers; ++l) {
    variable_list out = LstmLayerFunction::apply(
        layerInput, h0[l], c0[l], m_weightIh[static_cast<std::size_t>(l)], m_weightHh[static_cast<std::size_t>(l)],
        m_biasIh[static_cast<std::size_t>(l)], m_biasHh[static_cast<std::size_t>(l)]);
    hs.push_back(out[1]);
    cs.push_back(out[2]);
    layerInput = out[0];
    if (l + 1 < m_layers && m_dropout > 0.0 && is_training()) {
      layerInput = fastDropout(layerInput, m_dropout, true);
    }
  }
  return {layerInput, {torch::stack(hs), torch::stack(cs)}};
}

} // namespace lyrebird::model
