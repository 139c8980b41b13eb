import Foundation
import Testing

@testable import FERCore

// Every decoding and I/O failure reads as one sentence naming the file and the
// field or line: never Swift's DecodingError dump, a type name or Foundation's
// "NSCocoaErrorDomain error 256".

private struct Sample: Decodable, Equatable {
  struct Inner: Decodable, Equatable {
    var sizes: [Int]
    var rate: Double
  }
  enum Mode: String, Decodable, CaseIterable {
    case fast, exact
    init(from decoder: any Decoder) throws { try self.init(decodingOneOf: decoder) }
  }
  var name: String
  var inner: Inner
  var mode: Mode?
}

@Suite("file errors")
struct FileErrorTests {
  /// The sentence of decoding `json` as Sample from "sample.json".
  private func message(_ json: String) -> String {
    do {
      _ = try FileError.decodeJSON(Sample.self, from: Data(json.utf8), file: "sample.json")
      return "decoded"
    } catch {
      return error.description
    }
  }

  private func expectReadable(_ text: String, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(text.hasPrefix("sample.json: "), "\(text)", sourceLocation: sourceLocation)
    for fragment in fragments { #expect(text.contains(fragment), "\(text) lacks \(fragment)", sourceLocation: sourceLocation) }
    #expect(InputMutator.rawDumps(in: text).isEmpty, "\(text)", sourceLocation: sourceLocation)
  }

  @Test func fieldsOfTheWrongKindAreNamedWithWhatWasFound() {
    expectReadable(
      message(#"{"name": "a", "inner": {"sizes": [1, 2, "3"], "rate": 1}}"#),
      ["field inner.sizes[2]: expected a whole number, found a string"])
    expectReadable(message(#"{"name": 5, "inner": {"sizes": [], "rate": 1}}"#), ["field name: expected a string"])
    expectReadable(message(#"{"name": "a", "inner": {"sizes": {}, "rate": 1}}"#), ["field inner.sizes: expected a list"])
    expectReadable(message(#"{"name": "a", "inner": [1]}"#), ["field inner: expected an object"])
    expectReadable(message(#"{"name": "a", "inner": {"sizes": [], "rate": null}}"#), ["field inner.rate: expected a number, found null"])
    expectReadable(message(#"{"name": "a"}"#), ["the required field \"inner\" is missing"])
    expectReadable(message(#"[1, 2]"#), ["expected an object"])
  }

  @Test func wordsOutsideAFixedSetListTheAcceptedOnes() {
    expectReadable(
      message(#"{"name": "a", "inner": {"sizes": [], "rate": 1}, "mode": "quick"}"#),
      [#"field mode: "quick" is not one of "fast", "exact""#])
  }

  /// JSONDecoder gives these no path on Linux; the numbers are found and named.
  @Test func numbersThatDoNotFitTheirFieldAreNamed() {
    expectReadable(
      message(#"{"name": "a", "inner": {"sizes": [4, 2.5], "rate": 0.5}}"#),
      ["field inner.sizes[1]: expected a whole number, found 2.5"])
    expectReadable(
      message(#"{"name": "a", "inner": {"sizes": [99999999999999999999], "rate": 0.5}}"#),
      ["field inner.sizes[0]", "too large"])
    expectReadable(message("{\"name\": \"a\",\n \"inner\": {\"sizes\": [1e400], \"rate\": 1}}"), ["line 2", "1e400 is out of range"])
  }

  @Test func malformedJSONIsLocatedByLineAndColumn() {
    expectReadable(message("{\"name\": \"a\",\n  \"inner\" {}}"), ["line 2, column", "malformed JSON"])
    expectReadable(message(#"{"name": "a", "inner": {"sizes": ["#), ["end of file", "ends early"])
    expectReadable(message(""), ["ends early"])
    expectReadable(message(InputMutator.nested("[", "]", depth: 50_000)), ["nested deeper"])
  }

  @Test func errorsThrownInsideADecoderKeepTheirSentence() {
    struct Checked: Decodable {
      struct Refusal: Error, CustomStringConvertible { var description: String { "rate must be positive" } }
      init(from decoder: any Decoder) throws { throw Refusal() }
    }
    #expect(throws: FileError(file: "c.json", problem: "rate must be positive")) {
      try FileError.decodeJSON(Checked.self, from: Data("{}".utf8), file: "c.json")
    }
  }

  @Test func ioFailuresSayWhyInWords() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-fileerror-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("none.json")
    #expect(throws: FileError(file: missing.path, problem: "cannot be read (no such file)")) {
      try FileError.contents(of: missing)
    }
    #expect(throws: FileError(file: folder.path, problem: "is a folder, not a file")) { try FileError.contents(of: folder) }
    // Foundation's own wording for a read of a folder is "(NSCocoaErrorDomain error 256.)".
    do {
      _ = try Data(contentsOf: folder)
      Issue.record("reading a folder succeeded")
    } catch {
      #expect(systemReason(error) == "it is a folder")
    }
    #expect(posixReason(ENOSPC) == "the disk is full")
    #expect(FileError(file: "f", location: "line 2", problem: "bad", hint: "fix it").description == "f: line 2: bad; fix it")
  }
}
