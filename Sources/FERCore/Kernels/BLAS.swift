import CBLAS
import Foundation

// The only file that talks to BLAS. Kernels call these on raw buffers;
// nothing here knows about tensors or the tape.
//
// OpenBLAS is loaded by the CBLAS shim before `main`, with its kernel family
// fixed (Sources/CBLAS/README.md), and runs every call on the calling thread:
// FERLab splits work over the cores itself (`ComputeThreads`, Parallel.swift).

/// Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, where op(A) is M×K and op(B) is K×N.
@inline(__always)
package func sgemm(
  transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  _ = BLASLibrary.loaded
  ferlab_sgemm(
    transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c,
    Int32(ldc))
}

/// The BLAS this process computes with, as loaded at start-up.
public enum BLASLibrary {
  /// The kernel family FERLab fixes OpenBLAS to (the promise of DESIGN.md's
  /// "same numbers everywhere" is made for it).
  public static let fixedKernelFamily = FERLAB_BLAS_KERNEL_FAMILY

  /// OpenBLAS's own description, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
  public static let configuration = String(cString: ferlab_blas_config())

  /// "0.3.21", read from `configuration`.
  public static let version: String = {
    let words = configuration.split(separator: " ")
    guard words.first == "OpenBLAS", words.count > 1 else { return "unknown" }
    return String(words[1])
  }()

  /// The kernel family OpenBLAS runs, e.g. "Haswell".
  public static let kernelFamily = String(cString: ferlab_blas_kernels())

  /// Whether the family was fixed by FERLab (false under `FERLAB_BLAS_KERNELS=auto`,
  /// or when another library had loaded OpenBLAS first).
  public static let kernelFamilyIsFixed =
    String(cString: ferlab_blas_requested()) == fixedKernelFamily && ferlab_blas_was_preloaded() == 0
    && kernelFamily == fixedKernelFamily

  /// Ends the process with the loader's sentence when OpenBLAS could not be loaded:
  /// nothing numeric can run without it.
  static let loaded: Void = {
    if let error = ferlab_blas_error() {
      FileHandle.standardError.write(Data("ferlab: \(String(cString: error))\n".utf8))
      exit(1)
    }
  }()
}
