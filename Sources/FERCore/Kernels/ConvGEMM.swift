import FERSystem
// A batch of 2-D convolutions as GEMMs, forward and backward, on raw buffers
// (nothing here knows about tensors or the tape).
//
// Shapes (K and P as in Im2col.swift):
//   input x [N, C, H, W], weight W [O, K], bias [O], output y [N, O, P].
//
// How the work is split, and why: OpenBLAS's worker threads spin for a while
// after every threaded GEMM and then compete with any other thread for the
// cores, and a GEMM of a convolution-sized tile split over threads pays a
// synchronisation per call. So the batch is cut into a fixed number of tasks
// (runs of whole images) that run on all cores at once, each calling
// single-threaded GEMMs on tiles whose column matrix stays in the core's cache.
// A tile is either B whole images (columns [K, B·P]) or, when one image's
// columns exceed the budget, a band of output rows of one image. Per tile of
// R output columns:
//   forward      y' [O, R] = W · col + bias; a one-image tile writes straight into
//                y[b] (its rows are P apart), a multi-image tile goes through a
//                small staging buffer
//   weight grad  dW_task [O, K] += dy' · colᵀ, one partial per task, summed in
//                task order, so results do not depend on thread count or scheduling
//   input grad   dcol [K, R] = Wᵀ · dy', then col2im → dx (a task owns its images'
//                dx, so no two threads add into the same pixels)
// The columns are rebuilt in the backward pass rather than kept from the
// forward: a ConvLSTM convolves at every time step, and keeping every step's
// columns would cost K/O times the activations' memory.

