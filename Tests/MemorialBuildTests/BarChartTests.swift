import Foundation
import Testing

@testable import MemorialBuild

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The statistics charts: escaping, accessibility, proportions, gridline values, and two sample
/// charts compared byte for byte with `Tests/Fixtures/Golden/charts`. Re-record those on purpose
/// with `RECORD_SNAPSHOTS=1 swift test --filter BarChartTests`, then look at the diff.
@Suite struct BarChartTests {
    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent("Golden")
        .appendingPathComponent("charts")
    static let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"

    static func chart(_ bars: [BarChart.Bar], _ orientation: BarChart.Orientation = .vertical) -> BarChart {
        BarChart(
            title: "People convicted and shot per year", convictedLabel: "Convicted", shotLabel: "Shot", bars: bars,
            orientation: orientation)
    }

    /// 1921–1954, made up, peaking in 1937–1938 as the real numbers do.
    static let years: BarChart = {
        let convicted = [
            12, 30, 25, 18, 22, 40, 35, 60, 210, 480, 390, 260, 310, 150, 170, 240, 4_200, 3_100, 420, 260, 380,
            510, 330, 280, 240, 310, 290, 360, 330, 250, 200, 180, 120, 40,
        ]
        let bars = convicted.enumerated().map { index, count in
            BarChart.Bar(
                label: String(1921 + index), convicted: count,
                shot: count * (index == 16 || index == 17 ? 55 : 12) / 100)
        }
        return chart(bars)
    }()

    /// Twelve peoples, in Russian on an English page.
    static let peoples: BarChart = {
        let rows: [(String, Int, Int)] = [
            ("Казахи", 24_310, 5_120), ("Русские", 11_870, 2_960), ("Украинцы", 6_240, 1_480),
            ("Немцы", 3_910, 1_210), ("Татары", 2_130, 530), ("Узбеки", 1_640, 310), ("Корейцы", 980, 240),
            ("Уйгуры", 870, 260), ("Поляки", 760, 330), ("Чеченцы", 410, 95),
            ("Турки-месхетинцы", 120, 31), ("Карачаевцы и балкарцы (спецпереселенцы)", 64, 0),
        ]
        let bars = rows.map { row in
            BarChart.Bar(label: row.0, labelLanguage: "ru", convicted: row.1, shot: row.2)
        }
        return BarChart(
            title: "People convicted and shot, by nationality", convictedLabel: "Convicted", shotLabel: "Shot",
            bars: bars, orientation: .horizontal)
    }()

    /// The groups of the bars, each from `<g class="chart-bar"` to its `</g>`.
    static func barGroups(_ svg: String) -> [Substring] {
        svg.split(separator: "<g class=\"chart-bar\"").dropFirst().map { group in
            group[..<(group.range(of: "</g>")?.lowerBound ?? group.endIndex)]
        }
    }

    /// The size along the bars' length (height, or width for rows) of a bar's rectangle of `kind`.
    static func length(of kind: String, in group: Substring, _ orientation: BarChart.Orientation) -> Double {
        guard let start = group.range(of: "class=\"chart-\(kind)\"") else { return 0 }
        let tail = group[start.upperBound...]
        let rect = tail[..<(tail.range(of: "/>")?.lowerBound ?? tail.endIndex)]
        let name = orientation == .vertical ? " height=\"" : " width=\""
        guard let attribute = rect.range(of: name) else { return 0 }
        return Double(rect[attribute.upperBound...].prefix { $0 != "\"" }) ?? -1
    }

    func isWellFormedXML(_ text: String) -> Bool {
        XMLParser(data: Data(text.utf8)).parse()
    }

