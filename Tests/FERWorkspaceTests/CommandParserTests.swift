import FERData
import Foundation
import FERModels
import Testing
@testable import FERWorkspace

@Suite struct CommandParserTests {
  @Test func goodLines() throws {
    #expect(try CommandParser.parse("train 3") == .train(epochs: 3))
    #expect(try CommandParser.parse("train") == .train(epochs: nil))
    #expect(try CommandParser.parse("  set temporal off  # no skip") == .set(SettingChange(name: "temporal", value: "off")))
    #expect(try CommandParser.parse("set lr 1e-4") == .set(SettingChange(name: "lr", value: "1e-4")))
    #expect(try CommandParser.parse("ablate skips") == .ablate(.skips, repetitions: 1))
    #expect(try CommandParser.parse("ablate skips seeds=3") == .ablate(.skips, repetitions: 3))
    #expect(try CommandParser.parse("ablate seeds=2") == .ablate(.seed, repetitions: 2))
    #expect(try CommandParser.parse("ablate") == .ablate(.seed, repetitions: 1))
    #expect(try CommandParser.parse("cv seeds=4") == .cv(repetitions: 4))
    #expect(try CommandParser.parse("cv cells=tiny/fold1/seed0") == .cv(repetitions: 1, cells: ["tiny/fold1/seed0"]))
    #expect(
      try CommandParser.parse("ablate skips seeds=2 cells=T+S-/fold0/seed1,T-S-/fold1/seed0")
        == .ablate(.skips, repetitions: 2, cells: ["T+S-/fold0/seed1", "T-S-/fold1/seed0"]))
    #expect(try CommandParser.parse("flow 32") == .flow(frames: 32, grid: false))
    #expect(try CommandParser.parse("flow grid 16") == .flow(frames: 16, grid: true))
    #expect(try CommandParser.parse("compare 1 2 4") == .compare([1, 2, 4]))
    #expect(
      try CommandParser.parse("predict clip.avi window=2") == .predict(PredictRequest(video: "clip.avi", frames: nil, window: 2, stride: 0.5)))
    #expect(try CommandParser.parse("load enterface /data/enterface") == .load(.enterface(path: "/data/enterface")))
    #expect(try CommandParser.parse("help train") == .help(command: "train"))
    #expect(try CommandParser.parse("# only a comment") == nil)
    #expect(try CommandParser.parse("open \"subject 1/run #2.safetensors\" # quoted") == .open(path: "subject 1/run #2.safetensors"))
    #expect(Words.split(Words.quoted("a \"b\" \\c")) == ["a \"b\" \\c"])
    #expect(Words.quoted("plain") == "plain")
    #expect(try CommandParser.parse("   ") == nil)
  }

  @Test func syntheticOverrides() throws {
    let command = try CommandParser.parse("load synthetic small subjects=4 clips=1 frames=6 size=16")
    let expected = try SyntheticSpec.small.with(subjects: 4, clipsPerClass: 1, frames: 6, size: 16)
    #expect(command == .load(.synthetic(preset: "small", spec: expected)))
    #expect(try CommandParser.parse("load synthetic") == .load(.synthetic(preset: "default", spec: .default)))
  }

  /// Each bad line's message names the bad word and what would have been accepted.
  @Test(arguments: [
    ("trian", ["\"trian\"", "load, set, train"]),
    ("set lrr 1", ["\"lrr\"", "temporal", "weight-decay"]),
    ("set temporal maybe", ["\"maybe\"", "on, off"]),
    ("set lr fast", ["\"fast\"", "set lr 1e-3"]),
    ("set optimizer adagrad", ["\"adagrad\"", "sgd, adam, adamw"]),
    ("set streams rgb,depth", ["\"depth\"", "rgb_dynamic"]),
    ("set preset huge", ["\"huge\"", "small", "tiny"]),
    ("set folds 1", ["\"1\"", "from 2 to"]),
    ("train many", ["\"many\"", "epochs"]),
    ("train 3 4", ["\"4\"", "usage: train [EPOCHS]"]),
    ("ablate everything", ["\"everything\"", "seed, skips, switches"]),
    ("load synthetic huge", ["\"huge\"", "default, lag, small, starter"]),
    ("load synthetic size=8", ["size", "16 to 256"]),
    ("load synthetic colour=red", ["\"colour=red\"", "subjects"]),
    ("load webcam", ["\"webcam\"", "synthetic, enterface, folder, manifest"]),
    ("flow 1", ["\"1\"", "2 to 1024"]),
    ("flow 8 8", ["\"8\"", "usage: flow [T] [grid]"]),
    ("help dance", ["\"dance\"", "train"]),
    ("ablate skips seeds=0", ["\"0\"", "number of seeds from 1 to 100"]),
    ("cv folds=3", ["\"folds=3\"", "seeds, cells"]),
    ("cv cells=a/fold0/seed0,,b/fold0/seed0", ["cv cells=", "separated by commas"]),
    ("ablate cells=a/fold0/seed0,a/fold0/seed0", ["a/fold0/seed0 is named twice"]),
    ("compare 1", ["two or more run ids"]),
    ("compare 2 2", ["run 2 is named twice"]),
    ("predict clip.avi window=-1", ["\"-1\"", "above 0"]),
    ("set fold 100000", ["\"100000\"", "fold number from 0 to"]),
    ("set seed -1", ["\"-1\"", "is not a seed"]),
  ])
  func badLines(line: String, fragments: [String]) {
    do {
      _ = try CommandParser.parse(line)
      Issue.record("\(line) parsed")
    } catch {
      #expect(!error.message.contains("\n"))
      for fragment in fragments { #expect(error.message.contains(fragment), "\(error.message) lacks \(fragment)") }
    }
  }

  @Test func helpComesFromTheDeclarations() {
    #expect(CommandCatalog.overview.count == CommandCatalog.all.count + 1)
    for command in CommandCatalog.all { #expect(CommandCatalog.help(command.name)?.first == "usage: \(command.usage)") }
    #expect(CommandCatalog.help("set")?.contains { $0.contains("rgb stream") } == true)
    // Every setting's usage line is in `help set`, and each one parses its own example choices.
    for setting in SettingCatalog.all {
      #expect(CommandCatalog.help("set")?.contains("  set \(setting.usage)") == true)
      for choice in setting.choices where setting.name != "streams" {
        #expect(throws: Never.self) { try CommandParser.parse("set \(setting.name) \(choice)") }
      }
    }
  }

  /// A value is read when the line is parsed, and again against the workspace when it runs.
  @Test func settingsApplyThroughTheirDeclarations() throws {
    var settings = WorkspaceSettings(seed: 1)
    let streams = try #require(SettingCatalog.named("streams"))
    try streams.assign("rgb,flow", &settings, .parsing)
    #expect(settings.spec.streams == [.rgb, .flow])
    try #require(SettingCatalog.named("peephole")).assign("current", &settings, .parsing)
    #expect(settings.spec.convLSTM.outputPeephole == .current)
    try #require(SettingCatalog.named("seed")).assign("9", &settings, .parsing)
    #expect(settings.seed == 9 && settings.training.seed == 9)
    // `set fold 7` parses (a script may raise the fold count first) but does not run on 5 folds.
    let fold = try #require(SettingCatalog.named("fold"))
    try fold.assign("7", &settings, .parsing)
    #expect(throws: CommandError.self) { try fold.assign("7", &settings, .running(dataset: nil)) }
  }

  @Test func completions() throws {
    let workspace = try Workspace()
    #expect(workspace.completions(for: "tr") == ["train"])
    #expect(workspace.completions(for: "set te") == ["set temporal"])
    #expect(workspace.completions(for: "set temporal ") == ["set temporal on", "set temporal off"])
    #expect(workspace.completions(for: "ablate s").sorted() == ["ablate seed", "ablate seeds=", "ablate skips", "ablate switches"])
    #expect(workspace.completions(for: "ablate skips seeds=2 ") == ["ablate skips seeds=2 cells="])
    #expect(workspace.completions(for: "cv ") == ["cv seeds=", "cv cells="])
    #expect(workspace.completions(for: "load synthetic sm") == ["load synthetic small"])
    #expect(workspace.completions(for: "flow ") == ["flow grid"])
  }
}

@Suite struct ScriptTests {
  @Test func scriptsRefuseLinesThatActOnAWatchedCommand() {
    #expect { try Script(path: "s.ferlab", text: "train\nstop\n") } throws: { "\($0)".contains("s.ferlab:2: `stop` acts on a command") }
    #expect(throws: Never.self) { try Script(path: "s.ferlab", text: "help cv\nnote look at the curves\n") }
  }

  /// `run SCRIPT` in a workspace queues the script's lines; its `help` answers like a typed one.
  @Test func aScriptsHelpIsAnswered() throws {
    let path = temporaryPath("help.ferlab")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try "help cv\nnote done\n".write(toFile: path, atomically: true, encoding: .utf8)
    let workspace = try runHeadless("run \(path)")
    let cells = workspace.snapshot().cells
    #expect(cells.first { $0.command == "help cv" }?.output.first == "usage: cv [seeds=N] [cells=KEY,…]")
    #expect(cells.last?.output == ["done"])
  }
}
