import FERSystem
// Stride-1, same-padded 2-D convolutions by Winograd's F(m, r) on 8×8 tiles
// (WinogradMatrices.swift), forward and backward, on raw buffers. ConvGEMM.swift
// is the general path; Convolution.swift picks between the two.
//
// Why: a ConvLSTM's 5×5 and 3×3 convolutions carry most of a training step, and
// im2col + sgemm already runs at the core's GEMM speed, so the only way to go faster
// is less arithmetic. F(4, 5) spends 64 multiplications per 4×4 outputs where the
// direct convolution spends 400 (6.25× fewer), F(6, 3) 64 per 6×6 instead of 324.
//
// Layout. In the transform domain channels are the innermost axis, padded to a
// multiple of 8, so every transform handles eight channels at once, one per SIMD lane:
//   packed input  [rows, Wp, C8]   a band of the image, channels last, zero-padded
//                                  by `pad` and up to the tile grid
//   V             [64, tiles, C8]  Bᵀ d B of each 8×8 input tile d, point-major so
//                                  each GEMM reads one contiguous matrix
//   U             [64, C8, O8]     G g Gᵀ of each filter g
//   M             [tiles, 64, O8]  M_ξ = V_ξ · U_ξ for each of the 64 points ξ: a GEMM
//                                  [tiles, C8] · [C8, O8] (rows 64·O8 apart)
//   output tile   Aᵀ M A (m×m), cropped to the image, + bias
// Backward:
//   input grad   the forward of dy with every filter flipped and its channels swapped
//                (stride 1 and same padding make that the exact adjoint), so tiles
//                never add into the same pixel
//   weight grad  dU_ξ = V_ξᵀ · dM_ξ with dM = A dY Aᵀ (the output transform's adjoint),
//                then dW = Gᵀ dU G; one partial dU per task, summed in task order
// Work is cut as in ConvGEMM.swift: a fixed number of tasks (runs of tile rows over
// the whole batch) so results never depend on the thread count, each task in
// chunks of tile rows whose V or M holds about 2¹⁹ floats (2 MB): smaller chunks
// make the GEMMs thinner, larger ones measured no faster (`ferlab-bench conv`).

