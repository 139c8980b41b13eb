import FERExperiments
import Foundation
import Testing
@testable import FERWorkspace

// A grid spread over processes, in one process: the plan made from the lines
// alone is the one the workspace runs; cells run one by one with `cells=` and
// written to a results folder merge into the session and notebook of the
// sequential grid, event for event and line for line; a write interrupted
// before its rename leaves no result; and the folder's state says which cells
// are done, running, failed or missing.

@Suite("grid results folders", .serialized)
struct GridFolderTests {
  static let prelude = ["set preset tiny", "set streams rgb", "set epochs 1", "set folds 2", tinyLoad]
  static let command = "ablate skips"

  /// A new results folder for the tiny skip grid (4 rows × 2 folds).
  static func folder() throws -> GridFolder {
    let folder = GridFolder(temporaryPath("grid"))
    try folder.create(try GridManifest.plan(prelude: prelude, command: command, arguments: [], engine: "local"))
    return folder
  }

  /// Runs cell `index` as a worker does: the prelude, then the grid line for that cell alone.
  static func workerRecords(_ folder: GridFolder, _ index: Int) throws -> [CommandRecord] {
    let workspace = try runHeadless((prelude + [try folder.manifest().workerLine([index])]).joined(separator: "\n"))
    let records = workspace.commandRecords()
    #expect(records.allSatisfy { $0.error == nil }, "\(records.compactMap(\.error))")
    return records
  }

  static func runCell(_ folder: GridFolder, _ index: Int) throws {
    let worker = CellWorker.current(log: nil)
    #expect(try folder.claim(index, by: worker))
    try folder.finish(index, records: try workerRecords(folder, index), seed: 1, by: worker)
  }

  @Test func thePlanWithoutDataIsTheWorkspacesPlan() throws {
    let manifest = try GridManifest.plan(prelude: Self.prelude, command: "ablate skips seeds=2", arguments: [], engine: "local")
    let records = try runHeadless((Self.prelude + ["ablate skips seeds=2 cells=T+S+/fold1/seed1"]).joined(separator: "\n"))
      .commandRecords()
    let started = records.last?.events.compactMap { if case .gridStarted(let g) = $0 { g } else { nil } }.first
    #expect(manifest.cells == started?.plan.cells.map(\.key))
    #expect(manifest.cells.count == 16 && manifest.kind == "ablate skips" && !manifest.preparesData)
    // Only the named cell trained.
    let finished = records.last?.events.compactMap { if case .cellFinished(let c) = $0 { c.cell.key } else { nil } }
    #expect(finished == ["T+S+/fold1/seed1"])
  }

  @Test func cellsRunApartMergeIntoTheSequentialSession() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    let cells = try folder.manifest().cells
    // Out of plan order, each in a workspace of its own.
    for index in cells.indices.reversed() { try Self.runCell(folder, index) }
    let state = try GridFolderState.read(folder)
    #expect(state.isComplete && state.cells.map(\.key) == cells)

