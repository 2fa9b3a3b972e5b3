import Foundation
import Glibc

/// Text files as curators save them: UTF-8, perhaps with a byte-order mark, perhaps with
/// Windows (CRLF) or old Mac (CR) line ends. Everything downstream sees LF only, so line
/// numbers in diagnostics match what an editor shows.
package enum SourceText {
    package static func decode(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { bytes in
            guard var text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else { return nil }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            if !bytes.isEmpty, memchr(bytes.baseAddress!, 0x0D, bytes.count) != nil {
                text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            }
            return text
        }
    }

    /// Whether bytes are UTF-8, checked in place. Written out because `String(validating:)`
    /// copies a whole file into a String, and called per field it looked up generic metadata
    /// each time (a third of reading 100,000 records).
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        @inline(__always) func isContinuation(_ offset: Int) -> Bool { bytes[offset] & 0xC0 == 0x80 }
        while index < count {
            // Eight ASCII bytes at a time.
            if index + 8 <= count,
                UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = bytes[index]
            switch lead {
            case 0..<0x80:
                index += 1
            case 0xC2..<0xE0:
                guard index + 1 < count, isContinuation(index + 1) else { return false }
                index += 2
            case 0xE0..<0xF0:
                guard index + 2 < count, isContinuation(index + 1), isContinuation(index + 2) else { return false }
                let second = bytes[index + 1]
                // Not overlong, not a surrogate.
                if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second >= 0xA0) { return false }
                index += 3
            case 0xF0..<0xF5:
                guard index + 3 < count, isContinuation(index + 1), isContinuation(index + 2), isContinuation(index + 3)
                else { return false }
                let second = bytes[index + 1]
                // Not overlong, not past U+10FFFF.
                if (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second >= 0x90) { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    /// A file's bytes (open, fstat, read, close: FileManager's Data costs more than the read
    /// for the small files of an archive); nil when it cannot be read, or is a symbolic link
    /// or not a regular file. The walk refuses links and FIFOs before anything is read; opening
    /// without following a link, and without waiting for a FIFO's writer, keeps a file swapped
    /// for one since then from being read either.
    package static func readBytes(atPath path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
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
