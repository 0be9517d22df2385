#include "model/dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/autograd.h>

#include <cmath>
#include <cstdint>
#include <mutex>

namespace lyrebird::model {

namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// xoshiro256+ (Blackman & Vigna): 64 random bits a call, of which the top 32 are used twice.
class Xoshiro256Plus {
public:
  explicit Xoshiro256Plus(std::uint64_t seed) {
    // splitmix64 spreads one seed over the four words of state, as the authors advise.
    for (auto& word : m_s) {
      seed += 0x9e3779b97f4a7c15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = m_s[0] + m_s[3];
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = (m_s[3] << 45) | (m_s[3] >> 19);
    return result;
  }

private:
  std::uint64_t m_s[4];
};

std::uint64_t seedFromTorch() {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  const std::lock_guard lock(generator.mutex());
  return generator.get<at::CPUGeneratorImpl>()->random64();
}

/// A mask of 1 / (1 - p) (kept) and 0 (dropped), shaped like `like`.
Tensor keepMask(const Tensor& like, double p) {
  Tensor mask = at::empty(like.sizes(), like.options().dtype(at::kFloat));
  float* m = mask.data_ptr<float>();
  const std::int64_t n = mask.numel();
  // An element is dropped when its 32 random bits fall below p * 2^32.
  const auto threshold = static_cast<std::uint32_t>(std::min(std::ldexp(p, 32), 4294967295.0));
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  Xoshiro256Plus random(seedFromTorch());
  std::int64_t i = 0;
  for (; i + 1 < n; i += 2) {
    const std::uint64_t bits = random.next();
    m[i] = static_cast<std::uint32_t>(bits) >= threshold ? scale : 0.0f;
    m[i + 1] = static_cast<std::uint32_t>(bits >> 32) >= threshold ? scale : 0.0f;
  }
  if (i < n) m[i] = static_cast<std::uint32_t>(random.next() >> 32) >= threshold ? scale : 0.0f;
  return mask;
}

class DropoutFunction : public torch::autograd::Function<DropoutFunction> {
public:
  static Tensor forward(AutogradContext* ctx, const Tensor& x, double p) {
    const Tensor mask = keepMask(x, p);
    ctx->save_for_backward({mask});
    return x * mask;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const Tensor mask = ctx->get_saved_variables()[0];
    return {grads[0] * mask, Tensor()};
  }
};

} // namespace

torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  if (p >= 1.0) return x * 0.0f;
  return DropoutFunction::apply(x, p);
}

} // namespace lyrebird::model
