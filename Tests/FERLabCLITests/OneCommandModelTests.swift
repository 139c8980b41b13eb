import Foundation
import Testing
import FERSystem

// A subcommand is the workspace's command lines run headless: the same
// experiment as a `ferlab run` script of those lines records the same events,
// every field of every event of every command, and prints the same notebook.

@Suite("subcommands and scripts run the same commands", .serialized)
struct OneCommandModelTests {
  /// The command records of a session: each command's line and events.
  static func records(_ session: String) throws -> [(line: String, events: NSArray)] {
    try String(contentsOfFile: session, encoding: .utf8).split(separator: "\n").compactMap { line in
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard object["type"] as? String == "command" else { return nil }
      return (try #require(object["line"] as? String), try #require(object["events"] as? NSArray))
    }
  }

  /// Runs `arguments` with `--session` and `lines` as a script; returns both sessions' records and stdouts.
  static func both(_ arguments: [String], script lines: [String]) throws
    -> (cli: [(line: String, events: NSArray)], script: [(line: String, events: NSArray)], cliOut: String, scriptOut: String)
  {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-one-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cliSession = folder.appendingPathComponent("cli.jsonl").path
    let cli = try CommandLineTests.ferlab(arguments + ["--session", cliSession])
    #expect(cli.status == 0, "\(cli.err)")
    let script = folder.appendingPathComponent("lines.ferlab").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: script, atomically: true, encoding: .utf8)
    let scriptSession = folder.appendingPathComponent("script.jsonl").path
    let run = try CommandLineTests.ferlab(["run", script, "--session", scriptSession])
    #expect(run.status == 0, "\(run.err)")
    return (try records(cliSession), try records(scriptSession), cli.out, run.out)
  }

  static func expectSame(_ arguments: [String], script lines: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (cli, script, cliOut, scriptOut) = try both(arguments, script: lines)
    #expect(cli.map(\.line) == lines, sourceLocation: sourceLocation)
    #expect(cli.map(\.line) == script.map(\.line), sourceLocation: sourceLocation)
    for (a, b) in zip(cli, script) {
      #expect(a.events.count > 0, "`\(a.line)` recorded no event", sourceLocation: sourceLocation)
      #expect(a.events == b.events, "`\(a.line)`: the subcommand's events differ from the script's", sourceLocation: sourceLocation)
    }
    #expect(cliOut == scriptOut, sourceLocation: sourceLocation)
  }

  static let tiny = ["--data", "synthetic:small", "--preset", "tiny", "--epochs", "1", "--folds", "2"]
  static let tinyLines = ["set preset tiny", "set epochs 1", "set folds 2", "load synthetic small"]

  @Test(arguments: [0, 1])
  func trainOnAFold(fold: Int) throws {
    try Self.expectSame(
      ["train"] + Self.tiny + ["--fold", "\(fold)"], script: Array(Self.tinyLines.dropLast()) + ["set fold \(fold)", "load synthetic small", "train"])
  }

  @Test func crossValidate() throws {
    try Self.expectSame(["cv"] + Self.tiny, script: Self.tinyLines + ["cv"])
  }

  @Test func ablateTheSkipGrid() throws {
    try Self.expectSame(["ablate", "--grid", "skips"] + Self.tiny, script: Self.tinyLines + ["ablate skips"])
  }

  @Test func gradientFlowFollowsTheSwitches() throws {
    try Self.expectSame(
      ["flow", "--data", "synthetic:small", "--frames", "8", "--temporal", "off"], script: ["set frames 8", "set temporal off", "load synthetic small", "flow"])
  }

  /// `train --out` then `eval --checkpoint` is `train`, `save`, then `open` and `eval` in a fresh workspace.
  @Test func evaluateASavedCheckpoint() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-eval-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = folder.appendingPathComponent("tiny.safetensors").path
    let trained = try CommandLineTests.ferlab(["train"] + Self.tiny + ["--fold", "1", "--out", checkpoint, "--json"])
    #expect(trained.status == 0, "\(trained.err)")
    let tested = try CommandLineTests.event("evaluated", in: trained.out)
    try Self.expectSame(
      ["eval", "--data", "synthetic:small", "--checkpoint", checkpoint] + ["--folds", "2", "--fold", "1"],
      script: ["set folds 2", "set fold 1", "load synthetic small", "open \(checkpoint)", "eval"])
    let evaluated = try CommandLineTests.event(
      "evaluated", in: try CommandLineTests.ferlab(["eval", "--data", "synthetic:small", "--checkpoint", checkpoint, "--folds", "2", "--fold", "1", "--json"]).out)
    // The checkpoint on the fold it was trained for tests the same subjects to the same confusion.
    #expect((evaluated["confusion"] as? NSDictionary) == (tested["confusion"] as? NSDictionary))
    #expect((evaluated["subjects"] as? [String]) == (tested["subjects"] as? [String]))
  }

  @Test func anyPreparedDatasetFromTheCommandLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-data-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let videos = folder.appendingPathComponent("videos").path
    let made = try CommandLineTests.ferlab([
      "synth", "--out", videos, "--preset", "small", "--subjects", "4", "--clips-per-class", "1", "--frames", "8", "--size", "32",
    ])
    #expect(made.status == 0, "\(made.err)")
    // The same videos in the generic layout: <label>/<subject>__<clip>.avi.
    let byLabel = folder.appendingPathComponent("by-label")
    let files = FileManager.default.enumerator(atPath: videos)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".avi") } ?? []
    #expect(files.count == 24)
    for file in files {
      let parts = file.split(separator: "/").map(String.init)  // subject N/<emotion>/sentence 1/sN_xx_1.avi
      let labelFolder = byLabel.appendingPathComponent(parts[1])
      try FileManager.default.createDirectory(at: labelFolder, withIntermediateDirectories: true)
      let subject = parts[0].replacingOccurrences(of: " ", with: "")
      try FileManager.default.copyItem(
        atPath: "\(videos)/\(file)", toPath: labelFolder.appendingPathComponent("\(subject)__1.avi").path)
    }
    for (kind, root) in [("enterface", videos), ("folder", byLabel.path)] {
      let trained = try CommandLineTests.ferlab(
        ["train", "--data", "\(kind):\(root)", "--preset", "tiny", "--epochs", "1", "--folds", "2", "--json"])
      #expect(trained.status == 0, "\(kind): \(trained.err)")
      #expect(try CommandLineTests.events(trained.out).filter { $0["type"] as? String == "epoch" }.count == 1, "\(kind)")
      #expect(try CommandLineTests.event("runFinished", in: trained.out)["testAccuracy"] is Double, "\(kind)")
    }
  }
}
