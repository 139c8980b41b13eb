import FERCore
import Foundation
import Testing
@testable import FERVideo

/// The window-averaged solves against a direct 2-D evaluation, on an image large enough that
/// the rows are split over the cores (each chunk restarting its running sums).
@Suite("Farnebäck window averaging")
struct FarnebackWindowTests {
  static let (width, height) = (240, 236)

  /// Normal-equation terms of random per-pixel quadratic fits, as NormalEquations.update forms them.
  static func randomEquations(seed: UInt64) -> NormalEquations {
    var rng = SeededRNG(seed: seed)
    var equations = NormalEquations(width: width, height: height)
    for i in 0..<(width * height) {
      let (axx, ayy, axy) = (rng.nextUniform(0.5, 2), rng.nextUniform(0.5, 2), rng.nextUniform(-0.5, 0.5))
      let (bx, by) = (rng.nextUniform(-1, 1), rng.nextUniform(-1, 1))
      let terms = [axx * axx + axy * axy, (ayy + axx) * axy, ayy * ayy + axy * axy, axy * by + axx * bx, ayy * by + axy * bx]
      for c in 0..<5 { equations.terms[i * 5 + c] = terms[c] }
    }
    return equations
  }

  /// Σ weight(dx)·weight(dy)·terms over the window, edges replicated, then Cramer's rule.
  static func directSolve(_ equations: NormalEquations, radius: Int, weight: (Int) -> Double) -> FlowField {
    var flow = FlowField.zero(width: width, height: height)
    for y in 0..<height {
      for x in 0..<width {
        var s = [Double](repeating: 0, count: 5)
        for dy in -radius...radius {
          for dx in -radius...radius {
            let (sx, sy) = (min(max(x + dx, 0), width - 1), min(max(y + dy, 0), height - 1))
            for c in 0..<5 { s[c] += weight(dx) * weight(dy) * Double(equations.terms[(sy * width + sx) * 5 + c]) }
          }
        }
        let det = s[0] * s[2] - s[1] * s[1] + 1e-3
        flow.dx[y * width + x] = Float((s[2] * s[3] - s[1] * s[4]) / det)
        flow.dy[y * width + x] = Float((s[0] * s[4] - s[1] * s[3]) / det)
      }
    }
    return flow
  }

  @Test func boxWindow() {
    let equations = Self.randomEquations(seed: 21)
    var flow = FlowField.zero(width: Self.width, height: Self.height)
    equations.solveBox(windowSize: 15, into: &flow)
    let direct = Self.directSolve(equations, radius: 7) { _ in 1.0 / 15 }
    #expect(flow.meanEndpointError(to: direct) < 1e-5)
    #expect(zip(flow.dx, direct.dx).allSatisfy { abs($0 - $1) < 1e-4 })
  }

  @Test func gaussianWindow() {
    let equations = Self.randomEquations(seed: 22)
    var flow = FlowField.zero(width: Self.width, height: Self.height)
    equations.solveGaussian(windowSize: 11, into: &flow)
    // σ = 0.3·5 = 1.5, taps normalised over −5…5.
    let taps = (-5...5).map { exp(-Double($0 * $0) / (2 * 1.5 * 1.5)) }
    let total = taps.reduce(0, +)
    let direct = Self.directSolve(equations, radius: 5) { taps[$0 + 5] / total }
    #expect(flow.meanEndpointError(to: direct) < 1e-5)
    #expect(zip(flow.dy, direct.dy).allSatisfy { abs($0 - $1) < 1e-4 })
  }
}
