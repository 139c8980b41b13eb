import Foundation
import Testing
import FERSystem

// The `ferlab` executable end to end: train a tiny model and write its
// checkpoint, evaluate the checkpoint (on the same fold it must give the
// confusion matrix training reported), evaluate it on every clip, predict on a
// video `ferlab synth` wrote, and bad input ending in one clear error.
// The binary is the one this build made, beside the test runner (`make test`
// builds it first); every test fails, never skips, when it is missing.

@Suite("ferlab commands", .serialized)
struct CommandLineTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let binary = Subprocess.builtExecutable(named: "ferlab")

  /// Runs `ferlab arguments…`; returns its exit status, stdout and stderr.
  static func ferlab(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    try #require(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) was not built: run `make test`")
    let (status, out, err) = try Subprocess.run(binary, arguments)
    return (status, String(decoding: out, as: UTF8.self), err)
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// The events of a `--json` output, in order.
  static func events(_ text: String) throws -> [[String: Any]] {
    try #require(try json(text)["events"] as? [[String: Any]])
  }

  /// The first event of `type` in a `--json` output.
  static func event(_ type: String, in text: String) throws -> [String: Any] {
    try #require(try events(text).first { $0["type"] as? String == type }, "no \(type) event in \(text.prefix(300))")
  }

  static func confusionCounts(_ object: [String: Any]) -> [Int]? {
    (object["confusion"] as? [String: Any])?["counts"] as? [Int]
  }

  @Test func trainEvaluateAndPredict() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = folder.appendingPathComponent("tiny.safetensors").path

    let trained = try Self.ferlab([
      "train", "--synthetic", "small", "--preset", "tiny", "--epochs", "1", "--out", checkpoint, "--json",
    ])
    #expect(trained.status == 0, "\(trained.err)")
    #expect(try Self.events(trained.out).filter { $0["type"] as? String == "epoch" }.count == 1)
    #expect(FileManager.default.fileExists(atPath: checkpoint))
    let tested = try Self.event("evaluated", in: trained.out)
    let finished = try Self.event("runFinished", in: trained.out)

    let evaluated = try Self.ferlab(["eval", "--synthetic", "small", "--checkpoint", checkpoint, "--json"])
    #expect(evaluated.status == 0, "\(evaluated.err)")
    let evaluation = try Self.event("evaluated", in: evaluated.out)
    #expect(Self.confusionCounts(evaluation) != nil)
    #expect(Self.confusionCounts(evaluation) == Self.confusionCounts(tested))
    #expect(evaluation["subjects"] as? [String] == tested["subjects"] as? [String])
    let accuracy = try #require(evaluation["accuracy"] as? Double)
    #expect(finished["testAccuracy"] as? Double == accuracy)
    let counts = try #require(Self.confusionCounts(evaluation))
    let diagonal = (0..<6).map { counts[$0 * 6 + $0] }.reduce(0, +)
    #expect(abs(accuracy - Double(diagonal) / Double(counts.reduce(0, +))) < 1e-12)

    let everything = try Self.ferlab(["eval", "--synthetic", "small", "--checkpoint", checkpoint, "--all", "--json"])
    #expect(everything.status == 0, "\(everything.err)")
    #expect(Self.confusionCounts(try Self.event("evaluated", in: everything.out))?.reduce(0, +) == 120)  // the small set's clips

    let videos = folder.appendingPathComponent("videos")
    let made = try Self.ferlab([
      "synth", "--out", videos.path, "--preset", "small", "--subjects", "1", "--clips-per-class", "1",
      "--frames", "24", "--size", "64",
    ])
    #expect(made.status == 0, "\(made.err)")
    let video = videos.appendingPathComponent("subject 1/surprise/sentence 1/s1_su_1.avi").path
    let predicted = try Self.ferlab([
      "predict", video, "--checkpoint", checkpoint, "--frames", "8", "--window", "0.4", "--stride", "0.2", "--json",
    ])
    #expect(predicted.status == 0, "\(predicted.err)")
    let prediction = try Self.event("predicted", in: predicted.out)
    let probabilities = try #require(prediction["probabilities"] as? [Double])
    #expect(probabilities.count == 6)
    #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
    let classes = ["anger", "disgust", "fear", "happiness", "sadness", "surprise"]
    #expect(classes.contains(try #require(prediction["predicted"] as? String)))
    // 24 frames at 25 fps: windows of 10 frames every 5 start at frames 0, 5 and 10.
    let timeline = try #require(prediction["timeline"] as? [[String: Any]])
    #expect(timeline.count == 3)
    #expect(timeline.map { $0["start"] as? Double } == [0, 0.2, 0.4])
    #expect(timeline.map { $0["end"] as? Double } == [0.4, 0.6, 0.8])
    #expect(timeline.allSatisfy { abs(($0["probabilities"] as? [Double] ?? []).reduce(0, +) - 1) < 1e-5 })
  }

  @Test func badInputEndsInOneClearError() throws {
    let missing = "/nonexistent/ferlab-model.safetensors"
    let noCheckpoint = try Self.ferlab(["eval", "--synthetic", "small", "--checkpoint", missing])
    #expect(noCheckpoint.status != 0)
    #expect(noCheckpoint.err.contains(missing))
    #expect(!noCheckpoint.out.contains("accuracy"), "no result after a failed command: \(noCheckpoint.out)")

    let noVideo = try Self.ferlab(["predict", "/nonexistent/clip.avi", "--checkpoint", missing])
    #expect(noVideo.status != 0)
    #expect(noVideo.err.contains("/nonexistent/"))

    let badPreset = try Self.ferlab(["train", "--synthetic", "small", "--preset", "huge"])
    #expect(badPreset.status != 0)
    #expect(badPreset.err.contains("huge"))
    #expect(!badPreset.err.contains("Fatal error"))
    #expect(!badPreset.err.contains("Usage:"), "a bad value is not a usage mistake: \(badPreset.err)")
  }

  /// Each bad option or file ends the release build with a sentence naming it and an exit
  /// status below 128 (no signal, no trap).
  @Test(arguments: [
    (["train", "--epochs", "9223372036854775807"], "--epochs 9223372036854775807"),
    (["train", "--batch", "0"], "--batch 0"),
    (["train", "--threads", "-3"], "--threads -3"),
    (["train", "--max-memory", "lots"], "--max-memory lots"),
    (["train", "--max-memory", "1M"], "more than the limit of 1.0 MiB"),
    (["train", "--fold", "99"], "no fold 99"),
    (["cv", "--folds", "100000"], "--folds 100000"),
    (["flow", "--frames", "0"], "--frames 0"),
    (["train", "--lr", "inf"], "--lr inf"),
    (["train", "--data", "folder:/nonexistent/videos"], "/nonexistent/videos"),
    (["replay", "/nonexistent/session.jsonl"], "/nonexistent/session.jsonl"),
    (["run", "/nonexistent/script.ferlab"], "/nonexistent/script.ferlab: there is no such file"),
    (["eval", "--checkpoint", "/nonexistent/model.safetensors"], "/nonexistent/model.safetensors"),
    (["predict", "/nonexistent/clip.avi", "--checkpoint", "/nonexistent/m.safetensors", "--window", "inf"], "window=inf"),
    (["synth", "--out", "/tmp/ferlab-never", "--preset", "huge"], "--preset huge"),
  ] as [([String], String)])
  func badInputIsNamedNeverATrap(arguments: [String], named: String) throws {
    let result = try Self.ferlab(arguments)
    #expect(result.status != 0 && result.status < 128, "exit \(result.status): \(result.err)")
    #expect(result.err.contains(named), "\(result.err)")
    #expect(!result.err.contains("Fatal error") && !result.err.contains("Swift runtime failure"), "\(result.err)")
    #expect(!result.err.contains("Usage:"), "a runtime error needs no usage text: \(result.err)")
  }

  /// A script saved with CRLF line ends runs line by line.
  @Test func scriptsWithCarriageReturnsRun() throws {
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-crlf-\(UUID().uuidString).ferlab")
    let session = script.deletingPathExtension().appendingPathExtension("jsonl")
    defer { for url in [script, session] { try? FileManager.default.removeItem(at: url) } }
    try "set epochs 2\r\nset batch 4\r\n".write(to: script, atomically: true, encoding: .utf8)
    let result = try Self.ferlab(["run", script.path, "--session", session.path])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out.contains("2 epochs, batch 4"), "\(result.out)")
  }
}
