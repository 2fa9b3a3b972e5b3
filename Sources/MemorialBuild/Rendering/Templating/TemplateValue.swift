/// What a template sees: text, a flag, a number, a list or an object of named values.
///
/// Page contexts are built as these typed values rather than `[String: Any]`: swift-mustache
/// finds a name in an `Any` through dynamic casts to its protocols, which took half of all
/// rendering time at 100,000 records (perf: `swift_conformsToProtocol`, `tryCast`). The
/// compiled renderer (`CompiledTemplates`) switches over these cases instead; `mustacheValue`
/// gives swift-mustache the same data as plain Swift values for templates it alone renders.
enum TemplateValue: Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case list([TemplateValue])
    case object([String: TemplateValue])

    /// The value as swift-mustache expects it: `String`, `Bool`, `Int`, `[Any]`, `[String: Any]`.
    var mustacheValue: Any {
        switch self {
        case .string(let text): text
        case .bool(let flag): flag
        case .int(let number): number
        case .list(let items): items.map(\.mustacheValue)
        case .object(let fields): fields.mapValues(\.mustacheValue)
        }
    }

    /// The object's field, or nil when this is not an object.
    subscript(key: String) -> TemplateValue? {
        get {
            if case .object(let fields) = self { fields[key] } else { nil }
        }
        set {
            guard case .object(var fields) = self else { return }
            self = .null
            fields[key] = newValue
            self = .object(fields)
        }
    }

    /// A placeholder used while an object is changed in place (so its storage stays unique).
    private static let null = TemplateValue.bool(false)
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) { self = .int(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
