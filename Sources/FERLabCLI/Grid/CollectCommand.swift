import ArgumentParser
import FERWorkspace

/// `ferlab collect DIR`: a grid's results folder merged into one session and printed as the
/// sequential run prints it; or the cells still to run, with their Slurm ids and logs.
struct CollectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "collect",
    abstract: "Merge a grid's results folder (--engine local|slurm) into one session and print its table.",
    discussion: """
      When every cell is done: writes DIR/session.jsonl (format 3, as `ferlab run` records the same lines: the \
      prelude's records, then the grid command's with gridStarted, every cell's events in plan order and \
      gridFinished) and prints exactly what the sequential `cv` or `ablate` prints. Otherwise lists the cells \
      that are running, queued, failed or missing, with their Slurm job and task ids and logs, and exits with \
      status 1; `ferlab cv|ablate … --resume DIR` runs the failed and missing ones again.
      """)

  @Argument(help: "The results folder.")
  var folder: String

  @Option(help: "Also write the merged session to this file.")
  var session: String?

  @Flag(help: "Print the grid command's events as JSON, as --json of cv and ablate does.")
  var json = false

  @Flag(help: "With cells left: print the rows over the cells done so far too.")
  var partial = false

  func run() throws {
    try GridReport.collect(GridFolder(folder), json: json, session: session, partial: partial)
  }
}
