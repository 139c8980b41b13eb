import Foundation
import Testing

@testable import FERCore

// The fuzz corpus of the core's one input kind, safetensors files: seeded
// damaged copies of a small valid file (InputMutator), each read in this process.
// Every case must end in a value or a thrown error whose sentence is no raw
// dump; a trap would end the test runner.

@Suite("fuzz corpus: safetensors")
struct SafeTensorsFuzzTests {
  /// A small valid file: metadata, three tensors of different ranks, one empty.
  static var base: SafeTensorsFile {
    SafeTensorsFile(
    tensors: [
      "conv.weight": Tensor(shape: [2, 1, 3, 3], data: (0..<18).map { Float($0) / 4 }),
      "conv.bias": Tensor(shape: [2], data: [0.5, -0.5]),
      "empty": Tensor.zeros([0, 3]),
    ],
      metadata: ["spec": #"{"streams": ["rgb"]}"#, "format": "ferlab-checkpoint-1"])
  }

  /// The header's JSON text and the data buffer of a file's bytes.
  static func split(_ bytes: [UInt8]) -> (header: String, buffer: [UInt8]) {
    let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) })
    return (String(decoding: bytes[8..<(8 + length)], as: UTF8.self), Array(bytes[(8 + length)...]))
  }

  /// A file of `header` (its true length in the length field) and `buffer`.
  static func join(_ header: String, _ buffer: [UInt8]) -> [UInt8] {
    let json = Array(header.utf8)
    return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * $0)) } + json + buffer
  }

  /// Runs every case; records the ones whose outcome is not clean.
  static func expectClean(_ cases: [[UInt8]], _ kind: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for (i, bytes) in cases.enumerated() {
      let outcome = FuzzOutcome.of { _ = try SafeTensorsFile(bytes: bytes) }
      if let problem = outcome.problem { Issue.record("\(kind) case \(i): \(problem)", sourceLocation: sourceLocation) }
    }
  }

  @Test func truncationsAndByteFlipsAreRefusedInWords() {
    let bytes = Self.base.serialized()
    var mutator = InputMutator(seed: 1601)
    let headerEnd = 8 + Self.split(bytes).header.utf8.count
    let truncated = mutator.truncations(of: bytes, count: 96)
    Self.expectClean(truncated, "truncation")
    // Every cut short file is refused: the tensors must tile the buffer to its end.
    #expect(truncated.allSatisfy { cut in (try? SafeTensorsFile(bytes: cut)) == nil })
    Self.expectClean(mutator.byteFlips(of: bytes, count: 300, in: 0..<headerEnd), "header flip")
    Self.expectClean(mutator.byteFlips(of: bytes, count: 60, in: headerEnd..<bytes.count), "data flip")
  }

  @Test func headerLengthFieldsOfEveryMagnitude() {
    let bytes = Self.base.serialized()
    let lengths: [UInt64] = [0, 1, 7, 8, UInt64(bytes.count), UInt64(bytes.count - 8), 1 << 31, 1 << 63, .max]
    let cases = lengths.map { length in (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + bytes[8...] }
    Self.expectClean(cases, "length field")
  }

  /// Keys dropped or doubled, values of every other JSON type, extreme numbers in shapes and offsets.
  @Test func headerStructureVariants() throws {
    let (header, buffer) = Self.split(Self.base.serialized())
    let object = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
    let variants = InputMutator.jsonVariants(of: object)
    #expect(variants.count > 100)
    Self.expectClean(variants.map { Self.join($0, buffer) }, "structure")
    var mutator = InputMutator(seed: 1602)
    Self.expectClean(mutator.numberSwaps(in: header, count: 200).map { Self.join($0, buffer) }, "number")
  }

  @Test func nestingFarPastAnyHeader() {
    let buffer = [UInt8](repeating: 0, count: 8)
    let deep = [
      "{\"a\": \(InputMutator.nested("[", "]", depth: 50_000))}",
      "{\"a\": \(InputMutator.nested("{\"b\":", "}", depth: 50_000, core: "1"))}",
      "{\"__metadata__\": \(InputMutator.nested("[", "]", depth: 600))}",
      InputMutator.nested("[", "]", depth: 100_000),
    ]
    Self.expectClean(deep.map { Self.join($0, buffer) }, "nesting")
    #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(bytes: Self.join(deep[0], buffer)) }
  }

  /// The header's JSON errors are located, not Foundation's "The data is not in the correct format".
  @Test func malformedHeadersAreLocated() {
    let file = Self.join("{\"a\": {\"dtype\": \"F32\",\n \"shape\" [1]}}", [0, 0, 0, 0])
    #expect { try SafeTensorsFile(bytes: file) } throws: { error in
      let text = "\(error)"
      return text.contains("line 2, column") && text.contains("malformed JSON") && InputMutator.rawDumps(in: text).isEmpty
    }
  }
}
