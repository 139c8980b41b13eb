import Foundation

// sigmoid, tanh, relu. Each backward is written in terms of the forward's
// output where that is cheaper (σ' = σ(1−σ), tanh' = 1−tanh²).

extension Tensor {
  /// Applies `f` element-wise; `derivative(x, y)` gives dy/dx from input x and output y.
  private func unary(
    op: String, _ f: (Float) -> Float, derivative: @escaping (Float, Float) -> Float
  ) -> Tensor {
    var out = [Float](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { o in
      data.withUnsafeBufferPointer { x in
        for i in 0..<o.count { o[i] = f(x[i]) }
      }
    }
    let input = self
    let result = out
    return Tensor(shape: shape, data: out, op: op, inputs: [self]) { g in
      var gx = [Float](repeating: 0, count: input.count)
      gx.withUnsafeMutableBufferPointer { r in
        input.data.withUnsafeBufferPointer { x in
          result.withUnsafeBufferPointer { y in
            for i in 0..<r.count { r[i] = g[i] * derivative(x[i], y[i]) }
          }
        }
      }
      input.accumulateGrad(gx)
    }
  }

  /// Logistic sigmoid 1 / (1 + e^−x).
  public func sigmoid() -> Tensor {
    unary(op: "sigmoid", Activation.sigmoid, derivative: { _, y in y * (1 - y) })
  }

  /// Hyperbolic tangent.
  public func tanh() -> Tensor {
    unary(op: "tanh", Activation.tanh, derivative: { _, y in 1 - y * y })
  }

  /// max(x, 0); the derivative at 0 is taken as 0.
  public func relu() -> Tensor {
    unary(op: "relu", { max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
  }
}

/// Scalar activation functions shared by the ops and the fused kernels.
package enum Activation {
  /// Sigmoid through FastMath's vectorisable exp.
  @inline(__always)
  package static func sigmoid(_ x: Float) -> Float { FastMath.sigmoid(x) }

  /// tanh through FastMath's vectorisable exp.
  @inline(__always)
  package static func tanh(_ x: Float) -> Float { FastMath.tanh(x) }
}
