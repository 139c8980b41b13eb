import Foundation
import Testing

@testable import FERData

@Suite("Generic folder loader")
struct FolderLoaderTests {
  @Test func labelSubjectClipLayout() throws {
    let tree = try TemporaryTree("folder")
    defer { tree.remove() }
    try tree.touch([
      "happiness/alice__take1.mp4",
      "happiness/alice__take 2.mov",
      "Sad/bob__01.avi",
      "an/bob__x__y.mkv",  // clip names may hold further double underscores
      "happiness/carol_take1.mp4",  // one underscore only
      "happiness/__take1.mp4",  // empty subject
      "neutral/dave__1.mp4",  // unknown label
      "fear/extra/erin__1.mp4",  // too deep
      "frank__1.mp4",  // no label folder
      "fear/erin__1.jpg",  // not a video
    ])
    let found = try FolderLoader.discover(root: tree.root)
    #expect(
      found.sources.map { "\($0.subject) \($0.label.name) \($0.id)" } == [
        "alice happiness happiness/alice__take1.mp4",
        "alice happiness happiness/alice__take 2.mov",
        "bob anger an/bob__x__y.mkv",
        "bob sadness Sad/bob__01.avi",
      ])
    let reasons = Dictionary(uniqueKeysWithValues: found.skipped.map { ($0.path, $0.reason) })
    #expect(
      reasons == [
        "happiness/carol_take1.mp4": .nameWithoutSubject("carol_take1.mp4"),
        "happiness/__take1.mp4": .nameWithoutSubject("__take1.mp4"),
        "neutral/dave__1.mp4": .unknownEmotion("neutral"),
        "fear/extra/erin__1.mp4": .unexpectedDepth(folders: 2),
        "frank__1.mp4": .unexpectedDepth(folders: 0),
        "fear/erin__1.jpg": .notAVideo(fileExtension: "jpg"),
      ])
  }
}
