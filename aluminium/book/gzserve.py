"""Serve a built site over http://localhost the way a static host does: text compressed with
gzip, assets cacheable. For measuring pages (Lighthouse, ``make bench``), not for tests.

    python -m aluminium.book.gzserve _build/html --port 8765
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import io
import threading
from functools import lru_cache, partial
from pathlib import Path

COMPRESSED = {".html", ".js", ".css", ".json", ".svg", ".csv", ".txt", ".xml", ".map", ".ipynb", ".md"}


@lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def compressed_size(path: Path) -> int:
    """Bytes a static host sends for this file (gzip for text, as is otherwise)."""
    if path.suffix in COMPRESSED:
        return len(_gzipped(str(path), path.stat().st_mtime_ns))
    return path.stat().st_size


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet: the measurement prints what matters
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start serving ``site`` in a background thread; returns the server and its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://localhost:{httpd.server_address[1]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default="_build/html")
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), partial(Handler, directory=args.site))
    print(f"serving {args.site} compressed on http://localhost:{args.port}", flush=True)
    httpd.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
