import Foundation

@testable import FERVideo

// Reading the face fixtures written by Benchmarks/peers/make_face_fixture.py:
// binary PGM / PPM images and cases.json with OpenCV's answers.

enum FaceFixtures {
  struct DetectionCase: Decodable {
    let image: String
    let cascade: String
    let scaleFactor: Double
    let minNeighbors: Int
    let minSize: Int
    let detections: [[Int]]
  }

  struct ResizeCase: Decodable {
    let source: String
    let width: Int
    let height: Int
    let expected: String
  }

  struct GrayCase: Decodable {
    let rgb: String
    let gray: String
  }

  struct Cases: Decodable {
    let opencv: String
    let detections: [DetectionCase]
    let resizes: [ResizeCase]
    let gray: GrayCase
  }

  static var folder: URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures/faces")
  }

  static func cases() throws -> Cases {
    try JSONDecoder().decode(Cases.self, from: Data(contentsOf: folder.appendingPathComponent("cases.json")))
  }

  /// A binary PGM (P5) as a luma plane.
  static func pgm(_ name: String) throws -> LumaPlane {
    let (w, h, bytes) = try netpbm(name, magic: "P5", channels: 1)
    return LumaPlane(width: w, height: h, pixels: bytes)
  }

  /// A binary PPM (P6) as an RGB frame.
  static func ppm(_ name: String) throws -> RGBFrame {
    let (w, h, bytes) = try netpbm(name, magic: "P6", channels: 3)
    return RGBFrame(width: w, height: h, pixels: bytes)
  }

  struct BadFixture: Error { let name: String }

  /// Header "Pn\nW H\n255\n" then raw bytes (the script writes no comments).
  private static func netpbm(_ name: String, magic: String, channels: Int) throws -> (Int, Int, [UInt8]) {
    let data = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    var fields: [String] = []
    var i = 0
    while fields.count < 4 {
      while i < data.count, data[i] == 0x20 || data[i] == 0x0A { i += 1 }
      let start = i
      while i < data.count, data[i] != 0x20 && data[i] != 0x0A { i += 1 }
      fields.append(String(decoding: data[start..<i], as: UTF8.self))
    }
    i += 1  // the single whitespace after the maximum value
    guard fields[0] == magic, let w = Int(fields[1]), let h = Int(fields[2]), fields[3] == "255",
      data.count - i == w * h * channels
    else { throw BadFixture(name: name) }
    return (w, h, Array(data[i...]))
  }
}
