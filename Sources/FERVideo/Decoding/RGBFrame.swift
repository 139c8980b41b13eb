// One decoded video frame: 8-bit RGB, interleaved, row-major — exactly the
// bytes ffmpeg writes for `-pix_fmt rgb24`, so a frame is one fixed-size read
// from the decoder's pipe and one write to the encoder's.

/// An 8-bit RGB image, pixels interleaved R, G, B, rows top to bottom.
///
/// `pixels.count == width · height · 3`; the byte of channel `c` at column `x`,
/// row `y` is `pixels[(y · width + x) · 3 + c]`.
public struct RGBFrame: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// Interleaved RGB bytes, `[height, width, 3]` row-major.
  public var pixels: [UInt8]

  /// A frame over existing bytes. `pixels.count` must be `width · height · 3`.
  public init(width: Int, height: Int, pixels: [UInt8]) {
    precondition(width > 0 && height > 0, "RGBFrame: size \(width)×\(height) must be positive")
    precondition(
      pixels.count == width * height * 3,
      "RGBFrame: \(width)×\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// A frame of one colour.
  public init(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8) {
    var bytes = [UInt8](repeating: 0, count: width * height * 3)
    for i in stride(from: 0, to: bytes.count, by: 3) {
      bytes[i] = red
      bytes[i + 1] = green
      bytes[i + 2] = blue
    }
    self.init(width: width, height: height, pixels: bytes)
  }

  /// Bytes per frame, the unit of the raw rgb24 stream.
  public var byteCount: Int { width * height * 3 }

  /// The (r, g, b) bytes at column `x`, row `y`.
  public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
    let i = (y * width + x) * 3
    return (pixels[i], pixels[i + 1], pixels[i + 2])
  }
}
