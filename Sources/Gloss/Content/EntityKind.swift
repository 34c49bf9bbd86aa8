/// The four kinds of entity an archive keeps a page for.
public enum EntityKind: String, CaseIterable, Sendable, Comparable, Codable {
    case person, treaty, organization, place

    /// Folder under content/ and under the output: `people/<id>/`.
    public var folder: String {
        switch self {
        case .person: "people"
        case .treaty: "treaties"
        case .organization: "organizations"
        case .place: "places"
        }
    }

    /// The link scheme authors write: `[text](person:<id>)`.
    public var scheme: String { rawValue }

    public var title: String {
        switch self {
        case .person: "People"
        case .treaty: "Treaties"
        case .organization: "Organizations"
        case .place: "Places"
        }
    }

    public var singular: String {
        switch self {
        case .person: "Person"
        case .treaty: "Treaty"
        case .organization: "Organization"
        case .place: "Place"
        }
    }

    public init?(folder: String) {
        guard let kind = Self.allCases.first(where: { $0.folder == folder }) else { return nil }
        self = kind
    }

    public static func < (a: EntityKind, b: EntityKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Ids and slugs become folder names in the output, so they are restricted
/// to a portable, traversal-free alphabet.
public enum Identifier {
    public static func isValid(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, id.count <= 200 else { return false }
        let allowed = { (c: Unicode.Scalar) in
            ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "."
        }
        return ("a"..."z").contains(first) || ("0"..."9").contains(first)
            ? id.unicodeScalars.allSatisfy(allowed) && !id.contains("..")
            : false
    }

    public static let rule = "use lowercase letters, digits, '-', '_' and '.', starting with a letter or digit"
}
