import Testing
@testable import FERTerminal

@Suite("AxisScale")
struct AxisScaleTests {
  @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    #expect(AxisScale.niceStep(span: 10, maxTicks: 6) == 2)
    #expect(AxisScale.niceStep(span: 1.94, maxTicks: 6) == 0.5)
    #expect(abs(AxisScale.niceStep(span: 0.03, maxTicks: 7) - 0.005) < 1e-15)
    #expect(AxisScale.niceStep(span: 700, maxTicks: 3) == 500)
    #expect(AxisScale.niceStep(span: 0, maxTicks: 5) == 1)
  }

  @Test func stepsGrowWhenWideningAddsTicks() {
    #expect(AxisScale.nextNiceStep(after: 0.05) == 0.1)
    #expect(AxisScale.nextNiceStep(after: 2) == 5)
    #expect(AxisScale.nextNiceStep(after: 500) == 1000)
    // 0.05-steps would widen [0.63, 0.77] to 5 ticks; 4 are allowed, so the step becomes 0.1.
    let scale = AxisScale.linear(covering: [0.63, 0.77], maxTicks: 4, extendToTicks: true)
    #expect(scale.ticks.count == 3)
    #expect(abs(scale.lower - 0.6) < 1e-12 && abs(scale.upper - 0.8) < 1e-12)
  }

  @Test func linearAxesWidenToTheTicksAroundTheData() {
    let scale = AxisScale.linear(covering: [0.13, .nan, 2.07, .infinity], maxTicks: 6, extendToTicks: true)
    #expect(scale.lower == 0 && scale.upper == 2.5)
    #expect(scale.ticks == [0, 0.5, 1, 1.5, 2, 2.5])
    #expect(scale.ticks.map { scale.label($0) } == ["0", "0.5", "1.0", "1.5", "2.0", "2.5"])
  }

  @Test func integerAxesKeepTheDataRangeAndWholeTicks() {
    let scale = AxisScale.linear(covering: Array(1...30).map(Double.init), maxTicks: 7, extendToTicks: false, integerTicks: true)
    #expect(scale.lower == 1 && scale.upper == 30)
    #expect(scale.ticks == [5, 10, 15, 20, 25, 30])
    #expect(scale.label(25) == "25")
    let few = AxisScale.linear(covering: [1, 2, 3], maxTicks: 10, extendToTicks: false, integerTicks: true)
    #expect(few.ticks == [1, 2, 3])
  }

  @Test func degenerateDataStillGivesAnAxis() {
    let empty = AxisScale.linear(covering: [], maxTicks: 5, extendToTicks: true)
    #expect(empty.lower == 0 && empty.upper == 1)
    let single = AxisScale.linear(covering: [0.5], maxTicks: 5, extendToTicks: false)
    #expect(single.lower < 0.5 && single.upper > 0.5)
    #expect(abs(single.fraction(0.5) - 0.5) < 1e-12)
    let zeros = AxisScale.linear(covering: [0, 0], maxTicks: 5, extendToTicks: true, includeZero: true)
    #expect(zeros.lower == 0 && zeros.upper == 1)
    let epoch = AxisScale.linear(covering: [1], maxTicks: 5, extendToTicks: false, integerTicks: true)
    #expect(epoch.lower == 0 && epoch.upper == 2)
  }

  @Test func positionsMapOntoCells() {
    let scale = AxisScale.linear(covering: [0, 10], maxTicks: 3, extendToTicks: true)
    #expect(scale.position(0, count: 11) == 0)
    #expect(scale.position(10, count: 11) == 10)
    #expect(scale.position(4.4, count: 11) == 4)
    #expect(scale.position(4.6, count: 11) == 5)
    #expect(scale.position(11, count: 11) == nil)
    #expect(scale.position(.nan, count: 11) == nil)
  }

  @Test func logAxesSpanWholeDecades() {
    let scale = AxisScale.log10(covering: [0.0011, 0.8, 0, -1, .nan], maxTicks: 5)
    #expect(abs(scale.lower - 0.001) < 1e-15 && scale.upper == 1)
    #expect(scale.ticks.map { scale.label($0) } == ["0.001", "0.01", "0.1", "1"])
    #expect(abs(scale.fraction(0.01) - 1.0 / 3) < 1e-12)
    #expect(scale.fraction(0).isNaN)
    #expect(scale.fraction(-2).isNaN)
  }

  @Test func logAxesThinTheirTicksOverManyDecades() {
    let scale = AxisScale.log10(covering: [1e-9, 50], maxTicks: 4)
    // 11 decades, at most 4 ticks: every 4th decade, the top on a tick.
    #expect(scale.ticks.map { scale.label($0) } == ["1e-10", "1e-6", "0.01", "100"])
    #expect(scale.upper == 100)
  }

  @Test func labelsUseScientificNotationForExtremes() {
    let tiny = AxisScale.linear(covering: [0, 0.00004], maxTicks: 3, extendToTicks: true)
    #expect(tiny.label(tiny.ticks[1]) == "2.0e-05")
    let huge = AxisScale.linear(covering: [0, 3e7], maxTicks: 4, extendToTicks: true)
    #expect(huge.label(1e7) == "1.0e+07")
  }
}
