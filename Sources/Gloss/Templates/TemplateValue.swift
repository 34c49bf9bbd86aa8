/// A value a template can show: the view model of a page is a tree of these.
/// Typed (not `Any`) so rendering never casts at run time and a page's
/// inputs can be hashed for the build cache.
public enum TemplateValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object(TemplateFields)

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
        self = .object(TemplateFields(elements))
    }

    /// A list of strings.
    static func strings(_ items: some Sequence<String>) -> TemplateValue { .list(items.map(TemplateValue.string)) }
}

/// The fields of a view-model object, in the order they were set. A page's
/// objects have a few to a dozen fields, and templates look names up the
/// context stack, missing in most objects on the way: comparing a name
/// with a dozen short keys costs less than hashing it for every object,
/// and making an object hashes nothing. Equal whatever the order, as a
/// dictionary is.
public struct TemplateFields: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var keys: [String] = []
    private var values: [TemplateValue] = []

    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self.init(elements.map { ($0, $1) }) }

    /// Later values of a key replace earlier ones; a nil value leaves the key out.
    init(_ elements: [(String, TemplateValue?)]) {
        keys.reserveCapacity(elements.count)
        values.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The fields in the order set.
    var fields: Zip2Sequence<[String], [TemplateValue]> { zip(keys, values) }

    public subscript(key: String) -> TemplateValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            switch (keys.firstIndex(of: key), newValue) {
            case let (index?, value?): values[index] = value
            case let (index?, nil): keys.remove(at: index); values.remove(at: index)
            case let (nil, value?): keys.append(key); values.append(value)
            case (nil, nil): break
            }
        }
    }

    public static func == (a: TemplateFields, b: TemplateFields) -> Bool {
        a.count == b.count && a.fields.allSatisfy { b[$0.0] == $0.1 }
    }

    public func hash(into hasher: inout Hasher) {
        // Fields hashed alone and summed: the sum ignores their order.
        var sum = 0
        for (key, value) in fields {
            var field = Hasher()
            field.combine(key)
            field.combine(value)
            sum &+= field.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}
