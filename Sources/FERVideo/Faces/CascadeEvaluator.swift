// The inner loop of detection: run the cascade on every window of a band of
// rows of one scale. Arithmetic follows OpenCV's so decisions agree to the bit:
// rect sums in 32-bit integers, the weighted feature sum and its normalisation
// in float, stage sums of leaf values in double; a node goes left when
// value < threshold, a stage fails when its sum < threshold.
//
// The cascade is flattened once into raw buffers owned by this object, so the
// hot loop reads memory without reference counting or bounds checks.

/// The cascade flattened for scanning (the scale-independent parts).
final class CascadeEvaluator: @unchecked Sendable {
  /// One split node: feature index, children (> 0 node, ≤ 0 leaf −index), threshold.
  struct PackedNode {
    var feature: Int32
    var left: Int32
    var right: Int32
    var threshold: Float
  }

  /// Per stage: number of trees and threshold.
  private let stageTrees: UnsafeMutableBufferPointer<Int32>
  private let stageThresholds: UnsafeMutableBufferPointer<Double>
  /// Per tree, in stage order: its number of nodes.
  private let treeNodeCounts: UnsafeMutableBufferPointer<Int32>
  private let nodes: UnsafeMutableBufferPointer<PackedNode>
  private let leaves: UnsafeMutableBufferPointer<Double>
  /// Three rect weights per feature (0 for an absent third rect).
  private let weights: UnsafeMutableBufferPointer<Float>
  /// Inner-window area: (window − 2)².
  private let innerArea: Double
  /// Every tree is a single split (most cascades): the faster loop applies.
  private let stumpsOnly: Bool

  init(_ cascade: HaarCascade) {
    func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
      let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
      _ = b.initialize(from: values)
      return b
    }
    stageTrees = buffer(cascade.stages.map { Int32($0.treeCount) })
    stageThresholds = buffer(cascade.stages.map { Double($0.threshold) })
    treeNodeCounts = buffer(cascade.treeNodeCounts.map { Int32($0) })
    nodes = buffer(
      cascade.nodes.map {
        PackedNode(feature: Int32($0.feature), left: Int32($0.left), right: Int32($0.right), threshold: $0.threshold)
      })
    leaves = buffer(cascade.leaves.map { Double($0) })
    var w = [Float](repeating: 0, count: 3 * cascade.features.count)
    for (f, feature) in cascade.features.enumerated() {
      for (k, r) in feature.rects.enumerated() { w[3 * f + k] = r.weight }
    }
    weights = buffer(w)
    innerArea = Double((cascade.windowWidth - 2) * (cascade.windowHeight - 2))
    stumpsOnly = cascade.treeNodeCounts.allSatisfy { $0 == 1 }
  }

  deinit {
    stageTrees.deallocate()
    stageThresholds.deallocate()
    treeNodeCounts.deallocate()
    nodes.deallocate()
    leaves.deallocate()
    weights.deallocate()
  }

  /// Hits in rows `rows` and columns `columns` (both starting at a multiple of the
  /// level's step) of one scale, in original-image pixels.
  func scan(_ level: ScaleLevel, rows: Range<Int>, columns: Range<Int>) -> [PixelRect] {
    var hits: [PixelRect] = []
    let step = level.step, stride = level.tables.stride
    level.tables.sums.withUnsafeBufferPointer { sums in
      level.tables.squares.withUnsafeBufferPointer { squares in
        level.featureOffsets.withUnsafeBufferPointer { offsets in
          let window = Window(
            sums: sums.baseAddress!, squares: squares.baseAddress!, offsets: offsets.baseAddress!,
            inner: level.innerOffsets)
          for y in Swift.stride(from: rows.lowerBound, to: rows.upperBound, by: step) {
            var x = columns.lowerBound
            while x < columns.upperBound {
              let result = classify(window, at: y * stride + x)
              if result > 0 {
                hits.append(
                  PixelRect(x: level.inImage(x), y: level.inImage(y), width: level.windowWidth, height: level.windowHeight))
              }
              // Rejected by the first stage: OpenCV skips the next position too.
              x += result == 0 ? 2 * step : step
            }
          }
        }
      }
    }
    return hits
  }

  /// Raw views of one level's tables for the duration of a scan.
  struct Window {
    let sums: UnsafePointer<Int32>
    let squares: UnsafePointer<Int32>
    let offsets: UnsafePointer<Int32>
    let inner: (Int, Int, Int, Int)
  }

  /// OpenCV's verdict on the window whose table corner is `corner`: 1 if every
  /// stage passes, −k if stage k fails (0: the first), −1 if the window is too
  /// flat to normalise.
  @inline(__always)
  private func classify(_ t: Window, at corner: Int) -> Int {
    let s = t.sums + corner, q = t.squares + corner
    let (i0, i1, i2, i3) = t.inner
    let sum = s[i0] &- s[i1] &- s[i2] &+ s[i3]
    let squareSum = UInt32(bitPattern: q[i0] &- q[i1] &- q[i2] &+ q[i3])
    let spread = innerArea * Double(squareSum) - Double(sum) * Double(sum)
    guard spread > 0 else { return -1 }
    let norm = Float(1 / spread.squareRoot())
    // σ ≤ 10 grey levels: OpenCV gives up on the window.
    guard innerArea * Double(norm) < 0.1 else { return -1 }

    if stumpsOnly {
      // A stump's leaves are 2·node (below the threshold) and 2·node + 1, as
      // OpenCV's predictOrderedStump reads them.
      var node = 0
      for stage in 0..<stageTrees.count {
        var total = 0.0
        let end = node + Int(stageTrees[stage])
        while node < end {
          let n = nodes[node]
          let value = featureValue(Int(n.feature), s, t.offsets) * norm
          total += leaves[2 * node + (value < n.threshold ? 0 : 1)]
          node += 1
        }
        if total < stageThresholds[stage] { return -stage }
      }
      return 1
    }
    var tree = 0, node = 0, leaf = 0
    for stage in 0..<stageTrees.count {
      var total = 0.0
      for _ in 0..<Int(stageTrees[stage]) {
        var index = 0
        repeat {
          let n = nodes[node + index]
          let value = featureValue(Int(n.feature), s, t.offsets) * norm
          index = Int(value < n.threshold ? n.left : n.right)
        } while index > 0
        total += leaves[leaf - index]
        let count = Int(treeNodeCounts[tree])
        node += count
        leaf += count + 1
        tree += 1
      }
      if total < stageThresholds[stage] { return -stage }
    }
    return 1
  }

  /// Σ weight · rect sum of one feature at a window (`s` points at its corner), in float as OpenCV.
  @inline(__always)
  private func featureValue(_ feature: Int, _ s: UnsafePointer<Int32>, _ offsets: UnsafePointer<Int32>) -> Float {
    let o = offsets + 12 * feature, w = weights.baseAddress! + 3 * feature
    let r0 = s[Int(o[0])] &- s[Int(o[1])] &- s[Int(o[2])] &+ s[Int(o[3])]
    let r1 = s[Int(o[4])] &- s[Int(o[5])] &- s[Int(o[6])] &+ s[Int(o[7])]
    var value = w[0] * Float(r0) + w[1] * Float(r1)
    if w[2] != 0 {
      let r2 = s[Int(o[8])] &- s[Int(o[9])] &- s[Int(o[10])] &+ s[Int(o[11])]
      value += w[2] * Float(r2)
    }
    return value
  }
}
