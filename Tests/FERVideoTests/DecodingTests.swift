import FERCore
import Foundation
import Testing

@testable import FERVideo
import FERSystem

// Round trips through the ffmpeg command-line tool (installed by `make test`):
// synthetic frames are encoded to .avi / .mp4 in a temporary folder and decoded
// back. Video codecs are lossy, so pixels are compared with a tolerance; BMP
// folders are lossless and compared exactly.

@Suite("Decoding")
struct DecodingTests {
  /// Frame `k` of a synthetic clip: a horizontal ramp plus a level that grows with k,
  /// smooth enough for JPEG / H.264 to keep within a few levels.
  static func syntheticFrame(_ k: Int, width: Int = 64, height: Int = 48) -> RGBFrame {
    var bytes = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
      for x in 0..<width {
        let i = (y * width + x) * 3
        bytes[i] = UInt8(20 + 20 * k)
        bytes[i + 1] = UInt8(40 + (x * 150) / width)
        bytes[i + 2] = UInt8(200 - (y * 100) / height)
      }
    }
    return RGBFrame(width: width, height: height, pixels: bytes)
  }

  static func meanAbsDifference(_ a: RGBFrame, _ b: RGBFrame) -> Double {
    precondition(a.pixels.count == b.pixels.count)
    var total = 0
    for i in a.pixels.indices { total += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
    return Double(total) / Double(a.pixels.count)
  }

  static func withTemporaryFolder(_ body: (URL) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-video-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try body(folder)
  }

  /// A 24-bit BMP (bottom-up BGR rows padded to 4 bytes) — lossless, so decoding must be exact.
  static func bmpBytes(_ frame: RGBFrame) -> Data {
    let rowBytes = (frame.width * 3 + 3) / 4 * 4
    let imageBytes = rowBytes * frame.height
    var data = Data()
    func le(_ value: Int, _ count: Int) { for i in 0..<count { data.append(UInt8((value >> (8 * i)) & 0xFF)) } }
    data.append(contentsOf: [0x42, 0x4D])
    le(54 + imageBytes, 4); le(0, 4); le(54, 4)
    le(40, 4); le(frame.width, 4); le(frame.height, 4); le(1, 2); le(24, 2)
    le(0, 4); le(imageBytes, 4); le(2835, 4); le(2835, 4); le(0, 4); le(0, 4)
    for y in stride(from: frame.height - 1, through: 0, by: -1) {
      for x in 0..<frame.width {
        let p = frame.pixel(x: x, y: y)
        data.append(contentsOf: [p.b, p.g, p.r])
      }
      data.append(contentsOf: [UInt8](repeating: 0, count: rowBytes - frame.width * 3))
    }
    return data
  }

  @Test(arguments: ["clip.avi", "clip.mp4"])
  func encodeThenDecodeEveryFrame(_ name: String) throws {
    try Self.withTemporaryFolder { folder in
      let url = folder.appendingPathComponent(name)
      let frames = (0..<10).map { Self.syntheticFrame($0) }
      try VideoEncoder.write(frames, to: url, frameRate: 25)
      let clip = try VideoDecoder().decode(url)
      #expect(clip.frames.count == 10)
      #expect(clip.sourceFrameCount == 10)
      #expect(clip.sourceSize == FrameSize(width: 64, height: 48))
      #expect(clip.frameIndices == Array(0..<10))
      #expect(abs((clip.frameRate ?? 0) - 25) < 0.01)
      for (decoded, original) in zip(clip.frames, frames) {
        #expect(decoded.width == 64 && decoded.height == 48)
        #expect(Self.meanAbsDifference(decoded, original) < 4, "\(name): decoded frame strays from the original")
      }
    }
  }

  @Test func sampleFramesUniformlyAndScale() throws {
    try Self.withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("clip.avi")
      let frames = (0..<10).map { Self.syntheticFrame($0) }
      try VideoEncoder.write(frames, to: url)
      let options = VideoDecodingOptions(frameCount: 4, outputSize: FrameSize(width: 32, height: 24))
      let clip = try VideoDecoder().decode(url, options: options)
      #expect(clip.frameIndices == [0, 3, 6, 9])
      #expect(clip.frames.count == 4)
      for (frame, k) in zip(clip.frames, clip.frameIndices) {
        #expect(frame.width == 32 && frame.height == 24)
        // The red level identifies the source frame: 20 + 20k.
        let red = frame.pixel(x: 16, y: 12).r
        #expect(abs(Int(red) - (20 + 20 * k)) <= 4, "frame \(k) has red \(red)")
      }
    }
  }

  @Test func wrongBelievedFrameCountIsCorrectedBySecondPass() throws {
    try Self.withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("clip.avi")
      try VideoEncoder.write((0..<10).map { Self.syntheticFrame($0) }, to: url)
      let decoder = try VideoDecoder()
      let probe = try VideoProbe.probe(url.path, tools: decoder.tools)
      #expect(probe.packetCount == 10)
      // A container that claims 7 frames but decodes 10: the choice is redone over 10.
      let clip = try decoder.decodeVideo(
        url, probe: probe, options: VideoDecodingOptions(frameCount: 4), expectedFrameCount: 7)
      #expect(clip.frameIndices == [0, 3, 6, 9])
      #expect(clip.sourceFrameCount == 10)
      #expect(abs(Int(clip.frames[3].pixel(x: 5, y: 5).r) - 200) <= 4)
    }
  }

  @Test func imageFolderInNumericNameOrderExactly() throws {
    try Self.withTemporaryFolder { folder in
      let frames = (0..<3).map { Self.syntheticFrame($0, width: 30, height: 20) }
      // Names sort numerically: frame2 before frame10.
      for (frame, name) in zip(frames, ["frame1.bmp", "frame2.bmp", "frame10.bmp"]) {
        try Self.bmpBytes(frame).write(to: folder.appendingPathComponent(name))
      }
      try Data("not an image".utf8).write(to: folder.appendingPathComponent("notes.txt"))
      let clip = try VideoDecoder().decode(folder)
      #expect(clip.frames == frames)
      #expect(clip.sourceFrameCount == 3)
      #expect(clip.frameRate == nil)

      let sampled = try VideoDecoder().decode(folder, options: VideoDecodingOptions(frameCount: 5))
      #expect(sampled.frameIndices == [0, 1, 1, 2, 2])
      #expect(sampled.frames == [frames[0], frames[1], frames[1], frames[2], frames[2]])
    }
  }

  @Test func imageFolderMixingFormatsAndSizes() throws {
    try Self.withTemporaryFolder { folder in
      let small = Self.syntheticFrame(1, width: 30, height: 20)
      let large = Self.syntheticFrame(2, width: 60, height: 40)
      try Self.bmpBytes(small).write(to: folder.appendingPathComponent("a.bmp"))
      // A PNG made by ffmpeg from a BMP, at twice the size: scaled to the first image's size.
      let bmp = folder.appendingPathComponent("tmp.bmp")
      try Self.bmpBytes(large).write(to: bmp)
      let tools = try FFmpegTools.shared()
      let made = try Subprocess.run(
        tools.ffmpeg, ["-loglevel", "error", "-i", bmp.path, folder.appendingPathComponent("b.png").path])
      #expect(made.status == 0)
      try FileManager.default.removeItem(at: bmp)
      try Self.bmpBytes(small).write(to: folder.appendingPathComponent("c.bmp"))

      let clip = try VideoDecoder().decode(folder)
      #expect(clip.frames.count == 3)
      #expect(clip.frames.allSatisfy { $0.width == 30 && $0.height == 20 })
      #expect(clip.frames[0] == small && clip.frames[2] == small)
      #expect(Self.meanAbsDifference(clip.frames[1], Self.syntheticFrame(2, width: 30, height: 20)) < 3)
    }
  }

  @Test func badSourcesThrowErrorsNamingTheFile() throws {
    try Self.withTemporaryFolder { folder in
      let decoder = try VideoDecoder()
      var rng = SeededRNG(seed: 7)
      let corrupt = folder.appendingPathComponent("corrupt.avi")
      try Data((0..<20_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).write(to: corrupt)
      let empty = folder.appendingPathComponent("empty.mp4")
      try Data().write(to: empty)
      let missing = folder.appendingPathComponent("missing.avi")
      let noImages = folder.appendingPathComponent("no-images")
      try FileManager.default.createDirectory(at: noImages, withIntermediateDirectories: false)
      let badImages = folder.appendingPathComponent("bad-images")
      try FileManager.default.createDirectory(at: badImages, withIntermediateDirectories: false)
      try Self.bmpBytes(Self.syntheticFrame(0)).write(to: badImages.appendingPathComponent("1.bmp"))
      try Data(repeating: 7, count: 3000).write(to: badImages.appendingPathComponent("2.bmp"))

      let cases: [(URL, (VideoIOError) -> Bool)] = [
        (corrupt, { if case .unreadable(let p, _) = $0 { return p == corrupt.path } else { return false } }),
        (empty, { $0 == .emptyFile(path: empty.path) }),
        (missing, { $0 == .fileNotFound(path: missing.path) }),
        (noImages, { $0 == .noImages(folder: noImages.path) }),
        (badImages, { if case .unreadable(let p, _) = $0 { return p == badImages.path } else { return false } }),
      ]
      for (url, matches) in cases {
        do {
          _ = try decoder.decode(url)
          Issue.record("\(url.lastPathComponent) decoded without an error")
        } catch let error as VideoIOError {
          #expect(matches(error), "\(url.lastPathComponent): unexpected \(error)")
          #expect(error.description.contains(url.path))
        }
      }
    }
  }

  @Test func encoderRefusesBadRequests() throws {
    try Self.withTemporaryFolder { folder in
      let size = FrameSize(width: 64, height: 48)
      #expect(throws: VideoIOError.unsupportedContainer(path: folder.appendingPathComponent("x.gif").path)) {
        _ = try VideoEncoder(url: folder.appendingPathComponent("x.gif"), size: size)
      }
      #expect(throws: VideoIOError.self) {
        _ = try VideoEncoder(url: folder.appendingPathComponent("odd.mp4"), size: FrameSize(width: 63, height: 48))
      }
      let encoder = try VideoEncoder(url: folder.appendingPathComponent("ok.avi"), size: size)
      #expect(throws: VideoIOError.frameSizeMismatch(
        path: folder.appendingPathComponent("ok.avi").path, expected: "64×48", got: "30×20")) {
        try encoder.append(Self.syntheticFrame(0, width: 30, height: 20))
      }
      try encoder.append(Self.syntheticFrame(0))
      try encoder.finish()
      #expect(try VideoDecoder().decode(encoder.url).frames.count == 1)

      // A folder that does not exist: ffmpeg cannot open the output, and says so.
      let nowhere = folder.appendingPathComponent("missing-dir/clip.avi")
      #expect(throws: VideoIOError.self) {
        try VideoEncoder.write([Self.syntheticFrame(0)], to: nowhere)
      }
    }
  }

  @Test func encoderChoosesCodecByContainer() throws {
    let tools = try FFmpegTools.shared()
    #expect(try tools.hasEncoder("mjpeg"))
    #expect(try !tools.hasEncoder("no-such-encoder"))
    try Self.withTemporaryFolder { folder in
      let size = FrameSize(width: 32, height: 24)
      let avi = try VideoEncoder(url: folder.appendingPathComponent("a.avi"), size: size)
      let mp4 = try VideoEncoder(url: folder.appendingPathComponent("b.mp4"), size: size)
      #expect(avi.codec == "mjpeg")
      #expect(mp4.codec == (try tools.hasEncoder("libx264") ? "libx264" : "mpeg4"))
      try avi.finish()
      try mp4.finish()
    }
  }

  @Test func uniformIndices() {
    #expect(uniformFrameIndices(total: 10, count: 4) == [0, 3, 6, 9])
    #expect(uniformFrameIndices(total: 5, count: 1) == [2])
    #expect(uniformFrameIndices(total: 3, count: 5) == [0, 1, 1, 2, 2])
    #expect(uniformFrameIndices(total: 100, count: 16).count == 16)
    #expect(uniformFrameIndices(total: 100, count: 16).last == 99)
  }

  @Test func probeParsingSwapsQuarterTurnedVideo() throws {
    let text = "width=64\nheight=48\navg_frame_rate=30000/1001\nnb_read_packets=12\nrotation=-90\n"
    let probe = try VideoProbe.parse(text, path: "phone.mp4")
    #expect(probe.size == FrameSize(width: 48, height: 64))
    #expect(probe.packetCount == 12)
    #expect(abs((probe.frameRate ?? 0) - 29.97) < 0.01)
    #expect(throws: VideoIOError.unreadable(path: "audio.mp4", detail: "no video stream")) {
      _ = try VideoProbe.parse("", path: "audio.mp4")
    }
  }

  @Test func missingToolIsNamedWithItsPackage() {
    #expect(throws: VideoIOError.toolMissing(tool: "ffmpeg")) {
      _ = try FFmpegTools.executable(named: "ffmpeg", searchPath: "/nonexistent-dir")
    }
    #expect(VideoIOError.toolMissing(tool: "ffmpeg").description.contains("apt-get install ffmpeg"))
  }
}
