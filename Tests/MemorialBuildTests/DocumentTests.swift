import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild

/// Scans made at test time with libvips: cards of a given size and grey, a multi-page TIFF,
/// a multi-page PDF (JPEG pages wrapped by hand: libvips reads PDFs but does not write them),
/// and a JPEG carrying EXIF GPS tags and XMP.
enum TestScans {
    static func card(_ text: String, width: Int = 900, height: Int = 1300) throws -> Vips.Image {
        try Vips.start()
        return try Vips.card(markup: text, width: width, height: height)
    }

    static func jpeg(_ text: String, width: Int = 900, height: Int = 1300) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appending(path: "memorial-scan-\(UUID().uuidString).jpg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Vips.saveJPEG(card(text, width: width, height: height), to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func tiff(pages: Int, to url: URL) throws {
        try Vips.savePages((1...pages).map { try card("page \($0) of \(pages)") }, to: url.path)
    }

    /// A PDF whose pages are JPEG images, one per page, on A4.
    static func pdf(pages: Int) throws -> Data {
        var objects: [[UInt8]] = []
        let pageObjects = (0..<pages).map { 3 + $0 * 3 }
        objects.append(Array("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        objects.append(
            Array(
                "<< /Type /Pages /Kids [\(pageObjects.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages) >>"
                    .utf8))
        for page in 1...pages {
            let image = try jpeg("PDF page \(page) of \(pages)", width: 600, height: 849)
            let number = 3 + (page - 1) * 3
            objects.append(
                Array(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 \(number + 2) 0 R >> >> /Contents \(number + 1) 0 R >>"
                        .utf8))
            let content = "q 595 0 0 842 0 0 cm /Im0 Do Q"
            objects.append(Array("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream".utf8))
            objects.append(
                Array(
                    "<< /Type /XObject /Subtype /Image /Width 600 /Height 849 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length \(image.count) >>\nstream\n"
                        .utf8) + Array(image) + Array("\nendstream".utf8))
        }
        var bytes = Array("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
        }
        let xref = bytes.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            table += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(bytes + Array(table.utf8))
    }

    /// A JPEG with an EXIF block whose GPS directory gives a latitude, and an XMP packet.
    static func jpegWithGPS() throws -> Data {
        let plain = try jpeg("GPS test")
        // TIFF header (little endian), IFD0 with one entry: GPSInfo (0x8825) pointing at the GPS
        // directory, which has GPSLatitudeRef (0x0001) = "N".
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00]
        tiff += [0x01, 0x00]  // one entry
        tiff += [0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x00, 0x00]  // GPSInfo → 26
        tiff += [0x00, 0x00, 0x00, 0x00]  // no next IFD
        tiff += [0x01, 0x00]  // GPS IFD: one entry
        tiff += [0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x4E, 0x00, 0x00, 0x00]  // GPSLatitudeRef "N"
        tiff += [0x00, 0x00, 0x00, 0x00]
        let exif = Array("Exif".utf8) + [0, 0] + tiff
        let xmp =
            Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]
            + Array(
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"43,15.5N\"/></rdf:RDF></x:xmpmeta>"
                    .utf8)
        func segment(_ payload: [UInt8]) -> [UInt8] {
            let length = payload.count + 2
            return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        }
        var bytes = Array(plain)
        bytes.insert(contentsOf: segment(exif) + segment(xmp), at: 2)
        return Data(bytes)
    }
}

extension Data {
    func contains(_ text: String) -> Bool { range(of: Data(text.utf8)) != nil }
}

@Suite(.serialized) struct DocumentTests {
    func build(_ site: TemporarySite) -> BuildReport {
        SiteBuilder.build(BuildOptions(siteRoot: site.root))
    }

