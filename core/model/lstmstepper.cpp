#include "model/lstmstepper.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LYREBIRD_HAVE_AVX2_KERNEL 1
#endif

namespace lyrebird::model {
namespace {

// y = b + W x for a row-major W [rows x cols]. Both kernels sum in a fixed order, so a
// generation is reproducible on a given machine.
void gemvPortable(const float* w, const float* x, const float* b, float* y, int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    const float* row = w + static_cast<std::size_t>(r) * static_cast<std::size_t>(cols);
    float partial[8] = {};
    int k = 0;
    for (; k + 8 <= cols; k += 8) {
      for (int j = 0; j < 8; ++j)
        partial[j] += row[k + j] * x[k + j];
    }
    float sum = 0.0f;
    for (float p : partial)
      sum += p;
    for (; k < cols; ++k)
      sum += row[k] * x[k];
    y[r] = b[r] + sum;
  }
}

#ifdef LYREBIRD_HAVE_AVX2_KERNEL
[[gnu::target("avx2,fma")]] inline float horizontalSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

// Four rows at a time, two accumulators per row: eight independent FMA chains keep both
// FMA units busy while x is loaded once per four rows.
[[gnu::target("avx2,fma")]] void gemvAvx2(const float* w, const float* x, const float* b, float* y, int rows,
                                          int cols) {
  const auto stride = static_cast<std::size_t>(cols);
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float* w0 = w + static_cast<std::size_t>(r) * stride;
    const float* w1 = w0 + stride;
    const float* w2 = w1 + stride;
    const float* w3 = w2 + stride;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
    int k = 0;
    for (; k + 16 <= cols; k += 16) {
      const __m256 x0 = _mm256_loadu_ps(x + k);
      const __m256 x1 = _mm256_loadu_ps(x + k + 8);
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + k), x0, a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + k), x0, a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + k), x0, a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + k), x0, a3);
      b0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + k + 8), x1, b0);
      b1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + k + 8), x1, b1);
      b2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + k + 8), x1, b2);
      b3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + k + 8), x1, b3);
    }
    float s0 = horizontalSum(_mm256_add_ps(a0, b0));
    float s1 = horizontalSum(_mm256_add_ps(a1, b1));
    float s2 = horizontalSum(_mm256_add_ps(a2, b2));
    float s3 = horizontalSum(_mm256_add_ps(a3, b3));
    for (; k < cols; ++k) {
      s0 += w0[k] * x[k];
      s1 += w1[k] * x[k];
      s2 += w2[k] * x[k];
      s3 += w3[k] * x[k];
    }
    y[r] = b[r] + s0;
    y[r + 1] = b[r + 1] + s1;
    y[r + 2] = b[r + 2] + s2;
    y[r + 3] = b[r + 3] + s3;
  }
  if (r < rows) gemvPortable(w + static_cast<std::size_t>(r) * stride, x, b + r, y + r, rows - r, cols);
}
#endif

// IEEE half precision, round to nearest even (portable; F16C does the same in hardware).
std::uint16_t toHalf(float value) {
  std::uint32_t f;
  std::memcpy(&f, &value, sizeof f);
  const std::uint32_t sign = (f >> 16) & 0x8000u;
  const std::uint32_t magnitude = f & 0x7fffffffu;
  if (magnitude >= 0x7f800000u)
    return static_cast<std::uint16_t>(sign | 0x7c00u | (magnitude > 0x7f800000u ? 0x200u : 0u));
  if (magnitude >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u); // overflows to infinity
  if (magnitude < 0x38800000u) {                                                   // a subnormal half (or zero)
    if (magnitude < 0x33000000u) return static_cast<std::uint16_t>(sign);
    const std::uint32_t exponent = magnitude >> 23;
    const std::uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const std::uint32_t shift = 126u - exponent; // 14..24
    std::uint32_t half = mantissa >> shift;
    const std::uint32_t rest = mantissa & ((1u << shift) - 1u);
    const std::uint32_t halfway = 1u << (shift - 1u);
    if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
    return static_cast<std::uint16_t>(sign | half);
  }
  std::uint32_t half = ((magnitude - 0x38000000u) >> 13);
  const std::uint32_t rest = magnitude & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;
  return static_cast<std::uint16_t>(sign | half);
}

