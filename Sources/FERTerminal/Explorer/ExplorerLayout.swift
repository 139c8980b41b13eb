// Where the explorer's panels go for a screen size. Two arrangements:
//
// compact (80×24 and anything short of the wide one):
//   header · switches line · loss | accuracy · confusion | gradient flow ·
//   notebook (a few lines; it takes over the confusion/flow row while the
//   notebook has focus) · progress · command line
// wide (from 100×36):
//   header · model | dataset & training · loss | accuracy ·
//   confusion | gradient flow · notebook | result table · progress · command line
//
// Extra rows go to the plots and the notebook; the confusion row stops growing
// once six classes fit with their footer.

/// Rectangles of every panel on one screen (frames included). A panel with an
/// empty rectangle is not shown at this size.
public struct ExplorerLayout: Equatable, Sendable {
  public enum Arrangement: Sendable { case compact, wide, tooSmall }

  public var arrangement: Arrangement
  public var header = Rect(width: 0, height: 0)
  /// The switches: one line (compact) or a framed panel (wide).
  public var model = Rect(width: 0, height: 0)
  /// Dataset and training settings (wide only).
  public var settings = Rect(width: 0, height: 0)
  public var loss = Rect(width: 0, height: 0)
  public var accuracy = Rect(width: 0, height: 0)
  public var confusion = Rect(width: 0, height: 0)
  public var flow = Rect(width: 0, height: 0)
  public var notebook = Rect(width: 0, height: 0)
  /// The latest cv / ablation table, or the runs (wide only).
  public var table = Rect(width: 0, height: 0)
  public var progress = Rect(width: 0, height: 0)
  public var commandLine = Rect(width: 0, height: 0)

  /// The smallest screen the explorer draws panels on.
  public static let minimumSize = (width: 60, height: 20)

  /// The layout of a `width` × `height` screen. `notebookFocused` (scrolled back,
  /// or typing a command) gives the compact notebook the confusion/flow row;
  /// `notebookZoomed` gives it everything between the header and the progress row.
  public init(width: Int, height: Int, notebookFocused: Bool = false, notebookZoomed: Bool = false) {
    guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
      arrangement = .tooSmall
      return
    }
    let screen = Rect(width: width, height: height)
    var (top, rest) = screen.splitTop(1)
    header = top
    let bottom: Rect
    (rest, bottom) = rest.splitBottom(2)
    (progress, commandLine) = bottom.splitTop(1)

    if notebookZoomed {
      arrangement = width >= 100 && height >= 36 ? .wide : .compact
      notebook = rest
      return
    }
    if width >= 100 && height >= 36 {
      arrangement = .wide
      let extra = rest.height - 34  // 34 rows: 5 model, 11 plots, 10 confusion, 8 notebook
      let plotsHeight = 11 + extra / 2
      (top, rest) = rest.splitTop(5)
      (model, settings) = top.splitLeft(width / 2)
      (top, rest) = rest.splitTop(plotsHeight)
      (loss, accuracy) = top.splitLeft(width / 2)
      (top, rest) = rest.splitTop(10)
      (confusion, flow) = top.splitLeft(Self.confusionWidth(width))
      (notebook, table) = rest.splitLeft(width - Self.confusionWidth(width))
      return
    }

    arrangement = .compact
    (model, rest) = rest.splitTop(1)
    let extra = rest.height - 20  // 20 rows: 9 plots, 9 confusion, 2 notebook
    (top, rest) = rest.splitTop(9 + extra / 3)
    (loss, accuracy) = top.splitLeft(width / 2)
    let panelsHeight = min(10, 9 + extra / 3)
    if notebookFocused {
      notebook = rest
    } else {
      (top, notebook) = rest.splitTop(panelsHeight)
      (confusion, flow) = top.splitLeft(Self.confusionWidth(width))
    }
  }

  /// Wide enough for six classes with two-digit counts, growing with the screen.
  static func confusionWidth(_ width: Int) -> Int {
    min(52, max(34, width * 2 / 5))
  }
}
