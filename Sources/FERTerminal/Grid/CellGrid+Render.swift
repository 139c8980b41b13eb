// Text renderings of a grid, for snapshot tests and logs.

extension CellGrid {
  /// The grid as text, one line per row, trailing spaces removed.
  ///
  /// `plain: true` gives the characters only. `plain: false` adds, after a
  /// "-- styles" line, a map with one code per cell ('.' for plain cells, a
  /// letter per distinct style in order of first appearance) and a legend
  /// ("a: fg=red bold"), so a snapshot shows colours and attributes compactly.
  public func render(plain: Bool) -> String {
    var lines: [String] = []
    for y in 0..<height {
      lines.append(trimmedTrailingSpaces(String((0..<width).map { self[$0, y].character })))
    }
    guard !plain else { return lines.joined(separator: "\n") }

    var codes: [Style: Character] = [:]
    var legend: [String] = []
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    lines.append("-- styles")
    for y in 0..<height {
      var row = ""
      for x in 0..<width {
        let style = self[x, y].style
        if style == .plain { row.append("."); continue }
        if let code = codes[style] { row.append(code); continue }
        // More distinct styles than letters: the rest share '#'.
        let code: Character = codes.count < letters.count ? letters[codes.count] : "#"
        codes[style] = code
        legend.append("\(code): \(style.summary)")
        row.append(code)
      }
      lines.append(trimmedTrailingDots(row))
    }
    return (lines + legend).joined(separator: "\n")
  }

  private func trimmedTrailingSpaces(_ line: String) -> String {
    String(line.reversed().drop { $0 == " " }.reversed())
  }

  private func trimmedTrailingDots(_ line: String) -> String {
    String(line.reversed().drop { $0 == "." }.reversed())
  }
}
