#pragma once

namespace lyrebird::model::blas {

/// Row-major single-precision C = alpha * op(A) * op(B) + beta * C (op: transpose or not),
/// m x n += (m x k)(k x n), leading dimensions as in CBLAS. Calls the process's BLAS
/// (cblas_sgemm of the libblas.so.3 that LibTorch loads, OpenBLAS on Debian) directly,
/// without ATen's dispatch; falls back to ATen where no CBLAS symbol is found. With
/// beta == 0, C's old contents are not read. Any thread.
void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
           float beta, float* c, int ldc);

} // namespace lyrebird::model::blas
