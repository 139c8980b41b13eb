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