/// A batch of stride-1, same-padded convolutions cut into Winograd tiles and tasks.
package struct WinogradPlan: Sendable {
  package let batch: Int, channels: Int, outChannels: Int, height: Int, width: Int
  package let matrices: WinogradMatrices
  /// Tiles per image side, and the padded image they cover.
  let tilesY: Int, tilesX: Int, paddedW: Int
  /// Channels rounded up to whole SIMD lanes.
  let c8: Int, o8: Int
  let tasks: Int
  /// Tile rows per chunk.
  let rowsPerChunk: Int

  var pad: Int { matrices.kernel / 2 }
  var m: Int { matrices.outputs }

  package init(
    batch: Int, channels: Int, outChannels: Int, height: Int, width: Int, kernel: Int,
    tasks: Int = 8, chunkBudget: Int = 1 << 19
  ) {
    self.batch = batch
    self.channels = channels
    self.outChannels = outChannels
    self.height = height
    self.width = width
    matrices = WinogradMatrices(kernel: kernel)
    let m = matrices.outputs
    tilesY = (height + m - 1) / m
    tilesX = (width + m - 1) / m
    paddedW = tilesX * m + kernel - 1
    c8 = (channels + 7) / 8 * 8
    o8 = (outChannels + 7) / 8 * 8
    self.tasks = max(1, min(tasks, batch * tilesY))
    rowsPerChunk = max(1, chunkBudget / (tilesX * 64 * max(c8, o8)))
  }

  /// The tiles of `plan`'s convolutions (which `handles` must accept).
  package init(_ plan: ConvPlan) {
    let g = plan.geometry
    self.init(
      batch: plan.batch, channels: g.channels, outChannels: plan.outChannels, height: g.height, width: g.width,
      kernel: g.kernelH)
  }

  /// Whether this path computes a convolution: stride 1, a square 3×3, 5×5 or 7×7
  /// kernel and same padding.
  package static func handles(_ g: ConvGeometry) -> Bool {
    g.stride == 1 && g.kernelH == g.kernelW && [3, 5, 7].contains(g.kernelH)
      && g.padH == g.kernelH / 2 && g.padW == g.kernelW / 2
  }

  /// Whether `.automatic` takes it, for a batch of `batch` images: a 5×5 kernel, at least
  /// 8 input channels (the transform-domain GEMMs' inner dimension; fewer leaves it mostly
  /// padding), tiles that cover the image with at most half again its area, and at least
  /// 128 of them in the batch (with fewer, the 64 GEMMs are too thin to run near the
  /// core's speed, and the filter transform is not amortised). 3×3 kernels stay on GEMM:
  /// F(6, 3) gains 1.3× at best on a ConvLSTM's shapes and loses below 12×12, and its
  /// rounding (about 6e-6 of the output's scale, against 3e-7 for a dot product) is
  /// amplified past float tolerance by the batch norms of the ResNets that use 3×3.
  package static func suits(_ g: ConvGeometry, batch: Int) -> Bool {
    guard handles(g), g.kernelH == 5, g.channels >= 8 else { return false }
    let m = WinogradMatrices.tile - g.kernelH + 1
    let (tilesY, tilesX) = ((g.height + m - 1) / m, (g.width + m - 1) / m)
    return 2 * tilesY * tilesX * m * m <= 3 * g.height * g.width && batch * tilesY * tilesX >= 128
  }

  /// The plan of the input gradient: the same tiles with the channel counts swapped.
  var transposed: WinogradPlan {
    WinogradPlan(
      batch: batch, channels: outChannels, outChannels: channels, height: height, width: width,
      kernel: matrices.kernel, tasks: tasks)
  }

  /// Calls `body(image, tile rows)` for each chunk of task `t`, in order.
  func forEachChunk(ofTask t: Int, _ body: (Int, Range<Int>) -> Void) {
    let total = batch * tilesY
    var row = t * total / tasks
    let end = (t + 1) * total / tasks
    while row < end {
      let (image, top) = (row / tilesY, row % tilesY)
      let count = min(rowsPerChunk, end - row, tilesY - top)
      body(image, top..<(top + count))
      row += count
    }
  }

  /// Calls `body(tile, ty, tx, valid rows, valid columns)` for each tile of the chunk's tile rows:
  /// its index within the chunk, its position, and how much of its m×m output lies inside the image.
  @inline(__always)
  func forEachTile(in rows: Range<Int>, _ body: (Int, Int, Int, Int, Int) -> Void) {
    for (i, ty) in rows.enumerated() {
      for tx in 0..<tilesX {
        body(i * tilesX + tx, ty, tx, min(m, height - ty * m), min(m, width - tx * m))
      }
    }
  }

  func runTasks(_ body: (Int) -> Void) {
    parallelFor(tasks) { range in
      for t in range { body(t) }
    }
  }
}

/// The filters of a convolution in Winograd's domain, U [64, C8, O8] = G g Gᵀ for every filter g.
/// `flipped`: the filters of the input gradient (each rotated by 180°, input and output channels
/// swapped) for the transposed plan.
package final class WinogradFilter: @unchecked Sendable {  // immutable after init
  let values: UnsafeMutablePointer<Float>

  package init(_ plan: WinogradPlan, weight: UnsafePointer<Float>, flipped: Bool) {
    values = filterTransform(flipped ? plan.transposed : plan, weight: weight, flipped: flipped)
  }

  deinit { values.deallocate() }
}

/// y = conv(x, W) + bias for x [N, C, H, W], W [O, C, r, r] (as `filter`), y [N, O, H, W].
/// `output` is fully overwritten.
package func winogradForward(
  _ plan: WinogradPlan, input: UnsafePointer<Float>, filter: WinogradFilter, bias: UnsafePointer<Float>?,
  output: UnsafeMutablePointer<Float>
) {
  winogradForward(plan, input: input, transformedWeight: filter.values, bias: bias, output: output)
}

