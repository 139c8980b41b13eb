import Dispatch
import FERSystem
import FERCore

// The built-in synthetic expression-video dataset, FERLab's default.
//
// Random streams: SeededRNG(spec.seed).derived(1) seeds the identities (one
// derived stream per subject), .derived(2) the clips (one derived stream per
// clip, by its index in dataset order). A clip's pixels depend only on the
// spec and the clip's index, never on which thread draws it or in what order,
// so the dataset (and its fingerprint) is the same on any core count.
//
// Within a clip (ClipStreams): generator 1 draws the expression, then the
// scene (head, light, blinks), then the sensor noise from the clip's one
// stream, so how many numbers the expression took — which depends on its
// class — shifts everything after it. Generator 2 draws each from a stream
// derived from the clip's own, so the scene and the noise of clip i are the
// same whatever its class: with an expression span below 1 (`lag`), the
// frames after the expression do not depend on the class at all.

/// Generates the synthetic dataset of a spec.
public enum SyntheticGenerator {
  /// Draws every clip of `spec` (in parallel over `ComputeThreads`) into a dataset named "synthetic".
  public static func generate(_ spec: SyntheticSpec) -> Dataset {
    let sources = clipSources(spec)
    let identities = (0..<spec.subjects).map { identity(spec, subjectIndex: $0) }
    let frames = parallelMap(sources.count) { i in
      let subjectIndex = i / (Emotion.count * spec.clipsPerClass)
      return renderClip(spec, identity: identities[subjectIndex], label: sources[i].label, clipIndex: i)
    }
    let shape = [spec.frames, 3, spec.size, spec.size]
    do {
      var clips: [PreparedClip] = []
      clips.reserveCapacity(sources.count)
      for (source, values) in zip(sources, frames) {
        clips.append(try PreparedClip(source: source, frames: TensorValue(shape: shape, data: values)))
      }
      return try Dataset(name: "synthetic", provenance: "synthetic " + spec.canonicalJSON, clips: clips)
    } catch {
      // A validated spec gives [T, 3, S, S] frames, at least one clip and unique ids.
      preconditionFailure("synthetic dataset rejected its own clips: \(error)")
    }
  }

  /// The clips of a spec, in dataset order (subject, class, take): subject ids
  /// "1", "2", …; clip ids in eNTERFACE style, "s7_an_3".
  public static func clipSources(_ spec: SyntheticSpec) -> [ClipSource] {
    var sources: [ClipSource] = []
    sources.reserveCapacity(spec.clipCount)
    for subject in 1...spec.subjects {
      for label in Emotion.allCases {
        for take in 1...spec.clipsPerClass {
          sources.append(
            ClipSource(
              id: "s\(subject)_\(label.code)_\(take)", subject: String(subject), label: label,
              location: .synthetic(subject: subject, take: take)))
        }
      }
    }
    return sources
  }

  /// The face of subject `subjectIndex` (0-based).
  static func identity(_ spec: SyntheticSpec, subjectIndex: Int) -> FaceIdentity {
    var rng = SeededRNG(seed: spec.seed).derived(1).derived(UInt64(subjectIndex))
    return FaceIdentity.draw(spread: spec.variation.faces, rng: &rng)
  }

  /// The frames of the clip at `clipIndex` in dataset order: [T, 3, S, S] values.
  static func renderClip(_ spec: SyntheticSpec, identity: FaceIdentity, label: Emotion, clipIndex: Int) -> [Float] {
    var streams = ClipStreams(spec, clipIndex: clipIndex)
    let track = streams.draw(.expression) { expressionTrack(spec, label: label, rng: &$0) }
    let nuisance = streams.draw(.scene) { Nuisance.draw(frames: spec.frames, variation: spec.variation, rng: &$0) }
    return streams.draw(.noise) {
      FaceRasterizer(size: spec.size, noise: spec.noise).render(
        identity: identity, track: track, nuisance: nuisance, rng: &$0)
    }
  }

  /// T poses: the expression over the first `expressionFrames` (a reversed class reversed
  /// within them), then the neutral face to the end of the clip.
  static func expressionTrack(_ spec: SyntheticSpec, label: Emotion, rng: inout SeededRNG) -> ExpressionTrack {
    ExpressionTrack.draw(label, frames: spec.expressionFrames, rng: &rng).padded(to: spec.frames)
  }
}

/// The random streams of one clip's three parts; see the header for the two layouts.
struct ClipStreams {
  enum Part: Int { case expression, scene, noise }

  /// One stream (generator 1) or one per part (generator 2).
  private var streams: [SeededRNG]

  init(_ spec: SyntheticSpec, clipIndex: Int) {
    let clip = SeededRNG(seed: spec.seed).derived(2).derived(UInt64(clipIndex))
    streams = spec.generator == 1 ? [clip] : [clip.derived(0), clip.derived(1), clip.derived(2)]
  }

  /// Runs `body` on the stream of `part`.
  mutating func draw<T>(_ part: Part, _ body: (inout SeededRNG) -> T) -> T {
    body(&streams[streams.count == 1 ? 0 : part.rawValue])
  }
}
