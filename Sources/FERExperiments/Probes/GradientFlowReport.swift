import FERCore
import FERModels

// What a gradient-flow measurement reports (DESIGN.md, "Gradient flow by path").
// Norms are Frobenius norms over the whole minibatch, accumulated in Double.
// For layer l and step t the total g = ∂L/∂h_t is the sum of one part p per
// GradientPath; a part's share ⟨p, g⟩ / ‖g‖² says how much of the total it
// carries along the total's direction, so the shares add up to 1 (a part
// can have a share below 0 or above 1 when parts point against each other).
//
// JSON (sessions record it): a layer is
//   {"hidden": [‖g_t‖], "paths": [{"path": "recurrence", "norm": [‖p_t‖], "share": [...]}, …], "cell": [...]}
// with `paths` in GradientPath order and a path that carries nothing at any step
// left out (zero for every switch that is off, and for the paths a layer does
// not have), so the form is as short as the cell allows and always the same.

/// Per-step gradient norms of one ConvLSTM layer.
public struct LayerGradientFlow: Codable, Sendable, Equatable {
  /// ‖∂L/∂h_t‖, the total, per step.
  public let hidden: [Double]
  /// The parts of ∂L/∂h_t by path, in `GradientPath.allCases` order, only those that carry something.
  public let paths: [PathFlow]
  /// ‖∂L/∂c_t‖ through the cell state of step t+1.
  public let cell: [Double]

  public init(hidden: [Double], paths: [PathFlow], cell: [Double]) {
    self.hidden = hidden
    self.paths = paths.filter { $0.norm.contains { $0 != 0 } }.sorted { $0.path.order < $1.path.order }
    self.cell = cell
  }

  /// The part along `path`; zeros when nothing reached h_t that way.
  public subscript(path: GradientPath) -> PathFlow {
    paths.first { $0.path == path } ?? PathFlow(path: path, norm: hidden.map { _ in 0 }, share: hidden.map { _ in 0 })
  }

  /// Steps whose total is exactly 0: their shares are 0, not a split of anything.
  public var zeroSteps: [Int] { hidden.indices.filter { hidden[$0] == 0 } }

  private enum CodingKeys: String, CodingKey { case hidden, paths, cell }

  /// Read back with every per-step list as long as `hidden`, one entry per path at most.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    hidden = try c.decode([Double].self, forKey: .hidden)
    paths = try c.decode([PathFlow].self, forKey: .paths)
    cell = try c.decode([Double].self, forKey: .cell)
    let steps = hidden.count
    try c.require(cell.count == steps, .cell, "a layer has one cell norm per step (\(steps))")
    try c.require(paths.allSatisfy { $0.norm.count == steps && $0.share.count == steps }, .paths, "every path has a norm and a share per step (\(steps))")
    try c.require(Set(paths.map(\.path)).count == paths.count, .paths, "a path is listed once")
  }
}

/// One path's part of ∂L/∂h_t at every step of a layer.
public struct PathFlow: Codable, Sendable, Equatable {
  public let path: GradientPath
  /// ‖part_t‖.
  public let norm: [Double]
  /// ⟨part_t, total_t⟩ / ‖total_t‖² (0 where the total is 0).
  public let share: [Double]

  public init(path: GradientPath, norm: [Double], share: [Double]) {
    self.path = path
    self.norm = norm
    self.share = share
  }
}

/// A gradient-flow measurement of one stream.
public struct GradientFlowReport: Codable, Sendable, Equatable {
  public let stream: StreamKind
  public let steps: Int
  /// Layers bottom to top.
  public let layers: [LayerGradientFlow]
  /// ‖∂L/∂x_t‖ per input frame.
  public let input: [Double]
  /// Gradient norm per parameter group ("rgb.layers.0", "head.fc1", …), in model order.
  public let parameterGroups: [ParameterGroupNorm]
  public let loss: Double

  public init(
    stream: StreamKind, steps: Int, layers: [LayerGradientFlow], input: [Double], parameterGroups: [ParameterGroupNorm],
    loss: Double
  ) {
    self.stream = stream
    self.steps = steps
    self.layers = layers
    self.input = input
    self.parameterGroups = parameterGroups
    self.loss = loss
  }

  /// Ratio of the first step's to the last step's ‖∂L/∂h_t‖ in the bottom layer:
  /// near 0 means the gradient vanishes on its way back through time.
  public var firstToLastRatio: Double {
    guard let bottom = layers.first, let first = bottom.hidden.first, let last = bottom.hidden.last, last > 0 else { return 0 }
    return first / last
  }
}

public struct ParameterGroupNorm: Codable, Sendable, Equatable {
  public let group: String
  public let norm: Double

  public init(group: String, norm: Double) {
    self.group = group
    self.norm = norm
  }
}

extension GradientPath {
  /// Position in `allCases`, the order a layer lists its paths in.
  var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

extension LayerGradientFlow {
  /// Norms and shares of every path from a probe after `backward()`, over `steps` steps.
  init(_ probe: ConvLSTMProbe, steps: Int) {
    var paths = GradientPath.allCases.map { (path: $0, norm: [Double](), share: [Double]()) }
    for t in 0..<steps {
      let total = t < probe.hidden.count ? probe.hidden[t].grad : nil
      let totalSquare = total.map { dot($0, $0) } ?? 0
      for k in paths.indices {
        let part = probe.gradient(along: paths[k].path, step: t)
        paths[k].norm.append(part.map { dot($0, $0).squareRoot() } ?? 0)
        var along = 0.0
        if let part, let total { along = dot(part, total) }
        paths[k].share.append(totalSquare > 0 ? along / totalSquare : 0)
      }
    }
    self.init(
      hidden: norms(probe.hidden, steps), paths: paths.map { PathFlow(path: $0.path, norm: $0.norm, share: $0.share) },
      cell: norms(probe.cells, steps))
  }
}

/// Σ aᵢ·bᵢ in Double.
func dot(_ a: [Float], _ b: [Float]) -> Double {
  precondition(a.count == b.count, "dot: \(a.count) and \(b.count) values")
  var sum = 0.0
  for i in a.indices { sum += Double(a[i]) * Double(b[i]) }
  return sum
}
