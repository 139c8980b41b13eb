import Foundation

// The benchmark registry and the timing and table helpers every benchmark shares.
// A new benchmark is a file declaring `extension Benchmark { static let name = Benchmark(...) }`
// plus its entry in `all`.

struct Benchmark: Sendable {
  /// What `ferlab-bench [name-filter]` matches against.
  let name: String
  /// One line printed above the benchmark's output.
  let summary: String
  let run: @Sendable () -> Void

  /// Every benchmark, in the order they run.
  static let all: [Benchmark] = [.conv, .stream, .preprocess]
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
