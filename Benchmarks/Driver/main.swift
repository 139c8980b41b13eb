import FERCore
import Foundation
import FERSystem

// ferlab-bench [name-filter]: runs every registered benchmark (Benchmark.swift)
// whose name contains the filter, or all of them.

Allocator.keepLargeBlocks()
let filter = CommandLine.arguments.dropFirst().first ?? ""
let selected = Benchmark.all.filter { filter.isEmpty || $0.name.contains(filter) }
guard !selected.isEmpty else {
  let known = Benchmark.all.map(\.name).joined(separator: ", ")
  FileHandle.standardError.write(Data("ferlab-bench: no benchmark matches '\(filter)'; known: \(known)\n".utf8))
  exit(2)
}
print(
  "ferlab-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, compute threads \(ComputeThreads.count), "
    + "\(BLASLibrary.configuration) on its \(BLASLibrary.kernelFamily) kernels"
    + "\(BLASLibrary.kernelFamilyIsFixed ? " (fixed by FERLab)" : " (chosen by OpenBLAS: FERLAB_BLAS_KERNELS=auto)"), single-threaded per call")
for benchmark in selected {
  print("\n== \(benchmark.name): \(benchmark.summary)")
  benchmark.run()
}
