import FERCore
import Foundation
import Testing

@testable import FERVideo

@Suite("FaceTracker")
struct FaceTrackerTests {
  /// A frame whose red byte is the column, green the row and blue their sum mod 256.
  static func coordinateFrame(width: Int, height: Int) -> RGBFrame {
    var bytes: [UInt8] = []
    for y in 0..<height {
      for x in 0..<width { bytes += [UInt8(x % 256), UInt8(y % 256), UInt8((x + y) % 256)] }
    }
    return RGBFrame(width: width, height: height, pixels: bytes)
  }

  /// A gray plane as an RGB frame shifted right by `dx` (edge columns repeated).
  static func shiftedFrame(_ plane: LumaPlane, dx: Int) -> RGBFrame {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(plane.width * plane.height * 3)
    for y in 0..<plane.height {
      for x in 0..<plane.width {
        let v = plane.pixels[y * plane.width + min(max(x - dx, 0), plane.width - 1)]
        bytes += [v, v, v]
      }
    }
    return RGBFrame(width: plane.width, height: plane.height, pixels: bytes)
  }

  @Test func cropAtUnitScaleCopiesPixels() {
    let frame = Self.coordinateFrame(width: 100, height: 80)
    let crop = FaceCropper(size: 48).planes(frame, box: FaceBox(centreX: 64, centreY: 54, side: 48))
    #expect(crop.count == 3 * 48 * 48)
    for (oy, ox) in [(0, 0), (5, 17), (47, 47)] {
      #expect(crop[oy * 48 + ox] == Float(40 + ox) / 255)
      #expect(crop[48 * 48 + oy * 48 + ox] == Float(30 + oy) / 255)
      #expect(crop[2 * 48 * 48 + oy * 48 + ox] == Float(70 + ox + oy) / 255)
    }
  }

