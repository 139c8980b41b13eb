import Testing
@testable import FERTerminal

@Suite("CellGrid")
struct CellGridTests {
  @Test func textIsClippedAtTheGridEdges() {
    var grid = CellGrid(width: 6, height: 2)
    let end = grid.put("abcdefgh", x: 2, y: 0)
    grid.put("xyz", x: -1, y: 1)
    grid.put("never", x: 0, y: 2)
    #expect(end == 10)
    #expect(grid.render(plain: true) == "  abcd\nyz")
  }

  @Test func regionsUseLocalCoordinatesAndClip() {
    var grid = CellGrid(width: 8, height: 4, fill: Cell("."))
    grid.withRegion(Rect(x: 2, y: 1, width: 3, height: 2)) { region in
      #expect(region.bounds == Rect(width: 3, height: 2))
      region.put("ABCDE", x: 0, y: 0)
      region.put("Z", x: -1, y: 1)  // left of the region: dropped
      region.fill(Rect(x: 1, y: 1, width: 10, height: 10), with: "#")
    }
    #expect(grid.render(plain: true) == "........\n..ABC...\n...##...\n........")
  }

  @Test func nestedRegionsClipToEveryAncestor() {
    var grid = CellGrid(width: 10, height: 3, fill: Cell("."))
    grid.withRegion(Rect(x: 1, y: 0, width: 4, height: 3)) { outer in
      outer.withRegion(Rect(x: 2, y: 1, width: 6, height: 1)) { inner in
        #expect(inner.bounds.width == 6)
        inner.put("123456", x: 0, y: 0)  // only the first two fit inside the outer region
      }
      outer.put("o", x: 0, y: 0)
    }
    #expect(grid.render(plain: true) == ".o........\n...12.....\n..........")
  }

  @Test func regionsPartlyOutsideTheGridAreClipped() {
    var grid = CellGrid(width: 4, height: 2)
    grid.withRegion(Rect(x: -2, y: 1, width: 5, height: 5)) { region in
      region.fill(region.bounds, with: "x")
    }
    #expect(grid.render(plain: true) == "\nxxx")
  }

  @Test func restyleKeepsCharacters() {
    var grid = CellGrid(width: 4, height: 1)
    grid.put("abcd", x: 0, y: 0)
    grid.restyle(Rect(x: 1, y: 0, width: 2, height: 1)) { $0.adding(.reverse) }
    #expect(grid.render(plain: false) == "abcd\n-- styles\n.aa\na: reverse")
  }

  @Test func wideAndControlCharactersBecomeSingleColumnStandIns() {
    var grid = CellGrid(width: 8, height: 1)
    grid.put("a表\tb⣿─█", x: 0, y: 0)
    #expect(grid.render(plain: true) == "a? b⣿─█")
  }

  @Test func styledRenderingListsEachStyleOnce() {
    var grid = CellGrid(width: 5, height: 2)
    grid.put("ab", x: 0, y: 0, style: .foreground(.red, .bold))
    grid.put("c", x: 3, y: 1, style: Style(background: .heat(4)))
    grid.put("d", x: 4, y: 1, style: .foreground(.red, .bold))
    #expect(grid.render(plain: false) == "ab\n   cd\n-- styles\naa\n...ba\na: fg=red bold\nb: bg=heat4")
  }

  @Test func boxesDrawFramesWithTitlesCutToFit() {
    var grid = CellGrid(width: 12, height: 4)
    let inner = grid.box(Rect(width: 12, height: 4), title: "Confusion matrix")
    #expect(inner == Rect(x: 1, y: 1, width: 10, height: 2))
    grid.horizontalRule(x: 0, y: 2, width: 12, joined: true)
    #expect(grid.render(plain: true) == "┌─ Confu… ─┐\n│          │\n├──────────┤\n└──────────┘")

    var ascii = CellGrid(width: 6, height: 3)
    ascii.box(Rect(width: 6, height: 3), title: "long title", glyphs: .ascii)  // too narrow for a title
    ascii.verticalRule(x: 3, y: 0, height: 3, glyphs: .ascii, joined: true)
    #expect(ascii.render(plain: true) == "+--+-+\n|  | |\n+--+-+")
  }

  @Test func tooSmallBoxesDrawNothing() {
    var grid = CellGrid(width: 3, height: 3)
    let inner = grid.box(Rect(x: 1, y: 1, width: 1, height: 2), title: "x")
    #expect(inner.isEmpty)
    #expect(grid.render(plain: true) == "\n\n")
  }

  @Test func fittedCutsWithAnEllipsis() {
    #expect(fitted("happiness", width: 9) == "happiness")
    #expect(fitted("happiness", width: 6) == "happi…")
    #expect(fitted("happiness", width: 6, ellipsis: ".") == "happi.")
    #expect(fitted("happiness", width: 3) == "hap")
    #expect(fitted("happiness", width: 0) == "")
  }

  @Test func rectSplitsAndIntersections() {
    let r = Rect(x: 2, y: 3, width: 10, height: 6)
    #expect(r.splitTop(2).top == Rect(x: 2, y: 3, width: 10, height: 2))
    #expect(r.splitTop(20).rest.isEmpty)
    #expect(r.splitBottom(1).bottom == Rect(x: 2, y: 8, width: 10, height: 1))
    #expect(r.splitLeft(4).rest == Rect(x: 6, y: 3, width: 6, height: 6))
    #expect(r.intersection(Rect(x: 10, y: 0, width: 5, height: 5)) == Rect(x: 10, y: 3, width: 2, height: 2))
    #expect(r.intersection(Rect(x: 50, y: 50, width: 1, height: 1)).isEmpty)
    #expect(Rect(x: 0, y: 0, width: -3, height: 2).width == 0)
  }
}
