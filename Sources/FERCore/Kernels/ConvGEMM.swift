// A batch of 2-D convolutions as a few large GEMMs, forward and backward, on raw
// buffers (nothing here knows about tensors or the tape).
//
// Shapes (see Im2col.swift for K and P):
//   input x [N, C, H, W], weight W [O, K], bias [O], output y [N, O, Ho, Wo] = [N, O, P].
// The batch is cut into chunks of B images whose column matrix col [K, B·P] fits a
// memory budget; per chunk
//   forward     y' [O, B·P] = W · col,               then y'[o, b·P + p] + bias[o] → y[b, o, p]
//   weight grad dW [O, K]  += dy' [O, B·P] · colᵀ      (dy' is dy regrouped like y')
//   input grad  dcol [K, B·P] = Wᵀ · dy',              then col2im(dcol) → dx
// One image per chunk needs no regrouping: y[b] is already [O, P]. The columns are
// rebuilt in the backward pass rather than kept from the forward: a ConvLSTM
// calls the convolution for every time step, and keeping every step's columns
// would cost K/O times the activations' memory.
// BLAS threads the GEMMs; im2col, col2im and the regrouping copies are split
// over the cores by image and channel.

/// How a batch of convolutions is cut into GEMM chunks.
package struct ConvPlan: Sendable {
  package let geometry: ConvGeometry
  package let batch: Int, outChannels: Int
  /// Images per chunk (B).
  package let chunk: Int

  /// The column matrix of one chunk stays within `columnBudget` floats (at least one image):
  /// large enough for efficient GEMMs, small enough to stay mostly in cache between
  /// im2col writing it and the GEMM reading it.
  package init(geometry: ConvGeometry, batch: Int, outChannels: Int, columnBudget: Int = 1 << 20) {
    self.geometry = geometry
    self.batch = batch
    self.outChannels = outChannels
    let perImage = max(geometry.patch * geometry.positions, 1)
    chunk = max(1, min(batch, columnBudget / perImage))
  }

  /// Floats of the column matrix of a full chunk.
  var columnCount: Int { geometry.patch * geometry.positions * chunk }
  /// Floats of a regrouped output of a full chunk.
  var regroupCount: Int { outChannels * geometry.positions * chunk }

  /// Calls `body(first image, images)` for each chunk of the batch.
  func forEachChunk(_ body: (Int, Int) -> Void) {
    var first = 0
    while first < batch {
      let images = min(chunk, batch - first)
      body(first, images)
      first += images
    }
  }

  /// Runs `body(image, channel range)` over every (image, channel) pair of `images`, split over the cores.
  func parallelOverChannels(images: Int, _ body: (Int, Range<Int>) -> Void) {
    let channels = geometry.channels
    parallelFor(images * channels) { range in
      var t = range.lowerBound
      while t < range.upperBound {
        let (b, c) = t.quotientAndRemainder(dividingBy: channels)
        let end = min(range.upperBound, (b + 1) * channels)
        body(b, c..<(c + end - t))
        t = end
      }
    }
  }
}

/// y = conv(x, W) + bias for the whole batch. `output` is fully overwritten.
package func convolutionForward(
  _ plan: ConvPlan, input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
  output: UnsafeMutablePointer<Float>
) {
  let g = plan.geometry
  let (k, p, o) = (g.patch, g.positions, plan.outChannels)
  let columns = UnsafeMutablePointer<Float>.allocate(capacity: plan.columnCount)
  defer { columns.deallocate() }
  let regrouped = UnsafeMutablePointer<Float>.allocate(capacity: plan.chunk > 1 ? plan.regroupCount : 0)
  defer { regrouped.deallocate() }

  plan.forEachChunk { first, images in
    let ld = images * p
    plan.parallelOverChannels(images: images) { b, channels in
      im2col(g, channels: channels, image: input + (first + b) * g.imageSize, columns: columns + b * p, ld: ld)
    }
    if images == 1 {
      let y = output + first * o * p
      sgemm(m: o, n: p, k: k, a: weight, lda: k, b: columns, ldb: p, c: y, ldc: p)
      if let bias {
        for row in 0..<o { addConstant(bias[row], to: y + row * p, count: p) }
      }
      return
    }
    sgemm(m: o, n: ld, k: k, a: weight, lda: k, b: columns, ldb: ld, c: regrouped, ldc: ld)
    // y'[o, b·P + p] → y[first + b, o, p], adding the bias on the way.
    parallelFor(images * o, minimumPerTask: 4) { range in
      for t in range {
        let (b, row) = t.quotientAndRemainder(dividingBy: o)
        let dst = output + ((first + b) * o + row) * p
        dst.update(from: regrouped + row * ld + b * p, count: p)
        if let bias { addConstant(bias[row], to: dst, count: p) }
      }
    }
  }
}

