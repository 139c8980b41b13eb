import Testing
@testable import FERCore

@Suite("maxPool2d / globalAvgPool")
struct PoolingTests {
  /// A tensor tracking gradients whose values are distinct and at least 0.1 apart (shuffled),
  /// so a finite-difference step of 0.01 never changes which value is a window's maximum.
  static func spreadValues(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededRNG(seed: seed)
    var values = (0..<elementCount(shape)).map { Float($0) * 0.1 - 2 }
    for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, rng.nextInt(below: i + 1)) }
    return Tensor(shape: shape, data: values, requiresGrad: true)
  }

  // (input shape, kernel, stride, padding): floor-sized outputs on odd sizes, padded windows.
  static let cases: [([Int], Int, Int, Int)] = [
    ([2, 3, 7, 5], 2, 2, 0),
    ([1, 2, 6, 6], 2, 2, 0),
    ([2, 2, 7, 6], 3, 2, 1),
    ([1, 1, 5, 5], 3, 1, 1),
    ([2, 1, 4, 7], 3, 2, 0),
  ]

  @Test(arguments: cases)
  func maxPoolGradients(shape: [Int], kernel: Int, stride: Int, padding: Int) {
    let x = Self.spreadValues(shape, seed: 1)
    checkGradients([x]) { $0[0].maxPool2d(kernel: kernel, stride: stride, padding: padding) }
  }

  @Test func maxPoolTwoByTwoFloorsOddSizes() {
    // 3×5 → 1×2: the last row and column fall outside every window.
    let x = Tensor(shape: [1, 1, 3, 5], data: [
      1, 9, 2, 3, 0,
      4, 5, 8, 7, 6,
      9, 9, 9, 9, 9,
    ])
    let y = x.maxPool2d(kernel: 2, stride: 2)
    #expect(y.shape == [1, 1, 1, 2])
    #expect(y.data == [9, 8])
  }

  @Test func maxPoolPaddingNeverWins() {
    // All values negative: zero padding would win every border window; −∞ padding must not.
    let x = Tensor(shape: [1, 1, 3, 3], data: [-1, -2, -3, -4, -5, -6, -7, -8, -9])
    let y = x.maxPool2d(kernel: 3, stride: 2, padding: 1)
    #expect(y.shape == [1, 1, 2, 2])
    #expect(y.data == [-1, -2, -4, -5])
  }

  @Test func maxPoolGradientGoesToTheMaximum() {
    let x = Tensor(shape: [1, 1, 2, 4], data: [1, 3, 8, 2, 4, 2, 5, 7], requiresGrad: true)
    let y = x.maxPool2d(kernel: 2, stride: 2)
    #expect(y.data == [4, 8])
    y.backward(seed: [10, 20])
    #expect(x.grad == [0, 0, 20, 0, 10, 0, 0, 0])
  }

  @Test func maxPoolTiesGoToTheFirstAndNaNWins() {
    // 2×2 windows: all four equal → the first; NaN anywhere → NaN, and the last NaN takes the
    // gradient (PyTorch's `val > max || isnan(val)`); −∞ alone → the first. Three copies side
    // by side: twelve windows in a row, eight taken in SIMD lanes and four one at a time.
    let nan = Float.nan, inf = Float.infinity
    let upper: [Float] = [5, 5, 1, nan, nan, 1, -inf, -inf]
    let lower: [Float] = [5, 5, 3, 2, nan, 2, -inf, -inf]
    let x = Tensor(shape: [1, 1, 2, 24], data: Array([[Float]](repeating: upper, count: 3).joined())
      + Array([[Float]](repeating: lower, count: 3).joined()), requiresGrad: true)
    let y = x.maxPool2d(kernel: 2, stride: 2)
    y.backward(seed: [Float](repeating: 1, count: 12))
    for copy in 0..<3 {
      let window = Array(y.data[(4 * copy)..<(4 * copy + 4)])
      #expect(window[0] == 5 && window[1].isNaN && window[2].isNaN && window[3] == -inf)
      let (upperRow, lowerRow) = ((8 * copy)..<(8 * copy + 8), (24 + 8 * copy)..<(24 + 8 * copy + 8))
      #expect(Array(x.grad![upperRow]) == [1, 0, 0, 1, 0, 0, 1, 0], "upper row, copy \(copy)")
      #expect(Array(x.grad![lowerRow]) == [0, 0, 0, 0, 1, 0, 0, 0], "lower row, copy \(copy)")
    }
  }

  @Test func maxPoolOverlappingWindowsAddUp() {
    // 3×3 windows at stride 1: the centre value 9 is the maximum of all four windows.
    let x = Tensor(shape: [1, 1, 3, 3], data: [1, 2, 3, 4, 9, 5, 6, 7, 8], requiresGrad: true)
    let y = x.maxPool2d(kernel: 2, stride: 1)
    #expect(y.data == [9, 9, 9, 9])
    y.sum().backward()
    #expect(x.grad == [0, 0, 0, 0, 4, 0, 0, 0, 0])
  }

  /// Enough planes to be split over the cores; every output and the gradient routing must
  /// match a window-by-window maximum: padded windows, and the streams' 2×2 windows on
  /// an odd-sized image (their own loop).
  @Test(arguments: [(32, 30, 3, 2, 1), (31, 29, 2, 2, 0)])
  func largeInputMatchesWindowMaxima(h: Int, w: Int, k: Int, s: Int, p: Int) {
    let (n, c) = (4, 8)
    let x = Self.spreadValues([n, c, h, w], seed: 3)
    let y = x.maxPool2d(kernel: k, stride: s, padding: p)
    let (outH, outW) = ((h + 2 * p - k) / s + 1, (w + 2 * p - k) / s + 1)
    #expect(y.shape == [n, c, outH, outW])
    var expected = [Float](repeating: 0, count: y.count)
    var expectedGrad = [Float](repeating: 0, count: x.count)
    for plane in 0..<(n * c) {
      for oh in 0..<outH {
        for ow in 0..<outW {
          var best = (value: -Float.infinity, index: -1)
          for ih in max(oh * s - p, 0)..<min(oh * s - p + k, h) {
            for iw in max(ow * s - p, 0)..<min(ow * s - p + k, w) {
              let i = (plane * h + ih) * w + iw
              if x.data[i] > best.value { best = (x.data[i], i) }
            }
          }
          expected[(plane * outH + oh) * outW + ow] = best.value
          expectedGrad[best.index] += 1
        }
      }
    }
    #expect(y.data == expected)
    y.sum().backward()
    #expect(x.grad == expectedGrad)
  }

  @Test func globalAvgPoolValuesAndGradients() {
    let x = Tensor(shape: [2, 2, 1, 2], data: [1, 3, 2, 6, -1, 1, 10, 20], requiresGrad: true)
    let y = x.globalAvgPool()
    #expect(y.shape == [2, 2])
    #expect(y.data == [2, 4, 0, 15])
    checkGradients([parameter([2, 3, 5, 3], seed: 2)]) { $0[0].globalAvgPool() }
  }
}
