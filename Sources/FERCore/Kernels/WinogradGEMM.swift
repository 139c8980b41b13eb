// The 64 matrix products of Winograd's transform domain (WinogradConv.swift),
// with register-blocked SIMD kernels instead of sgemm.
//
// Why: these products are thin — an inner dimension of 16 or 32 channels, or
// a few dozen tiles — and there are 64 per block of tiles. For such sizes
// OpenBLAS spends as long packing both operands and clearing C (its beta pass)
// as multiplying. Here a block of C (six rows by sixteen columns: twelve
// accumulators, two vectors of B and six broadcasts of A per step of k) stays
// in registers while k runs, and C is written once.
//
// Every element of C is its start (zero or C's value) followed by one fused
// multiply-add per step of k, in the order of k, whichever kernel computes it:
// the bits do not depend on how the rows and columns are blocked.

/// C [m, n] (+)= A [m, k] · B [k, n], B and C row-major (rows `ldb`, `ldc` apart), element
/// (r, j) of A at `a + r·aRow + j·aColumn` (Aᵀ of a row-major matrix is the same call with
/// the strides swapped). `n` must be a multiple of 8. With `accumulate` false, C is overwritten.
func transformDomainGEMM(
  m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRow: Int, aColumn: Int,
  b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  precondition(n % 8 == 0, "transformDomainGEMM: n = \(n) must be a multiple of 8")
  var j = 0
  while j < n {
    let wide = n - j >= 16
    var i = 0
    while i + 6 <= m {
      if wide {
        block6x16(k, a + i * aRow, aRow, aColumn, b + j, ldb, c + i * ldc + j, ldc, accumulate)
      } else {
        block6x8(k, a + i * aRow, aRow, aColumn, b + j, ldb, c + i * ldc + j, ldc, accumulate)
      }
      i += 6
    }
    if i + 4 <= m {
      if wide {
        block4x16(k, a + i * aRow, aRow, aColumn, b + j, ldb, c + i * ldc + j, ldc, accumulate)
      } else {
        block4x8(k, a + i * aRow, aRow, aColumn, b + j, ldb, c + i * ldc + j, ldc, accumulate)
      }
      i += 4
    }
    while i < m {
      row1x8(k, a + i * aRow, aColumn, b + j, ldb, c + i * ldc + j, accumulate)
      if wide { row1x8(k, a + i * aRow, aColumn, b + j + 8, ldb, c + i * ldc + j + 8, accumulate) }
      i += 1
    }
    j += wide ? 16 : 8
  }
}

/// Six rows of C by sixteen columns: twelve accumulators, two vectors of B and six
/// broadcasts of A per step of k.
@inline(__always)
private func block6x16(
  _ k: Int, _ a: UnsafePointer<Float>, _ aRow: Int, _ aColumn: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
  var (c00, c01, c10, c11) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  var (c20, c21, c30, c31) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  var (c40, c41, c50, c51) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  if accumulate {
    (c00, c01, c10, c11) = (load8(c), load8(c + 8), load8(c + ldc), load8(c + ldc + 8))
    (c20, c21, c30, c31) = (load8(c + 2 * ldc), load8(c + 2 * ldc + 8), load8(c + 3 * ldc), load8(c + 3 * ldc + 8))
    (c40, c41, c50, c51) = (load8(c + 4 * ldc), load8(c + 4 * ldc + 8), load8(c + 5 * ldc), load8(c + 5 * ldc + 8))
  }
  var (pa, pb) = (a, b)
  for _ in 0..<k {
    let (b0, b1) = (load8(pb), load8(pb + 8))
    let a0 = SIMD8(repeating: pa[0]), a1 = SIMD8(repeating: pa[aRow])
    c00 = multiplyAdd(a0, b0, c00)
    c01 = multiplyAdd(a0, b1, c01)
    c10 = multiplyAdd(a1, b0, c10)
    c11 = multiplyAdd(a1, b1, c11)
    let a2 = SIMD8(repeating: pa[2 * aRow]), a3 = SIMD8(repeating: pa[3 * aRow])
    c20 = multiplyAdd(a2, b0, c20)
    c21 = multiplyAdd(a2, b1, c21)
    c30 = multiplyAdd(a3, b0, c30)
    c31 = multiplyAdd(a3, b1, c31)
    let a4 = SIMD8(repeating: pa[4 * aRow]), a5 = SIMD8(repeating: pa[5 * aRow])
    c40 = multiplyAdd(a4, b0, c40)
    c41 = multiplyAdd(a4, b1, c41)
    c50 = multiplyAdd(a5, b0, c50)
    c51 = multiplyAdd(a5, b1, c51)
    pa += aColumn
    pb += ldb
  }
  store8(c00, c)
  store8(c01, c + 8)
  store8(c10, c + ldc)
  store8(c11, c + ldc + 8)
  store8(c20, c + 2 * ldc)
  store8(c21, c + 2 * ldc + 8)
  store8(c30, c + 3 * ldc)
  store8(c31, c + 3 * ldc + 8)
  store8(c40, c + 4 * ldc)
  store8(c41, c + 4 * ldc + 8)
  store8(c50, c + 5 * ldc)
  store8(c51, c + 5 * ldc + 8)
}

