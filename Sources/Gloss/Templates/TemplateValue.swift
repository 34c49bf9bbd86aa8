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

    /// A key of an object; nothing for other values.
    subscript(key: String) -> TemplateValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }
}

extension TemplateValue {
    /// Converts a view model written as nested `[String: Any]` literals.
    /// Optionals that are nil, and keys holding them, disappear, so a section
    /// over a missing value looks further up the context stack, as Mustache
    /// does for absent keys. Returns nil for nil and unsupported values.
    public init?(any value: Any) {
        switch value {
        case let string as String: self = .string(string)
        case let fields as [String: Any]: self = .object(Self.fields(fields))
        case let items as [[String: Any]]: self = .list(items.map { .object(Self.fields($0)) })
        case let flag as Bool: self = .bool(flag)
        case let number as Int: self = .int(number)
        case let strings as [String]: self = .list(strings.map(TemplateValue.string))
        case let converted as TemplateValue: self = converted
        case let optional as AnyOptional:
            guard let wrapped = optional.wrapped, let converted = TemplateValue(any: wrapped) else { return nil }
            self = converted
        case let items as [Any]: self = .list(items.compactMap { TemplateValue(any: $0) })
        default: return nil
        }
    }

    static func fields(_ dictionary: [String: Any]) -> [String: TemplateValue] {
        var result: [String: TemplateValue] = [:]
        result.reserveCapacity(dictionary.count)
        for (key, value) in dictionary {
            if let converted = TemplateValue(any: value) { result[key] = converted }
        }
        return result
    }
}

/// Lets `init(any:)` see through `Optional` wrapped in `Any` without `Mirror`.
protocol AnyOptional { var wrapped: Any? { get } }

extension Optional: AnyOptional {
    var wrapped: Any? {
        switch self {
        case .some(let value): return value
        case .none: return nil
        }
    }
}
