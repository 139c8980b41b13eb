import FERCore

// A clip's pre-processed tensors. Frames come first (decoded and face-cropped
// from video, or drawn by the synthetic generator); optical flow and the two
// dynamic images are computed from the frames later by the pre-processing
// pipeline and attached with `withMotion(_:)`.
//
// Tensors are stored as `TensorValue` (shape + values), a Sendable value type,
// so datasets can be handed between threads; `.tensor` makes a FERCore leaf.

/// A tensor's shape and values as a plain value, without autodiff state.
public struct TensorValue: Sendable, Equatable {
  public let shape: [Int]
  public let data: [Float]

  /// Fails (as a precondition) when `data.count` is not the product of `shape`.
  public init(shape: [Int], data: [Float]) {
    precondition(
      data.count == elementCount(shape),
      "TensorValue of shape \(shape) needs \(elementCount(shape)) values, got \(data.count)")
    self.shape = shape
    self.data = data
  }

  /// The values of a tensor (detached from any graph).
  public init(_ tensor: Tensor) { self.init(shape: tensor.shape, data: tensor.data) }

  /// A new leaf tensor with these values.
  public var tensor: Tensor { Tensor(shape: shape, data: data) }
}

/// Optical flow and dynamic images of a clip, computed from its frames.
public struct ClipMotion: Sendable, Equatable {
  /// [T−1 or T, 2, S, S]: (dx, dy) per pixel between consecutive frames.
  public let flow: TensorValue
  /// [3, S, S]: the approximate-rank-pooled image of the RGB frames.
  public let rgbDynamicImage: TensorValue
  /// [2, S, S]: the approximate-rank-pooled image of the flow clip (dx, dy).
  public let flowDynamicImage: TensorValue

  public init(flow: TensorValue, rgbDynamicImage: TensorValue, flowDynamicImage: TensorValue) {
    self.flow = flow
    self.rgbDynamicImage = rgbDynamicImage
    self.flowDynamicImage = flowDynamicImage
  }
}

/// A labelled clip with its tensors.
public struct PreparedClip: Sendable {
  public let source: ClipSource
  /// [T, 3, S, S] RGB frames, values in [0, 1].
  public let frames: TensorValue
  /// Flow and dynamic images; nil until the pre-processing pipeline has computed them.
  public private(set) var motion: ClipMotion?

  /// Checks that `frames` is [T, 3, S, S] with T ≥ 2 and square frames.
  public init(source: ClipSource, frames: TensorValue) throws(DatasetError) {
    let s = frames.shape
    guard s.count == 4, s[0] >= 2, s[1] == 3, s[2] == s[3], s[2] > 0 else {
      throw .badTensorShape(clip: source.id, tensor: "frames", shape: s, expected: "[T ≥ 2, 3, S, S]")
    }
    self.source = source
    self.frames = frames
  }

  /// Frames per clip (T).
  public var frameCount: Int { frames.shape[0] }
  /// Frame side in pixels (S).
  public var size: Int { frames.shape[2] }

  /// This clip with flow and dynamic images attached, after checking their shapes against the frames.
  public func withMotion(_ motion: ClipMotion) throws(DatasetError) -> PreparedClip {
    let t = frameCount
    let s = size
    let f = motion.flow.shape
    guard f.count == 4, f[0] == t - 1 || f[0] == t, f[1] == 2, f[2] == s, f[3] == s else {
      throw .badTensorShape(clip: source.id, tensor: "flow", shape: f, expected: "[\(t - 1) or \(t), 2, \(s), \(s)]")
    }
    for (name, image, channels) in [
      ("RGB dynamic image", motion.rgbDynamicImage, 3), ("flow dynamic image", motion.flowDynamicImage, 2),
    ] {
      guard image.shape == [channels, s, s] else {
        throw .badTensorShape(clip: source.id, tensor: name, shape: image.shape, expected: "[\(channels), \(s), \(s)]")
      }
    }
    var copy = self
    copy.motion = motion
    return copy
  }

  /// FNV-1a 64 of the tensors' shapes and lane digests of their values, for the dataset fingerprint.
  func contentDigest() -> UInt64 {
    var hash = FNV1a64()
    var tensors = [frames]
    if let motion { tensors += [motion.flow, motion.rgbDynamicImage, motion.flowDynamicImage] }
    hash.combine(tensors.count)
    for tensor in tensors {
      hash.combine(tensor.shape.count)
      for d in tensor.shape { hash.combine(d) }
      hash.combine(FNV1a64.laneDigest(floats: tensor.data))
    }
    return hash.value
  }
}
