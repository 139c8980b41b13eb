// The three matrices of Winograd's minimal filtering algorithm F(m, r) on
// 8-point tiles (Lavin & Gray 2016): m outputs of an r-tap correlation from
// 8 = m + r − 1 inputs with 8 multiplications instead of m·r,
//
//   y = Aᵀ [ (G g) ∘ (Bᵀ d) ]        d: 8 inputs, g: r taps, y: m outputs,
//
// and in two dimensions Y = Aᵀ [ (G g Gᵀ) ∘ (Bᵀ d B) ] A on 8×8 tiles.
//
// They are built here from the interpolation points rather than typed in, so the
// construction is checked once (WinogradMatricesTests) for every kernel size:
// Toom–Cook evaluates the two factors of a linear convolution at the points
// 0, ±1, ±2, ±½ and ∞ (A and G are the evaluation matrices) and interpolates
// the product back (C, the inverse of the evaluation matrix of degree-7
// polynomials). A correlation is the transpose of a linear convolution, hence
// Bᵀ = Cᵀ. The scale of each point is moved from Bᵀ into G (G's row i divided
// by Πⱼ≠ᵢ (pᵢ − pⱼ)), so the transform applied to every input tile keeps small
// coefficients and the kernel's, computed once per call, takes the fractions.
// These points are the ones with the smallest float error at this tile size.

/// Bᵀ, G and Aᵀ of F(m, r) on 8-point tiles, row-major, in Float.
package struct WinogradMatrices: Sendable, Equatable {
  /// Points per tile side.
  package static let tile = 8
  /// Taps of the filter (odd, 3…7).
  package let kernel: Int
  /// Outputs per tile side: 8 − r + 1.
  package let outputs: Int
  /// Bᵀ [8, 8]: input tile → transform domain.
  package let inputTransform: [Float]
  /// G [8, r]: filter → transform domain.
  package let kernelTransform: [Float]
  /// G in Double, for the filter transforms (computed once per weight, then rounded once).
  package let kernelTransformExact: [Double]
  /// Aᵀ [m, 8]: transform domain → output tile.
  package let outputTransform: [Float]

  package init(kernel r: Int) {
    let alpha = Self.tile
    precondition(r >= 2 && r < alpha, "Winograd: a \(r)-tap filter does not fit an \(alpha)-point tile")
    let m = alpha - r + 1
    let points: [Double] = [0, 1, -1, 2, -2, 0.5, -0.5]  // and ∞ as the last row
    precondition(points.count == alpha - 1)

    // Row i of the evaluation matrix of polynomials with `terms` coefficients: pᵢ^k, or at ∞ the leading one.
    func evaluation(_ i: Int, terms: Int) -> [Double] {
      guard i < points.count else { return (0..<terms).map { $0 == terms - 1 ? 1 : 0 } }
      var powers = [1.0]
      while powers.count < terms { powers.append(powers.last! * points[i]) }
      return powers
    }
    let scale: [Double] = (0..<alpha).map { i in
      guard i < points.count else { return 1 }
      return points.indices.filter { $0 != i }.reduce(1.0) { $0 / (points[i] - points[$1]) }
    }
    let a = (0..<alpha).map { evaluation($0, terms: m) }  // A [8, m]
    let g = (0..<alpha).map { i in evaluation(i, terms: r).map { $0 * scale[i] } }  // G [8, r]
    let c = invert((0..<alpha).map { evaluation($0, terms: alpha) })  // C [8, 8]
    kernel = r
    outputs = m
    // Entries that are zero in exact arithmetic come out of the inversion as ~1e-17.
    func clean(_ x: Double) -> Float { abs(x) < 1e-9 ? 0 : Float(x) }
    inputTransform = (0..<alpha).flatMap { i in (0..<alpha).map { k in clean(c[k][i] / scale[i]) } }
    kernelTransform = g.flatMap { $0.map(clean) }
    kernelTransformExact = g.flatMap { $0.map { abs($0) < 1e-9 ? 0 : $0 } }
    outputTransform = (0..<m).flatMap { k in (0..<alpha).map { i in clean(a[i][k]) } }
  }
}

/// The inverse of a small non-singular matrix (Gauss–Jordan with partial pivoting, in Double).
private func invert(_ matrix: [[Double]]) -> [[Double]] {
  let n = matrix.count
  var left = matrix
  var right = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
  for column in 0..<n {
    let pivot = (column..<n).max { abs(left[$0][column]) < abs(left[$1][column]) }!
    precondition(abs(left[pivot][column]) > 1e-12, "Winograd: the interpolation points must be distinct")
    left.swapAt(column, pivot)
    right.swapAt(column, pivot)
    let inverse = 1 / left[column][column]
    for k in 0..<n {
      left[column][k] *= inverse
      right[column][k] *= inverse
    }
    for row in 0..<n where row != column && left[row][column] != 0 {
      let factor = left[row][column]
      for k in 0..<n {
        left[row][k] -= factor * left[column][k]
        right[row][k] -= factor * right[column][k]
      }
    }
  }
  return right
}
