#if canImport(Glibc)
    import Glibc
#endif

/// A folder's visible entries from readdir(3), which says which are folders without a stat(2)
/// per entry: a large archive has a folder for each of tens of thousands of cases. Hidden
/// entries (`.git`, `.DS_Store`) are left out, as Memorial ignores them everywhere.
///
/// Only folders and regular files are entries. A symbolic link is never followed (so no link
/// can bring a file from outside the site into the output, and no loop of links can make a
/// walk run forever), nor is a FIFO, socket or device read: each is `refused`, for the loader
/// to report.
struct DirectoryListing: Sendable {
    var entries: [(name: String, isFolder: Bool)] = []
    /// Entries that are neither folders nor regular files, and what is wrong with each.
    var refused: [(name: String, problem: String)] = []

    init(at path: String) {
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !name.hasPrefix(".") else { continue }
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var status = stat()
                guard fstatat(dirfd(directory), name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                type = Self.directoryType(status.st_mode)
            }
            switch type {
            case Int32(DT_DIR): entries.append((name, true))
            case Int32(DT_REG): entries.append((name, false))
            default: refused.append((name, Self.problem(type: type, name: name, in: path)))
            }
        }
        entries.sort { $0.name < $1.name }
        refused.sort { $0.name < $1.name }
    }

    /// What is wrong with an entry that is not a folder or a regular file, and what to do.
    private static func problem(type: Int32, name: String, in folder: String) -> String {
        guard type == Int32(DT_LNK) else {
            let kind =
                switch type {
                case Int32(DT_FIFO): "a FIFO"
                case Int32(DT_SOCK): "a socket"
                case Int32(DT_CHR), Int32(DT_BLK): "a device"
                default: "not a file"
                }
            return "this is \(kind), not a regular file; Memorial reads only regular files and folders: "
                + "put the file itself here"
        }
        return "this is a symbolic link (to \(linkTarget(folder + "/" + name))), and Memorial follows no link, "
            + "so that nothing from outside the site can be published: copy the file or folder itself here instead"
    }

    /// What a symbolic link points to, as it is written in the link.
    static func linkTarget(_ path: String) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count)
        guard count >= 0 else { return "?" }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The readdir(3) type of a stat(2) mode.
    static func directoryType(_ mode: mode_t) -> Int32 {
        switch mode & S_IFMT {
        case S_IFDIR: Int32(DT_DIR)
        case S_IFREG: Int32(DT_REG)
        case S_IFLNK: Int32(DT_LNK)
        case S_IFIFO: Int32(DT_FIFO)
        case S_IFSOCK: Int32(DT_SOCK)
        case S_IFCHR: Int32(DT_CHR)
        case S_IFBLK: Int32(DT_BLK)
        default: Int32(DT_UNKNOWN)
        }
    }

    /// What is wrong with a top folder of the site (`content`, `templates`) that is there but is
    /// not a folder (a link to one, say); nil when it is a folder or is not there.
    static func problem(ofTopFolder name: String, in root: String) -> String? {
        var status = stat()
        guard lstat(root + "/" + name, &status) == 0 else { return nil }
        let type = directoryType(status.st_mode)
        guard type != Int32(DT_DIR) else { return nil }
        guard type != Int32(DT_REG) else { return "this must be a folder" }
        return problem(type: type, name: name, in: root)
    }
}

extension InputTree {
    /// Walks a site root's `content/` and `templates/` without reading a file: every folder's
    /// entries, every file's status, and every entry refused (by path relative to the root).
    static func take(siteRoot root: String) -> InputTree {
        var tree = InputTree()
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        tree.takenAt = Int(now.tv_sec)
        for folder in ["content", "templates"] {
            if let problem = DirectoryListing.problem(ofTopFolder: folder, in: root) {
                tree.refused[folder] = problem
                continue
            }
            tree.walk(root + "/" + folder, relative: folder, listed: nil)
        }
        return tree
    }

    /// A folder's listing and, for each file in it, its status (nil for folders and for a file
    /// that could not be looked at).
    private struct Listing: Sendable {
        var listing: DirectoryListing
        var statuses: [FileStatus?]

        init(_ path: String) {
            listing = DirectoryListing(at: path)
            statuses = listing.entries.map { entry in
                guard !entry.isFolder else { return nil }
                var status = stat()
                return lstat(path + "/" + entry.name, &status) == 0 ? FileStatus(status) : nil
            }
        }
    }

    /// A folder of more subfolders than this (the case folders) has them listed on every core.
    private static let parallelFolders = 64

    private mutating func walk(_ path: String, relative: String, listed: Listing?) {
        let listing = listed ?? Listing(path)
        let entries = listing.listing.entries
        folders[relative] = entries
        for (name, problem) in listing.listing.refused { refused[relative + "/" + name] = problem }
        // Listing 100,000 case folders one after another was most of a rebuild after one edit:
        // the folders are read on every core.
        let subfolders = entries.indices.filter { entries[$0].isFolder }
        var prelisted: [Int: Listing] = [:]
        if subfolders.count > Self.parallelFolders {
            let listings = subfolders.concurrentMap { Listing(path + "/" + entries[$0].name) }
            for (index, listing) in zip(subfolders, listings) { prelisted[index] = listing }
        }
        for (index, (name, isFolder)) in entries.enumerated() {
            let relativePath = relative + "/" + name
            if isFolder {
                walk(path + "/" + name, relative: relativePath, listed: prelisted[index])
            } else if let file = listing.statuses[index] {
                files[relativePath] = file
            }
        }
    }
}