/// Gradients of `winogradForward` given dy [N, O, H, W]. Each non-nil destination is overwritten:
/// `inputGrad` [N, C, H, W] (which needs the flipped filter), `weightGrad` [O, C, r, r].
/// (The bias gradient is ConvGEMM's.)
package func winogradBackward(
  _ plan: WinogradPlan, input: UnsafePointer<Float>, flippedFilter: WinogradFilter?, outputGrad: UnsafePointer<Float>,
  inputGrad: UnsafeMutablePointer<Float>?, weightGrad: UnsafeMutablePointer<Float>?
) {
  if let inputGrad {
    guard let flippedFilter else { preconditionFailure("winogradBackward: the input gradient needs the flipped filter") }
    winogradForward(
      plan.transposed, input: outputGrad, transformedWeight: flippedFilter.values, bias: nil, output: inputGrad)
  }
  guard let weightGrad else { return }
  let (c8, o8) = (plan.c8, plan.o8)
  let partials = UnsafeMutablePointer<Float>.allocate(capacity: plan.tasks * 64 * c8 * o8)
  defer { partials.deallocate() }
  plan.runTasks { task in
    let buffers = ChunkBuffers(plan)
    defer { buffers.deallocate() }
    let partial = partials + task * 64 * c8 * o8
    partial.update(repeating: 0, count: 64 * c8 * o8)
    plan.forEachChunk(ofTask: task) { image, rows in
      let tiles = rows.count * plan.tilesX
      transformInputTiles(plan, image: input + image * plan.channels * plan.height * plan.width, rows: rows, buffers)
      transformOutputGradTiles(
        plan, grad: outputGrad + image * plan.outChannels * plan.height * plan.width, rows: rows, buffers)
      for xi in 0..<64 {  // dU_ξ [C8, O8] += V_ξᵀ [C8, tiles] · dM_ξ [tiles, O8]
        transformDomainGEMM(
          m: c8, n: o8, k: tiles, a: buffers.v + xi * tiles * c8, aRow: 1, aColumn: c8,
          b: buffers.m + xi * o8, ldb: 64 * o8, c: partial + xi * c8 * o8, ldc: o8, accumulate: true)
      }
    }
  }
  for t in 1..<plan.tasks { addInPlace(partials, partials + t * 64 * c8 * o8, 64 * c8 * o8) }
  filterTransformAdjoint(plan, transformedGrad: partials, weightGrad: weightGrad)
}

// MARK: - The three stages

private func winogradForward(
  _ plan: WinogradPlan, input: UnsafePointer<Float>, transformedWeight u: UnsafePointer<Float>,
  bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
) {
  let (c8, o8) = (plan.c8, plan.o8)
  plan.runTasks { task in
    let buffers = ChunkBuffers(plan)
    defer { buffers.deallocate() }
    plan.forEachChunk(ofTask: task) { image, rows in
      let tiles = rows.count * plan.tilesX
      transformInputTiles(plan, image: input + image * plan.channels * plan.height * plan.width, rows: rows, buffers)
      for xi in 0..<64 {  // M_ξ [tiles, O8] = V_ξ [tiles, C8] · U_ξ [C8, O8]
        transformDomainGEMM(
          m: tiles, n: o8, k: c8, a: buffers.v + xi * tiles * c8, aRow: c8, aColumn: 1,
          b: u + xi * c8 * o8, ldb: o8, c: buffers.m + xi * o8, ldc: 64 * o8, accumulate: false)
      }
      transformOutputTiles(
        plan, image: output + image * plan.outChannels * plan.height * plan.width, rows: rows, bias: bias, buffers)
    }
  }
}

/// One task's working memory: the packed input band, V [64, tiles, C8] (each point's matrix
/// contiguous, cheap for the GEMM to pack) and M [tiles, 64, O8] (each tile's contiguous, for
/// the output transform) of a chunk, and the transforms' scratch.
private struct ChunkBuffers {
  let packed: UnsafeMutablePointer<Float>
  let v: UnsafeMutablePointer<Float>
  let m: UnsafeMutablePointer<Float>
  let scratch: UnsafeMutablePointer<Float>
  /// 16 vectors for transposing between channel-per-lane and row-per-vector layouts.
  let lanes: UnsafeMutablePointer<SIMD8<Float>>
  let transforms: WinogradTileTransforms

