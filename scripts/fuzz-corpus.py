#!/usr/bin/env python3
"""Seeds the fuzzer's corpus (`make fuzz`): one folder per target in the given folder, made from
the sample content and the test fixtures. Tests/Fixtures/Fuzz/<target>/ (the inputs that found
bugs) is passed to the fuzzer beside it, not copied."""
import hashlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests/Fixtures"
SITES = [ROOT / "content"] + sorted(FIXTURES.glob("Sites/*/content")) + sorted(FIXTURES.glob("InvalidSites/*/site/content"))
# An invalid fixture holds only the files it changes in the minimal site.
BASE = FIXTURES / "Sites/minimal/content"


def files(pattern):
    return sorted(p for site in SITES for p in site.glob(pattern) if p.is_file())


def put(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main(out):
    out = pathlib.Path(out)
    for path in files("records/*.csv"):
        put(out / "csv", path.read_bytes())
    for path in files("cases/*/*.md") + files("pages/*/*.md"):
        put(out / "front-matter", path.read_bytes())
    for path in files("*.yml") + files("vocabularies/*.yml") + files("i18n/*.yml") + files("cases/*/documents.yml"):
        put(out / "yaml", path.read_bytes())
    # A site is its site.yml, a records file, the peoples vocabulary, a narrative and a page,
    # joined by NUL bytes (FuzzTarget.load); a part the site lacks is the minimal site's.
    for site in SITES:
        def first(pattern):
            for folder in (site, BASE):
                found = sorted(p for p in folder.glob(pattern) if p.is_file())
                if found:
                    return found[0].read_bytes()
            return b""
        parts = ["site.yml", "records/*.csv", "vocabularies/peoples.yml", "cases/*/*.md", "pages/*/*.md"]
        put(out / "load", b"\0".join(first(p) for p in parts))


if __name__ == "__main__":
    main(sys.argv[1])
