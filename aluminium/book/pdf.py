"""The whole book as one PDF (``make pdf``): every page of a built site printed by headless
Chromium (the browser the tests use) with every chart drawn, in the order of the table of
contents, behind a contents page, numbered "page i of n" with the edition on every page, and
with a bookmark per page.

Each page is opened with ``?print``, which makes the chart loader draw every chart at once
(``al-charts.js``), and printed with the book's print CSS (charts and tables kept whole). Each
drawn chart carries a line only print shows ("Chart drawn for print"), so a test can count the
charts in the PDF against the site's.

    python -m aluminium.book.pdf [SITE] [OUT.pdf]     (defaults: _build/html, _build/aluminium-chain.pdf)
"""
from __future__ import annotations

import html
import http.server
import io
import os
import shutil
import socketserver
import sys
import threading
from functools import partial
from pathlib import Path

import yaml

from aluminium.book.charts import ISLAND_OPEN
from aluminium.paths import BUILD_DIR, ROOT

PAGE = {"format": "A4", "margin": {"top": "16mm", "bottom": "20mm", "left": "14mm", "right": "14mm"}}
CHART_MARK = "Chart drawn for print."


def toc_pages(site: Path) -> list[str]:
    """The site's pages in the order of its table of contents (``book/intro``, …), and the
    comparison page where the build wrote one."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    if (site / "book" / "comparison.html").exists() and "book/comparison" not in pages:
        pages.insert(pages.index("chapters/macro") if "chapters/macro" in pages else 1, "book/comparison")
    return [p for p in pages if (site / f"{p}.html").exists()]


def chart_count(site: Path, pages: list[str] | None = None) -> int:
    """How many charts the site's pages hold (their specs, as the loader finds them)."""
    pages = pages if pages is not None else toc_pages(site)
    return sum((site / f"{p}.html").read_text(encoding="utf-8").count(ISLAND_OPEN) for p in pages)


def _browser_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome")
    if not path:
        raise SystemExit("make pdf: no Chromium found (`make chromium` installs Debian's)")
    return path


class _Server:
    """The site over http://localhost (a page's scripts load as on a host)."""

    def __init__(self, site: Path):
        handler = partial(_QuietHandler, directory=str(site))
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.url = f"http://localhost:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _title(page) -> str:
    text = page.evaluate("() => (document.querySelector('main h1') || {}).textContent || document.title")
    return " ".join(text.replace("#", "").split())


def _print_page(page, url: str) -> tuple[bytes, str]:
    page.goto(f"{url}?print", wait_until="load")
    n = page.evaluate("document.querySelectorAll('script.al-chart-spec').length")
    if n:
        page.wait_for_function("n => document.querySelectorAll('figure.al-chart .al-print-stamp').length === n",
                               arg=n, timeout=60_000)
    # Folded lists (the agreeing claims, unchanged figures, the assumptions) print open.
    page.evaluate("document.querySelectorAll('details.al-claims-agree, details.al-comparison-unchanged, "
                  "details.al-assumptions').forEach(d => { d.open = true; })")
    page.emulate_media(media="print")
    return page.pdf(print_background=True, **PAGE), _title(page)


def _contents_html(entries: list[tuple[str, int]], stamp: str) -> str:
    rows = "".join(f'<tr><td>{html.escape(t)}</td><td class="n">{n}</td></tr>' for t, n in entries)
    return ("<!doctype html><meta charset=utf-8><style>body{font-family:system-ui,sans-serif;font-size:11pt}"
            "h1{font-size:22pt;margin:0 0 4mm}p{color:#555;font-size:9pt}table{width:100%;border-collapse:collapse}"
            "td{padding:1.5mm 0;border-bottom:1px solid #e3e3e3}td.n{text-align:right;width:20mm}</style>"
            f"<h1>The Aluminium Chain</h1><p>{html.escape(stamp)}</p><h2>Contents</h2><table>{rows}</table>")


def _numbers_html(n: int, stamp: str) -> str:
    """n A4 pages, each blank but for its number and the edition at the foot (an overlay)."""
    pages = "".join(f'<div class="p"><span>{html.escape(stamp)}</span><span>Page {i} of {n}</span></div>'
                    for i in range(1, n + 1))
    return ("<!doctype html><meta charset=utf-8><style>@page{size:A4;margin:0}body{margin:0;"
            "font-family:system-ui,sans-serif;font-size:7.5pt;color:#666}.p{height:297mm;position:relative;"
            "break-after:page}.p span{position:absolute;bottom:8mm}.p span:first-child{left:14mm;max-width:150mm}"
            ".p span:last-child{right:14mm}</style>" + pages)


def make(site: Path, out: Path, quiet: bool = False) -> Path:
    """Print the built site ``site`` into one PDF ``out``; returns ``out``."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    site, out = Path(site).resolve(), Path(out).resolve()
    if not (site / "book" / "intro.html").exists():
        raise SystemExit(f"make pdf: {site} is not a built book (build it first with `make book`)")
    pages = toc_pages(site)
    server = _Server(site)
    parts: list[tuple[str, PdfReader]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=_browser_path(), args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            stamp = ""
            for path in pages:
                data, title = _print_page(page, f"{server.url}/{path}.html")
                stamp = stamp or (page.get_attribute('meta[name="al-edition"]', "content") or "")
                parts.append((title, PdfReader(io.BytesIO(data))))
                if not quiet:
                    print(f"  {path:<22} {len(parts[-1][1].pages):>3} page(s)")
            # The contents page needs the page numbers, which need its own length: twice at most.
            contents_len, entries = 1, []
            for _ in range(2):
                start, entries = contents_len + 1, []
                for title, reader in parts:
                    entries.append((title, start))
                    start += len(reader.pages)
                page.set_content(_contents_html(entries, stamp))
                contents = PdfReader(io.BytesIO(page.pdf(**PAGE)))
                if len(contents.pages) == contents_len:
                    break
                contents_len = len(contents.pages)
            total = contents_len + sum(len(r.pages) for _, r in parts)
            page.set_content(_numbers_html(total, stamp))
            numbers = PdfReader(io.BytesIO(page.pdf(format="A4", margin={"top": "0", "bottom": "0",
                                                                         "left": "0", "right": "0"})))
            browser.close()
    finally:
        server.close()
    writer = PdfWriter()
    for reader in [contents, *(r for _, r in parts)]:
        for pg in reader.pages:
            writer.add_page(pg)
    for i, pg in enumerate(writer.pages):
        if i < len(numbers.pages):
            pg.merge_page(numbers.pages[i])
    for title, start in entries:
        writer.add_outline_item(title=title, page_number=start - 1)
    writer.add_metadata({"/Title": "The Aluminium Chain", "/Subject": stamp})
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer.write(fh)
    if not quiet:
        print(f"Wrote {out}: {total} pages, {chart_count(site, pages)} charts")
    return out


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    site = Path(args[0]) if args else BUILD_DIR / "html"
    out = Path(args[1]) if len(args) > 1 else BUILD_DIR / "aluminium-chain.pdf"
    make(site, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
