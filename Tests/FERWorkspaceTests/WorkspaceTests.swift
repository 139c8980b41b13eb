import FERExperiments
import FERModels
import Foundation
import Testing
@testable import FERWorkspace

/// A dataset small enough for tests: 5 subjects × 6 classes × 1 clip, T = 6, S = 16.
let tinyLoad = "load synthetic small subjects=5 clips=1 frames=6 size=16"

/// A tiny script: load, a tiny model, a 1-epoch training, eval and flow.
let tinyScript = """
  # a script for tests
  \(tinyLoad)
  set preset tiny
  set streams rgb
  set epochs 1
  set batch 4
  train
  eval
  flow 8
  """

func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-\(UUID().uuidString)-\(name)").path
}

/// Submits each line of `text` (bad ones too, as a person would type them) and waits for it; returns the workspace.
func runHeadless(_ text: String, session: String? = nil, seed: UInt64 = 1) throws -> Workspace {
  let workspace = try Workspace(options: WorkspaceOptions(seed: seed, sessionPath: session))
  for line in text.split(separator: "\n").map(String.init) where !Words.split(line).isEmpty {
    workspace.submit(line)
    workspace.waitUntilIdle()
  }
  return workspace
}

@Suite struct WorkspaceTests {
  @Test func defaultsAreSmallRGBOnly() throws {
    let s = try Workspace().snapshot()
    #expect(s.spec.name == "small")
    #expect(s.spec.streams == [.rgb])
    #expect(s.activity == .idle)
    #expect(s.dataset == nil)
  }

  @Test func setChangesState() throws {
    let workspace = try Workspace()
    for line in ["set temporal off", "set norm off", "set centre off", "set lr 0.01", "set epochs 7", "set optimizer sgd", "set schedule step",
      "set peephole current", "set frames 24", "set seed 9", "set folds 3", "set fold 2"] {
      workspace.submit(line)
    }
    let s = workspace.snapshot()
    #expect(!s.spec.convLSTM.temporalSkip && s.spec.convLSTM.spatialSkip && !s.spec.convLSTM.groupNorm)
    #expect(s.spec.convLSTM.outputPeephole == .current)
    #expect(!s.spec.centreFrames)
    #expect(s.training.learningRate == 0.01 && s.training.epochs == 7)
    #expect(s.training.optimizer == .sgd && s.training.schedule == .step)
    #expect(s.flowFrames == 24 && s.seed == 9 && s.training.seed == 9)
    #expect(s.foldCount == 3 && s.fold == 2)
    workspace.submit("set fold 3")
    #expect(workspace.snapshot().cells.last?.isError == true)
    #expect(workspace.snapshot().cells.last?.output.last?.contains("0 to 2") == true)
  }

  @Test func loadSetsInputSizeAndErrorsAreCells() throws {
    let workspace = try runHeadless("\(tinyLoad)\nset preset tiny\ntrain 1\nload enterface /nonexistent/enterface")
    let s = workspace.snapshot()
    #expect(s.dataset?.clips == 30 && s.dataset?.size == 16 && s.dataset?.frames == 6)
    #expect(s.spec.inputSize == 16)
    // The tiny preset has all four streams: training computed motion first.
    #expect(s.dataset?.hasMotion == true)
    #expect(s.runs.count == 1 && s.runs[0].history.count == 1)
    #expect(s.runs[0].dataset == "synthetic small")
    // `train` evaluates on the fold's test subjects itself (5 subjects, 1 per fold: 6 clips).
    #expect(s.runs[0].confusion?.total == 6)
    #expect(s.cells.last?.isError == true)
    workspace.submit("bogus")
    #expect(workspace.snapshot().cells.last?.output == ["unknown command \"bogus\"; commands: \(CommandCatalog.names.joined(separator: ", "))"])
    workspace.submit("compare 1 5")
    workspace.waitUntilIdle()
    #expect(workspace.snapshot().cells.last?.output.last == "there is no run 5; runs are numbered 1 to 1")
  }

