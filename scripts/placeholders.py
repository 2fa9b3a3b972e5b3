#!/usr/bin/env python3
"""Writes the sample exhibition's placeholder scans into content/cases/<id>/.

The sample shows how documents are published without showing any real document: each page is a
grey card that says, in Kazakh, Russian and English, that the scan is pending and that the
archival reference is not yet known (the sourced data give none). It makes a 3-page PDF, a
2-page TIFF and a one-page JPEG with libvips' command line (`vips`, Debian's libvips-tools);
the PDF wraps JPEG pages by hand, since libvips reads PDFs but does not write them.

Run it again after changing the cards: `python3 scripts/placeholders.py`.
"""
import os
import pathlib
import subprocess
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 850, 1200


def card(folder: str, name: str, page: int, pages: int) -> str:
    text = (
        "<b>ОРЫНБАСАР · ЗАГЛУШКА · PLACEHOLDER</b>\n\n"
        "<b>Скан күтілуде</b>\n<b>Скан ожидается</b>\n<b>Scan pending</b>\n\n"
        "Архивтік шифры әлі анықталмаған.\nАрхивный шифр пока не установлен.\n"
        "The archival reference is not yet known.\n\n"
        f"{pages} беттің {page}-беті · стр. {page} из {pages} · page {page} of {pages}"
    )
    mask, ink, out = (os.path.join(folder, f"{name}-{page}-{part}.v") for part in ("mask", "ink", "page"))
    subprocess.run(["vips", "text", mask, text, "--width", str(WIDTH * 8 // 10), "--dpi", "110",
                    "--align", "centre"], check=True)
    subprocess.run(["vips", "linear", mask, ink, "--uchar", "--", f"{-200 / 255:.4f}", "235"], check=True)
    w, h = (int(subprocess.run(["vipsheader", "-f", field, ink], check=True, capture_output=True,
                               text=True).stdout) for field in ("width", "height"))
    subprocess.run(["vips", "embed", ink, out, str((WIDTH - w) // 2), str((HEIGHT - h) // 2), str(WIDTH),
                    str(HEIGHT), "--extend", "background", "--background", "235"], check=True)
    return out


def jpeg(page: str, path: str) -> bytes:
    subprocess.run(["vips", "copy", page, f"{path}[Q=55,strip]"], check=True)
    return pathlib.Path(path).read_bytes()


def pdf(pages: list) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i * 3} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for i, image in enumerate(pages):
        number = 3 + i * 3
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 840] /Resources << /XObject << "
                       f"/Im0 {number + 2} 0 R >> >> /Contents {number + 1} 0 R >>".encode())
        content = b"q 595 0 0 840 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(f"<< /Type /XObject /Subtype /Image /Width {WIDTH} /Height {HEIGHT} /ColorSpace /DeviceGray "
                       f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(image)} >>\nstream\n".encode()
                       + image + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += f"{i + 1} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def main() -> None:
    case = root / "content/cases/makhmetov-bazen"
    with tempfile.TemporaryDirectory() as folder:
        pages = [card(folder, "pdf", n, 3) for n in (1, 2, 3)]
        (case / "placeholder-3-pages.pdf").write_bytes(
            pdf([jpeg(page, os.path.join(folder, f"p{i}.jpg")) for i, page in enumerate(pages)]))
        tiff_pages = [card(folder, "tif", n, 2) for n in (1, 2)]
        joined = os.path.join(folder, "joined.v")
        subprocess.run(["vips", "join", tiff_pages[0], tiff_pages[1], joined, "vertical"], check=True)
        subprocess.run(["vips", "tiffsave", joined, str(case / "placeholder-2-pages.tif"), "--compression",
                        "deflate", "--page-height", str(HEIGHT), "--strip"], check=True)
        jpeg(card(folder, "jpg", 1, 1), str(case / "placeholder-1-page.jpg"))


if __name__ == "__main__":
    main()
