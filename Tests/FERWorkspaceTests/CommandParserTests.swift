import Testing
@testable import FERWorkspace

@Test func placeholderParse() throws {
  #expect(try CommandParser.parse("train 3") == .train(epochs: 3))
}
