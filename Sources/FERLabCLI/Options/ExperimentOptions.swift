import ArgumentParser
import FERWorkspace
import Foundation

/// What every experiment subcommand (train, eval, cv, ablate, flow) shares. A
/// subcommand is a few workspace command lines run in a headless workspace: one
/// `set NAME VALUE` for each `--NAME VALUE` (in the order given), `load` from
/// `--data`, then its own command. Settings are the workspace's (`set`), with its defaults,
/// checks and messages, so a subcommand and the same lines in a script or the
/// explorer give the same numbers and the same text.
struct ExperimentOptions: ParsableArguments {
  /// The dataset a subcommand works on when none is named: the one the explorer opens with.
  static let defaultData = "synthetic:starter"

  @Option(help: ArgumentHelp(
    "The dataset: synthetic:starter (the default), synthetic:lag, synthetic:default, synthetic:small, enterface:PATH, folder:PATH or manifest:FILE (prepared with `ferlab prepare`).",
    valueName: "source"))
  var data: String?

  @Option(help: "The same as --data synthetic:NAME.")
  var synthetic: String?

  @Option(help: "Seed of the synthetic dataset's drawing (default: the preset's).")
  var dataSeed: UInt64?

  @Option(help: "Record the session to this file (JSON Lines); `ferlab replay` checks it.")
  var session: String?

  @OptionGroup var compute: ComputeOptions

  @Flag(help: "Print the command's events as JSON (what its session record holds): {\"line\": …, \"events\": [{\"type\": …}, …]}.")
  var json = false

  @Argument(
    parsing: .allUnrecognized,
    help: ArgumentHelp(
      "Workspace settings as --NAME VALUE: \(CommandParser.settingNames.map { "--\($0)" }.joined(separator: ", ")). See `ferlab help SUBCOMMAND`.",
      valueName: "--setting value"))
  var settings: [String] = []

  func validate() throws {
    if data != nil, synthetic != nil { throw ValidationError("give --data or --synthetic, not both") }
  }

  /// The `load` line of `--data` / `--synthetic`; nil when `required` is false and neither was given.
  func loadLine(required: Bool = true) throws -> String? {
    guard required || data != nil || synthetic != nil else { return nil }
    let source = synthetic.map { "synthetic:\($0)" } ?? data ?? Self.defaultData
    let parts = source.split(separator: ":", maxSplits: 1).map(String.init)
    let kinds = CommandParser.loadSources
    guard parts.count == 2, kinds.contains(parts[0]), !parts[1].isEmpty else {
      throw Failure("--data \(source): give KIND:VALUE with KIND one of \(kinds.joined(separator: ", ")), e.g. synthetic:starter or folder:/data/videos")
    }
    if parts[0] == "synthetic" {
      return "load synthetic \(parts[1])" + (dataSeed.map { " seed=\($0)" } ?? "")
    }
    if dataSeed != nil { throw Failure("--data-seed applies to synthetic data only, not to \(source)") }
    return "load \(parts[0]) \(Words.quoted(parts[1]))"
  }

  /// `set NAME VALUE` for every `--NAME VALUE`, checked by the workspace's own parser.
  func settingLines() throws -> [String] {
    var lines: [String] = []
    var words = settings[...]
    while let option = words.popFirst() {
      guard option.hasPrefix("--"), CommandParser.settingNames.contains(String(option.dropFirst(2))) else {
        throw ValidationError("unknown option \(option); settings: \(CommandParser.settingNames.map { "--\($0)" }.joined(separator: ", "))")
      }
      guard let value = words.popFirst(), !value.hasPrefix("--") else {
        throw ValidationError("\(option) needs a value; usage: \(option) \(usage(of: option))")
      }
      let line = "set \(option.dropFirst(2)) \(value)"
      do { _ = try CommandParser.parse(line) } catch { throw Failure("\(option) \(value): \(error.message)") }
      lines.append(line)
    }
    return lines
  }

  private func usage(of option: String) -> String {
    CommandParser.settingUsage(String(option.dropFirst(2))).map { String($0.drop { $0 != " " }.dropFirst()) } ?? "VALUE"
  }

  /// The `set` lines and the `load` line that come before `commands`, every line read
  /// before any runs, so a bad value fails before any work.
  func prelude(before commands: [String], needsData: Bool = true) throws -> [String] {
    let prelude = try settingLines() + [try loadLine(required: needsData)].compactMap { $0 }
    for line in prelude + commands {
      do { _ = try CommandParser.parse(line) } catch { throw Failure("`\(line)`: \(error.message)") }
    }
    return prelude
  }

  /// Runs the setting and dataset lines, then `commands`. The events of `commands[main]`
  /// go to stdout as JSON with --json; otherwise every command's notebook lines do.
  /// `needsData`: load the default dataset when --data names none.
  func run(_ commands: [String], main: Int = 0, needsData: Bool = true) throws {
    let prelude = try self.prelude(before: commands, needsData: needsData)
    let workspace = try Workspace(options: compute.workspaceOptions(session: session))
    let headless = Headless(workspace: workspace, echo: !json)
    var chosen: CommandRecord?
    for (i, line) in (prelude + commands).enumerated() {
      guard let record = headless.run(line) else { throw Failure("`\(line)`: \(headless.lastError)") }
      if i == prelude.count + main { chosen = record }
    }
    guard let chosen else { throw Failure("`\(commands[main])` recorded no result") }
    if json { print(JSONValue.encoding(CommandOutput(line: chosen.line, events: chosen.events)).prettyJSON) }
    if let session { headless.console.status("session recorded to \(session)") }
  }
}

/// What `--json` prints: the command line and its events.
struct CommandOutput: Encodable {
  let line: String
  let events: [WorkspaceEvent]
}

/// The settings' usage lines, for a subcommand's `discussion`.
let settingsHelp = """
  Settings (any `set` of the workspace, as --NAME VALUE; defaults are the workspace's):
  \(CommandParser.settingNames.compactMap(CommandParser.settingUsage).map { "  --\($0)" }.joined(separator: "\n"))
  """
