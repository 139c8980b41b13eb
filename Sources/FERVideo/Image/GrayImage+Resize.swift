// Resampling to another size, separable: every output pixel is a weighted sum
// of source pixels, the weights a product of one table per axis. Bilinear
// follows OpenCV's INTER_LINEAR exactly (pixel centres at +0.5, edge pixels
// replicated, weights rounded to Float as OpenCV does), because Farnebäck's
// pyramid and flow propagation must see the same samples as OpenCV's to give
// the same flow. Area averages the source pixels each output pixel covers,
// the right filter for shrinking a face crop without aliasing.

/// How `GrayImage.resized` samples the source.
public enum ResizeMethod: Sendable {
  /// Linear interpolation between the two nearest pixel centres in each axis (OpenCV's INTER_LINEAR).
  case bilinear
  /// The mean of the source area under each output pixel (OpenCV's INTER_AREA when shrinking).
  /// Meant for shrinking; when enlarging an axis it degenerates to nearest-neighbour sampling
  /// with blended seams.
  case area
}

extension GrayImage {
  /// This image resampled to `width` × `height`. The same size returns the image unchanged.
  public func resized(width newWidth: Int, height newHeight: Int, method: ResizeMethod = .bilinear) -> GrayImage {
    precondition(newWidth > 0 && newHeight > 0, "resized: target size \(newWidth)×\(newHeight) must be positive")
    if newWidth == width && newHeight == height { return self }
    let columns = ResamplingAxis(source: width, destination: newWidth, method: method)
    let rows = ResamplingAxis(source: height, destination: newHeight, method: method)

    // Horizontal pass over every source row: [height, newWidth].
    var across = [Float](repeating: 0, count: height * newWidth)
    pixels.withUnsafeBufferPointer { src in
      across.withUnsafeMutableBufferPointer { dst in
        for y in 0..<height {
          let srcRow = src.baseAddress! + y * width
          let dstRow = dst.baseAddress! + y * newWidth
          for x in 0..<newWidth { dstRow[x] = columns.sample(x) { srcRow[$0] } }
        }
      }
    }
    // Vertical pass: [newHeight, newWidth].
    var out = [Float](repeating: 0, count: newHeight * newWidth)
    across.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for y in 0..<newHeight {
          let dstRow = dst.baseAddress! + y * newWidth
          for x in 0..<newWidth { dstRow[x] = rows.sample(y) { src[$0 * newWidth + x] } }
        }
      }
    }
    return GrayImage(width: newWidth, height: newHeight, pixels: out)
  }
}

/// For each destination index along one axis, the source indices it reads and their weights.
struct ResamplingAxis {
  /// Taps of destination `i` are `start[i]..<start[i + 1]`.
  private(set) var start: [Int] = [0]
  private(set) var index: [Int] = []
  private(set) var weight: [Float] = []

  init(source: Int, destination: Int, method: ResizeMethod) {
    // OpenCV derives the step from the size ratio in Double: source / destination.
    let scale = 1.0 / (Double(destination) / Double(source))
    for i in 0..<destination {
      switch method {
      case .bilinear: addBilinearTaps(i, scale: scale, source: source)
      case .area: addAreaTaps(i, scale: scale, source: source)
      }
      start.append(index.count)
    }
  }

  /// Two taps around the source position of pixel centre `i`; outside the image, the edge pixel.
  private mutating func addBilinearTaps(_ i: Int, scale: Double, source: Int) {
    let position = Float((Double(i) + 0.5) * scale - 0.5)
    var left = Int(position.rounded(.down))
    var fraction = position - Float(left)
    if left < 0 { left = 0; fraction = 0 }
    if left >= source - 1 { left = source - 1; fraction = 0 }
    index += [left, min(left + 1, source - 1)]
    weight += [1 - fraction, fraction]
  }

  /// Every source pixel overlapping [i·scale, (i+1)·scale), weighted by its share of the overlap.
  private mutating func addAreaTaps(_ i: Int, scale: Double, source: Int) {
    let lower = Double(i) * scale
    let upper = min(lower + scale, Double(source))
    let covered = upper - lower
    var pixel = Int(lower.rounded(.down))
    while pixel < source && Double(pixel) < upper {
      let overlap = min(Double(pixel + 1), upper) - max(Double(pixel), lower)
      if overlap > 1e-9 {
        index.append(pixel)
        weight.append(Float(overlap / covered))
      }
      pixel += 1
    }
  }

  /// Σ weight · value(source index) over the taps of destination `i`, in tap order.
  @inline(__always)
  func sample(_ i: Int, _ value: (Int) -> Float) -> Float {
    var sum: Float = 0
    for tap in start[i]..<start[i + 1] { sum += weight[tap] * value(index[tap]) }
    return sum
  }
}
