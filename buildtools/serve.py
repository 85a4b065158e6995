"""A static server for dist/ on 127.0.0.1, with the MIME types the page needs, compressing the
way static hosts do, and counting what it sends (for the tests and `build.py bench`).

compress="static": a file's precompressed twin (`X.br`, then `X.gz`, written by the build) when
    the browser accepts it, as nginx's brotli_static/gzip_static, Netlify or Cloudflare Pages do;
compress="dynamic": gzip on the fly for the types hosts compress (text, JS, JSON, wasm), as
    GitHub Pages or nginx's `gzip on` do; a .zip, .tar.gz or .onnx goes as it is;
compress="none": every file as it is on disk.
"""
from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
import os
import threading
from pathlib import Path

TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".webmanifest": "application/manifest+json",
         ".whl": "application/octet-stream", ".zip": "application/zip", ".onnx": "application/octet-stream"}
# what hosts that compress on the fly compress: text, scripts, JSON and wasm, not archives or blobs
DYNAMIC = ("text/", "application/javascript", "application/json", "application/wasm", "application/manifest+json",
           "image/svg+xml")
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    prefix = "/"

    def translate_path(self, path):
        # Serve the site under a sub-path (e.g. /tools/digitpad/) the way a static host would.
        if self.prefix != "/":
            if not path.startswith(self.prefix):
                return str(Path(self.directory) / "__not_here__")
            path = "/" + path[len(self.prefix):]
        return super().translate_path(path)

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path) or path.endswith(tuple(ext for _, ext in PRECOMPRESSED)):
            return super().send_head()          # folders, index.html, 404s, and the twins themselves
        mtime = int(os.stat(path).st_mtime)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if email.utils.parsedate_to_datetime(since).timestamp() >= mtime:
                    self.send_response(304)
                    self.end_headers()
                    return None
            except (TypeError, ValueError):
                pass
        ctype, accept = self.guess_type(path), self.headers.get("Accept-Encoding", "")
        encoding, body = None, None
        if self.server.compress == "static":
            for enc, ext in PRECOMPRESSED:     # a twin older than its file is stale: a half-done deploy
                if enc in accept and os.path.isfile(path + ext) and os.stat(path + ext).st_mtime >= mtime:
                    encoding, body = enc, Path(path + ext).read_bytes()
                    break
        elif self.server.compress == "dynamic" and "gzip" in accept and ctype.startswith(DYNAMIC):
            encoding, body = "gzip", self.server.gzipped(path, mtime)
        body = Path(path).read_bytes() if body is None else body
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(mtime))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if self.server.compress != "none":
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def send_response(self, code, message=None):
        self.server.record(self.path.split("?")[0], code)
        super().send_response(code, message)

    def copyfile(self, source, outputfile):
        # count body bytes sent, for `build.py bench` (first-visit size)
        data = source.read()
        self.server.record_bytes(self.path.split("?")[0], len(data))
        outputfile.write(data)

    def end_headers(self):
        if self.server.cache_control:          # None: no header at all, as some hosts send
            self.send_header("Cache-Control", self.server.cache_control)
        super().end_headers()

    def log_message(self, fmt, *args):
        if not getattr(self.server, "quiet", False):
            super().log_message(fmt, *args)


class StaticServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, quiet=False, compress="static", cache_control="no-cache"):
        super().__init__(address, handler)
        self.quiet, self.compress, self.cache_control = quiet, compress, cache_control
        self.bytes_sent = 0
        self.responses: list[tuple[str, int, int]] = []     # (path, status, body bytes)
        self._lock, self._gz = threading.Lock(), {}

    def record(self, path: str, code: int) -> None:
        with self._lock:
            self.responses.append((path, code, 0))

    def record_bytes(self, path: str, n: int) -> None:
        with self._lock:
            self.bytes_sent += n
            for i in range(len(self.responses) - 1, -1, -1):   # this request's own line
                if self.responses[i][0] == path and self.responses[i][2] == 0:
                    self.responses[i] = (path, self.responses[i][1], n)
                    break

    def gzipped(self, path: str, mtime: int) -> bytes:
        key = (path, mtime)
        if key not in self._gz:
            self._gz[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)   # hosts' usual level
        return self._gz[key]


def make_server(directory: Path, port: int = 8000, prefix: str = "/", quiet: bool = False, compress: str = "static",
                cache_control: str = "no-cache"):
    """cache_control: `no-cache` (always revalidate: builds change in place), or what a host sends."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = functools.partial(type("H", (Handler,), {"prefix": prefix}), directory=str(directory))
    return StaticServer(("127.0.0.1", port), handler, quiet, compress, cache_control)
