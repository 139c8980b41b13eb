// The per-tile transforms of WinogradConv.swift in one dimension, eight channels
// at a time (one per SIMD lane): Bᵀ d, Aᵀ m and the adjoint A y, for the points
// 0, ±1, ±2, ±½ and ∞ of WinogradMatrices.swift, with the coefficients written
// out as constants.
//
// Why written out: the transforms are a third of a convolution's time when the
// coefficients are read from arrays (the compiler cannot keep dozens of them in
// registers, and multiplies by ±1 and 0 stay in). Here the points' pairs ±p give
// an even part plus or minus an odd part, the zeros and ones vanish, and every
// multiply-add is one fused multiply-add, so the rounding is the same on every
// CPU and in every vector width. WinogradTests checks each transform against
// the matrices WinogradMatrices builds from the points.

/// Bᵀ x: the eight transform-domain values of eight inputs x0…x7 (at `x`, `xs` floats
/// apart), stored at `y`, `ys` apart.
@inline(__always)
func inputTransform(_ x: UnsafePointer<Float>, _ xs: Int, _ y: UnsafeMutablePointer<Float>, _ ys: Int) {
  let x0 = load8(x), x1 = load8(x + xs), x2 = load8(x + 2 * xs), x3 = load8(x + 3 * xs)
  let x4 = load8(x + 4 * xs), x5 = load8(x + 5 * xs), x6 = load8(x + 6 * xs), x7 = load8(x + 7 * xs)
  // Row 0: −x0 + 21/4 x2 − 21/4 x4 + x6; row 7 likewise on x1, x3, x5, x7.
  store8(multiplyAdd(5.25, x2 - x4, x6 - x0), y)
  store8(multiplyAdd(5.25, x3 - x5, x7 - x1), y + 7 * ys)
  // Rows 1, 2 (points ±1): even x2 + x6 − 17/4 x4, odd x1 + x5 − 17/4 x3.
  let e1 = multiplyAdd(-4.25, x4, x2 + x6), o1 = multiplyAdd(-4.25, x3, x1 + x5)
  store8(e1 + o1, y + ys)
  store8(e1 - o1, y + 2 * ys)
  // Rows 3, 4 (points ±2): even ¼ x2 − 5/4 x4 + x6, odd ½ x1 − 5/2 x3 + 2 x5.
  let e2 = multiplyAdd(-1.25, x4, multiplyAdd(0.25, x2, x6)), o2 = multiplyAdd(2, x5, multiplyAdd(-2.5, x3, 0.5 * x1))
  store8(e2 + o2, y + 3 * ys)
  store8(e2 - o2, y + 4 * ys)
  // Rows 5, 6 (points ±½): even 4 x2 − 5 x4 + x6, odd 2 x1 − 5/2 x3 + ½ x5.
  let e3 = multiplyAdd(-5, x4, multiplyAdd(4, x2, x6)), o3 = multiplyAdd(0.5, x5, multiplyAdd(-2.5, x3, 2 * x1))
  store8(e3 + o3, y + 5 * ys)
  store8(e3 - o3, y + 6 * ys)
}

