import FERCore
import Foundation

// A grid's results folder, shared by every worker (a network file system on a
// cluster):
//
//   grid.json                    the grid (GridManifest)
//   submissions.json             every start: engine, cells, Slurm job ids, log pattern
//   running/ROW/foldF/seedS.json a worker's claim while it runs the cell
//   cells/ROW/foldF/seedS.json   the cell's result (CellResult)
//   failed/ROW/foldF/seedS.json  the cell's failure (CellFailure)
//   logs/                        the workers' output
//   slurm/                       the scripts submitted
//   session.jsonl                what `collect` merged
//
// Every file is written atomically, so a reader (collect, the explorer, a
// resume) sees a cell finished or not, never half-written.

/// A grid's results folder.
public struct GridFolder: Sendable {
  public let url: URL

  public init(_ path: String) {
    url = URL(fileURLWithPath: path).standardizedFileURL
  }

  public var path: String { url.path }
  var manifestURL: URL { url.appendingPathComponent("grid.json") }
  var submissionsURL: URL { url.appendingPathComponent("submissions.json") }
  public var sessionURL: URL { url.appendingPathComponent("session.jsonl") }
  public var logsURL: URL { url.appendingPathComponent("logs") }
  public var slurmURL: URL { url.appendingPathComponent("slurm") }

  func resultURL(_ key: String) -> URL { url.appendingPathComponent("cells/\(key).json") }
  func claimURL(_ key: String) -> URL { url.appendingPathComponent("running/\(key).json") }
  func failureURL(_ key: String) -> URL { url.appendingPathComponent("failed/\(key).json") }

  /// A path relative to the folder, made absolute.
  public func absolute(_ relative: String) -> String { url.appendingPathComponent(relative).path }

  // MARK: the grid

  /// Whether the folder holds a grid.
  public var holdsGrid: Bool { FileManager.default.fileExists(atPath: manifestURL.path) }

  public func manifest() throws -> GridManifest {
    guard let data = FileManager.default.contents(atPath: manifestURL.path) else { throw GridFolderError.notAGridFolder(path) }
    if let format = try? JSONDecoder().decode(FormatOnly.self, from: data).format, format > GridManifest.currentFormat {
      throw GridFolderError.newerFormat(manifestURL.path, format: format)
    }
    do { return try JSONDecoder().decode(GridManifest.self, from: data) } catch {
      throw GridFolderError.cannotRead(manifestURL.path, reason: FileError.decoding(error, as: GridManifest.self, json: data, file: "").detail)
    }
  }

  /// Makes the folder and writes `manifest`; refuses a folder that holds a grid already.
  public func create(_ manifest: GridManifest) throws {
    if holdsGrid { throw GridFolderError.occupied(path, command: (try? self.manifest().command) ?? "?") }
    if let entries = try? FileManager.default.contentsOfDirectory(atPath: path), !entries.isEmpty {
      throw GridFolderError.notEmpty(path)
    }
    for sub in ["cells", "running", "failed", "logs"] {
      try FileManager.default.createDirectory(at: url.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    try write(manifest, to: manifestURL)
  }

  public func submissions() throws -> [GridSubmission] {
    guard let data = FileManager.default.contents(atPath: submissionsURL.path) else { return [] }
    do { return try JSONDecoder().decode([GridSubmission].self, from: data) } catch {
      throw GridFolderError.cannotRead(submissionsURL.path, reason: FileError.decoding(error, as: [GridSubmission].self, json: data, file: "").detail)
    }
  }

  /// Adds a start to submissions.json.
  public func record(_ submission: GridSubmission) throws {
    try write(try submissions() + [submission], to: submissionsURL)
  }

  /// The number the next start gets.
  public func nextSubmissionNumber() throws -> Int { (try submissions().map(\.number).max() ?? 0) + 1 }

  // MARK: cells

  func result(_ key: String) -> CellResult? { read(CellResult.self, resultURL(key)) }
  func claim(_ key: String) -> CellClaim? { read(CellClaim.self, claimURL(key)) }
  func failure(_ key: String) -> CellFailure? { read(CellFailure.self, failureURL(key)) }
  func hasResult(_ key: String) -> Bool { FileManager.default.fileExists(atPath: resultURL(key).path) }

  /// A worker starts cell `index`: an earlier failure is forgotten and the claim written.
  /// Returns false (and claims nothing) when the cell has a result already.
  public func claim(_ index: Int, by worker: CellWorker) throws -> Bool {
    let key = try self.key(index)
    // A result this FERLab cannot read is run again (and replaced).
    guard result(key) == nil else { return false }
    AtomicFile.removeAbandonedPartials(of: resultURL(key))
    unlink(failureURL(key).path)
    try write(CellClaim(key: key, index: index, worker: worker), to: claimURL(key))
    return true
  }

  /// The worker of cell `index` ends with its workspace's `records` (the prelude's and the grid command's).
  public func finish(_ index: Int, records: [CommandRecord], seed: UInt64, by worker: CellWorker) throws {
    try finish(index, records: records, seed: seed, by: worker, beforeRename: {})
  }

  /// `finish`, with `beforeRename` run between the result's flushed temporary file and
  /// its rename (tests interrupt the write there).
  func finish(
    _ index: Int, records: [CommandRecord], seed: UInt64, by worker: CellWorker, beforeRename: () throws -> Void
  ) throws {
    let key = try self.key(index)
    let header = SessionHeader(seed: seed, numerics: .current(ferlab: FERLabVersion.current))
    let result = try CellResult(key: key, index: index, header: header, records: records, worker: worker)
    try write(result, to: resultURL(key), beforeRename: beforeRename)
    unlink(claimURL(key).path)
  }

  /// The worker of cell `index` ends without a result.
  public func fail(_ index: Int, error: String, by worker: CellWorker) throws {
    let key = try self.key(index)
    guard !hasResult(key) else { return }
    let failure = CellFailure(key: key, index: index, error: error, worker: worker, ended: ISO8601DateFormatter().string(from: Date()))
    try write(failure, to: failureURL(key))
    unlink(claimURL(key).path)
  }

  public func key(_ index: Int) throws -> String {
    let cells = try manifest().cells
    guard cells.indices.contains(index) else { throw GridFolderError.noSuchCell(path, index: index, count: cells.count) }
    return cells[index]
  }

  // MARK: files

  private struct FormatOnly: Decodable { let format: Int }

  private func read<T: Decodable>(_ type: T.Type, _ file: URL) -> T? {
    FileManager.default.contents(atPath: file.path).flatMap { try? SessionCoding.decoder.decode(T.self, from: $0) }
  }

  private func write(_ value: some Encodable, to file: URL, beforeRename: () throws -> Void = {}) throws {
    let encoder = SessionCoding.encoder
    encoder.outputFormatting.insert(.prettyPrinted)
    try AtomicFile.write(try encoder.encode(value), to: file, beforeRename: beforeRename)
  }
}
