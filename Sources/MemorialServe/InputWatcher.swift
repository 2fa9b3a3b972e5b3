import Foundation
import Glibc
import MemorialBuild
import MemorialContent
import Synchronization

/// Wakes a watcher's thread and tells it to stop, from any thread.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    /// A pipe whose read end becomes readable once `set` is called: the watcher waits on it
    /// beside its other descriptor, so it sleeps in the kernel rather than polling a flag.
    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        _ = pipe(&ends)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        (readEnd, writeEnd) = (ends[0], ends[1])
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    var isSet: Bool { flag.load(ordering: .acquiring) }

    func set() {
        guard !flag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Waits until `descriptor` (if any) can be read, the signal is set, or `milliseconds` pass
    /// (-1: no limit). Returns whether `descriptor` can be read.
    func wait(for descriptor: Int32?, milliseconds: Int32) -> Bool {
        var descriptors = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        if let descriptor { descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
        while !isSet {
            let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
            if ready < 0, errno == EINTR { continue }
            return ready > 0 && descriptors.count > 1 && descriptors[1].revents != 0
        }
        return false
    }
}

/// Waits for a change under a site's `content/` and `templates/`: asleep on inotify watches, or,
/// without them, comparing the inputs' fingerprint (ARCHITECTURE.md, "MemorialServe"). It
/// follows no symbolic link, as the build refuses them (`DirectoryListing`): a link cannot make
/// it watch, or read, outside the site. Used by one thread only.
final class InputWatcher {
    /// Told, in one line, when the watcher has to fall back to polling.
    private let notify: (String) -> Void
    private let options: BuildOptions
    private let stop: StopSignal
    /// The inputs as the last poll saw them; nil while inotify watches.
    private var polled: InputSnapshot?

    private var inotify: Int32 = -1
    private let root: String
    private var rootWatch: Int32 = -1
    /// Each watched folder by its watch descriptor, relative to the site root.
    private var folders: [Int32: String] = [:]
    /// A folder was moved, or events were lost: the folders' paths are looked at again.
    private var stale = false
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// With IN_DONT_FOLLOW and IN_ONLYDIR, a symbolic link (`content` itself one, say, or a
    /// folder replaced by one after it was listed) is not watched: the build refuses it.
    private static let folderEvents: UInt32 =
        UInt32(IN_MODIFY) | UInt32(IN_ATTRIB) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_FROM)
        | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_DELETE_SELF)
        | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW)
    private static let rootEvents: UInt32 =
        UInt32(IN_MOVED_FROM) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_ONLYDIR)
    private static let watchedFolders = ["content", "templates"]

    /// How long a burst of changes (a checkout, an editor saving several files) may go quiet
    /// (ms) before the site is rebuilt once for all of it, and how long it may last at most.
    static let quiet: Int32 = 100
    static let longestBurst: Duration = .seconds(2)

    /// Starts watching now: a change made after this returns is reported by `waitForChange`.
    init(options: BuildOptions, stop: StopSignal, notify: @escaping (String) -> Void) {
        self.options = options
        self.stop = stop
        self.notify = notify
        root = options.siteRoot.standardizedFileURL.path
        inotify = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
        guard inotify >= 0 else {
            fallBack("inotify is not available (\(String(cString: strerror(errno)))): \(Self.polling)")
            return
        }
        rootWatch = inotify_add_watch(inotify, root, Self.rootEvents)
        guard rootWatch >= 0 else {
            fallBack("the site root cannot be watched (\(String(cString: strerror(errno)))): \(Self.polling)")
            return
        }
        if let watched = watchFolders() { folders = watched }
    }

    deinit {
        if inotify >= 0 { close(inotify) }
    }

    /// Blocks until the inputs changed (after a burst of changes has gone quiet) and returns
    /// true, or returns false once stopped.
    func waitForChange() -> Bool {
        if polled != nil { return poll() }
        repeat {
            guard stop.wait(for: inotify, milliseconds: -1) else { return false }
        } while !readEvents()
        let start = ContinuousClock.now
        while ContinuousClock.now - start < Self.longestBurst {
            guard stop.wait(for: inotify, milliseconds: Self.quiet) else { break }
            _ = readEvents()
        }
        if stop.isSet { return false }
        if stale, inotify >= 0 { rescan() }
        return true
    }

    private static let polling = "changes are found by reading content/ and templates/ every few moments"

    private func fallBack(_ reason: String) {
        if inotify >= 0 { close(inotify) }
        inotify = -1
        folders = [:]
        stale = false
        notify("note: \(reason)")
        polled = InputSnapshot.takeInputs(options)
    }

    /// Compares the inputs' fingerprint every 250 ms, or four times as long as taking it lasts
    /// (so that a large site keeps at most a fifth of a core busy).
    private func poll() -> Bool {
        var interval = Duration.milliseconds(250)
        while true {
            _ = stop.wait(for: nil, milliseconds: Int32(interval / .milliseconds(1)))
            if stop.isSet { return false }
            let start = ContinuousClock.now
            let now = InputSnapshot.takeInputs(options)
            interval = max(.milliseconds(250), (ContinuousClock.now - start) * 4)
            if now != polled {
                polled = now
                return true
            }
        }
    }

    /// Watches a folder and every folder under it that the build reads (hidden ones and
    /// symbolic links aside, as the build skips the former and refuses the latter). Returns
    /// false when the kernel's limit was reached.
    private func watchTree(_ relative: String, into watched: inout [Int32: String]) -> Bool {
        let watch = inotify_add_watch(inotify, root + "/" + relative, Self.folderEvents)
        guard watch >= 0 else {
            if errno == ENOSPC { return false }
            return true  // gone already, a link or not a folder: its parent's events tell.
        }
        // Watched already (a folder moved within the tree, still under its old path until
        // the rescan; links are not followed): its folders are watched.
        if watched[watch] != nil { return true }
        watched[watch] = relative
        // Its folders exactly as the build reads them (`DirectoryListing`, as its walk lists them).
        for entry in DirectoryListing(at: root + "/" + relative).entries
        where entry.isFolder && !watchTree(relative + "/" + entry.name, into: &watched) {
            return false
        }
        return true
    }

    private static var limitReached: String {
        let limit =
            (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_user_watches", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return
            "there are more folders under content/ and templates/ than fs.inotify.max_user_watches (\(limit)) lets one user watch: \(polling); raise it with `sudo sysctl fs.inotify.max_user_watches=1048576`"
    }

    /// Watches every folder under content/ and templates/ as they are now; nil (after falling
    /// back to polling) when the kernel's limit was reached.
    private func watchFolders() -> [Int32: String]? {
        var watched: [Int32: String] = [:]
        for folder in Self.watchedFolders where !watchTree(folder, into: &watched) {
            fallBack(Self.limitReached)
            return nil
        }
        return watched
    }

    /// Watches the folders as they are now, and forgets the watches of folders that left.
    private func rescan() {
        stale = false
        guard let watched = watchFolders() else { return }
        for watch in folders.keys where watched[watch] == nil { inotify_rm_watch(inotify, watch) }
        folders = watched
    }

    /// Reads the events there are without waiting, watching the folders made meanwhile.
    /// Returns whether any of them changed an input.
    private func readEvents() -> Bool {
        var changed = false
        while inotify >= 0 {
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            // struct inotify_event: wd, mask, cookie, len, then len bytes of name (NUL-padded).
            while offset + 16 <= count {
                let (watch, mask, length) = buffer.withUnsafeBytes { bytes in
                    (
                        bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                        bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                        Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    )
                }
                let name = String(
                    decoding: buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }, as: UTF8.self)
                offset += 16 + length
                if handle(watch: watch, mask: mask, name: name) { changed = true }
            }
        }
        return changed
    }

    private func handle(watch: Int32, mask: UInt32, name: String) -> Bool {
        func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
        // Fallen back to polling while reading these events.
        guard inotify >= 0 else { return false }
        if has(IN_Q_OVERFLOW) {
            // Events were lost: every folder is looked at again, and the site rebuilt.
            stale = true
            return true
        }
        if has(IN_IGNORED) {
            folders[watch] = nil
            return false
        }
        if watch == rootWatch {
            guard Self.watchedFolders.contains(name) else { return false }
            if has(IN_CREATE) || has(IN_MOVED_TO), !watchTree(name, into: &folders) { fallBack(Self.limitReached) }
            // A folder moved away keeps its watches, and one moved in may have had them.
            stale = stale || has(IN_MOVED_FROM) || has(IN_MOVED_TO)
            return true
        }
        guard let folder = folders[watch], !name.hasPrefix(".") else { return false }
        if has(IN_DELETE_SELF) || has(IN_MOVE_SELF) {
            stale = stale || has(IN_MOVE_SELF)
            return true
        }
        // A folder's own attributes are no input; a file's, such as its time, are.
        if name.isEmpty { return false }
        if has(IN_ISDIR) {
            if has(IN_CREATE) || has(IN_MOVED_TO) {
                if !watchTree(folder + "/" + name, into: &folders) { fallBack(Self.limitReached) }
                // A folder moved in from elsewhere in the tree keeps its watches, under
                // their old paths.
                stale = stale || has(IN_MOVED_TO)
            } else if has(IN_MOVED_FROM) {
                stale = true
            }
        }
        return true
    }
}
