import ArgumentParser
import FERData
import FERWorkspace
import Foundation

/// How a grid's cells run.
enum GridEngine: String, ExpressibleByArgument, CaseIterable {
  /// N worker processes of this machine.
  case local
  /// One sbatch job array, a task per cell.
  case slurm
}

/// `cv` and `ablate`'s options for spreading a grid over processes or a cluster. Without
/// `--engine` or `--resume` the grid runs in this process, as it always did.
struct GridOptions: ParsableArguments {
  @Option(help: ArgumentHelp(
    "Run the cells as separate processes: local (--jobs worker processes of this machine) or slurm (one sbatch job array, a task per cell). Needs --results. Without it the cells run one after another in this process.",
    valueName: "local|slurm"))
  var engine: GridEngine?

  @Option(help: ArgumentHelp("The results folder (new or empty): one file per finished cell; the nodes must share it.", valueName: "dir"))
  var results: String?

  @Option(help: ArgumentHelp(
    "Finish the grid in this results folder: run or submit again only its failed and missing cells (give the options it was started with).",
    valueName: "dir"))
  var resume: String?

  @Option(help: "--engine local: worker processes at once (default: the active cores).")
  var jobs: Int?

  @Option(help: "--engine slurm: the partition (sbatch --partition).")
  var partition: String?

  @Option(help: "--engine slurm: each cell's time limit (sbatch --time, e.g. 30:00 or 2:00:00).")
  var time: String?

  @Option(name: .customLong("cpus-per-task"), help: "--engine slurm: CPUs of each cell's task (sbatch --cpus-per-task; its compute threads).")
  var cpusPerTask: Int?

  @Option(help: "--engine slurm: memory of each cell's task (sbatch --mem, e.g. 4G).")
  var mem: String?

  @Option(help: ArgumentHelp(
    "The prepared-clip cache the workers share, for video data (default: $FERLAB_CACHE, else ~/.cache/ferlab).", valueName: "dir"))
  var cache: String?

  @Flag(help: "--engine slurm: print the scripts and the sbatch lines; write and submit nothing.")
  var dryRun = false

  @Flag(help: "--engine slurm: wait for the tasks to end, then collect and print the table.")
  var wait = false

  /// Whether the grid leaves this process.
  var distributes: Bool { engine != nil || resume != nil }

  func validate() throws {
    if results != nil && resume != nil { throw ValidationError("give --results DIR for a new grid or --resume DIR, not both") }
    if engine != nil && results == nil && resume == nil { throw ValidationError("--engine needs --results DIR (or --resume DIR)") }
    if results != nil && engine == nil { throw ValidationError("--results needs --engine local or --engine slurm") }
    if !distributes {
      let given = [("--jobs", jobs != nil), ("--partition", partition != nil), ("--time", time != nil),
        ("--cpus-per-task", cpusPerTask != nil), ("--mem", mem != nil), ("--cache", cache != nil), ("--dry-run", dryRun),
        ("--wait", wait)].filter(\.1).map(\.0)
      if let first = given.first { throw ValidationError("\(first) applies to --engine local|slurm only") }
    }
    if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs \(jobs): give 1 to 1024") }
    if let cpusPerTask, !(1...4096).contains(cpusPerTask) { throw ValidationError("--cpus-per-task \(cpusPerTask): give 1 to 4096") }
    if let time, !SlurmResourceValues.isTime(time) {
      throw ValidationError(
        "--time '\(time)': sbatch takes M, M:S, H:M:S, D-H, D-H:M or D-H:M:S in whole numbers, or UNLIMITED (e.g. 30:00 or 2:00:00)")
    }
    if let mem, !SlurmResourceValues.isMemory(mem) {
      throw ValidationError("--mem '\(mem)': sbatch takes a whole number of megabytes, or one with a unit K, M, G or T (e.g. 4G or 4GB)")
    }
    if let partition, !SlurmResourceValues.isPartition(partition) {
      throw ValidationError("--partition '\(partition)': give a partition name, or several separated by commas (letters, digits, - _ .)")
    }
  }