  @Test func headlessScriptRecordsASession() throws {
    let path = temporaryPath("script.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let workspace = try runHeadless(tinyScript, session: path)
    let s = workspace.snapshot()
    #expect(s.cells.allSatisfy { !$0.isError })
    #expect(s.currentRun?.confusion?.total == 6)
    #expect(s.gradientFlow.map(\.label) == ["conventional (init)", "enhanced (init)", "run 1 (trained)"])
    #expect(s.gradientFlow[0].report.steps == 8)
    let file = try SessionFile(path: path)
    #expect(file.header.format == sessionFormatVersion)
    let lines = try Script(path: "t", text: tinyScript).commands.map(\.line)
    #expect(file.commands.map(\.line) == lines)
    guard case .datasetLoaded(let dataset)? = file.commands[0].events.first else {
      Issue.record("load recorded \(file.commands[0].events.map(\.type))")
      return
    }
    #expect(dataset.foldGroups.joined().count == 5)
    let train = file.commands[5].events, eval = file.commands[6].events
    #expect(train.map(\.type) == ["runStarted", "epoch", "evaluated", "runFinished"])
    guard case .runFinished(let finished)? = train.last, case .evaluated(let trained)? = train.dropLast().last,
      case .evaluated(let evaluated)? = eval.first
    else { return }
    #expect(finished.checksum == s.currentRun?.checksumHex)
    #expect(finished.testAccuracy == trained.accuracy)
    // The train record holds the same evaluation `eval` then records.
    #expect(trained == evaluated)
  }

  /// The notebook is the events rendered: the live cells equal the records folded through the reducer.
  @Test func theNotebookIsTheEventsRendered() throws {
    let workspace = try runHeadless(tinyScript + "\nset bogus 1\ncompare 1 1\nhelp flow")
    var state = WorkspaceState(seed: 1, sessionPath: nil)
    for record in workspace.commandRecords() {
      state.begin(cell: record.cell, line: record.line)
      for event in record.events { state.apply(event, cell: record.cell) }
      state.finish(cell: record.cell, error: record.error)
    }
    #expect(state.cells == workspace.snapshot().cells)
    #expect(state.snapshot.runs == workspace.snapshot().runs)
    #expect(state.snapshot.settings == workspace.snapshot().settings)
  }
}

@Suite struct GradientFlowSwitchTests {
  /// `flow` measures the switches as set beside the conventional cell, so turning skips off changes it.
  @Test func flowGridMeasuresEveryCombination() throws {
    let reports = try runHeadless("\(tinyLoad)\nset preset tiny\nflow 6 grid").snapshot().gradientFlow
    #expect(reports.count == 8)
    #expect(Set(reports.map(\.label)).count == 8)
    #expect(reports.first?.label == "conventional (init)" && reports.last?.label == "enhanced (init)")
  }

  @Test func flowFollowsTheSwitches() throws {
    func flow(_ switches: String) throws -> [LabelledFlowReport] {
      try runHeadless("\(tinyLoad)\nset preset tiny\n\(switches)\nflow 8").snapshot().gradientFlow
    }
    let enhanced = try flow("set norm on")
    let normOnly = try flow("set temporal off\nset spatial off")
    let conventional = try flow("set temporal off\nset spatial off\nset norm off")
    #expect(enhanced.map(\.label) == ["conventional (init)", "enhanced (init)"])
    #expect(normOnly.map(\.label) == ["conventional (init)", "norm (init)"])
    #expect(conventional.map(\.label) == ["conventional (init)"])
    // The same conventional cell every time; the switched cells differ from each other and from it.
    #expect(enhanced[0].report == normOnly[0].report && normOnly[0].report == conventional[0].report)
    #expect(enhanced[1].report.layers.map(\.hidden) != normOnly[1].report.layers.map(\.hidden))
    #expect(normOnly[1].report.layers.map(\.hidden) != normOnly[0].report.layers.map(\.hidden))
  }
}

@Suite(.serialized) struct RunControlTests {
  /// Waits until `condition` holds of the snapshot (at most `seconds`).
  func wait(_ workspace: Workspace, seconds: Double = 60, _ condition: (WorkspaceSnapshot) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition(workspace.snapshot()) { return true }
      Thread.sleep(forTimeInterval: 0.01)
    }
    return false
  }

