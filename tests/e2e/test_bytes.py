"""A first visit's bytes: each file crosses the network once, the WebGL path never fetches the 14 MB
wasm runtime, the fallback networks only when used, and hosts' compression is served correctly."""
from collections import Counter

import pytest

from drawings import SEVEN

from buildtools.site import locate, logical

from .conftest import Server


def fetched(server) -> Counter:
    """path -> how many times its body was sent (200s with a body; a 304 sends none)."""
    return Counter(logical(p) for p, code, n in server.responses if code == 200 and n > 0)


@pytest.mark.parametrize("backend", ["wasm", "webgl"])
def test_a_first_visit_fetches_each_file_once_even_with_the_service_worker(make_app, dist, backend):
    server = Server(dist)
    try:
        app = make_app(server.origin, service_workers="allow")
        heads = []
        app.page.on("request", lambda r: r.method == "HEAD" and heads.append(r.url))
        app.open(server.url, backend=backend)
        app.page.wait_for_selector("html[data-offline-ready='true']", state="attached", timeout=90_000)
        n = app.predictions
        app.draw(SEVEN)
        app.wait_predictions(n + 1)
        counts = fetched(server)
        assert counts["/models/combined.onnx"] == 1 and counts["/vendor/pyodide/pyodide.asm.wasm"] == 1
        assert [p for p, n in counts.items() if n > 1] == []
        assert heads == []           # the look for missing Pyodide files waits until Pyodide is late
        # the fallback networks are not used, so not fetched; the precache revalidated (304s)
        assert not {"/models/digits.onnx", "/models/digit_or_not.onnx"} & set(counts)
        assert any(code == 304 for _, code, _ in server.responses)
        wasm = "/vendor/ort/ort-wasm-simd-threaded.wasm"
        if backend == "webgl":                  # the 14 MB runtime is for the wasm backend only
            assert app.page.text_content("#backend") == "webgl" and wasm not in counts
        else:
            assert counts[wasm] == 1
    finally:
        server.stop()


@pytest.mark.parametrize("host", ["static", "dynamic"])
def test_compressed_responses_are_what_the_page_checks(make_app, dist, host):
    """Twins (.br) and on-the-fly gzip arrive decoded: every sha256 check in the page passes."""
    server = Server(dist, compress=host)
    try:
        app = make_app(server.origin).open(server.url)
        app.draw(SEVEN)
        app.wait_predictions(1)
        assert app.digit() == "7"
        sent = dict((logical(p), n) for p, code, n in server.responses if code == 200)
        wasm = locate(dist, "vendor/ort/ort-wasm-simd-threaded.wasm").stat().st_size
        assert sent["/vendor/ort/ort-wasm-simd-threaded.wasm"] < 0.3 * wasm
        if host == "static":
            assert sent["/vendor/ort/ort-wasm-simd-threaded.wasm"] == \
                locate(dist, "vendor/ort/ort-wasm-simd-threaded.wasm.br").stat().st_size
    finally:
        server.stop()


BUDGET = 11_000_000       # bytes of a first visit from a host that gzips on the fly (README: speed)


def test_a_first_visit_stays_within_its_budget_from_a_host_that_gzips(make_app, dist):
    """Every file a new visitor's page fetches until ready, as a host that gzips text, JS, JSON and
    wasm on the fly sends it (bench/phone.py's measure); the photo reader is not among them."""
    from bench.phone import sizes
    server = Server(dist, compress="none")
    try:
        app = make_app(server.origin).open(server.url)
        paths = {p.lstrip("/") or "index.html" for p, code, n in server.responses if code == 200 and n > 0}
    finally:
        server.stop()
    total = sum(sizes(dist, p)["gzip"] for p in paths if (dist / p).is_file())
    assert not any(p.endswith(("photo.js", "photo-zoom.js", "photo.tar.gz")) for p in paths)
    assert app.attr("ready") == "true" and total <= BUDGET, f"{total / 1e6:.3f} MB"
    print(f"first visit, host gzips on the fly: {total / 1e6:.3f} MB")
