/// A value that may differ per language: column `X_<lang>` per language, or column `X` for all.
public struct LocalizedText: Sendable, Hashable {
    public var common: String?
    public var byLanguage: [String: String]

    public init(common: String? = nil, byLanguage: [String: String] = [:]) {
        self.common = common
        self.byLanguage = byLanguage
    }

    @inlinable public var isEmpty: Bool { common == nil && byLanguage.isEmpty }

    /// The value in `language`, else the common one, else the first language in `fallback`
    /// that has it, together with that language's code when it is not `language`.
    @inlinable public func resolved(in language: String, fallback: [String]) -> (text: String, language: String?)? {
        Self.resolve(in: language, fallback: fallback, hasLanguages: !byLanguage.isEmpty, common: common) {
            byLanguage[$0]
        }
    }

    /// `resolved(in:fallback:)` of values kept in another form (`RecordFields`): the one rule
    /// for which value a page in `language` shows.
    @inlinable public static func resolve(
        in language: String, fallback: [String], hasLanguages: Bool, common: String?,
        value: (String) -> String?
    ) -> (text: String, language: String?)? {
        // Most columns are one for all languages: no key to hash then.
        if !hasLanguages { return common.map { ($0, nil) } }
        if let text = value(language) { return (text, nil) }
        if let common { return (common, nil) }
        for other in fallback where other != language {
            if let text = value(other) { return (text, other) }
        }
        return nil
    }
}
