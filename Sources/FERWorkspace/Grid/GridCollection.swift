import FERExperiments
import Foundation

// A finished grid folder merged into the session a sequential run records: the
// prelude's records, then the grid command's record with its lead (gridStarted),
// every cell's events in plan order and gridFinished summarised from the cells'
// cellFinished events. Cells are seeded by their keys alone, so the merged
// events — and the notebook and table rendered from them — are a sequential
// run's, bit for bit.

/// The session of a finished grid folder.
public struct GridCollection: Sendable {
  public let header: SessionHeader
  /// The prelude's records, then the grid command's.
  public let records: [CommandRecord]

  /// Merges `folder`; fails when a cell is not done or when cells disagree on what came before them.
  public init(_ folder: GridFolder) throws {
    let state = try GridFolderState.read(folder)
    let manifest = state.manifest
    guard state.isComplete else {
      throw GridFolderError.incomplete(folder.path, left: state.cells.count - state.cells(.done).count, of: state.cells.count)
    }
    let results = try manifest.cells.map { key in
      guard let result = folder.result(key) else {
        throw GridFolderError.cannotRead(folder.resultURL(key).path, reason: "not a cell result of this FERLab")
      }
      return result
    }
    guard let first = results.first, let started = first.gridStarted else {
      throw GridFolderError.inconsistent("\(folder.path): the first cell's result has no gridStarted event")
    }
    for result in results { try Self.check(result, against: first, manifest) }

    var records: [CommandRecord] = first.prelude.enumerated().map { i, r in
      CommandRecord(index: i + 1, cell: i, line: r.line, events: r.events, error: nil, dropped: nil, seconds: r.seconds)
    }
    let scores = results.compactMap(\.score)
    let finished = GridFinished(
      kind: started.kind, summary: GridSummary(plan: started.plan, scores: scores, pairs: manifest.pairs),
      showPublished: first.showPublished)
    records.append(CommandRecord(
      index: records.count + 1, cell: records.count, line: manifest.command,
      events: first.lead + results.flatMap(\.events) + [.gridFinished(finished)], error: nil, dropped: nil,
      seconds: results.map(\.seconds).reduce(0, +)))
    header = first.header
    self.records = records
  }

  /// The grid command's record.
  public var gridRecord: CommandRecord { records[records.count - 1] }

  /// Every command's notebook lines, as a sequential run prints them: the records
  /// through the workspace's one reducer and renderer.
  public var notebook: [String] {
    var state = WorkspaceState(seed: header.seed, sessionPath: nil)
    for record in records {
      state.begin(cell: record.cell, line: record.line)
      for event in record.events { state.apply(event, cell: record.cell) }
      state.finish(cell: record.cell, error: record.error)
    }
    return state.cells.flatMap(\.output)
  }

  /// The session as `ferlab run` records it (format 3), written atomically.
  public func writeSession(to path: String) throws {
    let encoder = SessionCoding.encoder
    var data = Data()
    for line in [try encoder.encode(header)] + (try records.map { try encoder.encode($0) }) {
      data.append(line)
      data.append(0x0A)
    }
    try AtomicFile.write(data, to: URL(fileURLWithPath: path))
  }

  /// Every cell ran the same prelude to the same events and led into the same grid.
  private static func check(_ result: CellResult, against first: CellResult, _ manifest: GridManifest) throws {
    let name = "cell \(result.key) (\(result.worker.description))"
    let firstName = "cell \(first.key) (\(first.worker.description))"
    let advice = "every node must run the same FERLab build on the same data"
    guard result.prelude.map(\.line) == manifest.prelude, result.line.hasPrefix(manifest.command + " cells=") else {
      throw GridFolderError.inconsistent("\(name) ran other lines than grid.json's: \(result.prelude.map(\.line) + [result.line])")
    }
    for (a, b) in zip(result.prelude, first.prelude) where a.events != b.events || a.error != b.error {
      throw GridFolderError.inconsistent("`\(a.line)` recorded other events in \(name) than in \(firstName); \(advice)")
    }
    guard result.lead == first.lead, result.header.seed == first.header.seed else {
      throw GridFolderError.inconsistent("`\(manifest.command)` began differently in \(name) than in \(firstName); \(advice)")
    }
  }
}
