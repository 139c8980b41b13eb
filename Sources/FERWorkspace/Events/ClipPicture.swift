import FERCore
import Foundation

// A clip as small pictures, for looking at what a model saw: its frames, the
// optical flow between them and its two dynamic images, each downsampled to a
// few pixels a side. `show CLIP` records it as an event, so a viewed session
// shows the same pictures the live one did.

/// A small image: `side` × `side` pixels, row-major, `channels` bytes each (1 grey, 3 RGB).
public struct Picture: Codable, Sendable, Equatable {
  public var side: Int
  public var channels: Int
  public var pixels: Data

  public init(side: Int, channels: Int, pixels: Data) {
    self.side = side
    self.channels = channels
    self.pixels = pixels
  }

  private enum CodingKeys: String, CodingKey { case side, channels, pixels }

  /// Read back with its size, channels and bytes agreeing, and at most 256 pixels a side.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    side = try c.decode(Int.self, forKey: .side)
    channels = try c.decode(Int.self, forKey: .channels)
    pixels = try c.decode(Data.self, forKey: .pixels)
    try c.require((1...256).contains(side), .side, "a picture is 1 to 256 pixels a side, not \(side)")
    try c.require(channels == 1 || channels == 3, .channels, "a picture has 1 (grey) or 3 (RGB) channels, not \(channels)")
    try c.require(pixels.count == side * side * channels, .pixels, "\(side)×\(side)×\(channels) pixels need \(side * side * channels) bytes")
  }

  /// The pixel at (x, y) as RGB (grey repeated).
  public func rgb(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
    let i = (y * side + x) * channels
    guard i + channels <= pixels.count else { return (0, 0, 0) }
    let p = pixels.startIndex + i
    return channels == 3 ? (pixels[p], pixels[p + 1], pixels[p + 2]) : (pixels[p], pixels[p], pixels[p])
  }
}

/// A clip's pictures and what the current run predicted for it.
public struct ClipPicture: Codable, Sendable, Equatable {
  public var clip: String
  public var subject: String
  public var label: String
  /// The frames, sampled to at most `ClipPicture.maximumFrames`.
  public var frames: [Picture]
  /// Flow magnitude between consecutive frames (same sampling), brightest = the clip's largest motion.
  public var flow: [Picture]
  public var rgbDynamic: Picture?
  public var flowDynamic: Picture?
  /// The current run's latest prediction for this clip, when its evaluation covered it.
  public var predicted: String?
  public var probabilities: [Float]?

  /// Frames shown at most (a strip that fits a terminal).
  public static let maximumFrames = 16
  /// Pixels a side: one terminal column per pixel, two pixels per row.
  public static let side = 12
}
