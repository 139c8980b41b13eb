// The kernel group norm and batch norm share. An input [N, C, S…] is N·C
// planes of S contiguous values (S = H·W for images, 1 for features [N, C]).
// Every plane (n, c) belongs to one statistics group — group n·G + c/(C/G) for
// group norm, channel c for batch norm — and takes the affine of channel c:
//
//   y = (x − μ_s)·r_s·w_c + b_c,   r_s = 1/√(σ²_s + ε)
//
// Forward and backward are a few passes over the planes with SIMD reductions
// (partial sums in Float per plane, Double across planes), so the hot path
// never builds the graph of small ops the formula would otherwise need.

/// How the planes of an [N, C, S…] tensor map to statistics groups.
package struct PlaneNormalization {
  package let channels: Int, planeSize: Int
  /// Statistics group of plane p = n·C + c.
  package let groupOfPlane: [Int]
  package let groupCount: Int
  /// Values per group (every group has the same size).
  package let groupSize: Int

  /// Group norm: plane (n, c) belongs to group n·G + c/(C/G).
  package init(groupNormOf shape: [Int], groups: Int) {
    let (n, c, s) = PlaneNormalization.split(shape)
    let perGroup = c / groups
    channels = c; planeSize = s
    groupOfPlane = (0..<(n * c)).map { p in (p / c) * groups + (p % c) / perGroup }
    groupCount = n * groups
    groupSize = perGroup * s
  }

  /// Batch norm: plane (n, c) belongs to group c.
  package init(batchNormOf shape: [Int]) {
    let (n, c, s) = PlaneNormalization.split(shape)
    channels = c; planeSize = s
    groupOfPlane = (0..<(n * c)).map { $0 % c }
    groupCount = c
    groupSize = n * s
  }

  private static func split(_ shape: [Int]) -> (Int, Int, Int) {
    (shape[0], shape[1], shape[2...].reduce(1, *))
  }

  /// Per-group mean and biased variance (divide by the group size, as PyTorch normalises).
  /// Two passes, the second around the mean: as accurate as PyTorch's kernels
  /// even when |μ| ≫ σ, where the one-pass E[x²] − E[x]² loses σ entirely.
  package func statistics(_ x: [Float]) -> (mean: [Float], variance: [Float]) {
    let size = Double(max(groupSize, 1))
    var sums = [Double](repeating: 0, count: groupCount)
    x.withUnsafeBufferPointer { xp in
      for p in 0..<groupOfPlane.count {
        sums[groupOfPlane[p]] += Double(planeSum(xp.baseAddress! + p * planeSize, planeSize))
      }
    }
    let mean = sums.map { Float($0 / size) }
    var squares = [Double](repeating: 0, count: groupCount)
    x.withUnsafeBufferPointer { xp in
      for p in 0..<groupOfPlane.count {
        let s = groupOfPlane[p]
        squares[s] += Double(planeCenteredSquares(xp.baseAddress! + p * planeSize, planeSize, around: mean[s]))
      }
    }
    return (mean, squares.map { Float($0 / size) })
  }

  /// y = (x − μ)·r·w + b, computed per plane as x·scale + shift.
  package func normalize(
    _ x: [Float], mean: [Float], invStd: [Float], weight: [Float], bias: [Float]
  ) -> [Float] {
    [Float](unsafeUninitializedCapacity: x.count) { yp, initialized in
      x.withUnsafeBufferPointer { xp in
        for p in 0..<groupOfPlane.count {
          let s = groupOfPlane[p], c = p % channels
          let scale = invStd[s] * weight[c]
          let shift = bias[c] - mean[s] * scale
          let src = xp.baseAddress! + p * planeSize, dst = yp.baseAddress! + p * planeSize
          for i in 0..<planeSize { dst[i] = src[i] * scale + shift }
        }
      }
      initialized = x.count
    }
  }

  /// Gradients of the normalisation. With `batchStatistics` the mean and
  /// variance are functions of x (training), so dx gains the two terms through
  /// them; otherwise they are constants (batch norm in evaluation).
  ///
  ///   x̂ = (x − μ)·r,  dx̂ = dy·w
  ///   dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))   (means over the group)
  ///   dw_c = Σ dy·x̂,  db_c = Σ dy               (sums over the planes of channel c)
  package func backward(
    _ dy: [Float], x: [Float], mean: [Float], invStd: [Float], weight: [Float],
    batchStatistics: Bool, needInput: Bool
  ) -> (dx: [Float]?, dWeight: [Float], dBias: [Float]) {
    let planes = groupOfPlane.count
    // Per plane: Σ dy and Σ dy·(x − μ).
    var sumDy = [Float](repeating: 0, count: planes)
    var dotCentered = [Float](repeating: 0, count: planes)
    dy.withUnsafeBufferPointer { gp in
      x.withUnsafeBufferPointer { xp in
        for p in 0..<planes {
          let g = gp.baseAddress! + p * planeSize, v = xp.baseAddress! + p * planeSize
          (sumDy[p], dotCentered[p]) = planeGradientSums(g, v, planeSize, mean: mean[groupOfPlane[p]])
        }
      }
    }
    var dWeight = [Double](repeating: 0, count: channels)
    var dBias = [Double](repeating: 0, count: channels)
    for p in 0..<planes {
      let c = p % channels
      dBias[c] += Double(sumDy[p])
      dWeight[c] += Double(dotCentered[p] * invStd[groupOfPlane[p]])
    }
    guard needInput else { return (nil, dWeight.map { Float($0) }, dBias.map { Float($0) }) }

    // Group sums A = Σ dx̂ and B = Σ dx̂·x̂, folded into dx = α·dy + β·(x − μ) + γ per plane.
    var sumDxHat = [Double](repeating: 0, count: groupCount)
    var sumDxHatXHat = [Double](repeating: 0, count: groupCount)
    if batchStatistics {
      for p in 0..<planes {
        let s = groupOfPlane[p], w = Double(weight[p % channels])
        sumDxHat[s] += w * Double(sumDy[p])
        sumDxHatXHat[s] += w * Double(invStd[s]) * Double(dotCentered[p])
      }
    }
    let size = Double(max(groupSize, 1))
    let dx = [Float](unsafeUninitializedCapacity: x.count) { rp, initialized in
      dy.withUnsafeBufferPointer { gp in
        x.withUnsafeBufferPointer { xp in
          for p in 0..<planes {
            let s = groupOfPlane[p], r = Double(invStd[s])
            let alpha = Float(r * Double(weight[p % channels]))
            let beta = Float(-r * r * sumDxHatXHat[s] / size)
            let gamma = Float(-r * sumDxHat[s] / size)
            let mu = mean[s]
            let g = gp.baseAddress! + p * planeSize, v = xp.baseAddress! + p * planeSize
            let out = rp.baseAddress! + p * planeSize
            for i in 0..<planeSize { out[i] = alpha * g[i] + beta * (v[i] - mu) + gamma }
          }
        }
      }
      initialized = x.count
    }
    return (dx, dWeight.map { Float($0) }, dBias.map { Float($0) })
  }
}

