import Testing

@testable import FERData

@Suite("Emotion")
struct EmotionTests {
  @Test func indexOrderIsFixed() {
    // Logits, confusion matrices and saved runs depend on this order.
    #expect(Emotion.allCases.map(\.name) == ["anger", "disgust", "fear", "happiness", "sadness", "surprise"])
    #expect(Emotion.allCases.map(\.rawValue) == Array(0..<6))
    #expect(Emotion.allCases.map(\.code) == ["an", "di", "fe", "ha", "sa", "su"])
    #expect(Emotion.count == 6)
  }

  @Test(arguments: [
    ("anger", Emotion.anger), ("ANGER", .anger), (" Anger ", .anger), ("an", .anger), ("angry", .anger),
    ("Disgust", .disgust), ("di", .disgust), ("fe", .fear), ("Fear", .fear), ("fearful", .fear),
    ("happiness", .happiness), ("happy", .happiness), ("HA", .happiness), ("sa", .sadness), ("sad", .sadness),
    ("su", .surprise), ("surp", .surprise), ("surprised", .surprise), ("3_happiness", .happiness),
  ])
  func readsLabels(text: String, expected: Emotion) {
    #expect(Emotion(label: text) == expected)
  }

  @Test(arguments: ["", "s", "a", "neutral", "sentence 1", "subject 3", "contempt", "sample", "videos"])
  func rejectsOtherWords(text: String) {
    #expect(Emotion(label: text) == nil)
  }
}
