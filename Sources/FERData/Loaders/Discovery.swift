import Foundation

// What every loader returns: the clips it found, labelled and located, and
// every file it passed over with the reason, so a person can see why a
// dataset has fewer clips than expected. Loaders only find and label files;
// decoding and face cropping happen later, in the pre-processing pipeline.

/// The result of scanning a dataset folder or manifest.
public struct Discovery: Sendable, Equatable {
  /// Found clips, in dataset order (subject, class, id).
  public let sources: [ClipSource]
  /// Files (or manifest rows) not taken, in path (or line) order.
  public let skipped: [SkippedFile]

  init(sources: [ClipSource], skipped: [SkippedFile]) {
    self.sources = sources.sorted(by: ClipSource.datasetOrder)
    self.skipped = skipped
  }

  /// Distinct subjects in natural order.
  public var subjects: [String] { Set(sources.map(\.subject)).sorted(by: naturalOrder) }

  /// One line for a status bar: "found 120 clips of 10 subjects; skipped 2 files".
  public var summary: String {
    let skippedText = skipped.isEmpty ? "" : "; skipped \(skipped.count) \(skipped.count == 1 ? "entry" : "entries")"
    return "found \(sources.count) clips of \(subjects.count) subjects" + skippedText
  }
}

/// A file or manifest row a loader did not take, and why.
public struct SkippedFile: Sendable, Equatable, CustomStringConvertible {
  /// Relative to the dataset root (folder loaders) or as written in the manifest.
  public let path: String
  /// The manifest line the row starts on; nil for folder loaders.
  public let line: Int?
  public let reason: SkipReason

  public var description: String {
    (line.map { "line \($0): " } ?? "") + (path.isEmpty ? "" : "\(path): ") + reason.description
  }
}

/// Why a file or row was not taken.
public enum SkipReason: Error, Sendable, Equatable, CustomStringConvertible {
  case notAVideo(fileExtension: String)
  case noSubjectFolder
  case conflictingSubjects([String])
  case noEmotionFolder
  case unknownEmotion(String)
  case conflictingEmotions([Emotion])
  case unexpectedDepth(folders: Int)
  case nameWithoutSubject(String)
  case wrongFieldCount(found: Int, expected: Int)
  case emptyField(String)
  case unterminatedQuote
  case fileNotFound(String)
  case duplicate(ofLine: Int)

  public var description: String {
    switch self {
    case .notAVideo(let ext):
      "not a video file (\(ext.isEmpty ? "no extension" : ".\(ext)")); videos end in \(videoExtensionList)"
    case .noSubjectFolder:
      "not inside a \"subject N\" folder, so its subject is unknown"
    case .conflictingSubjects(let numbers):
      "its folders name different subjects (\(numbers.joined(separator: ", "))); move it under one subject folder"
    case .noEmotionFolder:
      "not inside an emotion folder (anger, disgust, fear, happiness, sadness or surprise)"
    case .unknownEmotion(let name):
      "\"\(name)\" is not one of the six classes (anger, disgust, fear, happiness, sadness, surprise or an, di, fe, ha, sa, su)"
    case .conflictingEmotions(let emotions):
      "its folders name different classes (\(emotions.map(\.name).joined(separator: ", "))); keep one"
    case .unexpectedDepth(let folders):
      "is \(folders) folder\(folders == 1 ? "" : "s") deep; this layout expects <label>/<subject>__<clip>.<ext>, one folder deep"
    case .nameWithoutSubject(let name):
      "file name \"\(name)\" does not read <subject>__<clip>; put two underscores between subject and clip"
    case .wrongFieldCount(let found, let expected):
      "has \(found) field\(found == 1 ? "" : "s"), expected \(expected) (path,label,subject); quote fields that contain commas"
    case .emptyField(let name):
      "the \(name) field is empty"
    case .unterminatedQuote:
      "a quoted field is never closed; end it with a double quote"
    case .fileNotFound(let resolved):
      "no such file: \(resolved)"
    case .duplicate(let line):
      "the same file as line \(line); each clip may be listed once"
    }
  }
}

/// Failures that stop a scan altogether.
public enum LoaderError: Error, Equatable, CustomStringConvertible {
  case rootNotFound(String)
  case manifestNotFound(String)
  case unreadableManifest(String, reason: String)

  public var description: String {
    switch self {
    case .rootNotFound(let path):
      "dataset folder not found: \(path); check the path (it must be a folder)"
    case .manifestNotFound(let path):
      "manifest not found: \(path); check the path (a CSV file of path,label,subject rows)"
    case .unreadableManifest(let path, let reason):
      "manifest \(path): \(reason); save it as UTF-8 CSV"
    }
  }
}

// MARK: Shared helpers

/// File extensions taken as video (compared lowercased).
public let videoExtensions: Set<String> = [
  "avi", "mp4", "mov", "mkv", "m4v", "mpg", "mpeg", "webm", "wmv", "flv", "ogv",
]

private let videoExtensionList = videoExtensions.sorted().map { "." + $0 }.joined(separator: ", ")

/// The extension after the last dot of a file name ("" when none; a leading dot does not count).
func fileExtension(_ name: String) -> String {
  guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
  return String(name[name.index(after: dot)...])
}

func isVideo(_ name: String) -> Bool { videoExtensions.contains(fileExtension(name).lowercased()) }

/// Every regular file under `root`, as path components relative to it, in sorted path order.
func regularFiles(under root: URL) throws(LoaderError) -> [[String]] {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
    throw .rootNotFound(root.path)
  }
  let base = root.standardizedFileURL.resolvingSymlinksInPath()
  let depth = base.pathComponents.count
  guard
    let walker = FileManager.default.enumerator(
      at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [], errorHandler: { _, _ in true })
  else { throw .rootNotFound(root.path) }
  var files: [[String]] = []
  for case let url as URL in walker {
    guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
    files.append(Array(url.standardizedFileURL.pathComponents.dropFirst(depth)))
  }
  return files.sorted { $0.joined(separator: "/") < $1.joined(separator: "/") }
}

/// Every regular file under `root`, labelled from its path components relative to the root
/// (subject and class, or why it is skipped). Clip ids are those relative paths.
func discoverFiles(
  under root: URL, labelledBy label: ([String]) -> Result<(String, Emotion), SkipReason>
) throws(LoaderError) -> Discovery {
  let base = root.standardizedFileURL
  var sources: [ClipSource] = []
  var skipped: [SkippedFile] = []
  for components in try regularFiles(under: base) {
    let relative = components.joined(separator: "/")
    switch label(components) {
    case .success(let (subject, emotion)):
      let path = components.reduce(base) { $0.appendingPathComponent($1) }.path
      sources.append(ClipSource(id: relative, subject: subject, label: emotion, location: .file(path: path)))
    case .failure(let reason):
      skipped.append(SkippedFile(path: relative, line: nil, reason: reason))
    }
  }
  return Discovery(sources: sources, skipped: skipped)
}
