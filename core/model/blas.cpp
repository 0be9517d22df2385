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
using GetThreadsFn = int (*)();
using SetThreadsFn = void (*)(int);

/// Symbols looked up once in the libraries already loaded (LibTorch links the BLAS).
struct Symbols {
  SgemmFn sgemm = reinterpret_cast<SgemmFn>(dlsym(RTLD_DEFAULT, "cblas_sgemm"));
  GetThreadsFn getThreads = reinterpret_cast<GetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  SetThreadsFn setThreads = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
};

const Symbols& symbols() {
  static const Symbols s;
  return s;
}

} // namespace

void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
           float beta, float* c, int ldc) {
  if (m == 0 || n == 0) return;
  if (const SgemmFn f = symbols().sgemm) {
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

int threads() {
  const GetThreadsFn f = symbols().getThreads;
  return f ? f() : 1;
}

ThreadsScope::ThreadsScope(int threads) : m_previous(blas::threads()) {
  if (const SetThreadsFn f = symbols().setThreads; f && threads != m_previous) f(threads);
}

ThreadsScope::~ThreadsScope() {
  if (const SetThreadsFn f = symbols().setThreads; f && blas::threads() != m_previous) f(m_previous);
}

} // namespace lyrebird::model::blas
