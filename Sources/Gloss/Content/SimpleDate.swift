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
        // On scalars, not Characters: every article's date is parsed, and
        // counting and splitting by grapheme cost more than the rest of its
        // front matter's fields together. The same strings are accepted.
        var scalars = Substring(text).unicodeScalars
        let spaces = CharacterSet.whitespaces
        while let first = scalars.first, spaces.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, spaces.contains(last) { scalars.removeLast() }
        var year = 0, month = 0, day = 0, count = 0
        for scalar in scalars.prefix(10) {
            if count == 4 || count == 7 {
                guard scalar == "-" else { return nil }
            } else {
                guard ("0"..."9").contains(scalar) else { return nil }
                let digit = Int(scalar.value) - 48
                if count < 4 { year = year * 10 + digit } else if count < 7 { month = month * 10 + digit } else { day = day * 10 + digit }
            }
            count += 1
        }
        // What follows is a time, after a "T" or a space as a whole character
        // (not one a combining mark or joiner extends).
        let rest = Substring(scalars.dropFirst(10))
        guard count == 10, rest.isEmpty || rest.first == "T" || rest.first == " " else { return nil }
        self.init(year: year, month: month, day: day)
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
        // Written digit by digit: listings ask every article's date for it.
        // `year` is 1...9999 (see `init`).
        String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ index: Int, _ digit: Int) { buffer[index] = UInt8(truncatingIfNeeded: 48 + digit) }
            put(0, year / 1000); put(1, year / 100 % 10); put(2, year / 10 % 10); put(3, year % 10)
            buffer[4] = UInt8(ascii: "-"); put(5, month / 10); put(6, month % 10)
            buffer[7] = UInt8(ascii: "-"); put(8, day / 10); put(9, day % 10)
            return 10
        }
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"]

    /// "5 February 2021": unambiguous for readers in any country.
    public var longForm: String { "\(day) \(Self.monthNames[month - 1]) \(year)" }

    public static func < (a: SimpleDate, b: SimpleDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// One number in the order of `<` (YYYYMMDD), for sorting many things by date.
    var ordinal: Int { (year * 100 + month) * 100 + day }
}
