import FERCore
import Foundation
import Testing
@testable import FERModels

// Tensors that enter from a file are checked against the spec before the model
// sees them, and weights that are not numbers are refused when they are loaded.

@Suite struct ModelInputTests {
  static var spec: ModelSpec {
    var spec = ModelSpec.preset(named: "tiny")!
    spec.streams = [.rgb, .rgbDynamic]
    spec.inputSize = 16
    return spec
  }

  static func input(rgb: [Int], dynamic: [Int]?) -> ModelInput {
    ModelInput(rgb: .zeros(rgb), rgbDynamic: dynamic.map { .zeros($0) })
  }

  @Test func fittingTensorsPass() throws {
    try Self.input(rgb: [2, 5, 3, 16, 16], dynamic: [2, 3, 16, 16]).check(against: Self.spec, source: "in.safetensors")
  }

  @Test(arguments: [
    ([2, 5, 3, 16], [2, 3, 16, 16], "rgb is [2, 5, 3, 16]; the spec needs [N, T, 3, 16, 16]"),
    ([2, 5, 2, 16, 16], [2, 3, 16, 16], "rgb is [2, 5, 2, 16, 16]"),
    ([2, 5, 3, 8, 8], [2, 3, 16, 16], "the spec needs [N, T, 3, 16, 16]"),
    ([0, 5, 3, 16, 16], [0, 3, 16, 16], "rgb holds no clips (N = 0)"),
    ([2, 0, 3, 16, 16], [2, 3, 16, 16], "rgb has T = 0 steps; use 1 to 4096"),
    ([2, 5, 3, 16, 16], [3, 3, 16, 16], "rgb_dynamic holds 3 clips but rgb holds 2"),
    ([2, 5, 3, 16, 16], [2, 2, 16, 16], "rgb_dynamic is [2, 2, 16, 16]; the spec needs [N, 3, 16, 16]"),
  ] as [([Int], [Int], String)])
  func misfitsAreNamed(rgb: [Int], dynamic: [Int], message: String) {
    #expect { try Self.input(rgb: rgb, dynamic: dynamic).check(against: Self.spec, source: "in.safetensors") } throws: {
      "\($0)".contains(message) && "\($0)".hasPrefix("in.safetensors")
    }
  }

  @Test func aMissingStreamIsNamed() {
    #expect { try Self.input(rgb: [2, 5, 3, 16, 16], dynamic: nil).check(against: Self.spec, source: "in.safetensors") } throws: {
      "\($0)" == "in.safetensors has no rgb_dynamic tensor, which the spec's streams need"
    }
  }

  @Test func nonFiniteWeightsAreRefused() throws {
    let model = try FERModel(spec: Self.spec, seed: 1)
    var file = Checkpoint.file(of: model)
    let (name, tensor) = try #require(model.namedParameters.first)
    var poisoned = tensor.data
    poisoned[1] = .nan
    file[name] = Tensor(shape: tensor.shape, data: poisoned)
    #expect(throws: CheckpointError.self) { try Checkpoint.loadWeights(file, into: try FERModel(spec: Self.spec, seed: 2)) }
    do { try Checkpoint.loadWeights(file, into: try FERModel(spec: Self.spec, seed: 2)) } catch {
      #expect("\(error)".contains("\"\(name)\" holds nan at index 1"), "\(error)")
    }
  }
}