    func documentsSite(_ documents: String) throws -> TemporarySite {
        let site = try TemporarySite(files: ["content/cases/aliev-test/documents.yml": documents])
        let folder = site.root.appending(path: "content/cases/aliev-test")
        try TestScans.pdf(pages: 3).write(to: folder.appending(path: "protocol.pdf"))
        try TestScans.tiff(pages: 2, to: folder.appending(path: "file.tif"))
        return site
    }

    static let pdfAndTIFF = """
        - file: protocol.pdf
          kind: protocol-extract
          date: 1937-11
          reference: {fond: 1, inventory: 2, file: 345, sheets: 12-14}
          caption: {kk: Хаттама, ru: Протокол, en: Protocol}
        - file: file.tif
          kind: interrogation-record
          caption: {en: Interrogation}
          download: yes

        """

    @Test func aThreePagePDFAndATwoPageTIFFGiveFivePagesFiveCanvasesAndTwoViewerPagesPerLanguage() throws {
        let site = try documentsSite(Self.pdfAndTIFF)
        defer { site.remove() }
        let report = build(site)
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(report.derivatives == 5)
        let files = filesUnder(site.output)
        for language in ["kk", "ru", "en"] {
            let viewers = files.keys.filter { $0.hasPrefix("\(language)/cases/aliev-test/documents/") }.sorted()
            #expect(
                viewers == [
                    "\(language)/cases/aliev-test/documents/1/index.html",
                    "\(language)/cases/aliev-test/documents/2/index.html",
                ])
        }
        let large = files.keys.filter { $0.hasPrefix("media/aliev-test/") && $0.hasSuffix("-large.webp") }.sorted()
        #expect(
            large == [
                "media/aliev-test/1/1-large.webp", "media/aliev-test/1/2-large.webp", "media/aliev-test/1/3-large.webp",
                "media/aliev-test/2/1-large.webp", "media/aliev-test/2/2-large.webp",
            ])
        // Download only where allowed.
        #expect(files["media/aliev-test/2/1.jpg"] != nil && files["media/aliev-test/1/1.jpg"] == nil)
        let manifest = try #require(files["iiif/aliev-test/manifest.json"])
        let json = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
        let canvases = try #require(json["items"] as? [[String: Any]])
        #expect(canvases.count == 5)
        #expect(json["id"] as? String == "https://example.org/exhibition/iiif/aliev-test/manifest.json")
        let label = try #require(canvases.first?["label"] as? [String: [String]])
        #expect(Set(label.keys) == ["kk", "ru", "en"])
        #expect(String(decoding: manifest, as: UTF8.self).contains("fond 1, inventory 2, file 345, sheets 12-14"))
        // The viewer page: every page at reading size with both formats, sizes set, lazy.
        let page = String(decoding: try #require(files["en/cases/aliev-test/documents/1/index.html"]), as: UTF8.self)
        #expect(page.components(separatedBy: "<picture>").count - 1 == 3)
        #expect(
            page.contains("type=\"image/webp\"") && page.contains("loading=\"lazy\"") && page.contains("width=\"1400\"")
        )
        #expect(page.contains("rel=\"next\"") && !page.contains("rel=\"prev\""))
        #expect(!page.contains("download>"))
        // Its script's address changes with it, as the stylesheet's does: no stale copy after an upgrade.
        #expect(page.contains("src=\"/exhibition/assets/viewer.js?v="))
        let casePage = String(decoding: try #require(files["kk/cases/aliev-test/index.html"]), as: UTF8.self)
        #expect(casePage.contains("href=\"/exhibition/kk/cases/aliev-test/documents/2/\""))
    }

    @Test func tilesAnswerTheSizesTheirInfoJSONGives() throws {
        let site = try documentsSite(Self.pdfAndTIFF)
        defer { site.remove() }
        #expect(build(site).succeeded)
        let files = filesUnder(site.output)
        let infos = files.keys.filter { $0.hasPrefix("iiif/") && $0.hasSuffix("/info.json") }
        #expect(infos.count == 5)
        for path in infos {
            let folder = String(path.dropLast("info.json".count))
            let info = try #require(try JSONSerialization.jsonObject(with: files[path]!) as? [String: Any])
            #expect(info["id"] as? String == "https://example.org/exhibition/" + folder.dropLast())
            #expect(info["profile"] as? String == "level0")
            let width = try #require(info["width"] as? Int)
            let height = try #require(info["height"] as? Int)
            for size in try #require(info["sizes"] as? [[String: Int]]) {
                let file = "\(folder)full/\(size["width"]!),\(size["height"]!)/0/default.jpg"
                let bytes = try #require(files[file], "\(file)")
                let image = try Vips.page(0, of: site.output.appending(path: file).path, isPDF: false, dpi: 72)
                #expect(image.width == size["width"] && image.height == size["height"])
                #expect(bytes.starts(with: [0xFF, 0xD8]))
            }
            let tiles = try #require((info["tiles"] as? [[String: Any]])?.first)
            let tileWidth = try #require(tiles["width"] as? Int)
            for factor in try #require(tiles["scaleFactors"] as? [Int]) {
                let region = tileWidth * factor
                for y in stride(from: 0, to: height, by: region) {
                    for x in stride(from: 0, to: width, by: region) {
                        let w = min(region, width - x)
                        let h = min(region, height - y)
                        let sw = (w + factor - 1) / factor
                        let sh = (h + factor - 1) / factor
                        let file = "\(folder)\(x),\(y),\(w),\(h)/\(sw),\(sh)/0/default.jpg"
                        #expect(files[file] != nil, "\(file)")
                    }
                }
            }
        }
    }

    @Test func aSecondBuildMakesNoDerivativesAndOneNewScanMakesOnlyItsOwn() throws {
        let site = try documentsSite(Self.pdfAndTIFF)
        defer { site.remove() }
        #expect(build(site).derivatives == 5)
        let first = filesUnder(site.output)
        // Something else changed, so the whole pipeline runs; the images are the state's.
        try site.write("content/cases/aliev-test/kk.md", "---\ntitle: Басқа\n---\n\nМәтін.\n")
        let second = build(site)
        #expect(second.succeeded && second.derivatives == 0)
        // Another output with the same state folder: the derivatives are copied, not made.
        let other = site.root.appending(path: "other")
        var options = BuildOptions(siteRoot: site.root, output: other)
        options.cacheFolder = site.root.appending(path: ".memorial")
        let third = SiteBuilder.build(options)
        #expect(third.succeeded && third.derivatives == 0)
        let copied = filesUnder(other)
        for (path, bytes) in first where path.hasPrefix("iiif/") && !path.hasSuffix(".json") {
            #expect(copied[path] == bytes, "\(path)")
        }
        try TestScans.jpeg("one more").write(to: site.root.appending(path: "content/cases/aliev-test/new.jpg"))
        try site.write(
            "content/cases/aliev-test/documents.yml", Self.pdfAndTIFF + "- file: new.jpg\n  kind: letter\n")
        let fourth = build(site)
        #expect(fourth.succeeded && fourth.derivatives == 1)
        #expect(filesUnder(site.output)["media/aliev-test/3/1-small.webp"] != nil)
        // Allowing the PDF's download makes its three full-size pages, and only those.
        try site.write(
            "content/cases/aliev-test/documents.yml",
            Self.pdfAndTIFF.replacingOccurrences(
                of: "  caption: {kk: Хаттама", with: "  download: yes\n  caption: {kk: Хаттама")
                + "- file: new.jpg\n  kind: letter\n")
        let fifth = build(site)
        #expect(fifth.succeeded && fifth.derivatives == 3)
        #expect(filesUnder(site.output)["media/aliev-test/1/3.jpg"] != nil)
    }

    @Test func aJPEGWithGPSTagsIsPublishedWithoutThem() throws {
        let site = try TemporarySite(files: [
            "content/cases/aliev-test/documents.yml":
                "- file: photo.jpg\n  kind: photograph\n  download: yes\n  portrait: yes\n"
        ])
        defer { site.remove() }
        let scan = try TestScans.jpegWithGPS()
        #expect(scan.contains("Exif") && scan.contains("http://ns.adobe.com/xap/1.0/"))
        try scan.write(to: site.root.appending(path: "content/cases/aliev-test/photo.jpg"))
        let report = build(site)
        #expect(report.succeeded, "\(report.diagnostics)")
        let published = filesUnder(site.output).filter { $0.key.hasPrefix("media/") || $0.key.hasPrefix("iiif/") }
        #expect(published.count > 10)
        #expect(published["media/aliev-test/1/1.jpg"] != nil)
        for (path, bytes) in published where !path.hasSuffix(".json") {
            for marker in ["Exif", "GPS", "http://ns.adobe.com/xap", "ICC_PROFILE", "<x:xmpmeta"] {
                #expect(!bytes.contains(marker), "\(path) carries \(marker)")
            }
        }
        #expect(published["media/aliev-test/photo.jpg"] == nil)
    }

    @Test func aRestrictedDocumentAppearsInNoOutputFile() throws {
        let site = try documentsSite(
            """
            - file: protocol.pdf
              kind: protocol-extract
              caption: {en: Published protocol}
            - file: file.tif
              kind: letter
              status: restricted
              download: yes
              caption: {en: NAMES-THIRD-PARTIES}

            """)
        defer { site.remove() }
        // The narrative names it too: the links go, their text stays, and the curator is told.
        let narrative = site.root.appending(path: "content/cases/aliev-test/en.md")
        let text = try String(contentsOf: narrative, encoding: .utf8)
        try site.write(
            "content/cases/aliev-test/en.md", text + "\nSee [the letter](file.tif) and ![its first page](file.tif).\n")
        let report = build(site)
        #expect(report.succeeded && report.derivatives == 3)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(
            report.diagnostics.filter { $0.message.hasPrefix("'file.tif' is a document whose status") }.map {
                "\($0.location.file):\($0.location.line):\($0.location.column)"
            } == ["content/cases/aliev-test/en.md:\(lines + 1):5", "content/cases/aliev-test/en.md:\(lines + 1):32"])
        var files = filesUnder(site.output)
        #expect(
            String(decoding: files["en/cases/aliev-test/index.html"]!, as: UTF8.self).contains(
                "See the letter and its first page."))
        for (path, bytes) in files {
            #expect(!path.contains("file.tif") && !bytes.contains("NAMES-THIRD-PARTIES") && !bytes.contains("file.tif"))
        }
        #expect(files.keys.filter { $0.hasPrefix("media/aliev-test/2/") || $0.hasPrefix("iiif/aliev-test/2-") }.isEmpty)
        #expect(files.keys.contains { $0.hasPrefix("en/cases/aliev-test/documents/2/") } == false)
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: files["iiif/aliev-test/manifest.json"]!) as? [String: Any])
        #expect((manifest["items"] as? [Any])?.count == 3)
        // Restricting the other one too leaves nothing of either.
        try site.write(
            "content/cases/aliev-test/documents.yml",
            "- file: protocol.pdf\n  status: restricted\n- file: file.tif\n  status: restricted\n")
        #expect(build(site).succeeded)
        files = filesUnder(site.output)
        #expect(files.keys.filter { $0.hasPrefix("media/aliev-test/") || $0.hasPrefix("iiif/") }.isEmpty)
        #expect(files.keys.contains { $0.contains("/documents/") } == false)
        // Nor does the state folder keep their images.
        let images = site.root.appending(path: ".memorial/images").path
        #expect((try? FileManager.default.contentsOfDirectory(atPath: images))?.isEmpty ?? true)
    }

    @Test func everyMistakeInDocumentsYAMLIsALocatedErrorOrWarning() throws {
        let site = try TemporarySite(files: [
            "content/cases/aliev-test/documents.yml": """
            - file: missing.jpg
            - file: photo.heic
              kind: photograph
            - file: scan.jpg
              kind: confession
              date: 1937-13
              status: hidden
              download: maybe
              colour: grey
              reference: 12
            - file: scan2.jpg
              portrait: yes
              kind: photograph
            - file: scan3.jpg
              portrait: yes
              kind: photograph

            """,
            "content/cases/aliev-test/photo.heic": "HEIC",
        ])
        defer { site.remove() }
        for name in ["scan.jpg", "scan2.jpg", "scan3.jpg"] {
            try TestScans.jpeg(name).write(to: site.root.appending(path: "content/cases/aliev-test/\(name)"))
        }
        let report = build(site)
        #expect(!report.succeeded)
        let file = "content/cases/aliev-test/documents.yml"
        let found = report.diagnostics.filter { $0.location.file == file }.map {
            "\($0.location.line):\($0.location.column): \($0.severity == .error ? "error" : "warning"): \($0.message)"
        }
        #expect(
            found == [
                "1:9: error: 'missing.jpg' is not a file in this case's folder; put the scan beside documents.yml or correct the name",
                "2:9: error: 'photo.heic' is HEIC, which memorial does not read; export it as JPEG or TIFF",
                "5:9: error: unknown kind 'confession'; use one of interrogation-record, indictment, sentence, protocol-extract, rehabilitation-certificate, photograph, letter, other or add it to content/vocabularies/document-kinds.yml",
                "6:9: error: date '1937-13' is not a day of the calendar: month 13 does not exist",
                "7:11: error: a document's status must be published or restricted, not 'hidden'",
                "8:13: error: 'download' must be yes or no, not 'maybe'",
                "9:3: warning: unknown document key 'colour' (known: file, kind, date, reference, caption, status, download, portrait); it is ignored",
                "10:14: error: 'reference' must be a mapping, e.g. {fond: 1, inventory: 2, file: 345, sheets: 12-14}",
                "14:9: error: a case has one portrait, and 'scan2.jpg' (line 11) is already it; remove 'portrait: yes' from one",
            ], "\(found)")
    }
}

