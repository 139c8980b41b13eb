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
  /// load, set epochs 6, a 6-epoch train with its test evaluation, as recorded events.
  static func session() throws -> SessionFile {
    var settings = WorkspaceSettings(seed: 1)
    settings.spec = ExplorerFixtures.spec()
    settings.training.epochs = 6
    // 6 classes × 2 test clips, 8 right.
    let counts = [2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1]
    var confusion = ConfusionMatrix(classes: 6)
    for (cell, n) in counts.enumerated() { for _ in 0..<n { confusion.add(label: cell / 6, prediction: cell % 6) } }
    let dataset = DatasetEvent(
      source: "synthetic small", name: "synthetic", provenance: "synthetic", fingerprint: "3f9a61c2d04e7b15", clips: 60,
      frames: 8, size: 32, classCounts: [10, 10, 10, 10, 10, 10], motion: false, foldGroups: [["1"], ["2"], ["3"], ["4"], ["5"]],
      foldSeed: 1)
    let train: [WorkspaceEvent] =
      [.runStarted(RunStarted(
        run: 1, dataset: "synthetic small", spec: settings.spec, training: settings.training, fold: 0, trainingClips: 36,
        validationClips: 12, testClips: 12))]
      + ExplorerFixtures.history(epochs: 6).map { .epoch(EpochEvent(run: 1, cell: nil, record: $0)) }
      + [
        .evaluated(Evaluated(
          run: 1, fold: 0, subjects: ["1"], loss: 1.2, accuracy: confusion.accuracy, macroF1: confusion.macroF1,
          uar: confusion.unweightedAverageRecall, confusion: confusion, clips: [], labels: [], predictions: [], probabilities: [])),
        .runFinished(RunFinished(run: 1, stop: .completed, checksum: "00000000deadbeef", testAccuracy: confusion.accuracy)),
      ]
    let records = [
      CommandRecord(index: 1, cell: 0, line: "load synthetic small", events: [.datasetLoaded(dataset)], error: nil, dropped: nil, seconds: 0),
      CommandRecord(
        index: 2, cell: 1, line: "set epochs 6", events: [.settingsChanged(SettingsChanged(setting: "epochs", settings: settings))],
        error: nil, dropped: nil, seconds: 0),
      CommandRecord(index: 3, cell: 2, line: "train", events: train, error: nil, dropped: nil, seconds: 0),
    ]
    let encoder = SessionCoding.encoder
    let header = SessionHeader(seed: 1, numerics: .current(ferlab: "test"))
    let lines = [try encoder.encode(header)] + (try records.map { try encoder.encode($0) })
    return try SessionFile(path: "lesson.jsonl", data: Data((lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") + "\n").utf8))
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
