#!/usr/bin/env python3
"""Citations, structured data, feeds, the open dataset and print, checked with the tools their
readers use: PyPI's feedparser (Atom), frictionless (the Data Package), pyld (JSON-LD), pypdf
(a case page printed by headless Chromium).

    reuse_test.py --memorial .build/debug/memorial

The CSL-JSON and BibTeX downloads are made by the page's script, so they are read in Chromium.

Built from Tests/Fixtures/Sites/reuse (invented people only: a restricted record, a draft and a
restricted narrative, partial dates) and from the sample exhibition (its print). Exits non-zero
with every failure listed.
"""
import argparse
import csv
import glob
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import feedparser
import frictionless
import yaml
from pyld import jsonld
from pypdf import PdfReader

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Browser"))
from search_test import REPOSITORY, serve  # noqa: E402

FIXTURE = os.path.join(REPOSITORY, "Tests/Fixtures/Sites/reuse")
LANGUAGES = ("kk", "ru", "en")
BASE = "https://example.org/memorial/"
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
    return condition


def build(memorial, site, out, *extra):
    state = out + "-state"
    result = subprocess.run(
        [memorial, "build", "--site", site, "--out", out, "--cache-dir", state, "--quiet", *extra],
        capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"build of {site} failed:\n{result.stdout}{result.stderr}")


class Head(html.parser.HTMLParser):
    """The page's meta tags, canonical link, JSON-LD, title, citation text and headings."""

    def __init__(self):
        super().__init__()
        self.meta, self.ld, self.canonical, self.h2 = {}, [], None, []
        self.citation, self.title, self._in = "", "", None
        self.downloads, self.actions_hidden = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.setdefault(attrs.get("name") or attrs.get("property"), []).append(attrs["content"])
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "ld"
            self.ld.append("")
        elif tag == "p" and attrs.get("id") == "citation":
            self._in = "citation"
        elif tag == "a" and attrs.get("data-format"):
            self.downloads[attrs["data-format"]] = attrs.get("href")
        elif tag == "p" and "cite-actions" in (attrs.get("class") or ""):
            self.actions_hidden = "hidden" in attrs
        elif tag == "title":
            self._in = "title"
        elif tag == "h2":
            self._in = "h2"
            self.h2.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "p", "title", "h2"):
            self._in = None

    def handle_data(self, data):
        if self._in == "ld":
            self.ld[-1] += data
        elif self._in == "citation":
            self.citation += data
        elif self._in == "title":
            self.title += data
        elif self._in == "h2":
            self.h2[-1] += data


def parse(path):
    head = Head()
    with open(path, encoding="utf-8") as file:
        head.feed(file.read())
    return head


