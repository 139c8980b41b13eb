import Testing
@testable import FERCore

@Suite("add / sub / mul / div with broadcasting")
struct ArithmeticTests {
  // Same shape, batch broadcast, per-channel broadcast over spatial axes, scalar.
  static let shapePairs: [([Int], [Int])] = [
    ([3, 5], [3, 5]),
    ([2, 3, 4, 5], [1, 3, 1, 1]),
    ([4, 3, 5], [3, 5]),
    ([2, 1, 3], [4, 1]),
    ([7], []),
  ]

  @Test(arguments: shapePairs)
  func gradients(lhs: [Int], rhs: [Int]) {
    let a = parameter(lhs, seed: 1)
    let b = parameter(rhs, seed: 2, low: 0.5, high: 2)  // away from 0 for division
    checkGradients([a, b]) { $0[0] + $0[1] }
    checkGradients([a, b]) { $0[0] - $0[1] }
    checkGradients([a, b]) { $0[0] * $0[1] }
    checkGradients([a, b]) { $0[0] / $0[1] }
  }

  @Test func broadcastValues() {
    let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3], data: [10, 20, 30])
    #expect((a + b).data == [11, 22, 33, 14, 25, 36])
    #expect((a * 2).data == [2, 4, 6, 8, 10, 12])
    let c = Tensor(shape: [2, 1], data: [1, 2])
    #expect((a - c).data == [0, 1, 2, 2, 3, 4])
  }

  @Test func tensorUsedTwiceAccumulates() {
    let a = parameter([4], seed: 3)
    (a * a + a).sum().backward()
    for i in 0..<4 { #expect(abs(a.grad![i] - (2 * a.data[i] + 1)) < 1e-6) }
  }

  @Test func noRecordingWithoutGradients() {
    let a = parameter([3], seed: 4)
    let y = GradientRecording.disabled { a * a }
    #expect(!y.requiresGrad)
    #expect(y.inputs.isEmpty)
  }
}
