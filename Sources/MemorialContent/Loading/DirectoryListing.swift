import Glibc

/// A folder's visible entries from readdir(3), which tells folders without a stat(2) per entry
/// (a large archive has a folder for each of tens of thousands of cases); hidden ones (`.git`,
/// `.DS_Store`) are left out, as Memorial ignores them everywhere. Only folders and regular
/// files are entries: a symbolic link is never followed (no file from outside the site, no
/// endless loop of links), nor a FIFO, socket or device read; each is `refused`, for the loader
/// to report.
package struct DirectoryListing: Sendable {
    package var entries: [(name: String, isFolder: Bool)] = []
    /// Entries that are neither folders nor regular files, and what is wrong with each.
    package var refused: [(name: String, problem: String)] = []

    package init(at path: String) {
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let (name, isUTF8) = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                let bytes = buffer.prefix { $0 != 0 }
                return (String(decoding: bytes, as: UTF8.self), String(validating: bytes, as: UTF8.self) != nil)
            }
            guard !name.hasPrefix(".") else { continue }
            // Its name, decoded, would not open it: refused with the name as far as it can be shown.
            guard isUTF8 else {
                refused.append(
                    (
                        name,
                        "this name is not valid UTF-8 (the bytes that are not are shown as \u{FFFD}), so it cannot "
                            + "be published as a web address: rename it with letters saved as UTF-8"
                    ))
                continue
            }
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
    package static func linkTarget(_ path: String) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count)
        guard count >= 0 else { return "?" }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The readdir(3) type of a stat(2) mode.
    package static func directoryType(_ mode: mode_t) -> Int32 {
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
    package static func problem(ofTopFolder name: String, in root: String) -> String? {
        var status = stat()
        guard lstat(root + "/" + name, &status) == 0 else { return nil }
        let type = directoryType(status.st_mode)
        guard type != Int32(DT_DIR) else { return nil }
        guard type != Int32(DT_REG) else { return "this must be a folder" }
        return problem(type: type, name: name, in: root)
    }
}

/// One walk of a site root's top folders (`content/`, `templates/`) without reading a file:
/// every folder's entries and every entry refused (by path relative to the root), and, when
/// `status` is given, what it makes of each file's lstat(2). Folders of many subfolders (the
/// case folders) are listed on several threads at once.
package struct SiteWalk<Status: Sendable>: Sendable {
    /// Each folder's entries, as `DirectoryListing` gives them.
    package var folders: [String: [(name: String, isFolder: Bool)]] = [:]
    package var files: [String: Status] = [:]
    /// Links, FIFOs and the like, with what is wrong with each.
    package var refused: [String: String] = [:]

    package init(siteRoot root: String, folders top: [String], status: (@Sendable (stat) -> Status)?) {
        for folder in top {
            if let problem = DirectoryListing.problem(ofTopFolder: folder, in: root) {
                refused[folder] = problem
                continue
            }
            walk(root + "/" + folder, relative: folder, listed: nil, status: status)
        }
    }

    /// A folder's listing and, for each file in it, its status (nil for folders and for a file
    /// that could not be looked at).
    private struct Listing: Sendable {
        var listing: DirectoryListing
        var statuses: [Status?]

        init(_ path: String, status: (@Sendable (stat) -> Status)?) {
            listing = DirectoryListing(at: path)
            guard let status else {
                statuses = []
                return
            }
            statuses = listing.entries.map { entry in
                guard !entry.isFolder else { return nil }
                var found = stat()
                return lstat(path + "/" + entry.name, &found) == 0 ? status(found) : nil
            }
        }
    }

    /// A folder of more subfolders than this (the case folders) has them listed on several threads.
    private static var parallelFolders: Int { 64 }

    private mutating func walk(
        _ path: String, relative: String, listed: Listing?, status: (@Sendable (stat) -> Status)?
    ) {
        let listing = listed ?? Listing(path, status: status)
        let entries = listing.listing.entries
        folders[relative] = entries
        for (name, problem) in listing.listing.refused { refused[relative + "/" + name] = problem }
        // Listing 100,000 case folders one after another was most of a rebuild after one edit.
        let subfolders = entries.indices.filter { entries[$0].isFolder }
        var prelisted: [Int: Listing] = [:]
        if subfolders.count > Self.parallelFolders {
            let listings = subfolders.concurrentMap(waiting: 32) {
                Listing(path + "/" + entries[$0].name, status: status)
            }
            for (index, listing) in zip(subfolders, listings) { prelisted[index] = listing }
        }
        for (index, (name, isFolder)) in entries.enumerated() {
            let relativePath = relative + "/" + name
            if isFolder {
                walk(path + "/" + name, relative: relativePath, listed: prelisted[index], status: status)
            } else if index < listing.statuses.count, let file = listing.statuses[index] {
                files[relativePath] = file
            }
        }
    }
}
