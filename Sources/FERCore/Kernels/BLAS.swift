import CBLAS

// The only file that talks to BLAS. Kernels call these on raw buffers;
// nothing here knows about tensors or the tape.

/// Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, where op(A) is M×K and op(B) is K×N.
@inline(__always)
package func sgemm(
  transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  cblas_sgemm(
    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// The BLAS library's thread count (recorded in sessions: results depend on it).
public enum BLASThreads {
  public static var count: Int { Int(openblas_get_num_threads()) }
  public static func set(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
