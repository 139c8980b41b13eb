import Foundation

/// Why a video (or image folder) could not be read or written.
///
/// Every message names the file and says what to do; a loader reports the
/// message and skips the clip.
public enum VideoIOError: Error, Equatable, CustomStringConvertible, LocalizedError {
  /// The `ffmpeg` / `ffprobe` executable is not on PATH.
  case toolMissing(tool: String)
  /// No file or folder at this path.
  case fileNotFound(path: String)
  /// The file exists but holds no bytes.
  case emptyFile(path: String)
  /// A folder holds no .png / .jpg / .jpeg / .bmp file.
  case noImages(folder: String)
  /// ffprobe or ffmpeg could not read the file (corrupt, truncated, not a video).
  case unreadable(path: String, detail: String)
  /// The file decoded to no frames at all.
  case noFrames(path: String)
  /// The encoder's container is not one this package writes.
  case unsupportedContainer(path: String)
  /// A frame handed to the encoder does not have the size it was opened with.
  case frameSizeMismatch(path: String, expected: String, got: String)
  /// ffmpeg failed while encoding.
  case encodingFailed(path: String, detail: String)

  public var description: String {
    switch self {
    case .toolMissing(let tool):
      return "\(tool) was not found on PATH; FERLab decodes and encodes video through it. "
        + "Install the Debian package: apt-get install ffmpeg"
    case .fileNotFound(let path):
      return "\(path): no such file or folder; check the path (relative paths start at the working directory)"
    case .emptyFile(let path):
      return "\(path): the file is empty (0 bytes); re-copy or re-export it"
    case .noImages(let folder):
      return "\(folder): the folder holds no .png, .jpg, .jpeg or .bmp image; put the frames of one clip in it"
    case .unreadable(let path, let detail):
      return "\(path): ffmpeg cannot read it (\(detail)); the file is corrupt, truncated or not a video"
    case .noFrames(let path):
      return "\(path): decoded to no video frames; the file holds no readable picture"
    case .unsupportedContainer(let path):
      return "\(path): cannot write this container; name the output .avi (Motion JPEG) or .mp4 (H.264 / MPEG-4)"
    case .frameSizeMismatch(let path, let expected, let got):
      return "\(path): the encoder was opened for \(expected) frames but got one of \(got); resize frames first"
    case .encodingFailed(let path, let detail):
      return "\(path): ffmpeg failed to encode (\(detail))"
    }
  }

  public var errorDescription: String? { description }
}
