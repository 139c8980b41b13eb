// Subjects are named by strings ("7", "subject 12", "alice"). Sorting them as
// plain strings puts "10" before "2"; every list of subjects in FERLab (the
// dataset's, the folds') uses this natural order instead, so subject 2 comes
// before subject 10 and the order never depends on the file system.

/// Natural order: runs of digits compare by value, other runs by Unicode scalars;
/// ties (e.g. "07" vs "7") fall back to plain string order so the order is total.
public func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
  let a = naturalRuns(lhs)
  let b = naturalRuns(rhs)
  for (x, y) in zip(a, b) where x != y {
    switch (x, y) {
    case (.number(let m, _), .number(let n, _)) where m != n: return m < n
    case (.number, .text): return true
    case (.text, .number): return false
    default: return x.text < y.text
    }
  }
  return a.count != b.count ? a.count < b.count : lhs < rhs
}

private enum NaturalRun: Equatable {
  case number(UInt64, String)
  case text(String)

  var text: String {
    switch self {
    case .number(_, let s), .text(let s): s
    }
  }
}

private func naturalRuns(_ s: String) -> [NaturalRun] {
  var runs: [NaturalRun] = []
  var current = ""
  var inDigits = false
  func flush() {
    guard !current.isEmpty else { return }
    // Digit runs too long for UInt64 compare as saturated values, then by text.
    runs.append(inDigits ? .number(UInt64(current) ?? .max, current) : .text(current))
    current = ""
  }
  for ch in s {
    let isDigit = ch.isASCII && ch.isNumber
    if isDigit != inDigits {
      flush()
      inDigits = isDigit
    }
    current.append(ch)
  }
  flush()
  return runs
}
