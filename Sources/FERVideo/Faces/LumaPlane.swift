// The 8-bit grayscale plane the Haar detector scans, with OpenCV's two
// conversions reproduced bit for bit so detections match cv2's:
//
// - RGB → gray as cv2.cvtColor(COLOR_RGB2GRAY) on uint8: fixed point with 15
//   fractional bits, Y = (9798·R + 19235·G + 3735·B + 2¹⁴) >> 15
//   (0.299, 0.587, 0.114 rounded to 1/32768).
// - Shrinking as cv2.resize(INTER_LINEAR_EXACT), which CascadeClassifier uses
//   for every scale: along each axis, destination d samples the source at
//   f = (d + 0.5) · (source / destination) − 0.5 (in double) between pixels
//   ⌊f⌋ and ⌊f⌋ + 1 with weights (256 − w, w), w = round(256 · (f − ⌊f⌋));
//   samples left of the first pixel (or past the last) take that pixel.
//   Rows are interpolated first (8 fractional bits), then columns of the two
//   rows (16 fractional bits), and the result rounded: (v + 2¹⁵) >> 16.

/// An 8-bit grayscale image, row-major, `pixels.count == width · height`.
public struct LumaPlane: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public var pixels: [UInt8]

  public init(width: Int, height: Int, pixels: [UInt8]) {
    precondition(width > 0 && height > 0, "LumaPlane: size \(width)×\(height) must be positive")
    precondition(
      pixels.count == width * height, "LumaPlane: \(width)×\(height) needs \(width * height) bytes, got \(pixels.count)")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// The luma of an RGB frame, rounded exactly as cv2.cvtColor(COLOR_RGB2GRAY).
  public init(_ frame: RGBFrame) {
    let count = frame.width * frame.height
    let gray = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
      frame.pixels.withUnsafeBufferPointer { rgb in
        for i in 0..<count {
          let r = UInt32(rgb[3 * i]), g = UInt32(rgb[3 * i + 1]), b = UInt32(rgb[3 * i + 2])
          out[i] = UInt8((r &* 9798 &+ g &* 19235 &+ b &* 3735 &+ 16384) >> 15)
        }
      }
      initialized = count
    }
    self.init(width: frame.width, height: frame.height, pixels: gray)
  }

  /// This plane resized to `width × height` as cv2.resize(INTER_LINEAR_EXACT) does on uint8.
  public func resized(width newWidth: Int, height newHeight: Int) -> LumaPlane {
    precondition(newWidth > 0 && newHeight > 0, "LumaPlane.resized: size \(newWidth)×\(newHeight) must be positive")
    if newWidth == width && newHeight == height { return self }
    let xs = LinearTaps(source: width, destination: newWidth)
    let ys = LinearTaps(source: height, destination: newHeight)
    let count = newWidth * newHeight
    let out = [UInt8](unsafeUninitializedCapacity: count) { dst, initialized in
      pixels.withUnsafeBufferPointer { src in
        // One source row interpolated along x, 8 fractional bits.
        var upper = [UInt32](repeating: 0, count: newWidth), lower = upper
        func horizontal(_ y: Int, into row: inout [UInt32]) {
          let base = y * width
          for dx in 0..<newWidth {
            let sx = xs.offset[dx]
            row[dx] =
              xs.weight1[dx] == 0
              ? UInt32(src[base + sx]) << 8
              : UInt32(src[base + sx]) * xs.weight0[dx] + UInt32(src[base + sx + 1]) * xs.weight1[dx]
          }
        }
        for dy in 0..<newHeight {
          let out = dy * newWidth
          horizontal(ys.offset[dy], into: &upper)
          if ys.weight1[dy] == 0 {
            for dx in 0..<newWidth { dst[out + dx] = UInt8(clamping: (upper[dx] + 128) >> 8) }
          } else {
            horizontal(ys.offset[dy] + 1, into: &lower)
            let b0 = ys.weight0[dy], b1 = ys.weight1[dy]
            for dx in 0..<newWidth {
              dst[out + dx] = UInt8(clamping: (upper[dx] * b0 + lower[dx] * b1 + 32768) >> 16)
            }
          }
        }
      }
      initialized = count
    }
    return LumaPlane(width: newWidth, height: newHeight, pixels: out)
  }
}

/// Source pixel and 8-bit weights along one axis of an INTER_LINEAR_EXACT
/// resize. Edge samples have weights (256, 0) on the edge pixel, which the
/// passes treat as a plain copy (as OpenCV's border branches do).
private struct LinearTaps {
  var offset: [Int]
  var weight0: [UInt32]
  var weight1: [UInt32]

  init(source: Int, destination: Int) {
    let scale = 1.0 / (Double(destination) / Double(source))
    offset = [Int](repeating: 0, count: destination)
    weight0 = [UInt32](repeating: 256, count: destination)
    weight1 = [UInt32](repeating: 0, count: destination)
    for d in 0..<destination {
      let f = scale * (Double(d) + 0.5) - 0.5
      let i = Int(f.rounded(.down))
      if i < 0 || source == 1 {
        offset[d] = 0
      } else if i >= source - 1 {
        offset[d] = source - 1
      } else {
        offset[d] = i
        weight1[d] = UInt32(((f - Double(i)) * 256).rounded(.toNearestOrEven))
        weight0[d] = 256 - weight1[d]
      }
    }
  }
}
