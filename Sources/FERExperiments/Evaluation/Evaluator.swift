import FERCore
import FERData
import FERModels

// Evaluation of a model on clips: loss, predictions, class probabilities and
// the confusion matrix, without recording gradients.

/// A model's results on a set of clips.
public struct Evaluation: Sendable {
  /// Mean cross-entropy over the clips.
  public let loss: Double
  public let confusion: ConfusionMatrix
  /// Predicted class per clip, in the order given.
  public let predictions: [Int]
  /// Softmax probabilities per clip [clip][class].
  public let probabilities: [[Float]]

  public var accuracy: Double { confusion.accuracy }
}

/// Runs the model in evaluation mode over `clips` in minibatches.
public func evaluate(_ model: FERModel, on clips: [PreparedClip], batchSize: Int = 16) throws -> Evaluation {
  guard !clips.isEmpty else { throw ExperimentError.noClips("evaluation") }
  try ExperimentError.checkLabels(clips, classes: model.spec.classes)
  let classes = model.spec.classes
  var lossSum = 0.0
  var predictions: [Int] = []
  var probabilities: [[Float]] = []
  var context = ForwardContext.evaluation
  try GradientRecording.disabled {
    for start in stride(from: 0, to: clips.count, by: batchSize) {
      let batch = Array(clips[start..<min(start + batchSize, clips.count)])
      let labels = batch.map(\.source.label.rawValue)
      let logits = model(try makeInput(batch, streams: model.spec.streams), &context)
      lossSum += Double(Tensor.softmaxCrossEntropy(logits: logits, labels: labels).scalar) * Double(batch.count)
      let probs = logits.softmax()
      for row in 0..<batch.count {
        let p = Array(probs.data[(row * classes)..<((row + 1) * classes)])
        probabilities.append(p)
        predictions.append(argmax(p))
      }
    }
  }
  let labels = clips.map(\.source.label.rawValue)
  return Evaluation(
    loss: lossSum / Double(clips.count),
    confusion: ConfusionMatrix(classes: classes, labels: labels, predictions: predictions),
    predictions: predictions, probabilities: probabilities)
}

/// Index of the largest value (the first on ties).
public func argmax(_ values: [Float]) -> Int {
  var best = 0
  for i in values.indices where values[i] > values[best] { best = i }
  return best
}
