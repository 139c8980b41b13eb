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

/// Median wall time in seconds of `repeats` runs of `body`, after `warmup` unmeasured runs.
/// `prepare` runs before each run, outside the timing.
func medianSeconds(warmup: Int = 2, repeats: Int = 7, prepare: () -> Void = {}, _ body: () -> Void) -> Double {
  for _ in 0..<warmup {
    prepare()
    body()
  }
  var times: [Double] = []
  for _ in 0..<repeats {
    prepare()
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
  }
  times.sort()
  return times[times.count / 2]
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
