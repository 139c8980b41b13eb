import Foundation

// A line chart as a standalone SVG file (for a paper or a slide): axes with
// ticks, one polyline per series in its own colour and dash pattern (legible in
// print without colour), a legend, an optional log y axis.

struct SVGLineChart {
  struct Series {
    var name: String
    var points: [(x: Double, y: Double)]
  }

  var title: String
  var xLabel: String
  var yLabel: String
  var series: [Series]
  var logY = false

  static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
  static let dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]

  /// The SVG document, 640 × 400.
  var svg: String {
    let (width, height) = (640.0, 400.0)
    let (left, right, top, bottom) = (70.0, 170.0, 40.0, 50.0)
    let plotted = series.map { s in s.points.filter { $0.y.isFinite && $0.x.isFinite && (!logY || $0.y > 0) } }
    let xs = plotted.flatMap { $0.map(\.x) }, ys = plotted.flatMap { $0.map { logY ? log10($0.y) : $0.y } }
    let (x0, x1) = Self.range(xs), (y0, y1) = Self.range(ys)
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
    func py(_ y: Double) -> Double { height - bottom - ((logY ? log10(y) : y) - y0) / (y1 - y0) * (height - top - bottom) }
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(left)" y="22" font-size="15">\(Self.escaped(title))</text>
      <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="black"/>
      <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="black"/>

      """
    for i in 0...4 {
      let fx = x0 + (x1 - x0) * Double(i) / 4, fy = y0 + (y1 - y0) * Double(i) / 4
      let xText = Self.number(fx), yText = logY ? Self.number(pow(10, fy)) : Self.number(fy)
      let yPixel = height - bottom - Double(i) / 4 * (height - top - bottom)
      out += "<text x=\"\(px(fx))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(xText)</text>\n"
      out += "<text x=\"\(left - 6)\" y=\"\(yPixel + 4)\" text-anchor=\"end\">\(yText)</text>\n"
      out += "<line x1=\"\(left)\" y1=\"\(yPixel)\" x2=\"\(width - right)\" y2=\"\(yPixel)\" stroke=\"#ddd\"/>\n"
    }
    out += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(Self.escaped(xLabel))</text>\n"
    out += "<text transform=\"translate(18 \((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">\(Self.escaped(yLabel + (logY ? " (log)" : "")))</text>\n"
    for (i, points) in plotted.enumerated() {
      let color = Self.colors[i % Self.colors.count], dash = Self.dashes[i % Self.dashes.count]
      let path = points.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " ")
      out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") points=\"\(path)\"/>\n"
      let legendY = top + 18 * Double(i)
      out += "<line x1=\"\(width - right + 12)\" y1=\"\(legendY)\" x2=\"\(width - right + 40)\" y2=\"\(legendY)\" stroke=\"\(color)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
      out += "<text x=\"\(width - right + 46)\" y=\"\(legendY + 4)\">\(Self.escaped(series[i].name))</text>\n"
    }
    return out + "</svg>\n"
  }

  /// The data's range, widened when flat or empty.
  private static func range(_ values: [Double]) -> (Double, Double) {
    guard let low = values.min(), let high = values.max() else { return (0, 1) }
    return low == high ? (low - 0.5, high + 0.5) : (low, high)
  }

  private static func number(_ x: Double) -> String { String(format: "%.3g", x) }

  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
  }
}