  /// The engine settings worth keeping for a resume.
  var resources: [String: String] {
    var r: [String: String] = [:]
    r["jobs"] = jobs.map(String.init)
    r["partition"] = partition
    r["time"] = time
    r["cpus-per-task"] = cpusPerTask.map(String.init)
    r["mem"] = mem
    return r
  }

  /// Plans the grid of `command`, starts it (or its unfinished cells) on the engine, and —
  /// when the cells ran here or `--wait` waited for them — collects and prints it.
  func run(_ command: String, experiment: ExperimentOptions) throws {
    let prelude = try experiment.prelude(before: [command])
    let arguments = Array(CommandLine.arguments.dropFirst())
    let cacheFolder = cache.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? PreparedClipCache.defaultFolder().path
    var planned: GridManifest
    do {
      planned = try GridManifest.plan(
        prelude: prelude, command: command, arguments: arguments, engine: (engine ?? .local).rawValue,
        resources: resources, cache: cacheFolder)
    } catch { throw Failure("\(error)") }
    let folder = GridFolder(results ?? resume ?? "")
    let manifest: GridManifest
    var indices: [Int]
    if resume != nil {
      let recorded: GridManifest
      do { recorded = try folder.manifest() } catch { throw Failure("\(error)") }
      guard recorded.sameGrid(as: planned) else {
        throw Failure("\(GridFolderError.otherGrid(folder.path, recorded: describe(recorded), given: describe(planned)))")
      }
      manifest = recorded.merging(resources: resources, engine: engine)
      let live = manifest.engine == GridEngine.slurm.rawValue ? Slurm.liveTasks(of: folder) : nil
      let state = try GridFolderState.read(folder, liveSlurmTasks: live)
      indices = state.unfinished.map(\.index)
      let busy = state.cells(.running).count + state.cells(.queued).count
      FileHandle.standardError.write(Data((
        "\(folder.path): \(state.cells(.done).count) of \(state.cells.count) cells done, \(indices.count) to run again"
          + (busy > 0 ? ", \(busy) still queued or running (left alone)" : "") + "\n").utf8))
    } else {
      manifest = planned
      indices = Array(manifest.cells.indices)
      if !(dryRun && engine == .slurm) {
        do { try folder.create(manifest) } catch { throw Failure("\(error)") }
      }
    }
    let threads = experiment.compute.threads
    switch GridEngine(rawValue: manifest.engine) ?? .local {
    case .local:
      if !indices.isEmpty {
        let jobs = jobs ?? Int(manifest.resources["jobs"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
        try LocalEngine(folder: folder, manifest: manifest, jobs: jobs, threads: threads).run(indices)
      }
      try GridReport.collect(folder, json: experiment.json, session: experiment.session)
    case .slurm:
      let slurm = SlurmEngine(folder: folder, manifest: manifest)
      guard !indices.isEmpty else {
        return try GridReport.collect(folder, json: experiment.json, session: experiment.session)
      }
      guard let submission = try slurm.submit(indices, dryRun: dryRun) else { return }
      guard wait else {
        FileHandle.standardError.write(Data((
          "submitted \(indices.count) cells as job array \(submission.job ?? "?")"
            + (submission.prepareJob.map { " after job \($0), which prepares the data" } ?? "")
            + "; `squeue -j \(submission.job ?? "?")` follows it, `ferlab collect \(folder.path)` merges it when it ends\n").utf8))
        return
      }
      try Slurm.waitFor(submission)
      try GridReport.collect(folder, json: experiment.json, session: experiment.session)
    }
  }

  private func describe(_ m: GridManifest) -> String {
    "`" + (m.prelude + [m.command]).joined(separator: "; ") + "`"
  }
}

extension GridManifest {
  /// The manifest with the engine and the engine settings given on a resume.
  func merging(resources given: [String: String], engine: GridEngine?) -> GridManifest {
    var m = self
    m.resources.merge(given) { $1 }
    if let engine { m.engine = engine.rawValue }
    return m
  }
}
