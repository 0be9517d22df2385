#pragma once

namespace lyrebird::model::blas {

/// Row-major single-precision C = alpha * op(A) * op(B) + beta * C (op: transpose or not),
/// m x n += (m x k)(k x n), leading dimensions as in CBLAS. Calls the process's BLAS
/// (cblas_sgemm of the libblas.so.3 that LibTorch loads, OpenBLAS on Debian) directly,
/// without ATen's dispatch; falls back to ATen where no CBLAS symbol is found. With
/// beta == 0, C's old contents are not read. Any thread.
void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
           float beta, float* c, int ldc);

/// How many threads OpenBLAS runs a large product on (OPENBLAS_NUM_THREADS, or the
/// cores); 1 where the BLAS is not OpenBLAS.
int threads();

/// Sets OpenBLAS's thread count for its lifetime and restores it after: the LSTM's
/// recurrence runs its own threads, each calling single-threaded products. Process-wide
/// (OpenBLAS has no per-thread setting); does nothing without OpenBLAS.
class ThreadsScope {
public:
  explicit ThreadsScope(int threads);
  ~ThreadsScope();
  ThreadsScope(const ThreadsScope&) = delete;
  ThreadsScope& operator=(const ThreadsScope&) = delete;

private:
  int m_previous;
};

} // namespace lyrebird::model::blas
