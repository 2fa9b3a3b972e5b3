#!/usr/bin/env python3
"""The search page in a real browser: headless Chromium (Debian's chromium and chromium-driver,
driven by selenium) loads the built sample exhibition from a local server and searches it.

    search_test.py --memorial .build/debug/memorial --site .            # the test (make test)
    search_test.py --memorial ... --site CORPUS --query NAME --measure  # figures for a corpus

The test fails on any assertion, and on any error in the browser's console.
"""
import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (page language, query, id of the case that must come first): the spellings, in every
# script, surname or given name first, and with a typo.
QUERIES = [
    (lang, query, "bukeikhanov-alikhan")
    for lang in ("kk", "ru", "en")
    for query in ("Бөкейханов", "Букейханов", "Bökeikhanov", "Bukeikhanov", "bokeikhanov")
] + [
    (lang, query, "zhansugurov-ilyas")
    for lang in ("kk", "ru", "en")
    for query in ("Жансүгіров", "Джансугуров", "Zhansugurov")
] + [
    ("en", "Alikhan Bukeikhanov", "bukeikhanov-alikhan"),
    ("ru", "Алихан Букейханов", "bukeikhanov-alikhan"),
    ("en", "Bukeikhanof", "bukeikhanov-alikhan"),
    ("kk", "Байтұрсынов", "baitursynov-akhmet"),
    ("en", "Seyfullin Saken", "seifullin-saken"),
    ("en", "Dulatov", "dulatov-myrzhakyp"),
    ("en", "Jansügirov", "zhansugurov-ilyas"),
]


def invented_records(count=2400):
    """Synthetic names only (never real people): B- and L- surnames, and one Li Chan."""
    import random
    generator = random.Random(7)
    # No k, h, n or v: no invented name is a prefix of, or one slip from, Bukeikhanov.
    consonants, vowels = "dglmprstz", "aeiou"
    rows = ["li,Ли Чан,Ли Чан,Li Chan,korean,1938,,"]
    for number in range(count):
        stem = generator.choice("bl") + "".join(
            generator.choice(vowels) + generator.choice(consonants) for _ in range(generator.randint(2, 4)))
        name = f"{stem.capitalize()}ol Testname{number % 50}"
        rows.append(f"inv-{number},,,{name},kazakh,{1930 + number % 20},,")
    return "\n".join(rows) + "\n"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def settled(driver):
    """Whether the search has finished: a status that is not "Searching…", and when it counts
    results ("Found: 3"), the results shown (they are fetched after the count is set)."""
    status = driver.find_element(By.ID, "search-status").text
    if not status or status.endswith("…"):
        return False
    counts = any(character.isdigit() for character in status)
    return not counts or len(driver.find_elements(By.CSS_SELECTOR, "#search-results li")) > 0


def results(driver, timeout=10):
    """Waits for the search to settle, returns the result links' paths."""
    WebDriverWait(driver, timeout).until(settled)
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results li a.name")
    return [urllib.parse.urlparse(link.get_attribute("href")).path for link in links]


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def resources(driver):
    return driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) {"
        " return [e.name, e.transferSize, e.encodedBodySize]; })")


def check(condition, message, failures):
    if not condition:
        failures.append(message)
        print("FAIL", message)


