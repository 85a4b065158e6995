"""fetch-mnist against a local HTTP server that serves the shared copy of MNIST."""
import functools
import gzip
import http.server
import shutil
import threading

import pytest

from train.data import DataError, load_split
from train.fetch import fetch


@pytest.fixture
def mirror(mnist, tmp_path):
    root = tmp_path / "mirror"
    root.mkdir()
    for f in mnist.glob("*.gz"):
        shutil.copy(f, root / f.name)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()


def test_fetch_downloads_and_verifies(mirror, tmp_path):
    _, url = mirror
    dest = tmp_path / "data"
    got = fetch(dest, mirrors=[url], log=lambda *_: None)
    assert len(got) == 4
    x, y = load_split(dest, "test")
    assert len(x) == len(y) == 10000
    # a second run finds everything present and downloads nothing
    assert fetch(dest, mirrors=["http://127.0.0.1:9/"], log=lambda *_: None) == got


def test_fetch_refuses_a_tampered_file(mirror, tmp_path):
    root, url = mirror
    p = root / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.open(p).read())
    raw[100] = (raw[100] + 1) % 10
    gzip.open(p, "wb").write(bytes(raw))
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz.*sha256 mismatch"):
        fetch(tmp_path / "data", mirrors=[url], log=lambda *_: None)
    assert not (tmp_path / "data" / "t10k-labels-idx1-ubyte.gz").exists()


def test_fetch_falls_back_to_the_next_mirror(mirror, tmp_path):
    _, url = mirror
    got = fetch(tmp_path / "data", mirrors=["http://127.0.0.1:9/", url], log=lambda *_: None)
    assert len(got) == 4
