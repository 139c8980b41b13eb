import Foundation
import Testing

@testable import FERData

@Suite("SyntheticSpec")
struct SyntheticSpecTests {
  @Test func presets() {
    let d = SyntheticSpec.default
    #expect([d.subjects, d.clipsPerClass, d.frames, d.size] as [Int] == [43, 5, 16, 48])
    #expect(d.clipCount == 1290)
    let s = SyntheticSpec.small
    #expect([s.subjects, s.clipsPerClass, s.frames, s.size] as [Int] == [10, 2, 8, 32])
    #expect(s.clipCount == 120)
    #expect(SyntheticSpec.presets["default"] == d && SyntheticSpec.presets["small"] == s)
  }

  @Test(arguments: [
    ("subjects", 0), ("subjects", 1001), ("clipsPerClass", 0), ("frames", 3), ("frames", 257), ("size", 15),
    ("size", 257),
  ])
  func rejectsOutOfRange(field: String, value: Int) {
    do {
      _ = try SyntheticSpec.small.with(
        subjects: field == "subjects" ? value : nil, clipsPerClass: field == "clipsPerClass" ? value : nil,
        frames: field == "frames" ? value : nil, size: field == "size" ? value : nil)
      Issue.record("\(field) = \(value) was accepted")
    } catch {
      #expect(error.field == field)
      #expect(error.description.contains("\(field) = \(value)"))
    }
  }

  @Test func rejectsBadNoiseAndHugeSpecs() {
    #expect(throws: SyntheticSpecError.self) { try SyntheticSpec.small.with(noise: -0.1) }
    #expect(throws: SyntheticSpecError.self) { try SyntheticSpec.small.with(noise: .nan) }
    #expect(throws: SyntheticSpecError.self) {
      try SyntheticSpec.small.with(subjects: 1000, clipsPerClass: 100, frames: 64, size: 64)
    }
  }

  @Test func codableRoundTripAndCheckedDecoding() throws {
    let spec = try SyntheticSpec.small.with(seed: 77, noise: 0.05)
    let json = try JSONEncoder().encode(spec)
    #expect(try JSONDecoder().decode(SyntheticSpec.self, from: json) == spec)
    let bad = Data(#"{"subjects":10,"clipsPerClass":2,"frames":2,"size":32,"seed":1,"noise":0}"#.utf8)
    #expect(throws: SyntheticSpecError.self) { try JSONDecoder().decode(SyntheticSpec.self, from: bad) }
    #expect(spec.canonicalJSON.hasPrefix(#"{"clipsPerClass":2,"#))
  }
}
