import FERCore

// The fusion head (the seed's figure 2): each stream's feature is projected to
// one common size and the projections are summed — this is the first FC layer,
// applied to the concatenation of the features, with one shared bias — then two
// more FC layers give the class logits. ReLU between layers; optional dropout
// before the second and third.
//
// Names: fc1.<stream>.weight [D1, F_stream], fc1.bias [D1], fc2.weight, fc2.bias, fc3.weight, fc3.bias.

/// Sum-fusion of stream features followed by three FC layers.
public final class FusionHead: Module {
  let projections: [(StreamKind, Linear)]
  var fc1Bias: Tensor
  let fc2: Linear, fc3: Linear
  let dropout: Float

  public init(featureSizes: [(StreamKind, Int)], spec: HeadSpec, classes: Int, rng: inout SeededRNG) {
    let d1 = spec.hidden[0]
    projections = featureSizes.map { ($0.0, Linear($0.1, d1, bias: false, rng: &rng)) }
    // The shared bias follows PyTorch's rule for a Linear over the concatenated features.
    let fanIn = featureSizes.reduce(0) { $0 + $1.1 }
    fc1Bias = Tensor.initialBias(d1, fanIn: fanIn, rng: &rng)
    fc2 = Linear(d1, spec.hidden[1], rng: &rng)
    fc3 = Linear(spec.hidden[1], classes, rng: &rng)
    dropout = spec.dropout
  }

  /// Logits [N, K] from the streams' features (one [N, F] per stream, in the order given at init).
  public func callAsFunction(_ features: [StreamKind: Tensor], _ context: inout ForwardContext) -> Tensor {
    var sum: Tensor? = nil
    for (kind, projection) in projections {
      guard let feature = features[kind] else { preconditionFailure("FusionHead: no feature for stream \(kind.rawValue)") }
      let projected = projection(feature)
      sum = sum.map { $0 + projected } ?? projected
    }
    guard let sum else { preconditionFailure("FusionHead: no streams") }
    var y = (sum + fc1Bias).relu()
    y = fc2(y.dropout(dropout, rng: &context.rng, training: context.training)).relu()
    return fc3(y.dropout(dropout, rng: &context.rng, training: context.training))
  }

  public var namedParameters: [(String, Tensor)] {
    var items = projections.flatMap { scoped("fc1.\($0.0.rawValue)", $0.1.namedParameters) }
    items.append(("fc1.bias", fc1Bias))
    return items + scoped("fc2", fc2.namedParameters) + scoped("fc3", fc3.namedParameters)
  }
}
