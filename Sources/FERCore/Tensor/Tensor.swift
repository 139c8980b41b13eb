import Foundation

// The tensor of FERLab: Float32, contiguous, row-major. A tensor produced by a
// differentiable op remembers its inputs and a closure that pushes its gradient
// back to them; `backward()` replays those closures in reverse (Autodiff/Tape.swift).

/// A dense Float32 tensor that can take part in reverse-mode differentiation.
///
/// `data` and `grad` are plain arrays; ops read and write them through unsafe
/// buffer pointers in the kernels. Parameters are leaf tensors with
/// `requiresGrad == true`; optimizers update their `data` in place.
public final class Tensor {
  /// Dimensions, outermost first (see Axes.swift for the letters).
  public let shape: [Int]
  /// The values, row-major.
  public var data: [Float]
  /// Values computed from `data` by `derived(_:_:)`.
  private let derivedValues = DerivedValues()
  /// ∂loss/∂self after `backward()`, same layout as `data`; nil until a gradient arrives.
  public var grad: [Float]?
  /// Whether gradients are tracked for this tensor.
  public let requiresGrad: Bool
  /// Inputs of the op that produced this tensor (empty for leaves).
  package let inputs: [Tensor]
  /// Pushes this tensor's gradient (the argument) into its inputs' gradients.
  package let pullback: (([Float]) -> Void)?
  /// A short name of the producing op, for error messages and graph dumps.
  public let op: String
  /// Keep this intermediate's gradient after `backward()` (gradient-flow probes read it).
  public var retainsGrad = false
  /// What the op that made this tensor hands to the ops that read it (a recurrence's shared
  /// weight carries the sum of its steps' weight gradients: Convolution.swift).
  package let companion: AnyObject?

  /// A leaf tensor. `data.count` must equal the product of `shape`.
  public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
    precondition(
      data.count == elementCount(shape),
      "Tensor of shape \(shape) needs \(elementCount(shape)) values, got \(data.count)")
    self.shape = shape
    self.data = data
    self.requiresGrad = requiresGrad
    self.inputs = []
    self.pullback = nil
    self.op = "leaf"
    self.companion = nil
  }

  /// The result of a differentiable op. The pullback is kept only when some
  /// input tracks gradients and gradient recording is on.
  package init(
    shape: [Int], data: [Float], op: String, inputs: [Tensor], companion: AnyObject? = nil,
    pullback: @escaping ([Float]) -> Void
  ) {
    precondition(data.count == elementCount(shape), "\(op): produced \(data.count) values for shape \(shape)")
    let tracked = GradientRecording.isEnabled && inputs.contains { $0.requiresGrad }
    self.shape = shape
    self.data = data
    self.requiresGrad = tracked
    self.inputs = tracked ? inputs : []
    self.pullback = tracked ? pullback : nil
    self.op = op
    self.companion = tracked ? companion : nil
  }

  /// A value computed from `data` (such as a filter transformed for Winograd's convolution),
  /// kept while `data` holds the same values: a ConvLSTM uses the same weights at every time
  /// step, and its filters are then transformed once per step of the optimizer, not once per
  /// time step. Staleness is checked by comparing the values bit for bit on every use (a
  /// fraction of the work `make` saves), not by tracking writes: `data` is mutated in place
  /// through pointers, and an observer on it would copy the array at every such write.
  package func derived<Value: AnyObject>(_ key: String, _ make: () -> Value) -> Value {
    data.withUnsafeBufferPointer { current in
      derivedValues.lock.withLock {
        if let kept = derivedValues.values[key], let value = kept.value as? Value, kept.source.count == current.count,
          current.isEmpty
            || kept.source.withUnsafeBufferPointer({ memcmp($0.baseAddress!, current.baseAddress!, current.count * 4) == 0 })
        {
          return value
        }
        let value = make()
        derivedValues.values[key] = (Array(current), value)
        return value
      }
    }
  }

  /// Number of elements.
  public var count: Int { data.count }
  /// Number of axes.
  public var rank: Int { shape.count }

  /// The single value of a one-element tensor.
  public var scalar: Float {
    precondition(data.count == 1, "scalar: tensor of shape \(shape) has \(data.count) values, not 1")
    return data[0]
  }

  /// Adds `g` into this tensor's gradient (gradients of a tensor used twice add up).
  /// The first gradient is kept as given, without a copy.
  package func accumulateGrad(_ g: [Float]) {
    guard requiresGrad else { return }
    precondition(g.count == data.count, "\(op): gradient of \(g.count) values for shape \(shape)")
    guard grad != nil else {
      grad = g
      return
    }
    withGradBuffer { acc in
      g.withUnsafeBufferPointer { add in addInPlace(acc.baseAddress!, add.baseAddress!, acc.count) }
    }
  }

  /// Adds `g`, laid out as `blocks` runs of `width` values, into the gradient at
  /// offsets `offset + b·stride` (b < blocks): the pullback of a slice touches
  /// only the sliced region instead of building a zero-padded full-size array.
  package func accumulateGrad(_ g: [Float], blocks: Int, width: Int, stride: Int, offset: Int) {
    guard requiresGrad else { return }
    precondition(
      g.count == blocks * width && offset + (blocks - 1) * stride + width <= data.count,
      "\(op): region gradient of \(g.count) values does not fit shape \(shape)")
    if blocks * width == data.count {  // the region is the whole tensor
      accumulateGrad(g)
      return
    }
    let fresh = grad == nil
    if fresh { grad = [Float](repeating: 0, count: data.count) }
    withGradBuffer { acc in
      g.withUnsafeBufferPointer { gp in
        for b in 0..<blocks {
          let dst = acc.baseAddress! + offset + b * stride, src = gp.baseAddress! + b * width
          if fresh { dst.update(from: src, count: width) } else { addInPlace(dst, src, width) }
        }
      }
    }
  }

  /// The gradient buffer, mutable (copied first only when it is shared).
  private func withGradBuffer(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
    guard var buffer = grad else { return }
    grad = nil  // keeps `buffer` uniquely referenced, so writing it does not copy
    buffer.withUnsafeMutableBufferPointer { body($0) }
    grad = buffer
  }

  /// Forgets the gradient (optimizers call this between steps).
  public func zeroGrad() { grad = nil }

  /// A new leaf holding the same values, cut off from the graph.
  public func detached() -> Tensor { Tensor(shape: shape, data: data) }
}

/// The values a tensor derived from its data, each with a copy of the data it came from.
private final class DerivedValues: @unchecked Sendable {  // `values` only under `lock`
  let lock = NSLock()
  var values: [String: (source: [Float], value: AnyObject)] = [:]
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let head = data.prefix(8).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
    return "Tensor\(shape)[\(head)\(data.count > 8 ? ", …" : "")]"
  }
}
