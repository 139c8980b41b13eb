import FERData
import FERModels
import Testing
@testable import FERWorkspace

@Suite struct CommandParserTests {
  @Test func goodLines() throws {
    #expect(try CommandParser.parse("train 3") == .train(epochs: 3))
    #expect(try CommandParser.parse("train") == .train(epochs: nil))
    #expect(try CommandParser.parse("  set temporal off  # no skip") == .set(.temporal(false)))
    #expect(try CommandParser.parse("set lr 1e-4") == .set(.learningRate(1e-4)))
    #expect(try CommandParser.parse("set streams rgb,flow") == .set(.streams([.rgb, .flow])))
    #expect(try CommandParser.parse("set peephole current") == .set(.peephole(.current)))
    #expect(try CommandParser.parse("ablate skips") == .ablate(.skips))
    #expect(try CommandParser.parse("ablate") == .ablate(.seed))
    #expect(try CommandParser.parse("flow 32") == .flow(frames: 32))
    #expect(try CommandParser.parse("compare 1 2") == .compare(1, 2))
    #expect(try CommandParser.parse("load enterface /data/enterface") == .load(.enterface(path: "/data/enterface")))
    #expect(try CommandParser.parse("help train") == .help(command: "train"))
    #expect(try CommandParser.parse("# only a comment") == nil)
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
    ("load synthetic huge", ["\"huge\"", "default, small"]),
    ("load synthetic size=8", ["size", "16 to 256"]),
    ("load synthetic colour=red", ["\"colour=red\"", "subjects"]),
    ("load webcam", ["\"webcam\"", "synthetic, enterface, folder, manifest"]),
    ("flow 1", ["\"1\"", "2 to 1024"]),
    ("help dance", ["\"dance\"", "train"]),
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

  @Test func helpComesFromTheTable() {
    #expect(CommandTable.overview.count == CommandTable.entries.count + 1)
    for entry in CommandTable.entries { #expect(CommandTable.help(entry.name)?.first == "usage: \(entry.usage)") }
    #expect(CommandTable.help("set")?.contains { $0.contains("rgb stream") } == true)
  }

  @Test func completions() throws {
    let workspace = try Workspace()
    #expect(workspace.completions(for: "tr") == ["train"])
    #expect(workspace.completions(for: "set te") == ["set temporal"])
    #expect(workspace.completions(for: "set temporal ") == ["set temporal on", "set temporal off"])
    #expect(workspace.completions(for: "ablate s").sorted() == ["ablate seed", "ablate skips", "ablate switches"])
  }
}
