import FERSystem
import FERWorkspace
import Foundation

/// `--engine slurm`: one sbatch job array a start, a task per cell (its array index is
/// the cell's index in grid.json), after a job that prepares a video dataset's cache once.
struct SlurmEngine {
  let folder: GridFolder
  let manifest: GridManifest

  /// Writes the scripts into the folder's slurm/ and submits them; with `dryRun` prints them
  /// and the sbatch lines instead. Returns the recorded submission (nil for a dry run).
  func submit(_ indices: [Int], dryRun: Bool) throws -> GridSubmission? {
    // #SBATCH lines are not shell words: a path there cannot hold white space.
    guard !folder.path.contains(where: \.isWhitespace) else {
      throw Failure("--engine slurm: the results folder's path holds a space (\(folder.path)); name one without")
    }
    let number = dryRun ? ((try? folder.nextSubmissionNumber()) ?? 1) : try folder.nextSubmissionNumber()
    let gridScript = folder.slurmURL.appendingPathComponent("grid-\(number).sbatch")
    let prepareScript = folder.slurmURL.appendingPathComponent("prepare-\(number).sbatch")
    let scripts = [(prepareScript, manifest.preparesData ? prepare(number) : nil), (gridScript, array(indices, number))]
    if dryRun {
      for case (let url, let text?) in scripts { print("# \(url.path)\n\(text)") }
      let after = manifest.preparesData ? "--dependency=afterok:<the first job> --kill-on-invalid-dep=yes " : ""
      if manifest.preparesData { print("sbatch --parsable \(shellQuoted(prepareScript.path))") }
      print("sbatch --parsable \(after)\(shellQuoted(gridScript.path))")
      return nil
    }
    try FileManager.default.createDirectory(at: folder.slurmURL, withIntermediateDirectories: true)
    for case (let url, let text?) in scripts {
      do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
        throw Failure("cannot write \(url.path): \(error.localizedDescription)")
      }
    }
    var prepareJob: String?
    if manifest.preparesData { prepareJob = try Slurm.sbatch([prepareScript.path]) }
    let dependency = prepareJob.map { ["--dependency=afterok:\($0)", "--kill-on-invalid-dep=yes"] } ?? []
    let job = try Slurm.sbatch(dependency + [gridScript.path])
    let submission = GridSubmission(
      number: number, engine: GridEngine.slurm.rawValue, cells: indices, job: job, prepareJob: prepareJob,
      logPattern: "logs/\(job)_%a.log", script: "slurm/grid-\(number).sbatch")
    do { try folder.record(submission) } catch { throw Failure("\(error)") }
    return submission
  }

  /// The job array: task i runs cell i.
  private func array(_ indices: [Int], _ number: Int) -> String {
    let lines = header(
      name: "ferlab-grid",
      about: [
        "FERLab grid `\(manifest.command)`: \(indices.count) of its \(manifest.cells.count) cells (start \(number)).",
        "Array task i runs cell i of grid.json: the grid's `set` and `load` lines, then",
        "`\(manifest.command) cells=KEY`, and writes the cell's events to cells/KEY.json.",
      ],
      options: ["--array=\(Self.ranges(indices))", "--output=\(folder.logsURL.path)/%A_%a.log", "--open-mode=append"]
        + resources)
    let worker = [Slurm.ferlabBinary, "grid-worker", folder.path].map(shellQuoted).joined(separator: " ")
    return (lines + cacheExport + [
      "exec \(worker) --cell \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" \\",
      "  --log \"logs/${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.log\"",
    ]).joined(separator: "\n") + "\n"
  }

  /// The job that fills the cache: the grid's `set` and `load` lines, once.
  private func prepare(_ number: Int) -> String {
    let lines = header(
      name: "ferlab-prepare",
      about: [
        "FERLab grid `\(manifest.command)`: prepares its video dataset once (start \(number)):",
        "the grid's `set` and `load` lines fill the shared cache, which the cells' tasks then read.",
      ],
      options: ["--output=\(folder.logsURL.path)/prepare-%j.log"] + resources)
    let worker = [Slurm.ferlabBinary, "grid-worker", folder.path, "--prepare"].map(shellQuoted).joined(separator: " ")
    return (lines + cacheExport + ["exec \(worker)"]).joined(separator: "\n") + "\n"
  }

  private func header(name: String, about: [String], options: [String]) -> [String] {
    ["#!/bin/bash"] + about.map { "# " + $0 } + ["#SBATCH --job-name=\(name)"] + options.map { "#SBATCH " + $0 }
  }

  private var resources: [String] {
    [("partition", "--partition"), ("time", "--time"), ("cpus-per-task", "--cpus-per-task"), ("mem", "--mem")]
      .compactMap { key, option in manifest.resources[key].map { "\(option)=\($0)" } }
  }

  private var cacheExport: [String] {
    manifest.cache.map { ["export FERLAB_CACHE=\(shellQuoted($0))"] } ?? []
  }

  /// "0-3,5,7-9": sbatch's --array list of the indices.
  static func ranges(_ indices: [Int]) -> String {
    var parts: [String] = []
    var i = 0
    let sorted = indices.sorted()
    while i < sorted.count {
      var j = i
      while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
      parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
      i = j + 1
    }
    return parts.joined(separator: ",")
  }
}

