import FERSystem
import Foundation

// Multi-scale Viola–Jones detection as OpenCV's CascadeClassifier::detectMultiScale
// does it (cascadedetect.cpp, the CPU path), so that boxes match cv2's:
//
// 1. Scales: factor = 1, s, s², … while round(window · factor) fits the image
//    (and maxSize); factors whose window is below minSize are skipped.
// 2. Per scale the image is shrunk (not the features grown) to
//    round(W / factor) × round(H / factor) with OpenCV's fixed-point bilinear
//    resize (LumaPlane.resized), and its integral tables are built.
// 3. Windows at x, y = 0, step, 2·step, … (step 2 while factor < 2, else 1).
//    A window is rejected outright when its inner (window − 2 px border)
//    standard deviation is ≤ 10 grey levels; otherwise every feature value is
//    (Σ weight · rect sum) / √(area · Σx² − (Σx)²) — the rect sums normalised
//    by area × σ of the inner window — compared with the node thresholds.
//    A window rejected by the first stage also skips the next x position.
// 4. Hits become rectangles (round(x · factor), round(y · factor),
//    round(window · factor)) in image pixels, are grouped (RectangleGrouping),
//    and clipped to the image.
//
// Scales and rows are spread over `ComputeThreads` with parallelMap;
// results are gathered in scale, row, column order, so output is deterministic.

/// Detection parameters, named and defaulted as OpenCV's detectMultiScale.
public struct HaarDetectionOptions: Sendable, Equatable {
  /// Ratio between consecutive scales (> 1).
  public var scaleFactor: Double
  /// A group needs more than this many raw hits to be reported; 0 returns raw hits.
  public var minNeighbors: Int
  /// Smallest object searched for; nil: the cascade window.
  public var minSize: FrameSize?
  /// Largest object searched for; nil: the image.
  public var maxSize: FrameSize?

  public init(scaleFactor: Double = 1.1, minNeighbors: Int = 3, minSize: FrameSize? = nil, maxSize: FrameSize? = nil) {
    precondition(scaleFactor > 1, "HaarDetectionOptions: scaleFactor \(scaleFactor) must exceed 1 (OpenCV's default is 1.1)")
    precondition(minNeighbors >= 0, "HaarDetectionOptions: minNeighbors \(minNeighbors) must be ≥ 0")
    self.scaleFactor = scaleFactor
    self.minNeighbors = minNeighbors
    self.minSize = minSize
    self.maxSize = maxSize
  }
}

/// A detected object and the number of raw hits grouped into it.
public struct Detection: Sendable, Equatable {
  public var rect: PixelRect
  public var neighbours: Int
}

/// A Viola–Jones object detector over one Haar cascade.
public struct HaarCascadeDetector: Sendable {
  public let cascade: HaarCascade

  public init(cascade: HaarCascade) {
    self.cascade = cascade
  }

  /// Objects in an RGB frame (converted to luma as cv2.cvtColor does).
  public func detect(_ frame: RGBFrame, options: HaarDetectionOptions = HaarDetectionOptions()) -> [PixelRect] {
    detect(LumaPlane(frame), options: options)
  }

  /// Objects in a grayscale plane, as cv2.CascadeClassifier.detectMultiScale returns them.
  public func detect(_ plane: LumaPlane, options: HaarDetectionOptions = HaarDetectionOptions()) -> [PixelRect] {
    detections(plane, options: options).map(\.rect)
  }

  /// Objects with the number of raw hits behind each, as
  /// cv2.CascadeClassifier.detectMultiScale2 returns them (more hits: more
  /// confidence).
  public func detections(_ plane: LumaPlane, options: HaarDetectionOptions = HaarDetectionOptions()) -> [Detection] {
    let hits = candidates(plane, options: options)
    let groups = groupRectanglesCounting(hits, groupThreshold: options.minNeighbors, eps: 0.2)
    let image = PixelRect(x: 0, y: 0, width: plane.width, height: plane.height)
    return groups.map { Detection(rect: $0.rect.intersection(image), neighbours: $0.count) }.filter { $0.rect.area > 0 }
  }

