import Foundation
import MemorialContent
import MemorialCore
import Synchronization

/// One page of a document as made for the web: its full size (the tiles') and the sizes of
/// its reading image and thumbnail.
struct DerivedPage: Sendable, Hashable {
    var width: Int
    var height: Int
    var readingWidth: Int
    var readingHeight: Int
    var thumbnailWidth: Int
    var thumbnailHeight: Int
    /// The IIIF scale factors the tiles have (1, 2, 4, …).
    var scaleFactors: [Int]
    /// The tiles' files, relative to the page's tiles folder, sorted.
    var tiles: [String]
}

/// The derivatives of one document's file, kept in the state folder under `key`.
struct DerivedDocument: Sendable, Hashable {
    /// 32 hexadecimal digits: of the file's content and of how derivatives are made.
    var key: String
    var pages: [DerivedPage]
}

/// The derivatives of every published document: made once per file content, kept in the state
/// folder (`images/<key>/`), and never made again while a build finds them there.
struct DocumentImages: Sendable {
    /// What a change to how derivatives are made must change, so that none is reused.
    static let recipe =
        "memorial documents 2: thumbnail 320, reading 1400 (webp effort 1), tiles 512 jpeg q80, pdf 200 dpi"
    static let thumbnailWidth = 320
    static let readingWidth = 1400
    static let tileSize = 512
    static let pdfDPI = 200
    /// The loaders of the formats read (by content, not by name).
    static let formats: Set<String> = ["jpeg", "png", "spng", "tiff", "pdf", "pdfium", "webp"]