/// The Slurm commands FERLab calls: sbatch to submit, squeue to see what still runs.
enum Slurm {
  /// This executable's path, which the nodes run (they must see it at the same path).
  static var ferlabBinary: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
  }

  /// Runs `tool` from PATH; its status, stdout and stderr.
  static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    guard let path = locate(tool) else {
      throw Failure("\(tool) is not on PATH: --engine slurm runs where Slurm's commands are (a login node)")
    }
    let (status, out, err) = try Subprocess.run(URL(fileURLWithPath: path), arguments)
    return (status, String(decoding: out, as: UTF8.self), err)
  }

  static func locate(_ tool: String) -> String? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
      .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Submits with `sbatch --parsable`; the job id.
  static func sbatch(_ arguments: [String]) throws -> String {
    let (status, out, err) = try run("sbatch", ["--parsable"] + arguments)
    let id = out.split(separator: "\n").first.map { String($0.split(separator: ";").first ?? "") } ?? ""
    guard status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
      throw Failure("sbatch \(arguments.joined(separator: " ")) failed (status \(status)): \(err.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return id
  }

  /// "JOB_TASK" of every task of the folder's Slurm jobs that squeue still lists; nil when the
  /// folder has none or squeue is not here.
  static func liveTasks(of folder: GridFolder) -> Set<String>? {
    let jobs = ((try? folder.submissions()) ?? []).compactMap(\.job)
    guard !jobs.isEmpty, locate("squeue") != nil else { return nil }
    do { return try liveTasks(jobs) } catch {
      // Without squeue's word a claimed cell counts as running and an unclaimed one as missing.
      FileHandle.standardError.write(Data("\(error); cells claimed by Slurm tasks count as running\n".utf8))
      return nil
    }
  }

  static func liveTasks(_ jobs: [String]) throws -> Set<String> {
    let (status, out, err) = try run("squeue", ["--noheader", "--array", "--jobs", jobs.joined(separator: ","), "--format", "%i"])
    // A job squeue no longer knows ended long enough ago to be forgotten.
    if status != 0 && err.contains("Invalid job id") { return [] }
    guard status == 0 else { throw Failure("squeue failed (status \(status)): \(err.trimmingCharacters(in: .whitespacesAndNewlines))") }
    return Set(out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
  }

  /// Waits until squeue lists none of the submission's tasks (and its preparing job).
  static func waitFor(_ submission: GridSubmission) throws {
    let jobs = [submission.prepareJob, submission.job].compactMap { $0 }
    var last = -1
    while true {
      let live = try liveTasks(jobs)
      if live.isEmpty { return }
      if live.count != last {
        FileHandle.standardError.write(Data("waiting for \(live.count) slurm tasks of job \(jobs.joined(separator: ", "))\n".utf8))
        last = live.count
      }
      Thread.sleep(forTimeInterval: 1)
    }
  }
}
