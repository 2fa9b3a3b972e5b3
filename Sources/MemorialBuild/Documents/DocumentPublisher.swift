import Foundation
import MemorialContent
import MemorialCore
import Synchronization

/// Puts the published documents' derivatives into the output: each page's reading image and
/// thumbnail (WebP and JPEG) and, where download is allowed, its full size, below
/// `media/<id>/<n>/`; its IIIF tiles and info.json below `iiif/<id>/<n>-<page>/`; and each case's
/// manifest. A file the last build wrote from the same derivative is kept without being read.
enum DocumentPublisher {
    static func publish(
        renderer: PageRenderer, siteFingerprint: Fingerprint, writer: OutputWriter
    ) throws(OutputWriter.WriteError) {
        guard let images = renderer.images else { return }
        let cases = renderer.site.cases.filter { !$0.documents.isEmpty }
        let failure = Mutex<OutputWriter.WriteError?>(nil)
        _ = cases.concurrentMap { item -> Bool in
            do throws(OutputWriter.WriteError) {
                try publish(item, renderer: renderer, images: images, siteFingerprint: siteFingerprint, writer: writer)
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
            return true
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    private static func publish(
        _ item: Case, renderer: PageRenderer, images: DocumentImages, siteFingerprint: Fingerprint,
        writer: OutputWriter
    ) throws(OutputWriter.WriteError) {
        var anyPage = false
        for (index, document) in item.documents.enumerated() {
            guard let derived = images.derivatives(of: item.id, index) else { continue }
            let entry = images.folder.appending(path: derived.key)
            var key = Fingerprint()
            key.combine(derived.key)
            func copy(_ cached: String, to path: String) throws(OutputWriter.WriteError) {
                var input = key
                input.combine(cached)
                if writer.keepIfUnchanged([path], input: input) { return }
                guard let bytes = SourceText.readBytes(atPath: entry.appending(path: cached).path) else {
                    throw .io(
                        "cannot read \(entry.appending(path: cached).path); remove the state folder and build again")
                }
                try writer.write(path, bytes: bytes, input: input)
            }
            let media = SiteURLs.documentMedia(item.id, index)
            for (number, page) in derived.pages.enumerated() {
                anyPage = true
                let name = String(number + 1)
                for size in ["small", "large"] {
                    for format in ["webp", "jpg"] {
                        try copy("\(name)/\(size).\(format)", to: "\(media)\(name)-\(size).\(format)")
                    }
                }
                if document.download { try copy("\(name)/full.jpg", to: "\(media)\(name).jpg") }
                let service = SiteURLs.imageService(item.id, index, number)
                for tile in page.tiles { try copy("\(name)/tiles/\(tile)", to: service + tile) }
                try copy(
                    "\(name)/small.jpg",
                    to: service + "full/\(page.thumbnailWidth),\(page.thumbnailHeight)/0/default.jpg")
                try copy(
                    "\(name)/large.jpg", to: service + "full/\(page.readingWidth),\(page.readingHeight)/0/default.jpg")
                var input = siteFingerprint
                input.combine(derived.key)
                if !writer.keepIfUnchanged([service + "info.json"], input: input) {
                    try writer.write(
                        service + "info.json",
                        bytes: renderer.imageInfo(id: item.id, index: index, page: number, derived: page),
                        input: input)
                }
            }
        }
        guard anyPage else { return }
        var input = siteFingerprint
        input.combine(item.fingerprint)
        input.combine(images.fingerprint(of: item.id))
        let path = SiteURLs.manifest(item.id)
        if !writer.keepIfUnchanged([path], input: input) {
            try writer.write(path, bytes: renderer.manifest(of: item), input: input)
        }
    }
}
