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
//   V             [64, b, C8]      Bᵀ d B of each 8×8 input tile d of a block of b
//                                  tiles, point-major so each product reads one
//                                  contiguous matrix
//   U             [64, C8, O8]     G g Gᵀ of each filter g
//   M             [b, 64, O8]      M_ξ = V_ξ · U_ξ for each of the 64 points ξ: a product
//                                  [b, C8] · [C8, O8] (rows 64·O8 apart)
//   output tile   Aᵀ M A (m×m), cropped to the image, + bias
// Backward:
//   input grad   the forward of dy with every filter flipped and its channels swapped
//                (stride 1 and same padding make that the exact adjoint), so tiles
//                never add into the same pixel
//   weight grad  dUᵀ_ξ [O8, C8] += dM_ξᵀ · V_ξ with dM = A dY Aᵀ [64, b, O8] (the output
//                transform's adjoint), then dW = Gᵀ dU G; one partial dU per task, summed
//                in task order (WinogradWeightGradient, which also sums the steps of a
//                recurrence before transforming back once)
// Work is cut into a fixed number of tasks (runs of tile rows over the whole batch)
// so results never depend on the thread count. A task packs chunks of tile rows and
// works through them in blocks of tiles small enough that a block's V and M stay in
// the core's caches between the transforms and the products (six tiles, a product's
// row block, measured fastest on the stream's shapes: larger blocks spill the
// transforms' scattered stores out of L1).

