import Foundation
import MemorialContent
import MemorialCore
import MemorialTemplates

/// The data of the static search page (`/<lang>/search/`), written at build time: the browser
/// loads only the few small files a query needs, whatever the size of the archive. Per language,
/// cases numbered in alphabetical order; shards of folded name keys mapped to runs of those
/// numbers (`<lang>/search/<version>/k/<prefix>.json`), display chunks of `chunkSize` cases
/// (`…/r/<n>.json`) and the page's configuration: ARCHITECTURE.md, "The search index".
///
/// Written by hand: static search tools (Pagefind, Lunr) index page text, not names, and do not
/// fold across scripts; measured on 30,000 records Pagefind indexes for a minute in 5 GiB.
struct SearchIndex: Sendable {
    static let chunkSize = 100
    static let maxShardBytes = 12_000

    /// Per language: the page's configuration (JSON).
    var configs: [String: String]

    /// What writing the search files left: the pages' configurations, and the first failure.
    struct Written: Sendable {
        var configs: [String: String]
        var failure: OutputWriter.WriteError?
    }

    /// Makes the search files and hands each to `emit` as soon as it is made, from one thread per
    /// language: all of them at once were 300 MiB of a million records' build, held to its end.
    init(renderer: PageRenderer, emit: @Sendable (OutputFile) -> Void) {
        let site = renderer.site
        // The keys of a case do not depend on the page language: fold each name once (on every
        // core), and number the distinct keys, so the runs below are kept in arrays, not hashed.
        // A step of cases at a time, into one table of numbers (`keys`): the folded names of a
        // million cases at once, and an array of keys per case, were 500 MB.
        var keyNumbers: [String: Int32] = [:]
        var keyTexts: [String] = []
        var keys = CaseKeys()
        let count = site.cases.count
        for start in stride(from: 0, to: count, by: 16_384) {
            // By position: a closure given each case would get a copy of it.
            let folded = concurrentChunks(count: min(count, start + 16_384) - start) { range in
                range.map { offset -> [[String]] in
                    let name = site.cases[start + offset].record.name
                    return ([name.common].compactMap({ $0 }) + name.byLanguage.values).map(NameFolding.keys)
                }
            }
            for names in folded.joined() {
                let first = keys.numbers.count
                for words in names {
                    for (position, key) in words.enumerated() {
                        let number: Int32
                        if let known = keyNumbers[key] {
                            number = known
                        } else {
                            number = Int32(keyTexts.count)
                            keyNumbers[key] = number
                            keyTexts.append(key)
                        }
                        let surname: Int32 = position == 0 ? 1 : 0
                        if let seen = keys.numbers[first...].firstIndex(where: { $0 >> 1 == number }) {
                            keys.numbers[seen] |= surname
                        } else {
                            keys.numbers.append(number << 1 | surname)
                        }
                    }
                }
                keys.ends.append(Int32(keys.numbers.count))
            }
        }
        keyNumbers = [:]
        let (texts, caseKeys) = (keyTexts, keys)
        let perLanguage = site.languages.concurrentMap { language in
            Self.index(language, renderer: renderer, keys: caseKeys, keyTexts: texts, emit: emit)
        }
        configs = Dictionary(uniqueKeysWithValues: zip(site.languages, perLanguage))
    }

