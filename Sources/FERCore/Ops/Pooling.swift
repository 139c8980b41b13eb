import FERSystem
// Max pooling and global average pooling over images [N, C, H, W], with
// PyTorch's semantics: max pooling pads with −∞ (padding never wins), output
// sizes round down, and the gradient goes to the first maximum of each window.
// Every (image, channel) plane is independent, so planes are split over the cores.

extension Tensor {
  /// Max over kernel×kernel windows `stride` apart: [N, C, H, W] → [N, C, Ho, Wo],
  /// Ho = (H + 2·padding − kernel) / stride + 1 (likewise Wo).
  public func maxPool2d(kernel: Int, stride: Int, padding: Int = 0) -> Tensor {
    precondition(rank == 4, "maxPool2d: input \(shape) should be [N, C, H, W]")
    precondition(kernel >= 1 && stride >= 1, "maxPool2d: kernel \(kernel) and stride \(stride) must be 1 or more")
    precondition(
      padding >= 0 && padding <= kernel / 2,
      "maxPool2d: padding \(padding) must be between 0 and half the kernel (\(kernel / 2)) so no window is all padding")
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    precondition(count > 0, "maxPool2d: input \(shape) is empty")
    precondition(
      h + 2 * padding >= kernel && w + 2 * padding >= kernel,
      "maxPool2d: a \(kernel)×\(kernel) window does not fit a \(h)×\(w) image padded by \(padding); use a smaller kernel")
    let outH = (h + 2 * padding - kernel) / stride + 1
    let outW = (w + 2 * padding - kernel) / stride + 1
    let (planeIn, planeOut) = (h * w, outH * outW)
    let planes = n * c
    // Planes per parallel task: enough pixels that a task outweighs its dispatch.
    let grain = max(1, 16_384 / max(planeIn, 1))

    var out = [Float](repeating: 0, count: planes * planeOut)
    // Index within its input plane of the value each output took.
    var argmax = [Int32](repeating: 0, count: planes * planeOut)
    data.withUnsafeBufferPointer { xp in
      out.withUnsafeMutableBufferPointer { yp in
        argmax.withUnsafeMutableBufferPointer { ap in
          let (x, y, a) = (xp.baseAddress!, yp.baseAddress!, ap.baseAddress!)
          parallelFor(planes, minimumPerTask: grain) { range in
            for plane in range {
              let src = x + plane * planeIn
              if kernel == 2 && stride == 2 && padding == 0 {
                maxPoolTwoByTwo(src, width: w, outH: outH, outW: outW,
                                values: y + plane * planeOut, winners: a + plane * planeOut)
                continue
              }
              for oh in 0..<outH {
                let top = oh * stride - padding
                let rows = max(top, 0)..<min(top + kernel, h)
                for ow in 0..<outW {
                  let left = ow * stride - padding
                  let bestIndex = firstMaximum(src, width: w, rows: rows, columns: max(left, 0)..<min(left + kernel, w))
                  let o = plane * planeOut + oh * outW + ow
                  y[o] = src[bestIndex]
                  a[o] = Int32(bestIndex)
                }
              }
            }
          }
        }
      }
    }
    let input = self
    let winners = argmax
    return Tensor(shape: [n, c, outH, outW], data: out, op: "maxPool2d", inputs: [self]) { g in
      var gx = [Float](repeating: 0, count: input.count)
      gx.withUnsafeMutableBufferPointer { rp in
        g.withUnsafeBufferPointer { gp in
          winners.withUnsafeBufferPointer { ap in
            let (r, dy, a) = (rp.baseAddress!, gp.baseAddress!, ap.baseAddress!)
            parallelFor(planes, minimumPerTask: grain) { range in
              for plane in range {
                for o in (plane * planeOut)..<((plane + 1) * planeOut) {
                  r[plane * planeIn + Int(a[o])] += dy[o]
                }
              }
            }
          }
        }
      }
      input.accumulateGrad(gx)
    }
  }

