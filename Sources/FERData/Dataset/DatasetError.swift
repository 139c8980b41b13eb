// Errors of building a dataset from clips. Each message names the clip or
// value and says what to change.

/// A dataset or clip that cannot be built as asked.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
  case badTensorShape(clip: String, tensor: String, shape: [Int], expected: String)
  case mismatchedClipShapes(first: String, firstShape: [Int], other: String, otherShape: [Int])
  case duplicateClipID(String)
  case empty(name: String)

  public var description: String {
    switch self {
    case .badTensorShape(let clip, let tensor, let shape, let expected):
      "clip \(clip): \(tensor) has shape \(shape), expected \(expected); check the pre-processing settings that produced it"
    case .mismatchedClipShapes(let first, let firstShape, let other, let otherShape):
      "clip \(other) has frames \(otherShape) but clip \(first) has \(firstShape); "
        + "all clips of a dataset must share T and S — pre-process them with one frame count and crop size"
    case .duplicateClipID(let id):
      "two clips share the id \"\(id)\"; clip ids must be unique within a dataset (they key the cache and the folds)"
    case .empty(let name):
      "dataset \"\(name)\" has no clips; check the loader's skipped-file report for why"
    }
  }
}