/// Gradients of `convolutionForward` given dy [N, O, P]. Each non-nil destination is overwritten:
/// `inputGrad` [N, C, H, W], `weightGrad` [O, K], `biasGrad` [O].
package func convolutionBackward(
  _ plan: ConvPlan, input: UnsafePointer<Float>, weight: UnsafePointer<Float>, outputGrad: UnsafePointer<Float>,
  inputGrad: UnsafeMutablePointer<Float>?, weightGrad: UnsafeMutablePointer<Float>?, biasGrad: UnsafeMutablePointer<Float>?
) {
  let g = plan.geometry
  let (k, p, o, n) = (g.patch, g.positions, plan.outChannels, plan.batch)
  if let biasGrad {  // Σ over images and positions, per output channel
    parallelFor(o) { rows in
      for row in rows {
        var total = 0.0
        for b in 0..<n { total += Double(rowSum(outputGrad + (b * o + row) * p, count: p)) }
        biasGrad[row] = Float(total)
      }
    }
  }
  guard inputGrad != nil || weightGrad != nil else { return }
  let columns = UnsafeMutablePointer<Float>.allocate(capacity: plan.columnCount)
  defer { columns.deallocate() }
  let regrouped = UnsafeMutablePointer<Float>.allocate(capacity: plan.chunk > 1 ? plan.regroupCount : 0)
  defer { regrouped.deallocate() }

  plan.forEachChunk { first, images in
    let ld = images * p
    // dy' [O, B·P]: the chunk's output gradient grouped like the forward's GEMM result.
    let dy: UnsafePointer<Float>
    if images == 1 {
      dy = outputGrad + first * o * p
    } else {
      parallelFor(images * o, minimumPerTask: 4) { range in
        for t in range {
          let (b, row) = t.quotientAndRemainder(dividingBy: o)
          (regrouped + row * ld + b * p).update(from: outputGrad + ((first + b) * o + row) * p, count: p)
        }
      }
      dy = UnsafePointer(regrouped)
    }
    if let weightGrad {
      plan.parallelOverChannels(images: images) { b, channels in
        im2col(g, channels: channels, image: input + (first + b) * g.imageSize, columns: columns + b * p, ld: ld)
      }
      sgemm(
        transB: true, m: o, n: k, k: ld, a: dy, lda: ld, b: columns, ldb: ld,
        beta: first == 0 ? 0 : 1, c: weightGrad, ldc: k)
    }
    if let inputGrad {
      sgemm(transA: true, m: k, n: ld, k: o, a: weight, lda: k, b: dy, ldb: ld, c: columns, ldc: ld)
      plan.parallelOverChannels(images: images) { b, channels in
        let image = inputGrad + (first + b) * g.imageSize
        let planeSize = g.height * g.width
        (image + channels.lowerBound * planeSize).update(repeating: 0, count: channels.count * planeSize)
        col2im(g, channels: channels, columns: columns + b * p, ld: ld, image: image)
      }
    }
  }
}

@inline(__always)
private func addConstant(_ value: Float, to row: UnsafeMutablePointer<Float>, count: Int) {
  for i in 0..<count { row[i] += value }
}

@inline(__always)
private func rowSum(_ row: UnsafePointer<Float>, count: Int) -> Float {
  var total: Float = 0
  for i in 0..<count { total += row[i] }
  return total
}
