import FERCore
import FERSystem
import Foundation

// ferlab-bench [NAME] [--json] [--pairs N] [--threads N] [--no-compiled] [--compile-timeout S]: runs
// every registered benchmark (Benchmark.swift) whose name contains NAME, or all of them.
//   --json               one JSON object {"machine": …, NAME: figures, …} on stdout; tables on stderr
//   --pairs N            pairs of alternated steps per comparison with a peer (default 21, at least 6)
//   --threads N          compute threads, ours and the peers' (default: the cores)
//   --no-compiled        skip the torch.compile peer
//   --compile-timeout S  give the torch.compile peer S seconds to compile (default 300)

Allocator.keepLargeBlocks()

func usage(_ problem: String) -> Never {
  FileHandle.standardError.write(Data("ferlab-bench: \(problem)\nusage: ferlab-bench [NAME] [--json] [--pairs N] [--threads N] [--no-compiled] [--compile-timeout S]\n".utf8))
  exit(2)
}

var options = BenchOptions()
var filter = ""
var words = CommandLine.arguments.dropFirst()[...]
while let word = words.popFirst() {
  switch word {
  case "--json": options.json = true
  case "--no-compiled": options.compiledPeer = false
  case "--pairs":
    guard let n = words.popFirst().flatMap({ Int($0) }), n >= 6 else { usage("--pairs needs a whole number of at least 6") }
    options.pairs = n
  case "--threads":
    guard let n = words.popFirst().flatMap({ Int($0) }), n >= 1 else { usage("--threads needs a whole number of at least 1") }
    ComputeThreads.set(n)
  case "--compile-timeout":
    guard let s = words.popFirst().flatMap({ Double($0) }), s > 0 else { usage("--compile-timeout needs seconds above 0") }
    options.compileTimeout = s
  case let other where other.hasPrefix("-"): usage("unknown option \(other)")
  default: filter = word
  }
}
sayToStandardError = options.json

let selected = Benchmark.all.filter { filter.isEmpty || $0.name.contains(filter) }
guard !selected.isEmpty else {
  usage("no benchmark matches '\(filter)'; known: \(Benchmark.all.map(\.name).joined(separator: ", "))")
}
let machine = MachineDescription.current
say(
  "ferlab-bench: \(machine.cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, compute threads \(ComputeThreads.count), "
    + "\(BLASLibrary.configuration) on its \(BLASLibrary.kernelFamily) kernels"
    + "\(BLASLibrary.kernelFamilyIsFixed ? " (fixed by FERLab)" : " (chosen by OpenBLAS: FERLAB_BLAS_KERNELS=auto)"), single-threaded per call; "
    + "load average \(machine.loadAverage)")
var figures: [String: Any] = ["machine": machine.json]
for benchmark in selected {
  say("\n== \(benchmark.name): \(benchmark.summary)")
  if let result = benchmark.run(options) { figures[benchmark.name] = result }
}
if options.json {
  var machineAfter = machine.json
  machineAfter["load_average_after"] = MachineDescription.current.loadAverage
  figures["machine"] = machineAfter
  let data = (try? JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])) ?? Data("{}".utf8)
  print(String(decoding: data, as: UTF8.self))
}
