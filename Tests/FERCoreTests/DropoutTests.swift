import Testing
@testable import FERCore

@Suite("dropout")
struct DropoutTests {
  @Test(arguments: [[7], [2, 3, 5], [3, 4, 3, 3]])
  func gradients(shape: [Int]) {
    let x = parameter(shape, seed: 71)
    // A fresh generator per call: every evaluation of the op draws the same mask.
    checkGradients([x]) { inputs in
      var rng = SeededRNG(seed: 72)
      return inputs[0].dropout(0.4, rng: &rng, training: true)
    }
  }

  @Test func identityWhenNotTrainingOrZeroProbability() {
    let x = parameter([4, 5], seed: 73)
    var rng = SeededRNG(seed: 74)
    let untouched = rng
    #expect(x.dropout(0.5, rng: &rng, training: false) === x)
    #expect(x.dropout(0, rng: &rng, training: true) === x)
    #expect(rng == untouched)  // no random draws either
  }

  @Test(arguments: [Float(0.1), 0.5, 0.8])
  func dropsAboutPAndKeepsTheExpectation(p: Float) {
    let x = Tensor.full([20_000], 2)
    var rng = SeededRNG(seed: 75)
    let y = x.dropout(p, rng: &rng, training: true)
    let dropped = y.data.filter { $0 == 0 }.count
    #expect(abs(Float(dropped) / Float(x.count) - p) < 0.02)
    // Survivors are scaled by 1/(1−p), so the mean stays near 2.
    #expect(y.data.allSatisfy { $0 == 0 || abs($0 - 2 / (1 - p)) < 1e-5 })
    #expect(abs(y.mean().scalar - 2) < 0.1)
  }

  @Test func sameSeedSameMask() {
    let x = parameter([50], seed: 76)
    var a = SeededRNG(seed: 77), b = SeededRNG(seed: 77)
    #expect(x.dropout(0.3, rng: &a, training: true).data == x.dropout(0.3, rng: &b, training: true).data)
    var c = SeededRNG(seed: 80)
    #expect(x.dropout(0.3, rng: &a, training: true).data != x.dropout(0.3, rng: &c, training: true).data)
  }

  @Test func probabilityOneZeroesEverything() {
    let x = parameter([3, 3], seed: 78)
    var rng = SeededRNG(seed: 79)
    let y = x.dropout(1, rng: &rng, training: true)
    #expect(y.data.allSatisfy { $0 == 0 })
    y.sum().backward()
    #expect(x.grad!.allSatisfy { $0 == 0 })
  }
}
