import Foundation
/// A calendar date as written in front matter, parsed strictly
/// (`2024-13-45` is an error, not a silent roll-over into 2025).
public struct SimpleDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...SimpleDate.days(in: month, of: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Accepts `YYYY-MM-DD`, optionally followed by a time (`T10:00:00Z` or
    /// ` 10:00`) which is ignored: the archive works in days.
    public init?(_ text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        let datePart = s.prefix(10)
        guard datePart.count == 10, s.count == 10 || s.dropFirst(10).first == "T" || s.dropFirst(10).first == " " else { return nil }
        let parts = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO 8601 `YYYY-MM-DD`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"]

    /// "5 February 2021": unambiguous for readers in any country.
    public var longForm: String { "\(day) \(Self.monthNames[month - 1]) \(year)" }

    public static func < (a: SimpleDate, b: SimpleDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// One number in the order of `<` (YYYYMMDD), for sorting many things by date.
    var ordinal: Int { (year * 100 + month) * 100 + day }
}