@Suite struct DocumentCheckTests {
    @Test func checkWarnsAboutMissingCaptionsLargeScansAndUndescribedFiles() throws {
        let site = try TemporarySite(files: [
            "content/cases/aliev-test/documents.yml": """
            - file: scan.jpg
              kind: letter
              caption: {en: A letter}
            - file: big.jpg
              kind: letter
              caption: One caption for every language

            """,
            "content/cases/aliev-test/notes.txt": "not described",
        ])
        defer { site.remove() }
        let folder = site.root.appending(path: "content/cases/aliev-test")
        try TestScans.jpeg("scan").write(to: folder.appending(path: "scan.jpg"))
        // Size is what is checked: a valid JPEG followed by padding.
        var big = try TestScans.jpeg("big")
        big.append(Data(count: DocumentChecker.largeScan))
        try big.write(to: folder.appending(path: "big.jpg"))
        let report = SiteBuilder.check(BuildOptions(siteRoot: site.root))
        let messages = report.diagnostics.filter { $0.location.file.hasPrefix("content/cases/aliev-test/") }.map {
            "\($0.location.file):\($0.location.line): \($0.message)"
        }
        #expect(
            messages.contains(
                "content/cases/aliev-test/documents.yml:1: 'scan.jpg' has no caption in kk, ru; add it under 'caption:'"
            ))
        #expect(
            messages.contains {
                $0.hasPrefix("content/cases/aliev-test/documents.yml:4: 'big.jpg' is 50 MB; scans over 50 MB")
            })
        #expect(
            messages.contains {
                $0.hasPrefix("content/cases/aliev-test/notes.txt:") && $0.contains("nothing describes 'notes.txt'")
            }, "\(messages)")
        #expect(!messages.contains { $0.contains("'big.jpg' has no caption") })
    }
}
