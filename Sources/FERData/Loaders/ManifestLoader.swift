import FERCore
import Foundation

// A CSV manifest listing clips one per row:
//
//   path,label,subject
//   videos/alice_01.mp4,happiness,alice
//   "/data/clips/bob, take 2.avi",an,bob
//
// The header is optional: a first row whose fields include "path", "label"
// and "subject" (any case) is a header, and then columns may come in any order
// and extra columns are ignored; without a header every row is exactly
// path,label,subject. Relative paths are resolved against the manifest's own
// folder. Rows are skipped, with their line number, when a field is missing
// or empty, the label is not a class, the file does not exist or is not a
// video, or an earlier row already listed the same file. Clip ids are the
// paths relative to the manifest's folder (absolute for files outside it).

/// Reads a CSV manifest of `path,label,subject` rows.
public enum ManifestLoader {
  static let columns = ["path", "label", "subject"]

  public static func discover(manifest: URL) throws(LoaderError) -> Discovery {
    let file = manifest.standardizedFileURL
    guard FileManager.default.fileExists(atPath: file.path) else { throw .manifestNotFound(file.path) }
    let data: Data
    do { data = try FileError.contents(of: file) } catch { throw .unreadableManifest(file.path, reason: error.problem) }
    guard var text = String(data: data, encoding: .utf8) else {
      throw .unreadableManifest(file.path, reason: "it is not UTF-8 text (\(FileError.firstInvalidUTF8(in: data) ?? "an invalid byte"))")
    }
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    return read(csvRecords(text), folder: file.deletingLastPathComponent())
  }

  /// Labels the rows of a parsed manifest whose relative paths start at `folder`.
  static func read(_ records: [CSVRecord], folder: URL) -> Discovery {
    var rows = records[...]
    var order = [0, 1, 2]  // field index of path, label, subject
    var width = 3
    if let first = rows.first {
      let names = first.fields.map { $0.lowercased() }
      let found = columns.compactMap { names.firstIndex(of: $0) }
      if found.count == columns.count {
        order = found
        width = names.count
        rows = rows.dropFirst()
      }
    }
    var sources: [ClipSource] = []
    var skipped: [SkippedFile] = []
    var firstLine: [String: Int] = [:]  // resolved path → line that listed it
    for row in rows {
      func skip(_ path: String, _ reason: SkipReason) {
        skipped.append(SkippedFile(path: path, line: row.line, reason: reason))
      }
      guard !row.unterminated else {
        skip("", .unterminatedQuote)
        continue
      }
      guard row.fields.count == width else {
        skip("", .wrongFieldCount(found: row.fields.count, expected: width))
        continue
      }
      let path = row.fields[order[0]]
      let labelText = row.fields[order[1]]
      let subject = row.fields[order[2]]
      if let empty = zip(columns, [path, labelText, subject]).first(where: { $0.1.isEmpty }) {
        skip(path, .emptyField(empty.0))
        continue
      }
      guard let label = Emotion(label: labelText) else {
        skip(path, .unknownEmotion(labelText))
        continue
      }
      guard isVideo(path) else {
        skip(path, .notAVideo(fileExtension: fileExtension(path)))
        continue
      }
      let resolved = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path))
        .standardizedFileURL
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory), !isDirectory.boolValue
      else {
        skip(path, .fileNotFound(resolved.path))
        continue
      }
      if let earlier = firstLine[resolved.path] {
        skip(path, .duplicate(ofLine: earlier))
        continue
      }
      firstLine[resolved.path] = row.line
      sources.append(
        ClipSource(
          id: clipID(resolved, folder: folder), subject: subject, label: label, location: .file(path: resolved.path)))
    }
    return Discovery(sources: sources, skipped: skipped)
  }

  /// The path relative to the manifest's folder when inside it, else absolute.
  private static func clipID(_ file: URL, folder: URL) -> String {
    let base = folder.standardizedFileURL.pathComponents
    let parts = file.pathComponents
    guard parts.count > base.count, Array(parts.prefix(base.count)) == base else { return file.path }
    return parts.dropFirst(base.count).joined(separator: "/")
  }
}
