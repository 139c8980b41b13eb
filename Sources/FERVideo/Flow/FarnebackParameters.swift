// The knobs of Farnebäck's dense optical flow, named and defaulted as in
// OpenCV's calcOpticalFlowFarneback(prev, next, flow, pyr_scale, levels,
// winsize, iterations, poly_n, poly_sigma, flags). Checked when built, so a
// bad value fails with a sentence saying what to change, not deep in a run.

/// How the per-pixel normal equations are averaged over the window.
public enum FarnebackWindow: Sendable {
  /// A uniform (box) window: OpenCV's default, `flags = 0`.
  case box
  /// A Gaussian window with σ = 0.3·(winsize/2): `OPTFLOW_FARNEBACK_GAUSSIAN`. Slower, often more accurate.
  case gaussian
}

/// Parameters of `farnebackFlow(from:to:parameters:)`.
public struct FarnebackParameters: Sendable, Equatable {
  /// Each pyramid level is this fraction of the size of the one below (0 < pyrScale < 1).
  public let pyrScale: Double
  /// Pyramid levels above the full-size image (0 = the image alone). Levels whose image would be
  /// narrower or lower than 32 pixels are dropped, as in OpenCV.
  public let levels: Int
  /// Side of the averaging window in pixels, odd; larger is smoother and copes with faster motion.
  public let windowSize: Int
  /// Displacement updates per pyramid level.
  public let iterations: Int
  /// Half-width of the neighbourhood fitted by the quadratic polynomial: 5 or 7.
  public let polyN: Int
  /// σ of the Gaussian weighting that fit; about 1.1 for polyN 5 and 1.5 for polyN 7.
  public let polySigma: Double
  /// The averaging window's shape.
  public let window: FarnebackWindow

  /// OpenCV's common call: `calcOpticalFlowFarneback(…, 0.5, 3, 15, 3, 5, 1.2, 0)`.
  public static let standard = FarnebackParameters(
    checkedPyrScale: 0.5, levels: 3, windowSize: 15, iterations: 3, polyN: 5, polySigma: 1.2, window: .box)

  /// Parameters, validated; defaults are `standard`'s.
  public init(
    pyrScale: Double = 0.5, levels: Int = 3, windowSize: Int = 15, iterations: Int = 3,
    polyN: Int = 5, polySigma: Double = 1.2, window: FarnebackWindow = .box
  ) throws(FarnebackParameterError) {
    guard pyrScale > 0 && pyrScale < 1 else { throw .pyrScale(pyrScale) }
    guard levels >= 0 else { throw .levels(levels) }
    guard windowSize >= 1 && windowSize % 2 == 1 else { throw .windowSize(windowSize) }
    guard iterations >= 1 else { throw .iterations(iterations) }
    guard polyN == 5 || polyN == 7 else { throw .polyN(polyN) }
    guard polySigma > 0 && polySigma.isFinite else { throw .polySigma(polySigma) }
    self.init(
      checkedPyrScale: pyrScale, levels: levels, windowSize: windowSize, iterations: iterations,
      polyN: polyN, polySigma: polySigma, window: window)
  }

  private init(
    checkedPyrScale pyrScale: Double, levels: Int, windowSize: Int, iterations: Int,
    polyN: Int, polySigma: Double, window: FarnebackWindow
  ) {
    self.pyrScale = pyrScale
    self.levels = levels
    self.windowSize = windowSize
    self.iterations = iterations
    self.polyN = polyN
    self.polySigma = polySigma
    self.window = window
  }

}

/// A Farnebäck parameter out of its range; the message names the value and what to use instead.
public enum FarnebackParameterError: Error, Equatable, CustomStringConvertible {
  case pyrScale(Double)
  case levels(Int)
  case windowSize(Int)
  case iterations(Int)
  case polyN(Int)
  case polySigma(Double)

  public var description: String {
    switch self {
    case .pyrScale(let v):
      "Farnebäck pyrScale is \(v); it must lie strictly between 0 and 1 (0.5 halves the image per level)."
    case .levels(let v):
      "Farnebäck levels is \(v); use 0 for no pyramid or a positive count of coarser levels (3 is usual)."
    case .windowSize(let v):
      "Farnebäck windowSize is \(v); use an odd window of at least 1 pixel (15 is usual; OpenCV widens an even size to the next odd one)."
    case .iterations(let v):
      "Farnebäck iterations is \(v); use at least 1 update per level (3 is usual)."
    case .polyN(let v):
      "Farnebäck polyN is \(v); the polynomial expansion supports 5 or 7 only."
    case .polySigma(let v):
      "Farnebäck polySigma is \(v); use a positive σ, about 1.1–1.2 for polyN 5 and 1.5 for polyN 7."
    }
  }
}
