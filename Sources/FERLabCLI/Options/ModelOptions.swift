import ArgumentParser
import FERModels
import Foundation

/// The model to build: a preset, an optional spec file, and the switches.
struct ModelOptions: ParsableArguments {
  @Option(help: "Model preset: \(ModelSpec.presetNames.joined(separator: ", ")).")
  var preset: String = "small"

  @Option(help: "A model spec JSON file (overrides --preset).")
  var spec: String?

  @Option(help: "Streams, comma-separated (rgb, flow, rgb_dynamic, flow_dynamic); default: the preset's.")
  var streams: String?

  @Option(help: "Temporal skip h_{t-2}: on or off (default: the preset's).")
  var temporal: Switch?

  @Option(help: "Spatial skip W_xs*x_t: on or off.")
  var spatial: Switch?

  @Option(help: "Group norm: on or off.")
  var norm: Switch?

  @Option(help: "Seed of the initial weights.")
  var modelSeed: UInt64 = 1

  enum Switch: String, ExpressibleByArgument { case on, off }

  /// The spec with the overrides applied and the input size set to the dataset's frames.
  func resolve(inputSize: Int?) throws -> ModelSpec {
    var resolved: ModelSpec
    if let spec {
      let text: String
      do { text = try String(contentsOfFile: spec, encoding: .utf8) } catch {
        throw ValidationError("cannot read --spec \(spec): \(error.localizedDescription)")
      }
      resolved = try ModelSpec.decode(text)
    } else {
      guard let named = ModelSpec.preset(named: preset) else {
        throw ValidationError("--preset \(preset): choose one of \(ModelSpec.presetNames.joined(separator: ", "))")
      }
      resolved = named
    }
    if let streams {
      resolved.streams = try streams.split(separator: ",").map { name in
        guard let kind = StreamKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
          throw ValidationError("--streams: unknown stream \(name); use rgb, flow, rgb_dynamic, flow_dynamic")
        }
        return kind
      }
    }
    if let temporal { resolved.convLSTM.temporalSkip = temporal == .on }
    if let spatial { resolved.convLSTM.spatialSkip = spatial == .on }
    if let norm { resolved.convLSTM.groupNorm = norm == .on }
    if let inputSize { resolved.inputSize = inputSize }
    try resolved.validate()
    return resolved
  }
}

/// Whether any stream needs optical flow or dynamic images.
func needsMotion(_ spec: ModelSpec) -> Bool { spec.streams.contains { $0 != .rgb } }
