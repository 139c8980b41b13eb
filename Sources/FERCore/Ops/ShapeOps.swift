// reshape, flatten, slicing, concatenation and stacking. Slicing and
// concatenation work on any axis (the models use the channel and time axes);
// a tensor of shape [outer, axis, inner] is copied as `outer` blocks of
// `axis·inner` contiguous values, so these are memcpy-speed.

extension Tensor {
  /// The same values under a new shape; one dimension may be -1 (inferred).
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let hole = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != hole }.reduce(1) { $0 * $1.element }
      precondition(known > 0 && count % known == 0, "reshaped: cannot infer -1 in \(newShape) for \(count) values")
      resolved[hole] = count / known
    }
    precondition(
      elementCount(resolved) == count, "reshaped: \(shape) has \(count) values, \(newShape) needs \(elementCount(resolved))")
    let input = self
    return Tensor(shape: resolved, data: data, op: "reshape", inputs: [self]) { g in input.accumulateGrad(g) }
  }

  /// Collapses every axis after the first: [N, …] → [N, F].
  public func flattened() -> Tensor {
    precondition(rank >= 1, "flattened: a scalar has no batch axis")
    return reshaped([shape[0], -1])
  }

  /// Splits the shape around `axis` into (outer, size, inner) block counts.
  private func blocks(_ axis: Int) -> (outer: Int, size: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// Elements `range` along `axis` (a view materialised as a copy).
  public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
    let axis = axis < 0 ? axis + rank : axis
    precondition((0..<rank).contains(axis), "slice: axis \(axis) out of range for shape \(shape)")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[axis],
      "slice: range \(range) outside 0..<\(shape[axis]) on axis \(axis) of \(shape)")
    let (outer, size, inner) = blocks(axis)
    let width = range.count * inner
    let out = uninitializedFloats(outer * width) { o in
      data.withUnsafeBufferPointer { x in
        for b in 0..<outer {
          (o.baseAddress! + b * width).initialize(
            from: x.baseAddress! + b * size * inner + range.lowerBound * inner, count: width)
        }
      }
    }
    var newShape = shape
    newShape[axis] = range.count
    let input = self
    return Tensor(shape: newShape, data: out, op: "slice", inputs: [self]) { g in
      input.accumulateGrad(g, blocks: outer, width: width, stride: size * inner, offset: range.lowerBound * inner)
    }
  }

  /// The element at `index` along `axis`, with that axis removed (e.g. frame t of [N, T, C, H, W]).
  public func select(axis: Int, _ index: Int) -> Tensor {
    let axis = axis < 0 ? axis + rank : axis
    var newShape = shape
    newShape.remove(at: axis)
    return slice(axis: axis, index..<(index + 1)).reshaped(newShape)
  }

  /// Joins tensors along an existing axis; all other dimensions must agree.
  public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
    precondition(!parts.isEmpty, "concat: nothing to join")
    let first = parts[0]
    let axis = axis < 0 ? axis + first.rank : axis
    for p in parts {
      precondition(
        p.rank == first.rank && (0..<p.rank).allSatisfy { $0 == axis || p.shape[$0] == first.shape[$0] },
        "concat: shape \(p.shape) does not match \(first.shape) off axis \(axis)")
    }
    let outer = first.shape[..<axis].reduce(1, *)
    let inner = first.shape[(axis + 1)...].reduce(1, *)
    let widths = parts.map { $0.shape[axis] * inner }
    let total = widths.reduce(0, +)
    let out = uninitializedFloats(outer * total) { o in
      var offset = 0
      for (p, w) in zip(parts, widths) {
        p.data.withUnsafeBufferPointer { x in
          for b in 0..<outer {
            (o.baseAddress! + b * total + offset).initialize(from: x.baseAddress! + b * w, count: w)
          }
        }
        offset += w
      }
    }
    var newShape = first.shape
    newShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
    return Tensor(shape: newShape, data: out, op: "concat", inputs: parts) { g in
      var offset = 0
      g.withUnsafeBufferPointer { gp in
        for (p, w) in zip(parts, widths) {
          if p.requiresGrad {
            let gx = uninitializedFloats(p.count) { r in
              for b in 0..<outer {
                (r.baseAddress! + b * w).initialize(from: gp.baseAddress! + b * total + offset, count: w)
              }
            }
            p.accumulateGrad(gx)
          }
          offset += w
        }
      }
    }
  }

  /// Stacks same-shaped tensors along a new axis (e.g. per-step h_t into [N, T, C, H, W] with axis 1).
  public static func stack(_ parts: [Tensor], axis: Int) -> Tensor {
    precondition(!parts.isEmpty, "stack: nothing to stack")
    let shape = parts[0].shape
    precondition(parts.allSatisfy { $0.shape == shape }, "stack: all parts must have shape \(shape)")
    let axis = axis < 0 ? axis + shape.count + 1 : axis
    var expanded = shape
    expanded.insert(1, at: axis)
    return concat(parts.map { $0.reshaped(expanded) }, axis: axis)
  }
}
