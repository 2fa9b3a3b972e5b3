import Foundation
import MemorialTemplates

/// A bar chart of people convicted and shot, drawn at build time as inline SVG: no scripts, no
/// fonts, no images. `svg(id:)` gives one `<svg>` element, every text in it already escaped, for
/// a page to include as is (`{{{…}}}`). The numbers should also be on the page as a table, with
/// the links to the groups: the chart is `role="img"`, so assistive technology reads only its
/// title, and its bars are not links (interactive content inside an image is unreachable to it).
///
/// Each bar is one `<g class="chart-bar">` with a `<title>` ("1937: 120 convicted, 80 shot");
/// the shot, a subset of the convicted, are drawn over the convicted bar from its base in a
/// darker colour. Colours are `fill` attributes, which the stylesheet's `chart-…` classes
/// override. The output depends only on the value: the same chart gives the same bytes.
struct BarChart: Sendable {
    enum Orientation: Sendable {
        /// Columns side by side, labels underneath: for years.
        case vertical
        /// Rows one under another, labels on the left: for many or long labels.
        case horizontal
    }

    struct Bar: Sendable, Equatable {
        var label: String
        /// The label's language (BCP 47) when it differs from the page's; written as `lang`.
        var labelLanguage: String?
        var convicted: Int
        /// Drawn no longer than `convicted` (they are a subset), though written as given.
        var shot: Int
    }

    var title: String
    var convictedLabel: String
    var shotLabel: String
    var bars: [Bar]
    var orientation: Orientation

