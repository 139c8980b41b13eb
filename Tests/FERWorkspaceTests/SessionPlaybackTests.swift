import FERExperiments
import Foundation
import Testing
@testable import FERWorkspace

// A recorded session turned into explorer frames, without recomputing: the
// recorded events through the same reducer and renderer the live workspace used.

@Suite(.serialized) struct SessionPlaybackTests {
  /// Load, a tiny model, a 2-epoch training (evaluated by `train` itself), a typo, a 2-fold cv, help and flow.
  static let script = """
    \(tinyLoad)
    set preset tiny
    set streams rgb
    set batch 4
    set folds 2
    train 2
    set lr fast
    cv
    help cv
    flow 8
    """

  @Test func theViewedNotebookIsTheLiveOneLineForLine() throws {
    let path = temporaryPath("playback.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let live = try runHeadless(Self.script, session: path).snapshot()
    let file = try SessionFile(path: path)
    let frames = SessionPlayback.frames(of: file)

    let last = try #require(frames.last)
    #expect(last.cells == live.cells)
    #expect(last.cells.contains { $0.isError && $0.output == ["set lr: \"fast\" is not a number above 0 to 1e+06; e.g. `set lr 1e-3`"] })
    #expect(last.activity == .idle)
    #expect(last.settings == live.settings)
    #expect(last.dataset == live.dataset)
    #expect(last.runs == live.runs)
    #expect(last.table == live.table)
    #expect(last.grid == live.grid)
    #expect(last.gradientFlow == live.gradientFlow)
    #expect(last.currentRun?.confusion != nil)

    // The empty workspace first; the curves grow one epoch at a time.
    #expect(frames[0].cells.isEmpty && frames[0].dataset == nil)
    let epochs = frames.map { $0.runs.first?.history.count ?? -1 }
    #expect(Array(Set(epochs)).sorted() == [-1, 1, 2])
    #expect(zip(epochs, epochs.dropFirst()).allSatisfy { $0 <= $1 })
    // The cross-validation's cells finish one frame at a time.
    let cells = frames.map { $0.grid?.finished.count ?? 0 }
    #expect(cells.contains(1) && cells.last == 2)
  }

  /// A command typed while another runs is written first but shown after it.
  @Test func cellsArePlacedByNumber() throws {
    let header = try SessionCoding.encoder.encode(SessionHeader(seed: 3, numerics: .current(ferlab: "test")))
    func record(_ index: Int, cell: Int, _ line: String, _ events: [WorkspaceEvent], error: String? = nil) throws -> Data {
      try SessionCoding.encoder.encode(
        CommandRecord(index: index, cell: cell, line: line, events: events, error: error, dropped: nil, seconds: 0))
    }
    let table = ResultTable(header: ["", "run 1", "run 2"], rows: [["epochs", "1", "2"]])
    let lines = [
      header,
      try record(1, cell: 1, "bogus", [], error: "unknown command \"bogus\""),
      try record(2, cell: 0, "compare 1 2", [.compared(Compared(runs: [1, 2], table: table))]),
    ]
    let data = Data(lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n").utf8 + [0x0A])
    let frames = SessionPlayback.frames(of: try SessionFile(path: "t.jsonl", data: data))
    #expect(frames.count == 5)
    let last = try #require(frames.last)
    #expect(last.seed == 3)
    #expect(last.cells.map(\.command) == ["compare 1 2", "bogus"])
    #expect(last.cells[1].isError && last.cells[1].output == ["unknown command \"bogus\""])
    #expect(last.table == table)
    #expect(last.cells[0].output.prefix(table.lines.count) == table.lines[...])
    #expect(last.overlay == [1, 2])
  }
}
