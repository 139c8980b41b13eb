import Foundation

// Farnebäck's polynomial expansion: around every pixel the image is fitted,
// in the least-squares sense with Gaussian weights over a (2n+1)² window, by
//
//   f(x, y) ≈ c + bx·x + by·y + axx·x² + ayy·y² + axy·x·y
//
// The weighted fit separates into 1-D correlations with g, x·g and x²·g
// (g the normalised Gaussian of σ = polySigma): three vertical ones per
// pixel, then six horizontal ones, then a fixed 6×6 inverse (the Gram matrix
// of the basis under the weights) maps those six sums to the coefficients.
// Borders replicate the edge pixels. Vertical sums are Float and horizontal
// ones Double, as in OpenCV, so the coefficients agree with OpenCV's to
// rounding.

/// The quadratic fit of every pixel, interleaved [H, W, 5] in the order
/// (bx, by, axx, ayy, axy); the constant term c is not needed by the flow and not kept.
struct PolynomialExpansion {
  static let channels = 5
  let width: Int
  let height: Int
  var coefficients: [Float]

  init(image: GrayImage, n: Int, sigma: Double) {
    let basis = ExpansionBasis(n: n, sigma: sigma)
    let (width, height) = (image.width, image.height)
    self.width = width
    self.height = height
    var out = [Float](repeating: 0, count: width * height * Self.channels)
    image.pixels.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        let (src, dst) = (src.baseAddress!, dst.baseAddress!)
        forEachRowChunk(height, work: width * height * (2 * n + 1) * 12) { rows in
          basis.expand(rows: rows, src, width: width, height: height, into: dst)
        }
      }
    }
    coefficients = out
  }
}

/// The 1-D kernels g, x·g, x²·g for offsets 0…n (they are even/odd, so one side suffices)
/// and the entries of the inverse Gram matrix that turn filter responses into coefficients.
private struct ExpansionBasis {
  let n: Int
  let g: [Float]
  let xg: [Float]
  let xxg: [Float]
  /// Inverse Gram entries: (x, x) — also (y, y) —, (1, x²), (x², x²), (xy, xy).
  let ig11: Double, ig03: Double, ig33: Double, ig55: Double

  init(n: Int, sigma: Double) {
    self.n = n
    let raw = (-n...n).map { x in Float(exp(-Double(x * x) / (2 * sigma * sigma))) }
    let inverseSum = 1 / raw.reduce(0.0) { $0 + Double($1) }
    let full = raw.map { Float(Double($0) * inverseSum) }  // offsets −n…n
    let g = Array(full[n...])
    self.g = g
    xg = (0...n).map { Float($0) * g[$0] }
    xxg = (0...n).map { Float($0 * $0) * g[$0] }

    // Weighted moments Σ g(x)·x^k over the window (k = 0, 2, 4); the 2-D Gram matrix of the
    // basis (1, x, y, x², y², xy) under the weights g(x)g(y) is built from their products.
    var m0 = 0.0, m2 = 0.0, m4 = 0.0
    for x in -n...n {
      let w = Double(full[x + n]), xx = Double(x * x)
      m0 += w
      m2 += w * xx
      m4 += w * xx * xx
    }
    // x, y and xy are orthogonal to the rest: their inverse entries are reciprocals.
    ig11 = 1 / (m0 * m2)
    ig55 = 1 / (m2 * m2)
    // The block of (1, x², y²) is [[a, b, b], [b, c, d], [b, d, c]] with a = m0², b = m0·m2,
    // c = m0·m4, d = m2². The weights are separable, so b² = a·d and its inverse has
    // (1, x²) = −b / (a(c − d)), (x², x²) = 1 / (c − d) and (x², y²) = 0: x² and y² decouple.
    let a = m0 * m0, b = m0 * m2, c = m0 * m4, d = m2 * m2
    ig03 = -b / (a * (c - d))
    ig33 = 1 / (c - d)
  }

  /// Coefficients of `rows` of a `width` × `height` image into `dst` ([H, W, 5]).
  func expand(
    rows: Range<Int>, _ src: UnsafePointer<Float>, width: Int, height: Int, into dst: UnsafeMutablePointer<Float>
  ) {
    // Vertical responses of one row, padded by n replicated columns each side:
    // v0 = Σ g·I, v1 = Σ y·g·I, v2 = Σ y²·g·I. Then the horizontal responses r1…r6 to the
    // basis 1, x, y, x², y², xy. Loops run over x innermost so they vectorise.
    let padded = width + 2 * n
    var vertical = [Float](repeating: 0, count: 3 * padded)
    var horizontal = [Double](repeating: 0, count: 6 * width)
    let (g, xg, xxg) = (self.g, self.xg, self.xxg)
    vertical.withUnsafeMutableBufferPointer { vbuf in
      horizontal.withUnsafeMutableBufferPointer { hbuf in
        let v0 = vbuf.baseAddress! + n, v1 = v0 + padded, v2 = v1 + padded
        let r1 = hbuf.baseAddress!, r2 = r1 + width, r3 = r2 + width, r4 = r3 + width, r5 = r4 + width, r6 = r5 + width
        for y in rows {
          let center = src + y * width
          for x in 0..<width {
            v0[x] = center[x] * g[0]
            v1[x] = 0
            v2[x] = 0
          }
          for k in 1...n {
            let above = src + max(y - k, 0) * width, below = src + min(y + k, height - 1) * width
            let (gk, xgk, xxgk) = (g[k], xg[k], xxg[k])
            for x in 0..<width {
              let sum = above[x] + below[x]
              v0[x] += gk * sum
              v1[x] += xgk * (below[x] - above[x])
              v2[x] += xxgk * sum
            }
          }
          for k in 1...n {
            (v0[-k], v1[-k], v2[-k]) = (v0[0], v1[0], v2[0])
            let last = width - 1
            (v0[last + k], v1[last + k], v2[last + k]) = (v0[last], v1[last], v2[last])
          }

          for x in 0..<width {
            r1[x] = Double(v0[x] * g[0])
            r2[x] = 0
            r3[x] = Double(v1[x] * g[0])
            r4[x] = 0
            r5[x] = Double(v2[x] * g[0])
            r6[x] = 0
          }
          for k in 1...n {
            let (gk, xgk, xxgk) = (g[k], xg[k], xxg[k])
            let (gkWide, xxgkWide) = (Double(gk), Double(xxgk))
            for x in 0..<width {
              // Products rounded as OpenCV rounds them: the even sum of v0 in Double, the rest in Float.
              let even0 = Double(v0[x + k] + v0[x - k])
              r1[x] += even0 * gkWide
              r4[x] += even0 * xxgkWide
              r2[x] += Double((v0[x + k] - v0[x - k]) * xgk)
              r3[x] += Double((v1[x + k] + v1[x - k]) * gk)
              r6[x] += Double((v1[x + k] - v1[x - k]) * xgk)
              r5[x] += Double((v2[x + k] + v2[x - k]) * gk)
            }
          }

          let out = dst + y * width * PolynomialExpansion.channels
          for x in 0..<width {
            let o = out + x * PolynomialExpansion.channels
            o[0] = Float(r2[x] * ig11)  // bx
            o[1] = Float(r3[x] * ig11)  // by
            o[2] = Float(r1[x] * ig03 + r4[x] * ig33)  // axx
            o[3] = Float(r1[x] * ig03 + r5[x] * ig33)  // ayy
            o[4] = Float(r6[x] * ig55)  // axy
          }
        }
      }
    }
  }
}
