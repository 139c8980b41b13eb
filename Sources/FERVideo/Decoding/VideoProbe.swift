import Foundation
import FERSystem

/// A width × height in pixels.
public struct FrameSize: Sendable, Equatable, CustomStringConvertible {
  public let width: Int
  public let height: Int

  public init(width: Int, height: Int) {
    precondition(width > 0 && height > 0, "FrameSize: \(width)×\(height) must be positive")
    self.width = width
    self.height = height
  }

  public var description: String { "\(width)×\(height)" }
}

/// What ffprobe says about the first video stream of a file.
struct VideoProbe: Equatable {
  /// The size of decoded frames as ffmpeg delivers them (a 90°-rotated phone
  /// clip is auto-rotated by ffmpeg, so its width and height are swapped here).
  var size: FrameSize
  /// Packets of the stream, counted by reading (not decoding) the container:
  /// one per frame for video codecs; nil when the container cannot tell.
  var packetCount: Int?
  /// Average frames per second, when the container states it.
  var frameRate: Double?

  /// Probes `path` with ffprobe. Throws `.unreadable` with ffprobe's message
  /// when the file is not a readable video.
  static func probe(_ path: String, tools: FFmpegTools) throws -> VideoProbe {
    let arguments = [
      "-v", "error", "-select_streams", "v:0", "-count_packets",
      "-show_entries", "stream=width,height,nb_read_packets,avg_frame_rate:stream_side_data=rotation",
      "-of", "default=noprint_wrappers=1", path,
    ]
    let (status, out, err) = try Subprocess.run(tools.ffprobe, arguments)
    guard status == 0 else { throw VideoIOError.unreadable(path: path, detail: lastLines(of: err)) }
    return try parse(String(decoding: out, as: UTF8.self), path: path)
  }

  /// Parses ffprobe's `key=value` lines.
  static func parse(_ text: String, path: String) throws -> VideoProbe {
    var fields: [String: String] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      guard let eq = line.firstIndex(of: "=") else { continue }
      let key = String(line[..<eq]), value = String(line[line.index(after: eq)...])
      if fields[key] == nil { fields[key] = value }
    }
    guard let width = fields["width"].flatMap({ Int($0) }), let height = fields["height"].flatMap({ Int($0) }),
      width > 0, height > 0
    else { throw VideoIOError.unreadable(path: path, detail: "no video stream") }
    let rotation = fields["rotation"].flatMap { Double($0) }.map { Int($0.rounded()) } ?? 0
    let quarterTurn = (abs(rotation) / 90) % 2 == 1
    return VideoProbe(
      size: quarterTurn ? FrameSize(width: height, height: width) : FrameSize(width: width, height: height),
      packetCount: fields["nb_read_packets"].flatMap { Int($0) },
      frameRate: fields["avg_frame_rate"].flatMap(parseRate))
  }

  /// "25/1" → 25; "0/0" (unknown) → nil.
  private static func parseRate(_ text: String) -> Double? {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let num = Double(parts[0]), let den = Double(parts[1]), num > 0, den > 0 else {
      return Double(text).flatMap { $0 > 0 ? $0 : nil }
    }
    return num / den
  }
}

/// `count` frame indices spread evenly over `0..<total`, first and last
/// included (index k is round(k · (total − 1) / (count − 1)); a single frame is
/// the middle one). When `total < count` frames repeat, so the clip still has
/// `count` steps.
public func uniformFrameIndices(total: Int, count: Int) -> [Int] {
  precondition(total > 0 && count > 0, "uniformFrameIndices: total \(total) and count \(count) must be positive")
  if count == 1 { return [(total - 1) / 2] }
  let step = Double(total - 1) / Double(count - 1)
  return (0..<count).map { k in min(total - 1, Int((Double(k) * step).rounded())) }
}
