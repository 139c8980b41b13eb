import ArgumentParser
import FERCore
import FERModels
import Foundation

/// `ferlab forward`: the interop entry point with PyTorch. Runs one forward and
/// backward pass and writes logits, loss and every gradient.
struct ForwardCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forward",
    abstract: "Run a model once on given inputs; write logits, loss and all gradients.",
    discussion: """
      --input holds one tensor per stream the spec uses, named rgb [N, T, 3, S, S], flow [N, T', 2, S, S], \
      rgb_dynamic [N, 3, S, S], flow_dynamic [N, 2, S, S]. --weights uses the names of \
      Sources/FERModels/Checkpoint/ParameterNames.md (a FERLab checkpoint or a PyTorch state_dict saved \
      with safetensors). The output holds "logits"; with --labels also "loss", "grad:<parameter>" for every \
      parameter and "grad_input:<stream>" for every input. Batch norm runs in training mode with --train.
      """)

  @Option(help: "Model spec JSON file (missing fields take their defaults).")
  var spec: String

  @Option(help: "Weights (safetensors).")
  var weights: String

  @Option(help: "Inputs (safetensors).")
  var input: String

  @Option(help: "Comma-separated class labels, one per clip (e.g. 1,4).")
  var labels: String?

  @Option(help: "Output file (safetensors).")
  var out: String

  @Flag(help: "Batch statistics in batch norm (PyTorch's train mode) instead of running statistics.")
  var train = false

  func run() throws {
    let modelSpec: ModelSpec
    do {
      modelSpec = try ModelSpec.load(from: URL(fileURLWithPath: spec))
      try modelSpec.validate()
    } catch {
      throw Failure("\(error)")
    }
    let model = try FERModel(spec: modelSpec, seed: 0)
    do { try Checkpoint.loadWeights(try SafeTensorsFile.read(from: URL(fileURLWithPath: weights)), into: model) } catch {
      throw Failure("\(weights): \(error)")
    }
    let inputs: SafeTensorsFile
    do { inputs = try SafeTensorsFile.read(from: URL(fileURLWithPath: input)) } catch { throw Failure("\(error)") }
    var modelInput = ModelInput()
    for kind in modelSpec.streams {
      if let x = inputs[kind.rawValue] { modelInput[kind] = Tensor(shape: x.shape, data: x.data, requiresGrad: labels != nil) }
    }
    do { try modelInput.check(against: modelSpec, source: input) } catch { throw Failure("\(error)") }
    var context = ForwardContext(training: train)
    var output = SafeTensorsFile(metadata: ["spec": modelSpec.json])
    guard let labels else {
      let logits = GradientRecording.disabled { model(modelInput, &context) }
      output["logits"] = logits
      try output.write(to: URL(fileURLWithPath: out))
      return
    }
    let classes = try parseLabels(labels, batch: modelInput.batchSize, classes: modelSpec.classes)
    let logits = model(modelInput, &context)
    let loss = Tensor.softmaxCrossEntropy(logits: logits, labels: classes)
    loss.backward()
    output["logits"] = logits.detached()
    output["loss"] = loss.detached()
    for (name, p) in model.namedParameters {
      output["grad:\(name)"] = Tensor(shape: p.shape, data: p.grad ?? [Float](repeating: 0, count: p.count))
    }
    for kind in modelSpec.streams {
      if let x = modelInput[kind] { output["grad_input:\(kind.rawValue)"] = Tensor(shape: x.shape, data: x.grad ?? []) }
    }
    try output.write(to: URL(fileURLWithPath: out))
  }

  private func parseLabels(_ text: String, batch: Int, classes: Int) throws -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard values.allSatisfy({ $0 != nil }), let labels = values as? [Int] else {
      throw Failure("--labels \(text): give comma-separated class numbers such as 1,4")
    }
    guard labels.count == batch else {
      throw Failure("--labels has \(labels.count) labels but the input holds \(batch) clips")
    }
    guard labels.allSatisfy({ (0..<classes).contains($0) }) else {
      throw Failure("--labels: every label must be in 0 to \(classes - 1)")
    }
    return labels
  }
}