/// How a batch of convolutions is cut into tasks and GEMM tiles.
package struct ConvPlan: Sendable {
  package let geometry: ConvGeometry
  package let batch: Int, outChannels: Int
  /// Independent runs of whole images (at most `batch`).
  package let tasks: Int
  /// Whole images per tile (1 when tiles are row bands).
  package let imagesPerTile: Int
  /// Output rows per tile (Ho unless one image's columns exceed the budget).
  package let rowsPerTile: Int

  /// Tiles keep their column matrix within `columnBudget` floats (256 KB, a quarter of a core's
  /// L2) where a single output row allows. The default of 8 tasks balances two cores whatever
  /// the batch, and is a constant so the weight gradient's summation order is the same on any machine.
  package init(
    geometry: ConvGeometry, batch: Int, outChannels: Int, columnBudget: Int = 1 << 16, tasks: Int = 8
  ) {
    self.geometry = geometry
    self.batch = batch
    self.outChannels = outChannels
    self.tasks = max(1, min(batch, tasks))
    let perImage = geometry.patch * geometry.positions
    let imagesPerTask = (batch + self.tasks - 1) / self.tasks
    if perImage <= columnBudget {
      // Even tiles: as few per task as the budget allows.
      let tilesPerTask = (imagesPerTask * perImage + columnBudget - 1) / columnBudget
      imagesPerTile = max(1, (imagesPerTask + tilesPerTask - 1) / tilesPerTask)
      rowsPerTile = geometry.outH
    } else {
      let bands = min(geometry.outH, (perImage + columnBudget - 1) / columnBudget)
      imagesPerTile = 1
      rowsPerTile = (geometry.outH + bands - 1) / bands
    }
  }

  /// Columns of the widest tile.
  var tileColumns: Int { imagesPerTile * rowsPerTile * geometry.outW }

  /// The images of task `t` (consecutive, as even as the batch allows).
  func images(ofTask t: Int) -> Range<Int> { (t * batch / tasks)..<((t + 1) * batch / tasks) }

  /// Calls `body(images, output rows)` for each tile of task `t`, in order.
  func forEachTile(ofTask t: Int, _ body: (Range<Int>, Range<Int>) -> Void) {
    let images = self.images(ofTask: t)
    if rowsPerTile < geometry.outH {
      for b in images {
        for top in stride(from: 0, to: geometry.outH, by: rowsPerTile) {
          body(b..<(b + 1), top..<min(top + rowsPerTile, geometry.outH))
        }
      }
    } else {
      for first in stride(from: images.lowerBound, to: images.upperBound, by: imagesPerTile) {
        body(first..<min(first + imagesPerTile, images.upperBound), 0..<geometry.outH)
      }
    }
  }

  /// Runs `body(task)` for every task over the compute threads (each task's GEMMs
  /// run single-threaded on the task's own core); with one compute thread, serially.
  func runTasks(_ body: (Int) -> Void) {
    parallelFor(tasks) { range in
      for t in range { body(t) }
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
  plan.runTasks { task in
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: k * plan.tileColumns)
    defer { columns.deallocate() }
    let staging = UnsafeMutablePointer<Float>.allocate(capacity: plan.imagesPerTile > 1 ? o * plan.tileColumns : 0)
    defer { staging.deallocate() }
    plan.forEachTile(ofTask: task) { images, rows in
      let band = rows.count * g.outW  // columns per image in this tile
      let ld = images.count * band
      for (i, b) in images.enumerated() {
        im2col(g, rows: rows, image: input + b * g.imageSize, columns: columns + i * band, ld: ld)
      }
      if images.count == 1 {
        let y = output + images.lowerBound * o * p + rows.lowerBound * g.outW
        slicedGEMM(m: o, n: band, inner: k, a: weight, lda: k, b: columns, ldb: ld, c: y, ldc: p)
        if let bias { for r in 0..<o { addConstant(bias[r], to: y + r * p, count: band) } }
        return
      }
      slicedGEMM(m: o, n: ld, inner: k, a: weight, lda: k, b: columns, ldb: ld, c: staging, ldc: ld)
      for (i, b) in images.enumerated() {
        for r in 0..<o {
          let y = output + (b * o + r) * p
          y.update(from: staging + r * ld + i * band, count: p)
          if let bias { addConstant(bias[r], to: y, count: p) }
        }
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
  let (k, p, o) = (g.patch, g.positions, plan.outChannels)
  if let biasGrad { convolutionBiasGradient(outputGrad, batch: plan.batch, channels: o, positions: p, into: biasGrad) }
  guard inputGrad != nil || weightGrad != nil else { return }
  // One [O, K] partial weight gradient per task.
  let partials = UnsafeMutablePointer<Float>.allocate(capacity: weightGrad == nil ? 0 : plan.tasks * o * k)
  defer { partials.deallocate() }

  plan.runTasks { task in
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: k * plan.tileColumns)
    defer { columns.deallocate() }
    let staging = UnsafeMutablePointer<Float>.allocate(capacity: plan.imagesPerTile > 1 ? o * plan.tileColumns : 0)
    defer { staging.deallocate() }
    if let inputGrad {
      let images = plan.images(ofTask: task)
      (inputGrad + images.lowerBound * g.imageSize).update(repeating: 0, count: images.count * g.imageSize)
    }
    var firstTile = true
    plan.forEachTile(ofTask: task) { images, rows in
      let band = rows.count * g.outW
      let ld = images.count * band
      // dy' [O, ld]: the tile's output gradient laid out like the forward's GEMM result.
      let dy: UnsafePointer<Float>, ldy: Int
      if images.count == 1 {
        (dy, ldy) = (outputGrad + images.lowerBound * o * p + rows.lowerBound * g.outW, p)
      } else {
        for (i, b) in images.enumerated() {
          for r in 0..<o { (staging + r * ld + i * band).update(from: outputGrad + (b * o + r) * p, count: p) }
        }
        (dy, ldy) = (UnsafePointer(staging), ld)
      }
      if weightGrad != nil {
        for (i, b) in images.enumerated() {
          im2col(g, rows: rows, image: input + b * g.imageSize, columns: columns + i * band, ld: ld)
        }
        slicedGEMM(
          transB: true, m: o, n: k, inner: ld, a: dy, lda: ldy, b: columns, ldb: ld,
          accumulate: !firstTile, c: partials + task * o * k, ldc: k)
      }
      if let inputGrad {
        sgemm(transA: true, m: k, n: ld, k: o, a: weight, lda: k, b: dy, ldb: ldy, c: columns, ldc: ld)
        for (i, b) in images.enumerated() {
          col2im(g, rows: rows, columns: columns + i * band, ld: ld, image: inputGrad + b * g.imageSize)
        }
      }
      firstTile = false
    }
  }

  if let weightGrad {
    weightGrad.update(from: partials, count: o * k)
    for t in 1..<plan.tasks {
      let partial = partials + t * o * k
      for i in 0..<(o * k) { weightGrad[i] += partial[i] }
    }
  }
}

/// biasGrad [O] = Σ over images and positions of dy [N, O, P], per output channel
/// (summed in Double, in a fixed order).
package func convolutionBiasGradient(
  _ outputGrad: UnsafePointer<Float>, batch n: Int, channels o: Int, positions p: Int,
  into biasGrad: UnsafeMutablePointer<Float>
) {
  parallelFor(o, minimumPerTask: max(1, 16_384 / max(n * p, 1))) { rows in
    for r in rows {
      var total = 0.0
      for b in 0..<n { total += Double(rowSum(outputGrad + (b * o + r) * p, count: p)) }
      biasGrad[r] = Float(total)
    }
  }
}

/// C (+)= A·op(B) for row-major A [m, inner] and B [inner, n] (or Bᵀ stored [n, inner]), as
/// single-threaded GEMMs over slices of at most 160 of the inner dimension, accumulating into C.
/// Why: OpenBLAS (Zen, with its Haswell kernels) runs single-threaded GEMMs whose inner
/// dimension it keeps in one block — roughly 192 to 320 — at about a third of the speed of
/// ones with an inner dimension of 160, and so did the 288-deep forward GEMM of a 32-channel
/// 3×3 convolution. The slices cost one more pass over C, which is a few kilobytes per tile.
private func slicedGEMM(
  transB: Bool = false, m: Int, n: Int, inner: Int, a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int, accumulate: Bool = false, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let slices = (inner + 159) / 160
  for slice in 0..<slices {
    let (start, end) = (slice * inner / slices, (slice + 1) * inner / slices)
    // Slice of A: columns start..<end. Slice of B: rows start..<end, or columns when transposed.
    sgemm(
      transB: transB, m: m, n: n, k: end - start, a: a + start, lda: lda,
      b: b + (transB ? start : start * ldb), ldb: ldb,
      beta: accumulate || slice > 0 ? 1 : 0, c: c, ldc: ldc)
  }
}

@inline(__always)
private func addConstant(_ value: Float, to row: UnsafeMutablePointer<Float>, count: Int) {
  for i in 0..<count { row[i] += value }
}

/// Σ row[i], sixteen partial sums side by side (a single running sum waits out an addition's
/// latency at every value: the bias gradients of the batched input convolutions took 2 % of a
/// training step). The order is fixed by `count` alone.
@inline(__always)
private func rowSum(_ row: UnsafePointer<Float>, count: Int) -> Float {
  var lanes = SIMD16<Float>(repeating: 0)
  let raw = UnsafeRawPointer(row)
  var i = 0
  while i + 16 <= count {
    lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
    i += 16
  }
  var total = lanes.sum()
  while i < count {
    total += row[i]
    i += 1
  }
  return total
}
