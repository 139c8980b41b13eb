import Foundation
import Testing
@testable import FERCore

@Suite("fast exp, tanh, sigmoid")
struct FastMathTests {
  @Test func expMatchesLibm() {
    var worst = 0.0
    for i in 0...200_000 {
      let x = -87 + Float(i) * (175 / 200_000)
      let reference = Foundation.exp(Double(x))
      worst = max(worst, abs(Double(FastMath.exp(x)) - reference) / reference)
    }
    #expect(worst < 2e-7)
  }

  @Test func tanhAndSigmoidMatchLibm() {
    var worstTanh = 0.0, worstSigmoid = 0.0
    for i in 0...200_000 {
      let x = -30 + Float(i) * (60 / 200_000)
      worstTanh = max(worstTanh, abs(Double(FastMath.tanh(x)) - Foundation.tanh(Double(x))))
      worstSigmoid = max(worstSigmoid, abs(Double(FastMath.sigmoid(x)) - 1 / (1 + Foundation.exp(-Double(x)))))
    }
    #expect(worstTanh < 3e-7)
    #expect(worstSigmoid < 2e-7)
  }

  @Test func lanesMatchTheScalarForms() {
    var rng = SeededRNG(seed: 7)
    for _ in 0..<1_000 {
      var x = FastMath.Lanes(repeating: 0)
      for k in 0..<8 { x[k] = rng.nextUniform(-100, 100) }
      let (e, t, s) = (FastMath.exp(x), FastMath.tanh(x), FastMath.sigmoid(x))
      for k in 0..<8 {
        #expect(e[k] == FastMath.exp(x[k]))
        #expect(t[k] == FastMath.tanh(x[k]))
        #expect(s[k] == FastMath.sigmoid(x[k]))
      }
    }
  }

  @Test func saturatesWithoutNaN() {
    for x: Float in [-1e30, -200, -88, 88, 200, 1e30, .infinity, -.infinity] {
      #expect(FastMath.exp(x).isFinite)
      #expect((-1...1).contains(FastMath.tanh(x)))
      #expect((0...1).contains(FastMath.sigmoid(x)))
    }
    #expect(FastMath.tanh(200) == 1 && FastMath.tanh(-200) == -1)
    #expect(FastMath.exp(.nan).isNaN && FastMath.sigmoid(.nan).isNaN)  // NaN flows through, no trap
  }
}
