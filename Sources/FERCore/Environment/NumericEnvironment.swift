import Foundation
import FERSystem

/// Everything a result's bits could depend on besides the command lines, the
/// seeds and the data: the CPU, the instruction sets FERLab's kernels use, the
/// BLAS and its kernel family, the compute threads and FERLab's version.
///
/// The promise (README "Same numbers everywhere"): two environments that are
/// both `insidePromise` and run the same FERLab version give the same bits,
/// whatever their CPU model or thread count.
public struct NumericEnvironment: Codable, Sendable, Equatable {
  public struct CPU: Codable, Sendable, Equatable {
    /// e.g. "AuthenticAMD", "GenuineIntel".
    public var vendor: String
    public var family: Int
    public var model: Int
    /// The model name, e.g. "AMD EPYC 9R14 96-Core Processor".
    public var name: String

    public init(vendor: String, family: Int, model: Int, name: String) {
      (self.vendor, self.family, self.model, self.name) = (vendor, family, model, name)
    }
  }

  public struct BLAS: Codable, Sendable, Equatable {
    /// "OpenBLAS"
    public var library: String
    public var version: String
    /// The kernel family it runs, e.g. "Haswell".
    public var kernels: String
    /// Whether FERLab fixed the family (see Sources/CBLAS/README.md).
    public var fixed: Bool

    public init(library: String, version: String, kernels: String, fixed: Bool) {
      (self.library, self.version, self.kernels, self.fixed) = (library, version, kernels, fixed)
    }
  }

  public var cpu: CPU
  /// Which of the instruction sets FERLab's kernels are compiled for the CPU has.
  public var instructionSets: [String]
  public var blas: BLAS
  /// glibc's version: its libm rounds softmax's, Adam's and the schedule's maths.
  public var libc: String
  /// Threads the kernels split work over (results do not depend on it).
  public var threads: Int
  public var ferlab: String

  public init(cpu: CPU, instructionSets: [String], blas: BLAS, libc: String, threads: Int, ferlab: String) {
    (self.cpu, self.instructionSets, self.blas, self.libc, self.threads, self.ferlab) =
      (cpu, instructionSets, blas, libc, threads, ferlab)
  }

  /// What FERLab's kernels are compiled for (`-target-cpu haswell`, Package.swift),
  /// as /proc/cpuinfo names them.
  public static let requiredInstructionSets = ["avx", "avx2", "fma", "f16c", "bmi1", "bmi2"]

  /// The promise holds here: every required instruction set, and OpenBLAS on FERLab's fixed kernels.
  public var insidePromise: Bool { promiseGap == nil }

  /// Why results recorded in `recorded` need not be bit-identical here, or nil when they must be.
  public func reasonResultsMayDiffer(from recorded: NumericEnvironment) -> String? {
    if !recorded.insidePromise { return "the recording ran outside the promise (\(recorded.promiseGap ?? ""))" }
    if !insidePromise { return "this machine is outside the promise (\(promiseGap ?? ""))" }
    if recorded.ferlab != ferlab { return "recorded by FERLab \(recorded.ferlab), replayed by \(ferlab)" }
    if recorded.blas.library != blas.library || recorded.blas.version != blas.version {
      return "recorded with \(recorded.blas.library) \(recorded.blas.version), replayed with \(blas.library) \(blas.version)"
    }
    if recorded.libc != libc { return "recorded with glibc \(recorded.libc), replayed with glibc \(libc)" }
    return nil
  }

  /// The BLAS library named by an environment that was never recorded (a format-1 session).
  public static let unrecorded = "unrecorded"

  var isRecorded: Bool { blas.library != Self.unrecorded }

  /// What keeps this environment outside the promise, or nil.
  public var promiseGap: String? {
    if !isRecorded { return "its numeric environment was not recorded" }
    let missing = Self.requiredInstructionSets.filter { !instructionSets.contains($0) }
    if !missing.isEmpty { return "the CPU lacks \(missing.joined(separator: ", "))" }
    if !blas.fixed || blas.kernels != BLASLibrary.fixedKernelFamily {
      return "OpenBLAS runs its \(blas.kernels) kernels, not FERLab's fixed \(BLASLibrary.fixedKernelFamily)"
    }
    return nil
  }

  /// The rows where two environments differ: (field, recorded, current).
  public func differences(from recorded: NumericEnvironment) -> [(field: String, recorded: String, current: String)] {
    let fields: [(String, (NumericEnvironment) -> String)] = [
      ("CPU vendor", { $0.cpu.vendor }), ("CPU family", { "\($0.cpu.family)" }), ("CPU model", { "\($0.cpu.model)" }),
      ("CPU name", { $0.cpu.name }), ("instruction sets", { $0.instructionSets.joined(separator: " ") }),
      ("BLAS", { $0.isRecorded ? "\($0.blas.library) \($0.blas.version)" : Self.unrecorded }),
      ("BLAS kernels", { $0.isRecorded ? "\($0.blas.kernels)\($0.blas.fixed ? " (fixed)" : " (chosen by OpenBLAS)")" : Self.unrecorded }),
      ("glibc", { $0.libc }), ("compute threads", { "\($0.threads)" }), ("FERLab", { $0.ferlab }),
    ]
    return fields.compactMap { name, value in
      value(recorded) == value(self) ? nil : (name, value(recorded), value(self))
    }
  }

  /// This process's environment.
  public static func current(ferlab: String) -> NumericEnvironment {
    let info = CPUInfo.read()
    return NumericEnvironment(
      cpu: CPU(vendor: info.vendor, family: info.family, model: info.model, name: info.name),
      instructionSets: requiredInstructionSets.filter { info.flags.contains($0) },
      blas: BLAS(
        library: "OpenBLAS", version: BLASLibrary.version, kernels: BLASLibrary.kernelFamily,
        fixed: BLASLibrary.kernelFamilyIsFixed),
      libc: glibcVersion, threads: ComputeThreads.count, ferlab: ferlab)
  }
}

/// "2.36", from confstr(_CS_GNU_LIBC_VERSION) ("glibc 2.36").
private let glibcVersion: String = {
  var buffer = [CChar](repeating: 0, count: 64)
  guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return "unknown" }
  let text = String(cString: buffer)
  return text.hasPrefix("glibc ") ? String(text.dropFirst(6)) : text
}()

/// The first processor's entry of /proc/cpuinfo.
private struct CPUInfo {
  var vendor = "unknown", name = "unknown"
  var family = 0, model = 0
  var flags: Set<String> = []

  static func read() -> CPUInfo {
    var info = CPUInfo()
    let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.isEmpty { break }  // the end of the first processor's entry
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let key = parts[0].trimmingCharacters(in: .whitespaces)
      let value = parts[1].trimmingCharacters(in: .whitespaces)
      switch key {
      case "vendor_id": info.vendor = value
      case "model name": info.name = value
      case "cpu family": info.family = Int(value) ?? 0
      case "model": info.model = Int(value) ?? 0
      case "flags": info.flags = Set(value.split(separator: " ").map(String.init))
      default: break
      }
    }
    return info
  }
}
