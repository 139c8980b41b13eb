import FERCore
import FERModels
import Foundation

// The Enhanced ConvLSTM stream at bench-small (3×48×48, T=16, batch 4,
// channels 16/32/48/64, kernels 5/5/3/3, GN groups 4, head 256/128/6): one
// training step (forward + backward + Adam) and one inference forward, beside
// the PyTorch peer (Benchmarks/peers/bench_stream.py, eager, 2 threads) run in
// the same process tree when PEER_PYTHON names a Python with torch.

extension Benchmark {
  static let stream = Benchmark(
    name: "stream",
    summary: "Enhanced ConvLSTM stream at bench-small: training step and inference, ours vs PyTorch"
  ) {
    var table = Table("cell", "ours train ms", "torch train ms", "ratio", "ours infer ms", "torch infer ms", "ratio")
    for switches in [true, false] {
      let ours = measureStream(switches: switches)
      let peer = runStreamPeer(switches: switches)
      table.add(
        switches ? "enhanced" : "conventional",
        fixed(ours.train), peer.map { fixed($0.train) } ?? "—", peer.map { fixed(ours.train / $0.train, 2) } ?? "—",
        fixed(ours.infer), peer.map { fixed($0.infer) } ?? "—", peer.map { fixed(ours.infer / $0.infer, 2) } ?? "—")
    }
    print(table.render())
    print("ratio = ours / PyTorch time (below 1: faster); target for training: ≤ 0.67")
  }
}

/// Milliseconds per training step and per inference forward, median of 5 after 2 warm-ups.
private func measureStream(switches: Bool) -> (train: Double, infer: Double) {
  guard var spec = ModelSpec.preset(named: "bench-small") else { fatalError("bench-small preset missing") }
  spec.convLSTM.setSwitches(switches)
  // The preset is valid by construction (ModelSpecTests checks every preset).
  guard let model = try? FERModel(spec: spec, seed: 0) else { fatalError("bench-small does not build") }
  var rng = SeededRNG(seed: 1)
  let input = ModelInput(rgb: Tensor.uniform([4, 16, 3, 48, 48], rng: &rng))
  let labels = [0, 1, 2, 3]
  let parameters = model.parameters
  let adam = Adam(learningRate: 1e-3)
  let train = medianSeconds(warmup: 2, repeats: 5) {
    var context = ForwardContext(training: true)
    adam.zeroGrad(parameters)
    Tensor.softmaxCrossEntropy(logits: model(input, &context), labels: labels).backward()
    adam.step(parameters)
  }
  let infer = medianSeconds(warmup: 2, repeats: 5) {
    var context = ForwardContext.evaluation
    _ = GradientRecording.disabled { model(input, &context) }
  }
  return (1e3 * train, 1e3 * infer)
}

/// The peer's figures, or nil (with a note) when no peer Python is configured or it fails.
private func runStreamPeer(switches: Bool) -> (train: Double, infer: Double)? {
  guard let python = ProcessInfo.processInfo.environment["PEER_PYTHON"], !python.isEmpty else {
    print("(PyTorch peer skipped: set PEER_PYTHON or run `make peer-env` first)")
    return nil
  }
  let script = repositoryRoot.appendingPathComponent("Benchmarks/peers/bench_stream.py").path
  guard let json = runPeer(python, [script, "--switches", switches ? "on" : "off"]),
    let train = json["train_step_ms"] as? Double, let infer = json["inference_ms"] as? Double
  else { return nil }
  return (train, infer)
}
