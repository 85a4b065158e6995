"""`python -m train photos`: how well the page reads photos of handwritten numbers.

Photos are made by train/photo_make.py from MNIST **training** digits that no network was trained
on, the digit network's validation images (the test set is the networks' own report), and read
by the page's own code (digitpad.photo), with the shipped
combined network run by onnxruntime, as the page runs it. A line is read exactly when its number
is the written one, digit for digit; a photo of several lines when every line is.
"""
from __future__ import annotations

import io
import json
import time
from collections import defaultdict
from dataclasses import asdict

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageDraw

from digitpad.photo.reader import open_frame, open_photo, plan
from digitpad.segment import Params
from digitpad.views import Thresholds

from .config import PhotosConfig, resolve
from .data import load_split, mnist_dir
from .photo_make import INKS, PAPERS, make_photo
from .splits import digit_split


class PhotoReader:
    """The page's photo path in CPython: digitpad.photo + onnxruntime on the shipped graph."""

    def __init__(self, models):
        doc = json.loads((models / "models.json").read_text())
        self.sess = ort.InferenceSession(str(models / "combined.onnx"), providers=["CPUExecutionProvider"])
        self.params, self.thresholds = Params.from_models_json(doc), Thresholds.from_models_json(doc)

    def read(self, data: bytes, crop=None) -> dict:
        return self.read_photo(open_photo(data), crop)

    def read_frame(self, pixels: bytes, width: int, height: int, mode: str = "RGBA", side: int = 1200) -> dict:
        """A camera frame's pixels, as the page's worker hands them over (a luma plane: "L")."""
        return self.read_photo(open_frame(pixels, width, height, mode, side))

    def read_photo(self, photo, crop=None) -> dict:
        batch, finish = plan(photo, self.params, self.thresholds, crop)
        if batch is None:
            return finish(None, None)["view"]
        out = self.sess.run(["probabilities", "digit_or_not"], {"image": batch})
        return finish(out[0], out[1])["view"]


def _rate(hits: list[bool]) -> dict:
    return {"n": len(hits), "exact": round(sum(hits) / max(len(hits), 1), 4)}


def draw_boxes(data: bytes, view: dict, width: int = 480) -> Image.Image:
    """The photo scaled to `width`, each symbol's box and digit over it (rejected ones in orange)."""
    im = Image.open(io.BytesIO(data)).convert("RGB")
    im = im.resize((width, round(im.height * width / im.width)), Image.BILINEAR)
    d = ImageDraw.Draw(im)
    for s in view["photo"]["symbols"]:
        q = [(s["quad"][i] * im.width, s["quad"][i + 1] * im.height) for i in range(0, 8, 2)]
        colour = (230, 120, 0) if s["rejected"] else (0, 150, 60)
        d.polygon(q, outline=colour, width=2)
        if not s["rejected"]:
            d.text((q[0][0], q[0][1] - 12), str(s["digit"]), fill=colour)
    return im


