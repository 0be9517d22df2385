#include "model/blas.h"

#include <ATen/ATen.h>

#include <dlfcn.h>

namespace lyrebird::model::blas {

namespace {

// CBLAS's enumerations (cblas.h), so no BLAS development package is needed to build.
constexpr int kRowMajor = 101;
constexpr int kNoTrans = 111;
constexpr int kTrans = 112;

using SgemmFn = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);

/// Looked up once in the libraries already loaded (LibTorch links the BLAS); null without one.
SgemmFn cblasSgemm() {
  static const auto f = reinterpret_cast<SgemmFn>(dlsym(RTLD_DEFAULT, "cblas_sgemm"));
  return f;
}

} // namespace

void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
           float beta, float* c, int ldc) {
  if (m == 0 || n == 0) return;
  if (const SgemmFn f = cblasSgemm()) {
    f(kRowMajor, transA ? kTrans : kNoTrans, transB ? kTrans : kNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const auto options = at::TensorOptions().dtype(at::kFloat);
  const at::Tensor av = transA ? at::from_blob(const_cast<float*>(a), {k, m}, {lda, 1}, options).t()
                               : at::from_blob(const_cast<float*>(a), {m, k}, {lda, 1}, options);
  const at::Tensor bv = transB ? at::from_blob(const_cast<float*>(b), {n, k}, {ldb, 1}, options).t()
                               : at::from_blob(const_cast<float*>(b), {k, n}, {ldb, 1}, options);
  at::Tensor cv = at::from_blob(c, {m, n}, {ldc, 1}, options);
  cv.addmm_(av, bv, beta, alpha);
}

} // namespace lyrebird::model::blas
