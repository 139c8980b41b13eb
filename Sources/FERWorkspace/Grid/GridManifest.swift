import FERCore
import FERExperiments
import Foundation

// A grid spread over processes or nodes is described once, in its results
// folder's grid.json: the workspace lines every worker runs first (the `set`
// lines and the `load` line the CLI built), the grid command, and the cells'
// keys in plan order (a cell's index is its place in that list, and a Slurm
// array task's id). The plan comes from the lines alone, without the data, so
// a grid can be planned on a login node that never loads its dataset.

/// What a results folder holds: the grid and how it was started.
public struct GridManifest: Codable, Sendable, Equatable {
  /// This description's version.
  public var format = 1
  /// The FERLab that planned it.
  public var ferlab: String
  /// ISO 8601; informational.
  public var created: String
  /// "cv", "ablate skips", …
  public var kind: String
  /// The `set` and `load` lines every worker runs before its cell.
  public var prelude: [String]
  /// The grid command as a sequential run gives it ("ablate skips seeds=2").
  public var command: String
  /// Every cell's key, in plan order.
  public var cells: [String]
  /// The `ferlab` arguments that started the grid (for the resume hint).
  public var arguments: [String]
  /// `local` or `slurm`: how it was started.
  public var engine: String
  /// The dataset is a video layout (enterface, folder, manifest): a preparing step fills
  /// `cache` once before the cells, which then only read it.
  public var preparesData: Bool
  /// The prepared-clip cache the workers use ($FERLAB_CACHE), for video data.
  public var cache: String?
  /// Engine settings to reuse on resume (Slurm's partition, time, cpus-per-task, mem; local jobs).
  public var resources: [String: String]

  static let currentFormat = 1

  /// Plans the grid of `command` after `prelude`: its kind and its cells' keys. Fails with the
  /// workspace's message for a line that does not parse or a setting it refuses.
  public static func plan(
    prelude: [String], command: String, arguments: [String], engine: String, resources: [String: String] = [:],
    cache: String? = nil
  ) throws -> GridManifest {
    var settings = WorkspaceSettings(seed: WorkspaceOptions().seed)
    var preparesData = false
    for line in prelude {
      switch try CommandParser.parse(line) {
      case .set(let change)?:
        guard let setting = SettingCatalog.named(change.name) else { continue }
        try setting.assign(change.value, &settings, .running(dataset: nil))
      case .load(let request)?:
        if case .synthetic = request {} else { preparesData = true }
      default:
        throw GridFolderError.notAPrelude(line)
      }
    }
    guard let parsed = try CommandParser.parse(command), let grid = GridDefinition(parsed, spec: settings.spec) else {
      throw GridFolderError.notAGrid(command)
    }
    guard grid.only == nil else { throw GridFolderError.notAGrid(command) }
    return GridManifest(
      ferlab: FERLabVersion.current, created: ISO8601DateFormatter().string(from: Date()), kind: grid.kind,
      prelude: prelude, command: command, cells: grid.plan(foldCount: settings.foldCount).cells.map(\.key),
      arguments: arguments, engine: engine, preparesData: preparesData, cache: preparesData ? cache : nil,
      resources: resources)
  }

  /// The line a worker runs for the cells at `indices`.
  public func workerLine(_ indices: [Int]) -> String {
    command + " cells=" + indices.map { cells[$0] }.joined(separator: ",")
  }

  /// The pairs of rows the grid compares (first − second).
  var pairs: [(String, String)] {
    guard let parsed = try? CommandParser.parse(command) else { return [] }
    return GridDefinition(parsed, spec: WorkspaceSettings.defaultSpec)?.pairs ?? []
  }

  /// Whether `other` runs the same cells of the same grid (how it was started aside).
  public func sameGrid(as other: GridManifest) -> Bool {
    prelude == other.prelude && command == other.command && cells == other.cells
  }
}

/// One start of (part of) a grid: a local run or a Slurm submission, and the cells it ran.
public struct GridSubmission: Codable, Sendable, Equatable {
  /// 1 for the first start, 2 for the first resume, …
  public var number: Int
  public var engine: String
  /// The cells' indices.
  public var cells: [Int]
  /// Slurm: the job array's id and the preparing job's, when there is one.
  public var job: String?
  public var prepareJob: String?
  /// A cell's log, relative to the folder, with `%a` for the cell's index.
  public var logPattern: String
  /// The script submitted (Slurm), relative to the folder.
  public var script: String?
  /// ISO 8601; informational.
  public var started: String

  public init(
    number: Int, engine: String, cells: [Int], job: String? = nil, prepareJob: String? = nil, logPattern: String,
    script: String? = nil
  ) {
    self.number = number
    self.engine = engine
    self.cells = cells
    self.job = job
    self.prepareJob = prepareJob
    self.logPattern = logPattern
    self.script = script
    started = ISO8601DateFormatter().string(from: Date())
  }

  /// The log of the cell at `index` under this submission, relative to the folder.
  public func log(_ index: Int) -> String { logPattern.replacingOccurrences(of: "%a", with: "\(index)") }

  /// Slurm's name of the cell's task: "JOB_INDEX".
  public func task(_ index: Int) -> String? { job.map { "\($0)_\(index)" } }
}

/// What goes wrong with a results folder, in one sentence with what to do.
public enum GridFolderError: Error, CustomStringConvertible, Equatable {
  case cannotWrite(String, reason: String)
  case cannotRead(String, reason: String)
  case notAGridFolder(String)
  case newerFormat(String, format: Int)
  case notAPrelude(String)
  case notAGrid(String)
  case occupied(String, command: String)
  case notEmpty(String)
  case otherGrid(String, recorded: String, given: String)
  case noSuchCell(String, index: Int, count: Int)
  case inconsistent(String)
  case incomplete(String, left: Int, of: Int)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
    case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
    case .notAGridFolder(let path): "\(path) holds no grid (no readable grid.json); name the folder given to --results"
    case .newerFormat(let path, let format):
      "\(path) was written by a newer FERLab (grid format \(format), this one reads \(GridManifest.currentFormat)); update FERLab"
    case .notAPrelude(let line): "`\(line)`: a grid's workers run only `set` and `load` lines before it"
    case .notAGrid(let line): "`\(line)` is not a whole grid command (cv or ablate without cells=)"
    case .occupied(let path, let command):
      "\(path) already holds the grid `\(command)`: give --resume \(path) to finish it, or another --results folder"
    case .notEmpty(let path): "\(path) is not empty and holds no grid; name a new or empty folder for --results"
    case .otherGrid(let path, let recorded, let given):
      "\(path) holds another grid: it ran \(recorded), these options give \(given); give the options it was started with"
    case .noSuchCell(let path, let index, let count): "\(path): no cell \(index); the grid's cells are 0 to \(count - 1)"
    case .inconsistent(let message): message
    case .incomplete(let path, let left, let total):
      "\(left) of \(total) cells of \(path) are not finished; the list above says which and where their logs are"
    }
  }
}
