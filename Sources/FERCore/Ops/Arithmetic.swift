// add / sub / mul / div with broadcasting, and scalar forms. Backward sums the
// incoming gradient over every axis an operand was broadcast along.

/// The four element-wise binary ops, for the fast paths that avoid a closure call per element.
private enum BinaryKind { case add, sub, mul, div }

/// o[i] = f(x[i], y[i]) over `count` values (f inlines, so the loop vectorises).
@inline(__always)
private func map2(
  _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, _ count: Int,
  _ f: (Float, Float) -> Float
) {
  for i in 0..<count { o[i] = f(x[i], y[i]) }
}

/// o[i] = f(x[i], s) over `count` values.
@inline(__always)
private func mapScalar(
  _ x: UnsafePointer<Float>, _ s: Float, _ o: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Float, Float) -> Float
) {
  for i in 0..<count { o[i] = f(x[i], s) }
}

extension Tensor {
  /// The element-wise binary op `f`, with ∂f/∂a and ∂f/∂b given as functions of (a, b).
  /// Same-shape operands and a one-value right operand take fast paths written per op;
  /// other broadcasts take the general index walk.
  private static func binary(
    _ a: Tensor, _ b: Tensor, _ kind: BinaryKind,
    _ f: (Float, Float) -> Float,
    da: @escaping (Float, Float) -> Float,
    db: @escaping (Float, Float) -> Float
  ) -> Tensor {
    let op = "\(kind)"
    if a.shape == b.shape { return sameShape(a, b, kind) }
    if b.count == 1 && a.rank >= b.rank { return scalarRight(a, b, kind) }
    guard let plan = Broadcast(a.shape, b.shape) else {
      preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    var out = [Float](repeating: 0, count: elementCount(plan.shape))
    out.withUnsafeMutableBufferPointer { o in
      a.data.withUnsafeBufferPointer { x in
        b.data.withUnsafeBufferPointer { y in
          plan.forEach { i, j, k in o[i] = f(x[j], y[k]) }
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

  /// a ∘ b for a.shape == b.shape. The add's pullback hands the incoming gradient
  /// on as it is (no copy); the others build each operand's gradient in one pass.
  private static func sameShape(_ a: Tensor, _ b: Tensor, _ kind: BinaryKind) -> Tensor {
    let n = a.count
    let out = uninitializedFloats(n) { o in
      a.data.withUnsafeBufferPointer { x in
        b.data.withUnsafeBufferPointer { y in
          let (xp, yp, op) = (x.baseAddress!, y.baseAddress!, o.baseAddress!)
          switch kind {
          case .add: map2(xp, yp, op, n, +)
          case .sub: map2(xp, yp, op, n, -)
          case .mul: map2(xp, yp, op, n, *)
          case .div: map2(xp, yp, op, n, /)
          }
        }
      }
    }
    return Tensor(shape: a.shape, data: out, op: "\(kind)", inputs: [a, b]) { g in
      // ∂/∂a and ∂/∂b as g combined with the other operand: t[i] = f(g[i], v[i]).
      func gradient(_ v: [Float], _ f: (Float, Float) -> Float) -> [Float] {
        uninitializedFloats(n) { r in
          g.withUnsafeBufferPointer { gp in
            v.withUnsafeBufferPointer { vp in map2(gp.baseAddress!, vp.baseAddress!, r.baseAddress!, n, f) }
          }
        }
      }
      switch kind {
      case .add:
        a.accumulateGrad(g)
        b.accumulateGrad(g)
      case .sub:
        a.accumulateGrad(g)
        if b.requiresGrad { b.accumulateGrad(g.map { -$0 }) }
      case .mul:
        if a.requiresGrad { a.accumulateGrad(gradient(b.data, *)) }
        if b.requiresGrad { b.accumulateGrad(gradient(a.data, *)) }
      case .div:
        if a.requiresGrad { a.accumulateGrad(gradient(b.data, /)) }
        if b.requiresGrad {
          // −g·x/y² = −(g/y)·(x/y)
          let quotient = gradient(b.data, /)
          b.accumulateGrad(
            uninitializedFloats(n) { r in
              quotient.withUnsafeBufferPointer { q in
                a.data.withUnsafeBufferPointer { x in
                  b.data.withUnsafeBufferPointer { y in
                    for i in 0..<n { r[i] = -q[i] * (x[i] / y[i]) }
                  }
                }
              }
            })
        }
      }
    }
  }

  /// a ∘ s for a one-value b (a scalar, or [1], [1, 1] … of no higher rank than a).
  private static func scalarRight(_ a: Tensor, _ b: Tensor, _ kind: BinaryKind) -> Tensor {
    let n = a.count, s = b.data[0]
    let out = uninitializedFloats(n) { o in
      a.data.withUnsafeBufferPointer { x in
        let (xp, op) = (x.baseAddress!, o.baseAddress!)
        switch kind {
        case .add: mapScalar(xp, s, op, n, +)
        case .sub: mapScalar(xp, s, op, n, -)
        case .mul: mapScalar(xp, s, op, n, *)
        case .div: mapScalar(xp, s, op, n, /)
        }
      }
    }
    // Broadcasting a one-value b only adds leading 1s to its shape, so the result has a's shape.
    return Tensor(shape: a.shape, data: out, op: "\(kind)", inputs: [a, b]) { g in
      if a.requiresGrad {
        switch kind {
        case .add, .sub: a.accumulateGrad(g)
        case .mul: a.accumulateGrad(g.map { $0 * s })
        case .div: a.accumulateGrad(g.map { $0 / s })
        }
      }
      if b.requiresGrad {
        var total: Double = 0
        g.withUnsafeBufferPointer { gp in
          a.data.withUnsafeBufferPointer { x in
            for i in 0..<n {
              switch kind {
              case .add: total += Double(gp[i])
              case .sub: total -= Double(gp[i])
              case .mul: total += Double(gp[i] * x[i])
              case .div: total -= Double(gp[i] * x[i] / (s * s))
              }
            }
          }
        }
        b.accumulateGrad([Float](repeating: Float(total), count: b.count))
      }
    }
  }

  public static func + (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, .add, +, da: { _, _ in 1 }, db: { _, _ in 1 })
  }

  public static func - (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, .sub, -, da: { _, _ in 1 }, db: { _, _ in -1 })
  }

  public static func * (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, .mul, *, da: { _, y in y }, db: { x, _ in x })
  }

  public static func / (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, .div, /, da: { _, y in 1 / y }, db: { x, y in -x / (y * y) })
  }

  public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor.scalar(s) }
  public static func - (a: Tensor, s: Float) -> Tensor { a - Tensor.scalar(s) }
  public static func * (a: Tensor, s: Float) -> Tensor { a * Tensor.scalar(s) }
  public static func * (s: Float, a: Tensor) -> Tensor { a * Tensor.scalar(s) }
  public static func / (a: Tensor, s: Float) -> Tensor { a * Tensor.scalar(1 / s) }
  public static prefix func - (a: Tensor) -> Tensor { a * Tensor.scalar(-1) }
}
