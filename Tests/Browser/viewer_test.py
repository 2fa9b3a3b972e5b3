#!/usr/bin/env python3
"""A document's page in headless Chromium at 360 px: without JavaScript it shows every page at
reading size; with assets/viewer.js, zooming in (the + button, the wheel, the keyboard) loads
tiles from the page's own IIIF folder, and the page never scrolls sideways.

    viewer_test.py --memorial .build/debug/memorial --site .   # the test (make test)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search_test import REPOSITORY, browser, check, console_errors, resources, serve  # noqa: E402

PAGE = "/en/cases/makhmetov-bazen/documents/1/"


def tiles(driver):
    """Tile requests so far: below iiif/, not a whole image (`full/`)."""
    return [name for name, _, _ in resources(driver)
            if "/iiif/" in name and name.endswith("/default.jpg") and "/full/" not in name]


def wait_for(condition, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memorial", default=os.path.join(REPOSITORY, ".build/debug/memorial"))
    parser.add_argument("--site", default=REPOSITORY)
    args = parser.parse_args()
    temporary = tempfile.mkdtemp(prefix="memorial-viewer-")
    failures = []
    public = os.path.join(temporary, "public")
    subprocess.run([args.memorial, "build", "--quiet", "--site", args.site, "--out", public,
                    "--cache-dir", os.path.join(temporary, "state")], check=True)
    server, base = serve(public)
    driver = browser()
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
        # Without JavaScript: the pages at reading size, with their sizes set.
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        driver.get(base + PAGE)
        images = driver.find_elements(By.CSS_SELECTOR, "figure.doc-page picture img")
        check(len(images) == 3, f"{len(images)} page images without JavaScript, not 3", failures)
        check(all(i.get_attribute("width") and i.get_attribute("loading") == "lazy" for i in images),
              "a page image without width or lazy loading", failures)
        check(not driver.find_elements(By.CSS_SELECTOR, ".zoom-bar"), "zoom controls without JavaScript", failures)
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})

        driver.get(base + PAGE)
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".zoom-bar button"))
        check(not tiles(driver), "tiles loaded before zooming", failures)
        buttons = driver.find_elements(By.CSS_SELECTOR, "figure.doc-page .zoom-bar button")
        check(len(buttons) == 9, f"{len(buttons)} zoom buttons, not 3 per page", failures)
        driver.execute_script("arguments[0].scrollIntoView()", buttons[0])
        buttons[0].click()
        check(wait_for(lambda: tiles(driver)), "zooming in with + loaded no tile", failures)
        first = set(tiles(driver))
        check(all(name.startswith(base) for name in first), f"tiles from another host: {sorted(first)[:2]}", failures)
        view = driver.find_element(By.CSS_SELECTOR, ".zoom-view")
        # The wheel and the keyboard zoom further: finer tiles.
        driver.execute_script(
            "var v = arguments[0], r = v.getBoundingClientRect();"
            "v.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + 50, clientY: r.top + 50,"
            " bubbles: true, cancelable: true}));", view)
        view.send_keys("+")
        view.send_keys(Keys.ARROW_RIGHT)
        check(wait_for(lambda: len(set(tiles(driver)) - first) > 0), "wheel and keys loaded no new tile", failures)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 360, f"the page scrolls sideways at 360 px: {width} px", failures)
        errors = console_errors(driver)
        check(not errors, f"console errors: {errors}", failures)
        print(f"viewer_test: {len(set(tiles(driver)))} tile(s) requested")
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(temporary, ignore_errors=True)
    print(f"viewer_test: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
