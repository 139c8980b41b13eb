import Testing
@testable import FERCore

@Suite("weight and bias initialisers")
struct InitializerTests {
  @Test func fansOfLinearAndConvolutionWeights() {
    #expect(fans(ofWeightShape: [10, 4]) == (4, 10))
    #expect(fans(ofWeightShape: [8, 3, 5, 5]) == (75, 200))
    #expect(fans(ofWeightShape: [6, 2, 3, 1]) == (6, 18))
  }

  // Bounds by hand from PyTorch's formulas for a conv weight [8, 3, 5, 5]: fan_in 75, fan_out 200.
  static let conv: [Int] = [8, 3, 5, 5]
  static let expectedBounds: [(WeightInitializer, Float)] = [
    (.kaimingUniform, 1 / Float(75).squareRoot()),
    (.kaimingUniformReLU, (6 / Float(75)).squareRoot()),
    (.xavierUniform, (6 / Float(275)).squareRoot()),
  ]

  @Test(arguments: expectedBounds)
  func boundsFollowPyTorch(initializer: WeightInitializer, bound: Float) {
    #expect(abs(initializer.bound(forWeightShape: Self.conv) - bound) < 1e-7)
  }

  @Test(arguments: WeightInitializer.allCases)
  func weightsAreUniformWithinTheBound(initializer: WeightInitializer) {
    var rng = SeededRNG(seed: 91)
    let shape = [64, 16, 3, 3]
    let w = initializer.weight(shape, rng: &rng)
    let bound = initializer.bound(forWeightShape: shape)
    #expect(w.shape == shape && w.requiresGrad)
    #expect(w.data.allSatisfy { $0 >= -bound && $0 < bound })
    // U(−b, b): mean 0, variance b²/3; the extremes come close to ±b over 9216 draws.
    let n = Float(w.count)
    let mean = w.data.reduce(0, +) / n
    let variance = w.data.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    #expect(abs(mean) < 0.02 * bound)
    #expect(abs(variance / (bound * bound / 3) - 1) < 0.05)
    #expect((w.data.max() ?? 0) > 0.99 * bound && (w.data.min() ?? 0) < -0.99 * bound)
  }

  @Test func sameSeedSameWeights() {
    var a = SeededRNG(seed: 92), b = SeededRNG(seed: 92), c = SeededRNG(seed: 93)
    let shape = [4, 3, 3, 3], kaiming = WeightInitializer.kaimingUniform
    #expect(kaiming.weight(shape, rng: &a).data == kaiming.weight(shape, rng: &b).data)
    #expect(kaiming.weight(shape, rng: &a).data != kaiming.weight(shape, rng: &c).data)
  }

  @Test func biasWithinOneOverSqrtFanIn() {
    var rng = SeededRNG(seed: 94)
    let bias = Tensor.initialBias(500, fanIn: 75, rng: &rng)
    let bound = 1 / Float(75).squareRoot()
    #expect(bias.shape == [500] && bias.requiresGrad)
    #expect(bias.data.allSatisfy { abs($0) <= bound })
    #expect((bias.data.max() ?? 0) > 0.95 * bound && (bias.data.min() ?? 0) < -0.95 * bound)
  }
}
