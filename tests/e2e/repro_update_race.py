"""Issue 30, the stall not yet fixed: "Reload to update" clicked 0-100 ms after a second tab's
navigation commits can leave the new worker `installed` for good. Not collected by the suite (the
file name does not start with test_) because it fails; run it on its own:

    .venv/bin/python -m pytest tests/e2e/repro_update_race.py -s

Found so far (2026-12-02): stuck runs at every delay; both tabs ready and offline-ready, the old
worker `activated`, the new one `installed`. Not the cause: the page's registration.update() at
start; not a fix: a no-op message to the old worker after the click.
"""
import time

import pytest

from .test_redeploy import builds, host, offer, open_offline_ready, second_tab  # noqa: F401  (fixtures)

LIMIT_MS = 5_000


@pytest.mark.parametrize("delay_ms", [0, 20, 50, 100])
def test_reload_to_update_right_after_another_tab_opens(make_app, builds, host, delay_ms):  # noqa: F811
    h = host()
    h.upload(builds["v1"])
    a = open_offline_ready(make_app, h)
    slowest = 0.0
    for run in range(5):
        new = builds["v2"] if run % 2 == 0 else builds["v1"]
        offer(a, h, new)
        b = second_tab(a)
        b.page.goto(h.url + "?backend=wasm", wait_until="commit")
        a.page.wait_for_timeout(delay_ms)            # the race the issue found: a fixed, tiny offset
        t0 = time.monotonic()
        a.page.click("#update-reload")
        a.page.wait_for_selector(f"html[data-build='{new['build']}']", state="attached", timeout=LIMIT_MS)
        slowest = max(slowest, time.monotonic() - t0)
        print(f"delay {delay_ms} ms, run {run}: {time.monotonic() - t0:.2f} s")
        a.wait_ready()
        b.page.close()
    print(f"delay {delay_ms} ms: 5 runs, slowest reload {slowest:.2f} s")
