import Foundation
import Testing
import FERSystem

#if canImport(Glibc)
  import Glibc
#endif

// A grid run as worker processes (`--engine local`) and merged by `collect`
// prints the sequential run's notebook byte for byte and records its events;
// a cell whose result is lost is listed with its log and `--resume` runs it
// alone; a worker killed outright mid-cell leaves no result, only a claim the
// folder reads as missing, and `--resume` completes the grid.

@Suite("grids as worker processes", .serialized)
struct GridEngineTests {
  static let grid = ["ablate", "--grid", "skips", "--preset", "tiny", "--streams", "rgb", "--epochs", "1", "--folds", "2", "--seeds", "2"]

  static func temporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// The sequential grid: its stdout and its session's command records.
  static func sequential(_ arguments: [String], in folder: URL) throws -> (out: String, records: [(line: String, events: NSArray)]) {
    let session = folder.appendingPathComponent("sequential.jsonl").path
    let run = try CommandLineTests.ferlab(arguments + ["--session", session])
    #expect(run.status == 0, "\(run.err)")
    return (run.out, try OneCommandModelTests.records(session))
  }

  static func expectSameRecords(
    _ a: [(line: String, events: NSArray)], _ b: [(line: String, events: NSArray)], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(a.map(\.line) == b.map(\.line), sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) { #expect(x.events == y.events, "`\(x.line)`", sourceLocation: sourceLocation) }
  }

  static func submissions(_ results: URL) throws -> [[String: Any]] {
    let data = try Data(contentsOf: results.appendingPathComponent("submissions.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
  }

  @Test func localWorkersPrintAndRecordTheSequentialGrid() throws {
    let folder = try Self.temporaryFolder("grid-local")
    defer { try? FileManager.default.removeItem(at: folder) }
    let (out, records) = try Self.sequential(Self.grid, in: folder)
    let results = folder.appendingPathComponent("results")
    let local = try CommandLineTests.ferlab(Self.grid + ["--engine", "local", "--jobs", "2", "--results", results.path])
    #expect(local.status == 0, "\(local.err)")
    #expect(local.out == out)
    Self.expectSameRecords(try OneCommandModelTests.records(results.appendingPathComponent("session.jsonl").path), records)

    let collected = try CommandLineTests.ferlab(["collect", results.path])
    #expect(collected.status == 0, "\(collected.err)")
    #expect(collected.out == out)
    // The same grid's events as --json prints them.
    let json = try CommandLineTests.ferlab(["collect", results.path, "--json"])
    let events = try CommandLineTests.events(json.out)
    #expect(events.filter { $0["type"] as? String == "cellFinished" }.count == 16)
    #expect((events as NSArray) == records.last?.events)

    // A folder holds one grid.
    let again = try CommandLineTests.ferlab(Self.grid + ["--engine", "local", "--results", results.path])
    #expect(again.status != 0 && again.err.contains("give --resume \(results.path)"), "\(again.err)")
  }

  @Test func aLostCellIsListedAndResumeRunsItAlone() throws {
    let folder = try Self.temporaryFolder("grid-resume")
    defer { try? FileManager.default.removeItem(at: folder) }
    let results = folder.appendingPathComponent("results")
    let local = try CommandLineTests.ferlab(Self.grid + ["--engine", "local", "--jobs", "2", "--results", results.path])
    #expect(local.status == 0, "\(local.err)")
    // Cell 5 (T+S-/fold1/seed0) loses its result.
    try FileManager.default.removeItem(at: results.appendingPathComponent("cells/T+S-/fold1/seed0.json"))
    try FileManager.default.removeItem(at: results.appendingPathComponent("session.jsonl"))

    let incomplete = try CommandLineTests.ferlab(["collect", results.path, "--partial"])
    #expect(incomplete.status == 1)
    #expect(incomplete.out.contains("ablate skips seeds=2: 15 of 16 cells done; 1 missing"), "\(incomplete.out)")
    #expect(incomplete.out.contains("  missing T+S-/fold1/seed0 (cell 5), log \(results.path)/logs/local-5.log"), "\(incomplete.out)")
    #expect(incomplete.out.contains("--resume \(results.path)` runs the failed and missing cells again"), "\(incomplete.out)")
    #expect(incomplete.out.contains("partial summary over the 15 cells done:"))
    #expect(incomplete.err.contains("1 of 16 cells"), "\(incomplete.err)")
    #expect(!FileManager.default.fileExists(atPath: results.appendingPathComponent("session.jsonl").path))

    // Resuming with other settings is refused; with the same ones only cell 5 runs again.
    let other = try CommandLineTests.ferlab(Self.grid.map { $0 == "2" ? "3" : $0 } + ["--resume", results.path])
    #expect(other.status != 0 && other.err.contains("holds another grid"), "\(other.err)")
    let resumed = try CommandLineTests.ferlab(Self.grid + ["--resume", results.path])
    #expect(resumed.status == 0, "\(resumed.err)")
    #expect(resumed.out == local.out)
    #expect(try Self.submissions(results).map { $0["cells"] as? [Int] ?? [] }.last == [5])
    #expect(resumed.err.contains("15 of 16 cells done, 1 to run again"), "\(resumed.err)")
  }

  @Test func aWorkerKilledMidCellLeavesNoResult() throws {
    let folder = try Self.temporaryFolder("grid-kill")
    defer { try? FileManager.default.removeItem(at: folder) }
    // Two cells slow enough to be caught running.
    let cv = ["cv", "--preset", "tiny", "--streams", "rgb", "--epochs", "12", "--folds", "2"]
    let (out, records) = try Self.sequential(cv, in: folder)
    let results = folder.appendingPathComponent("results")
    let binary = CommandLineTests.binary
    let engine = try Subprocess(
      executable: binary, arguments: cv + ["--engine", "local", "--jobs", "1", "--results", results.path])
    // Cell 0's claim names its worker; kill it outright (no handler runs, nothing is written).
    let claim = results.appendingPathComponent("running/tiny/fold0/seed0.json")
    var pid: Int32?
    for _ in 0..<2000 where pid == nil {
      if let data = FileManager.default.contents(atPath: claim.path),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let worker = object["worker"] as? [String: Any], let id = worker["pid"] as? Int
      {
        pid = Int32(id)
      } else {
        Thread.sleep(forTimeInterval: 0.01)
      }
    }
    let victim = try #require(pid, "cell 0 was never claimed")
    #expect(kill(victim, SIGKILL) == 0)
    _ = engine.readAll()
    let (status, err) = engine.finish()
    #expect(status == 1, "\(err)")
    #expect(err.contains("failed (status 137)"), "\(err)")
    #expect(!FileManager.default.fileExists(atPath: results.appendingPathComponent("cells/tiny/fold0/seed0.json").path))
    #expect(FileManager.default.fileExists(atPath: results.appendingPathComponent("cells/tiny/fold1/seed0.json").path))

    let incomplete = try CommandLineTests.ferlab(["collect", results.path])
    #expect(incomplete.status == 1)
    #expect(incomplete.out.contains("  missing tiny/fold0/seed0 (cell 0), pid \(victim) on "), "\(incomplete.out)")
    #expect(incomplete.out.contains("ended without a result"), "\(incomplete.out)")

    let resumed = try CommandLineTests.ferlab(cv + ["--resume", results.path])
    #expect(resumed.status == 0, "\(resumed.err)")
    #expect(resumed.out == out)
    Self.expectSameRecords(try OneCommandModelTests.records(results.appendingPathComponent("session.jsonl").path), records)
  }

  @Test func optionsOfTheEnginesAreChecked() throws {
    for (arguments, message) in [
      (["--engine", "local"], "--engine needs --results DIR"),
      (["--results", "/tmp/x"], "--results needs --engine local or --engine slurm"),
      (["--jobs", "2"], "--jobs applies to --engine local|slurm only"),
      (["--engine", "local", "--results", "/tmp/x", "--resume", "/tmp/x"], "not both"),
      (["--resume", "/nonexistent/grid"], "holds no grid"),
      (["--engine", "slurm", "--results", "/tmp/x", "--time", "2h"], "--time '2h': sbatch takes M, M:S"),
      (["--engine", "slurm", "--results", "/tmp/x", "--time", "1:2:3:4"], "--time '1:2:3:4'"),
      (["--engine", "slurm", "--results", "/tmp/x", "--time", "30:00\n#SBATCH --x"], "--time '30:00"),
      (["--engine", "slurm", "--results", "/tmp/x", "--mem", "4.5G"], "--mem '4.5G': sbatch takes a whole number"),
      (["--engine", "slurm", "--results", "/tmp/x", "--partition", "a b"], "--partition 'a b': give a partition name"),
    ] {
      let run = try CommandLineTests.ferlab(["cv"] + arguments)
      #expect(run.status != 0 && run.err.contains(message), "\(arguments): \(run.err)")
    }
  }

  @Test func aDryRunPrintsTheJobArray() throws {
    let folder = try Self.temporaryFolder("grid-dry")
    defer { try? FileManager.default.removeItem(at: folder) }
    let results = folder.appendingPathComponent("results")
    let dry = try CommandLineTests.ferlab(
      Self.grid + ["--engine", "slurm", "--results", results.path, "--partition", "gpu", "--time", "30:00", "--cpus-per-task", "4",
        "--mem", "8G", "--dry-run"])
    #expect(dry.status == 0, "\(dry.err)")
    for line in [
      "#SBATCH --array=0-15", "#SBATCH --output=\(results.path)/logs/%A_%a.log", "#SBATCH --partition=gpu",
      "#SBATCH --time=30:00", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=8G", "grid-worker \(results.path) --cell \"$SLURM_ARRAY_TASK_ID\"",
      "sbatch --parsable \(results.path)/slurm/grid-1.sbatch",
    ] {
      #expect(dry.out.contains(line), "\(line) not in \(dry.out)")
    }
    #expect(!FileManager.default.fileExists(atPath: results.path), "a dry run wrote the folder")
    // sbatch's other forms of --time, --mem and --partition pass as given.
    for (time, mem, partition) in [("90", "4096", "debug,long"), ("1-2:30", "512k", "a_b.c"), ("1-0", "4GB", "gpu"), ("UNLIMITED", "1T", "x-1")] {
      let run = try CommandLineTests.ferlab(
        Self.grid + ["--engine", "slurm", "--results", results.path, "--time", time, "--mem", mem, "--partition", partition, "--dry-run"])
      for line in ["#SBATCH --time=\(time)", "#SBATCH --mem=\(mem)", "#SBATCH --partition=\(partition)"] {
        #expect(run.status == 0 && run.out.contains(line), "\(line) not in \(run.out)\(run.err)")
      }
    }
    // A video dataset is prepared once, by a job the array depends on.
    let videos = try CommandLineTests.ferlab(
      ["cv", "--data", "enterface:/data/enterface", "--engine", "slurm", "--results", results.path, "--cache", "/shared/cache", "--dry-run"])
    #expect(videos.status == 0, "\(videos.err)")
    #expect(videos.out.contains("grid-worker \(results.path) --prepare"), "\(videos.out)")
    #expect(videos.out.contains("export FERLAB_CACHE=/shared/cache"))
    #expect(videos.out.contains("--dependency=afterok:<the first job> --kill-on-invalid-dep=yes"))
  }
}
