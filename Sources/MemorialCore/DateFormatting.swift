/// Writes a partial date in a language's own way: "27 September 1937", "27 сентября 1937",
/// "1937 ж. 27 қыркүйек". Foundation's DateFormatter cannot express a month without a day or
/// Kazakh's year-first order consistently across platforms, so the few patterns live here.
public enum DateFormatting {
    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]
    static let russianMonths = [
        "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
        "октябрь", "ноябрь", "декабрь",
    ]
    static let russianMonthsGenitive = [
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
        "октября", "ноября", "декабря",
    ]
    static let kazakhMonths = [
        "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
        "қазан", "қараша", "желтоқсан",
    ]

    public static func format(_ date: PartialDate, language: String) -> String {
        let year = String(date.year)
        guard let month = date.month else { return language == "kk" ? "\(year) ж." : year }
        switch (language, date.day) {
        case ("kk", nil): return "\(year) ж. \(kazakhMonths[month - 1])"
        case ("kk", let day?): return "\(year) ж. \(day) \(kazakhMonths[month - 1])"
        case ("ru", nil): return "\(russianMonths[month - 1]) \(year)"
        case ("ru", let day?): return "\(day) \(russianMonthsGenitive[month - 1]) \(year)"
        case (_, nil): return "\(englishMonths[month - 1]) \(year)"
        case (_, let day?): return "\(day) \(englishMonths[month - 1]) \(year)"
        }
    }
}
