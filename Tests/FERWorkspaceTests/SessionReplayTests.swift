import FERExperiments
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

  /// The record of `line` in the session `text`, changed by `change`, written back.
  func editing(_ text: String, record line: String, _ change: (inout CommandRecord) throws -> Void) throws -> String {
    var lines = text.split(separator: "\n").map(String.init)
    let index = try #require(lines.firstIndex { $0.contains("\"line\":\"\(line)\"") })
    var record = try SessionCoding.decoder.decode(CommandRecord.self, from: Data(lines[index].utf8))
    try change(&record)
    lines[index] = String(decoding: try SessionCoding.encoder.encode(record), as: UTF8.self)
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func tamperedResultIsCaughtAndNamed() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    var index = 0
    try editing(text, record: "eval") { record in
      index = record.index
      guard case .evaluated(var e) = record.events[0] else { throw SessionError.noHeader(path: "the eval record") }
      e.loss += 1e-9
      record.events[0] = .evaluated(e)
    }.write(toFile: path, atomically: true, encoding: .utf8)
    let report = try Replay.run(try SessionFile(path: path))
    let divergence = try #require(report.divergence)
    #expect(divergence.line == "eval")
    #expect(divergence.field == "events[0].loss")
    #expect(divergence.description.contains("command \(index) `eval`"))
  }

  /// `text` whose header says the recording was made with the kernels left to OpenBLAS (outside the promise).
  func outsideThePromise(_ text: String) throws -> String {
    var lines = text.split(separator: "\n").map(String.init)
    var header = try SessionCoding.decoder.decode(SessionHeader.self, from: Data(lines[0].utf8))
    header.numerics.blas.fixed = false
    lines[0] = String(decoding: try SessionCoding.encoder.encode(header), as: UTF8.self)
    return lines.joined(separator: "\n") + "\n"
  }

  /// Changes the train record's second step loss by a relative `relative`.
  func nudgingSecondStepLoss(_ text: String, by relative: Double) throws -> String {
    try editing(text, record: "train") { record in
      guard let i = record.events.firstIndex(where: { $0.type == "epoch" }), case .epoch(var e) = record.events[i] else {
        throw SessionError.noHeader(path: "the train record")
      }
      var steps = e.record.stepLosses
      steps[1] = Float(Double(steps[1]) * (1 + relative))
      e.record = EpochRecord(
        epoch: e.record.epoch, trainLoss: e.record.trainLoss, trainAccuracy: e.record.trainAccuracy,
        validationLoss: e.record.validationLoss, validationAccuracy: e.record.validationAccuracy,
        learningRate: e.record.learningRate, meanGradientNorm: e.record.meanGradientNorm, stepLosses: steps)
      record.events[i] = .epoch(e)
    }
  }

  @Test func outsideThePromiseResultsMayPartWithinTheToleranceAndReplaySaysWhere() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    try nudgingSecondStepLoss(outsideThePromise(text), by: 1e-5).write(toFile: path, atomically: true, encoding: .utf8)
    let report = try Replay.run(try SessionFile(path: path))
    #expect(!report.strict)
    #expect(report.divergence == nil)
    let train = try #require(report.compared.first { $0.line == "train" })
    #expect(train.firstParting == "event 2 (epoch 1 of run 1) at record.stepLosses[1] (step 2)")
    #expect(abs(train.largestDeviation - 1e-5) < 1e-6)
    #expect(report.compared.filter { $0.line != "train" }.allSatisfy { $0.isIdentical })
    let lines = ReplayVerdict.lines(report, session: path)
    #expect(lines.contains { $0.hasPrefix("outside the reproducibility promise") })
    // The nudge goes through Float, so the deviation is 1e-5 to float32's rounding.
    let verdict = try #require(lines.last)
    #expect(verdict.hasPrefix("OK within tolerance: largest relative deviation "), "\(verdict)")
    #expect(verdict.hasSuffix(" (command 6 at events[1].record.stepLosses[1])"), "\(verdict)")
  }

  @Test func beyondTheToleranceOrInsideThePromiseADifferenceFails() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    for (session, expectedLimit) in [
      (try nudgingSecondStepLoss(text, by: 1e-6), "results must be identical"),
      (try nudgingSecondStepLoss(outsideThePromise(text), by: 1e-2), "beyond the tolerance"),
    ] {
      try session.write(toFile: path, atomically: true, encoding: .utf8)
      let report = try Replay.run(try SessionFile(path: path))
      let divergence = try #require(report.divergence)
      #expect(divergence.field == "events[1].record.stepLosses[1]")
      let lines = ReplayVerdict.lines(report, session: path)
      #expect(lines.last?.hasPrefix("DIVERGED (\(expectedLimit)") == true, "\(lines)")
      #expect(!lines.contains { $0.hasPrefix("OK") })
      #expect(lines.contains { $0.contains("`train`: first parts at event 2 (epoch 1 of run 1) at record.stepLosses[1] (step 2)") })
    }
  }

  /// A session of format 2 is read for its lines: replay re-runs them and says it cannot check them.
  @Test func anEarlierFormatIsReRunNotChecked() throws {
    let path = temporaryPath("format2.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let header = "{\"type\":\"header\",\"format\":1,\"ferlab\":\"0.1.0\",\"seed\":1,\"threads\":2,\"started\":\"\",\"machine\":{\"system\":\"Linux\",\"release\":\"\",\"architecture\":\"x86_64\",\"cpu\":\"AMD EPYC\",\"cores\":2}}"
    let records = [
      "{\"type\":\"command\",\"index\":1,\"line\":\"\(tinyLoad)\",\"results\":{},\"seconds\":1}",
      "{\"type\":\"dataset\",\"command\":1}",
      "{\"type\":\"command\",\"index\":2,\"line\":\"set epochs 1\",\"results\":{},\"seconds\":0}",
    ]
    try ([header] + records).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
    let file = try SessionFile(path: path)
    #expect(!file.recordsEvents && file.commands.map(\.line) == [tinyLoad, "set epochs 1"])
    let report = try Replay.run(file)
    #expect(!report.checked && report.divergence == nil)
    #expect(ReplayVerdict.lines(report, session: path).last?.hasPrefix("NOT CHECKED") == true)
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
    #expect(workspace.snapshot().runs[1].dataset == "synthetic small")
    #expect(workspace.snapshot().currentRun?.history.count == 2)
  }

  @Test func truncatedFileReplaysToTheCut() throws {
    let (path, text) = try recorded()
    defer { try? FileManager.default.removeItem(atPath: path) }
    // Cut in the middle of the 7th command record (`eval`).
    let seventh = try #require(text.range(of: "\"index\":7,"))
    let lineStart = text[..<seventh.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    try String(text[..<lineStart] + "{\"cell\":6,\"events\":[{\"type\":\"ev").write(toFile: path, atomically: true, encoding: .utf8)
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
