import Foundation

// Averaging the normal equations over the window and solving them: the box
// window (OpenCV's default) with running sums in Double, the Gaussian window
// (OPTFLOW_FARNEBACK_GAUSSIAN, σ = 0.3·⌊size/2⌋) with Float taps as OpenCV
// computes it. Both replicate the edge rows and columns. Rows are split over
// the cores; a chunk of rows restarts its running sums at its first row.

extension NormalEquations {
  /// Overwrites `flow` with the solution of the box-averaged equations (window `size`, odd).
  func solveBox(windowSize size: Int, into flow: inout FlowField) {
    let (width, height, radius) = (self.width, self.height, size / 2)
    let scale = 1 / Double(size * size)
    let c = Self.channels
    terms.withUnsafeBufferPointer { m in
      flow.dx.withUnsafeMutableBufferPointer { fdx in
        flow.dy.withUnsafeMutableBufferPointer { fdy in
          let (m, fdx, fdy) = (m.baseAddress!, fdx.baseAddress!, fdy.baseAddress!)
          forEachRowChunk(height, work: width * height * 40) { rows in
            // Column sums of the window rows, padded by radius + 1 replicated columns each side.
            let pad = radius + 1
            var columnSums = [Double](repeating: 0, count: (width + 2 * pad) * c)
            columnSums.withUnsafeMutableBufferPointer { buffer in
              let vsum = buffer.baseAddress! + pad * c
              func row(_ y: Int) -> UnsafePointer<Float> { m + min(max(y, 0), height - 1) * width * c }
              for dy in -radius...radius {
                let r = row(rows.lowerBound + dy)
                for i in 0..<(width * c) { vsum[i] += Double(r[i]) }
              }
              for y in rows {
                if y > rows.lowerBound {
                  let entering = row(y + radius), leaving = row(y - radius - 1)
                  for i in 0..<(width * c) { vsum[i] += Double(entering[i]) - Double(leaving[i]) }
                }
                for k in 1...pad {
                  for ch in 0..<c {
                    vsum[-k * c + ch] = vsum[ch]
                    vsum[(width - 1 + k) * c + ch] = vsum[(width - 1) * c + ch]
                  }
                }
                // Running sum along the row: window −radius…radius around x.
                var s = (0.0, 0.0, 0.0, 0.0, 0.0)
                for x in -radius...radius {
                  let p = vsum + x * c
                  s = (s.0 + p[0], s.1 + p[1], s.2 + p[2], s.3 + p[3], s.4 + p[4])
                }
                for x in 0..<width {
                  if x > 0 {
                    let p = vsum + (x + radius) * c, q = vsum + (x - radius - 1) * c
                    s = (s.0 + p[0] - q[0], s.1 + p[1] - q[1], s.2 + p[2] - q[2], s.3 + p[3] - q[3], s.4 + p[4] - q[4])
                  }
                  let d = solveDisplacement(
                    gxx: s.0 * scale, gxy: s.1 * scale, gyy: s.2 * scale, hx: s.3 * scale, hy: s.4 * scale)
                  fdx[y * width + x] = d.dx
                  fdy[y * width + x] = d.dy
                }
              }
            }
          }
        }
      }
    }
  }

  /// Overwrites `flow` with the solution of the Gaussian-averaged equations (window `size`, odd).
  func solveGaussian(windowSize size: Int, into flow: inout FlowField) {
    let (width, height, radius) = (self.width, self.height, size / 2)
    let kernel = Self.gaussianWindow(radius: radius)
    let c = Self.channels
    terms.withUnsafeBufferPointer { m in
      flow.dx.withUnsafeMutableBufferPointer { fdx in
        flow.dy.withUnsafeMutableBufferPointer { fdy in
          let (m, fdx, fdy) = (m.baseAddress!, fdx.baseAddress!, fdy.baseAddress!)
          forEachRowChunk(height, work: width * height * c * (2 * radius + 1) * 4) { rows in
            var columnSums = [Float](repeating: 0, count: (width + 2 * radius) * c)
            columnSums.withUnsafeMutableBufferPointer { buffer in
              let vsum = buffer.baseAddress! + radius * c
              func row(_ y: Int) -> UnsafePointer<Float> { m + min(max(y, 0), height - 1) * width * c }
              for y in rows {
                let center = row(y)
                for i in 0..<(width * c) { vsum[i] = center[i] * kernel[0] }
                if radius > 0 {
                  for k in 1...radius {
                    let below = row(y + k), above = row(y - k), w = kernel[k]
                    for i in 0..<(width * c) { vsum[i] += (below[i] + above[i]) * w }
                  }
                  for k in 1...radius {
                    for ch in 0..<c {
                      vsum[-k * c + ch] = vsum[ch]
                      vsum[(width - 1 + k) * c + ch] = vsum[(width - 1) * c + ch]
                    }
                  }
                }
                for x in 0..<width {
                  let p = vsum + x * c
                  var t = (p[0] * kernel[0], p[1] * kernel[0], p[2] * kernel[0], p[3] * kernel[0], p[4] * kernel[0])
                  if radius > 0 {
                    for k in 1...radius {
                      let l = p - k * c, r = p + k * c, w = kernel[k]
                      t = (
                        t.0 + w * (l[0] + r[0]), t.1 + w * (l[1] + r[1]), t.2 + w * (l[2] + r[2]),
                        t.3 + w * (l[3] + r[3]), t.4 + w * (l[4] + r[4])
                      )
                    }
                  }
                  let d = solveDisplacement(
                    gxx: Double(t.0), gxy: Double(t.1), gyy: Double(t.2), hx: Double(t.3), hy: Double(t.4))
                  fdx[y * width + x] = d.dx
                  fdy[y * width + x] = d.dy
                }
              }
            }
          }
        }
      }
    }
  }

  /// Taps 0…radius of the normalised Gaussian window, σ = 0.3·radius, rounded to Float as OpenCV does.
  static func gaussianWindow(radius: Int) -> [Float] {
    let sigma = Double(radius) * 0.3
    var taps: [Float] = [1]
    var total = 1.0
    if radius > 0 {
      for i in 1...radius {
        let t = Float(exp(-Double(i * i) / (2 * sigma * sigma)))
        taps.append(t)
        total += Double(t) * 2
      }
    }
    let inverseTotal = 1 / total
    return taps.map { Float(Double($0) * inverseTotal) }
  }
}
