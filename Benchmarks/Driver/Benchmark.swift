import Foundation

import FERSystem

// The benchmark registry and the timing and table helpers every benchmark shares.
// A new benchmark is a file declaring `extension Benchmark { static let name = Benchmark(...) }`
// plus its entry in `all`.

struct Benchmark: Sendable {
  /// What `ferlab-bench [name-filter]` matches against.
  let name: String
  /// One line printed above the benchmark's output.
  let summary: String
  /// Prints its tables with `say` and returns its figures for `--json` (nil: none).
  let run: @Sendable (BenchOptions) -> [String: Any]?

  /// Every benchmark, in the order they run.
  static let all: [Benchmark] = [.conv, .stream, .preprocess]
}

/// The driver's options (main.swift parses them).
struct BenchOptions: Sendable {
  /// Print one JSON object of every benchmark's figures on stdout; the tables go to stderr.
  var json = false
  /// Pairs of steps per paired comparison (at least 6 for an interval; 15 or more for a tight one).
  var pairs = 21
  /// Measure the torch.compile peer too, where it compiles within `compileTimeout` seconds.
  var compiledPeer = true
  var compileTimeout = 300.0
}

/// Where the tables go: stdout, or stderr under `--json` (stdout then holds only the JSON).
nonisolated(unsafe) var sayToStandardError = false

/// Prints a line of a benchmark's report.
func say(_ text: String) {
  if sayToStandardError {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  } else {
    print(text)
  }
}

/// One timed piece of work; `prepare` runs before each run, outside the timing.
struct TimedCase {
  var prepare: () -> Void = {}
  let body: () -> Void
}

/// Median wall time in seconds of each case over `repeats` rounds, after `warmup` unmeasured rounds.
/// The cases take turns within every round, so a burst of load from other processes on a
/// shared machine hits all of them alike and their ratios stay meaningful.
func medianSeconds(_ cases: [TimedCase], warmup: Int = 2, repeats: Int = 9) -> [Double] {
  var times = [[Double]](repeating: [], count: cases.count)
  for round in 0..<(warmup + repeats) {
    for (i, timed) in cases.enumerated() {
      timed.prepare()
      let start = DispatchTime.now().uptimeNanoseconds
      timed.body()
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
      if round >= warmup { times[i].append(seconds) }
    }
  }
  return times.map { $0.sorted()[$0.count / 2] }
}

/// Median wall time in seconds of one piece of work.
func medianSeconds(warmup: Int = 2, repeats: Int = 7, prepare: @escaping () -> Void = {}, _ body: @escaping () -> Void) -> Double {
  medianSeconds([TimedCase(prepare: prepare, body: body)], warmup: warmup, repeats: repeats)[0]
}

/// A plain-text table with right-aligned columns (the first column left-aligned).
struct Table {
  let header: [String]
  var rows: [[String]] = []

  init(_ header: String...) { self.header = header }

  mutating func add(_ cells: String...) { rows.append(cells) }

  func render() -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return column == 0 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
  }
}

/// A number with `digits` decimals.
func fixed(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