float fromHalf(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1fu;
  std::uint32_t mantissa = h & 0x3ffu;
  std::uint32_t f;
  if (exponent == 0x1fu) {
    f = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    f = sign | ((exponent + 112u) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    f = sign;
  } else { // subnormal: normalise
    exponent = 113u;
    while (!(mantissa & 0x400u)) {
      mantissa <<= 1;
      --exponent;
    }
    f = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float value;
  std::memcpy(&value, &f, sizeof value);
  return value;
}

// The same products with half-precision weights: half the memory traffic, which is what
// bounds a model whose weights do not fit in the cache.
void gemvHalfPortable(const std::uint16_t* w, const float* x, const float* b, float* y, int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    const std::uint16_t* row = w + static_cast<std::size_t>(r) * static_cast<std::size_t>(cols);
    float partial[8] = {};
    int k = 0;
    for (; k + 8 <= cols; k += 8) {
      for (int j = 0; j < 8; ++j)
        partial[j] += fromHalf(row[k + j]) * x[k + j];
    }
    float sum = 0.0f;
    for (float p : partial)
      sum += p;
    for (; k < cols; ++k)
      sum += fromHalf(row[k]) * x[k];
    y[r] = b[r] + sum;
  }
}

#ifdef LYREBIRD_HAVE_AVX2_KERNEL
// The half-weight kernel repeats the float one's shape on purpose: one template for both
// measured 25-40 % fewer tokens a second in `bench generate` (the conversion did not schedule
// as well), so the two stay hand-written.
[[gnu::target("avx2,fma,f16c")]] inline __m256 loadHalf8(const std::uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

[[gnu::target("avx2,fma,f16c")]] void gemvHalfAvx2(const std::uint16_t* w, const float* x, const float* b, float* y,
                                                   int rows, int cols) {
  const auto stride = static_cast<std::size_t>(cols);
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const std::uint16_t* w0 = w + static_cast<std::size_t>(r) * stride;
    const std::uint16_t* w1 = w0 + stride;
    const std::uint16_t* w2 = w1 + stride;
    const std::uint16_t* w3 = w2 + stride;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
    int k = 0;
    for (; k + 16 <= cols; k += 16) {
      const __m256 x0 = _mm256_loadu_ps(x + k);
      const __m256 x1 = _mm256_loadu_ps(x + k + 8);
      a0 = _mm256_fmadd_ps(loadHalf8(w0 + k), x0, a0);
      a1 = _mm256_fmadd_ps(loadHalf8(w1 + k), x0, a1);
      a2 = _mm256_fmadd_ps(loadHalf8(w2 + k), x0, a2);
      a3 = _mm256_fmadd_ps(loadHalf8(w3 + k), x0, a3);
      b0 = _mm256_fmadd_ps(loadHalf8(w0 + k + 8), x1, b0);
      b1 = _mm256_fmadd_ps(loadHalf8(w1 + k + 8), x1, b1);
      b2 = _mm256_fmadd_ps(loadHalf8(w2 + k + 8), x1, b2);
      b3 = _mm256_fmadd_ps(loadHalf8(w3 + k + 8), x1, b3);
    }
    float s0 = horizontalSum(_mm256_add_ps(a0, b0));
    float s1 = horizontalSum(_mm256_add_ps(a1, b1));
    float s2 = horizontalSum(_mm256_add_ps(a2, b2));
    float s3 = horizontalSum(_mm256_add_ps(a3, b3));
    for (; k < cols; ++k) {
      s0 += fromHalf(w0[k]) * x[k];
      s1 += fromHalf(w1[k]) * x[k];
      s2 += fromHalf(w2[k]) * x[k];
      s3 += fromHalf(w3[k]) * x[k];
    }
    y[r] = b[r] + s0;
    y[r + 1] = b[r + 1] + s1;
    y[r + 2] = b[r + 2] + s2;
    y[r + 3] = b[r + 3] + s3;
  }
  if (r < rows) gemvHalfPortable(w + static_cast<std::size_t>(r) * stride, x, b + r, y + r, rows - r, cols);
}
#endif

using Gemv = void (*)(const float*, const float*, const float*, float*, int, int);
using GemvHalf = void (*)(const std::uint16_t*, const float*, const float*, float*, int, int);

GemvHalf chooseGemvHalf() {
#ifdef LYREBIRD_HAVE_AVX2_KERNEL
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
    return gemvHalfAvx2;
  }
#endif
  return gemvHalfPortable;
}

const GemvHalf gemvHalf = chooseGemvHalf();

std::vector<std::uint16_t> halves(std::span<const float> values) {
  std::vector<std::uint16_t> out(values.size());
  std::transform(values.begin(), values.end(), out.begin(), toHalf);
  return out;
}

Gemv chooseGemv() {
#ifdef LYREBIRD_HAVE_AVX2_KERNEL
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return gemvAvx2;
#endif
  return gemvPortable;
}

const Gemv gemv = chooseGemv();

float sigmoid(float x) {
  return 1.0f / (1.0f + std::exp(-x));
}

