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
    return FaceIdentity.draw(rng: &rng)
  }

  /// The frames of the clip at `clipIndex` in dataset order: [T, 3, S, S] values.
  static func renderClip(_ spec: SyntheticSpec, identity: FaceIdentity, label: Emotion, clipIndex: Int) -> [Float] {
    var rng = SeededRNG(seed: spec.seed).derived(2).derived(UInt64(clipIndex))
    let track = ExpressionTrack.draw(label, frames: spec.frames, rng: &rng)
    let nuisance = Nuisance.draw(frames: spec.frames, rng: &rng)
    return FaceRasterizer(size: spec.size, noise: spec.noise).render(
      identity: identity, track: track, nuisance: nuisance, rng: &rng)
  }
}