/// Aᵀ x: the first `m` (2, 4 or 6) outputs of eight transform-domain values (at `x`, `xs`
/// apart), stored at `y`, `ys` apart. Row k is x0·[k = 0] + (x1 ± x2) + 2ᵏ(x3 ± x4) + 2⁻ᵏ(x5 ± x6)
/// (+ when k is even) + x7·[k = m − 1].
@inline(__always)
func outputTransform(m: Int, _ x: UnsafePointer<Float>, _ xs: Int, _ y: UnsafeMutablePointer<Float>, _ ys: Int) {
  let x0 = load8(x), x7 = load8(x + 7 * xs)
  let a1 = load8(x + xs), a2 = load8(x + 2 * xs), a3 = load8(x + 3 * xs)
  let a4 = load8(x + 4 * xs), a5 = load8(x + 5 * xs), a6 = load8(x + 6 * xs)
  let (s1, d1, s2, d2, s3, d3) = (a1 + a2, a1 - a2, a3 + a4, a3 - a4, a5 + a6, a5 - a6)
  store8(x0 + s1 + s2 + s3, y)
  switch m {
  case 2:
    store8(multiplyAdd(0.5, d3, multiplyAdd(2, d2, d1)) + x7, y + ys)
  case 4:
    store8(multiplyAdd(0.5, d3, multiplyAdd(2, d2, d1)), y + ys)
    store8(multiplyAdd(0.25, s3, multiplyAdd(4, s2, s1)), y + 2 * ys)
    store8(multiplyAdd(0.125, d3, multiplyAdd(8, d2, d1)) + x7, y + 3 * ys)
  default:
    store8(multiplyAdd(0.5, d3, multiplyAdd(2, d2, d1)), y + ys)
    store8(multiplyAdd(0.25, s3, multiplyAdd(4, s2, s1)), y + 2 * ys)
    store8(multiplyAdd(0.125, d3, multiplyAdd(8, d2, d1)), y + 3 * ys)
    store8(multiplyAdd(0.0625, s3, multiplyAdd(16, s2, s1)), y + 4 * ys)
    store8(multiplyAdd(0.03125, d3, multiplyAdd(32, d2, d1)) + x7, y + 5 * ys)
  }
}

/// A y, the adjoint of `outputTransform`: eight values from `m` inputs (at `y`, `ys` apart),
/// stored at `x`, `xs` apart.
@inline(__always)
func outputTransformAdjoint(
  m: Int, _ y: UnsafePointer<Float>, _ ys: Int, _ x: UnsafeMutablePointer<Float>, _ xs: Int
) {
  // Column pairs (1, 2), (3, 4), (5, 6) of Aᵀ: even rows' sum ± odd rows' sum.
  let y0 = load8(y), y1 = load8(y + ys)
  var (e1, o1, e2, o2, e3, o3) = (y0, y1, y0, 2 * y1, y0, 0.5 * y1)
  var last = y1
  if m >= 4 {
    let y2 = load8(y + 2 * ys), y3 = load8(y + 3 * ys)
    e1 += y2
    o1 += y3
    e2 = multiplyAdd(4, y2, e2)
    o2 = multiplyAdd(8, y3, o2)
    e3 = multiplyAdd(0.25, y2, e3)
    o3 = multiplyAdd(0.125, y3, o3)
    last = y3
  }
  if m >= 6 {
    let y4 = load8(y + 4 * ys), y5 = load8(y + 5 * ys)
    e1 += y4
    o1 += y5
    e2 = multiplyAdd(16, y4, e2)
    o2 = multiplyAdd(32, y5, o2)
    e3 = multiplyAdd(0.0625, y4, e3)
    o3 = multiplyAdd(0.03125, y5, o3)
    last = y5
  }
  store8(y0, x)
  store8(e1 + o1, x + xs)
  store8(e1 - o1, x + 2 * xs)
  store8(e2 + o2, x + 3 * xs)
  store8(e2 - o2, x + 4 * xs)
  store8(e3 + o3, x + 5 * xs)
  store8(e3 - o3, x + 6 * xs)
  store8(last, x + 7 * xs)
}

/// Transposes the 8×8 matrix whose rows are v[0]…v[7], in place: three rounds of
/// splitting pairs of rows into their even and odd lanes (pairs one, two, then four
/// rows apart), which the compiler turns into a few shuffles each.
@inline(__always)
func transpose8x8(_ v: UnsafeMutablePointer<SIMD8<Float>>) {
  for distance in [1, 2, 4] {
    for a in 0..<8 where a & distance == 0 {
      let joined = SIMD16(lowHalf: v[a], highHalf: v[a + distance])
      v[a] = joined.evenHalf
      v[a + distance] = joined.oddHalf
    }
  }
}