def fixture_records():
    with open(os.path.join(FIXTURE, "content/records/people.csv"), encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def vocabularies():
    result = {}
    for path in glob.glob(os.path.join(FIXTURE, "content/vocabularies/*.yml")):
        with open(path, encoding="utf-8") as file:
            result[os.path.basename(path)[:-4]] = {str(k): v for k, v in yaml.safe_load(file).items()}
    return result


# MARK: - Feeds

# Latest first: the page (2026-07-01), abenov (its kk narrative's 2026-06-15 beats the record's
# 2026-05-01; the draft ru narrative's 2026-10-10 is not published), curie (the record's 2025-12).
# borisova has no published date (her narrative is restricted); secret is restricted.
EXPECTED_FEED = [("about/", "2026-07-01"), ("cases/abenov-invented/", "2026-06-15"), ("cases/curie-invented/", "2025-12-01")]


def check_feeds(out, again):
    for language in LANGUAGES:
        path = os.path.join(out, language, "feed.xml")
        with open(path, "rb") as file:
            data = file.read()
        with open(os.path.join(again, language, "feed.xml"), "rb") as file:
            check(file.read() == data, f"{language}/feed.xml differs between two builds")
        feed = feedparser.parse(data)
        check(feed.bozo == 0, f"{language}/feed.xml: feedparser bozo {feed.get('bozo_exception')}")
        links = [(entry.link, entry.updated[:10]) for entry in feed.entries]
        expected = [(f"{BASE}{language}/{folder}", date) for folder, date in EXPECTED_FEED]
        check(links == expected, f"{language}/feed.xml entries {links}, expected {expected}")
        check(feed.feed.get("updated", "").startswith("2026-07-01"), f"{language}/feed.xml updated {feed.feed.get('updated')}")
    for page in glob.glob(os.path.join(out, "**/index.html"), recursive=True):
        with open(page, encoding="utf-8") as file:
            text = file.read()
        check('type="application/atom+xml"' in text, f"{page} does not link its feed")


# MARK: - Dataset

def expected_rows():
    vocab = vocabularies()
    coded = {"people": "peoples", "charge": "charges", "sentencing_body": "bodies", "sentence": "sentences"}
    texts = ["name", "birth_place", "occupation", "death_place", "archive_ref", "note", "sources"]
    rows = []
    for record in fixture_records():
        if record.get("status") == "restricted":
            continue
        row = {"id": record["id"], "birth_year": int(record["birth_year"]) if record["birth_year"] else None}
        for language in LANGUAGES:
            for base in texts:
                row[f"{base}_{language}"] = record.get(f"{base}_{language}") or record.get(base) or None
            row[f"url_{language}"] = f"{BASE}{language}/cases/{record['id']}/"
        for column in ("arrest_date", "sentence_date", "death_date", "rehabilitation_date", "updated"):
            row[column] = record.get(column) or None
        for column, name in coded.items():
            codes = [code.strip() for code in (record.get(column) or "").split(";") if code.strip()]
            row[column] = ";".join(codes) or None
            for language in LANGUAGES:
                labels = [vocab[name][code].get(language) for code in codes]
                row[f"{column}_{language}"] = "; ".join(labels) if codes and all(labels) else None
        rows.append(row)
    return rows


def check_dataset(out, python):
    package = os.path.join(out, "data/datapackage.json")
    report = frictionless.validate(package)
    check(report.valid, "datapackage.json is not valid: " + json.dumps(report.flatten(["rowNumber", "fieldName", "type", "note"]))[:2000])
    cli = shutil.which("frictionless", path=os.path.dirname(python))
    result = subprocess.run([cli, "validate", package], capture_output=True, text=True)
    check(result.returncode == 0, f"frictionless validate {package}:\n{result.stdout[-2000:]}")
    expected = expected_rows()
    with open(os.path.join(out, "data/records.csv"), encoding="utf-8", newline="") as file:
        from_csv = [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(file)]
    with open(os.path.join(out, "data/records.json"), encoding="utf-8") as file:
        from_json = json.load(file)
    for name, rows in (("records.csv", from_csv), ("records.json", from_json)):
        check(len(rows) == len(expected), f"{name} has {len(rows)} rows, expected {len(expected)}")
        for got, want in zip(rows, expected):
            for column, value in want.items():
                have = got.get(column)
                if name == "records.csv" and column == "birth_year" and have is not None:
                    have = int(have)
                check(have == value, f"{name} {want['id']}.{column}: {have!r}, expected {value!r}")
    with open(os.path.join(out, "data/records.schema.json"), encoding="utf-8") as file:
        schema = json.load(file)
    check(set(schema["items"]["properties"]) == set(from_json[0]), "records.schema.json does not list the JSON's keys")


def check_nothing_withheld(out):
    for path in glob.glob(os.path.join(out, "**/*"), recursive=True):
        if os.path.isdir(path):
            continue
        with open(path, "rb") as file:
            data = file.read()
        for marker in (b"SECRET", b"DRAFT", b"RESTRICTED", b"secret-invented", b"2026-10-10", b"2026-11-11"):
            check(marker not in data, f"{os.path.relpath(path, out)} holds {marker.decode()}")


# MARK: - Structured data and citations

SCHEMA_CONTEXT = {"@context": {"@vocab": "http://schema.org/"}}


def loader(url, options=None):
    """schema.org's context, offline: its terms are its vocabulary."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}
    raise jsonld.JsonLdError("no network in tests", "loading document failed", {"url": url})


def values(node, key):
    return [item.get("@value", item.get("@id")) for item in node.get("http://schema.org/" + key, [])]


def browser_downloads(out, pages):
    """Each case page's download links as the page's script makes them in Chromium: {page: {name: text}}.
    The site's base URL has the path /memorial/, so the output is served there."""
    from urllib.parse import unquote
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from search_test import browser

    root = tempfile.mkdtemp(prefix="memorial-reuse-root-")
    os.symlink(out, os.path.join(root, "memorial"))
    server, address = serve(root)
    driver = browser()
    found = {}
    try:
        for page in pages:
            driver.get(f"{address}/memorial/{os.path.relpath(os.path.dirname(page), out)}/")
            WebDriverWait(driver, 10).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, ".cite-actions[data-file]:not([hidden])"))
            links = driver.find_elements(By.CSS_SELECTOR, ".cite-actions a[data-format]")
            found[page] = {}
            for link in links:
                href = link.get_attribute("href") or ""
                header, _, data = href.partition(",")
                check(header.startswith("data:") and header.endswith(";charset=utf-8"), f"{page}: download {href[:60]!r}")
                found[page][link.get_attribute("download")] = unquote(data)
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)
    return found


