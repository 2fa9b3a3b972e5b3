import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Text files as curators save them: UTF-8, perhaps with a byte-order mark, perhaps with
/// Windows (CRLF) or old Mac (CR) line ends. Everything downstream sees LF only, so line
/// numbers in diagnostics match what an editor shows.
enum SourceText {
    static func decode(_ data: Data) -> String? {
        data.withUnsafeBytes { decode(UnsafeRawBufferPointer($0)) }
    }

    static func decode(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { decode($0) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard var text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else { return nil }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if !bytes.isEmpty, memchr(bytes.baseAddress!, 0x0D, bytes.count) != nil {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }

    /// A file's bytes (open, fstat, read, close: FileManager's Data costs more than the read
    /// for the small files of an archive); nil when it cannot be read.
    static func readBytes(atPath path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 4096)) }
            let read = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if read < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if read == 0 { break }
            count += read
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}
