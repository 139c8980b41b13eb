import FERCore
import Foundation
import Testing

@testable import FERWorkspace

// The fuzz corpus of the workspace's input kinds: session files (read, viewed and
// replayed), scripts and command lines. Seeded damaged copies of valid inputs
// (InputMutator), each handled in this process: every case ends in a value or a
// thrown sentence, never a trap, a hang or a raw type dump.

@Suite("fuzz corpus: sessions, scripts and command lines", .serialized)
struct WorkspaceFuzzTests {
  /// A recorded session of a tiny load, training, evaluation, a typo and help.
  static func recordedSession() throws -> String {
    let path = temporaryPath("fuzz.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try runHeadless("\(tinyLoad)\nset preset tiny\nset streams rgb\nset epochs 1\ntrain\neval\nset lr fast\nhelp cv", session: path)
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  static func expectClean(_ outcome: FuzzOutcome, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if let problem = outcome.problem { Issue.record("\(what): \(problem)", sourceLocation: sourceLocation) }
  }

  /// Reading and viewing a damaged session: a session or a sentence naming the file.
  @Test func damagedSessionsAreReadOrRefused() throws {
    let text = try Self.recordedSession()
    var mutator = InputMutator(seed: 2026)
    let bytes = Array(text.utf8)
    let texts = (mutator.truncations(of: bytes, count: 150) + mutator.byteFlips(of: bytes, count: 400)).map { Data($0) }
      + mutator.numberSwaps(in: text, count: 400).map { Data($0.utf8) }
    var read = 0
    for (i, data) in texts.enumerated() {
      var named = true
      let outcome = FuzzOutcome.of {
        do {
          let file = try SessionFile(path: "fuzz.jsonl", data: data)
          _ = SessionPlayback.frames(of: file)
          read += 1
        } catch {
          named = "\(error)".contains("fuzz.jsonl")
          throw error
        }
      }
      Self.expectClean(outcome, "session case \(i)")
      if !named { Issue.record("session case \(i) does not name the file: \(outcome)") }
    }
    #expect(read > 100, "most truncations keep whole records")
  }

  /// A record's fields handed every kind of JSON value, one at a time.
  @Test func sessionRecordStructureVariants() throws {
    let text = try Self.recordedSession()
    let lines = text.split(separator: "\n").map(String.init)
    let train = try #require(lines.first { $0.contains("\"line\":\"train\"") })
    let object = try #require(try JSONSerialization.jsonObject(with: Data(train.utf8)) as? [String: Any])
    let variants = InputMutator.jsonVariants(of: object)
    #expect(variants.count > 100)
    for (i, variant) in variants.enumerated() {
      let session = ([lines[0], variant]).joined(separator: "\n") + "\n"
      let outcome = FuzzOutcome.of { _ = SessionPlayback.frames(of: try SessionFile(path: "fuzz.jsonl", data: Data(session.utf8))) }
      Self.expectClean(outcome, "record variant \(i)")
    }
  }

  /// Replaying sessions whose numbers were swapped for extreme ones: a verdict or a sentence.
  @Test func replaysOfDamagedNumbers() throws {
    let text = try Self.recordedSession()
    var mutator = InputMutator(seed: 7)
    for (i, variant) in mutator.numberSwaps(in: text, count: 24).enumerated() {
      let outcome = FuzzOutcome.of {
        let file = try SessionFile(path: "fuzz.jsonl", data: Data(variant.utf8))
        let report = try Replay.run(file)
        _ = ReplayVerdict.lines(report, session: "fuzz.jsonl")
      }
      Self.expectClean(outcome, "replay case \(i)")
    }
  }

  /// Damaged scripts: every line parsed before any runs; a bad one is named by file and line.
  @Test func damagedScripts() throws {
    let text = tinyScript + "\nablate skips seeds=2\nflow 16 grid\npredict \"a b.avi\" window=2\nexport out\n"
    var mutator = InputMutator(seed: 11)
    let bytes = Array(text.utf8)
    let texts = (mutator.truncations(of: bytes, count: 80) + mutator.byteFlips(of: bytes, count: 300)).map { String(decoding: $0, as: UTF8.self) }
      + mutator.numberSwaps(in: text, count: 300)
    for (i, script) in texts.enumerated() {
      var named = true
      let outcome = FuzzOutcome.of {
        do { _ = try Script(path: "fuzz.ferlab", text: script) } catch {
          named = "\(error)".contains("fuzz.ferlab:")
          throw error
        }
      }
      Self.expectClean(outcome, "script case \(i)")
      if !named { Issue.record("script case \(i) does not name the file and line: \(outcome)") }
    }
  }

  /// Command lines of the language's own words and extreme values: a command or one line of error.
  @Test func commandLinesOfExtremeWords() {
    var rng = SeededRNG(seed: 99)
    let words = CommandCatalog.names + SettingCatalog.names + LoadArguments.sources + LoadArguments.presetNames
      + InputMutator.extremeNumbers + ["on", "off", "all", "grid", "seeds=", "cells=", "window=", "\"", "#", "=", "a b", ""]
    for i in 0..<3000 {
      let count = 1 + rng.nextInt(below: 4)
      var line = (0..<count).map { _ in words[rng.nextInt(below: words.count)] }
      if rng.nextInt(below: 3) == 0 { line[line.count - 1] += InputMutator.extremeNumbers[rng.nextInt(below: InputMutator.extremeNumbers.count)] }
      let text = line.joined(separator: " ")
      let outcome = FuzzOutcome.of {
        do {
          guard case .set(let change)? = try CommandParser.parse(text), let setting = SettingCatalog.named(change.name) else { return }
          var settings = WorkspaceSettings(seed: 1)
          try setting.assign(change.value, &settings, .running(dataset: nil))
        } catch let error as CommandError {
          if error.message.contains("\n") { Issue.record("line \(i) `\(text)`: a message of several lines") }
          throw error
        }
      }
      Self.expectClean(outcome, "line \(i) `\(text)`")
    }
  }
}
