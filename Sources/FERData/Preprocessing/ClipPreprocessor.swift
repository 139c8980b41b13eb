import FERCore
import FERVideo
import Foundation

// One video file → one prepared clip, the seed's pre-processing in order:
//
//   video ──ffmpeg──▶ T frames, uniformly sampled, at the source size
//         ──FaceTracker──▶ one smoothed face box per frame (fallbacks counted)
//         ──FaceCropper──▶ frames [T, 3, S, S] in [0, 1]
//         ──extractMotion──▶ flow [T − 1, 2, S, S], dynamic images [3, S, S], [2, S, S]
//
// Frames are decoded at their own size: the detector needs the face's detail,
// and the cropper averages the face's area down to S × S.

/// A prepared clip, how its face was found and how many frames it was sampled from.
public struct PreprocessedClip: Sendable {
  public let clip: PreparedClip
  /// Frames whose face box was not their own detection (carried over from a neighbour or the centre square).
  public let fallbackFrames: Int
  /// No frame had a face: every crop is the frame's centred square.
  public let usedCentreCrop: Bool
  /// The frames the video's header claimed and those that decoded.
  public let frameCounts: SourceFrameCounts

  /// A warning when the clip's frames would mislead (see SourceFrameCounts), naming the clip.
  public var samplingWarning: String? { frameCounts.warning(clip: clip.source.id, keptFrames: clip.frameCount) }
}

/// Turns video files into prepared clips with frames, flow and dynamic images.
public struct ClipPreprocessor: Sendable {
  public let settings: PreprocessingSettings
  let decoder: VideoDecoder
  let tracker: FaceTracker
  let cropper: FaceCropper

  /// Finds ffmpeg and reads the cascade file once; fails with the reason when either is missing or bad.
  public init(settings: PreprocessingSettings = .standard) throws(PreprocessingSetupError) {
    self.settings = settings
    do { decoder = try VideoDecoder() } catch { throw .ffmpeg("\(error)") }
    let cascade: HaarCascade
    do { cascade = try HaarCascade(contentsOf: URL(fileURLWithPath: settings.cascadePath)) } catch {
      throw .cascade(path: settings.cascadePath, reason: "\(error)")
    }
    tracker = FaceTracker(detector: HaarCascadeDetector(cascade: cascade))
    cropper = FaceCropper(size: settings.cropSize, channels: .rgb)
  }

  /// Decodes, face-crops and computes the motion of one clip.
  public func prepare(_ source: ClipSource) throws(ClipPreprocessingError) -> PreprocessedClip {
    guard let path = source.path else { throw .notAFile(clip: source.id) }
    let decoded: DecodedClip
    do {
      decoded = try decoder.decode(
        URL(fileURLWithPath: path), options: VideoDecodingOptions(frameCount: settings.frameCount))
    } catch let error as VideoIOError {
      throw .video(error)
    } catch {
      throw .video(.unreadable(path: path, detail: "\(error)"))
    }
    guard decoded.frames.count == settings.frameCount else {
      throw .frameCount(path: path, got: decoded.frames.count, expected: settings.frameCount)
    }
    let track = tracker.track(decoded.frames)
    let frames = TensorValue(cropper.clip(decoded.frames, track: track))  // [T, 3, S, S]
    do {
      let clip = try PreparedClip(source: source, frames: frames)
        .withMotion(extractMotion(frames: frames, parameters: settings.farnebackParameters))
      return PreprocessedClip(
        clip: clip, fallbackFrames: track.fallbackFrames, usedCentreCrop: track.usedCentreCrop,
        frameCounts: SourceFrameCounts(claimed: decoded.claimedFrameCount, decoded: decoded.sourceFrameCount))
    } catch {
      throw .dataset(error)
    }
  }
}

/// The pre-processing cannot start at all.
public enum PreprocessingSetupError: Error, Equatable, CustomStringConvertible {
  case ffmpeg(String)
  case cascade(path: String, reason: String)
  case cacheFolder(path: String, reason: String)
  case workers(Int)

  public var description: String {
    switch self {
    case .ffmpeg(let reason): reason
    case .cascade(let path, let reason):
      "cannot use the face cascade \(path) (\(reason)); install opencv-data (apt-get install opencv-data) "
        + "or set cascadePath to a Haar cascade XML file"
    case .cacheFolder(let path, let reason):
      "cannot use the cache folder \(path) (\(reason)); set FERLAB_CACHE to a writable folder or turn the cache off"
    case .workers(let count): "workers = \(count); use at least 1 worker (one per core is usual)"
    }
  }
}

/// Why one clip could not be prepared; the clip is skipped and reported, the others go on.
public enum ClipPreprocessingError: Error, Equatable, CustomStringConvertible {
  case notAFile(clip: String)
  case video(VideoIOError)
  case frameCount(path: String, got: Int, expected: Int)
  case dataset(DatasetError)

  public var description: String {
    switch self {
    case .notAFile(let clip):
      "clip \(clip) is not a video file; synthetic clips come from SyntheticGenerator, not the video pipeline"
    case .video(let error): error.description
    case .frameCount(let path, let got, let expected):
      "\(path): decoded \(got) frames where \(expected) were sampled; the file is damaged, re-export it"
    case .dataset(let error): error.description
    }
  }
}
