import ArgumentParser
import FERWorkspace

/// `--threads N` and `--max-memory SIZE`, for every subcommand that computes (one declaration,
/// one check each). Neither changes a result: sessions do not record them.
struct ComputeOptions: ParsableArguments {
  static let threadRange = 1...1024

  // .unconditional: `--threads -3` is a bad count, not a missing value.
  @Option(
    parsing: .unconditional,
    help: "Compute threads, \(threadRange.lowerBound) to \(threadRange.upperBound) (default: the active cores; results do not depend on it).")
  var threads: Int?

  @Option(
    name: .customLong("max-memory"), parsing: .unconditional,
    help: ArgumentHelp(
      "The most memory a training may plan to use, e.g. 8G, 512M (default: three quarters of this machine's memory); a training estimated to need more is refused before it starts.",
      valueName: "size"))
  var maxMemory: String?

  func validate() throws {
    if let threads, !Self.threadRange.contains(threads) {
      throw Failure("--threads \(threads): give \(Self.threadRange.lowerBound) to \(Self.threadRange.upperBound)")
    }
    _ = try maxMemoryBytes()
  }

  /// `--max-memory` in bytes: a number of GiB, or a number with K, M, G or T (binary units).
  func maxMemoryBytes() throws -> Int? {
    guard let text = maxMemory else { return nil }
    let gib = 1_073_741_824.0
    let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": gib, "T": 1024 * gib]
    var number = text.uppercased()
    if number.hasSuffix("IB") { number.removeLast(2) } else if number.hasSuffix("B") { number.removeLast() }
    let unit = number.last.flatMap { units[$0] }
    if unit != nil { number.removeLast() }
    guard let value = Double(number), value.isFinite, value > 0, value * (unit ?? gib) < Double(Int.max / 2) else {
      throw Failure("--max-memory \(text): give a size such as 8G, 512M or 16 (GiB), above 0")
    }
    return Int(value * (unit ?? gib))
  }

  /// The workspace options of a subcommand: `seed`, `session` and these.
  func workspaceOptions(seed: UInt64 = WorkspaceOptions().seed, session: String? = nil) throws -> WorkspaceOptions {
    WorkspaceOptions(seed: seed, sessionPath: session, threads: threads, maxMemory: try maxMemoryBytes())
  }
}