    let sequential = try runHeadless((Self.prelude + [Self.command]).joined(separator: "\n"))
    let collected = try GridCollection(folder)
    #expect(collected.records.map(\.line) == sequential.commandRecords().map(\.line))
    for (merged, live) in zip(collected.records, sequential.commandRecords()) {
      #expect(merged.events == live.events, "`\(live.line)`")
      #expect(merged.index == live.index && merged.cell == live.cell)
    }
    #expect(collected.notebook == sequential.snapshot().cells.flatMap(\.output))
    #expect(state.partialSummary == collected.gridRecord.events.compactMap {
      if case .gridFinished(let g) = $0 { g.summary } else { nil }
    }.first)

    // The session file reads back as the same records.
    let path = temporaryPath("collected.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try collected.writeSession(to: path)
    let file = try SessionFile(path: path)
    #expect(file.commands == collected.records && file.header.format == sessionFormatVersion)
  }

  /// `watch FOLDER` follows the folder: the counts and the rows so far, and the finished table at the end.
  @Test func watchingAGridFolder() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    let cells = try folder.manifest().cells
    for index in cells.indices.dropFirst(2) { try Self.runCell(folder, index) }
    let workspace = try Workspace()
    // Two cells still to come: the watch reports 6 of 8, then the whole grid once they are written.
    workspace.submit("watch \(folder.path)")
    Thread.sleep(forTimeInterval: 0.3)
    for index in 0..<2 { try Self.runCell(folder, index) }
    workspace.waitUntilIdle()
    let watched: [GridWatched] = workspace.commandRecords().last?.events.compactMap { if case .gridWatched(let w) = $0 { w } else { nil } } ?? []
    #expect(watched.first?.done == 6 && watched.first?.total == 8)
    #expect(watched.last?.done == 8 && watched.last?.unfinished == [])
    let sequential = try runHeadless((Self.prelude + [Self.command]).joined(separator: "\n"))
    let summary = sequential.commandRecords().last?.events.compactMap { if case .gridFinished(let g) = $0 { g.summary } else { nil } }.first
    #expect(watched.last?.summary == summary)
    let snapshot = workspace.snapshot()
    #expect(snapshot.focus == .grid && snapshot.table == summary?.rowTable(showPublished: false))
    #expect(snapshot.cells.last?.output.contains { $0.hasPrefix("T+S+ ") } == true)
  }

  /// A node with other data (same lines, another dataset) is named, never merged.
  @Test func cellsThatDisagreeAreRefused() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    let cells = try folder.manifest().cells
    for index in cells.indices.dropFirst() { try Self.runCell(folder, index) }
    let otherData = Self.prelude.dropLast() + [tinyLoad + " seed=2", try folder.manifest().workerLine([0])]
    var records = try runHeadless(otherData.joined(separator: "\n")).commandRecords()
    records[Self.prelude.count - 1].line = tinyLoad
    let worker = CellWorker.current(log: nil)
    #expect(try folder.claim(0, by: worker))
    try folder.finish(0, records: records, seed: 1, by: worker)
    #expect(try GridFolderState.read(folder).isComplete)
    do {
      _ = try GridCollection(folder)
      Issue.record("cells of two datasets were merged")
    } catch let error as GridFolderError {
      #expect("\(error)".contains("`\(tinyLoad)` recorded other events in cell \(cells[1])"), "\(error)")
      #expect("\(error)".contains("every node must run the same FERLab build on the same data"))
    }
  }

  @Test func anInterruptedWriteLeavesNoResult() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    struct Interrupted: Error {}
    let worker = CellWorker.current(log: "logs/local-2.log")
    #expect(try folder.claim(2, by: worker))
    let records = try Self.workerRecords(folder, 2)
    #expect(throws: Interrupted.self) {
      try folder.finish(2, records: records, seed: 1, by: worker, beforeRename: { throw Interrupted() })
    }
    let key = try folder.key(2)
    let cellFolder = folder.resultURL(key).deletingLastPathComponent()
    #expect(!FileManager.default.fileExists(atPath: folder.resultURL(key).path))
    #expect((try? FileManager.default.contentsOfDirectory(atPath: cellFolder.path))?.isEmpty ?? true, "a partial file was left")
    // Its worker (this process) still holds the claim: running, not done.
    var state = try GridFolderState.read(folder)
    #expect(state.cells[2].state == .running && state.cells[2].log == "logs/local-2.log")
    #expect(state.cells(.done).isEmpty && state.cells(.missing).count == 7 && state.partialSummary == nil)

    try folder.fail(2, error: "stopped by SIGTERM", by: worker)
    state = try GridFolderState.read(folder)
    #expect(state.cells[2].state == .failed && state.cells[2].reason == "stopped by SIGTERM")
    #expect(state.unfinished.count == 8)
    #expect(throws: GridFolderError.self) { try GridCollection(folder) }

    // Run again, the cell is done and its failure forgotten; a done cell is not claimed again.
    try Self.runCell(folder, 2)
    state = try GridFolderState.read(folder)
    #expect(state.cells[2].state == .done && state.cells(.failed).isEmpty)
    #expect(state.partialSummary?.rows.map(\.label) == [String(key.prefix { $0 != "/" })])
    #expect(try !folder.claim(2, by: worker))
  }

  @Test func aClaimWhoseProcessIsGoneIsMissing() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    // A worker of this host whose pid no longer runs (pid_max is below 2^22 on Linux).
    var gone = CellWorker.current(log: nil)
    gone.pid = 4_194_304 + 17
    #expect(try folder.claim(1, by: gone))
    let state = try GridFolderState.read(folder)
    #expect(state.cells[1].state == .missing)
    #expect(state.cells[1].reason?.contains("ended without a result") == true)
    #expect(state.unfinishedLines[1].contains("missing \(state.cells[1].key) (cell 1)"))
  }

  @Test func foldersRefuseWhatTheyDoNotHold() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    #expect(throws: GridFolderError.self) {
      try folder.create(try GridManifest.plan(prelude: Self.prelude, command: "cv", arguments: [], engine: "local"))
    }
    #expect(throws: GridFolderError.noSuchCell(folder.path, index: 8, count: 8)) { try folder.key(8) }
    #expect(throws: GridFolderError.self) { try GridFolder(temporaryPath("none")).manifest() }
    #expect(throws: GridFolderError.notAGrid("cv cells=tiny/fold0/seed0")) {
      try GridManifest.plan(prelude: [], command: "cv cells=tiny/fold0/seed0", arguments: [], engine: "local")
    }
    #expect(throws: GridFolderError.notAPrelude("train")) {
      try GridManifest.plan(prelude: ["train"], command: "cv", arguments: [], engine: "local")
    }
    // A cell the grid does not have fails by name.
    let workspace = try runHeadless((Self.prelude + ["cv cells=tiny/fold7/seed0"]).joined(separator: "\n"))
    #expect(workspace.snapshot().cells.last?.output.last?.contains("no cell tiny/fold7/seed0 in this grid of 2 cells") == true)
  }
}