    /// The format of a libvips loader's type name (`VipsForeignLoadJpegFile` → `jpeg`).
    static func format(ofLoader loader: String) -> String {
        var name = Substring(loader)
        if name.hasPrefix("VipsForeignLoad") { name = name.dropFirst("VipsForeignLoad".count) }
        for suffix in ["File", "Source", "Buffer"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        return name.lowercased()
    }

    /// `images/` in the state folder.
    let folder: URL

    init(stateFolder: URL) { folder = stateFolder.appending(path: "images") }

    /// Per case id, the derivatives of each of `Case.documents` (nil for one that could not be made).
    var derived: [String: [DerivedDocument?]] = [:]
    /// Pages whose derivatives this build made (0 when every one was found in the state folder).
    var made = 0

    /// The derivatives of `document` of case `id`, if made.
    func derivatives(of id: String, _ index: Int) -> DerivedDocument? {
        guard let documents = derived[id], documents.indices.contains(index) else { return nil }
        return documents[index]
    }

    /// What a case's pages show of its documents' images.
    func fingerprint(of id: String) -> Fingerprint {
        var fingerprint = Fingerprint()
        for document in derived[id] ?? [] { fingerprint.combine(document?.key ?? "-") }
        return fingerprint
    }

    /// Finds or makes the derivatives of every published document of the site, on every core.
    /// - Parameters:
    ///   - known: the fingerprint of a file's content when the saved state vouches for it.
    ///   - prune: whether this build sees every document (not a narrow scope's few cases), so
    ///     that the entries none of them uses can go.
    ///   - read: receives the content fingerprint of every file read.
    static func make(
        site: Site, siteRoot: URL, stateFolder: URL, known: (String) -> Fingerprint?,
        progress: (@Sendable (BuildProgress) -> Void)?, prune: Bool, diagnostics: inout Diagnostics,
        read: inout [String: Fingerprint]
    ) -> DocumentImages {
        var images = DocumentImages(stateFolder: stateFolder)
        struct Job: Sendable {
            var id: String
            var document: CaseDocument
            var source: String
            var known: Fingerprint?
        }
        var jobs: [Job] = []
        for item in site.cases where !item.documents.isEmpty {
            for document in item.documents {
                let source = "content/cases/\(item.id)/\(document.file)"
                jobs.append(Job(id: item.id, document: document, source: source, known: known(source)))
            }
        }
        guard !jobs.isEmpty else {
            if prune { images.removeUnused() }
            return images
        }
        let rootPath = SiteBuilder.rootPath(of: siteRoot)
        let done = Atomic<Int>(0)
        let total = jobs.count
        progress?(BuildProgress(stage: "images", done: 0, total: total))
        let cache = images
        typealias Result = (derived: DerivedDocument?, made: Int, content: Fingerprint?, problem: Diagnostic?)
        @Sendable func count() {
            let count = done.add(1, ordering: .relaxed).newValue
            progress?(BuildProgress(stage: "images", done: count, total: total))
        }
        // First what the state folder holds (cheap), so that the files to make are known and
        // libvips' threads can be set for them.
        let found = jobs.concurrentMap { job -> (result: Result?, content: Fingerprint?) in
            var content = job.known
            if content == nil {
                guard let bytes = SourceText.readBytes(atPath: rootPath + job.source) else {
                    count()
                    return ((nil, 0, nil, .error("cannot read '\(job.document.file)'", at: job.document.location)), nil)
                }
                content = Fingerprint.ofContent(bytes)
            }
            guard let derived = cache.cached(content: content!, fullSize: job.document.download) else {
                return (nil, content)
            }
            count()
            return ((derived, 0, content, nil), content)
        }
        var pending = found.indices.filter { found[$0].result == nil }
        // One thread per operation when files are made on every core at once (a thread pool per
        // page on top made 2 pages on 2 cores 15 % slower); else libvips' own, and each page's
        // tiles beside its other sizes, so that one new scan is made on every core.
        let everyCore = pending.count >= ProcessInfo.processInfo.activeProcessorCount
        // libvips starts (loading its modules) only when there is something to make.
        if !pending.isEmpty {
            do throws(Vips.Failure) {
                try Vips.start()
                Vips.setThreads(everyCore ? 1 : 0)
            } catch {
                diagnostics.error(error.description, at: jobs[pending[0]].document.location)
                pending = []
            }
        }
        let timings = ImageTimings()
        // A file a part: files are few and each is much work, so that a core left with the
        // last file idles for one file at most, not for a range of them. One file more at a time
        // than there are cores: each waits on libvips' hand-offs between its threads and on its
        // writes, and with one thread a core the cores were idle 13 % of the stage (41 scans on
        // 2 cores in memory: 6.6 s against 5.75 s with 3 threads; 4 took 6.1-7.4 s).
        let threads = ProcessInfo.processInfo.activeProcessorCount + 1
        let madeResults = pending.map { (job: jobs[$0], content: found[$0].content!) }.concurrentMap(
            waiting: threads, eachAlone: true
        ) {
            job, content -> Result in
            defer { count() }
            do throws(Vips.Failure) {
                let (derived, made) = try cache.derive(
                    path: rootPath + job.source, content: content, file: job.document.file,
                    fullSize: job.document.download, overlap: !everyCore, timings: timings)
                return (derived, made, content, nil)
            } catch {
                return (nil, 0, content, .error(error.description, at: job.document.location))
            }
        }
        var results = found.map(\.result)
        for (index, result) in zip(pending, madeResults) { results[index] = result }
        if !pending.isEmpty { timings.report() }
        for (index, job) in jobs.enumerated() {
            // None when libvips could not start.
            let result = results[index] ?? (nil, 0, found[index].content, nil)
            images.derived[job.id, default: []].append(result.derived)
            images.made += result.made
            if let content = result.content { read[job.source] = content }
            if let problem = result.problem { diagnostics.append(problem) }
        }
        if prune { images.removeUnused() }
        return images
    }

    /// Removes the entries of the state folder's `images/` that no document of this build uses
    /// (of files removed, replaced or restricted since), and temporary folders older than a day
    /// (left by a build that was killed).
    func removeUnused() {
        let used = Set(derived.values.joined().compactMap { $0?.key })
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where !used.contains(name) {
            let entry = folder.appending(path: name)
            if name.hasPrefix(".tmp-") {
                let modified =
                    (try? FileManager.default.attributesOfItem(atPath: entry.path))?[.modificationDate] as? Date
                guard let modified, modified.timeIntervalSinceNow < -86_400 else { continue }
            }
            try? FileManager.default.removeItem(at: entry)
        }
    }

    /// The derivatives of a file with this content when the state folder holds them all (with
    /// each page's full size when `fullSize`).
    func cached(content: Fingerprint, fullSize: Bool) -> DerivedDocument? {
        let key = Self.key(of: content)
        let entry = folder.appending(path: key)
        guard let pages = Self.readMeta(entry) else { return nil }
        if fullSize {
            for number in pages.indices
            where !FileManager.default.fileExists(atPath: entry.appending(path: "\(number + 1)/full.jpg").path) {
                return nil
            }
        }
        return DerivedDocument(key: key, pages: pages)
    }

    static func key(of content: Fingerprint) -> String {
        var keyFingerprint = Fingerprint()
        keyFingerprint.combine(Self.recipe)
        keyFingerprint.combine(content)
        return keyFingerprint.description
    }

    /// The derivatives of a file with this content: from the state folder, or made into it.
    /// - Parameters:
    ///   - fullSize: whether the full-size JPEG of each page is needed too (for download):
    ///     made only then, and added to an entry made without it.
    ///   - overlap: whether each page's tiles are made on another thread beside its other sizes.
    ///   - timings: receives how long each page's parts took.
    /// - Returns: them and how many pages were made (0 when found).
    func derive(
        path: String, content: Fingerprint, file: String, fullSize: Bool, overlap: Bool, timings: ImageTimings
    ) throws(Vips.Failure) -> (DerivedDocument, Int) {
        let key = Self.key(of: content)
        let entry = folder.appending(path: key)
        if let pages = Self.readMeta(entry) {
            var made = 0
            if fullSize {
                for number in pages.indices
                where !FileManager.default.fileExists(atPath: entry.appending(path: "\(number + 1)/full.jpg").path) {
                    let start = DispatchTime.now()
                    try addFullSize(page: number, of: path, to: entry.appending(path: "\(number + 1)/full.jpg"))
                    timings.add(.downloads, since: start)
                    made += 1
                }
            }
            return (DerivedDocument(key: key, pages: pages), made)
        }

        guard let loader = Vips.loader(of: path) else {
            throw Vips.Failure(
                description:
                    "'\(file)' is not an image or PDF memorial can read; export it as JPEG, PNG, TIFF, PDF or WebP")
        }
        let format = Self.format(ofLoader: loader)
        guard Self.formats.contains(format) else {
            let advice = format.hasPrefix("heif") ? "JPEG or TIFF" : "JPEG, PNG, TIFF, PDF or WebP"
            throw Vips.Failure(
                description:
                    "'\(file)' holds \(format.uppercased()) data, which memorial does not publish; export it as \(advice)"
            )
        }
        let isPDF = format.hasPrefix("pdf")
        let temporary = folder.appending(path: ".tmp-\(key)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw Vips.Failure(
                description: "cannot write the image cache in \(folder.path): \(error.localizedDescription)")
        }
        let count = try Vips.pageCount(of: path, isPDF: isPDF)
        var pages: [DerivedPage] = []
        for number in 0..<count {
            let pageFolder = temporary.appending(path: "\(number + 1)")
            try? FileManager.default.createDirectory(at: pageFolder, withIntermediateDirectories: true)
            // The page is decoded once (counted with the thumbnail and reading image, as
            // ImageMagick's decoding is); the thumbnail is made from the reading image.
            let start = DispatchTime.now()
            let image = try Vips.page(number, of: path, isPDF: isPDF, dpi: Self.pdfDPI)
            let tilesFolder = pageFolder.appending(path: "tiles")
            let tiles = { @Sendable () -> Result<(files: [String], scaleFactors: [Int]), Vips.Failure> in
                let start = DispatchTime.now()
                defer { timings.add(.tiles, since: start) }
                do throws(Vips.Failure) {
                    try Vips.saveTiles(image, to: tilesFolder.path, tileSize: Self.tileSize)
                } catch {
                    return .failure(error)
                }
                return .success((Self.tileFiles(in: tilesFolder), Self.scaleFactors(in: tilesFolder)))
            }
            let sizes = { () -> Result<(reading: Vips.Image, thumbnail: Vips.Image), Vips.Failure> in
                do throws(Vips.Failure) {
                    let reading = try Vips.resize(image, width: Self.readingWidth)
                    try Vips.saveWebP(reading, to: pageFolder.appending(path: "large.webp").path)
                    try Vips.saveJPEG(reading, to: pageFolder.appending(path: "large.jpg").path)
                    let thumbnail = try Vips.resize(reading, width: Self.thumbnailWidth)
                    try Vips.saveWebP(thumbnail, to: pageFolder.appending(path: "small.webp").path)
                    try Vips.saveJPEG(thumbnail, to: pageFolder.appending(path: "small.jpg").path)
                    let sizesMade = timings.add(.derivatives, since: start)
                    if fullSize {
                        try Vips.saveJPEG(image, to: pageFolder.appending(path: "full.jpg").path, quality: 88)
                        timings.add(.downloads, since: sizesMade)
                    }
                    return .success((reading, thumbnail))
                } catch {
                    return .failure(error)
                }
            }
            // Tiles beside the other sizes when fewer files are made than there are cores (one new
            // scan); else each core makes whole files.
            let (made, tiled) = overlap ? both(sizes, tiles) : (sizes(), tiles())
            let (reading, thumbnail) = try made.get()
            let (tileFiles, scaleFactors) = try tiled.get()
            pages.append(
                DerivedPage(
                    width: image.width, height: image.height, readingWidth: reading.width,
                    readingHeight: reading.height, thumbnailWidth: thumbnail.width,
                    thumbnailHeight: thumbnail.height, scaleFactors: scaleFactors, tiles: tileFiles))
        }
        let meta = Self.meta(pages)
        guard OutputWriter.writeAtomically(meta, to: temporary.appending(path: "meta").path) == nil else {
            throw Vips.Failure(description: "cannot write the image cache in \(folder.path)")
        }
        // Another build may have made the same entry meanwhile: either is whole.
        if rename(temporary.path, entry.path) != 0, Self.readMeta(entry) == nil {
            throw Vips.Failure(description: "cannot write the image cache in \(folder.path)")
        }
        return (DerivedDocument(key: key, pages: pages), count)
    }

