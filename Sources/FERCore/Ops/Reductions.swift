// sum and mean, over all elements or over chosen axes.

extension Tensor {
  /// Sum of all elements, as a scalar. Accumulated in Double so long sums keep precision.
  public func sum() -> Tensor {
    var total = 0.0
    data.withUnsafeBufferPointer { x in for v in x { total += Double(v) } }
    let input = self
    return Tensor(shape: [], data: [Float(total)], op: "sum", inputs: [self]) { g in
      input.accumulateGrad([Float](repeating: g[0], count: input.count))
    }
  }

  /// Mean of all elements, as a scalar.
  public func mean() -> Tensor {
    precondition(count > 0, "mean(): tensor of shape \(shape) is empty")
    return sum() * (1 / Float(count))
  }

  /// Sum over the given axes. With `keepingDims` the reduced axes stay with size 1.
  public func sum(axes: [Int], keepingDims: Bool = false) -> Tensor {
    let axes = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
    precondition(axes.allSatisfy { (0..<rank).contains($0) }, "sum(axes:): axes out of range for shape \(shape)")
    let kept = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    // The kept-dims shape broadcasts against self, so the same walk serves both directions.
    guard let plan = Broadcast(shape, kept) else { preconditionFailure("sum(axes:): internal shape error") }
    var out = [Float](repeating: 0, count: elementCount(kept))
    out.withUnsafeMutableBufferPointer { o in
      data.withUnsafeBufferPointer { x in
        plan.forEach { _, i, j in o[j] += x[i] }
      }
    }
    let resultShape = keepingDims ? kept : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    let input = self
    return Tensor(shape: resultShape, data: out, op: "sum(axes)", inputs: [self]) { g in
      var gx = [Float](repeating: 0, count: input.count)
      gx.withUnsafeMutableBufferPointer { r in
        plan.forEach { _, i, j in r[i] = g[j] }
      }
      input.accumulateGrad(gx)
    }
  }

  /// Mean over the given axes.
  public func mean(axes: [Int], keepingDims: Bool = false) -> Tensor {
    let axes = axes.map { $0 < 0 ? $0 + rank : $0 }
    let n = Set(axes).reduce(1) { $0 * shape[$1] }
    return sum(axes: axes, keepingDims: keepingDims) * (1 / Float(n))
  }
}
