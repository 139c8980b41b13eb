import FERCore
import FERModels

// Gradient-flow probes: how large ∂L/∂h_t is at every time step and layer of a
// ConvLSTM stream, how much of it arrives along each path (recurrent W_h, the
// temporal skip, from above) and through the cell state, ‖∂L/∂x_t‖ per input
// frame, and per-parameter-group gradient norms. Norms are Frobenius norms over
// the whole minibatch, accumulated in Double.

/// Per-step gradient norms of one ConvLSTM layer.
public struct LayerGradientFlow: Codable, Sendable, Equatable {
  /// ‖∂L/∂h_t‖, the total, per step.
  public let hidden: [Double]
  /// The part through W_h * h_t at step t+1.
  public let recurrent: [Double]
  /// The part through the temporal skip into h_{t+2} (all zero when the skip is off).
  public let skip: [Double]
  /// The part from above: the next layer's input or the stream's feature.
  public let upward: [Double]
  /// ‖∂L/∂c_t‖ through the cell state of step t+1.
  public let cell: [Double]
}

/// A gradient-flow measurement of one stream.
public struct GradientFlowReport: Codable, Sendable, Equatable {
  public let stream: StreamKind
  public let steps: Int
  /// Layers bottom to top.
  public let layers: [LayerGradientFlow]
  /// ‖∂L/∂x_t‖ per input frame.
  public let input: [Double]
  /// Gradient norm per parameter group ("rgb.layers.0", "head.fc1", …), in model order.
  public let parameterGroups: [ParameterGroupNorm]
  public let loss: Double

  /// Ratio of the first step's to the last step's ‖∂L/∂h_t‖ in the bottom layer:
  /// near 0 means the gradient vanishes on its way back through time.
  public var firstToLastRatio: Double {
    guard let bottom = layers.first, let first = bottom.hidden.first, let last = bottom.hidden.last, last > 0 else { return 0 }
    return first / last
  }
}

public struct ParameterGroupNorm: Codable, Sendable, Equatable {
  public let group: String
  public let norm: Double
}

/// Runs one forward/backward pass of `model` on `input` with probes on the ConvLSTM
/// stream `stream`, and reads the gradient paths. Parameter gradients are cleared after.
public func measureGradientFlow(
  model: FERModel, input: ModelInput, labels: [Int], stream: StreamKind = .rgb, training: Bool = false
) throws -> GradientFlowReport {
  guard let layerCount = model.convLSTMLayerCount(stream) else {
    throw GradientFlowError.notAConvLSTMStream(stream.rawValue, model.spec.streams.map(\.rawValue))
  }
  guard let x = input[stream] else { throw GradientFlowError.missingInput(stream.rawValue) }
  // Track the input's gradient on a copy, leaving the caller's tensor as it was.
  let tracked = Tensor(shape: x.shape, data: x.data, requiresGrad: true)
  var probedInput = input
  probedInput[stream] = tracked
  let probes = (0..<layerCount).map { _ in ConvLSTMProbe() }
  var context = ForwardContext(training: training)
  let parameters = model.parameters
  for p in parameters { p.zeroGrad() }
  let loss = Tensor.softmaxCrossEntropy(logits: model(probedInput, &context, probes: [stream: probes]), labels: labels)
  loss.backward()

  let steps = x.shape[1]
  let layers = probes.map { probe in
    LayerGradientFlow(
      hidden: norms(probe.hidden, steps), recurrent: norms(probe.recurrent, steps), skip: norms(probe.skip, steps),
      upward: norms(probe.upward, steps), cell: norms(probe.cells, steps))
  }
  let inputNorms = perStepNorms(tracked.grad, shape: x.shape)
  let groups = parameterGroupNorms(model.namedParameters)
  for p in parameters { p.zeroGrad() }
  return GradientFlowReport(
    stream: stream, steps: steps, layers: layers, input: inputNorms, parameterGroups: groups, loss: Double(loss.scalar))
}

/// Why a gradient-flow measurement cannot run.
public enum GradientFlowError: Error, CustomStringConvertible, Equatable {
  case notAConvLSTMStream(String, [String])
  case missingInput(String)

  public var description: String {
    switch self {
    case .notAConvLSTMStream(let stream, let streams):
      "gradient flow needs a ConvLSTM stream; \(stream) is not one in this model (streams: \(streams.joined(separator: ", "))) — choose a preset with ConvLSTM streams such as c or paper"
    case .missingInput(let stream): "the input has no \(stream) tensor"
    }
  }
}

/// ‖grad‖ of each tensor, padded with zeros to `steps` (unused paths have no gradient).
func norms(_ tensors: [Tensor], _ steps: Int) -> [Double] {
  var result = tensors.map { t in (t.grad ?? []).reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
  result += [Double](repeating: 0, count: max(0, steps - result.count))
  return result
}

/// ‖∂L/∂x_t‖ for x [N, T, …]: the norm over every sample and element of step t.
func perStepNorms(_ grad: [Float]?, shape: [Int]) -> [Double] {
  let (n, steps) = (shape[0], shape[1])
  let inner = shape[2...].reduce(1, *)
  guard let grad else { return [Double](repeating: 0, count: steps) }
  return (0..<steps).map { t in
    var sum = 0.0
    for s in 0..<n {
      let base = (s * steps + t) * inner
      for i in 0..<inner { sum += Double(grad[base + i]) * Double(grad[base + i]) }
    }
    return sum.squareRoot()
  }
}

/// Groups parameters by module ("rgb.layers.0.conv_x.weight" → "rgb.layers.0", "head.fc2.bias" → "head.fc2").
func parameterGroupNorms(_ named: [(String, Tensor)]) -> [ParameterGroupNorm] {
  var order: [String] = []
  var squares: [String: Double] = [:]
  for (name, tensor) in named {
    let parts = name.split(separator: ".").map(String.init)
    let depth = parts.count > 2 && Int(parts[2]) != nil ? 3 : 2
    let group = parts.prefix(depth).joined(separator: ".")
    if squares[group] == nil { order.append(group) }
    squares[group, default: 0] += (tensor.grad ?? []).reduce(0.0) { $0 + Double($1) * Double($1) }
  }
  return order.map { ParameterGroupNorm(group: $0, norm: squares[$0, default: 0].squareRoot()) }
}
