import Foundation

// One face box per frame of a clip, steady over time:
//
// 1. Detect: every frame is converted to luma and shrunk so its longer side is
//    at most `detectionMaxSide` (detection cost grows with area; faces in
//    expression clips are large). Every `redetectEvery`-th frame is scanned whole
//    with the Haar detector for faces of at least `minFaceFraction` of the
//    shorter side; the frames between are searched only around the face chosen
//    in the frame before (its box widened by `searchMargin` of its side on each
//    side, at sizes within `searchScales` of its side), in the same shrunken
//    planes on the same grid of window positions, so the face found there is the
//    box the whole scan finds. A face in an expression clip moves and grows
//    little from frame to frame, and scanning every frame whole was most of the
//    pre-processing's time. A frame where the search finds nothing continuing
//    the last face (it moved far, or was lost) is scanned whole too. Boxes are
//    mapped back to frame pixels.
// 2. Anchor: the detection best supported by the whole clip — the sum, over
//    frames, of the hit count of the frame's detection overlapping it
//    (IoU ≥ `continuityIoU`). A real face is found in most frames with many
//    hits; a false positive in few, with few. Ties go to the larger box.
// 3. Follow: frames are walked in order from the anchor; each frame takes its
//    detection overlapping the previous choice most (IoU ≥ `continuityIoU`),
//    else counts as a miss.
// 4. Fill: a missed frame takes the last chosen box (the first chosen one
//    before any); a clip without any face takes the centred square of the
//    frame's shorter side.
// 5. Smooth: centre x, centre y and side each go through a centred running
//    median over `smoothingWindow` frames, which removes one- and two-frame
//    jumps of the detector without lagging behind steady motion.

/// A square face box in frame pixels (fractional: it comes from smoothing).
public struct FaceBox: Sendable, Equatable {
  public var centreX: Double
  public var centreY: Double
  public var side: Double

  public init(centreX: Double, centreY: Double, side: Double) {
    self.centreX = centreX
    self.centreY = centreY
    self.side = side
  }

  /// The box around a detector rectangle (its side: the mean of width and height).
  public init(_ rect: PixelRect) {
    self.init(
      centreX: Double(rect.x) + Double(rect.width) / 2, centreY: Double(rect.y) + Double(rect.height) / 2,
      side: Double(rect.width + rect.height) / 2)
  }

  /// The box rounded to whole pixels.
  public var rect: PixelRect {
    let s = Int(side.rounded())
    return PixelRect(
      x: Int((centreX - side / 2).rounded()), y: Int((centreY - side / 2).rounded()), width: s, height: s)
  }
}

/// The face boxes of one clip and how they were obtained.
public struct FaceTrack: Sendable, Equatable {
  /// One smoothed box per frame.
  public var boxes: [FaceBox]
  /// Frames whose own detection was used.
  public var detectedFrames: Int
  /// Frames that had no detection continuing the track and took a fallback box.
  public var fallbackFrames: Int { boxes.count - detectedFrames }
  /// True when no frame had a face and every box is the centre square.
  public var usedCentreCrop: Bool
}

/// Settings of a `FaceTracker`.
public struct FaceTrackerOptions: Sendable, Equatable {
  /// Frames are shrunk so the longer side is at most this before detection; nil: full size.
  public var detectionMaxSide: Int?
  /// Smallest face searched for, as a fraction of the frame's shorter side.
  public var minFaceFraction: Double
  /// Scale factor and neighbour threshold of the detector (minSize comes from `minFaceFraction`).
  public var scaleFactor: Double
  public var minNeighbors: Int
  /// A detection continues the track when its IoU with the previous box reaches this.
  public var continuityIoU: Double
  /// Frames in the running median (odd; 1 turns smoothing off).
  public var smoothingWindow: Int
  /// Every this many frames the whole frame is scanned (1: every frame); between, only around the last face.
  public var redetectEvery: Int
  /// The search around the last face: its box widened by this fraction of its side on each side…
  public var searchMargin: Double
  /// …for faces of these fractions of its side.
  public var searchScales: ClosedRange<Double>