def download(downloads, name, where):
    """The text of a page's download link, as its script made it."""
    check(name in downloads, f"{where}: no download {name}")
    return downloads.get(name, "[]")


def check_case_pages(out):
    records = {record["id"]: record for record in fixture_records() if record["status"] != "restricted"}
    pages = sorted(glob.glob(os.path.join(out, "*/cases/*/index.html")))
    check(len(pages) == len(records) * len(LANGUAGES), f"{len(pages)} case pages")
    made = browser_downloads(out, pages)
    for page in pages:
        language, _, id = os.path.relpath(page, out).split("/")[:3]
        record = records[id]
        head = parse(page)
        where = os.path.relpath(page, out)
        check(len(head.ld) == 1, f"{where}: {len(head.ld)} JSON-LD scripts")
        try:
            expanded = jsonld.expand(json.loads(head.ld[0]), {"documentLoader": loader})
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            check(False, f"{where}: JSON-LD does not expand: {error}")
            continue
        nodes = {node["@type"][0].rsplit("/", 1)[-1]: node for node in expanded}
        person, file = nodes.get("Person"), nodes.get("ArchiveComponent")
        if not check(person and file, f"{where}: no Person or ArchiveComponent in {list(nodes)}"):
            continue
        names = {record.get(f"name_{lang}") for lang in LANGUAGES} - {"", None}
        check(values(person, "name")[0] in names, f"{where}: Person name {values(person, 'name')}")
        check(set(values(person, "name") + values(person, "alternateName")) == names, f"{where}: Person names")
        if record["birth_year"]:
            check(values(person, "birthDate") == [record["birth_year"]], f"{where}: birthDate")
        if record["death_date"]:
            check(values(person, "deathDate") == [record["death_date"]], f"{where}: deathDate")
        if record["people"]:
            label = vocabularies()["peoples"][record["people"]].get(language)
            check(values(person, "nationality") == [label], f"{where}: nationality {values(person, 'nationality')}")
        check(values(file, "about") == values(person, "@id") or file["http://schema.org/about"][0]["@id"] == person["@id"],
              f"{where}: ArchiveComponent is not about the Person")
        if record["archive_ref"]:
            check(values(file, "identifier") == [record["archive_ref"]], f"{where}: identifier")
            holder = file.get("http://schema.org/holdingArchive", [{}])[0]
            check(values(holder, "name") != [], f"{where}: no holdingArchive")
        else:
            check("http://schema.org/holdingArchive" not in file, f"{where}: a holder for a file of unknown reference")

        # The citation's fields are the page's facts.
        url = f"{BASE}{language}/cases/{id}/"
        meta = {key: value[0] for key, value in head.meta.items()}
        check(head.canonical == url, f"{where}: canonical {head.canonical}")
        check(meta.get("citation_public_url") == url and meta.get("DC.identifier") == url, f"{where}: citation URL")
        title = head.title.rsplit(" — ", 1)[0]
        check(meta.get("citation_title") == title == meta.get("og:title"), f"{where}: citation_title {meta.get('citation_title')!r} vs {title!r}")
        check(meta.get("citation_language") == language, f"{where}: citation_language")
        check(url in head.citation and values(person, "name")[0] in head.citation, f"{where}: citation text {head.citation!r}")
        if record["archive_ref"]:
            check(record["archive_ref"] in head.citation and meta.get("citation_archive_location") == record["archive_ref"],
                  f"{where}: archival reference not cited")
        # Without JavaScript, the downloads are not offered (the page's script makes them).
        check(head.actions_hidden is True and len(head.downloads) == 2 and all(href is None for href in head.downloads.values()),
              f"{where}: downloads offered without the script")
        csl = json.loads(download(made.get(page, {}), f"{id}-{language}.json", where))
        check(isinstance(csl, list) and len(csl) == 1, f"{where}: citation.json is not one CSL item")
        item = csl[0]
        check(item.get("URL") == url and item.get("title") == title, f"{where}: CSL-JSON URL or title")
        date = meta.get("citation_date")
        parts = item.get("issued", {}).get("date-parts", [[]])[0]
        check("/".join(f"{part:02d}" if index else str(part) for index, part in enumerate(parts)) == (date or ""),
              f"{where}: CSL issued {parts} vs citation_date {date}")
        check(item.get("archive_location") == (record["archive_ref"] or None), f"{where}: CSL archive_location")
        check(item.get("genre") and item.get("container-title") == meta.get("DC.relation.ispartof"),
              f"{where}: CSL genre or container")
        bib = download(made.get(page, {}), f"{id}-{language}.bib", where)
        check(bib.startswith(f"@misc{{{id}-{language},") and f"url = {{{url}}}" in bib, f"{where}: BibTeX")
        check(bib.count("{") == bib.count("}"), f"{where}: BibTeX braces")
    # The abenov citation is dated by its latest published narrative.
    head = parse(os.path.join(out, "en/cases/abenov-invented/index.html"))
    check(head.meta.get("citation_date") == ["2026/06/15"], f"abenov citation_date {head.meta.get('citation_date')}")