  /// Mean over each plane: [N, C, H, W] → [N, C] (a ResNet's last pooling).
  public func globalAvgPool() -> Tensor {
    precondition(rank == 4, "globalAvgPool: input \(shape) should be [N, C, H, W]")
    let (n, c, area) = (shape[0], shape[1], shape[2] * shape[3])
    precondition(area > 0, "globalAvgPool: input \(shape) has empty planes")
    let scale = 1 / Float(area)
    var out = [Float](repeating: 0, count: n * c)
    data.withUnsafeBufferPointer { x in
      for plane in 0..<(n * c) {
        var total: Float = 0
        for i in (plane * area)..<((plane + 1) * area) { total += x[i] }
        out[plane] = total * scale
      }
    }
    let input = self
    return Tensor(shape: [n, c], data: out, op: "globalAvgPool", inputs: [self]) { g in
      var gx = [Float](repeating: 0, count: input.count)
      gx.withUnsafeMutableBufferPointer { r in
        for plane in 0..<(n * c) {
          let share = g[plane] * scale
          for i in (plane * area)..<((plane + 1) * area) { r[i] = share }
        }
      }
      input.accumulateGrad(gx)
    }
  }
}

/// The index within its plane of a window's first maximum, visiting the window row by row.
/// Strictly greater keeps the first maximum; NaN propagates, as in PyTorch.
@inline(__always)
private func firstMaximum(_ src: UnsafePointer<Float>, width w: Int, rows: Range<Int>, columns: Range<Int>) -> Int {
  var best = -Float.infinity
  var bestIndex = rows.lowerBound * w + columns.lowerBound
  for ih in rows {
    for iw in columns {
      let v = src[ih * w + iw]
      if v > best || v.isNaN {
        best = v
        bestIndex = ih * w + iw
      }
    }
  }
  return bestIndex
}

/// One plane of the streams' 2×2, stride-2, unpadded pooling. Every window lies inside
/// the image, so eight windows in a row are two 16-wide loads split into even and odd
/// columns, compared in lanes with `firstMaximum`'s test in its order; the rest of a row
/// goes through `firstMaximum` itself. The winners (and the gradient's routing) are the
/// general loop's.
private func maxPoolTwoByTwo(
  _ src: UnsafePointer<Float>, width w: Int, outH: Int, outW: Int,
  values y: UnsafeMutablePointer<Float>, winners a: UnsafeMutablePointer<Int32>
) {
  let laneColumns = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
  for oh in 0..<outH {
    let top = 2 * oh * w
    let (values, winners) = (y + oh * outW, a + oh * outW)
    var ow = 0
    while ow + 8 <= outW {
      let first = top + 2 * ow
      let upper = UnsafeRawPointer(src + first).loadUnaligned(as: SIMD16<Float>.self)
      let lower = UnsafeRawPointer(src + first + w).loadUnaligned(as: SIMD16<Float>.self)
      var best = upper.evenHalf
      var offset = SIMD8<Int32>(repeating: 0)
      @inline(__always) func consider(_ candidate: SIMD8<Float>, at candidateOffset: Int) {
        let take = (candidate .> best) .| (candidate .!= candidate)  // v ≠ v: NaN
        best.replace(with: candidate, where: take)
        offset.replace(with: Int32(candidateOffset), where: take)
      }
      consider(upper.oddHalf, at: 1)
      consider(lower.evenHalf, at: w)
      consider(lower.oddHalf, at: w + 1)
      store8(best, values + ow)
      let index = SIMD8<Int32>(repeating: Int32(first)) &+ laneColumns &+ offset
      UnsafeMutableRawPointer(winners + ow).storeBytes(of: index, as: SIMD8<Int32>.self)
      ow += 8
    }
    while ow < outW {
      let bestIndex = firstMaximum(src, width: w, rows: (2 * oh)..<(2 * oh + 2), columns: (2 * ow)..<(2 * ow + 2))
      values[ow] = src[bestIndex]
      winners[ow] = Int32(bestIndex)
      ow += 1
    }
  }
}
