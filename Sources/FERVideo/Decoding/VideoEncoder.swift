import Foundation
import FERSystem

// Encoding through the ffmpeg command-line tool: frames go as raw rgb24 bytes
// down a pipe into
//
//   ffmpeg -f rawvideo -pix_fmt rgb24 -s W×H -r FPS -i pipe:0 -c:v CODEC out.avi
//
// .avi files get Motion JPEG (every frame a JPEG: simple, seekable, read by
// everything); .mp4 files get H.264 (libx264) when this ffmpeg has it, else
// MPEG-4 part 2. Both are lossy: decoded pixels come back within a few levels.

/// Writes a sequence of `RGBFrame`s to a video file.
///
/// Open, `append` frames of the opened size, then `finish()`; the file is
/// complete only after `finish()` returns.
public final class VideoEncoder {
  public let url: URL
  public let size: FrameSize
  public let frameRate: Double
  /// The ffmpeg encoder writing the stream (mjpeg, libx264 or mpeg4).
  public let codec: String
  private let child: Subprocess
  private var finished = false

  /// Starts ffmpeg writing `url` (overwritten if present). The container comes
  /// from the extension: .avi (Motion JPEG) or .mp4 / .mov (H.264 or MPEG-4).
  public init(url: URL, size: FrameSize, frameRate: Double = 25, tools: FFmpegTools? = nil) throws {
    precondition(frameRate > 0, "VideoEncoder: frameRate \(frameRate) must be positive")
    let tools = try tools ?? FFmpegTools.shared()
    let codecArguments: [String]
    switch url.pathExtension.lowercased() {
    case "avi":
      codec = "mjpeg"
      codecArguments = ["-c:v", "mjpeg", "-q:v", "2", "-pix_fmt", "yuvj420p"]
    case "mp4", "mov", "m4v":
      guard size.width % 2 == 0 && size.height % 2 == 0 else {
        throw VideoIOError.encodingFailed(
          path: url.path, detail: "MP4 video needs an even width and height, not \(size); use .avi or an even size")
      }
      if try tools.hasEncoder("libx264") {
        codec = "libx264"
        codecArguments = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p"]
      } else {
        codec = "mpeg4"
        codecArguments = ["-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p"]
      }
    default:
      throw VideoIOError.unsupportedContainer(path: url.path)
    }
    self.url = url
    self.size = size
    self.frameRate = frameRate
    let arguments =
      [
        "-hide_banner", "-nostats", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(size.width)x\(size.height)", "-r", "\(frameRate)",
        "-i", "pipe:0", "-an",
      ] + codecArguments + [url.path]
    child = try Subprocess(executable: tools.ffmpeg, arguments: arguments, input: .stream, output: .discard)
  }

  deinit {
    if !finished {
      child.terminate()
      _ = child.finish()
    }
  }

  /// Sends one frame to the encoder. Throws when the frame has another size or
  /// ffmpeg stopped reading (its message says why).
  public func append(_ frame: RGBFrame) throws {
    precondition(!finished, "VideoEncoder: append after finish() for \(url.path)")
    guard frame.width == size.width && frame.height == size.height else {
      throw VideoIOError.frameSizeMismatch(
        path: url.path, expected: size.description, got: "\(frame.width)×\(frame.height)")
    }
    let sent = frame.pixels.withUnsafeBytes { child.write($0) }
    if !sent {
      finished = true
      let (_, err) = child.finish()
      throw VideoIOError.encodingFailed(path: url.path, detail: lastLines(of: err))
    }
  }

  /// Closes the stream and waits for ffmpeg to write the file.
  public func finish() throws {
    guard !finished else { return }
    finished = true
    let (status, err) = child.finish()
    guard status == 0 else { throw VideoIOError.encodingFailed(path: url.path, detail: lastLines(of: err)) }
  }

  /// Writes `frames` (all of one size) to `url` in one call.
  public static func write(_ frames: [RGBFrame], to url: URL, frameRate: Double = 25) throws {
    guard let first = frames.first else {
      throw VideoIOError.encodingFailed(path: url.path, detail: "no frames to write")
    }
    let encoder = try VideoEncoder(
      url: url, size: FrameSize(width: first.width, height: first.height), frameRate: frameRate)
    for frame in frames { try encoder.append(frame) }
    try encoder.finish()
  }
}
