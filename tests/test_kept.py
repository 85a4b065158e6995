"""What a reload keeps of teaching (digitpad.kept): heads in force at once when nothing changed,
features that spare the networks, and a refit whenever anything did. CPython, the shipped graph."""
import numpy as np
import pytest

from digitpad import samples
from digitpad.actions import handle
from digitpad.controller import Controller
from shipped import BLOB, DOC, combined


@pytest.fixture(scope="module")
def nets():
    run_graph, calls = combined(), []

    def run(batch):
        calls.append(len(batch))
        return run_graph(batch)
    run.calls = calls
    return run


def page() -> Controller:
    """A controller as the page makes one after a (re)load."""
    c = Controller.from_models_json(DOC)
    assert "error" not in handle(c, "personal_load", {"blob": BLOB, "layout": DOC["personal"]}).reply
    return c


def stored(n: int) -> list[dict]:
    """n samples as the store keeps them ({key, label, sample}), each a different stroke."""
    out = []
    c = Controller.from_models_json(DOC)
    for i in range(n):
        handle(c, "clear", {})
        handle(c, "stroke", {"points": [[40 + 3 * i, 60], [150, 60 + i], [90, 230]]})
        s = handle(c, "sample", {"label": str(i % 10)}).reply["sample"]
        out.append({"key": samples.key(s), "label": s["label"], "sample": s})
    return out


def pairs(records):
    return [[r["key"], r["label"]] for r in records]


def fit_as_the_page_does(c, records, nets, kept_features=(), chunk=None):
    """plan -> kept features -> fit, a message at a time as the page's worker does (`chunk` unseen
    records a message) until the reply has no "more"; returns the last reply, with every message's
    new features in "kept" and the number of messages in "messages"."""
    need = handle(c, "personal_plan", {"labelled": pairs(records)}).reply["need"]
    if kept_features:
        need = handle(c, "personal_features", {"features": list(kept_features)}).reply["need"]
    by_key = {r["key"]: r["sample"] for r in records}
    kept, messages = [], 0
    while True:
        unseen = [by_key[k] for k in need[:chunk] if k in by_key]
        reply = handle(c, "personal_fit", {"records": unseen, "planned": True, "on": True}).run(nets)
        kept += reply.get("features", [])
        messages += 1
        if not reply.get("more"):
            return {**reply, "kept": kept, "messages": messages}
        need = [k for k in need if k not in c.personal.cache]


def test_kept_heads_are_in_force_after_a_reload_without_the_networks(nets):
    records = stored(12)
    first = page()
    reply = fit_as_the_page_does(first, records, nets)
    assert reply["personal"]["samples"] == 12 and len(reply["kept"]) == 12
    again = page()                                        # the reload
    step = handle(again, "personal_restore", {"labelled": pairs(records)[::-1], "heads": reply["heads"]})
    assert step.batch is None and step.reply["restored"] and step.reply["personal"]["on"]
    for h in ("digits", "digit_or_not"):
        assert np.array_equal(again.personal.heads[h].a, first.personal.heads[h].a)
    probe = np.random.default_rng(0).random((3, 1, 28, 28), np.float32)
    d, dn, hf, g = nets(probe)
    assert np.array_equal(again.personal.adjust(d, dn, hf, g)[0], first.personal.adjust(d, dn, hf, g)[0])


def test_anything_changed_means_a_refit(nets):
    records = stored(6)
    c = page()
    heads = fit_as_the_page_does(c, records, nets)["heads"]
    one_more = records + stored(7)[6:]
    relabelled = [dict(r, label="3") if i == 0 else r for i, r in enumerate(records)]
    damaged = {**heads, "blob": heads["blob"][:-8]}
    other_nets = page()
    other_nets.personal.nets = "another build's networks"
    # each says why, so the page can say it is fitting again (a half-written or missing record included)
    for who, labelled, kept, why in ((page(), one_more, heads, "changed"), (page(), relabelled, heads, "changed"),
                                     (page(), records, damaged, "damaged"),
                                     (page(), records, {"signature": heads["signature"], "blob": "not base64!"}, "damaged"),
                                     (other_nets, records, heads, "changed"), (page(), records, None, "nothing"),
                                     (page(), records, {"nets": "a record with no heads in it"}, "damaged")):
        r = handle(who, "personal_restore", {"labelled": pairs(labelled), "heads": kept}).reply
        assert r == {"restored": False, "why": why} and who.personal.heads is None and not who.personal.on