def run_photos(cfg: PhotosConfig, log=print) -> dict:
    t0 = time.perf_counter()
    images, labels = load_split(mnist_dir(cfg.data_dir), "train")
    # the digit network's 5,000 validation images: of all 60,000, 55,000 trained it (it reads
    # them clean at 99.77%, its validation images at 99.64%), and training on photos would widen that
    _, va = digit_split(resolve(cfg.models_dir), len(images))
    images, labels = images[va], labels[va]
    reader = PhotoReader(resolve(cfg.models_dir))
    if cfg.forms:
        from .forms import run_forms, table as forms_table
        result, pictures = run_forms(cfg, reader, images, labels, log)
        return _write(cfg, result, pictures, "photos_forms", {"photoforms": forms_table(result)} if cfg.write_readme else {}, log)
    rng = np.random.default_rng(cfg.seed)
    by = defaultdict(list)
    digits_right = digits_total = miscounted = lines_total = 0
    cut_right = []          # (MNIST image, written digit, digit read) in lines cut into the right count
    touching = pairs = 0
    lengths = (2, 6) if cfg.touching else (1, 6)     # touching needs two digits
    misses, pictures = [], []
    for k in range(cfg.single + cfg.multi):
        multi = k >= cfg.single
        paper, ink = PAPERS[k % len(PAPERS)], list(INKS)[(k // len(PAPERS)) % len(INKS)]
        size = "phone" if rng.random() < cfg.phone else "scan"
        photo = make_photo(images, labels, rng, size, paper, ink, int(rng.integers(2, 4)) if multi else 1,
                           lengths, cfg.touching, ballpoint=cfg.ballpoint)
        touching, pairs = touching + photo.meta["touching"], pairs + photo.meta["pairs"]
        view = reader.read(photo.jpeg)
        got = [ln["number"] for ln in view["photo"]["lines"]]
        ok = got == photo.lines
        for want, have, idx in zip(photo.lines, got + [""] * len(photo.lines), photo.meta["images"]):
            have = have.replace(" ", "")       # one number a line: parted in two it is a miss, its digits counted
            lines_total += 1
            digits_total += len(want)
            miscounted += len(have) != len(want)
            digits_right += sum(a == b for a, b in zip(want, have)) if len(have) == len(want) else 0
            if len(have) == len(want):
                cut_right += [(i, int(a), int(b)) for i, a, b in zip(idx, want, have)]
        if multi:
            by["lines: 2-3"].append(ok)
        else:
            for key in ("all", f"paper: {paper}", f"ink: {ink}", f"size: {size}",
                        f"digits: {len(photo.lines[0])}"):
                by[key].append(ok)
        if not ok:
            misses.append({"photo": k, "want": photo.lines, "got": got, "paper": paper, "ink": ink, "size": size, **photo.meta})
        if len(pictures) < cfg.pictures and (multi or paper in ("form", "squared") or size == "phone"):
            pictures.append(draw_boxes(photo.jpeg, view))
        if (k + 1) % 50 == 0:
            log(f"{k + 1} photos, {time.perf_counter() - t0:.0f}s; single-line exact so far "
                f"{_rate(by['all'])['exact']:.2%}")
    result = {"config": asdict(cfg), "rates": {k: _rate(v) for k, v in sorted(by.items())},
              "lines": lines_total, "digits": digits_total,
              "digits_right": round(digits_right / max(digits_total, 1), 4),
              "cut_right": clean_read(reader, images, cut_right),
              "lines_miscounted": round(miscounted / max(lines_total, 1), 4),
              "touching": round(touching / max(pairs, 1), 4),
              "misses": misses[:50], "seconds": round(time.perf_counter() - t0)}
    name = "photos_touching" if cfg.touching else "photos_ballpoint" if cfg.ballpoint else "photos"
    sections = {"phototouch" if cfg.touching else "photoballpoint" if cfg.ballpoint else "photos": table(result)}
    return _write(cfg, result, pictures, name, sections if cfg.write_readme else {}, log)


def _write(cfg, result: dict, pictures: list, name: str, sections: dict, log) -> dict:
    """reports/<name>.json and .png; the README's and docs' sections when asked."""
    reports = resolve(cfg.reports_dir)
    reports.mkdir(parents=True, exist_ok=True)
    (reports / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n")
    runs = {n: json.loads((reports / f"{n}.json").read_text()) for n in VARIANTS if (reports / f"{n}.json").exists()}
    if sections and "photos" in runs:         # the README's rows: every variant that was run
        sections["photobrief"] = brief(runs["photos"], runs.get("photos_touching"), runs.get("photos_forms"),
                                       runs.get("photos_ballpoint"))
    if pictures:
        w, h = pictures[0].width, max(p.height for p in pictures)
        sheet = Image.new("RGB", (w * 3, h * ((len(pictures) + 2) // 3)), "white")
        for i, p in enumerate(pictures):
            sheet.paste(p, ((i % 3) * w, (i // 3) * h))
        sheet.quantize(128, method=Image.Quantize.FASTOCTREE).save(reports / f"{name}.png", optimize=True)   # for the docs
    if cfg.write_readme and sections:
        from buildtools.readme import replace_sections
        replace_sections(sections)
    log(json.dumps({k: v for k, v in result.items() if k != "misses"}))
    return result


def clean_read(reader: PhotoReader, images: np.ndarray, cut_right: list[tuple[int, int, int]]) -> dict:
    """The digits of lines cut into the right count, read on the photo and, as a yardstick, the
    very same MNIST images read clean by the same network: what the photo costs, apart from
    what the network gets wrong anyway."""
    if not cut_right:
        return {"digits": 0}
    idx, want, have = (np.array(v) for v in zip(*cut_right))
    x = (images[idx] / 255.0).astype(np.float32)[:, None]
    clean = reader.sess.run(["probabilities"], {"image": x})[0].argmax(1)
    return {"digits": len(idx), "photo_right": round(float((have == want).mean()), 5),
            "clean_right": round(float((clean == want).mean()), 5),
            "photo_wrong_clean_right": int(((have != want) & (clean == want)).sum()),
            "both_wrong": int(((have != want) & (clean != want)).sum())}


def table(r: dict) -> str:
    rates = r["rates"]
    rows = ["| photos read exactly (the page's code, shipped network) | photos | exact | target |",
            "|---|---|---|---|"]
    touching, ballpoint = r["config"].get("touching", 0.0), r["config"].get("ballpoint", False)
    target = {"all": "≥ 95%"} if touching else {"all": "≥ 97%"} if ballpoint else {"all": "≥ 97%", "lines: 2-3": "≥ 95%"}
    order = ["all"] + [k for k in rates if k.startswith("paper")] + [k for k in rates if k.startswith("ink")] + \
        [k for k in rates if k.startswith("size")] + sorted(k for k in rates if k.startswith("digits")) + ["lines: 2-3"]
    names = {"all": "**one line, all**", "lines: 2-3": "**2-3 lines (every line right)**"}
    for k in order:
        if k in rates:
            v = rates[k]
            rows.append(f"| {names.get(k, k)} | {v['n']} | {100 * v['exact']:.1f}% | {target.get(k, '')} |")
    rows.append(f"| digits read right, in {r['lines']} lines | {r['digits']} digits | {100 * r['digits_right']:.2f}% | |")
    cr = r.get("cut_right", {})
    if cr.get("digits"):
        rows.append(f"| ... in lines cut into the right count: on the photo / the same MNIST images, clean | "
                    f"{cr['digits']} digits | {100 * cr['photo_right']:.2f}% / {100 * cr['clean_right']:.2f}% | |")
    c = r["config"]
    if touching:
        gaps = (f"Each pair of neighbouring digits is written touching with probability {touching:.2f} (slid "
                f"together until their inks meet, then up to 3% of the height further): **{100 * r['touching']:.0f}%** "
                "of neighbours touch; the others are 12-50% of their height apart. ")
    else:
        gaps = "Gaps between digits are 12-50% of their height (the touching variant: `--touching 0.75`). "
    if ballpoint:
        gaps += ("Every digit is redrawn from its centre lines (the page's own tracer) with a ballpoint's even line, "
                 "3.5-7% of the digit's height wide (MNIST's pen is about 12%). ")
    name = "photos_touching" if touching else "photos_ballpoint" if ballpoint else "photos"
    command = "python -m train photos" + (f" --touching {touching} --seed {c['seed']}" if touching else
                                          f" --ballpoint --seed {c['seed']}" if ballpoint else "")
    digits = "2-6" if touching else "1-6"
    rows += ["", f"Photos made from MNIST **training** digits that no network was trained on (the digit network's "
             f"5,000 validation images) by `{command}` (seed {c['seed']}, "
             f"{r['seconds']} s): {c['single']} of one line, {digits} digits, and {c['multi']} of 2-3 lines; "
             f"{100 * c['phone']:.0f}% at phone size (4032×3024 JPEG), the rest 2 MP scans. Papers: plain, ruled, squared, "
             "a printed box (with a printed label such as \"Total:\" beside it in 60% of them); blue, black and "
             "pencil ink; uneven light, a shadow, the table beyond the paper, ±4° turn, ±3° shear, blur, noise, "
             "JPEG 60-92. " + gaps + "The writing stays clear of the picture's edge and of the table (13% of each "
             f"side). [reports/{name}.json](reports/{name}.json) lists the misses; "
             f"[reports/{name}.png](reports/{name}.png) shows some photos read."]
    return "\n".join(rows)


VARIANTS = ("photos", "photos_touching", "photos_forms", "photos_ballpoint")


def brief(r: dict, touched: dict | None = None, forms: dict | None = None, ballpoint: dict | None = None) -> str:
    """The README's few rows (and each variant's, when it was run); docs/photos.md has the whole tables."""
    rates = r["rates"]
    one, many = rates["all"], rates.get("lines: 2-3", {"n": 0, "exact": 0})
    touch = []
    if touched:
        t = touched["rates"]["all"]
        touch = [f"| one line of 2-6 digits, {100 * touched['touching']:.0f}% of neighbours **touching** ({t['n']} photos, "
                 f"seed {touched['config']['seed']}, `--touching {touched['config']['touching']}`) | **{100 * t['exact']:.1f}%** | ≥ 95% |"]
    if forms:
        f = forms["rates"]["rows"]
        touch.append(f"| **forms**: a table's rows of handwritten words and 1-2 numbers, each row's numbers and no word "
                     f"read as a digit ({f['n']} rows of {forms['config']['single']} forms, seed {forms['config']['seed']}, "
                     f"`--forms`) | **{100 * f['exact']:.1f}%** | ≥ 95% |")
    if ballpoint:
        b = ballpoint["rates"]["all"]
        touch.append(f"| one line of 1-6 digits in a **ballpoint**'s thin line ({b['n']} photos, seed "
                     f"{ballpoint['config']['seed']}, `--ballpoint`) | **{100 * b['exact']:.1f}%** | ≥ 97% |")
    return "\n".join([
        "| photos of handwritten numbers, read exactly | measured | target |", "|---|---|---|",
        f"| one line of 1-6 digits ({one['n']} photos: plain, ruled, squared paper, printed boxes; pen and pencil) | "
        f"**{100 * one['exact']:.1f}%** | ≥ 97% |",
        f"| 2-3 lines, every line right ({many['n']} photos) | **{100 * many['exact']:.1f}%** | ≥ 95% |", *touch,
        f"| digits read right ({r['digits']}) | {100 * r['digits_right']:.2f}% | – |",
        "", "Photos made from MNIST **training** digits no network was trained on (the digit network's validation "
        "images), a fifth at phone size (4032×3024), the rest 2 MP scans; "
        f"read by the page's own code and network (`python -m train photos`, seed {r['config']['seed']}, whose misses "
        "the reader was tuned on; other seeds: [docs/photos.md](docs/photos.md#other-seeds)). How a "
        "photo is read, the whole table, how fast (photos and the live camera) and a picture of photos read: "
        "[docs/photos.md](docs/photos.md)."])
