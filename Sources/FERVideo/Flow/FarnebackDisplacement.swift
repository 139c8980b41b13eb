import Foundation

// One displacement update of Farnebäck's method. With the expansions of the two
// frames, f₁ ≈ xᵀA₁x + b₁ᵀx + c₁ and f₂ ≈ xᵀA₂x + b₂ᵀx + c₂, and the current
// flow d̃, each pixel gives a linear constraint A·d = Δb with
//
//   A  = (A₁(x) + A₂(x + d̃)) / 2
//   Δb = −(b₂(x + d̃) − b₁(x)) / 2 + A·d̃
//
// (A₂, b₂ sampled bilinearly at the displaced position). The per-pixel normal
// equations AᵀA·d = AᵀΔb are averaged over a window (box or Gaussian) and
// solved for the new d. Where the displaced position leaves the second frame
// (no 2×2 neighbourhood to sample), A = A₁ and b₂ counts as 0. The outer five
// rows and columns, where the expansion is least reliable, are damped (weights
// 0.14, 0.14, 0.4472, 0.4472, 0.4472 from the edge in), as in OpenCV.
//
// Layout of the averaged quantities ("matrices"), interleaved [H, W, 5]:
//   (Gxx, Gxy, Gyy, hx, hy) with G = AᵀA and h = AᵀΔb.

/// Normal-equation terms of every pixel, [H, W, 5] as described at the top of this file.
struct NormalEquations {
  static let channels = 5
  let width: Int
  let height: Int
  var terms: [Float]

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
    terms = [Float](repeating: 0, count: width * height * Self.channels)
  }

  /// Recomputes the terms from the two expansions under `flow` (all of one size).
  mutating func update(first: PolynomialExpansion, second: PolynomialExpansion, flow: FlowField) {
    let (width, height) = (self.width, self.height)
    first.coefficients.withUnsafeBufferPointer { r0 in
      second.coefficients.withUnsafeBufferPointer { r1 in
        flow.dx.withUnsafeBufferPointer { fdx in
          flow.dy.withUnsafeBufferPointer { fdy in
            terms.withUnsafeMutableBufferPointer { m in
              let (r0, r1, fdx, fdy, m) = (r0.baseAddress!, r1.baseAddress!, fdx.baseAddress!, fdy.baseAddress!, m.baseAddress!)
              forEachRowChunk(height, work: width * height * 60) { rows in
                for y in rows {
                  for x in 0..<width {
                    let i = y * width + x
                    pixelTerms(
                      x: x, y: y, width: width, height: height, dx: fdx[i], dy: fdy[i],
                      first: r0 + i * 5, second: r1, into: m + i * 5)
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Damping of the outer five rows/columns, indexed by distance from the edge.
private let borderWeight: (Float, Float, Float, Float, Float) = (0.14, 0.14, 0.4472, 0.4472, 0.4472)

@inline(__always)
private func borderDamping(_ distance: Int) -> Float {
  switch distance {
  case 0: borderWeight.0
  case 1: borderWeight.1
  case 2: borderWeight.2
  case 3: borderWeight.3
  default: borderWeight.4
  }
}

/// The five terms of pixel (x, y): `first` points at the first frame's coefficients
/// (bx, by, axx, ayy, axy) of this pixel, `second` at the start of the second frame's [H, W, 5].
@inline(__always)
private func pixelTerms(
  x: Int, y: Int, width: Int, height: Int, dx: Float, dy: Float,
  first r0: UnsafePointer<Float>, second r1: UnsafePointer<Float>, into m: UnsafeMutablePointer<Float>
) {
  let fx = Float(x) + dx, fy = Float(y) + dy
  var bx: Float, by: Float, axx: Float, ayy: Float, axy: Float
  // Bilinear sampling needs the 2×2 neighbourhood inside the frame (NaN fails both tests).
  if fx >= 0 && fx < Float(width - 1) && fy >= 0 && fy < Float(height - 1) {
    let x1 = Int(fx), y1 = Int(fy)
    let tx = fx - Float(x1), ty = fy - Float(y1)
    let w00 = (1 - tx) * (1 - ty), w01 = tx * (1 - ty), w10 = (1 - tx) * ty, w11 = tx * ty
    let p = r1 + (y1 * width + x1) * 5, below = p + width * 5
    @inline(__always) func sample(_ c: Int) -> Float { w00 * p[c] + w01 * p[c + 5] + w10 * below[c] + w11 * below[c + 5] }
    bx = (r0[0] - sample(0)) * 0.5
    by = (r0[1] - sample(1)) * 0.5
    axx = (r0[2] + sample(2)) * 0.5
    ayy = (r0[3] + sample(3)) * 0.5
    axy = (r0[4] + sample(4)) * 0.25  // the off-diagonal of A is half the xy coefficient
  } else {
    bx = r0[0] * 0.5
    by = r0[1] * 0.5
    axx = r0[2]
    ayy = r0[3]
    axy = r0[4] * 0.5
  }
  by += ayy * dy + axy * dx
  bx += axy * dy + axx * dx

  // OpenCV's test in unsigned arithmetic: for frames under 10 pixels it flags fewer pixels.
  let inner = 5
  if UInt(bitPattern: x - inner) >= UInt(bitPattern: width - 2 * inner)
    || UInt(bitPattern: y - inner) >= UInt(bitPattern: height - 2 * inner)
  {
    let scale =
      (x < inner ? borderDamping(x) : 1) * (x >= width - inner ? borderDamping(width - x - 1) : 1)
      * (y < inner ? borderDamping(y) : 1) * (y >= height - inner ? borderDamping(height - y - 1) : 1)
    bx *= scale
    by *= scale
    axx *= scale
    ayy *= scale
    axy *= scale
  }

  m[0] = axx * axx + axy * axy
  m[1] = (ayy + axx) * axy
  m[2] = ayy * ayy + axy * axy
  m[3] = axy * by + axx * bx
  m[4] = ayy * by + axy * bx
}

/// The flow solving window-averaged normal equations G·d = h by Cramer's rule, with 1e-3 added
/// to det G so that flat regions (G ≈ 0) give d ≈ 0 instead of dividing by nothing.
@inline(__always)
func solveDisplacement(
  gxx: Double, gxy: Double, gyy: Double, hx: Double, hy: Double
) -> (dx: Float, dy: Float) {
  let inverseDet = 1 / (gxx * gyy - gxy * gxy + 1e-3)
  return (Float((gyy * hx - gxy * hy) * inverseDet), Float((gxx * hy - gxy * hx) * inverseDet))
}