  public init(
    detectionMaxSide: Int? = 320, minFaceFraction: Double = 0.15, scaleFactor: Double = 1.1, minNeighbors: Int = 3,
    continuityIoU: Double = 0.3, smoothingWindow: Int = 5, redetectEvery: Int = 8, searchMargin: Double = 0.5,
    searchScales: ClosedRange<Double> = 0.5...2.0
  ) {
    precondition(redetectEvery >= 1, "FaceTrackerOptions: redetectEvery \(redetectEvery) must be at least 1 (1 scans every frame)")
    precondition(searchMargin >= 0, "FaceTrackerOptions: searchMargin \(searchMargin) must not be negative")
    precondition(searchScales.lowerBound > 0, "FaceTrackerOptions: searchScales \(searchScales) must be positive")
    if let side = detectionMaxSide {
      precondition(side >= 24, "FaceTrackerOptions: detectionMaxSide \(side) must be at least the 24-px window")
    }
    precondition(
      minFaceFraction > 0 && minFaceFraction <= 1, "FaceTrackerOptions: minFaceFraction \(minFaceFraction) must be in (0, 1]")
    precondition(continuityIoU > 0 && continuityIoU <= 1, "FaceTrackerOptions: continuityIoU \(continuityIoU) must be in (0, 1]")
    precondition(
      smoothingWindow >= 1 && smoothingWindow % 2 == 1,
      "FaceTrackerOptions: smoothingWindow \(smoothingWindow) must be odd and positive (1 disables smoothing)")
    self.detectionMaxSide = detectionMaxSide
    self.minFaceFraction = minFaceFraction
    self.scaleFactor = scaleFactor
    self.minNeighbors = minNeighbors
    self.continuityIoU = continuityIoU
    self.smoothingWindow = smoothingWindow
    self.redetectEvery = redetectEvery
    self.searchMargin = searchMargin
    self.searchScales = searchScales
  }
}

/// Finds, follows and smooths the face of a clip.
public struct FaceTracker: Sendable {
  public let detector: HaarCascadeDetector
  public let options: FaceTrackerOptions

  public init(detector: HaarCascadeDetector, options: FaceTrackerOptions = FaceTrackerOptions()) {
    self.detector = detector
    self.options = options
  }

  /// A tracker on opencv-data's frontal-face cascade.
  public init(options: FaceTrackerOptions = FaceTrackerOptions()) throws {
    self.init(detector: HaarCascadeDetector(cascade: try .frontalFace()), options: options)
  }

  /// The face box of every frame (all frames of one size).
  public func track(_ frames: [RGBFrame]) -> FaceTrack {
    guard let first = frames.first else { return FaceTrack(boxes: [], detectedFrames: 0, usedCentreCrop: false) }
    var perFrame: [[(box: PixelRect, hits: Int)]] = []
    perFrame.reserveCapacity(frames.count)
    var last: PixelRect? = nil  // the face chosen in the frame before, in detection-plane pixels
    for (index, frame) in frames.enumerated() {
      let (plane, shrink) = detectionPlane(frame)
      let nearby = index % options.redetectEvery == 0 ? [] : last.map { faces(in: plane, near: $0) } ?? []
      var continuing = last.flatMap { mostOverlapping(nearby.map(\.rect), $0) }
      var found = nearby
      if continuing == nil {
        // Nothing near the last face continues it (it moved far, or was lost): the whole frame is scanned.
        found = faces(in: plane, near: nil)
        continuing = last.flatMap { mostOverlapping(found.map(\.rect), $0) }
      }
      perFrame.append(found.map { inFrame($0, shrink: shrink) })
      last = continuing ?? found.max { ($0.neighbours, $0.rect.area) < ($1.neighbours, $1.rect.area) }?.rect ?? last
    }
    return follow(perFrame, frameWidth: first.width, frameHeight: first.height)
  }

  /// The box overlapping `previous` most, if any reaches `continuityIoU` (the first of equals).
  private func mostOverlapping(_ boxes: [PixelRect], _ previous: PixelRect) -> PixelRect? {
    boxes.map { (box: $0, iou: $0.iou(previous)) }.filter { $0.iou >= options.continuityIoU }.max { $0.iou < $1.iou }?.box
  }

  /// The frame's luma, shrunk to `detectionMaxSide`, and the factor it was shrunk by.
  func detectionPlane(_ frame: RGBFrame) -> (LumaPlane, Double) {
    var plane = LumaPlane(frame)
    var shrink = 1.0
    if let maxSide = options.detectionMaxSide, max(plane.width, plane.height) > maxSide {
      shrink = Double(max(plane.width, plane.height)) / Double(maxSide)
      plane = plane.resized(
        width: max(1, Int((Double(plane.width) / shrink).rounded())),
        height: max(1, Int((Double(plane.height) / shrink).rounded())))
    }
    return (plane, shrink)
  }

