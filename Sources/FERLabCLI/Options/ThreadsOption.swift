import ArgumentParser

/// `--threads N`, for every subcommand that computes (one declaration, one check).
struct ThreadsOption: ParsableArguments {
  static let range = 1...1024

  // .unconditional: `--threads -3` is a bad count, not a missing value.
  @Option(
    parsing: .unconditional,
    help: "Compute threads, \(range.lowerBound) to \(range.upperBound) (default: the active cores; results do not depend on it).")
  var threads: Int?

  func validate() throws {
    if let threads, !Self.range.contains(threads) {
      throw Failure("--threads \(threads): give \(Self.range.lowerBound) to \(Self.range.upperBound)")
    }
  }
}
