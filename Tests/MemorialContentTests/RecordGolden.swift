import MemorialCore
import TestSupport

@testable import MemorialContent

/// Records files with and without problems, and what reading each gives, written out in a
/// stable order (`Tests/Fixtures/Records/golden.txt` holds what they gave).
enum RecordGolden {
    static func files() -> [String] {
        var files =
            RecordParserTests.valid + RecordParserTests.invalid + [
                "id,name_en,charge\na,x,58-99; 58-10;;58-98\n", "id,name_en\n\"a\"\rb,y\n",
                "id,name_en,id\na,x,\nb,y,c\n", "id,name_en,arrest_date\na,x,1937-13\nb,y,19370\n",
                "id,name_en,status\n,x,secret\n", "id,name_en\na,x,y,z\n", "id,name_en\n\"a\" x,y\n",
                "id_en,name_en\na,x\n", "id,name_en\n\n\n", "id,name_en,\na,x,\n", "id,name_en\na,\"x\ny\"z\nb,\"w",
            ]
        var random = SplitMix64(seed: 7)
        let headers = [
            "id,name_en,charge", "id,name_en,charge,arrest_date,status", "id,name_kk,name_en,birth_year,people",
            "id,name_en,id",
        ]
        let pieces = [
            "a", "Ә", "x y", " ", "\t", ",", "\"", "\"\"", "\n", "\r\n", "\r", "\u{00A0}", "\u{301}", "1937", "-", ";",
            "kazakh", "58-10", "1937-02-30", "18660", "martian", "secret", "restricted", "1866",
        ]
        for _ in 0..<200 {
            var text = headers.randomElement(using: &random)! + "\n"
            for row in 0..<Int.random(in: 1...4, using: &random) {
                text += Int.random(in: 0..<8, using: &random) == 0 ? "" : "r\(row),"
                for _ in 0..<Int.random(in: 0...6, using: &random) { text += pieces.randomElement(using: &random)! }
                text += Bool.random(using: &random) ? ",58-10\n" : "\n"
            }
            files.append(text)
        }
        return files
    }

    static func describe(_ text: String, _ records: [Record]?, _ diagnostics: [Diagnostic], _ ids: Set<String>?)
        -> String
    {
        var lines = ["=== \(text.debugDescription)"]
        for diagnostic in diagnostics { lines.append("d \(diagnostic)") }
        guard let records else { return (lines + ["no table", ""]).joined(separator: "\n") }
        for record in records {
            let fields = record.fields.bases.sorted().map { key -> String in
                let text = record.fields[key]!
                return "\(key)=\(text.common.debugDescription)"
                    + text.byLanguage.sorted { $0.key < $1.key }.map { " \($0.key):\($0.value.debugDescription)" }
                    .joined()
            }
            let dates = [record.arrestDate, record.sentenceDate, record.deathDate, record.rehabilitationDate]
            let cells = record.dateCells.sorted { $0.key < $1.key }.map {
                "\($0.key)@\($0.value.line):\($0.value.column)"
            }
            lines.append(
                "r \(record.id) @\(record.location.line):\(record.location.column) [\(fields.joined(separator: "; "))] "
                    + "born \(record.birthYear.map(String.init) ?? "-") dates \(dates.map { $0?.description ?? "-" }) "
                    + "codes \(record.people ?? "-") \(record.charges) \(record.sentences) \(record.sentencingBody ?? "-") "
                    + "\(record.status) cells \(cells)")
        }
        lines.append("ids \(ids.map { $0.sorted().description } ?? "nil")")
        return (lines + [""]).joined(separator: "\n")
    }
}
