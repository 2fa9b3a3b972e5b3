#!/usr/bin/env python3
"""Every IIIF manifest of the built sample exhibition loaded into PyPI's iiif-prezi3 models
(Presentation 3.0), and every canvas's image service answered by the files beside it.

    iiif_test.py --memorial .build/debug/memorial --site .   # the test (make test)
    iiif_test.py --out public                                 # an already built site

The test fails when the sample has no manifest, when a manifest does not load into
`iiif_prezi3.Manifest`, when a canvas has no label in kk, ru and en, or when an image or a
tile that a manifest or an info.json names is not in the output.
"""
import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

from iiif_prezi3 import Manifest

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def local(url, base_url, public):
    assert url.startswith(base_url), f"{url} is not below {base_url}"
    return os.path.join(public, url[len(base_url):])


def check_manifest(path, base_url, public, failures):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    try:
        manifest = Manifest(**data)
    except Exception as error:  # the models' validation error, whatever its class
        failures.append(f"{path}: does not load into iiif_prezi3.Manifest: {error}")
        return 0
    canvases = 0
    for canvas in manifest.items:
        canvases += 1
        label = canvas.label.root if hasattr(canvas.label, "root") else canvas.label
        languages = set(label.keys()) if isinstance(label, dict) else set()
        if languages != {"kk", "ru", "en"}:
            failures.append(f"{path}: canvas {canvas.id} labelled in {sorted(languages)}")
        for page in canvas.items:
            for annotation in page.items:
                body = annotation.body
                image = local(str(body.id), base_url, public)
                if not os.path.exists(image):
                    failures.append(f"{path}: {body.id} is not in the output")
                for service in body.service or []:
                    service_id = service.id if hasattr(service, "id") else service["id"]
                    check_service(local(str(service_id), base_url, public), canvas, failures)
    return canvases


def check_service(folder, canvas, failures):
    info_path = os.path.join(folder, "info.json")
    if not os.path.exists(info_path):
        failures.append(f"{info_path} missing")
        return
    with open(info_path, encoding="utf-8") as f:
        info = json.load(f)
    if (info["width"], info["height"]) != (canvas.width, canvas.height):
        failures.append(f"{info_path}: {info['width']}x{info['height']}, canvas {canvas.width}x{canvas.height}")
    for size in info.get("sizes", []):
        file = os.path.join(folder, f"full/{size['width']},{size['height']}/0/default.jpg")
        if not os.path.exists(file):
            failures.append(f"{file} missing")
    for tiles in info.get("tiles", []):
        tile = tiles["width"]
        for factor in tiles["scaleFactors"]:
            region = tile * factor
            for y in range(0, info["height"], region):
                for x in range(0, info["width"], region):
                    w, h = min(region, info["width"] - x), min(region, info["height"] - y)
                    file = os.path.join(folder, f"{x},{y},{w},{h}/{math.ceil(w / factor)},{math.ceil(h / factor)}/0/default.jpg")
                    if not os.path.exists(file):
                        failures.append(f"{file} missing")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memorial", default=os.path.join(REPOSITORY, ".build/debug/memorial"))
    parser.add_argument("--site", default=REPOSITORY)
    parser.add_argument("--out", help="an already built site to check instead of building one")
    args = parser.parse_args()
    temporary = tempfile.mkdtemp(prefix="memorial-iiif-")
    try:
        public = args.out
        if not public:
            public = os.path.join(temporary, "public")
            subprocess.run([args.memorial, "build", "--quiet", "--site", args.site, "--out", public,
                            "--cache-dir", os.path.join(temporary, "state")], check=True)
        base_url = None
        with open(os.path.join(args.site, "content/site.yml"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("base_url:"):
                    base_url = line.split(":", 1)[1].strip().strip("\"'")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
        manifests = sorted(glob.glob(os.path.join(public, "iiif/*/manifest.json")))
        failures = [] if manifests else ["no manifest in the output"]
        canvases = sum(check_manifest(path, base_url, public, failures) for path in manifests)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    for failure in failures:
        print("FAIL", failure)
    print(f"iiif_test: {len(manifests)} manifest(s), {canvases} canvas(es), {len(failures)} problem(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
