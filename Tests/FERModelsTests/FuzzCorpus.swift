import FERCore
import Foundation
import Testing

@testable import FERModels

// The fuzz corpus of the models' input kinds: model specs as JSON (`--spec FILE`,
// a checkpoint's metadata) and checkpoint files. Seeded damaged copies of valid
// inputs (InputMutator), each read in this process: every case ends in a value or
// a thrown sentence that names the file and is no raw dump.

@Suite("fuzz corpus: model specs and checkpoints")
struct ModelFuzzTests {
  /// A folder for the files of one test, removed by `remove()`.
  struct Scratch {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-fuzz-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    func write(_ bytes: [UInt8], _ name: String) throws -> URL {
      let url = folder.appendingPathComponent(name)
      try Data(bytes).write(to: url)
      return url
    }
    func remove() { try? FileManager.default.removeItem(at: folder) }
  }

  /// Decodes, validates and estimates a spec text; the outcome must be clean and, when refused, name `file`.
  static func expectClean(specs: [String], file: String, _ kind: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for (i, text) in specs.enumerated() {
      var named = true
      let outcome = FuzzOutcome.of {
        let spec: ModelSpec
        do { spec = try ModelSpec.decode(text, source: file) } catch let error as FileError {
          named = error.file == file && error.description.hasPrefix(file + ": ")
          throw error
        }
        try spec.validate()
        _ = spec.trainingMemory(batch: 4, steps: 16).description
      }
      if let problem = outcome.problem { Issue.record("\(kind) case \(i): \(problem)", sourceLocation: sourceLocation) }
      if !named { Issue.record("\(kind) case \(i) does not start with \(file): \(outcome)", sourceLocation: sourceLocation) }
    }
  }

  @Test func specStructureVariants() throws {
    let json = ModelSpec().json
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let variants = InputMutator.jsonVariants(of: object)
    #expect(variants.count > 300)
    Self.expectClean(specs: variants, file: "spec.json", "structure")
  }

  @Test func specNumbersTruncationsAndFlips() {
    let json = ModelSpec().json
    var mutator = InputMutator(seed: 1603)
    Self.expectClean(specs: mutator.numberSwaps(in: json, count: 300), file: "spec.json", "number")
    let bytes = Array(json.utf8)
    let texts = (mutator.truncations(of: bytes, count: 80) + mutator.byteFlips(of: bytes, count: 200))
      .map { String(decoding: $0, as: UTF8.self) }
    Self.expectClean(specs: texts, file: "spec.json", "bytes")
    Self.expectClean(
      specs: [
        InputMutator.nested("[", "]", depth: 50_000), "{\"head\": \(InputMutator.nested("{\"hidden\":", "}", depth: 50_000, core: "1"))}",
        "", "null", "[]", "\"rgb\"", "{\"streams\": \(InputMutator.nested("[", "]", depth: 400))}",
      ], file: "spec.json", "nesting")
  }

  /// A small checkpoint cut short or with bytes changed: refused by name, or loaded (a changed weight).
  @Test func damagedCheckpoints() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var spec = try #require(ModelSpec.preset(named: "tiny"))
    spec.streams = [.rgb, .rgbDynamic]
    let original = try FERModel(spec: spec, seed: 2)
    let bytes = Checkpoint.file(of: original).serialized()
    let headerEnd = 8 + Int(bytes[0]) + Int(bytes[1]) << 8 + Int(bytes[2]) << 16
    var mutator = InputMutator(seed: 1604)
    let cases =
      mutator.truncations(of: bytes, count: 40) + mutator.byteFlips(of: bytes, count: 80, in: 0..<headerEnd)
      + mutator.byteFlips(of: bytes, count: 20, in: headerEnd..<bytes.count)
    for (i, damaged) in cases.enumerated() {
      let url = try scratch.write(damaged, "model-\(i).safetensors")
      let outcome = FuzzOutcome.of { _ = try Checkpoint.load(from: url) }
      if let problem = outcome.problem { Issue.record("checkpoint case \(i): \(problem)") }
      if case .refused(let message) = outcome, !message.contains(url.path) {
        Issue.record("checkpoint case \(i) does not name the file: \(message)")
      }
    }
  }
}
