import FERCore
import Foundation

// Checkpoints: a model's parameters and buffers in a safetensors file, named as
// in ParameterNames.md, with the spec as JSON in the metadata, so a checkpoint
// alone rebuilds the model.

/// Why a checkpoint could not be saved or loaded.
public enum CheckpointError: Error, CustomStringConvertible {
  case file(SafeTensorsError)
  case notACheckpoint(path: String)
  case badSpec(path: String, reason: String)
  case missingTensor(name: String)
  case shapeMismatch(name: String, expected: [Int], found: [Int])
  case unexpectedTensors([String])
  case nonFinite(name: String, index: Int, value: Float)
  /// A problem with the weights of a named checkpoint file.
  indirect case inFile(path: String, CheckpointError)

  public var description: String {
    switch self {
    case .file(let error): "\(error)"
    case .notACheckpoint(let path): "\(path) has no model spec in its metadata (__metadata__[\"spec\"]): it is not a FERLab checkpoint"
    case .badSpec(let path, let reason): "\(path): the model spec in the metadata is not valid: \(reason)"
    case .missingTensor(let name): "the weights have no tensor \"\(name)\", which this model needs (names: Checkpoint/ParameterNames.md)"
    case .shapeMismatch(let name, let expected, let found): "tensor \"\(name)\" is \(found) but the model needs \(expected)"
    case .unexpectedTensors(let names):
      "the weights hold tensors this model does not have: \(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "") — was it saved from another spec?"
    case .nonFinite(let name, let index, let value):
      "tensor \"\(name)\" holds \(value) at index \(index): a model with NaN or infinite weights gives no meaningful result (was training cut short by a diverging loss?)"
    case .inFile(let path, let error): "\(path): \(error)"
    }
  }
}

public enum Checkpoint {
  /// Metadata key of the spec JSON.
  public static let specKey = "spec"
  public static let formatKey = "format"
  public static let format = "ferlab-checkpoint-1"

  /// The model's tensors and spec as a safetensors file in memory.
  public static func file(of model: FERModel) -> SafeTensorsFile {
    var file = SafeTensorsFile(metadata: [formatKey: format, specKey: specJSON(model.spec)])
    for (name, tensor) in model.namedParameters { file[name] = tensor.detached() }
    for (name, buffer) in model.namedBuffers {
      let values = buffer.get()
      file[name] = Tensor(shape: [values.count], data: values)
    }
    return file
  }

  /// Writes the model (atomically: a temporary file, then a rename).
  public static func save(_ model: FERModel, to url: URL) throws(CheckpointError) {
    do { try file(of: model).write(to: url) } catch { throw .file(error) }
  }

  /// Rebuilds a model from a checkpoint file.
  public static func load(from url: URL) throws -> FERModel {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile.read(from: url) } catch { throw CheckpointError.file(error) }
    guard let json = file.metadata[specKey] else { throw CheckpointError.notACheckpoint(path: url.path) }
    let spec: ModelSpec
    do {
      spec = try ModelSpec.decode(json)
      try spec.validate()
    } catch let error as FileError {
      throw CheckpointError.badSpec(path: url.path, reason: error.detail)
    } catch {
      throw CheckpointError.badSpec(path: url.path, reason: "\(error)")
    }
    let model = try FERModel(spec: spec, seed: 0)
    do { try loadWeights(file, into: model) } catch { throw CheckpointError.inFile(path: url.path, error) }
    return model
  }

  /// Copies tensors by name into the model's parameters and buffers. Every
  /// parameter must be present with its shape; extra tensors are an error
  /// unless `prefix` selects a namespace (e.g. "param:" in a parity fixture).
  public static func loadWeights(_ file: SafeTensorsFile, into model: FERModel, prefix: String = "") throws(CheckpointError) {
    var used = Set<String>()
    func fetch(_ name: String, shape: [Int]) throws(CheckpointError) -> [Float] {
      guard let tensor = file[prefix + name] else { throw .missingTensor(name: prefix + name) }
      guard tensor.shape == shape else { throw .shapeMismatch(name: prefix + name, expected: shape, found: tensor.shape) }
      used.insert(prefix + name)
      if let index = tensor.data.firstIndex(where: { !$0.isFinite }) {
        throw .nonFinite(name: prefix + name, index: index, value: tensor.data[index])
      }
      return tensor.data
    }
    for (name, tensor) in model.namedParameters { tensor.data = try fetch(name, shape: tensor.shape) }
    for (name, buffer) in model.namedBuffers { buffer.set(try fetch(name, shape: [buffer.get().count])) }
    let extra = file.names.filter { $0.hasPrefix(prefix) && !used.contains($0) }
    if prefix.isEmpty && !extra.isEmpty { throw .unexpectedTensors(extra) }
  }

  static func specJSON(_ spec: ModelSpec) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding plain Codable values cannot fail.
    return (try? String(decoding: encoder.encode(spec), as: UTF8.self)) ?? "{}"
  }
}

extension ModelSpec {
  /// Decodes a spec from JSON text; missing fields take their defaults. Errors are
  /// FileErrors naming `source` and the field ("source: field head.hidden[0]: expected a whole number, found a string").
  public static func decode(_ json: String, source: String = "the model spec") throws(FileError) -> ModelSpec {
    try FileError.decodeJSON(ModelSpec.self, from: Data(json.utf8), file: source, hint: specHint)
  }

  /// Reads, decodes and validates the spec file at `url` (`ferlab forward --spec FILE`).
  /// Every error is one sentence naming the file: unreadable, malformed JSON (line and
  /// column), a field of the wrong type, or a value out of range (ModelSpecLimits).
  public static func load(from url: URL) throws(FileError) -> ModelSpec {
    let data = try FileError.contents(of: url, hint: "check the path of the JSON model spec")
    let spec = try FileError.decodeJSON(ModelSpec.self, from: data, file: url.path, hint: specHint)
    do { try spec.validate() } catch { throw FileError(file: url.path, problem: "\(error)") }
    return spec
  }

  private static let specHint = "a model spec is a JSON object such as {\"streams\": [\"rgb\"], \"convLSTM\": {\"channels\": [8, 16]}}"

  /// The spec as pretty JSON text (sorted keys).
  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
  }
}
