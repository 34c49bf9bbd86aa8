/// Small inline SVG charts: an entity's mentions per year, a treaty's
/// lifecycle. Readable without JavaScript, with a text alternative, drawn
/// with `currentColor` so they follow the theme (light, dark, print).
enum Timeline {
    /// Bars of mentions per year, every year between the first and last shown.
    static func mentions(_ counts: [Int: Int], name: String, id: String) -> String? {
        guard let first = counts.keys.min(), let last = counts.keys.max() else { return nil }
        let years = Array(first...last)
        let peak = max(1, counts.values.max() ?? 1)
        let barWidth = 28, gap = 8, height = 90, top = 16
        let width = years.count * (barWidth + gap) + gap
        let summary = years.map { "\($0): \(counts[$0] ?? 0)" }.joined(separator: ", ")
        var svg = """
            <svg class="timeline" role="img" aria-labelledby="tl-\(id)-t" viewBox="0 0 \(width) \(height + 36)" \
            width="\(width)" height="\(height + 36)" xmlns="http://www.w3.org/2000/svg">\
            <title id="tl-\(id)-t">Articles mentioning \(HTML.escape(name)) per year: \(summary)</title>
            """
        for (index, year) in years.enumerated() {
            let count = counts[year] ?? 0
            let h = count == 0 ? 0 : max(2, count * height / peak)
            let x = gap + index * (barWidth + gap)
            svg += "<rect x=\"\(x)\" y=\"\(top + height - h)\" width=\"\(barWidth)\" height=\"\(h)\" class=\"bar\"/>"
            if count > 0 { svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + height - h - 3)\" class=\"value\">\(count)</text>" }
            svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + height + 16)\" class=\"year\">\(year)</text>"
        }
        return svg + "</svg>"
    }

    struct Event { let label: String; let date: SimpleDate }

    /// A treaty's dates on one line: signed, in force, extended, expiry or end.
    static func lifecycle(_ events: [Event], name: String, id: String) -> String? {
        let events = events.sorted { $0.date < $1.date }
        guard events.count >= 2, let start = events.first?.date, let end = events.last?.date else { return nil }
        func day(_ d: SimpleDate) -> Double { Double(d.year) * 372 + Double(d.month) * 31 + Double(d.day) }
        let span = max(1, day(end) - day(start))
        let width = 640.0, left = 60.0, right = 60.0, line = 40.0
        func x(_ d: SimpleDate) -> Int { Int(left + (day(d) - day(start)) / span * (width - left - right)) }
        let summary = events.map { "\($0.label) \($0.date.longForm)" }.joined(separator: "; ")
        var svg = """
            <svg class="lifecycle" role="img" aria-labelledby="lc-\(id)-t" viewBox="0 0 \(Int(width)) 110" \
            width="\(Int(width))" height="110" xmlns="http://www.w3.org/2000/svg">\
            <title id="lc-\(id)-t">\(HTML.escape(name)): \(summary)</title>\
            <line x1="\(x(start))" y1="\(Int(line))" x2="\(x(end))" y2="\(Int(line))" class="span"/>
            """
        for (index, event) in events.enumerated() {
            // Alternate labels above and below so close dates stay readable.
            let below = index % 2 == 1
            svg += "<circle cx=\"\(x(event.date))\" cy=\"\(Int(line))\" r=\"5\" class=\"event\"/>"
            svg += "<text x=\"\(x(event.date))\" y=\"\(below ? 66 : 22)\" class=\"label\">\(HTML.escape(event.label))</text>"
            svg += "<text x=\"\(x(event.date))\" y=\"\(below ? 82 : 10)\" class=\"date\">\(event.date.description)</text>"
        }
        return svg + "</svg>"
    }
}

/// Escaping for the few strings we write into markup ourselves.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
