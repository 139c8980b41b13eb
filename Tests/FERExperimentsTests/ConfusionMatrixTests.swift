import Testing
@testable import FERExperiments

@Suite("metrics")
struct ConfusionMatrixTests {
  // 3 classes, 8 samples, worked by hand:
  //            pred 0  1  2
  //   true 0        2  1  0     recall 2/3
  //   true 1        0  3  0     recall 1
  //   true 2        1  0  1     recall 1/2
  let m = ConfusionMatrix(classes: 3, labels: [0, 0, 0, 1, 1, 1, 2, 2], predictions: [0, 0, 1, 1, 1, 1, 0, 2])

  @Test func counts() {
    #expect(m[0, 0] == 2 && m[0, 1] == 1 && m[2, 0] == 1 && m.total == 8)
  }

  @Test func accuracyAndRecall() {
    #expect(abs(m.accuracy - 6.0 / 8) < 1e-12)
    let recalls = m.perClassAccuracy.map { $0 ?? -1 }
    #expect(abs(recalls[0] - 2.0 / 3) < 1e-12 && recalls[1] == 1 && recalls[2] == 0.5)
    #expect(abs(m.unweightedAverageRecall - (2.0 / 3 + 1 + 0.5) / 3) < 1e-12)
  }

  @Test func macroF1() {
    // F1 = 2·TP / (support + predicted): class 0: 4/6, class 1: 6/7, class 2: 2/3.
    let expected = (4.0 / 6 + 6.0 / 7 + 2.0 / 3) / 3
    #expect(abs(m.macroF1 - expected) < 1e-12)
  }

  @Test func rowNormalizedAndEmptyRows() {
    #expect(abs(m.rowNormalized[0][1] - 1.0 / 3) < 1e-12)
    let sparse = ConfusionMatrix(classes: 3, labels: [0, 0], predictions: [0, 1])
    #expect(sparse.perClassAccuracy[1] == nil)
    #expect(sparse.unweightedAverageRecall == 0.5)
    #expect(sparse.rowNormalized[2] == [0, 0, 0])
    #expect(ConfusionMatrix(classes: 2).accuracy == 0)
  }

  @Test func merging() {
    var sum = m
    sum.merge(m)
    #expect(sum.total == 16 && sum[1, 1] == 6)
    #expect(abs(sum.accuracy - m.accuracy) < 1e-12)
  }
}
