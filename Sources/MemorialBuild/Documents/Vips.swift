import CVipsShim
import Foundation

/// libvips through the C shim (`Sources/CVipsShim`): started once per process, used from any
/// thread (libvips is thread-safe).
enum Vips {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// An image owned by Swift, released when dropped.
    final class Image: @unchecked Sendable {
        let pointer: OpaquePointer

        init(_ pointer: OpaquePointer) { self.pointer = pointer }

        deinit { memorial_vips_release(pointer) }

        var width: Int { Int(memorial_vips_width(pointer)) }
        var height: Int { Int(memorial_vips_height(pointer)) }
    }

    private static let started: Bool = memorial_vips_start() == 0

    static func start() throws(Failure) {
        guard started else { throw Failure(description: "libvips could not start: \(lastError())") }
    }

    /// How many threads each libvips operation uses; 0 for libvips' default (one per core).
    static func setThreads(_ threads: Int) { memorial_vips_set_threads(Int32(threads)) }

    static func lastError() -> String {
        guard let message = memorial_vips_error() else { return "unknown error" }
        defer { free(message) }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown error" : text.replacingOccurrences(of: "\n", with: "; ")
    }

    private static func check(_ status: Int32) throws(Failure) {
        if status != 0 { throw Failure(description: lastError()) }
    }

    /// The libvips loader that would read the file (`jpegload`, `pdfload`, …), nil when none.
    static func loader(of path: String) -> String? {
        guard let name = memorial_vips_loader(path) else { return nil }
        defer { free(name) }
        return String(cString: name)
    }

    static func pageCount(of path: String, isPDF: Bool) throws(Failure) -> Int {
        var pages: Int32 = 0
        try check(memorial_vips_page_count(path, isPDF ? 1 : 0, &pages))
        return max(1, Int(pages))
    }

    static func page(_ page: Int, of path: String, isPDF: Bool, dpi: Int) throws(Failure) -> Image {
        var out: OpaquePointer?
        try check(memorial_vips_load_page(path, Int32(page), isPDF ? 1 : 0, Int32(dpi), &out))
        return Image(out!)
    }

    static func resize(_ image: Image, width: Int) throws(Failure) -> Image {
        var out: OpaquePointer?
        try check(memorial_vips_resize(image.pointer, Int32(width), &out))
        return Image(out!)
    }

    /// - Parameter effort: 0-6, the CPU spent on a smaller file. On a 1,400 px page of typed
    ///   Cyrillic text with scanner noise, 1 took 0.11 s for 280 KB, 2 took 0.15 s for 274 KB
    ///   (2.5 % less) and libwebp's default 4 twice as long as 2; 0 took 0.08 s for 286 KB, but
    ///   made smooth photographs half again as large as 1 and 2 did.
    static func saveWebP(_ image: Image, to path: String, quality: Int = 80, effort: Int = 1) throws(Failure) {
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        try check(memorial_vips_encode_webp(image.pointer, Int32(quality), Int32(effort), &bytes, &length))
        defer { memorial_vips_free(bytes) }
        // Encoded in memory and written once: libvips 8.14's webpsave writes an EXIF chunk of its
        // own whatever `strip` says, and reading each file back to rewrite it without one cost a
        // read and a second write per file.
        let file = strippedWebP(UnsafeRawBufferPointer(start: bytes, count: length))
        if let problem = OutputWriter.writeAtomically(file, to: path) {
            throw Failure(description: "cannot write \(path): \(problem)")
        }
    }

    /// A WebP file without its EXIF, XMP and ICC chunks (and their flags); other files as they are.
    static func strippedWebP(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8)
        else { return Array(bytes) }
        var file: [UInt8] = Array("RIFF\0\0\0\0WEBP".utf8)
        file.reserveCapacity(bytes.count)
        var offset = 12
        while offset + 8 <= bytes.count {
            let name = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
            let end = min(bytes.count, offset + 8 + size + (size & 1))
            if !["EXIF", "XMP ", "ICCP"].contains(name) {
                let start = file.count
                file.append(contentsOf: bytes[offset..<end])
                // VP8X flags: ICC 0x20, EXIF 0x08, XMP 0x04.
                if name == "VP8X", end - offset > 8 { file[start + 8] &= ~UInt8(0x20 | 0x08 | 0x04) }
            }
            offset = end
        }
        withUnsafeBytes(of: UInt32(file.count - 8).littleEndian) { file.replaceSubrange(4..<8, with: $0) }
        return file
    }

    static func saveJPEG(_ image: Image, to path: String, quality: Int = 82) throws(Failure) {
        try check(memorial_vips_save_jpeg(image.pointer, path, Int32(quality)))
    }

    static func saveTiles(_ image: Image, to path: String, tileSize: Int) throws(Failure) {
        try check(memorial_vips_tiles(image.pointer, path, Int32(tileSize)))
    }

    /// A placeholder card: `markup` (Pango markup) on a pale page.
    static func card(markup: String, width: Int, height: Int) throws(Failure) -> Image {
        var out: OpaquePointer?
        try check(memorial_vips_card(markup, Int32(width), Int32(height), &out))
        return Image(out!)
    }

    /// Saves pages of equal width as one multi-page file (TIFF).
    static func savePages(_ pages: [Image], to path: String) throws(Failure) {
        var pointers: [OpaquePointer?] = pages.map(\.pointer)
        try check(
            pointers.withUnsafeMutableBufferPointer {
                memorial_vips_save_pages($0.baseAddress, Int32(pages.count), path)
            })
    }
}
