#!/usr/bin/env python3
"""Every kind of page of the built sample exhibition checked with axe-core in headless Chromium
(Debian's chromium and chromium-driver, driven by selenium), in the light and the dark colour
scheme, 320 px wide and at desktop width.

    accessibility_test.py --memorial .build/debug/memorial --site .   # the test (make test)
    accessibility_test.py --memorial ... --out public --axe axe.min.js # an already built sample

axe.min.js comes from PyPI's axe-playwright-python (installed without its Playwright dependency
by the Makefile). The test fails on any serious or critical axe violation (listed with its rule,
page and target), on a page that scrolls sideways at 320 px, and on the hand findings below.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search_test import REPOSITORY, browser, serve  # noqa: E402

# (name, path): one page of every kind in the sample exhibition.
PAGES = [
    ("language chooser", "/"),
    ("home", "/kk/"),
    ("case, narrated", "/ru/cases/bukeikhanov-alikhan/"),
    ("case, narrated (kk)", "/kk/cases/seifullin-saken/"),
    ("case, not narrated", "/en/cases/mailin-beimbet/"),
    ("peoples index", "/ru/peoples/"),
    ("one people", "/ru/peoples/kazakh/"),
    ("years index", "/en/years/"),
    ("one year", "/en/years/1937/"),
    ("names index", "/kk/names/"),
    ("one letter", "/en/names/b/"),
    ("search with results", "/ru/search/?q=Букейханов"),
    ("free page", "/en/about/"),
    ("case with documents (placeholders)", "/en/cases/makhmetov-bazen/"),
    ("document viewer", "/kk/cases/makhmetov-bazen/documents/1/"),
    ("open data", "/en/data/"),
    ("corrections", "/kk/corrections/"),
    ("privacy", "/ru/privacy/"),
    ("accessibility statement", "/en/accessibility/"),
    ("404", "/404.html"),
]
# The sample has no paginated page and no footnote: a copy of it with invented
# people (never real ones) has them. The paginated page is found in the built copy.
EXTRA_PAGES = [
    ("case with a document, footnote and sources (kk)", "/kk/cases/invented-000/"),
]
INVENTED_NARRATIVE = """---
title: Ойдан Шығарылған
documents:
  - {file: scan.png, caption: "Тергеу хаттамасы (сынақ үшін ойдан шығарылған)"}
status: published
---

Бұл адам сынақ үшін ойдан шығарылған.[^1]

## Өмірі

Мәтін.

### Ішкі бөлім

Мәтін.

## Дереккөздер

- <https://example.org/one>

