import FERCore
import FERModels
import FERSystem
import Foundation

// The (Enhanced) ConvLSTM stream at bench-small (3×48×48, T = 16, batch 4,
// channels 16/32/48/64, kernels 5/5/3/3, GN groups 4, head 256/128/6): one
// training step (forward + backward + Adam) and one inference forward, ours
// against the PyTorch peer (Benchmarks/peers/stream_peer.py) on as many threads as ours.
//
// The peer is a persistent process that takes one step when asked. Steps
// alternate, ours then the peer's (A B A B …), and each adjacent pair gives one
// ratio ours / peer measured under the same load; the figure is the median
// ratio over the pairs with its distribution-free 95 % interval
// (PairedRatios.swift). A short pause between steps lets the other side's
// threads go idle before the next step starts. Both sides also report the CPU
// seconds their process spent in the step (all threads): their ratio says how
// the arithmetic compares when the machine is too loaded for wall times to say
// it (an OpenMP runtime waiting on a descheduled thread loses far more wall time
// than CPU time). Where torch.compile (inductor)
// compiles the peer's model within the time box, the compiled peer is measured
// the same way, as a second peer; else it is reported as skipped with the reason.

extension Benchmark {
  static let stream = Benchmark(
    name: "stream",
    summary: "(Enhanced) ConvLSTM stream at bench-small: training step and inference, paired with the PyTorch peer",
    run: runStreamBenchmark)
}

/// The two cells measured, by name, and the value of the three switches.
private let cells: [(name: String, switches: Bool)] = [("enhanced", true), ("conventional", false)]

