// NumPy-style broadcasting of two shapes, and the index walk both the forward
// (gather) and backward (scatter-add over broadcast axes) of binary ops share.

/// How two operand shapes broadcast to one result shape.
package struct Broadcast {
  package let shape: [Int]
  /// Per-result-axis strides of each operand (0 along axes it is broadcast on).
  package let lhsStrides: [Int]
  package let rhsStrides: [Int]

  /// Aligns trailing axes; sizes must match or be 1. Returns nil when they cannot broadcast.
  package init?(_ lhs: [Int], _ rhs: [Int]) {
    let rank = max(lhs.count, rhs.count)
    let l = [Int](repeating: 1, count: rank - lhs.count) + lhs
    let r = [Int](repeating: 1, count: rank - rhs.count) + rhs
    var shape = [Int](repeating: 0, count: rank)
    for axis in 0..<rank {
      guard l[axis] == r[axis] || l[axis] == 1 || r[axis] == 1 else { return nil }
      shape[axis] = l[axis] == 1 ? r[axis] : l[axis]
    }
    self.shape = shape
    let ls = contiguousStrides(l), rs = contiguousStrides(r)
    lhsStrides = (0..<rank).map { l[$0] == 1 && shape[$0] != 1 ? 0 : ls[$0] }
    rhsStrides = (0..<rank).map { r[$0] == 1 && shape[$0] != 1 ? 0 : rs[$0] }
  }

  /// Calls `body(resultIndex, lhsIndex, rhsIndex)` for every result element, in order.
  @inline(__always)
  package func forEach(_ body: (Int, Int, Int) -> Void) {
    let rank = shape.count
    let total = elementCount(shape)
    if rank == 0 { if total == 1 { body(0, 0, 0) }; return }
    let inner = shape[rank - 1], li = lhsStrides[rank - 1], ri = rhsStrides[rank - 1]
    var counter = [Int](repeating: 0, count: rank)
    var lBase = 0, rBase = 0, out = 0
    while out < total {
      for k in 0..<inner { body(out + k, lBase + k * li, rBase + k * ri) }
      out += inner
      // Advance the odometer over the outer axes.
      var axis = rank - 2
      while axis >= 0 {
        counter[axis] += 1
        lBase += lhsStrides[axis]; rBase += rhsStrides[axis]
        if counter[axis] < shape[axis] { break }
        lBase -= lhsStrides[axis] * shape[axis]; rBase -= rhsStrides[axis] * shape[axis]
        counter[axis] = 0
        axis -= 1
      }
    }
  }
}