  /// Faces in `plane` of at least `minFaceFraction` of its shorter side: anywhere (`near` nil),
  /// or only around the face `near` — inside its box widened by `searchMargin` of its side on
  /// each side, at sizes within `searchScales` of its side. Both search the same shrunken planes
  /// on the same grid of positions, so a face found near its last box is the box the whole scan
  /// finds, at a fraction of the windows.
  func faces(in plane: LumaPlane, near last: PixelRect?) -> [Detection] {
    let minSide = max(24, Int(options.minFaceFraction * Double(min(plane.width, plane.height))))
    var detectorOptions = HaarDetectionOptions(
      scaleFactor: options.scaleFactor, minNeighbors: options.minNeighbors,
      minSize: FrameSize(width: minSide, height: minSide))
    if let last {
      let side = Double(max(last.width, last.height))
      let margin = Int((options.searchMargin * side).rounded(.up))
      let smallest = max(minSide, Int((side * options.searchScales.lowerBound).rounded(.down)))
      let largest = Int((side * options.searchScales.upperBound).rounded(.up))
      guard largest >= smallest else { return [] }
      detectorOptions.minSize = FrameSize(width: smallest, height: smallest)
      detectorOptions.maxSize = FrameSize(width: largest, height: largest)
      detectorOptions.searchArea = PixelRect(
        x: last.x - margin, y: last.y - margin, width: last.width + 2 * margin, height: last.height + 2 * margin)
    }
    return detector.detections(plane, options: detectorOptions)
  }

  /// A detection in a plane shrunk by `shrink` as a box in frame pixels with its hits.
  private func inFrame(_ d: Detection, shrink: Double) -> (box: PixelRect, hits: Int) {
    let r = d.rect
    let back = PixelRect(
      x: Int((Double(r.x) * shrink).rounded()), y: Int((Double(r.y) * shrink).rounded()),
      width: Int((Double(r.width) * shrink).rounded()), height: Int((Double(r.height) * shrink).rounded()))
    return (back, d.neighbours)
  }

  /// Steps 2–5 on per-frame detections.
  func follow(_ perFrame: [[(box: PixelRect, hits: Int)]], frameWidth: Int, frameHeight: Int) -> FaceTrack {
    let all = perFrame.flatMap { $0 }
    guard !all.isEmpty else {
      let side = Double(min(frameWidth, frameHeight))
      let centre = FaceBox(centreX: Double(frameWidth) / 2, centreY: Double(frameHeight) / 2, side: side)
      return FaceTrack(boxes: Array(repeating: centre, count: perFrame.count), detectedFrames: 0, usedCentreCrop: true)
    }
    let tau = options.continuityIoU
    func support(_ box: PixelRect) -> Int {
      perFrame.reduce(0) { total, faces in
        total + (faces.filter { $0.box.iou(box) >= tau }.map(\.hits).max() ?? 0)
      }
    }
    let scored = all.map { (box: $0.box, score: support($0.box)) }
    var anchor = scored[0]
    for candidate in scored.dropFirst()
    where candidate.score > anchor.score || (candidate.score == anchor.score && candidate.box.area > anchor.box.area) {
      anchor = candidate
    }

    var chosen: [PixelRect?] = []
    var previous = anchor.box
    for faces in perFrame {
      let best = mostOverlapping(faces.map(\.box), previous)
      if let best { previous = best }
      chosen.append(best)
    }

    let firstFound = chosen.first { $0 != nil }.flatMap { $0 } ?? anchor.box
    var filled: [FaceBox] = []
    var last = FaceBox(firstFound)
    for box in chosen {
      if let box { last = FaceBox(box) }
      filled.append(last)
    }
    return FaceTrack(
      boxes: medianSmoothed(filled, window: options.smoothingWindow),
      detectedFrames: chosen.filter { $0 != nil }.count, usedCentreCrop: false)
  }
}

/// Running median of centre x, centre y and side over `window` frames,
/// centred; near the clip's ends the window shrinks symmetrically (to the
/// frame alone at the first and last), so it always holds an odd count.
func medianSmoothed(_ boxes: [FaceBox], window: Int) -> [FaceBox] {
  let half = window / 2
  return boxes.indices.map { t in
    let k = min(half, t, boxes.count - 1 - t)
    let span = boxes[(t - k)...(t + k)]
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    return FaceBox(
      centreX: median(span.map(\.centreX)), centreY: median(span.map(\.centreY)), side: median(span.map(\.side)))
  }
}
