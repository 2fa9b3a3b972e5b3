import Foundation

/// Orders names in a language's alphabet. Foundation's locale-aware comparison gives the Kazakh
/// order (А Ә Б В Г Ғ Д … Ү Ф Х Һ … І Ь Э Ю Я) with `Locale(identifier: "kk")` on Linux, where
/// plain `<` and the Russian locale put the Kazakh letters after Я.
struct NameCollator: Sendable {
    let locale: Locale

    init(language: String) {
        locale = Locale(identifier: language)
    }

    func compare(_ lhs: String, _ rhs: String) -> ComparisonResult {
        lhs.compare(rhs, options: [.caseInsensitive], range: nil, locale: locale)
    }
}
