import Foundation
import Testing

@testable import FERData

@Suite("Subject-group folds")
struct SubjectFoldsTests {
  static let subjects = (1...43).map(String.init)

  @Test(arguments: [2, 3, 5, 7, 43])
  func everySubjectTestedOnceAndNeverTrainedOn(groupCount: Int) throws {
    let folds = try SubjectFolds(subjects: Self.subjects, groupCount: groupCount, seed: 3)
    #expect(folds.groupCount == groupCount)
    let sizes = folds.groups.map(\.count)
    #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
    var tested: [String: Int] = [:]
    for split in folds.splits() {
      let train = Set(split.train)
      let validation = Set(split.validation)
      let test = Set(split.test)
      #expect(train.isDisjoint(with: test) && train.isDisjoint(with: validation) && validation.isDisjoint(with: test))
      #expect(train.union(validation).union(test) == Set(Self.subjects))
      #expect(!split.train.isEmpty)
      for s in split.test { tested[s, default: 0] += 1 }
    }
    #expect(tested.count == 43 && tested.values.allSatisfy { $0 == 1 })
  }

  @Test func validationIsOneGroupsWorthOfTrainingSubjects() throws {
    let folds = try SubjectFolds(subjects: Self.subjects, seed: 3)
    #expect(folds.groups.map(\.count).sorted() == [8, 8, 9, 9, 9])
    for fold in 0..<5 {
      let split = try folds.split(fold: fold)
      #expect(split.validation.count == 8)
      #expect(split.test == folds.groups[fold])
      #expect(try folds.split(fold: fold) == split)  // deterministic
      #expect(try folds.split(fold: fold, validationCount: 0).validation.isEmpty)
      #expect(try folds.split(fold: fold, validationCount: 3).validation.count == 3)
    }
    // Different folds hold out different validation subjects.
    #expect(try folds.split(fold: 0).validation != folds.split(fold: 1).validation)
  }

  @Test func sameSeedSameSplitDifferentSeedDifferent() throws {
    let a = try SubjectFolds(subjects: Self.subjects, seed: 9)
    #expect(try SubjectFolds(subjects: Self.subjects.reversed(), seed: 9) == a)  // input order does not matter
    #expect(try SubjectFolds(subjects: Self.subjects + ["1", "2"], seed: 9) == a)  // duplicates ignored
    let b = try SubjectFolds(subjects: Self.subjects, seed: 10)
    #expect(a.groups != b.groups)
    #expect(a.assignment["17"] == a.group(of: "17"))
    #expect(a.group(of: "99") == nil)
    #expect(a.subjects == Self.subjects)
  }

  @Test func assignmentRoundTripsThroughJSON() throws {
    let folds = try SubjectFolds(subjects: Self.subjects, seed: 4)
    let json = try JSONEncoder().encode(folds)
    #expect(try JSONDecoder().decode(SubjectFolds.self, from: json) == folds)
    let duplicated = Data(#"{"seed":1,"groups":[["1","2"],["2","3"]]}"#.utf8)
    #expect(throws: FoldError.duplicateSubject("2")) { try JSONDecoder().decode(SubjectFolds.self, from: duplicated) }
    let empty = Data(#"{"seed":1,"groups":[["1"],[]]}"#.utf8)
    #expect(throws: FoldError.emptyGroup(1)) { try JSONDecoder().decode(SubjectFolds.self, from: empty) }
  }

  @Test func badRequestsFailWithAHint() throws {
    #expect(throws: FoldError.groupCount(1)) { try SubjectFolds(subjects: Self.subjects, groupCount: 1, seed: 0) }
    #expect(throws: FoldError.tooFewSubjects(have: 3, groups: 5)) {
      try SubjectFolds(subjects: ["a", "b", "c"], seed: 0)
    }
    let folds = try SubjectFolds(subjects: Self.subjects, seed: 0)
    #expect(throws: FoldError.foldOutOfRange(5, count: 5)) { try folds.split(fold: 5) }
    #expect(throws: FoldError.validationTooLarge(asked: 34, training: 34)) {
      try folds.split(fold: folds.groups.firstIndex { $0.count == 9 } ?? 0, validationCount: 34)
    }
    #expect(FoldError.tooFewSubjects(have: 3, groups: 5).description.contains("use at most 3 groups"))
  }

  @Test func twoSubjectsTwoGroupsLeavesOneToTrainOn() throws {
    let folds = try SubjectFolds(subjects: ["a", "b"], groupCount: 2, seed: 1)
    for split in folds.splits() {
      #expect(split.train.count == 1 && split.validation.isEmpty && split.test.count == 1)
    }
  }

  @Test func clipIndicesFollowTheSplit() throws {
    let dataset = SyntheticGeneratorTests.small
    let folds = try SubjectFolds(subjects: dataset.subjects, seed: 2)
    let split = try folds.split(fold: 1)
    let parts = split.clipIndices(in: dataset)
    #expect(parts.train.count + parts.validation.count + parts.test.count == dataset.clips.count)
    #expect(parts.test.allSatisfy { split.test.contains(dataset.clips[$0].source.subject) })
    #expect(parts.validation.allSatisfy { split.validation.contains(dataset.clips[$0].source.subject) })
    #expect(parts.test.count == split.test.count * 12)
  }
}
