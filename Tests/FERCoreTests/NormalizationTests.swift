import Foundation
import Testing
@testable import FERCore

@Suite("group norm and batch norm")
struct NormalizationTests {
  // [N, C, H, W] with odd sizes, planes shorter and longer than one SIMD block, [N, C], one group, C groups.
  static let groupShapes: [([Int], Int)] = [
    ([2, 6, 3, 5], 3), ([3, 4], 2), ([1, 4, 7, 1], 4), ([2, 5, 2, 2], 1), ([2, 8, 5, 5], 4), ([3, 2, 17], 2),
  ]

  @Test(arguments: groupShapes)
  func groupNormGradients(shape: [Int], groups: Int) {
    let x = parameter(shape, seed: 41, low: -2, high: 2)
    let w = parameter([shape[1]], seed: 42, low: 0.5, high: 1.5)
    let b = parameter([shape[1]], seed: 43)
    checkGradients([x, w, b]) { Tensor.groupNorm($0[0], groups: groups, weight: $0[1], bias: $0[2]) }
  }

  @Test func groupNormMatchesTorch() {
    for (n, c) in CoreReferences.shared.groupNorm.enumerated() {
      let x = Tensor(shape: c.shape, data: c.x, requiresGrad: true)
      let w = Tensor(shape: [c.shape[1]], data: c.weight, requiresGrad: true)
      let b = Tensor(shape: [c.shape[1]], data: c.bias, requiresGrad: true)
      let y = Tensor.groupNorm(x, groups: c.groups, weight: w, bias: b)
      (y * Tensor(shape: c.shape, data: c.direction)).sum().backward()
      expectMatches(y.data, c.y, "case \(n) y")
      expectMatches(x.grad, c.dx, "case \(n) dx")
      expectMatches(w.grad, c.dweight, "case \(n) dweight")
      expectMatches(b.grad, c.dbias, "case \(n) dbias")
    }
  }

  @Test func groupNormOfConstantGroupIsTheShift() {
    // Zero variance: (x − μ) = 0 exactly, so y = b whatever ε is.
    let x = Tensor.full([2, 4, 3, 3], 7.25)
    let w = Tensor(shape: [4], data: [2, -1, 3, 0.5])
    let b = Tensor(shape: [4], data: [0.5, -1.5, 2, 0])
    let y = Tensor.groupNorm(x, groups: 2, weight: w, bias: b)
    for i in 0..<y.count { #expect(y.data[i] == b.data[(i / 9) % 4]) }
  }

  @Test func groupNormSurvivesLargeMeans() {
    // μ ≫ σ: a one-pass E[x²] − E[x]² in Float would lose σ entirely.
    let base = parameter([2, 4, 5, 5], seed: 44)
    let shifted = Tensor(shape: base.shape, data: base.data.map { $0 + 3000 })
    let ones = Tensor.full([4], 1), zeros = Tensor.zeros([4])
    let a = Tensor.groupNorm(base, groups: 2, weight: ones, bias: zeros)
    let b = Tensor.groupNorm(shifted, groups: 2, weight: ones, bias: zeros)
    expectMatches(b.data, a.data, rtol: 1e-2, atol: 2e-3, "shifted input")
  }

  static let batchShapes: [[Int]] = [[3, 4, 2, 3], [5, 3], [2, 3, 5, 7], [4, 2, 19]]

  @Test(arguments: batchShapes)
  func batchNormGradients(shape: [Int]) {
    let x = parameter(shape, seed: 51, low: -2, high: 2)
    let w = parameter([shape[1]], seed: 52, low: 0.5, high: 1.5)
    let b = parameter([shape[1]], seed: 53)
    let state = BatchNormState(channels: shape[1])
    checkGradients([x, w, b]) { Tensor.batchNorm($0[0], weight: $0[1], bias: $0[2], state: state, training: true) }
    // Evaluation with running statistics away from 0 and 1.
    state.runningMean = (0..<shape[1]).map { Float($0) * 0.3 - 0.2 }
    state.runningVariance = (0..<shape[1]).map { Float($0) * 0.5 + 0.4 }
    checkGradients([x, w, b]) { Tensor.batchNorm($0[0], weight: $0[1], bias: $0[2], state: state, training: false) }
  }

  @Test func batchNormMatchesTorch() {
    for (n, c) in CoreReferences.shared.batchNorm.enumerated() {
      let channels = c.shape[1]
      let state = BatchNormState(channels: channels)
      let w = Tensor(shape: [channels], data: c.weight, requiresGrad: true)
      let b = Tensor(shape: [channels], data: c.bias, requiresGrad: true)
      for (s, step) in c.steps.enumerated() {
        w.zeroGrad(); b.zeroGrad()
        let x = Tensor(shape: c.shape, data: step.x, requiresGrad: true)
        let y = Tensor.batchNorm(x, weight: w, bias: b, state: state, training: step.training)
        (y * Tensor(shape: c.shape, data: step.direction)).sum().backward()
        let label = "case \(n) step \(s) (\(step.training ? "train" : "eval"))"
        expectMatches(y.data, step.y, "\(label) y")
        expectMatches(x.grad, step.dx, "\(label) dx")
        expectMatches(w.grad, step.dweight, "\(label) dweight")
        expectMatches(b.grad, step.dbias, "\(label) dbias")
        expectMatches(state.runningMean, step.runningMean, "\(label) running mean")
        expectMatches(state.runningVariance, step.runningVar, "\(label) running variance")
      }
      #expect(state.batchesTracked == c.steps.filter(\.training).count)
    }
  }

  @Test func batchNormStateRoundTripsThroughCodable() throws {
    let state = BatchNormState(channels: 3, momentum: 0.2, epsilon: 1e-3)
    _ = Tensor.batchNorm(
      parameter([4, 3, 2, 2], seed: 54), weight: Tensor.full([3], 1), bias: Tensor.zeros([3]), state: state, training: true)
    let copy = try JSONDecoder().decode(BatchNormState.self, from: JSONEncoder().encode(state))
    #expect(copy.runningMean == state.runningMean)
    #expect(copy.runningVariance == state.runningVariance)
    #expect(copy.batchesTracked == 1 && copy.momentum == 0.2 && copy.epsilon == 1e-3)
  }

  @Test func batchNormEvaluationLeavesRunningStatistics() {
    let state = BatchNormState(channels: 2)
    let y = Tensor.batchNorm(
      Tensor(shape: [1, 2, 1, 2], data: [1, 3, -2, 4]), weight: Tensor(shape: [2], data: [2, 1]),
      bias: Tensor(shape: [2], data: [0, 1]), state: state, training: false)
    // Running mean 0, variance 1: y = w·x/√(1 + ε) + b.
    let scale = 1 / (1 + state.epsilon).squareRoot()
    expectMatches(y.data, [2 * scale, 6 * scale, 1 - 2 * scale, 1 + 4 * scale], rtol: 1e-6, "y")
    #expect(state.runningMean == [0, 0] && state.runningVariance == [1, 1] && state.batchesTracked == 0)
  }
}
