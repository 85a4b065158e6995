"""The interpreter snapshot (web/snapshot.js): made once the person pauses, restored on the next
visit, and never a reason for the page not to start: a damaged snapshot, one that will not
restore, or another build's is dropped and the start is a normal one, with nothing shown."""
import pytest

from drawings import SEVEN

SNAPSHOTS = "() => caches.open('digitpad.snapshot').then((c) => c.keys()).then((ks) => ks.map((k) => k.url))"
# spoil the stored snapshot: "bytes" flips a byte of its memory and keeps the old sha256; "build"
# flips a byte of Pyodide's build id in its header and stores the new bytes' true sha256, so only
# the restore itself can refuse it; "shape" stores zeros with their true sha256
SPOIL = """async (how) => {
  const c = await caches.open('digitpad.snapshot'), k = (await c.keys())[0], r = await c.match(k);
  let b = new Uint8Array(await r.arrayBuffer()), sha = r.headers.get('x-sha256');
  if (how === 'shape') b = new Uint8Array(b.length);
  b[how === 'build' ? 20 : b.length - 100] ^= 0xff;
  if (how !== 'bytes') sha = [...new Uint8Array(await crypto.subtle.digest('SHA-256', b))].map((x) => x.toString(16).padStart(2, '0')).join('');
  await c.put(k, new Response(b, {headers: {'x-sha256': sha}}));
}"""


def made(app):
    app.page.wait_for_selector("html[data-snapshot='made']", state="attached", timeout=60_000)


def reads_a_seven(app):
    n = app.predictions
    app.draw(SEVEN)
    app.wait_predictions(n + 1)
    assert app.digit() == "7" and app.page.is_hidden("#fatal")


@pytest.fixture
def visited(make_app, server):
    """A first visit that stayed long enough for the snapshot to be made."""
    app = make_app(server.origin).open(server.url)
    assert app.attr("snapshot") == "none"
    made(app)
    return app


def test_a_return_visit_restores_the_snapshot(visited, server):
    urls = visited.page.evaluate(SNAPSHOTS)
    assert len(urls) == 1 and "/snapshot/" in urls[0]
    visited.open(server.url)
    assert visited.attr("snapshot") == "restored"
    reads_a_seven(visited)
    # it restored Python, not numpy: the page's own imports still happen after it
    worker = next(w for w in visited.page.workers if w.url.endswith("python-worker.js"))
    assert worker.evaluate("(n) => self.failedImports(n)", ["numpy", "PIL.Image", "digitpad.render"]) == []


@pytest.mark.parametrize("how,state", [("bytes", "damaged"), ("shape", "damaged"), ("build", "failed to restore")])
def test_a_snapshot_that_fails_is_dropped_and_python_starts_anyway(visited, server, how, state):
    visited.page.evaluate(SPOIL, how)
    visited.open(server.url)
    assert visited.attr("snapshot") == state
    reads_a_seven(visited)
    made(visited)                                  # and a good one is made again for the next visit
    visited.open(server.url)
    assert visited.attr("snapshot") == "restored"


def test_another_builds_snapshot_is_not_used_and_is_replaced(visited, server):
    old = visited.page.evaluate(SNAPSHOTS)[0]
    stale = old.rsplit("/", 1)[0] + "/0123456789abcdef"
    visited.page.evaluate("""async ([old, stale]) => {
      const c = await caches.open('digitpad.snapshot'), r = await c.match(old);
      await c.put(stale, r); await c.delete(old);
    }""", [old, stale])
    visited.open(server.url)
    assert visited.attr("snapshot") == "stale"
    reads_a_seven(visited)
    made(visited)
    assert visited.page.evaluate(SNAPSHOTS) == [old]