    /// One language's shards and chunks, each handed to `emit`; returns its page's configuration.
    private static func index(
        _ language: String, renderer: PageRenderer, keys: CaseKeys, keyTexts: [String],
        emit: (OutputFile) -> Void
    ) -> String {
        let site = renderer.site
        let order = site.alphabetical[language] ?? Array(site.cases.indices)
        // In a folder named by the index's inputs: case numbers shift when a record is added,
        // so a page must never meet a cached shard or chunk of another build.
        let folder = SiteURLs.search(language) + renderer.searchInput.description.prefix(12) + "/"

        // Runs of case numbers per key.
        var runsByKey = Array(repeating: [Int](), count: keyTexts.count)
        for (number, index) in order.enumerated() {
            for key in keys.numbers[(index == 0 ? 0 : Int(keys.ends[index - 1]))..<Int(keys.ends[index])] {
                runsByKey[Int(key >> 1)].extendRun(at: number, flag: Int(key & 1))
            }
        }
        var runs: [String: [Int]] = [:]
        for (key, list) in zip(keyTexts, runsByKey) where !list.isEmpty { runs[key] = list }
        runsByKey = []
        var shards = Self.shards(runs)
        runs = [:]
        let prefixes = shards.map(\.prefix)
        for index in shards.indices {
            emit(OutputFile(path: folder + "k/\(shards[index].prefix).json", bytes: shards[index].bytes))
            shards[index].bytes = []
        }

        // Display data in chunks, written as bytes (300,000 rows of Strings joined took a second).
        var labels: [String: String] = [:]
        for code in site.peoples.keys { labels[code] = renderer.label("peoples", code, language).text }
        for start in stride(from: 0, to: order.count, by: Self.chunkSize) {
            var bytes: [UInt8] = [UInt8(ascii: "[")]
            bytes.reserveCapacity(Self.chunkSize * 80)
            for (offset, index) in order[start..<min(order.count, start + Self.chunkSize)].enumerated() {
                if offset > 0 { bytes.append(contentsOf: ",\n".utf8) }
                // `renderer.name(of:)`, without the copy of the case it takes.
                let name =
                    site.cases[index].record.fields.resolved("name", in: language, fallback: site.languages)
                    ?? (site.cases[index].id, nil)
                let people = site.cases[index].record.people.map { labels[$0] ?? "" } ?? ""
                bytes.append(UInt8(ascii: "["))
                JSON.appendString(site.cases[index].id, to: &bytes)
                bytes.append(UInt8(ascii: ","))
                JSON.appendString(name.text, to: &bytes)
                bytes.append(UInt8(ascii: ","))
                JSON.appendString(site.cases[index].record.lifespan ?? "", to: &bytes)
                bytes.append(UInt8(ascii: ","))
                JSON.appendString(people, to: &bytes)
                bytes.append(UInt8(ascii: ","))
                JSON.appendString(name.language ?? "", to: &bytes)
                bytes.append(UInt8(ascii: "]"))
            }
            bytes.append(contentsOf: "]\n".utf8)
            emit(OutputFile(path: folder + "r/\(start / Self.chunkSize).json", bytes: bytes))
        }

        let strings = Self.stringKeys.map { "\(JSON.string($0)):\(JSON.string(renderer.string($0, language)))" }
        return "{\"chunk\":\(Self.chunkSize),\"count\":\(order.count),"
            + "\"data\":\(JSON.string(renderer.urls.href(folder))),"
            + "\"cases\":\(JSON.string(renderer.urls.href(language + "/cases/"))),"
            + "\"shards\":[" + prefixes.map { JSON.string($0) }.joined(separator: ",") + "],"
            + "\"strings\":{" + strings.joined(separator: ",") + "}}"
    }

    /// The interface strings the script shows.
    static let stringKeys = [
        "searchHint", "searchNone", "searchFound", "searchSimilar", "searchFoundSimilar", "searchMore", "searchLoading",
        "searchFailed",
    ]

    /// Of everything the search files and the search pages' configuration are made from, far
    /// cheaper than making them: when it is the last build's, none of them is made again.
    /// - Parameter records: `recordsFingerprint(site)`, perhaps kept from the last build.
    static func inputFingerprint(renderer: PageRenderer, records: Fingerprint) -> Fingerprint {
        let site = renderer.site
        var fingerprint = Fingerprint()
        fingerprint.combine("search \(chunkSize) \(maxShardBytes)")
        fingerprint.combine(NameFolding.javaScript)  // the folding rules' version
        fingerprint.combine(renderer.urls.root)
        fingerprint.combine(site.languages.joined(separator: ","))
        fingerprint.combine(records)
        for language in site.languages {
            fingerprint.combine(language)
            for key in stringKeys { fingerprint.combine(renderer.string(key, language)) }
            for code in site.peoples.keys.sorted() {
                fingerprint.combine(renderer.label("peoples", code, language).text)
            }
            for index in site.alphabetical[language] ?? [] { fingerprint.combine(index) }
        }
        return fingerprint
    }

    /// Of what the search takes from each case: id, names, lifespan and people. A name, a
    /// people label and a lifespan in a language follow from these, the site's languages and
    /// the vocabulary, which `inputFingerprint` adds once, not per case.
    static func recordsFingerprint(_ site: Site) -> Fingerprint {
        var fingerprint = Fingerprint()
        // By position (a closure would get a copy of each case), names in the site's languages
        // (a name column of another language is not read at all), the lifespan's years.
        let unknown = Int.min
        let languages = site.languages
        site.cases.withUnsafeBufferPointer { cases in
            for index in cases.indices {
                fingerprint.combine(cases[index].record.id)
                let name = cases[index].record.fields["name"]
                fingerprint.combine(name?.common ?? "\u{0}")
                if let byLanguage = name?.byLanguage, !byLanguage.isEmpty {
                    for language in languages {
                        guard let text = byLanguage[language] else { continue }
                        fingerprint.combine(language)
                        fingerprint.combine(text)
                    }
                }
                fingerprint.combine(cases[index].record.birthYear ?? unknown)
                fingerprint.combine(cases[index].record.deathDate?.year ?? unknown)
                fingerprint.combine(cases[index].record.people ?? "\u{0}")
            }
        }
        return fingerprint
    }

