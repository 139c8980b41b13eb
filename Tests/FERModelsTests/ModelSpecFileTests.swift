import FERCore
import Foundation
import Testing

@testable import FERModels

// A spec file (`ferlab forward --spec FILE`) or a checkpoint's spec that cannot be
// used is refused in one sentence naming the file and the field or line.

@Suite("model spec files")
struct ModelSpecFileTests {
  /// The sentence of loading `text` from a file named spec.json (or the spec when it loads).
  static func load(_ text: String, in scratch: ModelFuzzTests.Scratch) throws -> (path: String, message: String) {
    let url = try scratch.write(Array(text.utf8), "spec.json")
    do {
      return (url.path, "loaded \(try ModelSpec.load(from: url))")
    } catch {
      return (url.path, error.description)
    }
  }

  @Test(arguments: [
    (#"{"convLSTM": {"channels": [8, "16"]}}"#, "field convLSTM.channels[1]: expected a whole number, found a string"),
    (#"{"streams": ["rgb", "depth"]}"#, #"field streams[1]: "depth" is not one of "rgb", "flow", "rgb_dynamic", "flow_dynamic""#),
    (#"{"backbone": "transformer"}"#, #""transformer" is not one of "convlstm", "cnn_lstm""#),
    (#"{"head": {"hidden": [256, 1.5]}}"#, "field head.hidden[1]: expected a whole number, found 1.5"),
    (#"{"inputSize": 99999999999999999999}"#, "field inputSize: 99999999999999999999 is too large"),
    (#"{"inputSize": 1e400}"#, "line 1, column 15: the number 1e400 is out of range"),
    (#"{"classes": 1}"#, "classes is 1: use 2 to 1000"),
    (#"{"resnet": [18]}"#, "field resnet: expected an object, found a list"),
    ("{\"streams\": [\"rgb\"],\n  \"convLSTM\": {\"channels\" [8]}}", "line 2, column"),
    (#"{"convLSTM": {"kernels": [5, 5, 3"#, "end of file: the JSON ends early"),
    (#"{"centreFrames": "yes"}"#, "field centreFrames: expected true or false, found a string"),
  ])
  func badSpecFilesNameTheFileAndField(_ text: String, _ expected: String) throws {
    let scratch = try ModelFuzzTests.Scratch()
    defer { scratch.remove() }
    let (path, message) = try Self.load(text, in: scratch)
    #expect(message.hasPrefix(path + ": "), "\(message)")
    #expect(message.contains(expected), "\(message)")
    #expect(InputMutator.rawDumps(in: message).isEmpty, "\(message)")
  }

  @Test func unreadableSpecFiles() throws {
    let scratch = try ModelFuzzTests.Scratch()
    defer { scratch.remove() }
    let missing = scratch.folder.appendingPathComponent("none.json")
    #expect { try ModelSpec.load(from: missing) } throws: { "\($0)".hasPrefix("\(missing.path): cannot be read (no such file)") }
    #expect { try ModelSpec.load(from: scratch.folder) } throws: { "\($0)".hasPrefix("\(scratch.folder.path): is a folder") }
    let good = try scratch.write(Array(#"{"streams": ["rgb"], "convLSTM": {"channels": [4, 8], "kernels": [3, 3]}}"#.utf8), "ok.json")
    #expect(try ModelSpec.load(from: good).convLSTM.channels == [4, 8])
  }

  /// A checkpoint whose metadata spec is damaged names the checkpoint and the field.
  @Test func checkpointSpecErrorsNameTheFileAndField() throws {
    let scratch = try ModelFuzzTests.Scratch()
    defer { scratch.remove() }
    var spec = try #require(ModelSpec.preset(named: "tiny"))
    spec.streams = [.rgb]
    var file = Checkpoint.file(of: try FERModel(spec: spec, seed: 1))
    file.metadata[Checkpoint.specKey] = #"{"streams": ["rgb"], "convLSTM": {"groups": "four"}}"#
    let url = scratch.folder.appendingPathComponent("model.safetensors")
    try file.write(to: url)
    #expect { try Checkpoint.load(from: url) } throws: { error in
      let text = "\(error)"
      return text.hasPrefix(url.path) && text.contains("field convLSTM.groups: expected a whole number, found a string")
        && InputMutator.rawDumps(in: text).isEmpty
    }
    // Weights of another shape: the message names the checkpoint too.
    var other = Checkpoint.file(of: try FERModel(spec: spec, seed: 1))
    other["rgb.layers.0.w_ci"] = Tensor.zeros([1])
    try other.write(to: url)
    #expect { try Checkpoint.load(from: url) } throws: { "\($0)".hasPrefix(url.path + ": tensor \"rgb.layers.0.w_ci\"") }
  }
}
