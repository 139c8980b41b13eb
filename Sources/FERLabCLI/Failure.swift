/// A runtime failure of a subcommand: ArgumentParser prints it as one
/// `Error: …` sentence, without the usage text that belongs to mistyped options.
struct Failure: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) { self.description = description }
}