    /// Whether an output file is one of the search files (`<lang>/search/<version>/k/…`, `…/r/…`).
    static func isDataFile(_ path: String, languages: [String]) -> Bool {
        // Called on every file of the last build: the cheap test first.
        guard path.utf8.count > 12, path.hasSuffix(".json"), path.contains("/search/") else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 5 && parts[1] == "search" && (parts[3] == "k" || parts[3] == "r")
            && languages.contains(String(parts[0]))
    }

    /// `assets/search.js`: the folding rules (generated from `NameFolding`, the same the index
    /// was folded with), then the page script (the template asset `search.js`).
    static func script(templates: TemplateLibrary) -> OutputFile {
        let page = templates.assets["search.js"] ?? []
        return OutputFile(path: "assets/search.js", bytes: Array(NameFolding.javaScript.utf8) + [0x0A] + page)
    }

    /// The script's address with a version of its own bytes, so that a new `memorial` with
    /// other folding rules is never paired with a cached old script.
    static func scriptHref(templates: TemplateLibrary, urls: SiteURLs) -> String {
        let version = Fingerprint.of(script(templates: templates).bytes).description.prefix(10)
        return urls.href("assets/search.js") + "?v=" + version
    }

    /// Groups keys into shards by prefix: two characters, or longer where a shard is too big.
    /// Each shard's JSON as bytes.
    static func shards(_ runs: [String: [Int]]) -> [(prefix: String, bytes: [UInt8])] {
        let entries = runs.keys.sorted().map { key in
            var text: [UInt8] = []
            JSON.appendString(key, to: &text)
            text.append(contentsOf: ":[".utf8)
            for (position, number) in runs[key]!.enumerated() {
                if position > 0 { text.append(UInt8(ascii: ",")) }
                appendDecimal(number, to: &text)
            }
            text.append(UInt8(ascii: "]"))
            return (key: key, text: text)
        }
        var result: [(prefix: String, bytes: [UInt8])] = []
        func split(_ slice: ArraySlice<(key: String, text: [UInt8])>, length: Int) {
            var groups: [(prefix: String, members: [(key: String, text: [UInt8])])] = []
            for entry in slice {
                let prefix = String(entry.key.prefix(length))
                if groups.last?.prefix == prefix {
                    groups[groups.count - 1].members.append(entry)
                } else {
                    groups.append((prefix, [entry]))
                }
            }
            for group in groups {
                let size = group.members.reduce(0) { $0 + $1.text.count + 2 }
                // Keys no longer than the prefix stay in it; the others go one character deeper.
                let (short, long) = (
                    group.members.filter { $0.key.count <= length }, group.members.filter { $0.key.count > length }
                )
                if size > maxShardBytes, !long.isEmpty, length < 12 {
                    if !short.isEmpty { result.append((group.prefix, render(short))) }
                    split(ArraySlice(long), length: length + 1)
                } else {
                    result.append((group.prefix, render(group.members)))
                }
            }
        }
        split(ArraySlice(entries), length: 2)
        return result.sorted { $0.prefix < $1.prefix }
    }

    private static func render(_ members: [(key: String, text: [UInt8])]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(members.reduce(3) { $0 + $1.text.count + 2 })
        for (position, member) in members.enumerated() {
            if position > 0 { bytes.append(contentsOf: ",\n".utf8) }
            bytes.append(contentsOf: member.text)
        }
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }

    /// A number in decimal, as `String(number)` writes it.
    static func appendDecimal(_ number: Int, to bytes: inout [UInt8]) {
        guard number > 0 else {
            bytes.append(contentsOf: String(number).utf8)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            var rest = number
            while rest > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}

/// The distinct keys of each case's names, in the order first found: the key's number times
/// two, plus one when it is a surname (first word) in some name.
private struct CaseKeys: Sendable {
    var numbers: [Int32] = []
    /// Where each case's keys end in `numbers` (they start where the case before's end).
    var ends: [Int32] = []
}

extension [Int] {
    /// Adds case `number` to flat `[first, count, flag]` runs: one longer run when it follows the
    /// last with the same flag, else a new run.
    fileprivate mutating func extendRun(at number: Int, flag: Int) {
        let last = count - 3
        if last >= 0, self[last] + self[last + 1] == number, self[last + 2] == flag {
            self[last + 1] += 1
        } else {
            append(number)
            append(1)
            append(flag)
        }
    }
}