    /// Adds a page's full-size JPEG to an entry (under a temporary name, renamed into place).
    private func addFullSize(page: Int, of path: String, to target: URL) throws(Vips.Failure) {
        let isPDF = Vips.loader(of: path).map { Self.format(ofLoader: $0).hasPrefix("pdf") } ?? false
        let image = try Vips.page(page, of: path, isPDF: isPDF, dpi: Self.pdfDPI)
        let temporary = target.deletingLastPathComponent().appending(
            path: ".tmp-full-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).jpg")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try Vips.saveJPEG(image, to: temporary.path, quality: 88)
        guard rename(temporary.path, target.path) == 0 else {
            throw Vips.Failure(description: "cannot write the image cache in \(folder.path)")
        }
    }

    /// The tile files dzsave wrote (its own info.json left out: the build writes one with the
    /// site's address).
    static func tileFiles(in folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".jpg") }.sorted()
    }

    /// The scale factors of dzsave's info.json.
    static func scaleFactors(in folder: URL) -> [Int] {
        guard let data = FileManager.default.contents(atPath: folder.appending(path: "info.json").path),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let tiles = json["tiles"] as? [[String: Any]], let factors = tiles.first?["scaleFactors"] as? [Int]
        else { return [1] }
        return factors
    }

    /// `meta`: a header line, then per page its sizes, scale factors and tiles.
    static func meta(_ pages: [DerivedPage]) -> [UInt8] {
        var text = "memorial-images 1\n\(pages.count)\n"
        for page in pages {
            let sizes = [
                page.width, page.height, page.readingWidth, page.readingHeight, page.thumbnailWidth,
                page.thumbnailHeight,
            ]
            text += sizes.map(String.init).joined(separator: " ") + "\n"
            text += page.scaleFactors.map(String.init).joined(separator: " ") + "\n"
            text += "\(page.tiles.count)\n"
            for tile in page.tiles { text += tile + "\n" }
        }
        return Array(text.utf8)
    }

    /// The pages an entry's `meta` describes; nil when there is none or it does not parse.
    static func readMeta(_ entry: URL) -> [DerivedPage]? {
        guard let bytes = SourceText.readBytes(atPath: entry.appending(path: "meta").path),
            let text = String(validating: bytes, as: UTF8.self)
        else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == "memorial-images 1", let count = lines.popFirst().flatMap({ Int($0) }), count > 0
        else { return nil }
        var pages: [DerivedPage] = []
        for _ in 0..<count {
            guard let sizes = lines.popFirst()?.split(separator: " ").compactMap({ Int($0) }), sizes.count == 6,
                let factors = lines.popFirst()?.split(separator: " ").compactMap({ Int($0) }), !factors.isEmpty,
                let tileCount = lines.popFirst().flatMap({ Int($0) }), tileCount >= 0, lines.count >= tileCount
            else { return nil }
            let tiles = lines.prefix(tileCount).map(String.init)
            lines = lines.dropFirst(tileCount)
            // Paths from the state folder are untrusted: a tile path stays inside its folder.
            guard tiles.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("/") && !$0.contains("..") }) else { return nil }
            pages.append(
                DerivedPage(
                    width: sizes[0], height: sizes[1], readingWidth: sizes[2], readingHeight: sizes[3],
                    thumbnailWidth: sizes[4], thumbnailHeight: sizes[5], scaleFactors: factors, tiles: tiles))
        }
        return pages
    }
}

