/// Built-in interface strings per language; `content/i18n/<lang>.yml` overrides them key by key.
/// Languages other than these fall back to English. They are edited as one YAML file per
/// language in `Sources/MemorialContent/Strings/`, in the format of a site's overrides, and
/// embedded by `make templates` (`InterfaceStrings+BuiltIn.swift`), so translators edit data, not
/// Swift, and the binary needs no files beside it.
package enum InterfaceStrings {
    /// The keys of the built-in strings (English has every one): an override of another key
    /// is warned of, and `check` counts a language's missing strings against these.
    package static let keys = Set(builtIn["en"]?.keys.map { $0 } ?? [])
}
