import Foundation
import Testing
@testable import FERCore

@Suite("softmax cross-entropy and softmax")
struct LossTests {
  static let cases: [(n: Int, k: Int, weighted: Bool)] = [(1, 3, false), (5, 4, false), (7, 6, true), (4, 2, true)]

  @Test(arguments: cases)
  func crossEntropyGradients(n: Int, k: Int, weighted: Bool) {
    let logits = parameter([n, k], seed: 61, low: -3, high: 3)
    let labels = (0..<n).map { ($0 * 5 + 2) % k }
    let weights = weighted ? (0..<k).map { 0.25 + Float($0) * 0.5 } : nil
    checkGradients([logits]) { Tensor.softmaxCrossEntropy(logits: $0[0], labels: labels, classWeights: weights) }
  }

  @Test func crossEntropyMatchesTorch() {
    for (n, c) in CoreReferences.shared.crossEntropy.enumerated() {
      let logits = Tensor(shape: c.shape, data: c.logits, requiresGrad: true)
      let loss = Tensor.softmaxCrossEntropy(logits: logits, labels: c.labels, classWeights: c.classWeights)
      loss.backward()
      expectMatches(loss.data, [c.loss], "case \(n) loss")
      expectMatches(logits.grad, c.dlogits, "case \(n) dlogits")
    }
  }

  @Test func crossEntropyHandValues() {
    // Two equal logits: loss = log 2. Logits (0, log 3) with label 1: p = 3/4, loss = log(4/3).
    let even = Tensor.softmaxCrossEntropy(logits: Tensor(shape: [1, 2], data: [5, 5]), labels: [0])
    #expect(abs(even.scalar - Float(log(2.0))) < 1e-6)
    let logits = Tensor(shape: [2, 2], data: [5, 5, 0, Float(log(3.0))], requiresGrad: true)
    let loss = Tensor.softmaxCrossEntropy(logits: logits, labels: [0, 1], classWeights: [1, 3])
    // Weighted mean (1·log 2 + 3·log(4/3)) / 4.
    #expect(abs(loss.scalar - Float((log(2.0) + 3 * log(4.0 / 3)) / 4)) < 1e-6)
    loss.backward()
    // ∂/∂z = w/W·(p − onehot): row 0 (1/4)(½ − 1, ½), row 1 (3/4)(¼, ¾ − 1).
    expectMatches(logits.grad, [-0.125, 0.125, 0.1875, -0.1875], rtol: 1e-5, atol: 1e-7, "gradient")
  }

  @Test func crossEntropyIsStableForHugeLogits() {
    let logits = Tensor(shape: [2, 3], data: [1e30, -1e30, 0, 88, 89, 90], requiresGrad: true)
    let loss = Tensor.softmaxCrossEntropy(logits: logits, labels: [0, 2])
    #expect(loss.scalar.isFinite)
    loss.backward()
    #expect(logits.grad!.allSatisfy { $0.isFinite })
  }

  @Test func zeroTotalWeightGivesZeroLossAndNoGradient() {
    let logits = parameter([3, 3], seed: 62)
    let loss = Tensor.softmaxCrossEntropy(logits: logits, labels: [1, 1, 1], classWeights: [1, 0, 2])
    #expect(loss.scalar == 0)
    loss.backward()
    #expect(logits.grad == nil)
  }

  static let softmaxShapes: [[Int]] = [[5], [3, 7], [2, 3, 4], [4, 1]]

  @Test(arguments: softmaxShapes)
  func softmaxGradients(shape: [Int]) {
    let x = parameter(shape, seed: 63, low: -3, high: 3)
    checkGradients([x]) { $0[0].softmax() }
  }

  @Test func softmaxMatchesTorch() {
    for (n, c) in CoreReferences.shared.softmax.enumerated() {
      let x = Tensor(shape: c.shape, data: c.x, requiresGrad: true)
      let y = x.softmax()
      (y * Tensor(shape: c.shape, data: c.direction)).sum().backward()
      expectMatches(y.data, c.y, "case \(n) y")
      expectMatches(x.grad, c.dx, "case \(n) dx")
    }
  }

  @Test func softmaxRowsSumToOneAtExtremes() {
    let y = Tensor(shape: [2, 3], data: [1000, -1000, 999, -5e4, -5e4, -5e4]).softmax()
    #expect(y.data.allSatisfy { $0.isFinite })
    expectMatches([y.data[0...2].reduce(0, +), y.data[3...5].reduce(0, +)], [1, 1], rtol: 1e-6, "row sums")
    expectMatches(Array(y.data[3...5]), [1 / 3, 1 / 3, 1 / 3], rtol: 1e-6, "equal logits")
  }
}
