import FERCore
import FERModels

// Gradient-flow probes: how large ∂L/∂h_t is at every time step and layer of a
// ConvLSTM stream, how much of it arrives along each path (the recurrence, the
// temporal skip, the next layer's gate and spatial convolutions, the head) and
// through the cell state, ‖∂L/∂x_t‖ per input frame, and per-parameter-group
// gradient norms (the report's types: GradientFlowReport.swift).

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
  let layers = probes.map { LayerGradientFlow($0, steps: steps) }
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