  init(_ plan: WinogradPlan) {
    let tiles = plan.rowsPerChunk * plan.tilesX
    packed = .allocate(capacity: (plan.rowsPerChunk * plan.m + plan.matrices.kernel - 1) * plan.paddedW * plan.c8)
    v = .allocate(capacity: tiles * 64 * plan.c8)
    m = .allocate(capacity: tiles * 64 * plan.o8)
    scratch = .allocate(capacity: 2 * 64 * 8)
    lanes = .allocate(capacity: 16)
    transforms = WinogradTileTransforms(plan.matrices)
  }

  func deallocate() {
    packed.deallocate()
    v.deallocate()
    m.deallocate()
    scratch.deallocate()
    lanes.deallocate()
  }
}

/// V of the chunk's tiles: the band of `image` [C, H, W] under tile rows `rows`, packed
/// channels-last with its zero border, then Bᵀ d B of every 8×8 tile d.
private func transformInputTiles(
  _ plan: WinogradPlan, image: UnsafePointer<Float>, rows: Range<Int>, _ buffers: ChunkBuffers
) {
  let (m, pad, c8, wp) = (plan.m, plan.pad, plan.c8, plan.paddedW)
  let (h, w) = (plan.height, plan.width)
  let tiles = rows.count * plan.tilesX
  let bandRows = rows.count * m + plan.matrices.kernel - 1
  let packed = buffers.packed
  packed.update(repeating: 0, count: bandRows * wp * c8)
  let v = buffers.lanes
  for r in 0..<bandRows {
    let y = rows.lowerBound * m + r - pad
    guard y >= 0 && y < h else { continue }
    let row = packed + (r * wp + pad) * c8
    var c = 0
    while c + 8 <= plan.channels {  // 8 channels × 8 positions at a time, transposed
      var x = 0
      while x + 8 <= w {
        for k in 0..<8 { v[k] = load8(image + ((c + k) * h + y) * w + x) }
        transpose8x8(v)
        for k in 0..<8 { store8(v[k], row + (x + k) * c8 + c) }
        x += 8
      }
      for k in 0..<8 {
        for x in x..<w { row[x * c8 + c + k] = image[((c + k) * h + y) * w + x] }
      }
      c += 8
    }
    for c in c..<plan.channels {
      for x in 0..<w { row[x * c8 + c] = image[(c * h + y) * w + x] }
    }
  }
  let t = buffers.scratch  // Bᵀ d, [8, 8] vectors
  buffers.transforms.input.withUnsafeBufferPointer { k in
    let k = k.baseAddress!
    for i in 0..<rows.count {
      for tx in 0..<plan.tilesX {
        let tile = i * plan.tilesX + tx
        for block in stride(from: 0, to: c8, by: 8) {
          let corner = packed + (i * m * wp + tx * m) * c8 + block
          for column in 0..<8 { inputTransform(k, corner + column * c8, wp * c8, t + column * 8, 64) }
          let destination = buffers.v + tile * c8 + block  // point (row, column) at (row·8 + column)·tiles·C8
          for row in 0..<8 { inputTransform(k, t + row * 64, 8, destination + row * 8 * tiles * c8, tiles * c8) }
        }
      }
    }
  }
}

