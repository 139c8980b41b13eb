// im2col and col2im: the receptive fields of a 2-D convolution laid out as the
// columns of a matrix, so the convolution becomes one GEMM; and the adjoint
// scatter-add that turns the columns' gradient back into the image's.
//
// For one image x [C, H, W] and a kernel kh×kw the column matrix has
//   K = C·kh·kw rows, indexed (c, i, j) row-major — the order of a weight
//       [O, C, kh, kw] read as [O, K], so out [O, P] = W [O, K] · col [K, P];
//   P = Ho·Wo columns, indexed (oh, ow),
// and col[(c, i, j), (oh, ow)] = x[c, oh·s − padH + i, ow·s − padW + j], 0 outside the image
// (cross-correlation with zero padding, as PyTorch's conv2d).
// The kernels fill any band of output rows oh ∈ rows of one image (R = |rows|·Wo
// columns), into a block of a wider matrix: several images side by side share
// one matrix [K, B·R], so the kernels take the start of the image's block and
// the matrix's row stride `ld`.

/// Sizes of a 2-D convolution over one image.
package struct ConvGeometry: Equatable, Sendable {
  package let channels: Int, height: Int, width: Int
  package let kernelH: Int, kernelW: Int
  package let stride: Int
  package let padH: Int, padW: Int
  package let outH: Int, outW: Int

  package init(channels: Int, height: Int, width: Int, kernelH: Int, kernelW: Int, stride: Int, padH: Int, padW: Int) {
    self.channels = channels
    self.height = height
    self.width = width
    self.kernelH = kernelH
    self.kernelW = kernelW
    self.stride = stride
    self.padH = padH
    self.padW = padW
    outH = (height + 2 * padH - kernelH) / stride + 1
    outW = (width + 2 * padW - kernelW) / stride + 1
  }

  /// Rows of the column matrix: C·kh·kw (the GEMM's inner dimension).
  package var patch: Int { channels * kernelH * kernelW }
  /// Output positions per image: Ho·Wo.
  package var positions: Int { outH * outW }
  /// Values per input image: C·H·W.
  package var imageSize: Int { channels * height * width }

  /// Output columns `lo..<hi` whose input column ow·s − padW + j lies inside the image.
  @inline(__always)
  func validColumns(kernelColumn j: Int) -> (lo: Int, hi: Int) {
    let first = padW - j  // ow·s must be ≥ this
    let last = width - 1 + padW - j  // ow·s must be ≤ this
    let lo = first <= 0 ? 0 : min(outW, (first + stride - 1) / stride)
    let hi = last < 0 ? 0 : min(outW, last / stride + 1)
    return (lo, max(lo, hi))
  }
}

/// Writes the columns of output rows `rows` of one image.
/// `image` points at x[b] ([C, H, W]); `columns` at the image's block, rows `ld` apart.
package func im2col(
  _ g: ConvGeometry, rows: Range<Int>, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>, ld: Int
) {
  let (s, outW) = (g.stride, g.outW)
  for c in 0..<g.channels {
    let plane = image + c * g.height * g.width
    for i in 0..<g.kernelH {
      for j in 0..<g.kernelW {
        let row = columns + ((c * g.kernelH + i) * g.kernelW + j) * ld
        let (lo, hi) = g.validColumns(kernelColumn: j)
        for oh in rows {
          let dst = row + (oh - rows.lowerBound) * outW
          let ih = oh * s - g.padH + i
          // Plain loops: the segments are a few dozen floats, too short to pay for memcpy/memset calls.
          guard ih >= 0 && ih < g.height else {
            for ow in 0..<outW { dst[ow] = 0 }
            continue
          }
          for ow in 0..<lo { dst[ow] = 0 }
          for ow in hi..<outW { dst[ow] = 0 }
          let src = plane + ih * g.width - g.padW + j
          if s == 1 {
            for ow in lo..<hi { dst[ow] = src[ow] }
          } else {
            for ow in lo..<hi { dst[ow] = src[ow * s] }
          }
        }
      }
    }
  }
}

/// Adds the column gradient of output rows `rows` of one image into the image's gradient
/// (the adjoint of `im2col`: every column entry goes back to the pixel it was read from).
/// `image` points at dx[b] ([C, H, W]); `columns` at the image's block, rows `ld` apart.
package func col2im(
  _ g: ConvGeometry, rows: Range<Int>, columns: UnsafePointer<Float>, ld: Int, image: UnsafeMutablePointer<Float>
) {
  let (s, outW) = (g.stride, g.outW)
  for c in 0..<g.channels {
    let plane = image + c * g.height * g.width
    for i in 0..<g.kernelH {
      for j in 0..<g.kernelW {
        let row = columns + ((c * g.kernelH + i) * g.kernelW + j) * ld
        let (lo, hi) = g.validColumns(kernelColumn: j)
        for oh in rows {
          let ih = oh * s - g.padH + i
          guard ih >= 0 && ih < g.height else { continue }
          let src = row + (oh - rows.lowerBound) * outW
          let dst = plane + ih * g.width - g.padW + j
          if s == 1 {
            for ow in lo..<hi { dst[ow] += src[ow] }
          } else {
            for ow in lo..<hi { dst[ow * s] += src[ow] }
          }
        }
      }
    }
  }
}
