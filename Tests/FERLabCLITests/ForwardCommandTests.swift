import Foundation
import Testing

// `ferlab forward`, the PyTorch interop entry: a checkpoint's spec and weights,
// inputs written here as safetensors, one forward and backward pass; the same
// files give the same bytes, and a bad label is refused by name.

@Suite("ferlab forward", .serialized)
struct ForwardCommandTests {
  /// A safetensors file of float32 tensors: 8-byte header length, JSON header, little-endian data.
  static func safetensors(_ tensors: [(String, [Int], [Float])]) -> Data {
    var offset = 0
    var header: [String: Any] = [:]
    var body = Data()
    for (name, shape, values) in tensors {
      header[name] = ["dtype": "F32", "shape": shape, "data_offsets": [offset, offset + 4 * values.count]]
      for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) } }
      offset += 4 * values.count
    }
    var json = (try? JSONSerialization.data(withJSONObject: header, options: .sortedKeys)) ?? Data()
    while json.count % 8 != 0 { json.append(0x20) }
    var length = UInt64(json.count).littleEndian
    return Data(bytes: &length, count: 8) + json + body
  }

  /// The JSON header of a safetensors file.
  static func header(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let length = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
    return try #require(try JSONSerialization.jsonObject(with: data.dropFirst(8).prefix(length)) as? [String: Any])
  }

  @Test func oneForwardAndBackwardPass() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-forward-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = folder.appendingPathComponent("tiny.safetensors").path
    let trained = try CommandLineTests.ferlab(
      ["train", "--preset", "tiny", "--streams", "rgb", "--epochs", "1", "--folds", "2", "--out", checkpoint])
    #expect(trained.status == 0, "\(trained.err)")
    // The checkpoint carries its spec; forward reads it from a file of its own.
    let spec = try #require((try Self.header(checkpoint)["__metadata__"] as? [String: String])?["spec"])
    let specPath = folder.appendingPathComponent("spec.json").path
    try spec.write(toFile: specPath, atomically: true, encoding: .utf8)
    let size = try #require((try JSONSerialization.jsonObject(with: Data(spec.utf8)) as? [String: Any])?["inputSize"] as? Int)
    // Two clips of 4 frames: [N, T, 3, S, S].
    let count = 2 * 4 * 3 * size * size
    let input = folder.appendingPathComponent("input.safetensors").path
    try Self.safetensors([("rgb", [2, 4, 3, size, size], (0..<count).map { Float(($0 * 37) % 101) / 101 })])
      .write(to: URL(fileURLWithPath: input))

    var outputs: [Data] = []
    for name in ["a", "b"] {
      let out = folder.appendingPathComponent("\(name).safetensors").path
      let run = try CommandLineTests.ferlab([
        "forward", "--spec", specPath, "--weights", checkpoint, "--input", input, "--labels", "1,4", "--out", out,
      ])
      #expect(run.status == 0, "\(run.err)")
      let keys = try Self.header(out).keys
      #expect(keys.contains("logits") && keys.contains("loss") && keys.contains("grad_input:rgb"))
      #expect(keys.contains { $0.hasPrefix("grad:rgb.layers.0.conv_x") })
      outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
    }
    #expect(outputs[0] == outputs[1], "the same files give the same bytes")

    let badLabel = try CommandLineTests.ferlab([
      "forward", "--spec", specPath, "--weights", checkpoint, "--input", input, "--labels", "1,9",
      "--out", folder.appendingPathComponent("c.safetensors").path,
    ])
    #expect(badLabel.status == 1 && badLabel.err.contains("--labels: every label must be in 0 to 5"), "\(badLabel.err)")
  }
}
