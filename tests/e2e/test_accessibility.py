"""Accessibility checked by a real engine (axe-core, from npm, run in Chromium) in the desktop and
the phone layout, and what a screen reader hears: one announcement per answer, none per repaint."""
import json

import pytest

from drawings import SEVEN, SIX, number

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Every live region, explicit or implicit (<output> is role=status, so polite).
LIVE = "[aria-live]:not([aria-live='off']), [role=status], [role=alert], [role=log], output"
COUNT_ANNOUNCEMENTS = """sel => {
  window.__heard = [];
  const seen = new MutationObserver((records) => {
    const regions = new Set(records.map((r) => (r.target.nodeType === 1 ? r.target : r.target.parentElement).closest(sel)));
    for (const el of regions) if (el) window.__heard.push(`${el.id}: ${el.textContent.trim()}`);
  });
  for (const el of document.querySelectorAll(sel)) seen.observe(el, {childList: true, characterData: true, subtree: true});
}"""


def axe(app) -> list[dict]:
    app.page.add_script_tag(path=str(AXE))
    result = app.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def check(violations: list[dict], where: str) -> None:
    for v in violations:                        # every finding goes to the log, whatever its impact
        print(f"{where}: {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}: "
              f"{[n['target'] for n in v['nodes'][:4]]})")
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps([{k: v[k] for k in ("id", "impact", "help")} | {"nodes": [n["target"] for n in v["nodes"]]}
                                for v in bad], indent=1)


@pytest.fixture(params=["desktop", "phone"])
def layout_app(request, make_app, make_phone, server):
    if request.param == "desktop":
        return make_app(server.origin, bypass_csp=True).open(server.url)    # axe is injected as a script
    return make_phone("390x844", bypass_csp=True)


def test_axe_finds_no_serious_or_critical_violations(layout_app):
    app = layout_app
    check(axe(app), "empty pad")
    app.page.click("#auto-predict")
    app.draw(number("2026"))
    app.predict()
    app.page.click("#explain-toggle")
    app.wait_predictions(2)
    check(axe(app), "a number")
    app.page.click("#number-digits li:nth-child(3)")          # a digit selected: a listbox with its option
    app.wait_attr("selections", 1)
    assert app.page.get_attribute("#number-digits li:nth-child(3)", "aria-selected") == "true"
    check(axe(app), "a number, its third digit selected")
    app.page.click("#clear")
    app.page.wait_for_selector("#pad[data-strokes='0']", state="attached")
    app.draw(SEVEN)
    app.predict()
    check(axe(app), "one digit")


def test_each_answer_is_announced_once_and_repaints_are_silent(app):
    app.page.evaluate(COUNT_ANNOUNCEMENTS, LIVE)
    heard = lambda: app.page.evaluate("() => window.__heard")    # noqa: E731
    app.draw(SIX)
    app.wait_predictions(1)
    assert len(heard()) == 1 and heard()[0].startswith("message: Looks like a 6 ("), heard()
    app.predict()
    assert len(heard()) == 2
    app.page.click("#explain-toggle")                # the answer again, then its heat map repainted
    app.wait_predictions(3)
    app.page.wait_for_selector("html[data-explains='1']", state="attached")
    assert len(heard()) == 3
    app.page.click("#sweep")                         # 36 angles replayed on the pad: nothing said
    app.page.wait_for_selector("html[data-sweeps='1']", state="attached")
    app.page.wait_for_selector("#sweep-stop:disabled")
    assert len(heard()) == 3, heard()
    app.page.click("#clear")
    app.wait_predictions(4)
    assert heard()[-1] == "message: Draw a digit on the pad." and len(heard()) == 4