// MARK: - SIMD reductions over one contiguous plane

/// Σ p[i], sixteen lanes at a time.
@inline(__always)
private func planeSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc = SIMD16<Float>(repeating: 0)
  var i = 0
  let raw = UnsafeRawPointer(p)
  while i + 16 <= n {
    acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
    i += 16
  }
  var total = acc.sum()
  while i < n { total += p[i]; i += 1 }
  return total
}

/// Σ (p[i] − mean)².
@inline(__always)
private func planeCenteredSquares(_ p: UnsafePointer<Float>, _ n: Int, around mean: Float) -> Float {
  var acc = SIMD16<Float>(repeating: 0)
  let m = SIMD16<Float>(repeating: mean)
  var i = 0
  let raw = UnsafeRawPointer(p)
  while i + 16 <= n {
    let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - m
    acc += d * d
    i += 16
  }
  var total = acc.sum()
  while i < n { let d = p[i] - mean; total += d * d; i += 1 }
  return total
}

/// (Σ g[i], Σ g[i]·(x[i] − mean)).
@inline(__always)
private func planeGradientSums(
  _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean: Float
) -> (Float, Float) {
  var sum = SIMD16<Float>(repeating: 0), dot = SIMD16<Float>(repeating: 0)
  let m = SIMD16<Float>(repeating: mean)
  var i = 0
  let rg = UnsafeRawPointer(g), rx = UnsafeRawPointer(x)
  while i + 16 <= n {
    let gv = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
    let xv = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
    sum += gv
    dot += gv * (xv - m)
    i += 16
  }
  var s = sum.sum(), d = dot.sum()
  while i < n { s += g[i]; d += g[i] * (x[i] - mean); i += 1 }
  return (s, d)
}
