import Foundation
import Testing

@testable import FERData

@Suite("CSV manifest loader")
struct ManifestLoaderTests {
  @Test func csvRecordsHandleQuotesAndLineBreaks() {
    let text = "a, b ,c\r\n\"x, y\",\"say \"\"hi\"\"\" , z\n\n\"two\nlines\",2,3\rlast,row"
    let records = csvRecords(text)
    #expect(
      records.map(\.fields) == [
        ["a", "b", "c"], ["x, y", "say \"hi\"", "z"], ["two\nlines", "2", "3"], ["last", "row"],
      ])
    #expect(records.map(\.line) == [1, 2, 4, 6])
    let open = csvRecords("ok,1,2\n\"never closed,1,2\n")
    #expect(open.last?.unterminated == true && open.last?.line == 2)
  }

  @Test func rowsWithAndWithoutHeader() throws {
    let tree = try TemporaryTree("manifest")
    defer { tree.remove() }
    try tree.touch(["clips/a.avi", "clips/b, take 2.mp4", "clips/c.avi", "clips/notes.txt", "outside.avi"])
    let outside = tree.root.appendingPathComponent("outside.avi").path
    try tree.touch(
      "lists/manifest.csv",
      contents: """
        path,label,subject
        ../clips/a.avi,anger,s1
        "../clips/b, take 2.mp4",HA,s2
        ../clips/missing.avi,fear,s1
        ../clips/c.avi,neutral,s3
        ../clips/c.avi,fear
        ../clips/notes.txt,fear,s3
        ,fear,s3
        \(outside),sad,s10
        ../clips/./a.avi,anger,s1
        ../clips/c.avi,su,
        "../clips/c.avi,su,s3

        """)
    let found = try ManifestLoader.discover(manifest: tree.root.appendingPathComponent("lists/manifest.csv"))
    #expect(found.sources.map { "\($0.subject) \($0.label.name)" } == ["s1 anger", "s2 happiness", "s10 sadness"])
    // Files outside the manifest's folder keep absolute ids.
    let clips = tree.root.appendingPathComponent("clips").standardizedFileURL.path
    #expect(found.sources.map(\.id) == ["\(clips)/a.avi", "\(clips)/b, take 2.mp4", outside])
    #expect(found.sources.map(\.path) == found.sources.map(\.id))
    let byLine = found.skipped.map { "\($0.line ?? 0) \($0.reason)" }
    #expect(byLine.count == 8)
    #expect(found.skipped.map { $0.line ?? 0 } == [4, 5, 6, 7, 8, 10, 11, 12])
    #expect(
      found.skipped[0].reason
        == .fileNotFound(tree.root.appendingPathComponent("clips/missing.avi").standardizedFileURL.path))
    #expect(found.skipped[1].reason == .unknownEmotion("neutral"))
    #expect(found.skipped[2].reason == .wrongFieldCount(found: 2, expected: 3))
    #expect(found.skipped[3].reason == .notAVideo(fileExtension: "txt"))
    #expect(found.skipped[4].reason == .emptyField("path"))
    #expect(found.skipped[5].reason == .duplicate(ofLine: 2))
    #expect(found.skipped[6].reason == .emptyField("subject"))
    #expect(found.skipped[7].reason == .unterminatedQuote)
    #expect(found.skipped[5].description.hasPrefix("line 10: ../clips/./a.avi: the same file as line 2"))
  }

  @Test func headerlessAndReorderedColumns() throws {
    let tree = try TemporaryTree("manifest-order")
    defer { tree.remove() }
    try tree.touch(["v/1.avi", "v/2.avi"])
    try tree.touch("plain.csv", contents: "v/1.avi,disgust,7\nv/2.avi,sadness,8\n")
    let plain = try ManifestLoader.discover(manifest: tree.root.appendingPathComponent("plain.csv"))
    #expect(plain.sources.map(\.id) == ["v/1.avi", "v/2.avi"])
    #expect(plain.sources.map(\.label) == [.disgust, .sadness])
    #expect(plain.skipped.isEmpty)
    try tree.touch("ordered.csv", contents: "\u{FEFF}Subject,Notes,Label,Path\n7,first take,di,v/1.avi\n")
    let ordered = try ManifestLoader.discover(manifest: tree.root.appendingPathComponent("ordered.csv"))
    #expect(ordered.sources.map { "\($0.subject) \($0.label.name) \($0.id)" } == ["7 disgust v/1.avi"])
  }

  @Test func unreadableManifests() throws {
    let tree = try TemporaryTree("manifest-bad")
    defer { tree.remove() }
    let missing = tree.root.appendingPathComponent("none.csv")
    #expect(throws: LoaderError.manifestNotFound(missing.path)) { try ManifestLoader.discover(manifest: missing) }
    let binary = tree.root.appendingPathComponent("binary.csv")
    try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: binary)
    #expect(throws: LoaderError.self) { try ManifestLoader.discover(manifest: binary) }
  }
}
