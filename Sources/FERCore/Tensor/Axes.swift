// Axis letters used across FERLab, declared once.
//
//   N  batch (clips in a minibatch)
//   T  time (frames of a clip)
//   C  channels
//   H  height
//   W  width
//
// Layouts are row-major and contiguous:
//   images          [N, C, H, W]
//   clips           [N, T, C, H, W]
//   per-step images [N·T, C, H, W]  (a clip batch flattened over time, as fed to batched convolutions)
//   features        [N, F]
//   logits          [N, K]   (K classes)

/// Number of elements of a shape (1 for a scalar, whose shape is `[]`).
@inlinable
public func elementCount(_ shape: [Int]) -> Int {
  shape.reduce(1, *)
}

/// Row-major strides of a contiguous shape.
@inlinable
public func contiguousStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var running = 1
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[axis] = running
    running *= shape[axis]
  }
  return strides
}