# MARK: - Search engines

def check_search_engines(out, memorial):
    with open(os.path.join(out, "404.html"), encoding="utf-8") as file:
        check('rel="canonical"' not in file.read(), "404.html has a canonical link")
    with open(os.path.join(out, "sitemap.xml"), encoding="utf-8") as file:
        sitemap = file.read()
    check(f"<loc>{BASE}en/cases/abenov-invented/</loc><lastmod>2026-06-15</lastmod>" in sitemap, "sitemap lastmod of a case")
    check(f"<loc>{BASE}en/about/</loc><lastmod>2026-07-01</lastmod>" in sitemap, "sitemap lastmod of a page")
    with open(os.path.join(out, "robots.txt"), encoding="utf-8") as file:
        check("Disallow: /\n" not in file.read(), "robots.txt of an indexed site disallows")
    staging = out + "-noindex"
    build(memorial, FIXTURE, staging, "--noindex")
    with open(os.path.join(staging, "robots.txt"), encoding="utf-8") as file:
        check(file.read() == "User-agent: *\nDisallow: /\n", "robots.txt of a --noindex build")
    for page in glob.glob(os.path.join(staging, "**/*.html"), recursive=True):
        with open(page, encoding="utf-8") as file:
            check('<meta name="robots" content="noindex">' in file.read(), f"{page} lacks noindex")


# MARK: - Print

def check_print(memorial, work):
    """The sample's most cited case printed by Chromium: one sources list, the URL, the citation last."""
    out = os.path.join(work, "sample")
    build(memorial, REPOSITORY, out, "--base-url", "https://memorial.example.kz/")
    server, address = serve(out)
    try:
        for language, heading, cite in (("en", "Sources", "Cite this case"), ("ru", "Источники", "Как сослаться на это дело")):
            pdf = os.path.join(work, f"case-{language}.pdf")
            subprocess.run(
                ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                 f"--print-to-pdf={pdf}", f"{address}/{language}/cases/bukeikhanov-alikhan/"],
                capture_output=True, timeout=120)
            if not check(os.path.exists(pdf), f"chromium printed no PDF of the {language} case"):
                continue
            text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
            # Headings print in capitals (text-transform): compared as capitals.
            lines = [line.strip().upper() for line in text.splitlines()]
            heading, cite = heading.upper(), cite.upper()
            check(lines.count(heading) == 1, f"{language} print has {lines.count(heading)} '{heading}' headings")
            source = "https://e-history.kz/en/news/show/6874"
            flat = re.sub(r"\s+", "", text)
            check(flat.count(source) == 1, f"{language} print lists {source} {flat.count(source)} times")
            url = f"https://memorial.example.kz/{language}/cases/bukeikhanov-alikhan/"
            check(url in flat, f"{language} print lacks the permanent URL")
            check(cite in lines and lines.index(cite) > lines.index(heading), f"{language} print: the citation is not after the sources")
    finally:
        server.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memorial", required=True)
    args = parser.parse_args()
    memorial = os.path.abspath(args.memorial)
    work = tempfile.mkdtemp(prefix="memorial-reuse-")
    try:
        out, again = os.path.join(work, "out"), os.path.join(work, "again")
        build(memorial, FIXTURE, out)
        build(memorial, FIXTURE, again)
        check_feeds(out, again)
        check_dataset(out, sys.executable)
        check_nothing_withheld(out)
        check_case_pages(out)
        check_search_engines(out, memorial)
        check_print(memorial, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for failure in FAILURES:
        print("FAIL:", failure)
    if FAILURES:
        sys.exit(f"{len(FAILURES)} failures")
    print("reuse: feeds, dataset, structured data, citations, robots and print all pass")


if __name__ == "__main__":
    main()
