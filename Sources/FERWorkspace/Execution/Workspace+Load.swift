import FERData
import FERExperiments
import FERModels
import Foundation

// `load`: the synthetic generator, or discovery through the FERData loaders.
// The model's input size follows the dataset's frame size S.

extension Workspace {
  func load(_ request: DatasetRequest, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    switch request {
    case .synthetic(let preset, let spec):
      ctx.setActivity(.loading("synthetic"), progress: Progress(
        fraction: 0, label: "drawing \(spec.clipCount) synthetic clips (T=\(spec.frames), S=\(spec.size))", secondsLeft: nil,
        throughput: nil))
      let generated = SyntheticGenerator.generate(spec)
      let foldCount = update { $0.foldCount }
      guard generated.subjects.count >= foldCount else {
        throw WorkspaceError.failed(
          "load synthetic: \(generated.subjects.count) subjects cannot fill \(foldCount) folds; use subjects=\(foldCount) or more, or `set folds \(max(2, generated.subjects.count))` first")
      }
      dataset = generated
      models = [:]
      update {
        $0.spec.inputSize = spec.size
        $0.runs = []
        $0.currentRunID = nil
        $0.gradientFlow = []
        $0.table = nil
      }
      ctx.print("synthetic \(preset): \(generated.clips.count) clips of \(generated.subjects.count) subjects, T=\(spec.frames), S=\(spec.size)")
      try noteDataset(generated, ctx)
      let streams = update { $0.spec.streams }
      let prepared = try requireDataset(for: streams, ctx)
      ctx.print("fingerprint \(prepared.fingerprintHex); model input size \(spec.size)")
      results["dataset"] = datasetResults(prepared)
    case .enterface(let path):
      let found = try discover { try EnterfaceLoader.discover(root: URL(fileURLWithPath: path)) }
      throw WorkspaceError.needsVideoPipeline(source: "enterface \(path)", found: found)
    case .folder(let path):
      let found = try discover { try FolderLoader.discover(root: URL(fileURLWithPath: path)) }
      throw WorkspaceError.needsVideoPipeline(source: "folder \(path)", found: found)
    case .manifest(let path):
      let found = try discover { try ManifestLoader.discover(manifest: URL(fileURLWithPath: path)) }
      throw WorkspaceError.needsVideoPipeline(source: "manifest \(path)", found: found)
    }
  }

  /// Runs a loader's discovery; its summary, or its error as one line.
  private func discover(_ body: () throws -> Discovery) throws -> String {
    do { return try body().summary } catch { throw WorkspaceError.failed("\(error)") }
  }

  func datasetResults(_ d: Dataset) -> JSONValue {
    .object([
      "name": .string(d.name), "clips": .of(d.clips.count), "subjects": .of(d.subjects.count),
      "frames": .of(d.frameCount), "size": .of(d.size), "fingerprint": .string(d.fingerprintHex),
      "classCounts": .array(d.classCounts.map { .of($0) }), "motion": .bool(d.clips.allSatisfy { $0.motion != nil }),
    ])
  }
}