private func runStreamBenchmark(_ options: BenchOptions) -> [String: Any]? {
  let python = ProcessInfo.processInfo.environment["PEER_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
  let script = repositoryRoot.appendingPathComponent("Benchmarks/peers/stream_peer.py").path
  var result: [String: Any] = ["pairs": options.pairs, "interval": PairedRatios.method]
  var table = Table("cell", "peer", "ours train ms", "peer train ms", "train ratio [95 %]", "ours infer ms",
    "peer infer ms", "infer ratio [95 %]")
  for cell in cells {
    let ours = OurStream(switches: cell.switches)
    var cellResult: [String: Any] = [:]
    guard let python else {
      // No peer: our own times only.
      for _ in 0..<2 { _ = (ours.train(), ours.infer()) }
      let train = (0..<options.pairs).map { _ in ours.train() }
      let infer = (0..<options.pairs).map { _ in ours.infer() }
      for (step, times) in [("train", train), ("infer", infer)] {
        cellResult["ours_\(step)_ms"] = rounded(1e3 * median(times.map(\.wall)), 1)
        cellResult["ours_\(step)_cpu_ms"] = rounded(1e3 * median(times.map(\.cpu)), 1)
      }
      say(
        "\(cell.name): training step \(fixed(1e3 * median(train.map(\.wall)))) ms (CPU \(fixed(1e3 * median(train.map(\.cpu)))) ms), "
          + "inference \(fixed(1e3 * median(infer.map(\.wall)))) ms (CPU \(fixed(1e3 * median(infer.map(\.cpu)))) ms)")
      table.add(
        cell.name, "—", fixed(1e3 * median(train.map(\.wall))), "—", "—", fixed(1e3 * median(infer.map(\.wall))), "—", "—")
      result[cell.name] = cellResult
      continue
    }
    let arguments = [script, "--switches", cell.switches ? "on" : "off", "--threads", "\(ComputeThreads.count)"]
    let kinds: [(label: String, extra: [String], timeout: Double)] =
      [("eager", [], 120)] + (options.compiledPeer ? [("compiled", ["--compile"], options.compileTimeout)] : [])
    for kind in kinds {
      say("\(cell.name), PyTorch \(kind.label): starting the peer…")
      // One compile thread: the compiler stays in the peer's process, so stopping it stops everything.
      let started = StepPeer.start(
        python, arguments + kind.extra, environment: ["TORCHINDUCTOR_COMPILE_THREADS": "1"], timeout: kind.timeout)
      guard case .success(let peer) = started else {
        if case .failure(let why) = started {
          say("\(cell.name), PyTorch \(kind.label): skipped (\(why.reason))")
          cellResult[kind.label] = ["skipped": why.reason]
        }
        table.add(cell.name, kind.label, "—", "—", "skipped", "—", "—", "skipped")
        continue
      }
      defer { peer.stop() }
      var measured: [String: Any] = [
        "torch": peer.greeting["torch"] ?? "?", "threads": peer.greeting["threads"] ?? 0,
        "setup_s": rounded(peer.greeting["setup_s"] as? Double ?? .nan, 1),
      ]
      var texts: [String] = []
      for (step, ourStep) in [("train", ours.train), ("infer", ours.infer)] {
        let pairs = pairedSteps(options.pairs, ours: ourStep, peer: { peer.step(step) })
        guard let pairs else {
          measured["failed"] = "the peer stopped answering during \(step)"
          break
        }
        measured["\(step)_ratio"] = pairs.ratios.json
        measured["\(step)_cpu_ratio"] = pairs.cpuRatios.json
        measured["ours_\(step)_ms"] = rounded(1e3 * median(pairs.ours.map(\.wall)), 1)
        measured["peer_\(step)_ms"] = rounded(1e3 * median(pairs.peer.map(\.wall)), 1)
        measured["ours_\(step)_cpu_ms"] = rounded(1e3 * median(pairs.ours.map(\.cpu)), 1)
        measured["peer_\(step)_cpu_ms"] = rounded(1e3 * median(pairs.peer.map(\.cpu)), 1)
        texts += [
          fixed(1e3 * median(pairs.ours.map(\.wall))), fixed(1e3 * median(pairs.peer.map(\.wall))), pairs.ratios.text,
        ]
        say(
          "\(cell.name), PyTorch \(kind.label), \(step): ratio \(pairs.ratios.text), CPU time ratio \(pairs.cpuRatios.text)")
      }
      while texts.count < 6 { texts.append("—") }
      table.add(cell.name, kind.label, texts[0], texts[1], texts[2], texts[3], texts[4], texts[5])
      if kind.label == "eager" {
        // The figures the targets are stated in: against PyTorch eager.
        for key in ["train_ratio", "infer_ratio"] { cellResult[key] = measured[key] }
      }
      cellResult[kind.label] = measured
    }
    result[cell.name] = cellResult
  }
  say(table.render())
  say("ratio = ours / PyTorch, per pair of adjacent steps; median over \(options.pairs) pairs [\(PairedRatios.method)]")
  say("below 1: ours is faster; target for the training step: upper end ≤ 0.67 against eager")
  if python == nil { say("(PyTorch peer skipped: set PEER_PYTHON or run `make peer-env` first)") }
  return result
}

/// `count` pairs of (our step, the peer's step), with a pause of 50 ms before each step;
/// two unmeasured pairs first. Nil when the peer stops answering.
private func pairedSteps(
  _ count: Int, ours: () -> StepTime, peer: () -> StepTime?
) -> (ratios: PairedRatios, cpuRatios: PairedRatios, ours: [StepTime], peer: [StepTime])? {
  var (ratios, cpuRatios) = (PairedRatios(), PairedRatios())
  var (oursTimes, peerTimes) = ([StepTime](), [StepTime]())
  for round in 0..<(count + 2) {
    usleep(50_000)
    let a = ours()
    usleep(50_000)
    guard let b = peer() else { return nil }
    guard round >= 2 else { continue }
    oursTimes.append(a)
    peerTimes.append(b)
    ratios.append(a.wall / b.wall)
    cpuRatios.append(a.cpu / b.cpu)
  }
  return (ratios, cpuRatios, oursTimes, peerTimes)
}

/// Our model and optimizer at bench-small, timed one step at a time.
private final class OurStream {
  let model: FERModel
  let parameters: [Tensor]
  let adam = Adam(learningRate: 1e-3)
  let input: ModelInput
  let labels = [0, 1, 2, 3]

  init(switches: Bool) {
    guard var spec = ModelSpec.preset(named: "bench-small") else { fatalError("bench-small preset missing") }
    spec.convLSTM.setSwitches(switches)
    // The preset is valid by construction (ModelSpecTests checks every preset).
    guard let model = try? FERModel(spec: spec, seed: 0) else { fatalError("bench-small does not build") }
    self.model = model
    parameters = model.parameters
    var rng = SeededRNG(seed: 1)
    input = ModelInput(rgb: Tensor.uniform([4, 16, 3, 48, 48], rng: &rng))
  }

  func train() -> StepTime {
    StepTime.of {
      var context = ForwardContext(training: true)
      adam.zeroGrad(parameters)
      Tensor.softmaxCrossEntropy(logits: model(input, &context), labels: labels).backward()
      adam.step(parameters)
    }
  }

  func infer() -> StepTime {
    StepTime.of {
      var context = ForwardContext.evaluation
      _ = GradientRecording.disabled { model(input, &context) }
    }
  }
}

/// The wall time of a step and the CPU time its process spent meanwhile (all threads), in seconds.
struct StepTime {
  let wall: Double
  let cpu: Double

  /// The times of `body` in this process.
  static func of(_ body: () -> Void) -> StepTime {
    let (start, cpu) = (DispatchTime.now().uptimeNanoseconds, processCPUSeconds())
    body()
    return StepTime(
      wall: Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9, cpu: processCPUSeconds() - cpu)
  }
}

/// User + system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
  return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func median(_ values: [Double]) -> Double { PairedRatios(values: values).median }
