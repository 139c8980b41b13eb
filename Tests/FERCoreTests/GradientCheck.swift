import Testing
@testable import FERCore

// The one helper every differentiable op goes through: it checks the op's
// analytic gradient against central finite differences.
//
// The op's output y is projected onto a fixed random direction r, giving the
// scalar L = Σ yᵢ·rᵢ (so every output element's gradient is exercised with a
// different weight). The analytic ∂L/∂input comes from `backward()`; the
// numeric one from (L(x+ε) − L(x−ε)) / 2ε, with L accumulated in Double.
// The forward itself runs in Float32, so ε is 1e-2 and agreement is judged as
// |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|), defaults
// rtol = 1e-2, atol = 1e-3.

struct GradientCheckFailure: CustomStringConvertible {
  let input: Int, index: Int, analytic: Double, numeric: Double
  var description: String { "input \(input)[\(index)]: analytic \(analytic), numeric \(numeric)" }
}

/// Checks every input's gradient of `f` (up to `maxProbes` sampled entries per input).
func checkGradients(
  _ inputs: [Tensor], rtol: Double = 1e-2, atol: Double = 1e-3, epsilon: Float = 1e-2,
  maxProbes: Int = 48, seed: UInt64 = 7,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ f: ([Tensor]) -> Tensor
) {
  var rng = SeededRNG(seed: seed)
  let y = f(inputs)
  let r = Tensor.uniform(y.shape, -1, 1, rng: &rng)
  for x in inputs { x.zeroGrad() }
  (y * r).sum().backward()

  func loss() -> Double {
    let out = GradientRecording.disabled { f(inputs) }
    var total = 0.0
    for i in 0..<out.count { total += Double(out.data[i]) * Double(r.data[i]) }
    return total
  }

  var failures: [GradientCheckFailure] = []
  for (n, x) in inputs.enumerated() where x.requiresGrad {
    let analytic = x.grad ?? [Float](repeating: 0, count: x.count)
    var probes = Array(0..<x.count)
    if probes.count > maxProbes {
      var sampler = rng.derived(UInt64(n))
      probes = (0..<maxProbes).map { _ in sampler.nextInt(below: x.count) }
    }
    for i in probes {
      let saved = x.data[i]
      x.data[i] = saved + epsilon
      let plus = loss()
      x.data[i] = saved - epsilon
      let minus = loss()
      x.data[i] = saved
      let numeric = (plus - minus) / (2 * Double(epsilon))
      let a = Double(analytic[i])
      if abs(a - numeric) > atol + rtol * max(abs(a), abs(numeric)) {
        failures.append(GradientCheckFailure(input: n, index: i, analytic: a, numeric: numeric))
      }
    }
  }
  #expect(failures.isEmpty, "gradient mismatches: \(failures.prefix(5))", sourceLocation: sourceLocation)
}

/// A seeded tensor that tracks gradients, values uniform in [-1, 1).
func parameter(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
  var rng = SeededRNG(seed: seed)
  return Tensor.uniform(shape, low, high, rng: &rng, requiresGrad: true)
}
