"""Precompressed twins (`X.br`, `X.gz`) of the site's big files, for hosts that serve them.

nginx (gzip_static, brotli_static), Apache (MultiViews or a rewrite), Netlify and Cloudflare
Pages send a file's precompressed twin to a browser that accepts it, and the page never knows:
Content-Encoding is undone before any byte reaches its code (sha256 checks included). Brotli at
its highest quality, which no host uses on the fly, takes the 14 MB onnxruntime wasm to 2.4 MB
(gzip: 3.7 MB). Brotli comes from node's zlib (node is already a build tool); every twin is
cached by its source's sha256 under ~/.cache/digitpad/compressed, so only a changed file costs.
"""
from __future__ import annotations

import gzip
import json
import subprocess
import tempfile
from pathlib import Path

from . import vendor

MIN_BYTES = 4096         # smaller files gain too little to be worth a second request path
MIN_SAVING = 0.10        # a twin must be at least 10% smaller (a .zip or .tar.gz is not)
SUFFIXES = (".br", ".gz")
BROTLI = """
const zlib = require("zlib"), fs = require("fs");
for (const [src, dest] of JSON.parse(fs.readFileSync(process.argv[1], "utf8"))) {
  const data = fs.readFileSync(src);
  fs.writeFileSync(dest, zlib.brotliCompressSync(data, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
}
"""


def is_twin(p: Path) -> bool:
    """A precompressed copy of a file beside it, by name alone (its file may be gone in a half-done
    deploy): every .br, and every .gz but the site's own .tar.gz bundles."""
    return p.suffix == ".br" or p.suffix == ".gz" and not p.name.endswith(".tar.gz")


def precompress(site: Path, log=print) -> dict[str, dict[str, int]]:
    """Write the twins beside every file of `site` that gains; returns {path: {raw, gzip, br}} of each."""
    cache = vendor.cache_dir() / "compressed"
    cache.mkdir(parents=True, exist_ok=True)
    files = [p for p in sorted(site.rglob("*")) if p.is_file() and not is_twin(p) and p.stat().st_size >= MIN_BYTES]
    digests = {p: vendor.sha256(p) for p in files}
    todo = [[str(p), str(cache / f"{digests[p]}.br")] for p in files if not (cache / f"{digests[p]}.br").exists()]
    if todo:
        log(f"brotli (quality 11) for {len(todo)} files")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(todo, f)
        try:
            r = subprocess.run(["node", "-e", BROTLI, f.name], capture_output=True, text=True)
        finally:
            Path(f.name).unlink()
        if r.returncode:
            raise vendor.VendorError(f"brotli compression under node failed: {r.stderr.strip()[-1000:]}")
    sizes = {}
    for p in files:
        raw = p.read_bytes()
        gz = cache / f"{digests[p]}.gz"
        if not gz.exists():
            gz.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
        entry = {"raw": len(raw)}
        for suffix, src in ((".gz", gz), (".br", cache / f"{digests[p]}.br")):
            data = src.read_bytes()
            if len(data) <= (1 - MIN_SAVING) * len(raw):
                (p.parent / (p.name + suffix)).write_bytes(data)
                entry["gzip" if suffix == ".gz" else "br"] = len(data)
        if len(entry) > 1:
            sizes[p.relative_to(site).as_posix()] = entry
    return sizes
