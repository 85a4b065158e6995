"""The page's teaching actions: load the subspaces, plan a fit, take kept features, restore kept
heads, fit, switch. Each is a Step, as in actions.py.

A fit after a reload goes: ``personal_plan`` (the store's (key, label) pairs: which chosen samples
have no features here), ``personal_features`` (those the page kept from an earlier visit), then
``personal_fit`` with the records of the samples still unseen, whose images the networks read.
Its reply carries the new features and the fitted heads for the page to keep (kept.py).
``personal_restore`` puts kept heads in force without any of that when nothing has changed.
"""
from __future__ import annotations

import numpy as np

from . import samples, teach
from .controller import Controller, Step
from .errors import UserError


FIT_SLICE = 100   # gradient steps a message (a fit is 2 x 200): strokes are answered between slices


class PersonalError(UserError):
    pass


def _labelled(p: dict) -> list[tuple[str, str]] | None:
    """The store's (key, label) pairs, in key order (the store's own order); damaged pairs left out.
    The page sends them as one text, a "key label" line each: 20,000 pairs cross the FFI at once."""
    items = p.get("labelled")
    if items is None:
        return None
    if isinstance(items, str):
        items = [line.split(" ") for line in items.split("\n") if line]
    if not isinstance(items, list):
        raise PersonalError("labelled must be a list of [key, label] pairs")
    return sorted((k, lab) for k, lab in (i for i in items if isinstance(i, (list, tuple)) and len(i) == 2)
                  if isinstance(k, str) and lab in samples.LABELS)


def _spaces(c: Controller) -> None:
    if c.personal.spaces is None:
        raise teach.TeachError("the page has not loaded what personal heads need (personal.bin)")


def _state(c: Controller, **more) -> dict:
    return {"personal": {**c.personal.stats, "on": c.personal.on}, **more}


def load(c: Controller, p: dict) -> Step:
    """personal.bin (bytes) as models.json's `personal` entry lays it out."""
    blob = p.get("blob")
    if set(c.personal.widths) != set(teach.HEADS):
        raise teach.TeachError("this page's network gives no features to learn from: the shipped answers stay")
    c.personal.spaces = teach.load_subspaces(bytes(blob) if blob is not None else b"", p.get("layout") or {},
                                             c.personal.widths)
    return Step({"personal": c.personal.stats, "nets": c.personal.nets})


def plan(c: Controller, p: dict) -> Step:
    _spaces(c)
    labelled = _labelled(p)
    if labelled is None:
        raise PersonalError("personal_plan needs the stored samples' keys and labels")
    return Step({"need": c.personal.plan(labelled), "nets": c.personal.nets})


def features(c: Controller, p: dict) -> Step:
    items = p.get("features") or []
    if not isinstance(items, list):
        raise PersonalError("features must be a list")
    taken = c.personal.take_features(items)
    return Step({"need": c.personal.plan(c.personal.labelled), "taken": taken})


def restore(c: Controller, p: dict) -> Step:
    """Kept heads in force at once when they were fitted on exactly the stored samples."""
    _spaces(c)
    labelled = _labelled(p) or []
    why = c.personal.restore(labelled, p.get("heads"))
    if why != "restored":
        return Step({"restored": False, "why": why})   # the page refits, and says why
    c.reader.forget()
    return Step(_state(c, restored=True))


def fit(c: Controller, p: dict) -> Step:
    """Fit the heads on the stored samples; the networks run only on `records` whose features are
    not known. The stored samples are `labelled`, or those of the last plan (`planned`), or else
    the `records` themselves (callers that hand over every sample, as tests do)."""
    _spaces(c)
    good, _ = samples.read_stored(p.get("records") or [])
    labelled = _labelled(p)
    if labelled is None:
        labelled = c.personal.labelled if p.get("planned") else [(samples.key(s), s["label"]) for s in good]
    chosen = {k for k, _ in teach._recent(labelled)}
    todo = [s for s in good if samples.key(s) in chosen and samples.key(s) not in c.personal.cache]
    if "on" in p:
        c.personal.on = bool(p["on"])

    def fitted(new: list[str]) -> dict:
        # the page hands over the unseen samples a chunk at a time, each chunk its own message, so
        # answers to strokes go between them; the fit waits for the last (a chunk that adds nothing,
        # damaged or vanished samples, ends the wait: those are left out of the fit)
        if new and any(k not in c.personal.cache for k, _ in teach._recent(labelled)):
            return {"more": True, "features": c.personal.features_of(new), "nets": c.personal.nets}
        if not p.get("planned"):
            c.personal.fit(labelled)
        elif c.personal.fit_slice(labelled, FIT_SLICE) is None:     # the fit, too, a slice a message
            return {"more": True, "features": c.personal.features_of(new), "nets": c.personal.nets}
        c.reader.forget()                 # the number's kept answers came through the old heads
        return _state(c, heads=c.personal.kept_heads(), features=c.personal.features_of(new), nets=c.personal.nets)

    def finish(digits, digit_or_not, h, g):
        keys = [samples.key(s) for s in todo]
        c.personal.remember(keys, digits, digit_or_not, h, g)
        return fitted(keys)
    if not todo:
        return Step(fitted([]))
    batch = np.stack([np.asarray(s["image"], np.float32).reshape(1, 28, 28) / 255 for s in todo])
    return Step({}, batch.astype(np.float32), finish, features=True)


def switch(c: Controller, p: dict) -> Step:
    if p.get("reset"):
        c.personal.reset()
    elif p.get("held_out"):
        c.personal.held_out()
    else:
        c.personal.on = bool(p.get("on"))
    if not p.get("held_out"):
        c.reader.forget()
    return Step(_state(c))


ACTIONS = {
    "personal_load": load,
    "personal_plan": plan,
    "personal_features": features,
    "personal_restore": restore,
    "personal_fit": fit,
    "personal_set": switch,
}
