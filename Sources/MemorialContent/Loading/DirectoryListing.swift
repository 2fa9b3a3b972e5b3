#if canImport(Glibc)
    import Glibc
#endif

/// A folder's visible entries from readdir(3), which says which are folders without a stat(2)
/// per entry: a large archive has a folder for each of tens of thousands of cases. Hidden
/// entries (`.git`, `.DS_Store`) are left out, as Memorial ignores them everywhere.
package enum DirectoryListing {
    package static func entries(at path: String) -> [(name: String, isFolder: Bool)] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var result: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !name.hasPrefix(".") else { continue }
            var isFolder = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) || Int32(entry.pointee.d_type) == Int32(DT_LNK) {
                var status = stat()
                isFolder = stat(path + "/" + name, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            }
            result.append((name, isFolder))
        }
        return result.sorted { $0.name < $1.name }
    }
}
