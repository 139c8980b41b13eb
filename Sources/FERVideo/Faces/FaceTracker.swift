import Foundation

// One face box per frame of a clip, steady over time:
//
// 1. Detect: every frame is converted to luma, shrunk so its longer side is at
//    most `detectionMaxSide` (detection cost grows with area; faces in
//    expression clips are large), and scanned with the Haar detector for faces
//    of at least `minFaceFraction` of the shorter side. Boxes are mapped back
//    to frame pixels.
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

  public init(
    detectionMaxSide: Int? = 320, minFaceFraction: Double = 0.15, scaleFactor: Double = 1.1, minNeighbors: Int = 3,
    continuityIoU: Double = 0.3, smoothingWindow: Int = 5
  ) {
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
    let perFrame = frames.map(detectFaces)
    return follow(perFrame, frameWidth: first.width, frameHeight: first.height)
  }

  /// Faces of one frame with their hit counts, in frame pixels.
  func detectFaces(_ frame: RGBFrame) -> [(box: PixelRect, hits: Int)] {
    var plane = LumaPlane(frame)
    var shrink = 1.0
    if let maxSide = options.detectionMaxSide, max(plane.width, plane.height) > maxSide {
      shrink = Double(max(plane.width, plane.height)) / Double(maxSide)
      plane = plane.resized(
        width: max(1, Int((Double(plane.width) / shrink).rounded())),
        height: max(1, Int((Double(plane.height) / shrink).rounded())))
    }
    let minSide = max(24, Int(options.minFaceFraction * Double(min(plane.width, plane.height))))
    let detectorOptions = HaarDetectionOptions(
      scaleFactor: options.scaleFactor, minNeighbors: options.minNeighbors,
      minSize: FrameSize(width: minSide, height: minSide))
    return detector.detections(plane, options: detectorOptions).map { d in
      let r = d.rect
      let back = PixelRect(
        x: Int((Double(r.x) * shrink).rounded()), y: Int((Double(r.y) * shrink).rounded()),
        width: Int((Double(r.width) * shrink).rounded()), height: Int((Double(r.height) * shrink).rounded()))
      return (back, d.neighbours)
    }
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
      let best = faces.map { (box: $0.box, iou: $0.box.iou(previous)) }.filter { $0.iou >= tau }.max { $0.iou < $1.iou }
      if let best { previous = best.box }
      chosen.append(best?.box)
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
