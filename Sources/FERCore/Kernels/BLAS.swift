import CBLAS

// The only file that talks to BLAS. Kernels call these on raw buffers;
// nothing here knows about tensors or the tape.
//
// OpenBLAS runs every call on the calling thread. FERLab splits work over the
// cores itself (`ComputeThreads`, Parallel.swift); OpenBLAS's own thread count
// is process-wide state, and changing it while another thread is inside a call
// races its thread pool (results changed in the last bits, and a test run hung).
// So it is set to one, once, before the first call, and never touched again.

private let blasRunsOnTheCallingThread: Void = openblas_set_num_threads(1)

/// Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, where op(A) is M×K and op(B) is K×N.
@inline(__always)
package func sgemm(
  transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  _ = blasRunsOnTheCallingThread
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