/// How long the pages a build made took, per part, summed over the threads that made them:
/// printed with `MEMORIAL_TIMINGS=1` (`make bench-images` compares the thumbnails and reading
/// sizes with ImageMagick's).
final class ImageTimings: Sendable {
    enum Part: Int, CaseIterable {
        /// Decoding, the reading image and the thumbnail, each in WebP and JPEG.
        case derivatives
        /// The IIIF tiles.
        case tiles
        /// Full-size JPEGs for download.
        case downloads

        var stage: String {
            switch self {
            case .derivatives: "thumbnails and reading sizes"
            case .tiles: "tiles"
            case .downloads: "full sizes"
            }
        }
    }

    /// Nanoseconds per part.
    private let nanoseconds = Mutex([Int](repeating: 0, count: Part.allCases.count))

    /// Adds the time since `start` to `part`, and returns now.
    @discardableResult
    func add(_ part: Part, since start: DispatchTime) -> DispatchTime {
        let now = DispatchTime.now()
        nanoseconds.withLock { $0[part.rawValue] += Int(now.uptimeNanoseconds - start.uptimeNanoseconds) }
        return now
    }

    func report() {
        var clock = StageClock(prefix: "document images: ")
        let totals = nanoseconds.withLock { $0 }
        for part in Part.allCases {
            clock.add("\(part.stage), summed over threads", seconds: Double(totals[part.rawValue]) / 1e9)
        }
        clock.report()
    }
}
