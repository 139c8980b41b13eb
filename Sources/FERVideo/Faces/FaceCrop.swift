import FERCore

// Cutting the face out of a frame and resampling it to S × S (48 by default):
// each output pixel covers an interval of side/S source pixels along each axis.
// When that is at least a pixel (shrinking, the usual case) the output is the
// area-weighted mean of the source pixels the interval covers — no aliasing
// from a 200-px face down to 48; when it is less (enlarging a small face) the
// output is the bilinear sample at the interval's centre. Both are separable:
// per axis a list of (source index, weight), rows then columns. Parts of the
// box outside the frame repeat the nearest edge pixel.

/// The channels of a crop.
public enum CropChannels: Sendable, Equatable {
  /// Red, green, blue planes.
  case rgb
  /// One luma plane, 0.299 R + 0.587 G + 0.114 B.
  case gray

  public var count: Int { self == .rgb ? 3 : 1 }
}

/// Crops face boxes out of frames into float planes in [0, 1].
public struct FaceCropper: Sendable, Equatable {
  /// Output side S.
  public let size: Int
  public let channels: CropChannels

  public init(size: Int = 48, channels: CropChannels = .rgb) {
    precondition(size > 0, "FaceCropper: size \(size) must be positive")
    self.size = size
    self.channels = channels
  }

  /// One crop as planes [C, S, S], values in [0, 1].
  public func planes(_ frame: RGBFrame, box: FaceBox) -> [Float] {
    let origin = (x: box.centreX - box.side / 2, y: box.centreY - box.side / 2)
    let columns = SampleTaps(start: origin.x, length: box.side, count: size, limit: frame.width)
    let rows = SampleTaps(start: origin.y, length: box.side, count: size, limit: frame.height)
    let plane = size * size
    var rgb = [Float](repeating: 0, count: 3 * plane)
    // Only the source columns some output column reads.
    let used = columns.taps.flatMap { $0.map(\.0) }
    let (first, last) = (used.min() ?? 0, used.max() ?? 0)
    frame.pixels.withUnsafeBufferPointer { src in
      // Rows first: for each output row, the weighted sum of its source rows.
      var band = [Float](repeating: 0, count: 3 * frame.width)
      for oy in 0..<size {
        for i in (3 * first)..<(3 * last + 3) { band[i] = 0 }
        for (sy, wy) in rows.taps[oy] {
          let base = sy * frame.width * 3
          for i in (3 * first)..<(3 * last + 3) { band[i] += wy * Float(src[base + i]) }
        }
        for ox in 0..<size {
          var r: Float = 0, g: Float = 0, b: Float = 0
          for (sx, wx) in columns.taps[ox] {
            r += wx * band[3 * sx]
            g += wx * band[3 * sx + 1]
            b += wx * band[3 * sx + 2]
          }
          let o = oy * size + ox
          rgb[o] = r / 255
          rgb[plane + o] = g / 255
          rgb[2 * plane + o] = b / 255
        }
      }
    }
    guard channels == .gray else { return rgb }
    return (0..<plane).map { 0.299 * rgb[$0] + 0.587 * rgb[plane + $0] + 0.114 * rgb[2 * plane + $0] }
  }

  /// One crop as a tensor [C, S, S].
  public func tensor(_ frame: RGBFrame, box: FaceBox) -> Tensor {
    Tensor(shape: [channels.count, size, size], data: planes(frame, box: box))
  }

  /// The crops of a clip along its track as a tensor [T, C, S, S].
  public func clip(_ frames: [RGBFrame], track: FaceTrack) -> Tensor {
    precondition(
      frames.count == track.boxes.count, "FaceCropper.clip: \(frames.count) frames but \(track.boxes.count) boxes")
    var data: [Float] = []
    data.reserveCapacity(frames.count * channels.count * size * size)
    for (frame, box) in zip(frames, track.boxes) { data += planes(frame, box: box) }
    return Tensor(shape: [frames.count, channels.count, size, size], data: data)
  }
}

/// Source indices and weights of each output sample along one axis: output k
/// covers [start + k·length/count, start + (k+1)·length/count).
private struct SampleTaps {
  var taps: [[(Int, Float)]]

  init(start: Double, length: Double, count: Int, limit: Int) {
    let step = length / Double(count)
    func clamp(_ i: Int) -> Int { min(max(i, 0), limit - 1) }
    taps = (0..<count).map { k in
      let a = start + Double(k) * step, b = a + step
      if step >= 1 {
        // Area: every source pixel [i, i+1) overlapping [a, b), by overlap.
        var result: [(Int, Float)] = []
        var i = Int(a.rounded(.down))
        while Double(i) < b {
          let overlap = min(b, Double(i + 1)) - max(a, Double(i))
          if overlap > 0 { result.append((clamp(i), Float(overlap / step))) }
          i += 1
        }
        return result
      }
      // Bilinear at the centre; pixel i's centre is at i + 0.5.
      let u = (a + b) / 2 - 0.5
      let i = Int(u.rounded(.down))
      let f = Float(u - Double(i))
      return [(clamp(i), 1 - f), (clamp(i + 1), f)]
    }
  }
}
