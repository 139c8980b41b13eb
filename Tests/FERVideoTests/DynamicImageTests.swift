import FERCore
import Testing
@testable import FERVideo

@Suite("Dynamic images (approximate rank pooling)")
struct DynamicImageTests {
  /// α_t = 2(T − t + 1) − (T + 1)(H_T − H_{t−1}) worked by hand:
  /// T = 1: 2 − 2·1 = 0.
  /// T = 2 (H₂ = 3/2): 4 − 3·3/2 = −1/2; 2 − 3·(3/2 − 1) = 1/2.
  /// T = 3 (H₃ = 11/6): 6 − 4·11/6 = −4/3; 4 − 4·5/6 = 2/3; 2 − 4·1/3 = 2/3.
  /// T = 4 (H₄ = 25/12): 8 − 5·25/12 = −29/12; 6 − 5·13/12 = 7/12; 4 − 5·7/12 = 13/12; 2 − 5·3/12 = 3/4.
  @Test func coefficientsByHand() {
    let byHand: [[Double]] = [[0], [-0.5, 0.5], [-4.0 / 3, 2.0 / 3, 2.0 / 3], [-29.0 / 12, 7.0 / 12, 13.0 / 12, 0.75]]
    for expected in byHand {
      let alphas = rankPoolingCoefficients(frameCount: expected.count)
      #expect(alphas.count == expected.count)
      for (a, e) in zip(alphas, expected) { #expect(abs(a - e) < 1e-12, "T = \(expected.count): \(alphas)") }
    }
  }

  @Test(arguments: [1, 2, 5, 16, 40])
  func coefficientsSumToZero(frameCount: Int) {
    #expect(abs(rankPoolingCoefficients(frameCount: frameCount).reduce(0, +)) < 1e-9)
  }

  /// Frames V_t = a + b·t (per pixel): the constant part cancels and d = b·Σ α_t·t,
  /// with Σ α_t·t = 1/2 for T = 2 (−1/2 + 2·1/2) and 2 for T = 3 (−4/3 + 4/3 + 2).
  @Test(arguments: [(2, 0.5), (3, 2.0)] as [(Int, Float)])
  func linearRamp(frameCount: Int, slope: Float) {
    var rng = SeededRNG(seed: 9)
    let (c, h, w) = (2, 3, 4)
    let a = (0..<(c * h * w)).map { _ in rng.nextUniform(-1, 1) }
    let b = (0..<(c * h * w)).map { _ in rng.nextUniform(-1, 1) }
    let frames = (1...frameCount).flatMap { t in zip(a, b).map { $0 + $1 * Float(t) } }
    let image = dynamicImage(Tensor(shape: [frameCount, c, h, w], data: frames))
    #expect(image.shape == [c, h, w])
    for (value, bi) in zip(image.data, b) { #expect(abs(value - slope * bi) < 1e-5) }
  }

  @Test func staticClipGivesZero() {
    let frame = (0..<12).map { Float($0) }
    let image = dynamicImage(Tensor(shape: [5, 3, 2, 2], data: Array([[Float]](repeating: frame, count: 5).joined())))
    #expect(image.data.allSatisfy { abs($0) < 1e-5 })
  }

  @Test func networkInputScalesByTheLargestMagnitude() {
    let image = Tensor(shape: [1, 2, 2], data: [-4, 2, 0, 1])
    #expect(dynamicImageNetworkInput(image).data == [-1, 0.5, 0, 0.25])
    #expect(dynamicImageNetworkInput(Tensor(shape: [1, 1, 2], data: [0, 0])).data == [0, 0])
  }
}
