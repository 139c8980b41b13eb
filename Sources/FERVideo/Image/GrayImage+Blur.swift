import Foundation

// Gaussian smoothing with OpenCV's conventions (GaussianBlur): the same kernel
// for a given size and sigma, including the fixed binomial kernels OpenCV
// uses for sizes ≤ 7 when sigma is not given, and the same border rule
// (BORDER_REFLECT_101: … c b | a b c … d | c b …). Farnebäck's pyramid blurs
// every level this way before resampling.

extension GrayImage {
  /// This image convolved with a separable `kernelSize` × `kernelSize` Gaussian.
  ///
  /// - Parameters:
  ///   - kernelSize: odd, ≥ 1.
  ///   - sigma: standard deviation in pixels; 0 or less derives it from the size as OpenCV
  ///     does (0.3·((size − 1)/2 − 1) + 0.8, or a binomial kernel for sizes 1, 3, 5, 7).
  public func gaussianBlurred(kernelSize: Int, sigma: Double) -> GrayImage {
    precondition(kernelSize > 0 && kernelSize % 2 == 1, "gaussianBlurred: kernel size \(kernelSize) must be odd and positive")
    if kernelSize == 1 { return self }
    let kernel = gaussianKernel(size: kernelSize, sigma: sigma)
    let radius = kernelSize / 2
    let columns = (-radius..<(width + radius)).map { reflect101($0, count: width) }
    let rows = (-radius..<(height + radius)).map { reflect101($0, count: height) }

    // Horizontal pass [height, width], then vertical pass into the result.
    var across = [Float](repeating: 0, count: width * height)
    pixels.withUnsafeBufferPointer { src in
      across.withUnsafeMutableBufferPointer { dst in
        for y in 0..<height {
          let srcRow = src.baseAddress! + y * width
          for x in 0..<width {
            var sum: Float = 0
            for k in 0..<kernelSize { sum += kernel[k] * srcRow[columns[x + k]] }
            dst[y * width + x] = sum
          }
        }
      }
    }
    var out = [Float](repeating: 0, count: width * height)
    across.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for y in 0..<height {
          let dstRow = dst.baseAddress! + y * width
          for x in 0..<width { dstRow[x] = 0 }
          for k in 0..<kernelSize {
            let srcRow = src.baseAddress! + rows[y + k] * width
            let weight = kernel[k]
            for x in 0..<width { dstRow[x] += weight * srcRow[x] }
          }
        }
      }
    }
    return GrayImage(width: width, height: height, pixels: out)
  }
}

/// OpenCV's 1-D Gaussian kernel (getGaussianKernel), normalised to sum 1.
func gaussianKernel(size: Int, sigma: Double) -> [Float] {
  // Binomial kernels OpenCV substitutes for small sizes when no sigma is given.
  let binomial: [Int: [Float]] = [
    1: [1],
    3: [0.25, 0.5, 0.25],
    5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
    7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
  ]
  if sigma <= 0, let fixed = binomial[size] { return fixed }
  let sigma = sigma > 0 ? sigma : ((Double(size) - 1) * 0.5 - 1) * 0.3 + 0.8
  let center = Double(size - 1) / 2
  let values = (0..<size).map { i -> Double in
    let x = Double(i) - center
    return exp(-x * x / (2 * sigma * sigma))
  }
  let total = values.reduce(0, +)
  return values.map { Float($0 / total) }
}

/// Index `i` mirrored into 0..<count without repeating the edge pixel (… 2 1 | 0 1 2 … ).
func reflect101(_ i: Int, count: Int) -> Int {
  if count == 1 { return 0 }
  var i = i
  while i < 0 || i >= count {
    i = i < 0 ? -i : 2 * (count - 1) - i
  }
  return i
}
