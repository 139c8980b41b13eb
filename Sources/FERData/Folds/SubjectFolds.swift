import FERCore

// Subject-independent cross-validation, as eNTERFACE'05 is evaluated: the
// subjects are dealt into k groups; fold g tests on group g and trains on the
// rest, so no face is ever seen in both training and testing.
//
// Dealing: the distinct subjects in natural order are shuffled by
// Fisher–Yates with SeededRNG(seed), then dealt round-robin — the subject at
// shuffled position i joins group i mod k — so group sizes differ by at most
// one and one seed gives one assignment on any machine, whatever order the
// subjects were listed in.

/// A subject → group assignment for leave-one-group-out cross-validation.
public struct SubjectFolds: Codable, Sendable, Equatable {
  /// The seed the subjects were shuffled with.
  public let seed: UInt64
  /// The subjects of each group, each list in natural order.
  public let groups: [[String]]

  /// The default number of groups (eNTERFACE'05's protocol).
  public static let defaultGroupCount = 5
  /// How many groups a dataset can be dealt into (each needs a subject).
  public static let groupCountRange = 2...10_000

  /// Deals `subjects` (duplicates ignored) into `groupCount` groups.
  public init(subjects: some Sequence<String>, groupCount: Int = defaultGroupCount, seed: UInt64) throws(FoldError) {
    guard Self.groupCountRange.contains(groupCount) else { throw .groupCount(groupCount) }
    var shuffled = Set(subjects).sorted(by: naturalOrder)
    guard shuffled.count >= groupCount else { throw .tooFewSubjects(have: shuffled.count, groups: groupCount) }
    var rng = SeededRNG(seed: seed)
    for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, rng.nextInt(below: i + 1)) }
    var groups = [[String]](repeating: [], count: groupCount)
    for (i, subject) in shuffled.enumerated() { groups[i % groupCount].append(subject) }
    self.seed = seed
    self.groups = groups.map { $0.sorted(by: naturalOrder) }
  }

  /// Number of groups (= folds).
  public var groupCount: Int { groups.count }
  /// Every subject, in natural order.
  public var subjects: [String] { groups.joined().sorted(by: naturalOrder) }
  /// Subject → group index.
  public var assignment: [String: Int] {
    var map: [String: Int] = [:]
    for (g, members) in groups.enumerated() { for s in members { map[s] = g } }
    return map
  }

  /// The group a subject was dealt into, nil for a subject not in the folds.
  public func group(of subject: String) -> Int? { groups.firstIndex { $0.contains(subject) } }

  /// Fold `fold`'s subjects: group `fold` is the test set; of the remaining
  /// (training) subjects, `validationCount` are held out for validation, picked
  /// by a shuffle seeded from the folds' seed and the fold index. The default
  /// is one group's worth (the smallest group's size), less if that would
  /// leave no subject to train on. Pass 0 for no validation set.
  public func split(fold: Int, validationCount: Int? = nil) throws(FoldError) -> FoldSplit {
    guard groups.indices.contains(fold) else { throw .foldOutOfRange(fold, count: groupCount) }
    let trainingCount = subjects.count - groups[fold].count
    let held = validationCount ?? defaultValidationCount(trainingCount)
    guard held >= 0, held < trainingCount else {
      throw .validationTooLarge(asked: held, training: trainingCount)
    }
    return carve(fold: fold, validationCount: held)
  }

  /// Every fold's split, with the default validation hold-out.
  public func splits() -> [FoldSplit] {
    groups.indices.map { fold in
      carve(fold: fold, validationCount: defaultValidationCount(subjects.count - groups[fold].count))
    }
  }

  private func defaultValidationCount(_ trainingCount: Int) -> Int {
    min(subjects.count / groupCount, trainingCount - 1)
  }

  private func carve(fold: Int, validationCount held: Int) -> FoldSplit {
    var training = groups.enumerated().filter { $0.offset != fold }.flatMap(\.element).sorted(by: naturalOrder)
    var rng = SeededRNG(seed: seed).derived(UInt64(fold) + 1)
    for i in stride(from: training.count - 1, to: 0, by: -1) { training.swapAt(i, rng.nextInt(below: i + 1)) }
    return FoldSplit(
      fold: fold, train: training[held...].sorted(by: naturalOrder),
      validation: training[..<held].sorted(by: naturalOrder), test: groups[fold])
  }

  private enum CodingKeys: String, CodingKey { case seed, groups }

  /// Decodes and checks a saved assignment: at least two non-empty groups, no subject twice.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let seed = try c.decode(UInt64.self, forKey: .seed)
    let groups = try c.decode([[String]].self, forKey: .groups)
    guard groups.count >= 2 else { throw FoldError.groupCount(groups.count) }
    var seen = Set<String>()
    for (g, members) in groups.enumerated() {
      guard !members.isEmpty else { throw FoldError.emptyGroup(g) }
      for s in members where !seen.insert(s).inserted { throw FoldError.duplicateSubject(s) }
    }
    self.seed = seed
    self.groups = groups.map { $0.sorted(by: naturalOrder) }
  }
}

/// The subjects of one fold: train, validation (held-out training subjects) and test.
public struct FoldSplit: Codable, Sendable, Equatable {
  public let fold: Int
  public let train: [String]
  public let validation: [String]
  public let test: [String]

  /// Indices into `dataset.clips` of each part, in dataset order.
  public func clipIndices(in dataset: Dataset) -> (train: [Int], validation: [Int], test: [Int]) {
    (
      dataset.clipIndices(subjects: train), dataset.clipIndices(subjects: validation),
      dataset.clipIndices(subjects: test)
    )
  }
}

/// Folds that cannot be made as asked.
public enum FoldError: Error, Equatable, CustomStringConvertible {
  case groupCount(Int)
  case tooFewSubjects(have: Int, groups: Int)
  case foldOutOfRange(Int, count: Int)
  case validationTooLarge(asked: Int, training: Int)
  case emptyGroup(Int)
  case duplicateSubject(String)

  public var description: String {
    switch self {
    case .groupCount(let k):
      "folds: \(k) subject groups; use 2 to \(SubjectFolds.groupCountRange.upperBound) (eNTERFACE'05's protocol uses 5)"
    case .tooFewSubjects(let have, let groups):
      "folds: \(have) subjects cannot fill \(groups) groups; use at most \(have) groups or a dataset with more subjects"
    case .foldOutOfRange(let fold, let count):
      "folds: there is no fold \(fold); folds are numbered 0 to \(count - 1)"
    case .validationTooLarge(let asked, let training):
      "folds: cannot hold out \(asked) of \(training) training subjects for validation; "
        + "hold out between 0 and \(training - 1) so at least one subject is left to train on"
    case .emptyGroup(let g):
      "folds: group \(g) of the saved assignment has no subjects; every group needs at least one"
    case .duplicateSubject(let s):
      "folds: subject \"\(s)\" appears in two groups of the saved assignment; each subject belongs to exactly one"
    }
  }
}