/// A batch of stride-1, same-padded convolutions cut into Winograd tiles and tasks.
package struct WinogradPlan: Sendable, Equatable {
  package let batch: Int, channels: Int, outChannels: Int, height: Int, width: Int
  package let matrices: WinogradMatrices
  /// Tiles per image side, and the padded image they cover.
  let tilesY: Int, tilesX: Int, paddedW: Int
  /// Channels rounded up to whole SIMD lanes.
  let c8: Int, o8: Int
  let tasks: Int
  /// Tile rows per packed chunk.
  let rowsPerChunk: Int
  /// Tiles per block of the forward's products and of the weight gradient's.
  let forwardBlock: Int, gradientBlock: Int

  var pad: Int { matrices.kernel / 2 }
  var m: Int { matrices.outputs }

  package init(
    batch: Int, channels: Int, outChannels: Int, height: Int, width: Int, kernel: Int,
    tasks: Int = 8, chunkBudget: Int = 1 << 17, blockBudget: Int = 1 << 15
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
    // A packed band holds about `chunkBudget` floats; a block's working set (V and M, or V and dM)
    // about `blockBudget` floats, in multiples of six tiles (the products' row blocks).
    rowsPerChunk = max(1, chunkBudget / (m * paddedW * c8))
    forwardBlock = max(6, blockBudget / (64 * (c8 + o8)) / 6 * 6)
    gradientBlock = max(6, blockBudget / (64 * (c8 + o8)) / 6 * 6)
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

  /// Whether `.automatic` takes it, for a batch of `batch` images: a 5×5 kernel (3×3 too with
  /// `allowing3x3`, for `.automaticWithWinograd3x3`), at least 8 input channels (the
  /// transform-domain products' inner dimension; fewer leaves it mostly padding), tiles that
  /// cover the image with at most half again its area, and at least 128 of them in the batch
  /// (with fewer, the 64 products are too thin to run near the core's speed, and the filter
  /// transform is not amortised). 3×3 kernels stay on GEMM otherwise: F(6, 3)'s rounding
  /// (about 6e-6 of the output's scale, against 3e-7 for a dot product) is amplified past
  /// float tolerance by the batch norms of the ResNets that use 3×3.
  package static func suits(_ g: ConvGeometry, batch: Int, allowing3x3: Bool = false) -> Bool {
    guard handles(g), g.kernelH == 5 || (allowing3x3 && g.kernelH == 3), g.channels >= 8 else { return false }
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

  /// Tasks of the weight gradient: at most 4, each with a partial sum of 64·C8·O8 values
  /// (4 MB for a 32 → 128 convolution), two per thread on two cores.
  var gradientTasks: Int { min(tasks, 4) }

  /// Calls `body(image, tile rows)` for each chunk of task `t` of `count` (default: `tasks`), in order.
  func forEachChunk(ofTask t: Int, of count: Int? = nil, _ body: (Int, Range<Int>) -> Void) {
    let tasks = count ?? self.tasks
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

  func runTasks(_ count: Int? = nil, _ body: (Int) -> Void) {
    parallelFor(count ?? tasks) { range in
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
    winogradInputGradient(plan, flippedFilter: flippedFilter, outputGrad: outputGrad, inputGrad: inputGrad)
  }
  guard let weightGrad else { return }
  let sum = WinogradWeightGradient(plan)
  sum.add(input: input, outputGrad: outputGrad)
  sum.result(into: weightGrad)
}

/// dx = the forward of dy through the flipped filters (`inputGrad` is overwritten).
package func winogradInputGradient(
  _ plan: WinogradPlan, flippedFilter: WinogradFilter, outputGrad: UnsafePointer<Float>,
  inputGrad: UnsafeMutablePointer<Float>
) {
  winogradForward(plan.transposed, input: outputGrad, transformedWeight: flippedFilter.values, bias: nil, output: inputGrad)
}

/// The weight gradient of one or more convolutions of the same plan (the same weight applied at
/// the steps of a recurrence), summed in Winograd's domain: each `add` puts Σ V_ξᵀ dM_ξ of one
/// call into its task's partial sum, and `result` adds the partials in task order and transforms
/// the sum back once. The bits depend on the calls and their order only, never on the threads.
package final class WinogradWeightGradient: @unchecked Sendable {  // used by one backward pass at a time
  package let plan: WinogradPlan
  /// One dUᵀ [64, O8, C8] per task.
  private let partials: UnsafeMutablePointer<Float>
  private var partialSize: Int { 64 * plan.o8 * plan.c8 }

  package init(_ plan: WinogradPlan) {
    self.plan = plan
    partials = .allocate(capacity: plan.gradientTasks * 64 * plan.o8 * plan.c8)
    partials.initialize(repeating: 0, count: plan.gradientTasks * 64 * plan.o8 * plan.c8)
  }

  deinit { partials.deallocate() }

  /// Adds the weight gradient of the convolution of `input` [N, C, H, W] given `outputGrad` [N, O, H, W].
  package func add(input: UnsafePointer<Float>, outputGrad: UnsafePointer<Float>) {
    let plan = self.plan
    let (c8, o8) = (plan.c8, plan.o8)
    plan.runTasks(plan.gradientTasks) { task in
      let buffers = TileBuffers(plan, block: plan.gradientBlock, transformed: o8)
      defer { buffers.deallocate() }
      let partial = partials + task * partialSize
      plan.forEachChunk(ofTask: task, of: plan.gradientTasks) { image, rows in
        packBand(plan, image: input + image * plan.channels * plan.height * plan.width, rows: rows, into: buffers.packed)
        let tiles = rows.count * plan.tilesX
        for first in stride(from: 0, to: tiles, by: plan.gradientBlock) {
          let count = min(plan.gradientBlock, tiles - first)
          transformInputTiles(plan, buffers, first: first, count: count)
          transformOutputGradTiles(
            plan, grad: outputGrad + image * plan.outChannels * plan.height * plan.width, rows: rows, buffers,
            first: first, count: count)
          for xi in 0..<64 {  // dUᵀ_ξ [O8, C8] += dM_ξᵀ [O8, count] · V_ξ [count, C8]
            transformDomainGEMM(
              m: o8, n: c8, k: count, a: buffers.m + xi * count * o8, aRow: 1, aColumn: o8,
              b: buffers.v + xi * count * c8, ldb: c8, c: partial + xi * o8 * c8, ldc: c8, accumulate: true)
          }
        }
      }
    }
  }

  /// dW [O, C, r, r] of everything added (overwritten).
  package func result(into weightGrad: UnsafeMutablePointer<Float>) {
    for t in 1..<plan.gradientTasks { addInPlace(partials, partials + t * partialSize, partialSize) }
    filterTransformAdjoint(plan, transformedGrad: partials, weightGrad: weightGrad)
  }
}

// MARK: - The three stages

private func winogradForward(
  _ plan: WinogradPlan, input: UnsafePointer<Float>, transformedWeight u: UnsafePointer<Float>,
  bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
) {
  let (c8, o8) = (plan.c8, plan.o8)
  plan.runTasks { task in
    let buffers = TileBuffers(plan, block: plan.forwardBlock, transformed: o8)
    defer { buffers.deallocate() }
    plan.forEachChunk(ofTask: task) { image, rows in
      packBand(plan, image: input + image * plan.channels * plan.height * plan.width, rows: rows, into: buffers.packed)
      let tiles = rows.count * plan.tilesX
      for first in stride(from: 0, to: tiles, by: plan.forwardBlock) {
        let count = min(plan.forwardBlock, tiles - first)
        transformInputTiles(plan, buffers, first: first, count: count)
        for xi in 0..<64 {  // M_ξ [count, O8] = V_ξ [count, C8] · U_ξ [C8, O8]
          transformDomainGEMM(
            m: count, n: o8, k: c8, a: buffers.v + xi * count * c8, aRow: c8, aColumn: 1,
            b: u + xi * c8 * o8, ldb: o8, c: buffers.m + xi * o8, ldc: 64 * o8, accumulate: false)
        }
        transformOutputTiles(
          plan, image: output + image * plan.outChannels * plan.height * plan.width, rows: rows, bias: bias, buffers,
          first: first, count: count)
      }
    }
  }
}

/// One task's working memory: the packed input band of a chunk, V [64, b, C8] and M (forward:
/// [b, 64, O8]; weight gradient: dM [64, b, O8]) of a block of b tiles, and the transforms' scratch.
private struct TileBuffers {
  let packed: UnsafeMutablePointer<Float>
  let v: UnsafeMutablePointer<Float>
  let m: UnsafeMutablePointer<Float>
  let scratch: UnsafeMutablePointer<Float>
  /// 16 vectors for transposing between channel-per-lane and row-per-vector layouts.
  let lanes: UnsafeMutablePointer<SIMD8<Float>>

  init(_ plan: WinogradPlan, block: Int, transformed: Int) {
    packed = .allocate(capacity: (plan.rowsPerChunk * plan.m + plan.matrices.kernel - 1) * plan.paddedW * plan.c8)
    v = .allocate(capacity: block * 64 * plan.c8)
    m = .allocate(capacity: block * 64 * transformed)
    scratch = .allocate(capacity: 2 * 64 * 8)
    lanes = .allocate(capacity: 16)
  }

  func deallocate() {
    packed.deallocate()
    v.deallocate()
    m.deallocate()
    scratch.deallocate()
    lanes.deallocate()
  }
}

/// The band of `image` [C, H, W] under tile rows `rows`, channels-last with its zero border.
private func packBand(
  _ plan: WinogradPlan, image: UnsafePointer<Float>, rows: Range<Int>, into packed: UnsafeMutablePointer<Float>
) {
  let (m, pad, c8, wp) = (plan.m, plan.pad, plan.c8, plan.paddedW)
  let (h, w) = (plan.height, plan.width)
  let bandRows = rows.count * m + plan.matrices.kernel - 1
  let v = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 8)
  defer { v.deallocate() }
  for r in 0..<bandRows {
    let y = rows.lowerBound * m + r - pad
    let row = packed + r * wp * c8
    guard y >= 0 && y < h else {
      row.update(repeating: 0, count: wp * c8)
      continue
    }
    row.update(repeating: 0, count: pad * c8)
    (row + (pad + w) * c8).update(repeating: 0, count: (wp - pad - w) * c8)
    let inside = row + pad * c8
    var c = 0
    while c + 8 <= plan.channels {  // 8 channels × 8 positions at a time, transposed
      var x = 0
      while x + 8 <= w {
        for k in 0..<8 { v[k] = load8(image + ((c + k) * h + y) * w + x) }
        transpose8x8(v)
        for k in 0..<8 { store8(v[k], inside + (x + k) * c8 + c) }
        x += 8
      }
      for k in 0..<8 {
        for x in x..<w { inside[x * c8 + c + k] = image[((c + k) * h + y) * w + x] }
      }
      c += 8
    }
    if c < c8 {
      for x in 0..<w {
        let position = inside + x * c8
        for channel in c..<plan.channels { position[channel] = image[(channel * h + y) * w + x] }
        for channel in plan.channels..<c8 { position[channel] = 0 }
      }
    }
  }
}

/// V [64, count, C8] of tiles `first ..< first + count` of the packed chunk (tile i·tilesX + tx is
/// row i of the chunk, column tx): Bᵀ d B of every 8×8 tile d.
private func transformInputTiles(_ plan: WinogradPlan, _ buffers: TileBuffers, first: Int, count: Int) {
  let (m, c8, wp) = (plan.m, plan.c8, plan.paddedW)
  let t = buffers.scratch  // Bᵀ d, [8, 8] vectors
  for tile in first..<(first + count) {
    let (i, tx) = (tile / plan.tilesX, tile % plan.tilesX)
    for block in stride(from: 0, to: c8, by: 8) {
      let corner = buffers.packed + (i * m * wp + tx * m) * c8 + block
      for column in 0..<8 { inputTransform(corner + column * c8, wp * c8, t + column * 8, 64) }
      let destination = buffers.v + (tile - first) * c8 + block  // point (row, column) at (row·8 + column)·count·C8
      for row in 0..<8 { inputTransform(t + row * 64, 8, destination + row * 8 * count * c8, count * c8) }
    }
  }
}

/// y tiles = Aᵀ M A (+ bias) of tiles `first ..< first + count` of the chunk, written into
/// `image` [O, H, W] where they fall inside it.
private func transformOutputTiles(
  _ plan: WinogradPlan, image: UnsafeMutablePointer<Float>, rows: Range<Int>, bias: UnsafePointer<Float>?,
  _ buffers: TileBuffers, first: Int, count: Int
) {
  let (m, o8, h, w) = (plan.m, plan.o8, plan.height, plan.width)
  // Aᵀ M [m, 8], then the tile [m, m] (in `lanes` when it is 4×4, to be transposed there).
  let (t, v) = (buffers.scratch, buffers.lanes)
  let y = m == 4 ? UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self) : buffers.scratch + 64 * 8
  // Channel blocks outside, tiles inside: consecutive tiles complete the same output lines.
  for block in stride(from: 0, to: plan.outChannels, by: 8) {
    for tile in first..<(first + count) {
      let (ty, tx) = (rows.lowerBound + tile / plan.tilesX, tile % plan.tilesX)
      let (validRows, validColumns) = (min(m, h - ty * m), min(m, w - tx * m))
      let source = buffers.m + (tile - first) * 64 * o8 + block
      for column in 0..<8 { outputTransform(m: m, source + column * o8, 8 * o8, t + column * 8, 64) }
      for row in 0..<m { outputTransform(m: m, t + row * 64, 8, y + row * m * 8, 8) }
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

/// dM = A dY Aᵀ [64, count, O8] of tiles `first ..< first + count` of the chunk into `buffers.m`,
/// from `grad` [O, H, W] (zero beyond the image): the adjoint of the output transform.
private func transformOutputGradTiles(
  _ plan: WinogradPlan, grad: UnsafePointer<Float>, rows: Range<Int>, _ buffers: TileBuffers, first: Int, count: Int
) {
  let (m, o8, h, w) = (plan.m, plan.o8, plan.height, plan.width)
  // The tile [m, m] (in `lanes` when it is 4×4, transposed there), and A dY [8, m].
  let (v, t) = (buffers.lanes, buffers.scratch + 64 * 8)
  let dy = m == 4 ? UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self) : buffers.scratch
  for tile in first..<(first + count) {
    let (ty, tx) = (rows.lowerBound + tile / plan.tilesX, tile % plan.tilesX)
    let (validRows, validColumns) = (min(m, h - ty * m), min(m, w - tx * m))
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
      for column in 0..<m { outputTransformAdjoint(m: m, dy + column * 8, m * 8, t + column * 8, m * 8) }
      let destination = buffers.m + (tile - first) * o8 + block  // point ξ at ξ·count·O8
      for row in 0..<8 {
        outputTransformAdjoint(m: m, t + row * m * 8, 8, destination + row * 8 * count * o8, count * o8)
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
  plan.matrices.kernelTransformExact.withUnsafeBufferPointer { g in
    parallelFor(plan.channels, rangesPerThread: 1) { channels in
      let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 2 * 64)
      let t = UnsafeMutablePointer<SIMD8<Double>>.allocate(capacity: 64)
      defer {
        scratch.deallocate()
        t.deallocate()
      }
      let (filter, out) = (scratch, scratch + 64)
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

/// dW [O, C, r, r] = Gᵀ dU G from dUᵀ [64, O8, C8]: the adjoint of `filterTransform` (unflipped).
private func filterTransformAdjoint(
  _ plan: WinogradPlan, transformedGrad du: UnsafePointer<Float>, weightGrad: UnsafeMutablePointer<Float>
) {
  let (c8, o8, r) = (plan.c8, plan.o8, plan.matrices.kernel)
  let gt = transposed(plan.matrices.kernelTransformExact, rows: 8, columns: r)  // Gᵀ [r, 8]
  gt.withUnsafeBufferPointer { gt in
    parallelFor(plan.outChannels, rangesPerThread: 1) { outputs in
      let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 2 * 64)
      let t = UnsafeMutablePointer<SIMD8<Double>>.allocate(capacity: 64)
      defer {
        scratch.deallocate()
        t.deallocate()
      }
      let (source, out) = (scratch, scratch + 64)
      for o in outputs {
        for block in stride(from: 0, to: plan.channels, by: 8) {
          for xi in 0..<64 { source[xi] = load8(du + (xi * o8 + o) * c8 + block) }
          sandwich(gt.baseAddress!, rows: r, columns: 8, source, into: out, scratch: t)
          for lane in 0..<min(8, plan.channels - block) {
            let filter = weightGrad + (o * plan.channels + block + lane) * r * r
            for k in 0..<(r * r) { filter[k] = out[k][lane] }
          }
        }
      }
    }
  }
}

// MARK: - Small helpers

/// out = L · X · Lᵀ for L [p, q] (row-major), X [q, q] and out [p, p], eight lanes at a time,
/// computed in Double and rounded once: the filters' transforms (coefficients such as 1/90 and
/// 32/45) run once per weight update, and rounding them once keeps Winograd's own error to its
/// tile transforms. `scratch` holds p·q vectors.
@inline(__always)
private func sandwich(
  _ l: UnsafePointer<Double>, rows p: Int, columns q: Int, _ x: UnsafePointer<SIMD8<Float>>,
  into out: UnsafeMutablePointer<SIMD8<Float>>, scratch t: UnsafeMutablePointer<SIMD8<Double>>
) {
  for i in 0..<p {  // t = L · X  [p, q]
    for j in 0..<q {
      var sum = SIMD8<Double>()
      for k in 0..<q { sum += l[i * q + k] * SIMD8<Double>(x[k * q + j]) }
      t[i * q + j] = sum
    }
  }
  for i in 0..<p {  // out = t · Lᵀ  [p, p]
    for j in 0..<p {
      var sum = SIMD8<Double>()
      for k in 0..<q { sum += t[i * q + k] * l[j * q + k] }
      out[i * p + j] = SIMD8<Float>(sum)
    }
  }
}

private func transposed(_ matrix: [Double], rows: Int, columns: Int) -> [Double] {
  (0..<(rows * columns)).map { k in matrix[(k % rows) * columns + k / rows] }
}
