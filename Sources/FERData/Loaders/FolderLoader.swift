import Foundation

// The generic folder layout, for any labelled expression videos:
//
//   root/<label>/<subject>__<clip>.<ext>
//
// The label folder reads as an emotion (see `Emotion(label:)`); the file name
// is the subject, two underscores, then any clip name ("alice__take2.mp4").
// Files at other depths, without the double underscore, or not videos are
// skipped with the reason. Clip ids are the paths relative to the root.

/// Scans a `<label>/<subject>__<clip>.<ext>` folder tree.
public enum FolderLoader {
  public static func discover(root: URL) throws(LoaderError) -> Discovery {
    try discoverFiles(under: root, labelledBy: label)
  }

  /// Subject and class of a file from its path components relative to the root.
  static func label(_ components: [String]) -> Result<(String, Emotion), SkipReason> {
    guard let file = components.last, isVideo(file) else {
      return .failure(.notAVideo(fileExtension: fileExtension(components.last ?? "")))
    }
    guard components.count == 2 else { return .failure(.unexpectedDepth(folders: components.count - 1)) }
    guard let emotion = Emotion(label: components[0]) else { return .failure(.unknownEmotion(components[0])) }
    let stem = String(file.dropLast(fileExtension(file).count + 1))
    guard let separator = stem.range(of: "__") else { return .failure(.nameWithoutSubject(file)) }
    let subject = stem[..<separator.lowerBound].trimmingCharacters(in: .whitespaces)
    let clip = stem[separator.upperBound...].trimmingCharacters(in: .whitespaces)
    guard !subject.isEmpty, !clip.isEmpty else { return .failure(.nameWithoutSubject(file)) }
    return .success((subject, emotion))
  }
}
