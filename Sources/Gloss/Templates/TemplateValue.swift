/// A value a template can show: the view model of a page is a tree of these.
/// Typed (not `Any`) so rendering never casts at run time and a page's
/// inputs can be hashed for the build cache.
public enum TemplateValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    /// Mustache truthiness: false, an empty list are false; everything else
    /// (the empty string included) is true.
    var isTruthy: Bool {
        switch self {
        case .bool(let flag): return flag
        case .list(let items): return !items.isEmpty
        default: return true
        }
    }

    /// A key of an object; nothing for other values. Setting nil removes
    /// the key; setting on a value that is not an object does nothing.
    subscript(key: String) -> TemplateValue? {
        get {
            if case .object(let fields) = self { return fields[key] }
            return nil
        }
        set {
            guard case .object(var fields) = self else { return }
            self = .bool(false)  // so `fields` is the only reference and changes in place
            fields[key] = newValue
            self = .object(fields)
        }
    }
}

/// View models are written as literals of these: `["title": .string(t),
/// "about": false, "items": .list(…)]`. A key whose value is nil is left
/// out, so a section over it looks further up the context stack, as
/// Mustache does for absent keys.
extension TemplateValue: ExpressibleByStringInterpolation, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
                         ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }

    public init(dictionaryLiteral elements: (String, TemplateValue?)...) {
        var fields: [String: TemplateValue] = [:]
        fields.reserveCapacity(elements.count)
        for (key, value) in elements { fields[key] = value }
        self = .object(fields)
    }

    /// A list of strings.
    static func strings(_ items: some Sequence<String>) -> TemplateValue { .list(items.map(TemplateValue.string)) }
}
