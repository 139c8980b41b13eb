import Dispatch
import FERSystem

// A dataset: prepared clips of one shape, in a canonical order, with the
// summaries the workspace shows (subjects, class counts) and a fingerprint that
// names its exact content across runs and machines.

/// A labelled set of prepared clips sharing one frame count T and size S.
public struct Dataset: Sendable {
  /// A short name for display ("synthetic", "eNTERFACE'05").
  public let name: String
  /// How the dataset was made (a generator spec, a root folder and settings), as text; part of the fingerprint.
  public let provenance: String
  /// The clips in dataset order: subject (natural order), class, id.
  public let clips: [PreparedClip]
  /// Distinct subjects in natural order ("2" before "10").
  public let subjects: [String]
  /// Clips per class, indexed by `Emotion.rawValue`.
  public let classCounts: [Int]
  /// FNV-1a 64 over the provenance, every clip's source and every clip's tensors (see `Fingerprint.swift`).
  public let fingerprint: UInt64

  /// Checks that there is at least one clip, ids are unique and all frames share one shape.
  public init(name: String, provenance: String, clips: [PreparedClip]) throws(DatasetError) {
    guard let first = clips.first else { throw .empty(name: name) }
    var seen = Set<String>()
    for clip in clips {
      guard seen.insert(clip.source.id).inserted else { throw .duplicateClipID(clip.source.id) }
      guard clip.frames.shape == first.frames.shape else {
        throw .mismatchedClipShapes(
          first: first.source.id, firstShape: first.frames.shape, other: clip.source.id, otherShape: clip.frames.shape)
      }
    }
    let ordered = clips.sorted { ClipSource.datasetOrder($0.source, $1.source) }
    self.name = name
    self.provenance = provenance
    self.clips = ordered
    self.subjects = Set(ordered.map(\.source.subject)).sorted(by: naturalOrder)
    var counts = [Int](repeating: 0, count: Emotion.count)
    for clip in ordered { counts[clip.source.label.rawValue] += 1 }
    self.classCounts = counts
    self.fingerprint = Dataset.fingerprint(provenance: provenance, clips: ordered)
  }

  /// Frames per clip (T).
  public var frameCount: Int { clips[0].frameCount }
  /// Frame side in pixels (S).
  public var size: Int { clips[0].size }
  /// The clips' sources, in dataset order.
  public var sources: [ClipSource] { clips.map(\.source) }
  /// The fingerprint as 16 hex digits.
  public var fingerprintHex: String { hexDigits(fingerprint) }

  /// Indices (into `clips`) of the clips of the given subjects, in dataset order.
  public func clipIndices(subjects chosen: some Sequence<String>) -> [Int] {
    let wanted = Set(chosen)
    return clips.indices.filter { wanted.contains(clips[$0].source.subject) }
  }

  /// Hashes each clip's tensors on its own (in parallel: they are hundreds of
  /// megabytes for the default dataset), then the provenance, the sources and
  /// the per-clip digests in order.
  static func fingerprint(provenance: String, clips: [PreparedClip]) -> UInt64 {
    let digests = parallelMap(clips.count) { clips[$0].contentDigest() }
    var hash = FNV1a64()
    hash.combine("FERData.Dataset/1")
    hash.combine(provenance)
    hash.combine(clips.count)
    for (clip, digest) in zip(clips, digests) {
      let source = clip.source
      hash.combine(source.id)
      hash.combine(source.subject)
      hash.combine(source.label.rawValue)
      switch source.location {
      case .file(let path):
        hash.combine("file")
        hash.combine(path)
      case .synthetic(let subject, let take):
        hash.combine("synthetic")
        hash.combine(subject)
        hash.combine(take)
      }
      hash.combine(digest)
    }
    return hash.value
  }
}
