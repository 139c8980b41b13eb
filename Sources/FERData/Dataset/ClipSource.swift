// Where a clip comes from, before any pixels are read: the loaders return
// these, the pre-processing pipeline turns each into a `PreparedClip`, and the
// folds split them by `subject`.

/// Where a clip's frames come from.
public enum ClipLocation: Codable, Sendable, Hashable {
  /// A video file on disk (an absolute path).
  case file(path: String)
  /// A clip of the built-in synthetic generator: subject number (1-based),
  /// class and take (1-based) within the generator's spec.
  case synthetic(subject: Int, take: Int)
}

/// One labelled clip, located but not decoded.
public struct ClipSource: Codable, Sendable, Hashable {
  /// Unique within its dataset and stable across runs: the path relative to
  /// the dataset root for files, `s7_an_3` style for synthetic clips.
  public let id: String
  /// The person in the clip; folds never split one subject across train and test.
  public let subject: String
  public let label: Emotion
  public let location: ClipLocation

  public init(id: String, subject: String, label: Emotion, location: ClipLocation) {
    self.id = id
    self.subject = subject
    self.label = label
    self.location = location
  }

  /// The file path, if the clip lives in a file.
  public var path: String? {
    if case .file(let path) = location { return path }
    return nil
  }
}

extension ClipSource {
  /// Dataset order: subject (natural order), then class, then id.
  public static func datasetOrder(_ a: ClipSource, _ b: ClipSource) -> Bool {
    if a.subject != b.subject { return naturalOrder(a.subject, b.subject) }
    if a.label != b.label { return a.label < b.label }
    return naturalOrder(a.id, b.id)
  }
}
