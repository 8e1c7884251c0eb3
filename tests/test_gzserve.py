"""The local server serves files only (issue 17): no listings, no dotfiles, nothing outside the
site, 400 for bad paths, idle connections closed."""
from __future__ import annotations

import gzip
import http.client
import socket
import time

import gzserve  # tools/gzserve.py, on the path that tests/helpers.py sets
import pytest


@pytest.fixture
def served(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "book").mkdir(parents=True)
    (site / "empty").mkdir()
    (site / "index.html").write_text("<p>front</p>")
    (site / "book" / "intro.html").write_text("<p>intro</p>")
    (site / ".inputs-key").write_text('{"external": ["/home/someone/secret.xlsx"]}')
    (tmp_path / "outside.txt").write_text("outside")
    (site / "link.txt").symlink_to(tmp_path / "outside.txt")
    monkeypatch.setattr(gzserve.Handler, "timeout", 0.5)
    httpd, url = gzserve.serve(site)
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def _get(port: int, path: str, gzip_ok: bool = False) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    if gzip_ok:
        conn.putheader("Accept-Encoding", "gzip")
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    if resp.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    conn.close()
    return resp.status, body


def test_files_are_served_plain_and_compressed(served):
    assert _get(served, "/") == (200, b"<p>front</p>")
    assert _get(served, "/book/intro.html", gzip_ok=True) == (200, b"<p>intro</p>")


@pytest.mark.parametrize(("path", "status"), [
    ("/.inputs-key", 404), ("/book/../.inputs-key", 404), ("/%2e%2e/outside.txt", 404), ("/empty/", 404),
    ("/link.txt", 404), ("/nothing.html", 404), ("/%00", 400), ("/a%00b.html", 400), ("/%ff%fe", 400),
    ("/book%5c..%5cindex.html", 400),
])
def test_what_is_not_a_file_of_the_site_is_refused(served, path, status):
    code, body = _get(served, path)
    assert code == status and b"Traceback" not in body and b"secret" not in body and b"outside" not in body


def test_an_idle_connection_is_closed(served):
    with socket.create_connection(("127.0.0.1", served), timeout=5) as s:
        time.sleep(1.0)
        assert s.recv(100) == b""  # the server hung up


def test_idle_connections_hold_a_bounded_number_of_threads(served):
    import threading

    before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", served), timeout=5) for _ in range(100)]
    time.sleep(0.3)
    try:
        assert threading.active_count() - before <= gzserve.Server.MAX_CONNECTIONS
    finally:
        for s in idle:
            s.close()