def run_test(driver, base, failures):
    # What one query costs on a first visit (script and data, from the browser's resource timing).
    driver.get(base + "/en/search/?q=Bukeikhanov")
    results(driver)
    fetched = sum(body for _, _, body in resources(driver))
    print(f"first query on the sample site needs {fetched} bytes besides the page")
    check(fetched < 100_000, f"first query fetched {fetched} bytes", failures)

    # The folding in the browser gives the keys Swift gives (the same corpus the Swift tests use).
    with open(os.path.join(REPOSITORY, "Tests/Fixtures/folding-corpus.json"), encoding="utf-8") as f:
        corpus = json.load(f)
    driver.get(base + "/en/search/")
    keys = driver.execute_script(
        "return arguments[0].map(function (name) { return memorialFold(name); })", [e["name"] for e in corpus])
    differing = [e["name"] for e, k in zip(corpus, keys) if k != e["keys"]]
    check(not differing, f"memorialFold differs from Swift for {differing[:5]}", failures)

    # Through ?q=: each query finds its person first.
    for lang, query, expected in QUERIES:
        driver.get(f"{base}/{lang}/search/?q={urllib.parse.quote(query)}")
        found = results(driver)
        check(found[:1] == [f"/{lang}/cases/{expected}/"], f"{lang} ?q={query}: first is {found[:1]}", failures)
        check(driver.find_element(By.ID, "q").get_attribute("value") == query, f"{query} not in the field", failures)

    # Through typing, letter by letter, as a visitor does; the address follows the query.
    for lang, query, expected in [("en", "Жансүгіров", "zhansugurov-ilyas"), ("kk", "bokeikhanov", "bukeikhanov-alikhan")]:
        driver.get(f"{base}/{lang}/search/")
        field = driver.find_element(By.ID, "q")
        for letter in query:
            field.send_keys(letter)
            time.sleep(0.03)
        WebDriverWait(driver, 10).until(
            lambda d: urllib.parse.unquote(d.current_url).endswith("?q=" + query) and settled(d))
        found = results(driver)
        check(found[:1] == [f"/{lang}/cases/{expected}/"], f"typing {query}: first is {found[:1]}", failures)
        check(urllib.parse.unquote(driver.current_url).endswith("?q=" + query), f"address {driver.current_url}", failures)

    # Nothing found says so; a one-letter query asks for more.
    driver.get(f"{base}/en/search/?q=Qwxyzvb")
    results(driver)
    check(driver.find_elements(By.CSS_SELECTOR, "#search-results li") == [], "Qwxyzvb found something", failures)
    check("No one found" in driver.find_element(By.ID, "search-status").text, "no 'No one found'", failures)

    # From the home page's form to the search page.
    driver.get(base + "/ru/")
    field = driver.find_element(By.ID, "q")
    field.send_keys("Сейфуллин")
    field.submit()
    WebDriverWait(driver, 10).until(lambda d: "/ru/search/" in d.current_url)
    check(results(driver)[:1] == ["/ru/cases/seifullin-saken/"], "home form did not find Seifullin", failures)

    errors = console_errors(driver)
    check(not errors, f"console errors: {errors}", failures)


def run_ranking_test(driver, base, failures):
    """Tests/Fixtures/Sites/search: an exact surname ranks above the same word as a given name,
    that above a prefix (Bukeikhanova), that above a one-letter slip (Bukeikhamov); the
    restricted Bukeikhanov is nowhere."""
    for lang in ("kk", "ru", "en"):
        for query in ("Bukeikhanov", "Букейханов", "Бөкейханов"):
            driver.get(f"{base}/{lang}/search/?q={urllib.parse.quote(query)}")
            found = [path.split("/")[-2] for path in results(driver)]
            check(found == ["exact", "given", "prefix", "fuzzy"], f"{lang} {query}: ranked {found}", failures)
    driver.get(f"{base}/en/search/?q=Dulatov")
    check([p.split("/")[-2] for p in results(driver)] == ["other"], "Dulatov", failures)
    # A name one slip away is offered as similar, after the matches, and never counted as found:
    # a grandchild must not read a name that is not in the archive as found.
    for lang, query, expected, classes in [
            ("en", "Bukeikhanov", "Found: 3, then similar names: 1", ["", "", "", "similar"]),
            ("ru", "Дулатоп", "Точных совпадений нет. Похожие имена: 1", ["similar"])]:
        driver.get(f"{base}/{lang}/search/?q={urllib.parse.quote(query)}")
        results(driver)
        status = driver.find_element(By.ID, "search-status").text
        check(status == expected, f"{lang} {query}: status {status!r}", failures)
        shown = [li.get_attribute("class") for li in driver.find_elements(By.CSS_SELECTOR, "#search-results li")]
        check(shown == classes, f"{lang} {query}: classes {shown}", failures)
        # Switching language keeps the search.
        other = "kk" if lang != "kk" else "ru"
        switch = driver.find_element(By.CSS_SELECTOR, f'nav.langs a[hreflang="{other}"]').get_attribute("href")
        check(switch.endswith(f"/{other}/search/?q={urllib.parse.quote(query)}"), f"{lang} {query}: {switch}", failures)
    # The fixture plus 2,400 invented B- and L- names, so that their shards split as in a big
    # archive: a slip past the second letter is still found, a two-letter surname still searched.
    for lang, query, expected in [("ru", "Бумейханов", "exact"), ("en", "Bukeykhonov Alikhan", "exact"),
                                  ("ru", "Ли", "li"), ("en", "Li Chan", "li")]:
        driver.get(f"{base}/{lang}/search/?q={urllib.parse.quote(query)}")
        found = [path.split("/")[-2] for path in results(driver)]
        check(found[:1] == [expected], f"{lang} {query} (split shards): first is {found[:1]}", failures)
    # "Show more" twice at once adds each result once.
    driver.get(f"{base}/en/search/?q=Li")
    results(driver)
    driver.execute_script("var b = document.getElementById('search-more'); b.click(); b.click();")
    WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#search-results li")) >= 40)
    time.sleep(0.5)
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li a.name")]
    check(len(links) == 40 and len(set(links)) == 40, f"Show more twice: {len(links)} shown, {len(set(links))} distinct", failures)
    errors = console_errors(driver)
    check(not errors, f"console errors: {errors}", failures)


