// matmul and the fully connected layer's op, on sgemm.

extension Tensor {
  /// Matrix product of [M, K] and [K, N].
  public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "matmul: cannot multiply \(a.shape) by \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var out = [Float](repeating: 0, count: m * n)
    gemm(a.data, b.data, into: &out, m: m, n: n, k: k)
    return Tensor(shape: [m, n], data: out, op: "matmul", inputs: [a, b]) { g in
      if a.requiresGrad {  // dA = G·Bᵀ
        var ga = [Float](repeating: 0, count: m * k)
        gemm(g, b.data, into: &ga, m: m, n: k, k: n, transB: true)
        a.accumulateGrad(ga)
      }
      if b.requiresGrad {  // dB = Aᵀ·G
        var gb = [Float](repeating: 0, count: k * n)
        gemm(a.data, g, into: &gb, m: k, n: n, k: m, transA: true)
        b.accumulateGrad(gb)
      }
    }
  }

  /// y = x·Wᵀ + b for x [N, in], weight [out, in] (PyTorch's layout), bias [out].
  public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(
      x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
      "linear: input \(x.shape) does not fit weight \(weight.shape) (expected [N, \(weight.shape.last ?? 0)])")
    let (n, fin, fout) = (x.shape[0], x.shape[1], weight.shape[0])
    var out = [Float](repeating: 0, count: n * fout)
    if let bias {
      precondition(bias.shape == [fout], "linear: bias \(bias.shape) should be [\(fout)]")
      for r in 0..<n { for c in 0..<fout { out[r * fout + c] = bias.data[c] } }
    }
    gemm(x.data, weight.data, into: &out, m: n, n: fout, k: fin, transB: true, accumulate: bias != nil)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor(shape: [n, fout], data: out, op: "linear", inputs: inputs) { g in
      if x.requiresGrad {  // dx = G·W
        var gx = [Float](repeating: 0, count: n * fin)
        gemm(g, weight.data, into: &gx, m: n, n: fin, k: fout)
        x.accumulateGrad(gx)
      }
      if weight.requiresGrad {  // dW = Gᵀ·x
        var gw = [Float](repeating: 0, count: fout * fin)
        gemm(g, x.data, into: &gw, m: fout, n: fin, k: n, transA: true)
        weight.accumulateGrad(gw)
      }
      if let bias, bias.requiresGrad {
        var gb = [Float](repeating: 0, count: fout)
        for r in 0..<n { for c in 0..<fout { gb[c] += g[r * fout + c] } }
        bias.accumulateGrad(gb)
      }
    }
  }
}

/// Dense row-major GEMM on arrays: out (M×N) = op(a)·op(b) (+ out when accumulating).
package func gemm(
  _ a: [Float], _ b: [Float], into out: inout [Float], m: Int, n: Int, k: Int,
  transA: Bool = false, transB: Bool = false, accumulate: Bool = false
) {
  guard m > 0, n > 0 else { return }
  if k == 0 {
    if !accumulate { for i in 0..<out.count { out[i] = 0 } }
    return
  }
  a.withUnsafeBufferPointer { ap in
    b.withUnsafeBufferPointer { bp in
      out.withUnsafeMutableBufferPointer { op in
        sgemm(
          transA: transA, transB: transB, m: m, n: n, k: k,
          a: ap.baseAddress!, lda: transA ? m : k, b: bp.baseAddress!, ldb: transB ? k : n,
          beta: accumulate ? 1 : 0, c: op.baseAddress!, ldc: n)
      }
    }
  }
}