  @Test func shrinkingAveragesAreasAndEnlargingInterpolates() {
    let frame = Self.coordinateFrame(width: 120, height: 100)
    // Side 96 into 48: each output is the mean of a 2×2 block (columns 10+2k, 11+2k).
    let half = FaceCropper(size: 48).planes(frame, box: FaceBox(centreX: 58, centreY: 52, side: 96))
    for ox in [0, 20, 47] { #expect(abs(half[7 * 48 + ox] * 255 - (10.5 + 2 * Float(ox))) < 1e-3) }
    for oy in [0, 31] { #expect(abs(half[48 * 48 + oy * 48 + 3] * 255 - (4.5 + 2 * Float(oy))) < 1e-3) }
    // Side 24 into 48: bilinear samples of the linear red ramp, x0 + k/2 − 1/4.
    let double = FaceCropper(size: 48).planes(frame, box: FaceBox(centreX: 32, centreY: 40, side: 24))
    for ox in [4, 25, 40] { #expect(abs(double[10 * 48 + ox] * 255 - (20 + Float(ox) / 2 - 0.25)) < 1e-3) }
  }

  @Test func boxOutsideTheFrameRepeatsEdgesAndGrayMixesChannels() {
    let frame = Self.coordinateFrame(width: 60, height: 50)
    let outside = FaceCropper(size: 16).planes(frame, box: FaceBox(centreX: 2, centreY: 2, side: 16))
    // The box spans −6..<10: its first six columns and rows repeat pixel column / row 0.
    #expect(outside[0] == 0 && outside[5] == 0 && outside[6] == 0 && outside[7] == 1 / 255)
    let rgb = FaceCropper(size: 8).planes(frame, box: FaceBox(centreX: 30, centreY: 25, side: 16))
    let gray = FaceCropper(size: 8, channels: .gray).planes(frame, box: FaceBox(centreX: 30, centreY: 25, side: 16))
    #expect(gray.count == 64)
    for i in [0, 9, 63] {
      #expect(abs(gray[i] - (0.299 * rgb[i] + 0.587 * rgb[64 + i] + 0.114 * rgb[128 + i])) < 1e-6)
    }
    #expect(gray.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  @Test func followPicksTheSupportedFaceFillsGapsAndSmooths() throws {
    let tracker = try FaceTracker()
    // A 60-px face drifting right 2 px a frame (20 hits); a larger false hit in
    // frames 3–4 (4 hits); no face in frame 6; a 10-px detector jump in frame 8.
    var perFrame: [[(box: PixelRect, hits: Int)]] = (0..<10).map { t in
      [(PixelRect(x: 100 + 2 * t + (t == 8 ? 10 : 0), y: 50, width: 60, height: 60), 20)]
    }
    perFrame[3].append((PixelRect(x: 10, y: 10, width: 90, height: 90), 4))
    perFrame[4].append((PixelRect(x: 12, y: 10, width: 90, height: 90), 4))
    perFrame[6] = []
    let track = tracker.follow(perFrame, frameWidth: 320, frameHeight: 240)
    #expect(track.boxes.count == 10)
    #expect(track.detectedFrames == 9 && track.fallbackFrames == 1 && !track.usedCentreCrop)
    for (t, box) in track.boxes.enumerated() {
      // True centre 130 + 2t; the gap and the jump are smoothed away.
      #expect(abs(box.centreX - Double(130 + 2 * t)) <= 2.0, "frame \(t): centre \(box.centreX)")
      #expect(box.centreY == 80 && box.side == 60)
    }
  }

  @Test func anchorPrefersManyHitsOverSize() throws {
    let tracker = try FaceTracker()
    let face = PixelRect(x: 86, y: 31, width: 53, height: 53), falseHit = PixelRect(x: 141, y: 63, width: 65, height: 65)
    let track = tracker.follow(Array(repeating: [(falseHit, 4), (face, 27)], count: 4), frameWidth: 256, frameHeight: 256)
    #expect(track.boxes.allSatisfy { $0.rect == face })
  }

  @Test func noFaceAnywhereGivesTheCentreSquare() throws {
    let tracker = try FaceTracker()
    let track = tracker.follow(Array(repeating: [], count: 3), frameWidth: 200, frameHeight: 120)
    #expect(track.usedCentreCrop && track.fallbackFrames == 3 && track.detectedFrames == 0)
    #expect(track.boxes == Array(repeating: FaceBox(centreX: 100, centreY: 60, side: 120), count: 3))
  }

  @Test func medianRemovesShortJumpsAndKeepsEnds() {
    let xs: [Double] = [0, 0, 10, 0, 0, 5, 6, 7]
    let smoothed = medianSmoothed(xs.map { FaceBox(centreX: $0, centreY: 0, side: 1) }, window: 5).map(\.centreX)
    #expect(smoothed == [0, 0, 0, 0, 5, 5, 6, 7])
    #expect(medianSmoothed([FaceBox(centreX: 3, centreY: 4, side: 5)], window: 5) == [FaceBox(centreX: 3, centreY: 4, side: 5)])
  }

  /// The real photograph of the fixtures moving right, with one blank frame:
  /// the track follows OpenCV's face box and ignores the false hit beside it.
  @Test func tracksARealFaceThroughAClip() throws {
    let photo = try FaceFixtures.pgm("astronaut.pgm")
    var frames = (0..<5).map { Self.shiftedFrame(photo, dx: 3 * $0) }
    frames.insert(RGBFrame(width: 256, height: 256, red: 128, green: 128, blue: 128), at: 2)
    let tracker = try FaceTracker()
    let track = tracker.track(frames)
    #expect(track.detectedFrames == 5 && track.fallbackFrames == 1 && !track.usedCentreCrop)
    // OpenCV's face in the unshifted photo: (86, 31, 53×53), centre (112.5, 57.5).
    let shifts = [0, 3, 3, 6, 9, 12]
    for (box, dx) in zip(track.boxes, shifts) {
      #expect(abs(box.centreX - (112.5 + Double(dx))) <= 4 && abs(box.centreY - 57.5) <= 4, "\(box)")
      #expect(abs(box.side - 53) <= 5)
    }
    let crops = FaceCropper(size: 48).clip(frames, track: track)
    #expect(crops.shape == [6, 3, 48, 48])
    #expect(crops.data.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  /// Searching around the last face gives the track that scanning every frame whole gives.
  @Test func searchingAroundTheLastFaceTracksAsScanningEveryFrame() throws {
    let photo = try FaceFixtures.pgm("astronaut.pgm")
    let frames = (0..<17).map { Self.shiftedFrame(photo, dx: 2 * $0) }
    let around = try FaceTracker().track(frames)
    let whole = try FaceTracker(options: FaceTrackerOptions(redetectEvery: 1)).track(frames)
    #expect(around == whole)
    #expect(around.detectedFrames == 17)
  }

  /// A face that jumps out of the search area is found by a whole scan in the same frame: the
  /// track is the one scanning every frame whole gives, which follows the face after the jump
  /// (seen in more frames than the face before it, so the frames before take its first box).
  @Test func aFaceThatJumpsIsFoundByAWholeScan() throws {
    let photo = try FaceFixtures.pgm("astronaut.pgm")
    let frames = (0..<12).map { Self.shiftedFrame(photo, dx: $0 < 4 ? 0 : 70) }
    let track = try FaceTracker().track(frames)
    #expect(track == (try FaceTracker(options: FaceTrackerOptions(redetectEvery: 1)).track(frames)))
    #expect(track.detectedFrames == 8)
    // OpenCV's face centre in the unshifted photo is (112.5, 57.5).
    for box in track.boxes { #expect(abs(box.centreX - 182.5) <= 4 && abs(box.centreY - 57.5) <= 4, "\(box)") }
  }
}