def measure(driver, base, query, language):
    """Bytes fetched for a first and a later query, and the time from query to results."""
    url = f"{base}/{language}/search/"
    driver.get(url + "?q=" + urllib.parse.quote(query))
    found = results(driver, timeout=30)
    first = resources(driver)
    page = driver.execute_script("return performance.getEntriesByType('navigation')[0].transferSize")
    print(f"first query {query!r}: {len(found)} shown; page {page} B; fetched besides the page:")
    for name, size, body in first:
        print(f"  {size:>8} B  {urllib.parse.unquote(name[len(base):])}")
    print(f"  total {sum(s for _, s, _ in first)} B (with the page: {sum(s for _, s, _ in first) + page} B)")
    later = ["Zhansugurov", "Seifullin Saken", "Dulatov", "Ivan Petrenko", "Kim", "Mukhtar Aimautov", "Bumeikhanov",
             "Baidursynov Akhmet"]
    timed = """
        var done = arguments[arguments.length - 1], started = performance.now();
        memorialSearch(arguments[0]).then(function () {
          done([performance.now() - started, document.querySelectorAll('#search-results li').length,
                document.getElementById('search-status').textContent]);
        });"""
    for other in later:
        before = len(resources(driver))
        elapsed, shown, status = driver.execute_async_script(timed, other)
        extra = resources(driver)[before:]
        again, _, _ = driver.execute_async_script(timed, other)
        print(f"later query {other!r}: {status}, {shown} shown, {sum(s for _, s, _ in extra)} B fetched "
              f"in {len(extra)} files, {elapsed:.0f} ms to results (again, cached: {again:.0f} ms)")
    errors = console_errors(driver)
    print("console errors:", errors or "none")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memorial", required=True)
    parser.add_argument("--site", default=REPOSITORY)
    parser.add_argument("--out", help="an already built site to serve instead of building one")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--query", default="Bukeikhanov")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()

    temporary = tempfile.mkdtemp(prefix="memorial-browser-")
    folder = args.out
    if not folder:
        folder = os.path.join(temporary, "public")
        subprocess.run([args.memorial, "build", "--quiet", "--site", args.site, "--out", folder,
                        "--cache-dir", os.path.join(temporary, "state")], check=True)
    server, base = serve(folder)
    driver = browser()
    failures = []
    try:
        if args.measure:
            measure(driver, base, args.query, args.language)
        else:
            run_test(driver, base, failures)
            ranking = os.path.join(temporary, "ranking")
            site = os.path.join(temporary, "ranking-site")
            shutil.copytree(os.path.join(REPOSITORY, "Tests/Fixtures/Sites/search"), site)
            with open(os.path.join(site, "content/records/people.csv"), "a", encoding="utf-8") as csv:
                csv.write(invented_records())
            subprocess.run([args.memorial, "build", "--quiet", "--site", site, "--out", ranking], check=True)
            ranking_server, ranking_base = serve(ranking)
            try:
                run_ranking_test(driver, ranking_base, failures)
            finally:
                ranking_server.shutdown()
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(temporary, ignore_errors=True)
    if failures:
        print(f"search_test: {len(failures)} failure(s)")
        sys.exit(1)
    if not args.measure:
        print(f"search_test: {len(QUERIES)} queries and typing in Chromium passed")


if __name__ == "__main__":
    main()
