import Foundation
import Testing
@testable import FERWorkspace

@Suite(.serialized) struct SessionReplayTests {
  /// Records the tiny script once per test and returns the file's text.
  func recorded() throws -> (path: String, text: String) {
    let path = temporaryPath("session.jsonl")
    _ = try runHeadless(tinyScript, session: path)
    return (path, try String(contentsOfFile: path, encoding: .utf8))
  }

  @Test func replayIsIdentical() throws {
    let (path, _) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let report = try Replay.run(try SessionFile(path: path))
    #expect(report.strict)
    #expect(report.divergence == nil)
    #expect(report.isIdentical)
    #expect(report.commands == 8)
  }

  @Test func tamperedResultIsCaughtAndNamed() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    var lines = text.split(separator: "\n").map(String.init)
    let index = try #require(lines.firstIndex { $0.contains("\"line\":\"eval\"") })
    // Change the eval loss in its last digits.
    let record = try SessionCoding.decoder.decode(CommandRecord.self, from: Data(lines[index].utf8))
    let loss = try #require(record.results["loss"]?.numberValue)
    lines[index] = lines[index].replacingOccurrences(of: "\"loss\":\(loss)", with: "\"loss\":\(loss + 1e-9)")
    #expect(lines[index] != text.split(separator: "\n")[index].description)
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let report = try Replay.run(try SessionFile(path: path))
    let divergence = try #require(report.divergence)
    #expect(divergence.line == "eval")
    #expect(divergence.field == "loss")
    #expect(divergence.description.contains("command \(record.index) `eval`"))
  }

  /// `text` with its header replaced by a format-1 header (no numeric environment).
  func asFormatOne(_ text: String) -> String {
    let header = "{\"type\":\"header\",\"format\":1,\"ferlab\":\"0.1.0\",\"seed\":1,\"threads\":2,\"started\":\"\",\"machine\":{\"system\":\"Linux\",\"release\":\"\",\"architecture\":\"x86_64\",\"cpu\":\"AMD EPYC\",\"cores\":2}}"
    return ([header] + text.split(separator: "\n").dropFirst().map(String.init)).joined(separator: "\n") + "\n"
  }

  /// Changes the train record's second step loss by a relative `relative`.
  func nudgingSecondStepLoss(_ text: String, by relative: Double) throws -> String {
    var lines = text.split(separator: "\n").map(String.init)
    let index = try #require(lines.firstIndex { $0.contains("\"line\":\"train\"") })
    guard case .object(var results) = try SessionCoding.decoder.decode(CommandRecord.self, from: Data(lines[index].utf8)).results,
      case .array(var history) = results["history"], case .object(var epoch) = history[0],
      case .array(var steps) = epoch["stepLosses"], let loss = steps[1].numberValue
    else { throw SessionError.noHeader(path: "the train record") }
    steps[1] = .number(loss * (1 + relative))
    epoch["stepLosses"] = .array(steps)
    history[0] = .object(epoch)
    results["history"] = .array(history)
    var record = try SessionCoding.decoder.decode(CommandRecord.self, from: Data(lines[index].utf8))
    record.results = .object(results)
    lines[index] = String(decoding: try SessionCoding.encoder.encode(record), as: UTF8.self)
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func formatOneReplaysOutsideThePromiseAndSaysWhereResultsPart() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    try nudgingSecondStepLoss(asFormatOne(text), by: 1e-6).write(toFile: path, atomically: true, encoding: .utf8)
    let report = try Replay.run(try SessionFile(path: path))
    #expect(!report.strict)
    #expect(report.reasonNotStrict?.contains("not recorded") == true)
    #expect(report.divergence == nil)
    let train = try #require(report.compared.first { $0.line == "train" })
    #expect(train.firstParting == "history[0].stepLosses[1] (epoch 1, step 2)")
    #expect(abs(train.largestDeviation - 1e-6) < 1e-7)
    let others = report.compared.filter { $0.line != "train" }
    #expect(others.allSatisfy { $0.isIdentical })
    let lines = ReplayVerdict.lines(report, session: path)
    #expect(lines.contains { $0.hasPrefix("outside the reproducibility promise") })
    #expect(lines.contains { $0.hasPrefix("  FERLab") && $0.contains("0.1.0") })
    #expect(lines.last?.hasPrefix("OK within tolerance: largest relative deviation 1e-06 (command 6 at history[0].stepLosses[1])") == true, "\(lines)")
  }

  @Test func beyondTheToleranceOrInsideThePromiseADifferenceFails() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    for (session, expectedLimit) in [
      (try nudgingSecondStepLoss(text, by: 1e-7), "results must be identical"),
      (try nudgingSecondStepLoss(asFormatOne(text), by: 1e-2), "beyond the tolerance"),
    ] {
      try session.write(toFile: path, atomically: true, encoding: .utf8)
      let report = try Replay.run(try SessionFile(path: path))
      let divergence = try #require(report.divergence)
      #expect(divergence.field == "history[0].stepLosses[1]")
      let lines = ReplayVerdict.lines(report, session: path)
      #expect(lines.last?.hasPrefix("DIVERGED (\(expectedLimit)") == true, "\(lines)")
      #expect(!lines.contains { $0.hasPrefix("OK") })
      #expect(lines.contains { $0.contains("`train`: first parts at history[0].stepLosses[1] (epoch 1, step 2)") })
    }
  }

  /// `--until K`: commands 1…K replayed and checked, the workspace left where they left it, ready to branch.
  @Test func replayUntilACommandLeavesItsState() throws {
    let (path, _) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let file = try SessionFile(path: path)
    let train = try #require(file.commands.first { $0.line == "train" })
    let workspace = try Replay.workspace(for: file)
    let report = try Replay.run(file, in: workspace, until: train.index)
    #expect(report.divergence == nil && report.isIdentical)
    #expect(report.compared.map(\.index) == Array(1...train.index))
    #expect(report.commands == file.commands.count)
    #expect(workspace.commandRecords().count == train.index)
    #expect(workspace.snapshot().currentRun?.history.count == 1)
    // Branch: a command the recording never ran, on the recorded state.
    workspace.submit("set epochs 2")
    workspace.submit("train")
    workspace.waitUntilIdle()
    #expect(workspace.snapshot().runs.count == 2)
    #expect(workspace.snapshot().currentRun?.history.count == 2)
  }

  @Test func truncatedFileReplaysToTheCut() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    // Cut in the middle of the 7th command record (`eval`).
    let cut = try #require(text.range(of: "{\"index\":7"))
    try String(text[..<cut.lowerBound] + "{\"index\":7,\"line\":\"ev").write(toFile: path, atomically: true, encoding: .utf8)
    let file = try SessionFile(path: path)
    #expect(file.cutAtLine != nil)
    #expect(file.commands.count == 6)
    let report = try Replay.run(file)
    #expect(report.divergence == nil)
    #expect(report.commands == 6)
  }

  @Test func newerFormatIsRefused() throws {
    let path = temporaryPath("future.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try "{\"type\":\"header\",\"format\":\(sessionFormatVersion + 1)}\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: SessionError.newerFormat(path: path, format: sessionFormatVersion + 1)) { try SessionFile(path: path) }
    #expect(SessionError.newerFormat(path: path, format: 2).description.contains("update FERLab"))
  }

  @Test func damagedMiddleLineIsAnError() throws {
    let path = temporaryPath("damaged.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let header = "{\"type\":\"header\",\"format\":1,\"ferlab\":\"0.1.0\",\"seed\":1,\"threads\":1,\"started\":\"\",\"machine\":{\"system\":\"\",\"release\":\"\",\"architecture\":\"\",\"cpu\":\"\",\"cores\":1}}"
    try "\(header)\n{\"type\":\"command\",\"ind\n{\"type\":\"command\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: SessionError.self) { try SessionFile(path: path) }
  }
}

@Suite struct SessionWriterTests {
  /// A second recorder on the same file is refused before it truncates anything.
  @Test func aSessionBeingRecordedIsLocked() throws {
    let path = temporaryPath("locked.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let first = try Workspace(options: WorkspaceOptions(sessionPath: path))
    first.submit("set epochs 2")
    let before = try String(contentsOfFile: path, encoding: .utf8)
    #expect(before.split(separator: "\n").count == 2)
    #expect { try Workspace(options: WorkspaceOptions(sessionPath: path)) } throws: {
      "\($0)".contains("another FERLab is recording to it")
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
    withExtendedLifetime(first) {}
  }

  @Test func onlyRegularFilesAreTruncated() {
    #expect { try Workspace(options: WorkspaceOptions(sessionPath: "/dev/null")) } throws: {
      "\($0)".contains("/dev/null: it is not a regular file")
    }
  }
}
