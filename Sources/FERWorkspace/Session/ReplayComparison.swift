import Foundation

// Comparing a replayed command with its record: the error, then the events one
// by one (interactive ones aside), field by field through their JSON trees.
// Inside the promise any difference diverges; outside it numbers may differ
// within the tolerance. The first place results part is named in the order
// they were produced: the first differing event, and inside an epoch its first
// differing step.

/// Walks a recorded and a replayed command side by side.
struct Comparison {
  let strict: Bool
  let command: (index: Int, line: String)
  private(set) var largest = 0.0
  private(set) var largestAt: String?
  private(set) var firstParting: String?
  private(set) var divergence: Divergence?

  init(strict: Bool, command: (Int, String)) {
    self.strict = strict
    self.command = command
  }

  var summary: CommandComparison {
    CommandComparison(
      index: command.index, line: command.line, largestDeviation: largest, largestDeviationAt: largestAt,
      firstParting: firstParting, rerun: true)
  }

  /// A difference beyond what is allowed (the first is reported).
  mutating func diverge(field: String, recorded: String, replayed: String) {
    if divergence == nil {
      divergence = Divergence(command: command.index, line: command.line, field: field, recorded: recorded, replayed: replayed)
    }
  }

  /// The recorded and replayed errors (nil: none).
  mutating func compare(error recorded: String?, _ replayed: String?) {
    guard recorded != replayed else { return }
    if firstParting == nil { firstParting = "the error" }
    diverge(field: "error", recorded: recorded ?? "none", replayed: replayed ?? "none")
  }

  /// Compares the events that do not depend on a person's timing.
  mutating func compare(recorded: [WorkspaceEvent], replayed: [WorkspaceEvent]) {
    let a = recorded.filter { !$0.isInteractive }
    let b = replayed.filter { !$0.isInteractive }
    for (i, (x, y)) in zip(a, b).enumerated() {
      var differences: [(field: String, step: Int?)] = []
      walk(JSONValue.encoding(x), JSONValue.encoding(y), at: "", into: &differences, event: i)
      guard firstParting == nil, let first = differences.min(by: Self.earlier) else { continue }
      firstParting = "event \(i + 1) (\(Self.describe(x))) at \(first.field)" + (first.step.map { " (step \($0 + 1))" } ?? "")
    }
    if a.count != b.count {
      if firstParting == nil { firstParting = "event \(min(a.count, b.count) + 1) (one side has no more events)" }
      diverge(field: "events", recorded: "\(a.count) events", replayed: "\(b.count) events")
    }
  }

  /// Steps of an epoch first, in order; then anything else in the order met.
  private static func earlier(_ u: (field: String, step: Int?), _ v: (field: String, step: Int?)) -> Bool {
    switch (u.step, v.step) {
    case (let a?, let b?): a < b
    case (.some, nil): true
    default: false
    }
  }

  private mutating func walk(
    _ a: JSONValue, _ b: JSONValue, at field: String, into differences: inout [(field: String, step: Int?)], event: Int
  ) {
    let place = "events[\(event)]" + (field.isEmpty ? "" : ".\(field)")
    switch (a, b) {
    case (.number(let x), .number(let y)):
      guard x != y else { return }
      let deviation = abs(x - y) / max(abs(x), abs(y), 1e-12)
      differences.append((field, Self.step(in: field)))
      if deviation > largest {
        largest = deviation
        largestAt = place
      }
      if strict || deviation > Replay.tolerance { diverge(field: place, recorded: "\(x)", replayed: "\(y)") }
    case (.object(let x), .object(let y)):
      for key in Set(x.keys).union(y.keys).sorted() {
        let sub = field.isEmpty ? key : "\(field).\(key)"
        guard let u = x[key], let v = y[key] else {
          differences.append((sub, nil))
          diverge(
            field: "events[\(event)].\(sub)", recorded: x[key].map(Self.describe) ?? "absent",
            replayed: y[key].map(Self.describe) ?? "absent")
          continue
        }
        // Weight checksums are bits: outside the promise they are expected to differ.
        if !strict, key == "checksum" { continue }
        walk(u, v, at: sub, into: &differences, event: event)
      }
    case (.array(let x), .array(let y)):
      guard x.count == y.count else {
        differences.append((field, nil))
        return diverge(field: place, recorded: "\(x.count) values", replayed: "\(y.count) values")
      }
      for (i, (u, v)) in zip(x, y).enumerated() { walk(u, v, at: "\(field)[\(i)]", into: &differences, event: event) }
    default:
      guard a != b else { return }
      differences.append((field, nil))
      diverge(field: place, recorded: Self.describe(a), replayed: Self.describe(b))
    }
  }

  /// The step of `record.stepLosses[k]`.
  private static func step(in field: String) -> Int? {
    guard let range = field.range(of: "stepLosses[") else { return nil }
    return Int(field[range.upperBound...].prefix { $0.isNumber })
  }

  /// "epoch 3 of run 1", "epoch 2 of T+S- fold 1 seed 0", or the event's type.
  private static func describe(_ event: WorkspaceEvent) -> String {
    guard case .epoch(let e) = event else { return event.type }
    let owner = e.run.map { "run \($0)" } ?? e.cell.map(NotebookRenderer.cellLabel) ?? "?"
    return "epoch \(e.record.epoch) of \(owner)"
  }

  private static func describe(_ v: JSONValue) -> String {
    switch v {
    case .string(let s): "\"\(s)\""
    case .number(let x): "\(x)"
    case .bool(let b): "\(b)"
    case .null: "null"
    case .array(let a): "\(a.count) values"
    case .object: "an object"
    }
  }
}