// One LSTM cell update from the pre-activation gates [i | f | g | o], each `hidden` long.
void cellUpdate(const float* gates, float* h, float* c, int hidden) {
  for (int j = 0; j < hidden; ++j) {
    const float i = sigmoid(gates[j]);
    const float f = sigmoid(gates[hidden + j]);
    const float g = std::tanh(gates[2 * hidden + j]);
    const float o = sigmoid(gates[3 * hidden + j]);
    c[j] = f * c[j] + i * g;
    h[j] = o * std::tanh(c[j]);
  }
}

} // namespace

LstmStepper::Matrix LstmStepper::matrix(std::vector<float> values, int rows, int cols) const {
  Matrix m;
  m.rows = rows;
  m.cols = cols;
  if (m_precision == Precision::Half) {
    m.half = halves(values);
  } else {
    m.full = std::move(values);
  }
  return m;
}

void LstmStepper::multiply(const Matrix& m, const float* x, const float* bias, float* y) const {
  if (m_precision == Precision::Half) {
    gemvHalf(m.half.data(), x, bias, y, m.rows, m.cols);
  } else {
    gemv(m.full.data(), x, bias, y, m.rows, m.cols);
  }
}

LstmStepper::LstmStepper(const Weights& weights, Precision precision)
    : m_precision(precision), m_vocabularySize(weights.vocabularySize), m_hidden(weights.hidden),
      m_denseWeight(weights.denseWeight), m_denseBias(weights.denseBias), m_outputWeight(weights.outputWeight),
      m_outputBias(weights.outputBias), m_denseSize(static_cast<int>(weights.denseBias.size())) {
  assert(!weights.layers.empty());
  const int h = m_hidden;
  const int gates = 4 * h;
  const Layer& first = weights.layers.front();
  const int in = first.inputSize;
  const int cols = in + h;
  // Layer 0's input part depends on the token alone: one table row per token replaces a
  // matrix-vector product per step.
  m_inputGates.assign(static_cast<std::size_t>(m_vocabularySize) * gates, 0.0f);
  std::vector<float> input(static_cast<std::size_t>(in));
  for (int v = 0; v < m_vocabularySize; ++v) {
    if (weights.scalarInput) {
      input[0] = static_cast<float>(v) / static_cast<float>(m_vocabularySize);
    } else {
      std::copy_n(weights.embedding.begin() + static_cast<std::ptrdiff_t>(v) * in, in, input.begin());
    }
    float* row = m_inputGates.data() + static_cast<std::size_t>(v) * gates;
    for (int g = 0; g < gates; ++g) {
      const float* w = first.weights.data() + static_cast<std::size_t>(g) * cols;
      float sum = first.bias[static_cast<std::size_t>(g)];
      for (int k = 0; k < in; ++k)
        sum += w[k] * input[static_cast<std::size_t>(k)];
      row[g] = sum;
    }
  }
  // The lookback embeddings' part of layer 0's input gates, a table per lookback (no bias).
  auto gateRows = [&](const std::vector<float>& table, int rows, float* out) {
    for (int v = 0; v < rows; ++v) {
      const float* e = table.data() + static_cast<std::size_t>(v) * in;
      float* row = out + static_cast<std::size_t>(v) * gates;
      for (int g = 0; g < gates; ++g) {
        const float* w = first.weights.data() + static_cast<std::size_t>(g) * cols;
        float sum = 0.0f;
        for (int k = 0; k < in; ++k)
          sum += w[k] * e[k];
        row[g] = sum;
      }
    }
  };
  if (!weights.lookbackOne.empty()) {
    m_lookbackGates.assign(2 * static_cast<std::size_t>(m_vocabularySize) * gates, 0.0f);
    gateRows(weights.lookbackOne, m_vocabularySize, m_lookbackGates.data());
    gateRows(weights.lookbackTwo, m_vocabularySize,
             m_lookbackGates.data() + static_cast<std::size_t>(m_vocabularySize) * gates);
    m_inputSum.resize(static_cast<std::size_t>(gates));
  }
  if (!weights.repeating.empty()) {
    const int rows = static_cast<int>(weights.repeating.size()) / in;
    m_repeatingGates.assign(static_cast<std::size_t>(rows) * gates, 0.0f);
    gateRows(weights.repeating, rows, m_repeatingGates.data());
  }
  auto clockTable = [&](const std::vector<float>& table, std::vector<float>& out) {
    const int rows = static_cast<int>(table.size()) / in;
    out.assign(static_cast<std::size_t>(rows) * gates, 0.0f);
    gateRows(table, rows, out.data());
  };
  if (!weights.clockMeter.empty()) {
    clockTable(weights.clockMeter, m_meterGates);
    clockTable(weights.clockSteps, m_clockGates);
  }
  std::vector<float> recurrent(static_cast<std::size_t>(gates) * h);
  for (int g = 0; g < gates; ++g) {
    std::copy_n(first.weights.begin() + static_cast<std::ptrdiff_t>(g) * cols + in, h,
                recurrent.begin() + static_cast<std::ptrdiff_t>(g) * h);
  }
  m_recurrent0 = matrix(std::move(recurrent), gates, h);
  for (std::size_t l = 1; l < weights.layers.size(); ++l) {
    const Layer& layer = weights.layers[l];
    m_upper.push_back({matrix(layer.weights, gates, layer.inputSize + h), layer.bias});
  }
  m_h.assign(weights.layers.size(), std::vector<float>(static_cast<std::size_t>(h)));
  m_c = m_h;
  m_gates.resize(static_cast<std::size_t>(gates));
  m_concat.resize(static_cast<std::size_t>(2 * h));
  m_dense.resize(static_cast<std::size_t>(m_denseSize));
  m_logits.resize(weights.outputBias.size());
}

