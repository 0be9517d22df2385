#include "model/lstmcell.h"

#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LYREBIRD_HAVE_AVX2_KERNEL 1
#endif

namespace lyrebird::model {

namespace {

/// One row's arrays, offset so that element j of each is unit j of the row.
struct ForwardRow {
  float* i;
  float* f;
  float* g;
  float* o;
  const float* cPrev;
  float* cNext;
  float* tanhC;
  float* hNext;
};

struct BackwardRow {
  const float* i;
  const float* f;
  const float* g;
  const float* o;
  const float* tanhC;
  const float* cPrev;
  const float* dy;
  const float* dhNext;
  float* dc;
  float* di;
  float* df;
  float* dg;
  float* dout;
};

ForwardRow forwardRow(float* gates, const float* cPrev, float* cNext, float* tanhC, float* hNext, std::int64_t r,
                      std::int64_t hidden) {
  float* i = gates + r * 4 * hidden;
  const std::int64_t base = r * hidden;
  return {i, i + hidden, i + 2 * hidden, i + 3 * hidden, cPrev + base, cNext + base, tanhC + base, hNext + base};
}

BackwardRow backwardRow(const float* gates, const float* tanhC, const float* cPrev, const float* dy,
                        const float* dhNext, float* dc, float* dGates, std::int64_t r, std::int64_t hidden) {
  const float* i = gates + r * 4 * hidden;
  float* di = dGates + r * 4 * hidden;
  const std::int64_t base = r * hidden;
  return {
      i,         i + hidden, i + 2 * hidden, i + 3 * hidden,  tanhC + base,   cPrev + base, dy + base, dhNext + base,
      dc + base, di,         di + hidden,    di + 2 * hidden, di + 3 * hidden};
}

float sigmoid(float x) {
  return 1.0f / (1.0f + std::exp(-x));
}

void forwardUnit(const ForwardRow& row, std::int64_t j) {
  row.i[j] = sigmoid(row.i[j]);
  row.f[j] = sigmoid(row.f[j]);
  row.g[j] = std::tanh(row.g[j]);
  row.o[j] = sigmoid(row.o[j]);
  const float c = row.f[j] * row.cPrev[j] + row.i[j] * row.g[j];
  const float tc = std::tanh(c);
  row.cNext[j] = c;
  row.tanhC[j] = tc;
  row.hNext[j] = row.o[j] * tc;
}

// The AVX2 kernel does the same arithmetic eight units at a time.
void backwardUnit(const BackwardRow& row, std::int64_t j) {
  const float dh = row.dy[j] + row.dhNext[j];
  const float tc = row.tanhC[j];
  const float i = row.i[j];
  const float f = row.f[j];
  const float g = row.g[j];
  const float o = row.o[j];
  const float dc = dh * o * (1.0f - tc * tc) + row.dc[j];
  row.dout[j] = dh * tc * o * (1.0f - o);
  row.di[j] = dc * g * i * (1.0f - i);
  row.dg[j] = dc * i * (1.0f - g * g);
  row.df[j] = dc * row.cPrev[j] * f * (1.0f - f);
  row.dc[j] = dc * f;
}

void forwardPortable(float* gates, const float* cPrev, float* cNext, float* tanhC, float* hNext, std::int64_t rows,
                     std::int64_t hidden) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const ForwardRow row = forwardRow(gates, cPrev, cNext, tanhC, hNext, r, hidden);
    for (std::int64_t j = 0; j < hidden; ++j)
      forwardUnit(row, j);
  }
}

void backwardPortable(const float* gates, const float* tanhC, const float* cPrev, const float* dy, const float* dhNext,
                      float* dc, float* dGates, std::int64_t rows, std::int64_t hidden) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const BackwardRow row = backwardRow(gates, tanhC, cPrev, dy, dhNext, dc, dGates, r, hidden);
    for (std::int64_t j = 0; j < hidden; ++j)
      backwardUnit(row, j);
  }
}

#ifdef LYREBIRD_HAVE_AVX2_KERNEL
// exp(x) as in Cephes' expf: x = n ln 2 + r with |r| <= ln 2 / 2, a degree-5 polynomial for
// e^r, and 2^n put into the exponent bits (the lower clamp keeps 2^n a normal number).
[[gnu::target("avx2,fma")]] inline __m256 exp8(__m256 x) {
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.33654f)), _mm256_set1_ps(88.3762626647949f));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  // After the clamps n + 127 >= 1, so the shifted bits are 2^n, a normal number.
  const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}

[[gnu::target("avx2,fma")]] inline __m256 sigmoid8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  return _mm256_div_ps(one, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

// tanh(x) = 1 - 2 / (e^2x + 1): saturates cleanly at both ends; near 0 its absolute error
// stays ~1e-7, which is what the cell's sums see.
[[gnu::target("avx2,fma")]] inline __m256 tanh8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 e = exp8(_mm256_add_ps(x, x));
  return _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));
}

