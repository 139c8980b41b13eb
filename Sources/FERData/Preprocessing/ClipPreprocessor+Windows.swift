import FERCore
import FERVideo
import Foundation

// Every frame of a video, face-cropped, and clips cut from them by time window:
// what `ferlab predict` needs for a per-window timeline. Windows sample their
// T frames uniformly, as the training clips sample the whole video.

/// A video's face crops, one per decoded frame.
public struct CroppedVideo: Sendable {
  /// [F, 3, S, S] in [0, 1].
  public let frames: TensorValue
  /// Frames per second, when the container says.
  public let frameRate: Double?
  public let fallbackFrames: Int

  public var frameCount: Int { frames.shape[0] }

  /// The frames at `indices` as a clip [indices.count, 3, S, S] with its motion.
  public func clip(_ indices: [Int], id: String, parameters: FarnebackParameters) throws -> PreparedClip {
    let frameSize = frames.shape[1...].reduce(1, *)
    var data: [Float] = []
    data.reserveCapacity(indices.count * frameSize)
    for i in indices { data += frames.data[(i * frameSize)..<((i + 1) * frameSize)] }
    let values = TensorValue(shape: [indices.count] + Array(frames.shape[1...]), data: data)
    // The label is unknown when predicting; the source only names the clip.
    let source = ClipSource(id: id, subject: "-", label: .anger, location: .file(path: id))
    return try PreparedClip(source: source, frames: values).withMotion(extractMotion(frames: values, parameters: parameters))
  }
}

/// `count` indices spread uniformly over `range` (repeating frames when the range is shorter).
public func uniformIndices(_ count: Int, in range: Range<Int>) -> [Int] {
  guard count > 1 else { return [range.lowerBound] }
  let span = Double(range.count - 1)
  return (0..<count).map { range.lowerBound + Int((span * Double($0) / Double(count - 1)).rounded()) }
}

extension ClipPreprocessor {
  /// Decodes every frame of `url`, tracks the face and crops each frame to S × S.
  public func cropAllFrames(_ url: URL) throws(ClipPreprocessingError) -> CroppedVideo {
    let decoded: DecodedClip
    do { decoded = try decoder.decode(url) } catch let error as VideoIOError {
      throw .video(error)
    } catch {
      throw .video(.unreadable(path: url.path, detail: "\(error)"))
    }
    let track = tracker.track(decoded.frames)
    return CroppedVideo(
      frames: TensorValue(cropper.clip(decoded.frames, track: track)), frameRate: decoded.frameRate,
      fallbackFrames: track.fallbackFrames)
  }
}
