import Testing

@testable import FERData

@Suite("Dataset and prepared clips")
struct DatasetTests {
  static func clip(_ id: String, subject: String, _ label: Emotion, t: Int = 3, s: Int = 4, value: Float = 0.5) throws
    -> PreparedClip
  {
    try PreparedClip(
      source: ClipSource(id: id, subject: subject, label: label, location: .file(path: "/clips/\(id).avi")),
      frames: TensorValue(shape: [t, 3, s, s], data: [Float](repeating: value, count: t * 3 * s * s)))
  }

  @Test func summaries() throws {
    let clips = try [
      Self.clip("c", subject: "10", .fear), Self.clip("a", subject: "2", .anger), Self.clip("b", subject: "2", .fear),
      Self.clip("d", subject: "1", .surprise),
    ]
    let dataset = try Dataset(name: "test", provenance: "unit", clips: clips)
    #expect(dataset.subjects == ["1", "2", "10"])
    #expect(dataset.classCounts == [1, 0, 2, 0, 0, 1])
    #expect(dataset.sources.map(\.id) == ["d", "a", "b", "c"])  // subject, then class
    #expect(dataset.frameCount == 3 && dataset.size == 4)
    #expect(dataset.clipIndices(subjects: ["2"]) == [1, 2])
    #expect(dataset.fingerprintHex.count == 16)
  }

  @Test func fingerprintFollowsContentNotInputOrder() throws {
    let a = try Self.clip("a", subject: "1", .anger)
    let b = try Self.clip("b", subject: "2", .sadness)
    let one = try Dataset(name: "x", provenance: "p", clips: [a, b])
    #expect(try Dataset(name: "x", provenance: "p", clips: [b, a]).fingerprint == one.fingerprint)
    #expect(try Dataset(name: "x", provenance: "q", clips: [a, b]).fingerprint != one.fingerprint)
    let brighter = try Self.clip("b", subject: "2", .sadness, value: 0.5001)
    #expect(try Dataset(name: "x", provenance: "p", clips: [a, brighter]).fingerprint != one.fingerprint)
    let relabelled = try Self.clip("b", subject: "2", .happiness)
    #expect(try Dataset(name: "x", provenance: "p", clips: [a, relabelled]).fingerprint != one.fingerprint)
  }

  @Test func rejectsBadClipSets() throws {
    #expect(throws: DatasetError.empty(name: "none")) { try Dataset(name: "none", provenance: "", clips: []) }
    let a = try Self.clip("a", subject: "1", .anger)
    #expect(throws: DatasetError.duplicateClipID("a")) {
      try Dataset(name: "x", provenance: "", clips: [a, Self.clip("a", subject: "2", .fear)])
    }
    let other = try Self.clip("b", subject: "1", .fear, t: 4)
    #expect(
      throws: DatasetError.mismatchedClipShapes(
        first: "a", firstShape: [3, 3, 4, 4], other: "b", otherShape: [4, 3, 4, 4])
    ) {
      try Dataset(name: "x", provenance: "", clips: [a, other])
    }
  }

  @Test func framesMustBeSquareRGBClips() {
    let source = ClipSource(id: "x", subject: "1", label: .anger, location: .file(path: "/x.avi"))
    for shape in [[3, 1, 4, 4], [1, 3, 4, 4], [3, 3, 4, 5], [3, 4, 4]] {
      #expect(throws: DatasetError.self) {
        try PreparedClip(
          source: source, frames: TensorValue(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *))))
      }
    }
  }

  @Test func motionShapesAreChecked() throws {
    let clip = try Self.clip("a", subject: "1", .anger)  // T = 3, S = 4
    func value(_ shape: [Int]) -> TensorValue { TensorValue(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *))) }
    let image = value([3, 4, 4]), flowImage = value([2, 4, 4])
    for flowFrames in [2, 3] {
      let prepared = try clip.withMotion(ClipMotion(flow: value([flowFrames, 2, 4, 4]), rgbDynamicImage: image, flowDynamicImage: flowImage))
      #expect(prepared.motion?.flow.shape == [flowFrames, 2, 4, 4])
    }
    #expect(clip.motion == nil)
    #expect(throws: DatasetError.self) {
      try clip.withMotion(ClipMotion(flow: value([1, 2, 4, 4]), rgbDynamicImage: image, flowDynamicImage: flowImage))
    }
    #expect(throws: DatasetError.self) {
      try clip.withMotion(ClipMotion(flow: value([2, 2, 4, 4]), rgbDynamicImage: value([3, 4, 5]), flowDynamicImage: flowImage))
    }
    #expect(throws: DatasetError.self) {  // the flow's dynamic image has the flow's two channels
      try clip.withMotion(ClipMotion(flow: value([2, 2, 4, 4]), rgbDynamicImage: image, flowDynamicImage: image))
    }
    let error = DatasetError.badTensorShape(
      clip: "a", tensor: "flow", shape: [1, 2, 4, 4], expected: "[2 or 3, 2, 4, 4]")
    #expect(error.description.contains("clip a: flow has shape [1, 2, 4, 4]"))
  }

  @Test func tensorValueRoundTrips() {
    let value = TensorValue(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    #expect(TensorValue(value.tensor) == value)
  }
}
