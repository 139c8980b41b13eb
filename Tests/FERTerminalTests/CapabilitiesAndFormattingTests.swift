import Testing
@testable import FERTerminal

@Suite("TerminalCapabilities")
struct TerminalCapabilitiesTests {
  @Test func utf8LocaleAndTermDecide() {
    let modern = TerminalCapabilities(environment: ["LANG": "en_GB.UTF-8", "TERM": "xterm-256color"])
    #expect(modern == .full)
    let basic = TerminalCapabilities(environment: ["LC_ALL": "de_DE.utf8", "TERM": "screen"])
    #expect(basic == TerminalCapabilities(unicode: true, colors: 8))
    let truecolor = TerminalCapabilities(environment: ["LANG": "C.UTF-8", "TERM": "xterm", "COLORTERM": "truecolor"])
    #expect(truecolor.colors == 256)
  }

  @Test func lcAllOverridesLang() {
    let c = TerminalCapabilities(environment: ["LC_ALL": "C", "LANG": "en_US.UTF-8", "TERM": "xterm"])
    #expect(!c.unicode)
    let empty = TerminalCapabilities(environment: ["LC_ALL": "", "LC_CTYPE": "en_US.UTF-8", "TERM": "xterm"])
    #expect(empty.unicode)
  }

  @Test func noColorAndDumbTerminalsAreMonochrome() {
    #expect(TerminalCapabilities(environment: ["LANG": "en_US.UTF-8", "TERM": "xterm-256color", "NO_COLOR": "1"]) == .unicodeMonochrome)
    #expect(TerminalCapabilities(environment: ["TERM": "xterm", "NO_COLOR": ""]).colors == 8)  // empty NO_COLOR does not count
    #expect(TerminalCapabilities(environment: ["TERM": "dumb"]) == .ascii)
    #expect(TerminalCapabilities(environment: [:]) == .ascii)
  }

  @Test func limitingToTheTerminal() {
    #expect(TerminalCapabilities.full.limited(unicode: true, colors: 8) == TerminalCapabilities(unicode: true, colors: 8))
    #expect(TerminalCapabilities.full.limited(unicode: false, colors: 2) == .ascii)
    #expect(TerminalCapabilities.unicodeMonochrome.limited(unicode: true, colors: 256) == .unicodeMonochrome)
  }
}

@Suite("Number formatting")
struct NumberFormattingTests {
  @Test func significantDigits() {
    #expect(NumberFormatting.significant(0.41234) == "0.412")
    #expect(NumberFormatting.significant(12.345) == "12.3")
    #expect(NumberFormatting.significant(1234.5) == "1234")
    #expect(NumberFormatting.significant(-0.5) == "-0.500")
    #expect(NumberFormatting.significant(0.0000123) == "1.2e-05")
    #expect(NumberFormatting.significant(0) == "0")
    #expect(NumberFormatting.significant(.nan) == "nan")
    #expect(NumberFormatting.significant(-.infinity) == "-inf")
  }

  @Test func durations() {
    #expect(NumberFormatting.duration(seconds: 42.4) == "42s")
    #expect(NumberFormatting.duration(seconds: 187) == "3m07s")
    #expect(NumberFormatting.duration(seconds: 7500) == "2h05m")
    #expect(NumberFormatting.duration(seconds: -1) == "--")
    #expect(NumberFormatting.duration(seconds: .infinity) == "--")
  }

  @Test func ratesAndPercentages() {
    #expect(NumberFormatting.rate(12.34, unit: "clips/s") == "12.3 clips/s")
    #expect(NumberFormatting.rate(15_200, unit: "steps/s") == "15.2k steps/s")
    #expect(NumberFormatting.rate(.nan, unit: "clips/s") == "-- clips/s")
    #expect(NumberFormatting.percent(0.999) == "99%")
    #expect(NumberFormatting.percent(1.5) == "100%")
    #expect(NumberFormatting.percent(-0.2) == "0%")
  }

  @Test func heatStepsShadeAnyNonZeroShare() {
    #expect(TerminalColor.heatStep(fraction: 0) == 0)
    #expect(TerminalColor.heatStep(fraction: .nan) == 0)
    #expect(TerminalColor.heatStep(fraction: 0.01) == 1)
    #expect(TerminalColor.heatStep(fraction: 0.5) == 3)
    #expect(TerminalColor.heatStep(fraction: 1) == TerminalColor.heatSteps - 1)
    #expect(ConfusionHeatMap.shadeLevel(0) == 0)
    #expect(ConfusionHeatMap.shadeLevel(0.1) == 1)
    #expect(ConfusionHeatMap.shadeLevel(0.74) == 3)
    #expect(ConfusionHeatMap.shadeLevel(1) == 4)
  }
}
