// Not API. OpenBLAS loaded at start-up with a fixed kernel family (see README.md).
#pragma once

/// The kernel family FERLab asks OpenBLAS for: AVX2 + FMA, which every
/// supported CPU has, and the same bits on every one of them.
#define FERLAB_BLAS_KERNEL_FAMILY "Haswell"

/// Row-major single-precision GEMM, as cblas_sgemm with CblasRowMajor.
/// `trans_a`/`trans_b` are 0 or 1. Requires ferlab_blas_error() == 0.
void ferlab_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc);

/// Why OpenBLAS could not be loaded, or NULL when it was.
const char *ferlab_blas_error(void);
/// OpenBLAS's description of itself ("OpenBLAS 0.3.21 DYNAMIC_ARCH … Haswell MAX_THREADS=64").
const char *ferlab_blas_config(void);
/// The kernel family OpenBLAS runs ("Haswell").
const char *ferlab_blas_kernels(void);
/// The kernel family that was asked for, or "auto" when OpenBLAS chose.
const char *ferlab_blas_requested(void);
/// 1 when OpenBLAS was already in the process before FERLab loaded it (its
/// kernels were then chosen by whoever loaded it first).
int ferlab_blas_was_preloaded(void);
