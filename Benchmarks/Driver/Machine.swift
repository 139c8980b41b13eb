import FERCore
import FERSystem
import Foundation

// What a benchmark ran on, for its first line and its JSON: the CPU's model
// name (/proc/cpuinfo), cores, compute threads, the BLAS kernels, and the load
// average (/proc/loadavg) when it started (and, in the JSON, when it ended).

struct MachineDescription {
  let cpu: String
  let loadAverage: String

  static var current: MachineDescription {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let field = { (name: String) -> String? in
      info.split(separator: "\n").first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":", maxSplits: 1).last }
        .map { $0.trimmingCharacters(in: .whitespaces) }
    }
    var cpu = field("model name") ?? "unknown CPU"
    if let family = field("cpu family"), let model = field("model\t") { cpu += " (family \(family), model \(model))" }
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
      .joined(separator: " ") ?? "?"
    return MachineDescription(cpu: cpu, loadAverage: load)
  }

  var json: [String: Any] {
    [
      "cpu": cpu, "cores": ProcessInfo.processInfo.activeProcessorCount, "compute_threads": ComputeThreads.count,
      "blas": BLASLibrary.configuration, "blas_kernels": BLASLibrary.kernelFamily,
      "blas_kernels_fixed": BLASLibrary.kernelFamilyIsFixed, "load_average": loadAverage,
    ]
  }
}