void LstmStepper::reset() {
  for (auto& v : m_h)
    std::fill(v.begin(), v.end(), 0.0f);
  for (auto& v : m_c)
    std::fill(v.begin(), v.end(), 0.0f);
}

std::span<const float> LstmStepper::step(std::int64_t token, std::int64_t oneBar, std::int64_t twoBars, int repeating,
                                         int meter, int toBarLine) {
  assert(token >= 0 && token < m_vocabularySize);
  const int h = m_hidden;
  const auto gates = static_cast<std::size_t>(4 * h);
  const float* input = m_inputGates.data() + static_cast<std::size_t>(token) * gates;
  if (!m_lookbackGates.empty()) {
    assert(oneBar >= 0 && oneBar < m_vocabularySize && twoBars >= 0 && twoBars < m_vocabularySize);
    const float* one = m_lookbackGates.data() + static_cast<std::size_t>(oneBar) * gates;
    const float* two = m_lookbackGates.data() +
                       (static_cast<std::size_t>(m_vocabularySize) + static_cast<std::size_t>(twoBars)) * gates;
    if (m_repeatingGates.empty()) {
      for (std::size_t g = 0; g < gates; ++g)
        m_inputSum[g] = input[g] + one[g] + two[g];
    } else {
      assert(repeating >= 0 && static_cast<std::size_t>(repeating) * gates < m_repeatingGates.size());
      const float* flags = m_repeatingGates.data() + static_cast<std::size_t>(repeating) * gates;
      for (std::size_t g = 0; g < gates; ++g)
        m_inputSum[g] = input[g] + one[g] + two[g] + flags[g];
    }
    if (!m_meterGates.empty()) {
      assert(meter >= 0 && static_cast<std::size_t>(meter) * gates < m_meterGates.size());
      assert(toBarLine >= 0 && static_cast<std::size_t>(toBarLine) * gates < m_clockGates.size());
      const float* bar = m_meterGates.data() + static_cast<std::size_t>(meter) * gates;
      const float* left = m_clockGates.data() + static_cast<std::size_t>(toBarLine) * gates;
      for (std::size_t g = 0; g < gates; ++g)
        m_inputSum[g] += bar[g] + left[g];
    }
    input = m_inputSum.data();
  }
  multiply(m_recurrent0, m_h[0].data(), input, m_gates.data());
  cellUpdate(m_gates.data(), m_h[0].data(), m_c[0].data(), h);
  for (std::size_t l = 1; l <= m_upper.size(); ++l) {
    const FusedLayer& layer = m_upper[l - 1];
    std::copy(m_h[l - 1].begin(), m_h[l - 1].end(), m_concat.begin());
    std::copy(m_h[l].begin(), m_h[l].end(), m_concat.begin() + h);
    multiply(layer.weights, m_concat.data(), layer.bias.data(), m_gates.data());
    cellUpdate(m_gates.data(), m_h[l].data(), m_c[l].data(), h);
  }
  const std::vector<float>& top = m_h.back();
  if (m_denseSize > 0) {
    gemv(m_denseWeight.data(), top.data(), m_denseBias.data(), m_dense.data(), m_denseSize, h);
    for (float& x : m_dense)
      x = std::max(x, 0.0f);
    gemv(m_outputWeight.data(), m_dense.data(), m_outputBias.data(), m_logits.data(), outputSize(), m_denseSize);
  } else {
    gemv(m_outputWeight.data(), top.data(), m_outputBias.data(), m_logits.data(), outputSize(), h);
  }
  return m_logits;
}

} // namespace lyrebird::model
