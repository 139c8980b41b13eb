import Foundation
import Testing

@testable import FERData

@Suite("eNTERFACE'05 loader")
struct EnterfaceLoaderTests {
  @Test func messyTree() throws {
    let tree = try TemporaryTree("enterface")
    defer { tree.remove() }
    try tree.touch([
      "subject 1/anger/sentence 1/s1_an_1.avi",
      "subject 1/anger/sentence 2/s1_an_2.avi",
      "subject 1/Happiness/sentence 1/s1_ha_1.AVI",
      "subject 1/anger/sentence 1/notes.txt",  // not a video
      "subject 6/fear/s6_fe_1.avi",  // subject 6: no sentence folders
      "subject 6/SU/s6_su_3.avi",  // abbreviation, upper case
      "Subject_12/subject 12/sadness/sentence 4/take 1/clip final.avi",  // extra nesting, spaces in name
      "subject 3/disgust/sentence 1/s4_fe_1.avi",  // file name disagrees: folders win
      "subject 3/neutral/sentence 1/s3_ne_1.avi",  // unknown emotion
      "subject 3/s3_an_1.avi",  // no emotion folder
      "misc/anger/s9_an_1.avi",  // no subject folder
      "subject 4/subject 5/anger/x.avi",  // two subjects
      "subject 4/anger/fear/x.avi",  // two emotions
      "README.md",
    ])
    let found = try EnterfaceLoader.discover(root: tree.root)
    let labelled = found.sources.map { "\($0.subject) \($0.label.name) \($0.id)" }
    #expect(
      labelled == [
        "1 anger subject 1/anger/sentence 1/s1_an_1.avi",
        "1 anger subject 1/anger/sentence 2/s1_an_2.avi",
        "1 happiness subject 1/Happiness/sentence 1/s1_ha_1.AVI",
        "3 disgust subject 3/disgust/sentence 1/s4_fe_1.avi",
        "6 fear subject 6/fear/s6_fe_1.avi",
        "6 surprise subject 6/SU/s6_su_3.avi",
        "12 sadness Subject_12/subject 12/sadness/sentence 4/take 1/clip final.avi",
      ])
    #expect(found.subjects == ["1", "3", "6", "12"])
    #expect(found.sources.allSatisfy { $0.path.map { FileManager.default.fileExists(atPath: $0) } == true })
    let reasons = Dictionary(uniqueKeysWithValues: found.skipped.map { ($0.path, $0.reason) })
    #expect(reasons.count == 7)
    #expect(reasons["subject 1/anger/sentence 1/notes.txt"] == .notAVideo(fileExtension: "txt"))
    #expect(reasons["README.md"] == .notAVideo(fileExtension: "md"))
    #expect(reasons["subject 3/neutral/sentence 1/s3_ne_1.avi"] == .unknownEmotion("neutral"))
    #expect(reasons["subject 3/s3_an_1.avi"] == .noEmotionFolder)
    #expect(reasons["misc/anger/s9_an_1.avi"] == .noSubjectFolder)
    #expect(reasons["subject 4/subject 5/anger/x.avi"] == .conflictingSubjects(["4", "5"]))
    #expect(reasons["subject 4/anger/fear/x.avi"] == .conflictingEmotions([.anger, .fear]))
    #expect(found.summary == "found 7 clips of 4 subjects; skipped 7 entries")
    #expect(found.skipped[0].description.contains(": "))
  }

  @Test func readsTheLayoutTheSyntheticExportWrites() throws {
    let tree = try TemporaryTree("enterface-roundtrip")
    defer { tree.remove() }
    let spec = try SyntheticSpec.small.with(subjects: 3)
    let sources = SyntheticGenerator.clipSources(spec)
    for source in sources { try tree.touch(EnterfaceLayout.relativePath(of: source) ?? "") }
    let found = try EnterfaceLoader.discover(root: tree.root)
    #expect(found.skipped.isEmpty)
    #expect(found.sources.map(\.subject) == sources.map(\.subject))
    #expect(found.sources.map(\.label) == sources.map(\.label))
  }

  @Test(arguments: [
    ("subject 7", 7), ("Subject7", 7), ("SUBJECT_07", 7), ("subj 3", 3), ("sub-12", 12), (" subject 44 ", 44),
  ])
  func subjectFolderSpellings(name: String, number: Int) {
    #expect(EnterfaceLoader.subjectNumber(name) == number)
  }

  @Test(arguments: ["subject", "subject x", "subjects 3", "s7", "7", "sentence 1"])
  func notSubjectFolders(name: String) {
    #expect(EnterfaceLoader.subjectNumber(name) == nil)
  }

  @Test func missingRootFails() {
    let missing = URL(fileURLWithPath: "/nonexistent/ferdata-root")
    #expect(throws: LoaderError.rootNotFound(missing.path)) { try EnterfaceLoader.discover(root: missing) }
  }
}
