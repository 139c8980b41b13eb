import Testing
@testable import FERExperiments

// The interval and test arithmetic against values worked out by hand (and
// confirmed with SciPy's stats.t and stats.ttest_rel).

@Suite struct StatisticsTests {
  @Test(arguments: [(1.0, 12.706204736174694), (4.0, 2.7764451051977934), (9.0, 2.262157162798205), (30.0, 2.0422724563012378)])
  func studentQuantiles(df: Double, expected: Double) {
    #expect(abs(StudentT.quantile(twoSidedTail: 0.05, degreesOfFreedom: df) - expected) < 1e-8)
  }

  @Test func studentTail() {
    #expect(abs(StudentT.twoSidedTail(2.0, degreesOfFreedom: 10) - 0.07338803477074037) < 1e-10)
    #expect(StudentT.twoSidedTail(0, degreesOfFreedom: 3) == 1)
    #expect(StudentT.twoSidedTail(.infinity, degreesOfFreedom: 3) == 0)
  }

  /// Five fold accuracies: mean 0.5, sd √0.00625, half-width t(0.975, 4) · sd / √5.
  @Test func meanWithItsInterval() throws {
    let e = Estimate([0.40, 0.45, 0.50, 0.55, 0.60])
    #expect(abs(e.mean - 0.5) < 1e-15 && abs(e.sd - 0.07905694150420947) < 1e-15 && e.n == 5)
    let ci = try #require(e.ci95)
    #expect(abs(ci[0] - 0.40183784192612215) < 1e-9 && abs(ci[1] - 0.5981621580738778) < 1e-9)
    #expect(Estimate([0.7]).ci95 == nil && Estimate([0.7]).sd == 0)
  }

  /// Differences 0.05, 0.1, 0, 0.1: mean 0.0625, t = 2.6112 on 3 df, p = 0.0796.
  @Test func pairedComparison() throws {
    let a = [0.5, 0.6, 0.55, 0.7], b = [0.45, 0.5, 0.55, 0.6]
    let p = PairedComparison(name: "c − b", first: "c", second: "b", differences: zip(a, b).map(-))
    #expect(abs(p.difference.mean - 0.0625) < 1e-12)
    #expect(abs(try #require(p.p) - 0.07960498081790626) < 1e-9)
    let ci = try #require(p.difference.ci95)
    #expect(abs(ci[0] + 0.013674009041440616) < 1e-9 && abs(ci[1] - 0.1386740090414406) < 1e-9)
    #expect(p.test == "paired t-test, 3 df")
    // Every difference equal: no variance, no test.
    #expect(PairedComparison(name: "x", first: "a", second: "b", differences: [0.1, 0.1, 0.1]).p == nil)
  }

  /// A summary pairs cells by (fold, seed) and skips cells one row lacks.
  @Test func gridSummaryPairsTheSameCells() throws {
    var spec = ToyData.spec
    spec.name = "toy"
    let rows = ["x", "y"].map { AblationRow(label: $0, title: $0, spec: spec, published: nil) }
    let plan = GridPlan(rows: rows, folds: [0, 1], repetitions: 2)
    func outcome(_ row: String, _ fold: Int, _ seed: Int, correct: Int) -> GridCellOutcome {
      var c = ConfusionMatrix(classes: 2)
      for i in 0..<10 { c.add(label: 0, prediction: i < correct ? 0 : 1) }
      return GridCellOutcome(
        cell: GridCell(row: row, fold: fold, seed: seed),
        result: FoldResult(fold: fold, testSubjects: [], history: [], stop: .completed, confusion: c, weightsChecksum: 0))
    }
    let outcomes = [
      outcome("x", 0, 0, correct: 6), outcome("x", 1, 0, correct: 7), outcome("x", 0, 1, correct: 8), outcome("x", 1, 1, correct: 5),
      outcome("y", 0, 0, correct: 5), outcome("y", 1, 0, correct: 5), outcome("y", 0, 1, correct: 6),
    ]
    let summary = GridSummary(plan: plan, outcomes: outcomes, pairs: [("x", "y")])
    #expect(summary.rows.map(\.accuracy.n) == [4, 3])
    #expect(abs(summary.rows[0].accuracy.mean - 0.65) < 1e-12)
    #expect(summary.rows[0].confusion.total == 40)
    // Paired over the three cells both rows have: 0.1, 0.2, 0.2.
    let pair = try #require(summary.pairs.first)
    #expect(pair.difference.n == 3 && abs(pair.difference.mean - 0.5 / 3) < 1e-12)
    #expect(summary.rowTable(showPublished: false).rows[0][2] == "65.00 [44.46, 85.54]")
    #expect(summary.pairTable.rows[0][0] == "x − y")
  }
}
