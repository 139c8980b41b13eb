import Foundation
@testable import FERVideo

// Reading the committed Farnebäck fixtures (Fixtures/flow, made by
// Benchmarks/peers/make_flow_fixture.py): binary PGM frames, the reference
// flow of cv2.calcOpticalFlowFarneback in Middlebury .flo layout, and a
// manifest with each pair's parameters.

struct FlowFixture: Decodable, CustomStringConvertible {
  let name: String
  let width: Int
  let height: Int
  let pyr_scale: Double
  let levels: Int
  let winsize: Int
  let iterations: Int
  let poly_n: Int
  let poly_sigma: Double
  let gaussian: Bool

  var description: String { name }

  var parameters: FarnebackParameters {
    get throws {
      try FarnebackParameters(
        pyrScale: pyr_scale, levels: levels, windowSize: winsize, iterations: iterations,
        polyN: poly_n, polySigma: poly_sigma, window: gaussian ? .gaussian : .box)
    }
  }

  static var directory: URL {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("flow")
  }

  static let all: [FlowFixture] = {
    struct Manifest: Decodable { let version: Int; let pairs: [FlowFixture] }
    let data = try! Data(contentsOf: directory.appendingPathComponent("manifest.json"))
    return try! JSONDecoder().decode(Manifest.self, from: data).pairs
  }()

  static func named(_ name: String) throws -> FlowFixture {
    guard let fixture = all.first(where: { $0.name == name }) else {
      throw FixtureError(description: "no flow fixture named \(name) in manifest.json")
    }
    return fixture
  }

  func frames() throws -> (GrayImage, GrayImage) {
    (try readPGM(Self.directory.appendingPathComponent("\(name)_0.pgm")),
     try readPGM(Self.directory.appendingPathComponent("\(name)_1.pgm")))
  }

  func referenceFlow() throws -> FlowField {
    try readFlo(Self.directory.appendingPathComponent("\(name).flo"))
  }
}

struct FixtureError: Error, CustomStringConvertible {
  let description: String
}

/// A binary 8-bit PGM (P5, maxval 255, header fields separated by single whitespace).
func readPGM(_ url: URL) throws -> GrayImage {
  let data = try Data(contentsOf: url)
  var fields: [String] = []
  var offset = 0
  while fields.count < 4 {
    var field = ""
    while offset < data.count, !Character(UnicodeScalar(data[offset])).isWhitespace {
      field.append(Character(UnicodeScalar(data[offset])))
      offset += 1
    }
    fields.append(field)
    offset += 1  // the single whitespace after the field
  }
  guard fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
    data.count - offset == width * height
  else { throw FixtureError(description: "\(url.lastPathComponent): not an 8-bit binary PGM (header \(fields))") }
  return GrayImage(width: width, height: height, bytes: [UInt8](data[offset...]))
}

/// A Middlebury .flo file: float32 202021.25, int32 width, int32 height, interleaved (dx, dy) float32.
func readFlo(_ url: URL) throws -> FlowField {
  let data = try Data(contentsOf: url)
  func word(_ i: Int) -> UInt32 {
    data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
  }
  guard data.count >= 12, Float(bitPattern: word(0)) == 202021.25 else {
    throw FixtureError(description: "\(url.lastPathComponent): no .flo magic")
  }
  let width = Int(word(1)), height = Int(word(2))
  guard data.count == 12 + 8 * width * height else {
    throw FixtureError(description: "\(url.lastPathComponent): \(data.count) bytes for \(width)×\(height)")
  }
  var dx = [Float](repeating: 0, count: width * height), dy = dx
  for i in 0..<(width * height) {
    dx[i] = Float(bitPattern: word(3 + 2 * i))
    dy[i] = Float(bitPattern: word(4 + 2 * i))
  }
  return FlowField(width: width, height: height, dx: dx, dy: dy)
}
