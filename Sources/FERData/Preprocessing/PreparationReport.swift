// What a preparation run did, for the status line and the skipped-file list:
// where each clip came from (the cache or a fresh decode), which clips were
// skipped and why, and how often the face tracker had to fall back.

/// A clip the pre-processing could not prepare; the rest of the load went on.
public struct SkippedClip: Sendable, Equatable, CustomStringConvertible {
  public let source: ClipSource
  public let reason: ClipPreprocessingError

  public var description: String { "\(source.id): \(reason)" }
}

/// How many frames a video's header claimed and how many decoded. A clip keeps T frames
/// spread uniformly over those that decode; two cases give a clip that looks whole but is
/// not what the file promised, and are reported rather than passed over:
///   - fewer frames decode than the header claims (a truncated or damaged file): the clip
///     covers only the part that survived;
///   - fewer frames decode than T: frames repeat to fill the clip (a 1-frame video is T copies
///     of one image, and its flow is zero).
public struct SourceFrameCounts: Sendable, Equatable {
  /// Frames the header (or ffprobe's packet count) claimed; nil when unknown.
  public let claimed: Int?
  /// Frames that decoded.
  public let decoded: Int

  public init(claimed: Int?, decoded: Int) {
    self.claimed = claimed
    self.decoded = decoded
  }

  /// "clip.avi: header says 270 frames, 41 decoded; resampled to 16", or nil when nothing misleads.
  public func warning(clip: String, keptFrames: Int) -> String? {
    let repeats = decoded < keptFrames ? " (frames repeat)" : ""
    if let claimed, claimed > decoded {
      return "\(clip): header says \(claimed) frames, \(decoded) decoded; resampled to \(keptFrames)\(repeats)"
    }
    guard decoded < keptFrames else { return nil }
    return "\(clip): \(decoded) frame\(decoded == 1 ? "" : "s") decoded; resampled to \(keptFrames)\(repeats)"
  }
}

/// One step of a preparation run, for a progress display.
public struct PreparationProgress: Sendable, Equatable {
  /// Clips finished (prepared, read from the cache or skipped), counting this one.
  public let done: Int
  public let total: Int
  /// The file just finished.
  public let currentFile: String
}

/// The account of one preparation run.
public struct PreparationReport: Sendable, Equatable {
  /// Clip sources handed in.
  public let requested: Int
  /// Clips decoded and pre-processed in this run.
  public let decoded: Int
  /// Clips read from the cache without decoding.
  public let cached: Int
  /// Cache files found but rejected (truncated, wrong key, wrong shapes), with why; their clips were rebuilt.
  public let rejectedCacheFiles: [String]
  /// Cache files that could not be written, with why (the clips are still in the dataset).
  public let cacheWriteFailures: [String]
  /// Clips left out, in dataset order.
  public let skipped: [SkippedClip]
  /// Frames, over all prepared clips, whose face box was a fallback rather than their own detection.
  public let fallbackFrames: Int
  /// Frames over all prepared clips (T per clip).
  public let totalFrames: Int
  /// Ids of clips in which no face was found at all (centre crops).
  public let centreCropClips: [String]
  /// Clips whose frames would mislead (fewer decoded than the header claims, or fewer than T), one
  /// sentence each naming the file and the counts; cached clips repeat their warnings.
  public let warnings: [String]

  /// Clips in the dataset.
  public var prepared: Int { decoded + cached }

  /// One line: "prepared 118 of 120 clips (100 from cache, 18 decoded); skipped 2; face fallback on 31 of 1888 frames".
  public var summary: String {
    var parts = ["prepared \(prepared) of \(requested) clips (\(cached) from cache, \(decoded) decoded)"]
    if !skipped.isEmpty { parts.append("skipped \(skipped.count)") }
    parts.append("face fallback on \(fallbackFrames) of \(totalFrames) frames")
    if !centreCropClips.isEmpty {
      let count = centreCropClips.count
      parts.append("no face found in \(count) clip\(count == 1 ? "" : "s") (centre crop)")
    }
    if !rejectedCacheFiles.isEmpty { parts.append("\(rejectedCacheFiles.count) bad cache files rebuilt") }
    if !cacheWriteFailures.isEmpty { parts.append("\(cacheWriteFailures.count) cache writes failed") }
    if !warnings.isEmpty { parts.append("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")") }
    return parts.joined(separator: "; ")
  }

  /// What a caller prints: the summary, then one indented line per skipped clip, rebuilt
  /// or unwritable cache file and warning.
  public var lines: [String] {
    [summary] + skipped.map { "  skipped \($0)" } + rejectedCacheFiles.map { "  rebuilt cache file \($0)" }
      + cacheWriteFailures.map { "  cache write failed: \($0)" } + warnings.map { "  warning: \($0)" }
  }
}

/// A preparation that produced no dataset.
public enum PreparationError: Error, Equatable, CustomStringConvertible {
  /// Every clip was skipped (or none was given); the report says why.
  case noClips(PreparationReport)
  /// The prepared clips do not form a dataset (duplicate ids, mixed shapes).
  case dataset(DatasetError)

  public var description: String {
    switch self {
    case .noClips(let report):
      let reasons = report.skipped.prefix(3).map { "\n  \($0)" }.joined()
      return "no clip could be prepared (\(report.requested) given, \(report.skipped.count) skipped)\(reasons)"
        + (report.requested == 0 ? "; the loader found no videos — check the root folder and layout" : "")
    case .dataset(let error): return error.description
    }
  }
}
