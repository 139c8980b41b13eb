// The per-tile transforms of WinogradConv.swift in one dimension, eight channels
// at a time (one per SIMD lane): Bᵀ d, Aᵀ m and the adjoint A y.
//
// Why not plain matrix products: the points come in pairs ±p (columns 1–2, 3–4
// and 5–6 of Aᵀ; rows 1–2, 3–4 and 5–6 of Bᵀ), so such a pair of outputs is an
// even part plus or minus an odd part. Computing the two parts once roughly halves
// the multiplications of the dense products, and the transforms are a third of the
// convolution's time without it. The coefficients are read off WinogradMatrices
// (tested there against the definition of a correlation), and their pairing is
// checked when they are read, so a change of points cannot silently break this.

/// Bᵀ and Aᵀ of one kernel size, rearranged by pairs.
struct WinogradTileTransforms {
  /// Bᵀ: row 0 on columns 0, 2, 4, 6; row 7 on 1, 3, 5, 7; then per pair of rows (2p+1, 2p+2)
  /// the even part on columns 2, 4, 6 and the odd part on 1, 3, 5 (row 2p+1 = even + odd, 2p+2 = even − odd).
  let input: [Float]
  /// Aᵀ, five per output row k: column 0, columns 1, 3, 5 (their pair partners are the same
  /// times (−1)ᵏ), column 7.
  let output: [Float]
  let outputs: Int

  init(_ f: WinogradMatrices) {
    let bt = f.inputTransform
    func b(_ i: Int, _ j: Int) -> Float { bt[i * 8 + j] }
    var input = [0, 2, 4, 6].map { b(0, $0) } + [1, 3, 5, 7].map { b(7, $0) }
    precondition([1, 3, 5, 7].allSatisfy { b(0, $0) == 0 } && [0, 2, 4, 6].allSatisfy { b(7, $0) == 0 })
    for p in 0..<3 {
      let (plus, minus) = (2 * p + 1, 2 * p + 2)
      let even = [2, 4, 6].map { (b(plus, $0) + b(minus, $0)) / 2 }
      let odd = [1, 3, 5].map { (b(plus, $0) - b(minus, $0)) / 2 }
      precondition(
        [0, 7].allSatisfy { b(plus, $0) == 0 && b(minus, $0) == 0 }
          && [2, 4, 6].allSatisfy { b(plus, $0) == b(minus, $0) }
          && [1, 3, 5].allSatisfy { b(plus, $0) == -b(minus, $0) },
        "Winograd: rows \(plus) and \(minus) of Bᵀ are not an even ± odd pair")
      input += even + odd
    }
    self.input = input

    let at = f.outputTransform
    var output: [Float] = []
    for k in 0..<f.outputs {
      let row = Array(at[(k * 8)..<(k * 8 + 8)])
      let sign: Float = k % 2 == 0 ? 1 : -1
      precondition(
        [1, 3, 5].allSatisfy { row[$0 + 1] == sign * row[$0] }, "Winograd: columns of Aᵀ are not ± pairs in row \(k)")
      output += [row[0], row[1], row[3], row[5], row[7]]
    }
    self.output = output
    outputs = f.outputs
  }
}

/// y = Bᵀ x for eight vectors x (at `x`, `xs` floats apart) into y (`ys` apart).
@inline(__always)
func inputTransform(
  _ k: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ xs: Int, _ y: UnsafeMutablePointer<Float>, _ ys: Int
) {
  let x0 = load8(x), x1 = load8(x + xs), x2 = load8(x + 2 * xs), x3 = load8(x + 3 * xs)
  let x4 = load8(x + 4 * xs), x5 = load8(x + 5 * xs), x6 = load8(x + 6 * xs), x7 = load8(x + 7 * xs)
  store8(k[0] * x0 + k[1] * x2 + k[2] * x4 + k[3] * x6, y)
  store8(k[4] * x1 + k[5] * x3 + k[6] * x5 + k[7] * x7, y + 7 * ys)
  for p in 0..<3 {
    let c = k + 8 + 6 * p
    let even = c[0] * x2 + c[1] * x4 + c[2] * x6
    let odd = c[3] * x1 + c[4] * x3 + c[5] * x5
    store8(even + odd, y + (2 * p + 1) * ys)
    store8(even - odd, y + (2 * p + 2) * ys)
  }
}

/// y = Aᵀ x: `m` outputs from eight inputs.
@inline(__always)
func outputTransform(
  _ k: UnsafePointer<Float>, m: Int, _ x: UnsafePointer<Float>, _ xs: Int, _ y: UnsafeMutablePointer<Float>, _ ys: Int
) {
  let x0 = load8(x), x7 = load8(x + 7 * xs)
  let a1 = load8(x + xs), a2 = load8(x + 2 * xs), a3 = load8(x + 3 * xs)
  let a4 = load8(x + 4 * xs), a5 = load8(x + 5 * xs), a6 = load8(x + 6 * xs)
  let (s1, d1, s2, d2, s3, d3) = (a1 + a2, a1 - a2, a3 + a4, a3 - a4, a5 + a6, a5 - a6)
  for row in stride(from: 0, to: m, by: 2) {  // m is even: rows by (even, odd) pairs
    let even = k + 5 * row, odd = even + 5
    store8(even[0] * x0 + even[1] * s1 + even[2] * s2 + even[3] * s3 + even[4] * x7, y + row * ys)
    store8(odd[0] * x0 + odd[1] * d1 + odd[2] * d2 + odd[3] * d3 + odd[4] * x7, y + (row + 1) * ys)
  }
}

/// x = A y, the adjoint of `outputTransform`: eight outputs from `m` inputs.
@inline(__always)
func outputTransformAdjoint(
  _ k: UnsafePointer<Float>, m: Int, _ y: UnsafePointer<Float>, _ ys: Int, _ x: UnsafeMutablePointer<Float>, _ xs: Int
) {
  var x0 = SIMD8<Float>(), x7 = SIMD8<Float>()
  var even1 = SIMD8<Float>(), even2 = SIMD8<Float>(), even3 = SIMD8<Float>()
  var odd1 = SIMD8<Float>(), odd2 = SIMD8<Float>(), odd3 = SIMD8<Float>()
  for row in stride(from: 0, to: m, by: 2) {  // m is even: rows by (even, odd) pairs
    let even = k + 5 * row, odd = even + 5
    let v = load8(y + row * ys), w = load8(y + (row + 1) * ys)
    x0 += even[0] * v + odd[0] * w
    x7 += even[4] * v + odd[4] * w
    even1 += even[1] * v
    even2 += even[2] * v
    even3 += even[3] * v
    odd1 += odd[1] * w
    odd2 += odd[2] * w
    odd3 += odd[3] * w
  }
  store8(x0, x)
  store8(even1 + odd1, x + xs)
  store8(even1 - odd1, x + 2 * xs)
  store8(even2 + odd2, x + 3 * xs)
  store8(even2 - odd2, x + 4 * xs)
  store8(even3 + odd3, x + 5 * xs)
  store8(even3 - odd3, x + 6 * xs)
  store8(x7, x + 7 * xs)
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
