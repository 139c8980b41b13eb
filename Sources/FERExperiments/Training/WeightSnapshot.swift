import FERData
import FERModels

/// A copy of a model's parameters and buffers, to return to (the best epoch, the last good step).
public struct WeightSnapshot: Sendable {
  private let parameters: [[Float]]
  private let buffers: [[Float]]

  public init(_ model: some Module) {
    parameters = model.namedParameters.map { $0.1.data }
    buffers = model.namedBuffers.map { $0.1.get() }
  }

  /// Writes the values back into the same model (or one built from the same spec).
  public func restore(into model: some Module) {
    for ((_, tensor), values) in zip(model.namedParameters, parameters) { tensor.data = values }
    for ((_, buffer), values) in zip(model.namedBuffers, buffers) { buffer.set(values) }
  }

  /// FNV-1a 64 over every value's bits, in parameter order; sessions record it after each training command.
  public var checksum: UInt64 {
    var hash = FNV1a64()
    for values in parameters + buffers { hash.combine(floats: values) }
    return hash.value
  }
}
