"""A static server for dist/ on 127.0.0.1, with the MIME types the page needs."""
from __future__ import annotations

import functools
import http.server
from pathlib import Path

TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".webmanifest": "application/manifest+json",
         ".whl": "application/octet-stream", ".zip": "application/zip", ".onnx": "application/octet-stream"}


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

    def copyfile(self, source, outputfile):
        # count body bytes sent, for `build.py bench` (first-visit size)
        data = source.read()
        self.server.bytes_sent += len(data)
        outputfile.write(data)

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")   # always revalidate: builds change in place
        super().end_headers()

    def log_message(self, fmt, *args):
        if not getattr(self.server, "quiet", False):
            super().log_message(fmt, *args)


def make_server(directory: Path, port: int = 8000, prefix: str = "/", quiet: bool = False):
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = functools.partial(type("H", (Handler,), {"prefix": prefix}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.quiet = quiet
    server.bytes_sent = 0
    server.daemon_threads = True
    return server
