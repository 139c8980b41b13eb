import ArgumentParser
import FERData
import Foundation

/// Which dataset a command works on.
struct DataOptions: ParsableArguments {
  @Option(help: "Built-in synthetic dataset: default (43 subjects × 6 classes × 5 clips, T=16, 48×48) or small.")
  var synthetic: String = "default"

  @Option(help: "Seed of the synthetic dataset.")
  var dataSeed: UInt64 = 2005

  @Option(help: "Subject groups for leave-one-group-out folds.")
  var folds: Int = SubjectFolds.defaultGroupCount

  @Option(help: "Seed of the subject-to-group assignment.")
  var foldSeed: UInt64 = 1

  /// The synthetic dataset's spec (checked: a known preset, the chosen seed).
  func syntheticSpec() throws -> SyntheticSpec {
    guard let base = SyntheticSpec.presets[synthetic] else {
      throw ValidationError("--synthetic \(synthetic): choose one of \(SyntheticSpec.presets.keys.sorted().joined(separator: ", "))")
    }
    return try base.with(seed: dataSeed)
  }

  /// Generates the dataset and, when `motion`, its flow and dynamic images (progress on stderr).
  func load(motion: Bool, progress: ProgressReporter) throws -> Dataset {
    let spec = try syntheticSpec()
    progress.note("generating the synthetic dataset (\(spec.clipCount) clips, T=\(spec.frames), \(spec.size)×\(spec.size))")
    let dataset = SyntheticGenerator.generate(spec)
    guard motion else { return dataset }
    return try dataset.withMotion { done, total in progress.fraction(Double(done) / Double(total), "optical flow and dynamic images") }
  }

  func subjectFolds(_ dataset: Dataset) throws -> SubjectFolds {
    try SubjectFolds(subjects: dataset.subjects, groupCount: folds, seed: foldSeed)
  }
}
