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
//    With a `searchArea` (not an OpenCV option) only the windows lying inside it
//    are scanned, on the same grid of positions from the same shrunken planes.
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
  /// Only windows lying inside this rectangle of the image are scanned; nil: the whole image.
  public var searchArea: PixelRect?

  public init(
    scaleFactor: Double = 1.1, minNeighbors: Int = 3, minSize: FrameSize? = nil, maxSize: FrameSize? = nil,
    searchArea: PixelRect? = nil
  ) {
    precondition(scaleFactor > 1, "HaarDetectionOptions: scaleFactor \(scaleFactor) must exceed 1 (OpenCV's default is 1.1)")
    precondition(minNeighbors >= 0, "HaarDetectionOptions: minNeighbors \(minNeighbors) must be ≥ 0")
    self.scaleFactor = scaleFactor
    self.minNeighbors = minNeighbors
    self.minSize = minSize
    self.maxSize = maxSize
    self.searchArea = searchArea
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
    let bands: [(level: Int, rows: Range<Int>, columns: Range<Int>)] = (0..<factors.count).flatMap { i in
      let level = levels[i]
      let (columns, rows) = level.positions(inside: options.searchArea)
      let rowsPerBand = 8 * level.step
      return stride(from: rows.lowerBound, to: rows.upperBound, by: rowsPerBand).map { start in
        (i, start..<min(start + rowsPerBand, rows.upperBound), columns)
      }
    }
    let evaluator = CascadeEvaluator(cascade)
    return parallelMap(bands.count) { b in
      evaluator.scan(levels[bands[b].level], rows: bands[b].rows, columns: bands[b].columns)
    }.flatMap { $0 }
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
    // Written straight into the table (a small array of corners per rectangle made every scale
    // thousands of allocations: a tenth of a face search around the last face).
    featureOffsets = [Int32](unsafeUninitializedCapacity: 12 * cascade.features.count) { offsets, initialized in
      offsets.initialize(repeating: 0)
      for (f, feature) in cascade.features.enumerated() {
        for (k, r) in feature.rects.enumerated() {
          // Sum corners (x, y), (x + w, y), (x, y + h), (x + w, y + h) used as
          // s0 − s1 − s2 + s3; tilted corners top, right, left, bottom likewise.
          let o = 12 * f + 4 * k
          if feature.tilted {
            offsets[o] = Int32(tiltedOffset + r.x + stride * r.y)
            offsets[o + 1] = Int32(tiltedOffset + r.x - r.height + stride * (r.y + r.height))
            offsets[o + 2] = Int32(tiltedOffset + r.x + r.width + stride * (r.y + r.width))
            offsets[o + 3] = Int32(tiltedOffset + r.x + r.width - r.height + stride * (r.y + r.width + r.height))
          } else {
            offsets[o] = Int32(r.x + stride * r.y)
            offsets[o + 1] = Int32(r.x + r.width + stride * r.y)
            offsets[o + 2] = Int32(r.x + stride * (r.y + r.height))
            offsets[o + 3] = Int32(r.x + r.width + stride * (r.y + r.height))
          }
        }
      }
      initialized = 12 * cascade.features.count
    }
    let (w, h) = (cascade.windowWidth, cascade.windowHeight)
    innerOffsets = (1 + stride, w - 1 + stride, 1 + stride * (h - 1), w - 1 + stride * (h - 1))
  }

  /// A window position of this level in image pixels (as hits are reported).
  @inline(__always)
  func inImage(_ position: Int) -> Int { Int((Float(position) * factor).rounded(.toNearestOrEven)) }

  /// The positions to scan: those of the whole scan's grid (multiples of `step`) whose
  /// window, in image pixels, lies inside `area` (nil: all of them).
  func positions(inside area: PixelRect?) -> (columns: Range<Int>, rows: Range<Int>) {
    guard let area else { return (0..<scanWidth, 0..<scanHeight) }
    func range(_ origin: Int, _ extent: Int, window: Int, scan: Int) -> Range<Int> {
      // From estimates within a position of the bounds, stepped until the rounding agrees.
      var first = max(0, Int((Float(origin) / factor).rounded(.down)))
      while first < scan && inImage(first) < origin { first += 1 }
      first = (first + step - 1) / step * step
      var last = min(scan - 1, Int((Float(origin + extent - window) / factor).rounded(.up)))
      while last >= first && inImage(last) + window > origin + extent { last -= 1 }
      return first..<max(first, last + 1)
    }
    return (
      range(area.x, area.width, window: windowWidth, scan: scanWidth),
      range(area.y, area.height, window: windowHeight, scan: scanHeight)
    )
  }
}