    /// The `<svg>` element as HTML text, already escaped; empty when there are no bars. `id` must
    /// be unique in the page: the element's ids are made from it.
    func svg(id: String) -> String {
        guard !bars.isEmpty else { return "" }
        let layout = orientation == .vertical ? verticalLayout() : horizontalLayout()
        let titleID = HTMLEscaping.escape(id + "-title")
        let kind = orientation == .vertical ? "vertical" : "horizontal"
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind)\" "
            + "viewBox=\"0 0 \(Self.number(layout.width)) \(Self.number(layout.height))\" "
            + "preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"\(titleID)\" "
            + "font-family=\"sans-serif\" font-size=\"\(Self.number(Self.fontSize))\" fill=\"\(Self.inkColour)\">\n"
            + "<title id=\"\(titleID)\">\(HTMLEscaping.escape(title))</title>\n"
        out += legend()
        out += layout.body
        out += "</svg>"
        return out
    }

    /// Gridline values from 0 up to the first at or above `max`, a round step apart (1, 2 or 5
    /// times a power of ten), at most five steps; `[0, 1]` when `max` is 0 or less, and `[0, max]`
    /// when a round top would not fit in an `Int`.
    static func niceTicks(max: Int) -> [Int] {
        guard max > 1 else { return [0, 1] }
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] {
                let (step, overflow) = magnitude.multipliedReportingOverflow(by: factor)
                if overflow { return [0, max] }
                if step >= ceilingDivision(max, maximumSteps) {
                    let steps = ceilingDivision(max, step)
                    if steps.multipliedReportingOverflow(by: step).overflow { return [0, max] }
                    return (0...steps).map { $0 * step }
                }
            }
            let (next, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return [0, max] }
            magnitude = next
        }
    }

    private static func ceilingDivision(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }

    // MARK: - Drawing constants

    static let maximumSteps = 5
    static let fontSize = 12.0
    static let smallFontSize = 11.0
    static let convictedColour = "#7890a8"
    static let shotColour = "#5c1f16"
    static let inkColour = "#1d1b18"
    static let mutedColour = "#5b564e"
    static let gridColour = "#d8d1c4"
    static let legendHeight = 24.0

    private struct Layout {
        var width: Double
        var height: Double
        var body: String
    }

    /// The largest count, which the axis must reach.
    private var largestCount: Int { bars.map { Swift.max($0.convicted, $0.shot) }.max() ?? 0 }

    private func legend() -> String {
        let size = 11.0
        let baseline = 14.0
        var out = "<g class=\"chart-legend\">"
        var x = 0.0
        for (label, colour, kind) in [
            (convictedLabel, Self.convictedColour, "convicted"), (shotLabel, Self.shotColour, "shot"),
        ] {
            out += "<rect class=\"chart-\(kind)\" x=\"\(Self.number(x))\" y=\"\(Self.number(baseline - size + 1))\" "
            out += "width=\"\(Self.number(size))\" height=\"\(Self.number(size))\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(Self.number(x + size + 5))\" y=\"\(Self.number(baseline))\">"
            out += "\(HTMLEscaping.escape(label))</text>"
            x += size + 5 + Self.estimatedWidth(label, fontSize: Self.fontSize) + 18
        }
        return out + "</g>\n"
    }

    // MARK: - Vertical: columns

    private func verticalLayout() -> Layout {
        let width = 600.0
        let plotHeight = 220.0
        let ticks = Self.niceTicks(max: largestCount)
        let top = Double(ticks.last ?? 1)
        let tickTexts = ticks.map(Self.formatted)
        let tickWidth = tickTexts.map { Self.estimatedWidth($0, fontSize: Self.smallFontSize) }.max() ?? 0
        let plotLeft = (tickWidth + 8).rounded(.up)
        let plotRight = width - 2
        let slot = (plotRight - plotLeft) / Double(bars.count)
        let barWidth = Self.rounded(Swift.min(slot * 0.72, 48))
        let convictedHeights = bars.map { Self.rounded(Double(Swift.max(0, $0.convicted)) / top * plotHeight) }
        let shotHeights = zip(bars, convictedHeights).map { bar, convicted in
            Swift.min(convicted, Self.rounded(Double(Swift.max(0, bar.shot)) / top * plotHeight))
        }

        // Numbers over the columns: level if they fit the column, else turned up, else left out;
        // room above the plot for those that rise past its top.
        let values = bars.map(valueText)
        let valueWidths = values.map { Self.estimatedWidth($0.plain, fontSize: Self.smallFontSize) }
        enum Placement { case level, turned, none }
        let valuePlacement: Placement =
            (valueWidths.max() ?? 0) + 2 <= slot ? .level : Self.smallFontSize + 1 <= slot ? .turned : .none
        var headroom = 8.0
        if valuePlacement != .none {
            for (valueWidth, height) in zip(valueWidths, convictedHeights) {
                let extent = valuePlacement == .level ? Self.smallFontSize : valueWidth
                headroom = Swift.max(headroom, extent + 6 - (plotHeight - height))
            }
        }
        let plotTop = Self.legendHeight + headroom.rounded(.up)
        let plotBottom = plotTop + plotHeight

        // Labels under the columns: level if every one, or every second one, fits; else turned
        // up, every one that room allows.
        let maximumLabelWidth = 140.0
        let labels = bars.map { Self.truncated($0.label, width: maximumLabelWidth, fontSize: Self.fontSize) }
        let labelWidth = labels.map { Self.estimatedWidth($0, fontSize: Self.fontSize) }.max() ?? 0
        let levelStep = Int(((labelWidth + 6) / slot).rounded(.up))
        let turned = levelStep > 2
        let labelStep = Swift.max(1, turned ? Int(((Self.fontSize + 2) / slot).rounded(.up)) : levelStep)
        let labelsHeight = turned ? labelWidth + 12 : Self.fontSize + 10
        let height = (plotBottom + labelsHeight).rounded(.up)

        var out = gridlines(ticks: ticks, texts: tickTexts, top: top) { value in
            let y = Self.rounded(plotBottom - value / top * plotHeight)
            return (plotLeft, y, plotRight, y, plotLeft - 5, y + 4)
        }
        for (index, bar) in bars.enumerated() {
            let center = plotLeft + (Double(index) + 0.5) * slot
            let x = Self.rounded(center - barWidth / 2)
            let convictedHeight = convictedHeights[index]
            // The whole column answers the pointer, so short bars show their title too.
            var group = Self.rect(
                Self.target, Self.rounded(plotLeft + Double(index) * slot), Self.legendHeight, Self.rounded(slot),
                height - Self.legendHeight)
            group += Self.rect(Self.convicted, x, plotBottom - convictedHeight, barWidth, convictedHeight)
            group += Self.rect(Self.shot, x, plotBottom - shotHeights[index], barWidth, shotHeights[index])
            let valueBottom = plotBottom - convictedHeight - 4
            switch valuePlacement {
            case .level:
                group += Self.text("chart-value", values[index].markup, center, valueBottom, anchor: "middle")
            case .turned:
                group += Self.text(
                    "chart-value", values[index].markup, center + Self.smallFontSize * 0.35, valueBottom, turned: true)
            case .none: break
            }
            if index % labelStep == 0 {
                let label = HTMLEscaping.escape(labels[index])
                if turned {
                    group += Self.text(
                        "chart-label", label, center + Self.fontSize * 0.35, plotBottom + 6, anchor: "end",
                        language: bar.labelLanguage, turned: true)
                } else {
                    group += Self.text(
                        "chart-label", label, center, plotBottom + 16, anchor: "middle", language: bar.labelLanguage)
                }
            }
            out += barGroup(bar, group)
        }
        return Layout(width: width, height: height, body: out)
    }

    // MARK: - Horizontal: rows

    private func horizontalLayout() -> Layout {
        let width = 360.0
        let rowHeight = 22.0
        let barThickness = 14.0
        let ticks = Self.niceTicks(max: largestCount)
        let top = Double(ticks.last ?? 1)
        let tickTexts = ticks.map(Self.formatted)

        let labels = bars.map { Self.truncated($0.label, width: width * 0.38, fontSize: Self.fontSize) }
        let labelWidth = labels.map { Self.estimatedWidth($0, fontSize: Self.fontSize) }.max() ?? 0
        let plotLeft = (labelWidth + 8).rounded(.up)
        let values = bars.map(valueText)
        let valueWidth = values.map { Self.estimatedWidth($0.plain, fontSize: Self.smallFontSize) }.max() ?? 0
        let lastTickHalf = Self.estimatedWidth(tickTexts.last ?? "", fontSize: Self.smallFontSize) / 2
        let plotRight = width - Swift.max(valueWidth + 6, lastTickHalf + 1).rounded(.up)
        let plotWidth = plotRight - plotLeft
        let plotTop = Self.legendHeight + 4
        let plotBottom = plotTop + Double(bars.count) * rowHeight
        let height = plotBottom + 20

        // Tick numbers under the rows: every one that room allows.
        let tickSpacing = plotWidth / Double(Swift.max(1, ticks.count - 1))
        let widestTick = tickTexts.map { Self.estimatedWidth($0, fontSize: Self.smallFontSize) }.max() ?? 0
        let tickStep = Swift.max(1, Int(((widestTick + 8) / tickSpacing).rounded(.up)))
        var out = gridlines(
            ticks: ticks, texts: tickTexts, top: top, every: tickStep, anchor: "middle"
        ) { value in
            let x = Self.rounded(plotLeft + value / top * plotWidth)
            return (x, plotTop, x, plotBottom, x, plotBottom + 14)
        }
        for (index, bar) in bars.enumerated() {
            let rowTop = plotTop + Double(index) * rowHeight
            let y = rowTop + (rowHeight - barThickness) / 2
            let convictedWidth = Self.rounded(Double(Swift.max(0, bar.convicted)) / top * plotWidth)
            let shotWidth = Swift.min(
                convictedWidth, Self.rounded(Double(Swift.max(0, bar.shot)) / top * plotWidth))
            let baseline = rowTop + rowHeight / 2 + 4
            // The whole row answers the pointer, so short bars show their title too.
            var group = Self.rect(Self.target, 0, rowTop, width, rowHeight)
            group += Self.text(
                "chart-label", HTMLEscaping.escape(labels[index]), plotLeft - 6, baseline, anchor: "end",
                language: bar.labelLanguage)
            group += Self.rect(Self.convicted, plotLeft, y, convictedWidth, barThickness)
            group += Self.rect(Self.shot, plotLeft, y, shotWidth, barThickness)
            group += Self.text("chart-value", values[index].markup, plotLeft + convictedWidth + 4, baseline)
            out += barGroup(bar, group)
        }
        return Layout(width: width, height: height, body: out)
    }

    // MARK: - Pieces

    /// The gridlines and their numbers; `place` gives a value's line (x1, y1, x2, y2) and the
    /// position of its number.
    private func gridlines(
        ticks: [Int], texts: [String], top: Double, every step: Int = 1, anchor: String = "end",
        place: (Double) -> (Double, Double, Double, Double, Double, Double)
    ) -> String {
        var lines = "<g class=\"chart-grid\" stroke=\"\(Self.gridColour)\">"
        var numbers =
            "<g class=\"chart-tick\" font-size=\"\(Self.number(Self.smallFontSize))\" "
            + "fill=\"\(Self.mutedColour)\" text-anchor=\"\(anchor)\">"
        for (index, tick) in ticks.enumerated() {
            let (x1, y1, x2, y2, textX, textY) = place(Double(tick))
            let axis = tick == 0 ? " class=\"chart-axis\" stroke=\"\(Self.mutedColour)\"" : ""
            lines +=
                "<line\(axis) x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" "
                + "x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\"/>"
            if index % step == 0 {
                numbers += "<text x=\"\(Self.number(textX))\" y=\"\(Self.number(textY))\">\(texts[index])</text>"
            }
        }
        return lines + "</g>\n" + numbers + "</g>\n"
    }

    /// One bar's group with its title.
    private func barGroup(_ bar: Bar, _ content: String) -> String {
        let title =
            "\(bar.label): \(Self.formatted(bar.convicted)) \(Self.lowercasedFirst(convictedLabel)), "
            + "\(Self.formatted(bar.shot)) \(Self.lowercasedFirst(shotLabel))"
        return "<g class=\"chart-bar\"><title>\(HTMLEscaping.escape(title))</title>\(content)</g>\n"
    }

    /// A bar's numbers, "120 · 80", the second in the shot colour.
    private func valueText(_ bar: Bar) -> (plain: String, markup: String) {
        let convicted = Self.formatted(bar.convicted)
        let shot = Self.formatted(bar.shot)
        return (
            "\(convicted) · \(shot)",
            "\(convicted)<tspan class=\"chart-shot-value\" fill=\"\(Self.shotColour)\"> · \(shot)</tspan>"
        )
    }

    private static let convicted = "class=\"chart-convicted\" fill=\"\(convictedColour)\" "
    private static let shot = "class=\"chart-shot\" fill=\"\(shotColour)\" "
    /// Unpainted, but answering the pointer: the area that shows a bar's title.
    private static let target = "fill=\"none\" pointer-events=\"all\" "

    /// A rectangle painted `convicted`, `shot` or `target`, or nothing when it has no area.
    private static func rect(_ paint: String, _ x: Double, _ y: Double, _ width: Double, _ height: Double) -> String {
        guard width > 0, height > 0 else { return "" }
        return
            "<rect \(paint)x=\"\(number(x))\" y=\"\(number(y))\" "
            + "width=\"\(number(width))\" height=\"\(number(height))\"/>"
    }

    /// A `<text>` at (x, y), or turned a quarter left about that point; `markup` is escaped.
    private static func text(
        _ kind: String, _ markup: String, _ x: Double, _ y: Double, anchor: String? = nil,
        language: String? = nil, turned: Bool = false
    ) -> String {
        var out = "<text class=\"\(kind)\""
        if let language { out += " lang=\"\(HTMLEscaping.escape(language))\"" }
        if let anchor { out += " text-anchor=\"\(anchor)\"" }
        // rotate(-90) takes (x, y) to (y, -x): the point is written as (-y, x).
        if turned {
            out += " transform=\"rotate(-90)\" x=\"\(number(-rounded(y)))\" y=\"\(number(rounded(x)))\""
        } else {
            out += " x=\"\(number(rounded(x)))\" y=\"\(number(rounded(y)))\""
        }
        return out + ">\(markup)</text>"
    }

    // MARK: - Numbers and text

    /// A count as shown: digits, grouped by threes with a narrow no-break space from 10 000 on.
    static func formatted(_ count: Int) -> String {
        let digits = String(count.magnitude)
        guard digits.count > 4 else { return count < 0 ? "−" + digits : digits }
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "\u{202F}" }
            grouped.append(digit)
        }
        return count < 0 ? "−" + grouped : grouped
    }

    /// A coordinate with at most one decimal, without locale: "12", "12.5", "-3.2".
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = tenths.magnitude / 10
        let fraction = tenths.magnitude % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// The width a text takes in a common sans-serif face, from its letters' usual widths;
    /// generous, so that a label estimated to fit does fit.
    static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for character in text { ems += Self.ems(character) }
        return ems * fontSize
    }

    /// A character's usual width, in ems.
    private static func ems(_ character: Character) -> Double {
        if character.isNumber {
            0.64
        } else if character == " " || character == "\u{202F}" || character == "\u{A0}" {
            0.32
        } else if "iljIı.,:;'!|()[]·-–іїј".contains(character) {
            0.34
        } else if "mwMWЖШЩжшщЮюМмЫы".contains(character) {
            0.9
        } else if character.isUppercase {
            0.74
        } else {
            0.62
        }
    }

    /// The text, shortened with "…" to fit `width`: the longest beginning that fits with "…",
    /// found in one pass as widths add up (dropping one character at a time and measuring the
    /// rest again took 65 s for a label of 8,000 characters).
    static func truncated(_ text: String, width: Double, fontSize: Double) -> String {
        guard estimatedWidth(text, fontSize: fontSize) > width else { return text }
        let ellipsis = ems("…")
        var ems = 0.0
        var end = text.startIndex
        for index in text.indices {
            let next = ems + Self.ems(text[index])
            if (next + ellipsis) * fontSize > width { break }
            ems = next
            end = text.index(after: index)
        }
        return text[..<end].trimmingCharacters(in: .whitespaces) + "…"
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