    @Test func hostileTextIsEscapedEverywhere() {
        let hostile = "<script>alert(\"x\")</script> & 'q'"
        let chart = BarChart(
            title: hostile, convictedLabel: "Convicted & \"sentenced\"", shotLabel: "<b>Shot</b>",
            bars: [
                BarChart.Bar(
                    label: hostile, labelLanguage: "ru\"><script>", convicted: 5, shot: 2),
                BarChart.Bar(label: "</svg><script>", convicted: 3, shot: 1),
            ], orientation: .vertical)
        for orientation in [BarChart.Orientation.vertical, .horizontal] {
            var chart = chart
            chart.orientation = orientation
            let svg = chart.svg(id: "c\"1<")
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("<b>"))
            #expect(!svg.contains("</svg><"))
            #expect(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
            #expect(svg.contains("Convicted &amp; &quot;sentenced&quot;"))
            #expect(svg.contains("id=\"c&quot;1&lt;-title\""))
            #expect(isWellFormedXML(svg))
        }
    }

    @Test func theLabelledByIDIsTheTitlesAndComesFromTheGivenID() throws {
        for chart in [Self.years, Self.peoples] {
            let svg = chart.svg(id: "chart-7")
            let match = try #require(svg.firstMatch(of: /aria-labelledby="([^"]+)"/))
            #expect(match.1 == "chart-7-title")
            #expect(svg.contains("<title id=\"\(match.1)\">\(chart.title)</title>"))
            // The title is the <svg>'s first child.
            let afterOpening = svg[(svg.range(of: ">")!.upperBound)...].drop { $0.isWhitespace }
            #expect(afterOpening.hasPrefix("<title id=\"chart-7-title\">"))
            #expect(svg.hasPrefix("<svg "))
            #expect(svg.contains("role=\"img\""))
            #expect(svg.contains("viewBox=\"0 0 "))
            #expect(!svg.contains(" width=\"100") && !svg.contains("<svg width"))
        }
    }

    @Test func thereIsOneGroupWithATitleForEveryBar() {
        for chart in [Self.years, Self.peoples] {
            let svg = chart.svg(id: "c")
            let groups = Self.barGroups(svg)
            #expect(groups.count == chart.bars.count)
            #expect(svg.components(separatedBy: "<g class=\"chart-bar\"").count - 1 == chart.bars.count)
            for (group, bar) in zip(groups, chart.bars) {
                let title = "<title>\(bar.label): \(BarChart.formatted(bar.convicted)) convicted, "
                #expect(group.contains(title))
            }
        }
        let svg = Self.years.svg(id: "c")
        #expect(svg.contains("<title>1937: 4200 convicted, 2310 shot</title>"))
    }

    /// Links inside `role="img"` are out of reach of assistive technology (axe's
    /// nested-interactive): the page's table beside the chart has them.
    @Test func theChartIsOneImageWithNothingInteractiveInside() {
        let svg = Self.peoples.svg(id: "c")
        #expect(svg.contains("role=\"img\""))
        #expect(!svg.contains("<a ") && !svg.contains("href=") && !svg.contains("tabindex"))
        #expect(svg.contains("lang=\"ru\""))
        #expect(!svg.contains("xlink"))
    }

    @Test(arguments: [BarChart.Orientation.vertical, .horizontal])
    func lengthsAreProportionalToTheCounts(_ orientation: BarChart.Orientation) {
        let chart = Self.chart(
            [
                BarChart.Bar(label: "a", convicted: 100, shot: 50), BarChart.Bar(label: "b", convicted: 200, shot: 100),
                BarChart.Bar(label: "c", convicted: 37, shot: 0), BarChart.Bar(label: "d", convicted: 0, shot: 0),
            ], orientation)
        let groups = Self.barGroups(chart.svg(id: "c"))
        let convicted = groups.map { Self.length(of: "convicted", in: $0, orientation) }
        let shot = groups.map { Self.length(of: "shot", in: $0, orientation) }
        #expect(convicted[0] > 0)
        #expect(abs(convicted[1] - 2 * convicted[0]) <= 0.2)
        #expect(abs(convicted[0] - 2 * shot[0]) <= 0.2)
        #expect(abs(shot[1] - convicted[0]) <= 0.2)
        #expect(abs(convicted[2] - convicted[0] * 0.37) <= 0.2)
        #expect(shot[2] == 0 && convicted[3] == 0)
    }

    @Test(arguments: [BarChart.Orientation.vertical, .horizontal])
    func theShotAreNeverDrawnLongerThanTheConvicted(_ orientation: BarChart.Orientation) {
        // The last bar's numbers are inconsistent: it is still drawn within the convicted bar.
        for chart in [Self.years, Self.peoples, Self.chart([BarChart.Bar(label: "x", convicted: 10, shot: 30)])] {
            var chart = chart
            chart.orientation = orientation
            for group in Self.barGroups(chart.svg(id: "c")) {
                #expect(
                    Self.length(of: "shot", in: group, orientation)
                        <= Self.length(of: "convicted", in: group, orientation))
            }
        }
    }

    @Test func niceTicksAreRoundAndReachTheMaximum() {
        #expect(BarChart.niceTicks(max: 0) == [0, 1])
        #expect(BarChart.niceTicks(max: -5) == [0, 1])
        #expect(BarChart.niceTicks(max: 1) == [0, 1])
        #expect(BarChart.niceTicks(max: 2) == [0, 1, 2])
        #expect(BarChart.niceTicks(max: 7) == [0, 2, 4, 6, 8])
        #expect(BarChart.niceTicks(max: 10) == [0, 2, 4, 6, 8, 10])
        #expect(BarChart.niceTicks(max: 99) == [0, 20, 40, 60, 80, 100])
        #expect(BarChart.niceTicks(max: 1234) == [0, 500, 1000, 1500])
        #expect(BarChart.niceTicks(max: 25000) == [0, 5000, 10000, 15000, 20000, 25000])
        #expect(BarChart.niceTicks(max: Int.max) == [0, Int.max])
        for max in [3, 11, 49, 101, 4_200, 123_456, Int.max / 2] {
            let ticks = BarChart.niceTicks(max: max)
            let step = ticks[1]
            #expect(ticks.first == 0)
            #expect(ticks.last! >= max)
            #expect(ticks.count >= 2 && ticks.count <= 6)
            #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1 - $0 == step })
            var mantissa = step
            while mantissa % 10 == 0 { mantissa /= 10 }
            #expect([1, 2, 5].contains(mantissa))
        }
    }

    @Test func theSameChartGivesTheSameBytes() {
        #expect(Self.years.svg(id: "y") == Self.years.svg(id: "y"))
        #expect(Self.peoples.svg(id: "p") == Self.peoples.svg(id: "p"))
    }

    @Test func noBarsGiveNothingAndZeroCountsDrawAnEmptyChart() {
        #expect(Self.chart([]).svg(id: "c") == "")
        #expect(Self.chart([], .horizontal).svg(id: "c") == "")
        for orientation in [BarChart.Orientation.vertical, .horizontal] {
            let svg = Self.chart(
                [
                    BarChart.Bar(label: "1950", convicted: 0, shot: 0),
                    BarChart.Bar(label: "1951", convicted: 0, shot: 0),
                ],
                orientation
            ).svg(id: "c")
            #expect(Self.barGroups(svg).count == 2)
            #expect(!svg.contains("nan") && !svg.contains("inf"))
            #expect(Self.barGroups(svg).allSatisfy { !$0.contains("chart-convicted") && !$0.contains("chart-shot\"") })
            #expect(isWellFormedXML(svg))
        }
    }

    @Test func numbersAreCompact() {
        let svg = Self.years.svg(id: "y")
        // No coordinate has more than one decimal.
        #expect(svg.firstMatch(of: /="-?\d+\.\d\d/) == nil)
        #expect(!svg.contains("  ") && !svg.contains("\n "))
        #expect(BarChart.formatted(25000) == "25\u{202F}000")
        #expect(BarChart.formatted(4200) == "4200")
        #expect(BarChart.number(12.0) == "12" && BarChart.number(12.46) == "12.5" && BarChart.number(-0.04) == "0")
    }

    @Test func theSampleChartsMatchTheirGoldenFiles() throws {
        for (name, chart) in [("years", Self.years), ("peoples", Self.peoples)] {
            let svg = chart.svg(id: name) + "\n"
            let url = Self.goldenURL.appendingPathComponent("\(name).svg")
            if Self.recording {
                try FileManager.default.createDirectory(at: Self.goldenURL, withIntermediateDirectories: true)
                try Data(svg.utf8).write(to: url)
            }
            let golden = try #require(
                try? String(contentsOf: url, encoding: .utf8), "no \(name).svg: record it with RECORD_SNAPSHOTS=1")
            if svg != golden {
                let got = svg.split(separator: "\n", omittingEmptySubsequences: false)
                let wanted = golden.split(separator: "\n", omittingEmptySubsequences: false)
                let first = zip(got, wanted).enumerated().first { $0.element.0 != $0.element.1 }
                let detail =
                    first.map { "line \($0.offset + 1):\n  got:      \($0.element.0)\n  expected: \($0.element.1)" }
                    ?? "length differs"
                Issue.record("\(name).svg differs from its golden file at \(detail)")
            }
        }
    }
}
