import ArgumentParser
import FERTerminal
import FERWorkspace
import Foundation

/// `ferlab` / `ferlab explore`: the ncurses explorer on a fresh workspace, with
/// the built-in synthetic dataset loading on the worker as the screen comes up.
struct ExploreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explore",
    abstract: "Open the terminal explorer (the default): train, toggle the switches, watch curves and gradient flow.",
    discussion: """
      Keys: ? help, t train / pause / resume, s stop, 1 2 3 toggle temporal skip, spatial skip, group norm, \
      e eval, f gradient flow, : a workspace command (Tab completes, Up/Down history), PgUp/PgDn notebook, q quit. \
      Every key sends a workspace command line, so anything done here can be scripted with `ferlab run`. \
      Where no screen can be drawn (TERM=dumb, input from a pipe), the explorer runs in line mode: the same \
      commands typed one a line, their notebook lines printed; `quit` or the end of input ends it.
      """)

  enum DatasetChoice: String, ExpressibleByArgument, CaseIterable {
    case starter, lag, small, `default`, none
  }

  @Option(help: "Synthetic dataset to load at start: starter (learns in a minute), lag (old frames decide), small (for tests), default (eNTERFACE'05's shape, the full scene) or none.")
  var dataset: DatasetChoice = .starter

  @Option(help: "Record the session to this file (JSON Lines).")
  var session: String?

  @Option(help: "Seed of initialisation, shuffling and folds.")
  var seed: UInt64 = 1

  @OptionGroup var compute: ComputeOptions

  @Option(help: "Workspace commands to run once the screen is up, separated by ';' (e.g. \"set epochs 1; set preset small\").")
  var then: String?

  func run() throws {
    let workspace = try Workspace(options: compute.workspaceOptions(seed: seed, session: session))
    var startup = dataset == .none ? [] : ["load synthetic \(dataset.rawValue)"]
    startup += (then ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    do {
      try ExplorerApp.run(source: workspace, startup: startup)
    } catch let error as TerminalError where error.allowsLineMode {
      // No screen here, but lines can be read and written: the same commands, one line at a time.
      LineMode.run(workspace: workspace, startup: startup, reason: error.briefly)
    } catch let error as TerminalError {
      throw Failure("\(error)")
    }
  }
}
