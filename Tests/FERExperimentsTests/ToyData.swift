import FERCore
import FERData
import FERModels

/// A learnable toy set: class k's clips show a bright blob that moves in direction k
/// over a noisy background. Shapes [T, 3, S, S].
enum ToyData {
  static func clips(perClass: Int, classes: [Emotion] = [.anger, .happiness], steps: Int = 4, side: Int = 8, seed: UInt64 = 5)
    -> [PreparedClip]
  {
    var rng = SeededRNG(seed: seed)
    var clips: [PreparedClip] = []
    for (k, label) in classes.enumerated() {
      for i in 0..<perClass {
        var data = [Float](repeating: 0, count: steps * 3 * side * side)
        for t in 0..<steps {
          let x = k == 0 ? t * (side - 2) / max(steps - 1, 1) : (side - 2) - t * (side - 2) / max(steps - 1, 1)
          for c in 0..<3 {
            for y in 0..<side {
              for xx in 0..<side {
                let bright: Float = abs(xx - x) <= 1 && abs(y - side / 2) <= 1 ? 0.9 : 0.1
                data[((t * 3 + c) * side + y) * side + xx] = bright + 0.05 * rng.nextUniform(-1, 1)
              }
            }
          }
        }
        let source = ClipSource(id: "\(label.name)-\(i)", subject: "\(i % 4 + 1)", label: label, location: .synthetic(subject: i % 4 + 1, take: clips.count))
        // Force-unwrapping is fine in tests: the shape is right by construction.
        clips.append(try! PreparedClip(source: source, frames: TensorValue(shape: [steps, 3, side, side], data: data)))
      }
    }
    return clips
  }

  static var spec: ModelSpec {
    var spec = ModelSpec.preset(named: "tiny")!
    spec.streams = [.rgb]
    return spec
  }
}
