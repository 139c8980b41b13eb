// A single-channel Float image for the video layer: what optical flow and the
// pre-processing filters work on. Pixels keep the 8-bit scale (0…255) of the
// decoded frames, because Farnebäck's regularisation constant (the 1e-3 added
// to a determinant, Flow/FarnebackDisplacement.swift) is tuned for that scale
// and results only match OpenCV's when the intensities do.

/// A grayscale image, row-major: the pixel at column `x`, row `y` is `pixels[y * width + x]`.
public struct GrayImage: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// Intensities on the 8-bit scale, 0…255 for frames (filters may leave that range slightly).
  public var pixels: [Float]

  /// An image from its row-major pixels; `pixels.count` must be `width * height`.
  public init(width: Int, height: Int, pixels: [Float]) {
    precondition(width > 0 && height > 0, "GrayImage: size \(width)×\(height) must be positive in both axes")
    precondition(
      pixels.count == width * height,
      "GrayImage: \(width)×\(height) needs \(width * height) pixels, got \(pixels.count)")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// An image of one constant value.
  public init(width: Int, height: Int, value: Float = 0) {
    self.init(width: width, height: height, pixels: [Float](repeating: value, count: width * height))
  }

  /// An 8-bit grayscale image (one byte a pixel, row-major), e.g. a PGM's payload.
  public init(width: Int, height: Int, bytes: [UInt8]) {
    precondition(
      bytes.count == width * height,
      "GrayImage: \(width)×\(height) needs \(width * height) bytes, got \(bytes.count)")
    self.init(width: width, height: height, pixels: bytes.map { Float($0) })
  }

  /// The luma of an 8-bit RGB frame: `rgb` holds `width * height` interleaved (R, G, B)
  /// byte triples, row-major, as ffmpeg's `rgb24` output.
  ///
  /// Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601), computed as OpenCV 4's
  /// `cvtColor(…, COLOR_RGB2GRAY)` does for 8-bit input: 15-bit fixed-point weights
  /// (9798, 19235, 3735, summing to 2¹⁵) with rounding, so the result is the same integer
  /// per pixel and flow computed from it matches OpenCV's pipeline.
  public init(width: Int, height: Int, rgb: [UInt8]) {
    precondition(
      rgb.count == width * height * 3,
      "GrayImage: \(width)×\(height) RGB needs \(width * height * 3) bytes, got \(rgb.count)")
    var luma = [Float](repeating: 0, count: width * height)
    rgb.withUnsafeBufferPointer { src in
      luma.withUnsafeMutableBufferPointer { dst in
        for i in 0..<dst.count {
          let r = Int32(src[3 * i]), g = Int32(src[3 * i + 1]), b = Int32(src[3 * i + 2])
          dst[i] = Float((r * 9798 + g * 19235 + b * 3735 + (1 << 14)) >> 15)
        }
      }
    }
    self.init(width: width, height: height, pixels: luma)
  }

  /// The pixel at column `x`, row `y`.
  public subscript(x: Int, y: Int) -> Float {
    get { pixels[y * width + x] }
    set { pixels[y * width + x] = newValue }
  }
}
