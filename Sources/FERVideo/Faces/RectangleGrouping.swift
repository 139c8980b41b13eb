// OpenCV's groupRectangles, which turns the many raw hits around each face into
// one box:
//
// 1. Partition: two hits are similar when every edge of one is within
//    δ = eps · (min widths + min heights) / 2 of the other's; classes are the
//    connected components of that relation (union–find), numbered in order of
//    their first hit.
// 2. Each class becomes the average of its rectangles (coordinates summed as
//    integers, multiplied by 1/n in float, rounded half to even), weighted by
//    its hit count n.
// 3. Classes with n ≤ groupThreshold are dropped, and so is a class lying
//    inside another kept class (edges within eps of its size) when that other
//    has more hits than max(3, n) — or whenever n < 3.
//
// groupThreshold ≤ 0 returns the rectangles unchanged (each with count 1).

/// Groups raw detections as cv2.groupRectangles(rects, groupThreshold, eps).
public func groupRectangles(_ rects: [PixelRect], groupThreshold: Int, eps: Double) -> [PixelRect] {
  groupRectanglesCounting(rects, groupThreshold: groupThreshold, eps: eps).map(\.rect)
}

/// Grouped rectangles with the number of raw hits each averages (OpenCV's
/// `weights` / detectMultiScale2's numDetections).
func groupRectanglesCounting(
  _ rects: [PixelRect], groupThreshold: Int, eps: Double
) -> [(rect: PixelRect, count: Int)] {
  guard groupThreshold > 0, !rects.isEmpty else { return rects.map { ($0, 1) } }
  let (labels, classCount) = partition(rects) { similar($0, $1, eps: eps) }

  var sums = [(x: Int, y: Int, width: Int, height: Int)](repeating: (0, 0, 0, 0), count: classCount)
  var counts = [Int](repeating: 0, count: classCount)
  for (rect, label) in zip(rects, labels) {
    sums[label].x += rect.x
    sums[label].y += rect.y
    sums[label].width += rect.width
    sums[label].height += rect.height
    counts[label] += 1
  }
  let averages = (0..<classCount).map { c -> PixelRect in
    let s = 1 / Float(counts[c])
    func mean(_ total: Int) -> Int { Int((Float(total) * s).rounded(.toNearestOrEven)) }
    return PixelRect(x: mean(sums[c].x), y: mean(sums[c].y), width: mean(sums[c].width), height: mean(sums[c].height))
  }

  var kept: [(rect: PixelRect, count: Int)] = []
  for i in 0..<classCount where counts[i] > groupThreshold {
    let r1 = averages[i], n1 = counts[i]
    let insideAnother = (0..<classCount).contains { j in
      guard j != i, counts[j] > groupThreshold else { return false }
      let r2 = averages[j], n2 = counts[j]
      let dx = Int((Double(r2.width) * eps).rounded(.toNearestOrEven))
      let dy = Int((Double(r2.height) * eps).rounded(.toNearestOrEven))
      return r1.x >= r2.x - dx && r1.y >= r2.y - dy && r1.x + r1.width <= r2.x + r2.width + dx
        && r1.y + r1.height <= r2.y + r2.height + dy && (n2 > max(3, n1) || n1 < 3)
    }
    if !insideAnother { kept.append((r1, n1)) }
  }
  return kept
}

/// OpenCV's similarity of two hits (the SimilarRects predicate).
func similar(_ a: PixelRect, _ b: PixelRect, eps: Double) -> Bool {
  let delta = eps * Double(min(a.width, b.width) + min(a.height, b.height)) * 0.5
  return Double(abs(a.x - b.x)) <= delta && Double(abs(a.y - b.y)) <= delta
    && Double(abs(a.x + a.width - b.x - b.width)) <= delta && Double(abs(a.y + a.height - b.y - b.height)) <= delta
}

/// Connected components of `areSimilar` over `items` (union–find with path
/// compression). Returns a class label per item, classes numbered 0, 1, … in
/// order of their first item, and the number of classes.
func partition<T>(_ items: [T], _ areSimilar: (T, T) -> Bool) -> (labels: [Int], count: Int) {
  var parent = Array(items.indices)
  func root(_ i: Int) -> Int {
    var r = i
    while parent[r] != r { r = parent[r] }
    var k = i
    while parent[k] != r { (parent[k], k) = (r, parent[k]) }
    return r
  }
  for i in items.indices {
    for j in (i + 1)..<items.count where areSimilar(items[i], items[j]) {
      let (ri, rj) = (root(i), root(j))
      if ri != rj { parent[max(ri, rj)] = min(ri, rj) }
    }
  }
  var labelOfRoot: [Int: Int] = [:]
  var labels: [Int] = []
  labels.reserveCapacity(items.count)
  for i in items.indices {
    let r = root(i)
    if let label = labelOfRoot[r] {
      labels.append(label)
    } else {
      labelOfRoot[r] = labelOfRoot.count
      labels.append(labelOfRoot.count - 1)
    }
  }
  return (labels, labelOfRoot.count)
}
