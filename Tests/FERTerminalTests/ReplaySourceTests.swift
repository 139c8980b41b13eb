import Foundation
import Testing
@testable import FERExperiments
@testable import FERModels
@testable import FERTerminal
@testable import FERWorkspace

// `ferlab replay --view`: a hand-written session played back on a clock, and
// one of its frames drawn at 80×24.

@Suite("Replay viewer")
struct ReplaySourceTests {
  /// load, set epochs 6, a 6-epoch train with its test evaluation.
  static func session() throws -> SessionFile {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    var training = TrainingConfig()
    training.epochs = 6
    let spec = try json(ExplorerFixtures.spec()), config = try json(training)
    let history = try json(ExplorerFixtures.history(epochs: 6))
    // 6 classes × 2 test clips, 8 right.
    let counts = [2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1]
    let lines = [
      "{\"type\":\"header\",\"format\":1,\"ferlab\":\"0.1.0\",\"seed\":1,\"threads\":1,\"started\":\"\",\"machine\":{\"system\":\"\",\"release\":\"\",\"architecture\":\"\",\"cpu\":\"\",\"cores\":1}}",
      "{\"type\":\"command\",\"index\":1,\"line\":\"load synthetic small\",\"results\":{\"dataset\":{\"name\":\"synthetic\",\"clips\":60,\"subjects\":5,\"frames\":8,\"size\":32,\"fingerprint\":\"3f9a61c2d04e7b15\",\"classCounts\":[10,10,10,10,10,10],\"motion\":false}},\"seconds\":0}",
      "{\"type\":\"dataset\",\"command\":1,\"name\":\"synthetic\",\"provenance\":\"synthetic\",\"fingerprint\":\"3f9a61c2d04e7b15\",\"clips\":60,\"frames\":8,\"size\":32,\"motion\":false,\"groups\":{\"1\":0,\"2\":1,\"3\":2,\"4\":3,\"5\":4},\"foldSeed\":1}",
      "{\"type\":\"command\",\"index\":2,\"line\":\"set epochs 6\",\"results\":{\"spec\":\(spec),\"training\":\(config)},\"seconds\":0}",
      "{\"type\":\"command\",\"index\":3,\"line\":\"train\",\"results\":{\"run\":1,\"fold\":0,\"spec\":\(spec),\"training\":\(config),\"history\":\(history),\"stop\":\"completed\",\"checksum\":\"00000000deadbeef\",\"evaluation\":{\"loss\":1.2,\"confusion\":{\"classes\":6,\"counts\":\(counts),\"accuracy\":0.6667,\"macroF1\":0.6,\"uar\":0.6667},\"predictions\":[]}},\"seconds\":0}",
    ]
    return try SessionFile(path: "lesson.jsonl", data: Data((lines.joined(separator: "\n") + "\n").utf8))
  }

  @Test func playsOnAClockWithPauseStepAndSpeed() throws {
    let source = ReplaySource(frames: SessionPlayback.frames(of: try Self.session()))
    // Empty, load ×2, set ×2, train start, 6 epochs, train end.
    #expect(source.frames.count == 1 + 2 + 2 + 1 + 6 + 1)
    let t0 = Date(timeIntervalSince1970: 1000)
    let step = ReplaySource.baseInterval
    source.advance(at: t0)
    #expect(source.position == 0)
    source.advance(at: t0.addingTimeInterval(step * 2.5))
    #expect(source.position == 2)
    #expect(source.control(.replayFaster)?.contains("speed 2×") == true)
    // At speed 2 a frame lasts half a step.
    source.advance(at: t0.addingTimeInterval(step * 3.2))
    #expect(source.position == 4)
    #expect(source.control(.replayPause)?.hasPrefix("paused") == true)
    source.advance(at: t0.addingTimeInterval(step * 20))
    #expect(source.position == 4)
    _ = source.control(.replayStep)
    #expect(source.position == 5)
    _ = source.control(.replaySlower)
    #expect(source.control(.replaySlower)?.contains("speed 1/2×") == true)
    _ = source.control(.replayPause)
    source.advance(at: t0.addingTimeInterval(step * 20 + 1000))
    #expect(source.isAtEnd)
    #expect(source.status.hasPrefix("end of the session"))
    // The curves grew one epoch a frame and the last frame holds the evaluation.
    let epochs = source.frames.compactMap { $0.currentRun?.history.count }
    #expect(epochs == [1, 2, 3, 4, 5, 6, 6])
    #expect(source.snapshot().currentRun?.confusion?.total == 12)
    #expect(source.snapshot().dataset?.foldGroups == [["1"], ["2"], ["3"], ["4"], ["5"]])
    // Nothing can be typed into a replay.
    source.submit("train")
    #expect(source.snapshot().cells.count == 3)
  }

  @Test func aReplayedFrameAt80x24() throws {
    let source = ReplaySource(frames: SessionPlayback.frames(of: try Self.session()))
    // Mid-training: 4 of 6 epochs on the curves.
    let frame = try #require(source.frames.firstIndex { $0.currentRun?.history.count == 4 })
    var view = ExplorerViewState(title: "FERLab replay", keys: .replay)
    view.status = "playing - step \(frame + 1)/\(source.frames.count) - speed 1×"
    let grid = ExplorerScreen.draw(source.frames[frame], view: view, width: 80, height: 24, capabilities: .full)
    expectSnapshot(grid.render(plain: true), named: "replay-training-80x24")
  }
}
