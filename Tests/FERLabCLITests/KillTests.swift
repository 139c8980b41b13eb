import Foundation
import Testing
import FERSystem

// Nothing lost when a process is killed outright (kill -9): a session keeps every
// command record written before the kill and replays them, and a checkpoint is
// either absent or whole, never half written.

@Suite("kill -9 loses nothing", .serialized)
struct KillTests {
  /// Starts `ferlab arguments…` and kills it with SIGKILL once `ready` holds (polled), after `delay` seconds more.
  static func killed(_ arguments: [String], delay: Double, ready: () -> Bool) throws -> Int32 {
    let binary = CommandLineTests.binary
    try #require(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) was not built: run `make test`")
    let child = try Subprocess(executable: binary, arguments: arguments, output: .discard, errors: .discard)
    let deadline = Date().addingTimeInterval(60)
    while !ready(), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    Thread.sleep(forTimeInterval: delay)
    child.signal(SIGKILL)
    return child.finish().status
  }

  @Test(arguments: [0.0, 0.4, 1.1])
  func aKilledRunKeepsItsCompleteRecords(delay: Double) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-kill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("long.ferlab").path
    try "load synthetic small\nset streams rgb\nset epochs 2\ntrain\ntrain\ntrain\ntrain\ntrain\ntrain\n"
      .write(toFile: script, atomically: true, encoding: .utf8)
    let session = folder.appendingPathComponent("long.jsonl").path
    func records() -> Int {
      ((try? String(contentsOfFile: session, encoding: .utf8)) ?? "").split(separator: "\n").count
    }
    let status = try Self.killed(["run", script, "--session", session], delay: delay) { records() >= 4 }
    #expect(status == 128 + SIGKILL, "the run was still going when killed")
    let kept = records() - 1
    #expect(kept >= 3)
    let replayed = try CommandLineTests.ferlab(["replay", session])
    #expect(replayed.status == 0, "\(replayed.err)")
    #expect(replayed.out.hasSuffix("OK: every recorded result is bit-identical\n"), "\(replayed.out)")
    #expect(replayed.out.contains("replayed \(kept) of \(kept) commands"), "\(replayed.out)")
  }

  @Test func aKilledTrainingLeavesNoHalfCheckpoint() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-kill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = folder.appendingPathComponent("model.safetensors").path
    let session = folder.appendingPathComponent("train.jsonl").path
    let status = try Self.killed(
      ["train", "--streams", "rgb", "--epochs", "30", "--patience", "0", "--out", checkpoint, "--session", session], delay: 0.3
    ) { ((try? String(contentsOfFile: session, encoding: .utf8)) ?? "").contains("\"line\":\"load synthetic ") }
    #expect(status == 128 + SIGKILL)
    #expect(!FileManager.default.fileExists(atPath: checkpoint), "no checkpoint before training ended")
  }
}
