// The forget-gate bias starts one higher than the default initialisation gives
// (Gers et al. 2000; Jozefowicz et al. 2015). With f = σ(b) ≈ 0.5 at b ≈ 0 a
// cell keeps half its content per step, so whatever a clip showed a few frames
// before its end has faded from the final state the classifier reads; with
// f ≈ σ(1) ≈ 0.73 it survives long enough for training to find it.

extension Array where Element == Float {
  /// Adds 1 to the forget block (i, f, g, o order) of a gate bias of 4·hidden values.
  mutating func addForgetGateOffset(_ hidden: Int) {
    precondition(count == 4 * hidden, "forget-gate offset: a bias of 4×\(hidden) values, got \(count)")
    for j in hidden..<(2 * hidden) { self[j] += 1 }
  }
}
