"""Serve a built site over http://localhost the way a static host does: text compressed with
gzip, assets cacheable. For measuring pages (Lighthouse, ``make bench``), not for tests.

    python tools/gzserve.py _build/html --port 8765
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import io
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
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
    """Files only: no folder listings, no dotfiles (``.inputs-key`` holds local paths), nothing
    outside the site (symbolic links included), 400 for a path that cannot be a file's, and an
    idle connection closed after ``timeout`` seconds."""

    timeout = 15  # seconds an idle connection may hold its thread

    def log_message(self, *args) -> None:  # quiet: the measurement prints what matters
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def list_directory(self, path):  # never: a folder without index.html is not found
        self.send_error(404)
        return None

    def _file(self) -> Path | None:
        """The file the request names, or None after sending the error."""
        raw = urllib.parse.urlsplit(self.path).path
        try:
            rel = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            rel = None
        if rel is None or not rel.startswith("/") or any(c in rel for c in "\0\\") or any(
                ord(c) < 32 for c in rel):
            self.send_error(400, "Bad path")
            return None
        parts = [p for p in rel.split("/") if p]
        if any(p.startswith(".") for p in parts):  # dotfiles, and any "..": not served
            self.send_error(404)
            return None
        root = Path(self.directory).resolve()
        path = root.joinpath(*parts)
        try:
            real = path.resolve()
            inside = real == root or root in real.parents
            if inside and real.is_dir():
                real = real / "index.html"
            ok = inside and real.is_file()
        except (OSError, ValueError):
            ok = False
        if not ok:
            self.send_error(404)
            return None
        return real

    def send_head(self):
        path = self._file()
        if path is None:
            return None
        ctype = self.guess_type(str(path))
        if path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = _gzipped(str(path), path.stat().st_mtime_ns)
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return io.BytesIO(body)
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


class Server(http.server.ThreadingHTTPServer):
    """A thread per connection, up to ``MAX_CONNECTIONS`` at once (more wait in the backlog)."""

    MAX_CONNECTIONS = 64
    request_queue_size = 128  # connections waiting for a thread
    daemon_threads = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(self.MAX_CONNECTIONS)

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser went away mid-answer (a closed tab, a cancelled request): not an error
        super().handle_error(request, client_address)

    def process_request(self, request, client_address) -> None:
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def serve(site: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start serving ``site`` in a background thread; returns the server and its base URL."""
    httpd = Server(("127.0.0.1", port), partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://localhost:{httpd.server_address[1]}"


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` served by this file in a process of its own (no thread of the caller's competes with
    a browser it drives), on a free port, until the block ends; yields the base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, __file__, str(site), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://localhost:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default="_build/html")
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    httpd = Server(("127.0.0.1", args.port), partial(Handler, directory=args.site))
    print(f"serving {args.site} compressed on http://localhost:{args.port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
