import MemorialContent
import MemorialCore

extension PageRenderer {
    /// A page's IIIF Image API 3.0 `info.json` (level 0): its full size, the sizes made whole
    /// (thumbnail and reading image, at `full/<w>,<h>/0/default.jpg`) and the tiles.
    func imageInfo(id: String, index: Int, page: Int, derived: DerivedPage) -> [UInt8] {
        var json = "{\"@context\":\"http://iiif.io/api/image/3/context.json\",\"id\":"
        json += JSON.string(urls.absolute(SiteURLs.imageService(id, index, page)).dropLastSlash)
        json += ",\"type\":\"ImageService3\",\"protocol\":\"http://iiif.io/api/image\",\"profile\":\"level0\""
        json += ",\"width\":\(derived.width),\"height\":\(derived.height)"
        json += ",\"sizes\":[{\"width\":\(derived.thumbnailWidth),\"height\":\(derived.thumbnailHeight)}"
        json += ",{\"width\":\(derived.readingWidth),\"height\":\(derived.readingHeight)}]"
        json += ",\"tiles\":[{\"width\":\(DocumentImages.tileSize),\"scaleFactors\":["
        json += derived.scaleFactors.map(String.init).joined(separator: ",") + "]}]}\n"
        return Array(json.utf8)
    }

    /// The case's IIIF Presentation 3.0 manifest: every published page a canvas, labelled in
    /// every site language, with the document's caption and archival reference.
    func manifest(of item: Case) -> [UInt8] {
        let languages = site.languages
        func languageMap(_ text: (String) -> String?) -> String {
            var parts: [String] = []
            for language in languages {
                guard let value = text(language) else { continue }
                parts.append("\(JSON.string(language)):[\(JSON.string(value))]")
            }
            if parts.isEmpty { parts.append("\"none\":[\"\"]") }
            return "{" + parts.joined(separator: ",") + "}"
        }
        func entry(_ key: String, _ value: (String) -> String?) -> String {
            "{\"label\":\(languageMap { string(key, $0) }),\"value\":\(languageMap(value))}"
        }
        let manifestID = urls.absolute(SiteURLs.manifest(item.id))
        let base = urls.absolute("iiif/\(item.id)/")
        let label = languageMap { name(of: item, $0).text }
        var json = "{\"@context\":\"http://iiif.io/api/presentation/3/context.json\""
        json += ",\"id\":\(JSON.string(manifestID)),\"type\":\"Manifest\",\"label\":" + label
        json += ",\"metadata\":[" + entry("documents") { language in String(item.documents.count) } + "]"
        json += ",\"homepage\":[{\"id\":\(JSON.string(urls.absolute(SiteURLs.caseFolder(languages[0], item.id))))"
        json += ",\"type\":\"Text\",\"format\":\"text/html\",\"label\":" + label + "}]"
        json += ",\"items\":["
        var first = true
        for (index, document) in item.documents.enumerated() {
            guard let derived = images?.derivatives(of: item.id, index) else { continue }
            for (number, page) in derived.pages.enumerated() {
                let canvas = base + "canvas/\(index + 1)-\(number + 1)"
                let service = urls.absolute(SiteURLs.imageService(item.id, index, number)).dropLastSlash
                if !first { json += "," }
                first = false
                json += "{\"id\":\(JSON.string(canvas)),\"type\":\"Canvas\""
                json += ",\"width\":\(page.width),\"height\":\(page.height)"
                json +=
                    ",\"label\":"
                    + languageMap { language in
                        documentTitle(document, number: index + 1, language: language) + ", "
                            + pageLabel(number, of: derived.pages.count, language)
                    }
                if !document.caption.isEmpty {
                    json += ",\"summary\":" + languageMap { document.caption.resolved(in: $0, fallback: [])?.text }
                }
                var metadata = [
                    entry("documentReference") {
                        referenceText(document.reference, language: $0) ?? string("referenceUnknown", $0)
                    }
                ]
                if let date = document.date {
                    metadata.append(entry("documentDate") { DateFormatting.format(date, language: $0) })
                }
                json += ",\"metadata\":[" + metadata.joined(separator: ",") + "]"
                json += ",\"items\":[{\"id\":\(JSON.string(canvas + "/page")),\"type\":\"AnnotationPage\",\"items\":["
                json +=
                    "{\"id\":\(JSON.string(canvas + "/page/image")),\"type\":\"Annotation\",\"motivation\":\"painting\""
                json += ",\"target\":\(JSON.string(canvas))"
                json +=
                    ",\"body\":{\"id\":\(JSON.string(service + "/full/\(page.readingWidth),\(page.readingHeight)/0/default.jpg"))"
                json +=
                    ",\"type\":\"Image\",\"format\":\"image/jpeg\",\"width\":\(page.readingWidth),\"height\":\(page.readingHeight)"
                json +=
                    ",\"service\":[{\"id\":\(JSON.string(service)),\"type\":\"ImageService3\",\"profile\":\"level0\"}]}"
                json += "}]}]}"
            }
        }
        json += "]}\n"
        return Array(json.utf8)
    }
}

extension String {
    fileprivate var dropLastSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
