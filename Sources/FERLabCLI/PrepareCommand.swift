import ArgumentParser
import FERData
import Foundation

/// `ferlab prepare`: finds a dataset's videos and pre-processes them into the cache.
struct PrepareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prepare",
    abstract: "Decode, face-crop and compute the motion of a dataset's videos, filling the cache.",
    discussion: """
      Prepared clips are cached per file (keyed by path, size, modification time and the settings) in \
      --cache, else $FERLAB_CACHE, else ~/.cache/ferlab; a second run reads them without decoding. \
      Files that cannot be labelled or decoded are listed and skipped.
      """)

  @Argument(help: "The dataset folder (the CSV file for --layout manifest).")
  var root: String

  @Option(help: "Folder layout: \(DatasetLayout.allCases.map(\.rawValue).joined(separator: ", ")).")
  var layout = DatasetLayout.enterface.rawValue

  @Option(help: "Frames kept per clip (T).")
  var frames = PreprocessingSettings.standard.frameCount

  @Option(help: "Face crop side in pixels (S).")
  var size = PreprocessingSettings.standard.cropSize

  @Option(help: "Haar cascade XML for face detection.")
  var cascade = PreprocessingSettings.defaultCascadePath

  @Option(help: "Cache folder.")
  var cache: String?

  @Flag(help: "Neither read nor write the cache: prepare every clip again.")
  var noCache = false

  @Option(help: "Clips prepared at once.")
  var workers = ProcessInfo.processInfo.activeProcessorCount

  func run() throws {
    guard let chosen = DatasetLayout(rawValue: layout) else {
      throw Failure(
        "--layout \(layout): use one of \(DatasetLayout.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    // Settings, cache and cascade fail before anything is scanned.
    let settings = try PreprocessingSettings(frameCount: frames, cropSize: size, cascadePath: cascade)
    let store =
      try noCache ? nil : PreparedClipCache(folder: cache.map(URL.init(fileURLWithPath:)) ?? .defaultCacheFolder)
    let preparer = try VideoDatasetPreparer(settings: settings, cache: store, workers: workers)
    let rootURL = URL(fileURLWithPath: root)
    let discovery = try chosen.discover(rootURL)
    print(discovery.summary)
    for skip in discovery.skipped { print("  skipped \(skip)") }

    let progress = ProgressReporter()
    let prefix = rootURL.standardizedFileURL.path + "/"
    let result: (dataset: Dataset, report: PreparationReport)
    do {
      result = try preparer.prepare(
        discovery.sources, name: chosen.datasetName(root: rootURL),
        provenance: "\(chosen.rawValue) \(rootURL.standardizedFileURL.path)"
      ) { step in
        let file =
          step.currentFile.hasPrefix(prefix) ? String(step.currentFile.dropFirst(prefix.count)) : step.currentFile
        progress.fraction(Double(step.done) / Double(max(step.total, 1)), "prepare \(step.done)/\(step.total) \(file)")
      }
    } catch {
      progress.end()
      throw error
    }
    let (dataset, report) = result
    for line in report.lines { print(line) }
    if let store { print("cache: \(store.folder.path)") }
    let counts = Emotion.allCases.map { "\($0.name) \(dataset.classCounts[$0.rawValue])" }.joined(separator: ", ")
    print(
      "dataset \(dataset.name): \(dataset.clips.count) clips, \(dataset.subjects.count) subjects, "
        + "T = \(dataset.frameCount), S = \(dataset.size); \(counts); fingerprint \(dataset.fingerprintHex)")
  }
}

extension URL {
  fileprivate static var defaultCacheFolder: URL { PreparedClipCache.defaultFolder() }
}
