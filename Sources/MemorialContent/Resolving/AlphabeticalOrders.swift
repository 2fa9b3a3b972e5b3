import MemorialCore

/// The alphabetical orders of the published cases, under a fingerprint of what they are
/// made from (`SiteResolver.ordersKey`), kept by the build between builds: sorting 100,000
/// names in three alphabets was a tenth of a rebuild after an edit that changes no name.
package struct AlphabeticalOrders: Sendable, Equatable {
    package struct Sorted: Sendable, Equatable {
        /// Case positions in alphabetical order.
        package var order: [Int32]
        /// By case position: the place of its initial in the alphabet, -1 for none.
        package var initials: [Int16]

        package init(order: [Int32], initials: [Int16]) {
            self.order = order
            self.initials = initials
        }
    }

    package var key: Fingerprint
    /// By language.
    package var sorted: [String: Sorted]
    /// `SearchIndex.recordsFingerprint` of the same cases.
    package var searchRecords = Fingerprint()

    package init(key: Fingerprint, sorted: [String: Sorted], searchRecords: Fingerprint = Fingerprint()) {
        self.key = key
        self.sorted = sorted
        self.searchRecords = searchRecords
    }
}
