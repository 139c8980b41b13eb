import Testing
@testable import FERTerminal

@Suite("Key decoding")
struct KeyTests {
  @Test func controlCharactersMapToKeys() {
    #expect(Key(character: "\r") == .enter)
    #expect(Key(character: "\n") == .enter)
    #expect(Key(character: "\t") == .tab)
    #expect(Key(character: "\u{7F}") == .backspace)
    #expect(Key(character: "\u{08}") == .backspace)
    #expect(Key(character: "\u{1B}") == .escape)
    #expect(Key(character: "\u{03}") == .control("c"))
    #expect(Key(character: "\u{12}") == .control("r"))
    #expect(Key(character: "q") == .character("q"))
    #expect(Key(character: "é") == .character("é"))
  }

  @Test func escapeSequencesDecode() {
    #expect(Key(escapeSequence: "[A") == .up)
    #expect(Key(escapeSequence: "OB") == .down)
    #expect(Key(escapeSequence: "[C") == .right)
    #expect(Key(escapeSequence: "[1;5D") == .left)
    #expect(Key(escapeSequence: "[5~") == .pageUp)
    #expect(Key(escapeSequence: "[6;2~") == .pageDown)
    #expect(Key(escapeSequence: "[3~") == .delete)
    #expect(Key(escapeSequence: "[1~") == .home)
    #expect(Key(escapeSequence: "OF") == .end)
    #expect(Key(escapeSequence: "[Z") == .backTab)
    #expect(Key(escapeSequence: "[99~") == nil)
    #expect(Key(escapeSequence: "x") == nil)
    #expect(Key(escapeSequence: "") == nil)
  }

  @Test func sequencesAreCompleteAtTheirFinalCharacter() {
    #expect(!Key.isComplete(escapeSequence: ""))
    #expect(!Key.isComplete(escapeSequence: "["))
    #expect(!Key.isComplete(escapeSequence: "[5"))
    #expect(!Key.isComplete(escapeSequence: "[1;"))
    #expect(Key.isComplete(escapeSequence: "[5~"))
    #expect(Key.isComplete(escapeSequence: "[1;5A"))
    #expect(!Key.isComplete(escapeSequence: "O"))
    #expect(Key.isComplete(escapeSequence: "OH"))
    #expect(Key.isComplete(escapeSequence: "x"))
  }
}
