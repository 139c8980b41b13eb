import FERCore
// The confusion matrix and the metrics read off it. Rows are true classes,
// columns predicted classes.

/// Counts of (true class, predicted class) pairs.
public struct ConfusionMatrix: Codable, Sendable, Equatable {
  public let classes: Int
  /// Row-major counts [true][predicted].
  public private(set) var counts: [Int]

  public init(classes: Int) {
    precondition(classes > 0, "ConfusionMatrix: needs at least one class")
    self.classes = classes
    counts = [Int](repeating: 0, count: classes * classes)
  }

  /// The most classes, and the largest count, a matrix read from a file may hold: sums of any
  /// row, column or the whole stay far inside Int.
  public static let classLimit = 1000
  public static let countLimit = 1 << 40

  private enum CodingKeys: String, CodingKey { case classes, counts }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    classes = try c.decode(Int.self, forKey: .classes)
    try c.require((1...Self.classLimit).contains(classes), .classes, "a confusion matrix has 1 to \(Self.classLimit) classes, not \(classes)")
    counts = try c.decode([Int].self, forKey: .counts)
    try c.require(counts.count == classes * classes, .counts, "\(classes) classes need \(classes * classes) counts, not \(counts.count)")
    try c.require(counts.allSatisfy { (0...Self.countLimit).contains($0) }, .counts, "counts are whole numbers from 0 to 2^40")
  }

  /// A matrix from paired labels and predictions.
  public init(classes: Int, labels: [Int], predictions: [Int]) {
    self.init(classes: classes)
    precondition(labels.count == predictions.count, "ConfusionMatrix: \(labels.count) labels but \(predictions.count) predictions")
    for (y, p) in zip(labels, predictions) { add(label: y, prediction: p) }
  }

  public mutating func add(label: Int, prediction: Int) {
    precondition((0..<classes).contains(label) && (0..<classes).contains(prediction),
      "ConfusionMatrix: class index out of 0..<\(classes) (label \(label), prediction \(prediction))")
    counts[label * classes + prediction] += 1
  }

  /// Adds another matrix's counts (e.g. summing folds).
  public mutating func merge(_ other: ConfusionMatrix) {
    precondition(other.classes == classes, "ConfusionMatrix: cannot merge \(other.classes) classes into \(classes)")
    for i in counts.indices { counts[i] += other.counts[i] }
  }

  public subscript(label: Int, prediction: Int) -> Int { counts[label * classes + prediction] }

  public var total: Int { counts.reduce(0, +) }
  private func rowTotal(_ r: Int) -> Int { (0..<classes).reduce(0) { $0 + self[r, $1] } }
  private func columnTotal(_ c: Int) -> Int { (0..<classes).reduce(0) { $0 + self[$1, c] } }

  /// Fraction of all samples on the diagonal (0 when empty).
  public var accuracy: Double {
    total == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + self[$1, $1] }) / Double(total)
  }

  /// Recall of each class (nil for a class with no samples).
  public var perClassAccuracy: [Double?] {
    (0..<classes).map { r in
      let n = rowTotal(r)
      return n == 0 ? nil : Double(self[r, r]) / Double(n)
    }
  }

  /// Unweighted average recall: the mean of per-class accuracies over classes that occur.
  public var unweightedAverageRecall: Double {
    let recalls = perClassAccuracy.compactMap { $0 }
    return recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
  }

  /// Macro-averaged F1 over classes that occur as labels or predictions; a class
  /// with no true positives scores 0.
  public var macroF1: Double {
    var scores: [Double] = []
    for c in 0..<classes {
      let (support, predicted) = (rowTotal(c), columnTotal(c))
      guard support + predicted > 0 else { continue }
      scores.append(2 * Double(self[c, c]) / Double(support + predicted))
    }
    return scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
  }

  /// Each row divided by its total (rows with no samples stay 0).
  public var rowNormalized: [[Double]] {
    (0..<classes).map { r in
      let n = rowTotal(r)
      return (0..<classes).map { n == 0 ? 0 : Double(self[r, $0]) / Double(n) }
    }
  }
}