[^1]: Ескерту.
"""
SCHEMES = ("light", "dark")
WIDTHS = (320, 1280)
SERIOUS = ("serious", "critical")


def extra_site(folder):
    """The sample exhibition plus 150 invented people of one people and year (so that their
    lists have a second page), one with a kk narrative with a scan, a footnote and sources."""
    import base64
    import csv
    for part in ("content", "templates"):
        if os.path.isdir(os.path.join(REPOSITORY, part)):
            shutil.copytree(os.path.join(REPOSITORY, part), os.path.join(folder, part))
    records = os.path.join(folder, "content/records/people.csv")
    with open(records, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with open(records, "a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, restval="")
        for number in range(150):
            writer.writerow({"id": f"invented-{number:03}", "name_en": f"Inventedov Testname{number:03}",
                             "people": "kazakh", "sentence_date": "1937", "sentence": "execution",
                             "sources": "https://example.org/one;https://example.org/two",
                             "status": "published"})
    case = os.path.join(folder, "content/cases/invented-000")
    os.makedirs(case)
    with open(os.path.join(case, "kk.md"), "w", encoding="utf-8") as f:
        f.write(INVENTED_NARRATIVE)
    with open(os.path.join(case, "scan.png"), "wb") as f:
        f.write(base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="))
    return folder


def paginated_page(public):
    for root, _, files in sorted(os.walk(public)):
        if "index.html" in files and "/documents/" not in root:
            with open(os.path.join(root, "index.html"), encoding="utf-8") as f:
                if 'rel="next"' in f.read():
                    return "/" + os.path.relpath(root, public).replace(os.sep, "/") + "/"
    return None


def default_axe():
    found = glob.glob(os.path.join(REPOSITORY, ".build/tools/venv/lib/python3*/site-packages/"
                                   "axe_playwright_python/axe.min.js"))
    return found[0] if found else None


def emulate(driver, width, scheme):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})


def axe_violations(driver, axe_source):
    driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return [v.id, v.impact, v.nodes.map(function (n) { return n.target.join(' '); })]; })); })"
        ".catch(function (e) { done([['axe-error', 'critical', [String(e)]]]); });")
    return result


CONTRAST = """
function rgba(c) { var m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; }
function lum(c) { var v = c.slice(0, 3).map(function (x) { x /= 255;
  return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
var page = rgba(getComputedStyle(document.body).backgroundColor), low = [];
if (page[3] === 0) page = [255, 255, 255, 1];
document.querySelectorAll(arguments[0]).forEach(function (e) {
  var c = rgba(getComputedStyle(e).color), alpha = c[3];
  for (var a = e; a; a = a.parentElement) alpha *= Number(getComputedStyle(a).opacity);
  var shown = [0, 1, 2].map(function (i) { return c[i] * alpha + page[i] * (1 - alpha); });
  var l1 = lum(shown), l2 = lum(page), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  if (ratio < 4.5) low.push([e.textContent.trim(), ratio]);
});
return low;
"""


def hand_findings(driver, name, path):
    """What axe does not see: each returns a list of problems with the page."""
    problems = []
    lang = driver.execute_script("return document.documentElement.lang")
    # Footnote back-links speak the page's language (cmark-gfm writes English).
    if lang != "en":
        english = driver.execute_script(
            "return document.querySelectorAll('[aria-label=\"Back to content\"]').length")
        if english:
            problems.append(f"{english} footnote back-link(s) labelled in English")
    # Every text, an empty letter of the names index too, at 4.5:1 or more against the page
    # (axe leaves text under opacity undecided; this composites it).
    low = driver.execute_script(CONTRAST, ".letters .empty, .letters .n, .count, .note, figcaption")
    problems += [f"contrast {ratio:.1f}:1 for {text!r}" for text, ratio in low]
    if path == EXTRA_PAGES[0][1]:
        # The invented case has each of the things checked below; each must be on the page.
        present = driver.execute_script(
            "return [document.querySelectorAll('.footnote-backref').length,"
            " document.querySelectorAll('figure.doc img').length,"
            " document.querySelectorAll('.prose h3, .prose h4').length,"
            " document.querySelectorAll('#sources-h ~ .prose a, #sources-h ~ ol a').length]")
        if present != [1, 1, 2, 2]:
            problems.append(f"invented case: back-links, scans, narrative headings, sources are {present}, "
                            "not [1, 1, 2, 2] (one source from the narrative, one more from the record)")
    if "/cases/" in path:
        # One heading per section: narrative headings one level below the section's own.
        shallow = driver.execute_script("return document.querySelectorAll('.prose h1, .prose h2').length")
        if shallow:
            problems.append(f"{shallow} narrative heading(s) at the level of the page's section headings")
        # One "Sources" section however the sources were written.
        titles = driver.execute_script(
            "return Array.from(document.querySelectorAll('h2, h3')).map(function (h) {"
            " return h.textContent.trim().toLowerCase(); })")
        sources = driver.execute_script("var h = document.getElementById('sources-h'); return h && h.textContent")
        if sources and titles.count(sources.strip().lower()) > 1:
            problems.append(f"{titles.count(sources.strip().lower())} '{sources}' headings")
        # A document's alternative text does not repeat its caption.
        repeated = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure')).filter(function (f) {"
            " var i = f.querySelector('img'), c = f.querySelector('figcaption');"
            " return i && c && i.alt.trim() && i.alt.trim() === c.textContent.trim(); }).length")
        if repeated:
            problems.append(f"{repeated} image(s) whose alt repeats the caption")
    return problems


def run(driver, base, axe_source, pages):
    checks, failures, counts = 0, [], {}
    for name, path in pages:
        for width in WIDTHS:
            for scheme in SCHEMES:
                emulate(driver, width, scheme)
                driver.get(base + path)
                where = f"{name} {path} at {width} px, {scheme}"
                checks += 1
                problems = []
                for rule, impact, targets in axe_violations(driver, axe_source):
                    counts[(rule, impact)] = counts.get((rule, impact), 0) + 1
                    if impact in SERIOUS:
                        problems += [f"axe {impact} {rule}: {target}" for target in targets]
                if width == 320:
                    scroll = driver.execute_script("return document.documentElement.scrollWidth")
                    if scroll > 320:
                        problems.append(f"scrolls sideways: {scroll} px wide")
                problems += hand_findings(driver, name, path)
                if problems:
                    failures.append(where)
                    print(f"FAIL {where}")
                    for problem in problems:
                        print(f"  {problem}")
    for (rule, impact), count in sorted(counts.items()):
        print(f"axe {impact or 'none'} {rule}: on {count} of {checks} page views")
    return checks, failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memorial", default=os.path.join(REPOSITORY, ".build/debug/memorial"))
    parser.add_argument("--site", default=REPOSITORY)
    parser.add_argument("--out", help="an already built site to check instead of building one")
    parser.add_argument("--axe", default=default_axe(), help="axe.min.js")
    args = parser.parse_args()
    if not args.axe or not os.path.exists(args.axe):
        sys.exit("accessibility_test: axe.min.js not found (make browser installs it)")
    with open(args.axe, encoding="utf-8") as f:
        axe_source = f.read()

    temporary = tempfile.mkdtemp(prefix="memorial-a11y-")
    folder = args.out
    if not folder:
        folder = os.path.join(temporary, "public")
        subprocess.run([args.memorial, "build", "--quiet", "--site", args.site, "--out", folder,
                        "--cache-dir", os.path.join(temporary, "state")], check=True)
    extra = os.path.join(temporary, "extra-public")
    subprocess.run([args.memorial, "build", "--quiet", "--site", extra_site(os.path.join(temporary, "extra")),
                    "--out", extra, "--cache-dir", os.path.join(temporary, "extra-state")], check=True)
    paginated = paginated_page(extra)
    extra_pages = EXTRA_PAGES + [("paginated page", paginated or "/no-paginated-page/")]
    print(f"extra site: invented case {EXTRA_PAGES[0][1]}, paginated page {paginated}")
    server, base = serve(folder)
    extra_server, extra_base = serve(extra)
    driver = browser()
    try:
        checks, failures = run(driver, base, axe_source, PAGES)
        more_checks, more_failures = run(driver, extra_base, axe_source, extra_pages)
        checks, failures = checks + more_checks, failures + more_failures
        if not paginated:
            failures.append("no paginated page in the extra site")
            print("FAIL no paginated page in the extra site")
    finally:
        driver.quit()
        server.shutdown()
        extra_server.shutdown()
        shutil.rmtree(temporary, ignore_errors=True)
    print(f"accessibility_test: {checks - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
