import FERExperiments
import Foundation
import Testing
@testable import FERWorkspace

// A recorded session turned into explorer frames, without recomputing.

@Suite(.serialized) struct SessionPlaybackTests {
  /// Load, a tiny model, a 2-epoch training (evaluated by `train` itself) and flow.
  static let script = """
    \(tinyLoad)
    set preset tiny
    set streams rgb
    set batch 4
    train 2
    flow 8
    """

  @Test func framesFollowTheRecordingAndEndInItsState() throws {
    let path = temporaryPath("playback.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let live = try runHeadless(Self.script, session: path).snapshot()
    let file = try SessionFile(path: path)
    let frames = SessionPlayback.frames(of: file)

    // The empty workspace, then each of the 6 commands starting and finishing, plus one frame per epoch.
    #expect(frames.count == 1 + 2 * 6 + 2)
    #expect(frames[0].cells.isEmpty && frames[0].dataset == nil)
    // The curves grow one epoch at a time.
    let epochs = frames.map { $0.currentRun?.history.count ?? -1 }
    #expect(Array(Set(epochs)).sorted() == [-1, 1, 2])
    #expect(zip(epochs, epochs.dropFirst()).allSatisfy { $0 <= $1 })

    let last = try #require(frames.last)
    #expect(last.activity == .idle)
    #expect(last.cells.map(\.command) == file.commands.map(\.line))
    #expect(last.cells.allSatisfy { $0.isFinished && !$0.isError && !$0.output.isEmpty })
    #expect(last.spec == live.spec)
    #expect(last.training == live.training)
    #expect(last.dataset?.fingerprintHex == live.dataset?.fingerprintHex)
    #expect(last.dataset?.classCounts == live.dataset?.classCounts)
    #expect(Set(last.dataset?.foldGroups.map(Set.init) ?? []) == Set(live.dataset?.foldGroups.map(Set.init) ?? []))
    let run = try #require(last.currentRun)
    let liveRun = try #require(live.currentRun)
    #expect(run.history == liveRun.history && run.history.count == 2)
    // `train` evaluated on the fold's test subjects: the confusion is there without `eval`.
    #expect(run.confusion != nil)
    #expect(run.confusion == liveRun.confusion)
    #expect(run.stop == liveRun.stop)
    #expect(run.checksumHex == liveRun.checksumHex)
    #expect(last.gradientFlow.map(\.label) == live.gradientFlow.map(\.label))
    #expect(last.gradientFlow.map(\.report.loss) == live.gradientFlow.map(\.report.loss))
    #expect(last.gradientFlow.map { $0.report.layers.map(\.hidden) } == live.gradientFlow.map { $0.report.layers.map(\.hidden) })
  }

  @Test func failedCommandsAndTablesAreShown() throws {
    let header = "{\"type\":\"header\",\"format\":1,\"ferlab\":\"0.1.0\",\"seed\":3,\"threads\":1,\"started\":\"\",\"machine\":{\"system\":\"\",\"release\":\"\",\"architecture\":\"\",\"cpu\":\"\",\"cores\":1}}"
    let failed = "{\"type\":\"command\",\"index\":1,\"line\":\"eval\",\"results\":{},\"error\":\"there is no trained run yet\",\"seconds\":0}"
    let compared = "{\"type\":\"command\",\"index\":2,\"line\":\"compare 1 2\",\"results\":{\"table\":{\"header\":[\"\",\"run 1\",\"run 2\"],\"rows\":[[\"epochs\",\"1\",\"2\"]]}},\"seconds\":0}"
    let file = try SessionFile(path: "t.jsonl", data: Data([header, failed, compared, ""].joined(separator: "\n").utf8))
    let frames = SessionPlayback.frames(of: file)
    #expect(frames.count == 5)
    #expect(frames[1].cells.last?.isFinished == false && frames[1].activity == .evaluating)
    let last = try #require(frames.last)
    #expect(last.seed == 3)
    #expect(last.cells[0].isError && last.cells[0].output == ["there is no trained run yet"])
    #expect(last.table?.rows == [["epochs", "1", "2"]])
    #expect(last.cells[1].output.contains { $0.hasPrefix("epochs") })
  }
}