def test_kept_features_spare_the_networks_and_give_the_same_heads(nets):
    records = stored(10)
    first = page()
    reply = fit_as_the_page_does(first, records, nets)
    again = page()
    nets.calls.clear()
    one = reply["kept"][0]
    broken = [{"key": one["key"], "blob": one["blob"][:100]}]              # damaged: read again
    r = fit_as_the_page_does(again, records, nets, broken + reply["kept"][1:])
    assert nets.calls == [1]                              # only the sample whose kept features were damaged
    assert [f["key"] for f in r["kept"]] == [one["key"]]
    for h in ("digits", "digit_or_not"):
        assert np.array_equal(again.personal.heads[h].a, first.personal.heads[h].a)


def test_only_the_chosen_samples_are_read_by_the_networks(nets, monkeypatch):
    from digitpad import teach
    monkeypatch.setattr(teach, "MAX_FIT", 2)              # at most 2 per label: 20 samples, 2 labels -> 4 read
    records = stored(20)
    records = [dict(r, label="1" if i % 2 else "7", sample=dict(r["sample"], label="1" if i % 2 else "7"))
               for i, r in enumerate(records)]
    records = [dict(r, key=samples.key(r["sample"])) for r in records]
    c = page()
    nets.calls.clear()
    reply = fit_as_the_page_does(c, records, nets)
    assert nets.calls == [4] and reply["personal"]["used"] == 4 and reply["personal"]["samples"] == 20


def test_the_pages_one_text_of_keys_and_labels_is_the_same_list(nets):
    records = stored(8)
    text = "\n".join(f"{k} {lab}" for k, lab in pairs(records)) + "\nbroken-line\nkey not-a-label\n"
    c, d = page(), page()
    assert handle(c, "personal_plan", {"labelled": text}).reply["need"] == \
        handle(d, "personal_plan", {"labelled": pairs(records)}).reply["need"]
    assert c.personal.labelled == d.personal.labelled and len(c.personal.labelled) == 8


def test_unseen_samples_and_the_fit_come_a_slice_a_message_and_a_vanished_sample_ends_the_wait(nets):
    from digitpad.personal_actions import FIT_SLICE
    records = stored(10)
    c = page()
    reply = fit_as_the_page_does(c, records, nets, chunk=3)
    fit_messages = 2 * 200 // FIT_SLICE                   # two heads of 200 steps each
    assert reply["messages"] == 4 + fit_messages - 1      # 3 + 3 + 3 + 1 unseen; the last chunk's message fits too
    assert reply["personal"]["used"] == 10 and len(reply["kept"]) == 10
    whole = c.personal._fit(c.personal.chosen)           # the fit in one go, as tests and train/ call it
    for h in ("digits", "digit_or_not"):                  # sliced or not, the same steps: the same heads
        assert np.array_equal(c.personal.heads[h].a, whole[h].a)
    gone = page()                                         # one sample vanished from the store meanwhile
    handle(gone, "personal_plan", {"labelled": pairs(records)})
    reply = handle(gone, "personal_fit", {"records": [r["sample"] for r in records[1:]], "planned": True}).run(nets)
    assert reply["more"]                                  # one chosen sample still unseen: ask again
    while reply.get("more"):                              # the store has none: the fit goes on without it
        reply = handle(gone, "personal_fit", {"records": [], "planned": True}).run(nets)
    assert reply["personal"]["used"] == 9