  /// pause holds a run between steps, resume lets it go on, stop ends it and drops what was queued;
  /// the record says after how many steps, and a replay stops there again with the same numbers.
  @Test func pauseResumeAndStopAreRecordedAndReplayed() throws {
    let path = temporaryPath("control.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let workspace = try runHeadless("\(tinyLoad)\nset preset tiny\nset streams rgb\nset batch 2\nset epochs 200", session: path)
    workspace.submit("train")
    #expect(wait(workspace) { if case .training(_?) = $0.activity { true } else { false } })
    workspace.submit("pause")
    #expect(wait(workspace) { $0.activity == .paused })
    let steps = workspace.snapshot().progress?.label
    Thread.sleep(forTimeInterval: 0.2)
    #expect(workspace.snapshot().progress?.label == steps, "nothing moves while paused")
    workspace.submit("resume")
    #expect(wait(workspace) { if case .training = $0.activity { true } else { false } })
    workspace.submit("eval")  // queued behind the run; the stop drops it
    workspace.submit("stop")
    workspace.waitUntilIdle()

    let records = workspace.commandRecords()
    let train = try #require(records.first { $0.line == "train" })
    let types = train.events.map(\.type)
    #expect(types.contains("paused") && types.contains("resumed") && types.contains("stopped"))
    let stopped = try #require(train.stoppedAfterSteps)
    #expect(stopped >= 1)
    #expect(records.first { $0.line == "eval" }?.dropped == true)
    #expect(records.contains { $0.line == "stop" && $0.events.first?.type == "controlled" })
    #expect(workspace.snapshot().cells.contains { $0.command == "eval" && $0.output == ["dropped before it ran"] })
    guard case .runFinished(let finished)? = train.events.last else { return }
    #expect(finished.stop == .stoppedByUser)

    // The replay trains again, stops after the same step and gives the same events.
    let report = try Replay.run(try SessionFile(path: path))
    #expect(report.divergence == nil && report.isIdentical, "\(ReplayVerdict.lines(report, session: path))")
    #expect(report.compared.first { $0.line == "eval" }?.rerun == false)
  }

  /// A command taken back out of the queue never runs and is recorded as dropped.
  @Test func cancellingAQueuedCommand() throws {
    let workspace = try runHeadless("\(tinyLoad)\nset preset tiny\nset streams rgb\nset batch 2\nset epochs 200")
    workspace.submit("train")
    #expect(wait(workspace) { if case .training = $0.activity { true } else { false } })
    workspace.submit("set temporal off")
    #expect(workspace.snapshot().queued == ["set temporal off"])
    #expect(workspace.cancelQueued("set temporal off"))
    #expect(!workspace.cancelQueued("set temporal off"))
    workspace.submit("stop")
    workspace.waitUntilIdle()
    #expect(workspace.snapshot().spec.convLSTM.temporalSkip)
    #expect(workspace.commandRecords().first { $0.line == "set temporal off" }?.dropped == true)
  }
}

@Suite struct MemoryLimitTests {
  /// A training estimated past the limit is refused, naming the estimate and the limit, before it starts.
  @Test func aTrainingPastTheLimitIsRefused() throws {
    let workspace = try Workspace(options: WorkspaceOptions(maxMemory: 1 << 20))
    for line in [tinyLoad, "set preset tiny", "set streams rgb", "train"] {
      workspace.submit(line)
      workspace.waitUntilIdle()
    }
    let cell = try #require(workspace.snapshot().cells.last)
    #expect(cell.isError)
    let message = cell.output.last ?? ""
    #expect(message.contains("train: a training step of tiny") && message.contains("more than the limit of 1.0 MiB (--max-memory)"), "\(message)")
    #expect(workspace.snapshot().runs.isEmpty)
    workspace.submit("ablate skips")
    workspace.waitUntilIdle()
    #expect(workspace.snapshot().cells.last?.output.last?.contains("ablate skips: a training step") == true)
  }
}