  /// The raw hits of every scale before grouping, in scale, row, column order.
  func candidates(_ plane: LumaPlane, options: HaarDetectionOptions) -> [PixelRect] {
    let factors = scaleFactors(imageWidth: plane.width, imageHeight: plane.height, options: options)
    guard !factors.isEmpty else { return [] }
    let tilted = cascade.hasTiltedFeatures

    // Phase 1: one shrunken plane and its tables per scale.
    let levels = parallelMap(factors.count) { ScaleLevel(plane: plane, factor: factors[$0], cascade: cascade, tilted: tilted) }

    // Phase 2: bands of rows of every scale.
    let bands: [(level: Int, rows: Range<Int>)] = (0..<factors.count).flatMap { i in
      let level = levels[i]
      let rowsPerBand = 8 * level.step
      return stride(from: 0, to: level.scanHeight, by: rowsPerBand).map { start in
        (i, start..<min(start + rowsPerBand, level.scanHeight))
      }
    }
    let evaluator = CascadeEvaluator(cascade)
    return parallelMap(bands.count) { b in evaluator.scan(levels[bands[b].level], rows: bands[b].rows) }.flatMap { $0 }
  }

  /// OpenCV's scale list: factor = scaleFactorᵏ, kept as float.
  func scaleFactors(imageWidth: Int, imageHeight: Int, options: HaarDetectionOptions) -> [Float] {
    let maxWidth = options.maxSize?.width ?? imageWidth, maxHeight = options.maxSize?.height ?? imageHeight
    var factors: [Float] = []
    var factor = 1.0
    while true {
      let w = Int((Double(cascade.windowWidth) * factor).rounded(.toNearestOrEven))
      let h = Int((Double(cascade.windowHeight) * factor).rounded(.toNearestOrEven))
      if w > maxWidth || h > maxHeight || w > imageWidth || h > imageHeight { break }
      if w >= options.minSize?.width ?? 0 && h >= options.minSize?.height ?? 0 {
        factors.append(Float(factor))
      }
      factor *= options.scaleFactor
    }
    return factors
  }
}

/// One scale of the search: the image shrunk by `factor` and its tables.
struct ScaleLevel: Sendable {
  let factor: Float
  let tables: IntegralImages
  /// Window step in both directions (2 below factor 2, then 1).
  let step: Int
  /// Positions scanned: x in 0..<scanWidth, y in 0..<scanHeight.
  let scanWidth: Int
  let scanHeight: Int
  /// The window's size in original-image pixels.
  let windowWidth: Int
  let windowHeight: Int
  /// Table offsets of every feature's rectangles relative to the window's
  /// corner: 4 corners × 3 rects per feature (unused rects: zeros).
  let featureOffsets: [Int32]
  /// The corners of the inner window (the variance normalisation rectangle).
  let innerOffsets: (Int, Int, Int, Int)

  init(plane: LumaPlane, factor: Float, cascade: HaarCascade, tilted: Bool) {
    self.factor = factor
    let width = Int((Float(plane.width) / factor).rounded(.toNearestOrEven))
    let height = Int((Float(plane.height) / factor).rounded(.toNearestOrEven))
    tables = IntegralImages(plane.resized(width: width, height: height), tilted: tilted)
    step = factor >= 2 ? 1 : 2
    scanWidth = max(width + 1 - cascade.windowWidth, 0)
    scanHeight = max(height + 1 - cascade.windowHeight, 0)
    windowWidth = Int((Float(cascade.windowWidth) * factor).rounded(.toNearestOrEven))
    windowHeight = Int((Float(cascade.windowHeight) * factor).rounded(.toNearestOrEven))

    let stride = tables.stride, tiltedOffset = tables.tiltedOffset
    var offsets = [Int32](repeating: 0, count: 12 * cascade.features.count)
    for (f, feature) in cascade.features.enumerated() {
      for (k, r) in feature.rects.enumerated() {
        // Sum corners (x, y), (x + w, y), (x, y + h), (x + w, y + h) used as
        // s0 − s1 − s2 + s3; tilted corners top, right, left, bottom likewise.
        let corners =
          feature.tilted
          ? [
            tiltedOffset + r.x + stride * r.y,
            tiltedOffset + r.x - r.height + stride * (r.y + r.height),
            tiltedOffset + r.x + r.width + stride * (r.y + r.width),
            tiltedOffset + r.x + r.width - r.height + stride * (r.y + r.width + r.height),
          ]
          : [
            r.x + stride * r.y, r.x + r.width + stride * r.y,
            r.x + stride * (r.y + r.height), r.x + r.width + stride * (r.y + r.height),
          ]
        for (c, corner) in corners.enumerated() { offsets[12 * f + 4 * k + c] = Int32(corner) }
      }
    }
    featureOffsets = offsets
    let (w, h) = (cascade.windowWidth, cascade.windowHeight)
    innerOffsets = (1 + stride, w - 1 + stride, 1 + stride * (h - 1), w - 1 + stride * (h - 1))
  }
}