/// Six rows of C by eight columns (the last eight of an n that is not a multiple of 16).
@inline(__always)
private func block6x8(
  _ k: Int, _ a: UnsafePointer<Float>, _ aRow: Int, _ aColumn: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
  var (c0, c1, c2) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  var (c3, c4, c5) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  if accumulate {
    (c0, c1, c2) = (load8(c), load8(c + ldc), load8(c + 2 * ldc))
    (c3, c4, c5) = (load8(c + 3 * ldc), load8(c + 4 * ldc), load8(c + 5 * ldc))
  }
  var (pa, pb) = (a, b)
  for _ in 0..<k {
    let b0 = load8(pb)
    c0 = multiplyAdd(SIMD8(repeating: pa[0]), b0, c0)
    c1 = multiplyAdd(SIMD8(repeating: pa[aRow]), b0, c1)
    c2 = multiplyAdd(SIMD8(repeating: pa[2 * aRow]), b0, c2)
    c3 = multiplyAdd(SIMD8(repeating: pa[3 * aRow]), b0, c3)
    c4 = multiplyAdd(SIMD8(repeating: pa[4 * aRow]), b0, c4)
    c5 = multiplyAdd(SIMD8(repeating: pa[5 * aRow]), b0, c5)
    pa += aColumn
    pb += ldb
  }
  store8(c0, c)
  store8(c1, c + ldc)
  store8(c2, c + 2 * ldc)
  store8(c3, c + 3 * ldc)
  store8(c4, c + 4 * ldc)
  store8(c5, c + 5 * ldc)
}

/// Four rows of C by sixteen columns.
@inline(__always)
private func block4x16(
  _ k: Int, _ a: UnsafePointer<Float>, _ aRow: Int, _ aColumn: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
  var (c00, c01, c10, c11) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  var (c20, c21, c30, c31) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  if accumulate {
    (c00, c01, c10, c11) = (load8(c), load8(c + 8), load8(c + ldc), load8(c + ldc + 8))
    (c20, c21, c30, c31) = (load8(c + 2 * ldc), load8(c + 2 * ldc + 8), load8(c + 3 * ldc), load8(c + 3 * ldc + 8))
  }
  var (pa, pb) = (a, b)
  for _ in 0..<k {
    let (b0, b1) = (load8(pb), load8(pb + 8))
    let a0 = SIMD8(repeating: pa[0]), a1 = SIMD8(repeating: pa[aRow])
    let a2 = SIMD8(repeating: pa[2 * aRow]), a3 = SIMD8(repeating: pa[3 * aRow])
    c00 = multiplyAdd(a0, b0, c00)
    c01 = multiplyAdd(a0, b1, c01)
    c10 = multiplyAdd(a1, b0, c10)
    c11 = multiplyAdd(a1, b1, c11)
    c20 = multiplyAdd(a2, b0, c20)
    c21 = multiplyAdd(a2, b1, c21)
    c30 = multiplyAdd(a3, b0, c30)
    c31 = multiplyAdd(a3, b1, c31)
    pa += aColumn
    pb += ldb
  }
  store8(c00, c)
  store8(c01, c + 8)
  store8(c10, c + ldc)
  store8(c11, c + ldc + 8)
  store8(c20, c + 2 * ldc)
  store8(c21, c + 2 * ldc + 8)
  store8(c30, c + 3 * ldc)
  store8(c31, c + 3 * ldc + 8)
}

/// Four rows of C by eight columns.
@inline(__always)
private func block4x8(
  _ k: Int, _ a: UnsafePointer<Float>, _ aRow: Int, _ aColumn: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
  var (c0, c1, c2, c3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
  if accumulate { (c0, c1, c2, c3) = (load8(c), load8(c + ldc), load8(c + 2 * ldc), load8(c + 3 * ldc)) }
  var (pa, pb) = (a, b)
  for _ in 0..<k {
    let b0 = load8(pb)
    c0 = multiplyAdd(SIMD8(repeating: pa[0]), b0, c0)
    c1 = multiplyAdd(SIMD8(repeating: pa[aRow]), b0, c1)
    c2 = multiplyAdd(SIMD8(repeating: pa[2 * aRow]), b0, c2)
    c3 = multiplyAdd(SIMD8(repeating: pa[3 * aRow]), b0, c3)
    pa += aColumn
    pb += ldb
  }
  store8(c0, c)
  store8(c1, c + ldc)
  store8(c2, c + 2 * ldc)
  store8(c3, c + 3 * ldc)
}

/// One row of C by eight columns (the rows left over from blocks of six and four).
@inline(__always)
private func row1x8(
  _ k: Int, _ a: UnsafePointer<Float>, _ aColumn: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
  _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool
) {
  var sum = accumulate ? load8(c) : SIMD8<Float>()
  var (pa, pb) = (a, b)
  for _ in 0..<k {
    sum = multiplyAdd(SIMD8(repeating: pa[0]), load8(pb), sum)
    pa += aColumn
    pb += ldb
  }
  store8(sum, c)
}