[[gnu::target("avx2,fma")]] void forwardAvx2(float* gates, const float* cPrev, float* cNext, float* tanhC, float* hNext,
                                             std::int64_t rows, std::int64_t hidden) {
  const std::int64_t vectorEnd = hidden - hidden % 8;
  for (std::int64_t r = 0; r < rows; ++r) {
    const ForwardRow row = forwardRow(gates, cPrev, cNext, tanhC, hNext, r, hidden);
    for (std::int64_t j = 0; j < vectorEnd; j += 8) {
      const __m256 i = sigmoid8(_mm256_loadu_ps(row.i + j));
      const __m256 f = sigmoid8(_mm256_loadu_ps(row.f + j));
      const __m256 g = tanh8(_mm256_loadu_ps(row.g + j));
      const __m256 o = sigmoid8(_mm256_loadu_ps(row.o + j));
      const __m256 c = _mm256_fmadd_ps(f, _mm256_loadu_ps(row.cPrev + j), _mm256_mul_ps(i, g));
      const __m256 tc = tanh8(c);
      _mm256_storeu_ps(row.i + j, i);
      _mm256_storeu_ps(row.f + j, f);
      _mm256_storeu_ps(row.g + j, g);
      _mm256_storeu_ps(row.o + j, o);
      _mm256_storeu_ps(row.cNext + j, c);
      _mm256_storeu_ps(row.tanhC + j, tc);
      _mm256_storeu_ps(row.hNext + j, _mm256_mul_ps(o, tc));
    }
    for (std::int64_t j = vectorEnd; j < hidden; ++j)
      forwardUnit(row, j);
  }
}

[[gnu::target("avx2,fma")]] void backwardAvx2(const float* gates, const float* tanhC, const float* cPrev,
                                              const float* dy, const float* dhNext, float* dc, float* dGates,
                                              std::int64_t rows, std::int64_t hidden) {
  const std::int64_t vectorEnd = hidden - hidden % 8;
  const __m256 one = _mm256_set1_ps(1.0f);
  for (std::int64_t r = 0; r < rows; ++r) {
    const BackwardRow row = backwardRow(gates, tanhC, cPrev, dy, dhNext, dc, dGates, r, hidden);
    for (std::int64_t j = 0; j < vectorEnd; j += 8) {
      const __m256 dh = _mm256_add_ps(_mm256_loadu_ps(row.dy + j), _mm256_loadu_ps(row.dhNext + j));
      const __m256 tc = _mm256_loadu_ps(row.tanhC + j);
      const __m256 i = _mm256_loadu_ps(row.i + j);
      const __m256 f = _mm256_loadu_ps(row.f + j);
      const __m256 g = _mm256_loadu_ps(row.g + j);
      const __m256 o = _mm256_loadu_ps(row.o + j);
      const __m256 dhO = _mm256_mul_ps(dh, o);
      const __m256 dcv = _mm256_fmadd_ps(dhO, _mm256_fnmadd_ps(tc, tc, one), _mm256_loadu_ps(row.dc + j));
      _mm256_storeu_ps(row.dout + j, _mm256_mul_ps(_mm256_mul_ps(dhO, tc), _mm256_sub_ps(one, o)));
      _mm256_storeu_ps(row.di + j, _mm256_mul_ps(_mm256_mul_ps(dcv, g), _mm256_mul_ps(i, _mm256_sub_ps(one, i))));
      _mm256_storeu_ps(row.dg + j, _mm256_mul_ps(_mm256_mul_ps(dcv, i), _mm256_fnmadd_ps(g, g, one)));
      _mm256_storeu_ps(row.df + j, _mm256_mul_ps(_mm256_mul_ps(dcv, _mm256_loadu_ps(row.cPrev + j)),
                                                 _mm256_mul_ps(f, _mm256_sub_ps(one, f))));
      _mm256_storeu_ps(row.dc + j, _mm256_mul_ps(dcv, f));
    }
    for (std::int64_t j = vectorEnd; j < hidden; ++j)
      backwardUnit(row, j);
  }
}
#endif

using ForwardKernel = void (*)(float*, const float*, float*, float*, float*, std::int64_t, std::int64_t);
using BackwardKernel = void (*)(const float*, const float*, const float*, const float*, const float*, float*, float*,
                                std::int64_t, std::int64_t);

bool hasAvx2() {
#ifdef LYREBIRD_HAVE_AVX2_KERNEL
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

#ifdef LYREBIRD_HAVE_AVX2_KERNEL
const ForwardKernel forwardKernel = hasAvx2() ? forwardAvx2 : forwardPortable;
const BackwardKernel backwardKernel = hasAvx2() ? backwardAvx2 : backwardPortable;
#else
const ForwardKernel forwardKernel = forwardPortable;
const BackwardKernel backwardKernel = backwardPortable;
#endif

} // namespace

void LstmCell::forward(float* gates, const float* cPrev, float* cNext, float* tanhC, float* hNext, std::int64_t rows,
                       std::int64_t hidden) {
  forwardKernel(gates, cPrev, cNext, tanhC, hNext, rows, hidden);
}

void LstmCell::backward(const float* gates, const float* tanhC, const float* cPrev, const float* dy,
                        const float* dhNext, float* dc, float* dGates, std::int64_t rows, std::int64_t hidden) {
  backwardKernel(gates, tanhC, cPrev, dy, dhNext, dc, dGates, rows, hidden);
}

} // namespace lyrebird::model