/// y tiles = Aᵀ M A (+ bias) of the chunk's tiles, written into `image` [O, H, W] where they fall inside it.
private func transformOutputTiles(
  _ plan: WinogradPlan, image: UnsafeMutablePointer<Float>, rows: Range<Int>, bias: UnsafePointer<Float>?,
  _ buffers: ChunkBuffers
) {
  let (m, o8, h, w) = (plan.m, plan.o8, plan.height, plan.width)
  // Aᵀ M [m, 8], then the tile [m, m] (in `lanes` when it is 4×4, to be transposed there).
  let (t, v) = (buffers.scratch, buffers.lanes)
  let y = m == 4 ? UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self) : buffers.scratch + 64 * 8
  buffers.transforms.output.withUnsafeBufferPointer { k in
    let k = k.baseAddress!
    plan.forEachTile(in: rows) { tile, ty, tx, validRows, validColumns in
      for block in stride(from: 0, to: plan.outChannels, by: 8) {
        let source = buffers.m + tile * 64 * o8 + block
        for column in 0..<8 { outputTransform(k, m: m, source + column * o8, 8 * o8, t + column * 8, 64) }
        for row in 0..<m { outputTransform(k, m: m, t + row * 64, 8, y + row * m * 8, 8) }
        if m == 4 && validRows == 4 && validColumns == 4 && block + 8 <= plan.outChannels {
          // A whole 4×4 tile of eight channels: transposed to a vector of two rows per channel.
          let offset = bias.map { load8($0 + block) } ?? SIMD8()
          for q in 0..<16 { v[q] += offset }
          transpose8x8(v)
          transpose8x8(v + 8)
          for lane in 0..<8 {
            let destination = image + ((block + lane) * h + ty * 4) * w + tx * 4
            store4(v[lane].lowHalf, destination)
            store4(v[lane].highHalf, destination + w)
            store4(v[8 + lane].lowHalf, destination + 2 * w)
            store4(v[8 + lane].highHalf, destination + 3 * w)
          }
          continue
        }
        for lane in 0..<min(8, plan.outChannels - block) {
          let channel = block + lane
          let offset = bias?[channel] ?? 0
          let destination = image + (channel * h + ty * m) * w + tx * m
          for a in 0..<validRows {
            for b in 0..<validColumns { destination[a * w + b] = y[(a * m + b) * 8 + lane] + offset }
          }
        }
      }
    }
  }
}

/// dM = A dY Aᵀ of the chunk's tiles into `buffers.m`, from `grad` [O, H, W] (zero beyond the
/// image): the adjoint of the output transform.
private func transformOutputGradTiles(
  _ plan: WinogradPlan, grad: UnsafePointer<Float>, rows: Range<Int>, _ buffers: ChunkBuffers
) {
  let (m, o8, h, w) = (plan.m, plan.o8, plan.height, plan.width)
  // The tile [m, m] (in `lanes` when it is 4×4, transposed there), and A dY [8, m].
  let (v, t) = (buffers.lanes, buffers.scratch + 64 * 8)
  let dy = m == 4 ? UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self) : buffers.scratch
  buffers.transforms.output.withUnsafeBufferPointer { k in
    let k = k.baseAddress!
    plan.forEachTile(in: rows) { tile, ty, tx, validRows, validColumns in
      for block in stride(from: 0, to: o8, by: 8) {
        if m == 4 && validRows == 4 && validColumns == 4 && block + 8 <= plan.outChannels {
          for lane in 0..<8 {  // two rows per channel, transposed to one vector per position
            let source = grad + ((block + lane) * h + ty * 4) * w + tx * 4
            v[lane] = SIMD8(lowHalf: load4(source), highHalf: load4(source + w))
            v[8 + lane] = SIMD8(lowHalf: load4(source + 2 * w), highHalf: load4(source + 3 * w))
          }
          transpose8x8(v)
          transpose8x8(v + 8)
        } else {
          dy.update(repeating: 0, count: m * m * 8)
          for lane in 0..<max(0, min(8, plan.outChannels - block)) {
            let source = grad + ((block + lane) * h + ty * m) * w + tx * m
            for a in 0..<validRows {
              for b in 0..<validColumns { dy[(a * m + b) * 8 + lane] = source[a * w + b] }
            }
          }
        }
        for column in 0..<m { outputTransformAdjoint(k, m: m, dy + column * 8, m * 8, t + column * 8, m * 8) }
        let destination = buffers.m + tile * 64 * o8 + block
        for row in 0..<8 { outputTransformAdjoint(k, m: m, t + row * m * 8, 8, destination + row * 8 * o8, o8) }
      }
    }
  }
}

// MARK: - Filters

