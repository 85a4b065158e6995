"""The non-digit generator: what it makes, what it never makes, and the held-out split."""

import numpy as np

from digitpad.segment import Params, layout
from train.hand_fonts import FONTSOURCE_HELDOUT, family, handwriting_fonts, is_heldout
from train.negatives import CHARS, EXCLUDED, LOOKALIKES, SHAPES, fonts, generate, glyph_strokes
from train.trace import image_to_strokes, thin


def test_lookalikes_are_never_negatives():
    for digit, chars in LOOKALIKES.items():
        for c in chars:
            assert c not in CHARS, f"{c!r} looks like {digit} and must not be a negative"
    for c in "OoIl|SZzBgqbG":
        assert c in EXCLUDED
    assert not any(c.isdigit() for c in CHARS)


def test_heldout_fonts_are_disjoint_from_training_fonts():
    train, held = fonts(False), fonts(True)
    assert len(train) >= 10 and len(held) >= 3
    assert not set(train) & set(held)
    assert all(is_heldout(p) for p in held) and not any(is_heldout(p) for p in train)
    # letters and words (written.py) add the npm families, print and joined hands on both sides
    npm_train, npm_held = handwriting_fonts(False), handwriting_fonts(True)
    assert {family(p) for p in npm_held} >= set(FONTSOURCE_HELDOUT)
    assert {"caveat", "sacramento"} <= {family(p) for p in npm_train}
    assert not any(is_heldout(p) for p in npm_train) and all(is_heldout(p) for p in npm_held)


def test_generate_contract_and_determinism():
    x, kinds = generate(60, seed=5)
    assert x.shape == (60, 1, 28, 28) and x.dtype == np.float32
    assert 0 <= x.min() and x.max() <= 1 and (x.reshape(60, -1).sum(1) >= 3).all()
    assert {"glyph"} <= set(kinds) and len(set(kinds)) > 5
    y, _ = generate(60, seed=5)
    assert np.array_equal(x, y)
    z, _ = generate(60, seed=6)
    assert not np.array_equal(x, z)


def test_heldout_generation_uses_heldout_fonts_and_hands_only(monkeypatch):
    import train.negatives as neg
    used = []
    for name in ("glyph_strokes", "hand_strokes"):
        real = getattr(neg, name)
        monkeypatch.setattr(neg, name, lambda font, char, real=real: used.append(font) or real(font, char))
    x, kinds = generate(60, seed=9, heldout=True)
    assert x.shape[0] == 60 and {"glyph", "hand"} <= set(kinds)
    assert used and all(f in neg.HELDOUT_HANDS or is_heldout(f) for f in used)
    used.clear()
    generate(60, seed=9)
    assert used and not any(f in neg.HELDOUT_HANDS or is_heldout(f) for f in used)


def test_glyphs_trace_to_strokes():
    f = str(fonts(False)[0])
    s = glyph_strokes(f, "A")
    assert 1 <= len(s) <= 8 and all(st.points.shape[1] == 2 for st in s)


def test_shapes_are_polylines():
    rng = np.random.default_rng(0)
    for name, make in SHAPES.items():
        polys = make(rng)
        assert polys and all(np.asarray(p).ndim == 2 and np.asarray(p).shape[1] == 2 for p in polys), name


def test_thinning_gives_one_pixel_lines():
    m = np.zeros((20, 20), bool)
    m[5:15, 8:12] = True              # a bar 4 px wide
    sk = thin(m)
    assert sk.sum() >= 6 and sk[:, :].sum(axis=1).max() <= 2


def test_traced_mnist_digits_are_one_atom(mnist_test):
    x, _ = mnist_test
    counts = [len(layout(image_to_strokes(x[i] / 255.0), Params()).atoms) for i in range(200)]
    assert sum(c == 1 for c in counts) >= 196, counts   # a traced digit is one symbol
