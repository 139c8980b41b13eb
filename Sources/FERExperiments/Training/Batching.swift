import FERCore
import FERData
import FERModels

// Minibatches: prepared clips stacked into the streams' input tensors, and the
// seeded epoch order.

/// Stacks clips into a model input with the tensors the spec's streams need.
///
/// Shapes: rgb [N, T, 3, S, S], flow [N, T′, 2, S, S], dynamic images [N, C, S, S].
public func makeInput(_ clips: [PreparedClip], streams: [StreamKind]) throws -> ModelInput {
  precondition(!clips.isEmpty, "makeInput: empty batch")
  func stack(_ values: [TensorValue]) -> Tensor {
    var data: [Float] = []
    data.reserveCapacity(values.count * values[0].data.count)
    for v in values { data += v.data }
    return Tensor(shape: [values.count] + values[0].shape, data: data)
  }
  var input = ModelInput()
  for kind in streams {
    switch kind {
    case .rgb:
      input.rgb = stack(clips.map(\.frames))
    case .flow, .rgbDynamic, .flowDynamic:
      let motions = try clips.map { clip in
        guard let motion = clip.motion else { throw ExperimentError.missingMotion(clip: clip.source.id, stream: kind.rawValue) }
        return motion
      }
      switch kind {
      case .flow: input.flow = stack(motions.map(\.flow))
      case .rgbDynamic: input.rgbDynamic = stack(motions.map(\.rgbDynamicImage))
      default: input.flowDynamic = stack(motions.map(\.flowDynamicImage))
      }
    }
  }
  return input
}

/// A permutation of 0..<count by Fisher–Yates from a seeded generator.
public func shuffledIndices(_ count: Int, rng: inout SeededRNG) -> [Int] {
  var order = Array(0..<count)
  if count > 1 {
    for i in stride(from: count - 1, to: 0, by: -1) {
      order.swapAt(i, rng.nextInt(below: i + 1))
    }
  }
  return order
}

/// Problems of the experiments layer that are about the data, not the training.
public enum ExperimentError: Error, CustomStringConvertible, Equatable {
  case missingMotion(clip: String, stream: String)
  case noClips(String)
  case labelOutsideModel(clip: String, label: Int, classes: Int)

  /// Throws when a clip's label is not one of the model's classes (the loss could not score it).
  public static func checkLabels(_ clips: [PreparedClip], classes: Int) throws(ExperimentError) {
    if let bad = clips.first(where: { $0.source.label.rawValue >= classes }) {
      throw .labelOutsideModel(clip: bad.source.id, label: bad.source.label.rawValue, classes: classes)
    }
  }

  public var description: String {
    switch self {
    case .missingMotion(let clip, let stream):
      "clip \(clip) has no optical flow or dynamic images, which the \(stream) stream needs: prepare the dataset with motion, or use only the rgb stream"
    case .noClips(let what): "no clips for \(what)"
    case .labelOutsideModel(let clip, let label, let classes):
      "clip \(clip) has class \(label), but the model has \(classes) classes (0 to \(classes - 1)): use a spec with classes 6"
    }
  }
}
