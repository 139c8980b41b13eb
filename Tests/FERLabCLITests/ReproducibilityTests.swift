import Foundation
import Testing
import FERSystem

// The reproducibility promise across processes: OpenBLAS's kernel family is
// chosen when the library loads, so only separate processes started with
// different OPENBLAS_CORETYPE values can show that FERLab's numbers ignore it.

@Suite("same numbers under every OpenBLAS kernel family", .serialized)
struct ReproducibilityTests {
  /// A short session's lines: training long enough to show where results part, short enough
  /// that results outside the promise stay within the tolerance. Gradient flow is measured
  /// before training: measured after it, on weights that already part by 1e-4, the ratios of
  /// gradient norms through 16 steps part by more than the tolerance.
  static let script: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-repro-\(getpid()).ferlab").path
    try? "load synthetic small\nflow 16\nset epochs 1\ntrain\neval\n".write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }()

  static func record(_ session: String, coretype: String, threads: Int, extra: [String: String] = [:]) throws {
    try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.binary.path), "ferlab was not built: run `make test`")
    let (status, _, err) = try Subprocess.run(
      CommandLineTests.binary, ["run", script, "--session", session, "--threads", "\(threads)"],
      environment: ["OPENBLAS_CORETYPE": coretype].merging(extra) { $1 })
    #expect(status == 0, "\(err)")
  }

  static func replay(_ session: String, coretype: String, threads: Int, extra: [String: String] = [:]) throws
    -> (status: Int32, out: String)
  {
    let (status, out, _) = try Subprocess.run(
      CommandLineTests.binary, ["replay", session, "--threads", "\(threads)"],
      environment: ["OPENBLAS_CORETYPE": coretype].merging(extra) { $1 })
    return (status, String(decoding: out, as: UTF8.self))
  }

  static func header(_ session: String) throws -> [String: Any] {
    let text = try String(contentsOfFile: session, encoding: .utf8)
    let first = try #require(text.split(separator: "\n").first)
    return try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
  }

  @Test func recordedUnderOneFamilyReplaysBitForBitUnderAnother() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-repro-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (recordedUnder, replayedUnder) in [(("Haswell", 2), ("Cooperlake", 1)), (("Cooperlake", 1), ("Haswell", 2))] {
      let session = folder.appendingPathComponent("\(recordedUnder.0)-\(recordedUnder.1).jsonl").path
      try Self.record(session, coretype: recordedUnder.0, threads: recordedUnder.1)
      let numerics = try #require(try Self.header(session)["numerics"] as? [String: Any])
      let blas = try #require(numerics["blas"] as? [String: Any])
      #expect(blas["kernels"] as? String == "Haswell", "OPENBLAS_CORETYPE=\(recordedUnder.0) must not choose the kernels")
      #expect(blas["fixed"] as? Bool == true)
      #expect(numerics["threads"] as? Int == recordedUnder.1)

      let replayed = try Self.replay(session, coretype: replayedUnder.0, threads: replayedUnder.1)
      #expect(replayed.status == 0, "\(replayed.out)")
      #expect(replayed.out.contains("inside the reproducibility promise"), "\(replayed.out)")
      #expect(replayed.out.hasSuffix("OK: every recorded result is bit-identical\n"), "\(replayed.out)")
      // The thread counts differ, so the environments are printed side by side.
      #expect(replayed.out.contains("compute threads"), "\(replayed.out)")
    }
    // More threads than this machine has cores change nothing either.
    let many = try Self.replay(folder.appendingPathComponent("Haswell-2.jsonl").path, coretype: "SkylakeX", threads: 5)
    #expect(many.out.hasSuffix("OK: every recorded result is bit-identical\n"), "\(many.out)")
  }

  /// With the choice left to OpenBLAS under another family, the replay is outside the
  /// promise: it says so, names where results part, and passes within the tolerance.
  @Test func kernelsChosenByOpenBLASAreOutsideThePromise() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-repro-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let session = folder.appendingPathComponent("fixed.jsonl").path
    try Self.record(session, coretype: "Haswell", threads: 2)
    let replayed = try Self.replay(session, coretype: "Sandybridge", threads: 2, extra: ["FERLAB_BLAS_KERNELS": "auto"])
    #expect(replayed.status == 0, "\(replayed.out)")
    #expect(replayed.out.contains("Sandybridge (chosen by OpenBLAS)"), "\(replayed.out)")
    #expect(replayed.out.contains("outside the reproducibility promise"), "\(replayed.out)")
    #expect(replayed.out.contains("first parts at event 2 (epoch 1 of run 1) at record.stepLosses["), "\(replayed.out)")
    #expect(replayed.out.contains("OK within tolerance: largest relative deviation"), "\(replayed.out)")
    #expect(!replayed.out.contains("bit-identical\n"), "\(replayed.out)")
  }
}
