import Foundation
import Testing
@testable import FERCore

// PyTorch's values for the core ops and optimizers, written by
// Benchmarks/peers/make_core_references.py into Fixtures/core_references.json.
// Each case carries its inputs, so nothing here depends on torch's generator.

struct CoreReferences: Decodable {
  struct GroupNormCase: Decodable {
    let shape: [Int], groups: Int
    let x: [Float], weight: [Float], bias: [Float], direction: [Float]
    let y: [Float], dx: [Float], dweight: [Float], dbias: [Float]
  }

  struct BatchNormCase: Decodable {
    struct Step: Decodable {
      let training: Bool
      let x: [Float], direction: [Float]
      let y: [Float], dx: [Float], dweight: [Float], dbias: [Float]
      let runningMean: [Float], runningVar: [Float]
    }
    let shape: [Int], weight: [Float], bias: [Float], steps: [Step]
  }

  struct CrossEntropyCase: Decodable {
    let shape: [Int], logits: [Float], labels: [Int], classWeights: [Float]?
    let loss: Float, dlogits: [Float]
  }

  struct SoftmaxCase: Decodable {
    let shape: [Int], x: [Float], direction: [Float], y: [Float], dx: [Float]
  }

  /// Parameters of `shapes` start at `initial`; step s sets learning rate
  /// `learningRates[s]` and gradients `grads[s]` (nil: no gradient) and yields `after[s]`.
  struct OptimizerCase: Decodable {
    let name: String, shapes: [[Int]], learningRates: [Float]
    let initial: [[Float]], grads: [[[Float]?]], after: [[[Float]]]
  }

  struct ClipCase: Decodable {
    let maxNorm: Float, grads: [[Float]], norm: Float, clipped: [[Float]]
  }

  let groupNorm: [GroupNormCase]
  let batchNorm: [BatchNormCase]
  let crossEntropy: [CrossEntropyCase]
  let softmax: [SoftmaxCase]
  let optimizers: [OptimizerCase]
  let clipGradNorm: [ClipCase]

  static let shared: CoreReferences = {
    do {
      let decoder = JSONDecoder()
      decoder.keyDecodingStrategy = .convertFromSnakeCase
      return try decoder.decode(CoreReferences.self, from: Data(contentsOf: fixtureURL("core_references.json")))
    } catch {
      fatalError("cannot load Fixtures/core_references.json: \(error)")
    }
  }()
}

/// A file in the test bundle's Fixtures folder.
func fixtureURL(_ name: String) -> URL {
  Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// Expects |actual − expected| ≤ atol + rtol·|expected| element-wise, reporting the worst element.
func expectMatches(
  _ actual: [Float]?, _ expected: [Float], rtol: Float = 1e-4, atol: Float = 1e-5, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let actual else {
    Issue.record("\(what): no values", sourceLocation: sourceLocation)
    return
  }
  guard actual.count == expected.count else {
    Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    return
  }
  var worst: (index: Int, excess: Float)?
  for i in 0..<actual.count {
    let excess = abs(actual[i] - expected[i]) - (atol + rtol * abs(expected[i]))
    if !(excess <= 0), excess > worst?.excess ?? -.infinity || excess.isNaN { worst = (i, excess) }
  }
  if let worst {
    Issue.record(
      "\(what)[\(worst.index)]: \(actual[worst.index]), expected \(expected[worst.index])", sourceLocation: sourceLocation)
  }
}
