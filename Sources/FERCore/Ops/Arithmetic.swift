// add / sub / mul / div with broadcasting, and scalar forms. Backward sums the
// incoming gradient over every axis an operand was broadcast along.

extension Tensor {
  /// The element-wise binary op `f`, with ∂f/∂a and ∂f/∂b given as functions of (a, b).
  private static func binary(
    _ a: Tensor, _ b: Tensor, op: String,
    _ f: (Float, Float) -> Float,
    da: @escaping (Float, Float) -> Float,
    db: @escaping (Float, Float) -> Float
  ) -> Tensor {
    guard let plan = Broadcast(a.shape, b.shape) else {
      preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    var out = [Float](repeating: 0, count: elementCount(plan.shape))
    if a.shape == b.shape {
      out.withUnsafeMutableBufferPointer { o in
        a.data.withUnsafeBufferPointer { x in
          b.data.withUnsafeBufferPointer { y in
            for i in 0..<o.count { o[i] = f(x[i], y[i]) }
          }
        }
      }
    } else {
      out.withUnsafeMutableBufferPointer { o in
        a.data.withUnsafeBufferPointer { x in
          b.data.withUnsafeBufferPointer { y in
            plan.forEach { i, j, k in o[i] = f(x[j], y[k]) }
          }
        }
      }
    }
    return Tensor(shape: plan.shape, data: out, op: op, inputs: [a, b]) { g in
      if a.requiresGrad {
        var ga = [Float](repeating: 0, count: a.count)
        ga.withUnsafeMutableBufferPointer { r in
          a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
              plan.forEach { i, j, k in r[j] += g[i] * da(x[j], y[k]) }
            }
          }
        }
        a.accumulateGrad(ga)
      }
      if b.requiresGrad {
        var gb = [Float](repeating: 0, count: b.count)
        gb.withUnsafeMutableBufferPointer { r in
          a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
              plan.forEach { i, j, k in r[k] += g[i] * db(x[j], y[k]) }
            }
          }
        }
        b.accumulateGrad(gb)
      }
    }
  }

  public static func + (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "add", +, da: { _, _ in 1 }, db: { _, _ in 1 })
  }

  public static func - (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "sub", -, da: { _, _ in 1 }, db: { _, _ in -1 })
  }

  public static func * (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "mul", *, da: { _, y in y }, db: { x, _ in x })
  }

  public static func / (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "div", /, da: { _, y in 1 / y }, db: { x, y in -x / (y * y) })
  }

  public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor.scalar(s) }
  public static func - (a: Tensor, s: Float) -> Tensor { a - Tensor.scalar(s) }
  public static func * (a: Tensor, s: Float) -> Tensor { a * Tensor.scalar(s) }
  public static func * (s: Float, a: Tensor) -> Tensor { a * Tensor.scalar(s) }
  public static func / (a: Tensor, s: Float) -> Tensor { a * Tensor.scalar(1 / s) }
  public static prefix func - (a: Tensor) -> Tensor { a * Tensor.scalar(-1) }
}
