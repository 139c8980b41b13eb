import FERCore
import Foundation
import Testing

@testable import FERVideo

// The AVI header read in place of ffprobe must say what ffprobe says about the
// same files: size, frame count and rate; anything it cannot vouch for is left
// to ffprobe.

@Suite("AVI header") struct AVIHeaderTests {
  static func frames(_ count: Int, width: Int, height: Int) -> [RGBFrame] {
    (0..<count).map { k in
      RGBFrame(width: width, height: height, pixels: [UInt8](repeating: UInt8(truncatingIfNeeded: 20 * k), count: width * height * 3))
    }
  }

  @Test(arguments: [(10, 64, 48, 25.0), (17, 48, 48, 30.0), (3, 96, 72, 12.5)])
  func agreesWithFFprobe(_ count: Int, _ width: Int, _ height: Int, _ rate: Double) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-avi-\(UUID().uuidString).avi")
    defer { try? FileManager.default.removeItem(at: url) }
    try VideoEncoder.write(Self.frames(count, width: width, height: height), to: url, frameRate: rate)
    let ours = try #require(AVIHeader.probe(url.path))
    let ffprobe = try VideoProbe.probe(url.path, tools: try FFmpegTools.shared())
    #expect(ours.size == ffprobe.size)
    #expect(ours.packetCount == ffprobe.packetCount)
    #expect(ours.packetCount == count)
    #expect(abs((ours.frameRate ?? 0) - (ffprobe.frameRate ?? -1)) < 1e-9)
  }

  @Test func otherFilesAreLeftToFFprobe() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-avi-\(UUID().uuidString).mp4")
    defer { try? FileManager.default.removeItem(at: url) }
    try VideoEncoder.write(Self.frames(4, width: 32, height: 32), to: url)
    #expect(AVIHeader.probe(url.path) == nil)
    #expect(AVIHeader.probe("/nonexistent/clip.avi") == nil)
    #expect(AVIHeader.parse(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) == nil)
  }

  @Test func truncatedOrOpenDMLHeadersAreLeftToFFprobe() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-avi-\(UUID().uuidString).avi")
    defer { try? FileManager.default.removeItem(at: url) }
    try VideoEncoder.write(Self.frames(5, width: 32, height: 32), to: url)
    let bytes = [UInt8](try Data(contentsOf: url))
    #expect(AVIHeader.parse(bytes) != nil)
    // Cut before the video stream's format chunk: no size, so no probe.
    let strf = try #require(Self.offset(of: "strf", in: bytes))
    #expect(AVIHeader.parse(Array(bytes[..<strf])) == nil)
    // ffmpeg reserves the OpenDML header as a JUNK chunk holding "odml" and turns
    // it into a LIST when the file outgrows 1 GB; then the first header no longer
    // counts every frame.
    let odml = try #require(Self.offset(of: "odml", in: bytes))
    #expect(Array(bytes[(odml - 8)..<(odml - 4)]) == Array("JUNK".utf8))
    var openDML = bytes
    openDML.replaceSubrange((odml - 8)..<(odml - 4), with: Array("LIST".utf8))
    #expect(AVIHeader.parse(openDML) == nil)
  }

  /// A header claiming huge frames is refused by name before any frame is allocated.
  @Test(arguments: [(65535, 65535), (Int(Int32.max), 2), (64, Int(Int32.min) + 1)])
  func claimedFrameSizesAreBounded(_ width: Int, _ height: Int) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-huge-\(UUID().uuidString).avi")
    defer { try? FileManager.default.removeItem(at: url) }
    try VideoEncoder.write(Self.frames(3, width: 16, height: 16), to: url, frameRate: 25)
    var bytes = [UInt8](try Data(contentsOf: url))
    let body = try #require(Self.offset(of: "strf", in: bytes)) + 8
    for (field, value) in [(body + 4, width), (body + 8, height)] {
      let bits = UInt32(bitPattern: Int32(truncatingIfNeeded: value))
      bytes.replaceSubrange(field..<(field + 4), with: (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) })
    }
    try Data(bytes).write(to: url)
    #expect { try VideoDecoder().decode(url) } throws: {
      "\($0)".contains("its header claims \(width)×\(abs(height)) frames") && "\($0)".contains(url.path)
    }
  }

  @Test func craftedBytesNeverTrap() {
    var rng = SeededRNG(seed: 11)
    for length in [0, 4, 11, 12, 20, 64, 300, 4096] {
      var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      if length >= 12 { bytes.replaceSubrange(0..<12, with: Self.riffAVI(size: 0xFFFF_FFFF)) }
      _ = AVIHeader.parse(bytes)
    }
    // Lists nested a thousand deep, each claiming more bytes than the file has.
    var nested = Self.riffAVI(size: 0)
    for _ in 0..<1000 { nested += Array("LIST".utf8) + [0xFF, 0xFF, 0xFF, 0x7F] + Array("hdrl".utf8) }
    #expect(AVIHeader.parse(nested) == nil)
  }

  /// "RIFF", a little-endian size, "AVI ".
  static func riffAVI(size: UInt32) -> [UInt8] {
    Array("RIFF".utf8) + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) } + Array("AVI ".utf8)
  }

  static func offset(of tag: String, in bytes: [UInt8]) -> Int? {
    let t = Array(tag.utf8)
    return (0...(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == t }
  }
}