/// U [64, C8, O8] = G g Gᵀ for every filter g = W[o, c] (or, `flipped`, W[c, o] rotated by 180°,
/// the filters of the input gradient; then the plan is the transposed one). Padding lanes are zero.
private func filterTransform(_ plan: WinogradPlan, weight: UnsafePointer<Float>, flipped: Bool) -> UnsafeMutablePointer<Float> {
  let (c8, o8, r) = (plan.c8, plan.o8, plan.matrices.kernel)
  let taps = r * r
  // The filters channels-last, [C, r·r, O8], so eight output channels load as one vector.
  let lanes = UnsafeMutablePointer<Float>.allocate(capacity: plan.channels * taps * o8)
  defer { lanes.deallocate() }
  lanes.update(repeating: 0, count: plan.channels * taps * o8)
  for o in 0..<plan.outChannels {
    for c in 0..<plan.channels {
      // Forward: W[o, c] as stored [O, C, r, r]. Input grad: the plan's channels are W's outputs.
      let filter = flipped ? weight + (c * plan.outChannels + o) * taps : weight + (o * plan.channels + c) * taps
      for k in 0..<taps { lanes[(c * taps + k) * o8 + o] = filter[flipped ? taps - 1 - k : k] }
    }
  }
  let u = UnsafeMutablePointer<Float>.allocate(capacity: 64 * c8 * o8)
  u.update(repeating: 0, count: 64 * c8 * o8)
  plan.matrices.kernelTransform.withUnsafeBufferPointer { g in
    parallelFor(plan.channels, rangesPerThread: 1) { channels in
      let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 3 * 64)
      defer { scratch.deallocate() }
      let (filter, t, out) = (scratch, scratch + 64, scratch + 128)
      for c in channels {
        for block in stride(from: 0, to: o8, by: 8) {
          for k in 0..<taps { filter[k] = load8(lanes + (c * taps + k) * o8 + block) }
          sandwich(g.baseAddress!, rows: 8, columns: r, filter, into: out, scratch: t)
          for xi in 0..<64 { store8(out[xi], u + (xi * c8 + c) * o8 + block) }
        }
      }
    }
  }
  return u
}

/// dW [O, C, r, r] = Gᵀ dU G from dU [64, C8, O8]: the adjoint of `filterTransform` (unflipped).
private func filterTransformAdjoint(
  _ plan: WinogradPlan, transformedGrad du: UnsafePointer<Float>, weightGrad: UnsafeMutablePointer<Float>
) {
  let (c8, o8, r) = (plan.c8, plan.o8, plan.matrices.kernel)
  let gt = transposed(plan.matrices.kernelTransform, rows: 8, columns: r)  // Gᵀ [r, 8]
  gt.withUnsafeBufferPointer { gt in
    parallelFor(plan.channels, rangesPerThread: 1) { channels in
      let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 3 * 64)
      defer { scratch.deallocate() }
      let (source, t, out) = (scratch, scratch + 64, scratch + 128)
      for c in channels {
        for block in stride(from: 0, to: plan.outChannels, by: 8) {
          for xi in 0..<64 { source[xi] = load8(du + (xi * c8 + c) * o8 + block) }
          sandwich(gt.baseAddress!, rows: r, columns: 8, source, into: out, scratch: t)
          for lane in 0..<min(8, plan.outChannels - block) {
            let filter = weightGrad + ((block + lane) * plan.channels + c) * r * r
            for k in 0..<(r * r) { filter[k] = out[k][lane] }
          }
        }
      }
    }
  }
}

// MARK: - Small helpers

/// out = L · X · Lᵀ for L [p, q] (row-major), X [q, q] and out [p, p], eight lanes at a time.
/// `scratch` holds p·q vectors.
@inline(__always)
private func sandwich(
  _ l: UnsafePointer<Float>, rows p: Int, columns q: Int, _ x: UnsafePointer<SIMD8<Float>>,
  into out: UnsafeMutablePointer<SIMD8<Float>>, scratch t: UnsafeMutablePointer<SIMD8<Float>>
) {
  for i in 0..<p {  // t = L · X  [p, q]
    for j in 0..<q {
      var sum = SIMD8<Float>()
      for k in 0..<q { sum.addProduct(SIMD8(repeating: l[i * q + k]), x[k * q + j]) }
      t[i * q + j] = sum
    }
  }
  for i in 0..<p {  // out = t · Lᵀ  [p, p]
    for j in 0..<p {
      var sum = SIMD8<Float>()
      for k in 0..<q { sum.addProduct(t[i * q + k], SIMD8(repeating: l[j * q + k])) }
      out[i * p + j] = sum
    }
  }
}

private func transposed(_ matrix: [Float], rows: Int, columns: Int) -> [Float] {
  (0..<(rows * columns)).map { k in matrix[(k % rows) * columns + k / rows] }
}
