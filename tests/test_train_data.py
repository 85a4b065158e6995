import gzip
import struct

import numpy as np
import pytest

from train.data import DataError, load_split, mnist_dir, read_idx


def write_idx(path, magic, shape, data: bytes, gz=True):
    raw = struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in shape) + data
    (gzip.open if gz else open)(path, "wb").write(raw)


def make_split(d, n=5, labels=None, images_n=None, gz=True):
    ext = ".gz" if gz else ""
    write_idx(d / f"t10k-images-idx3-ubyte{ext}", 2051, (images_n or n, 28, 28),
              np.arange((images_n or n) * 784, dtype=np.uint8).tobytes(), gz)
    lab = np.array(labels if labels is not None else [i % 10 for i in range(n)], np.uint8)
    write_idx(d / f"t10k-labels-idx1-ubyte{ext}", 2049, (len(lab),), lab.tobytes(), gz)


@pytest.mark.parametrize("gz", [True, False])
def test_reads_good_files_gzipped_or_raw(tmp_path, gz):
    make_split(tmp_path, 7, gz=gz)
    x, y = load_split(tmp_path, "test")
    assert x.shape == (7, 28, 28) and x.dtype == np.uint8 and y.tolist() == [0, 1, 2, 3, 4, 5, 6]


def test_real_mnist(mnist):
    x, y = load_split(mnist, "test")
    assert x.shape == (10000, 28, 28) and np.bincount(y).tolist()[:2] == [980, 1135]


def test_truncated_file_names_the_file(tmp_path):
    make_split(tmp_path)
    p = tmp_path / "t10k-images-idx3-ubyte.gz"
    raw = gzip.open(p).read()
    gzip.open(p, "wb").write(raw[:-100])
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte\.gz.*truncated"):
        load_split(tmp_path, "test")


def test_wrong_magic(tmp_path):
    make_split(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", 1234, (5,), bytes(5))
    with pytest.raises(DataError, match="magic number 1234"):
        load_split(tmp_path, "test")


def test_label_out_of_range(tmp_path):
    make_split(tmp_path, 3, labels=[1, 12, 3])
    with pytest.raises(DataError, match="label 12 at index 1"):
        load_split(tmp_path, "test")


def test_count_mismatch(tmp_path):
    make_split(tmp_path, 4, images_n=5)
    with pytest.raises(DataError, match="5 images but .* 4 labels"):
        load_split(tmp_path, "test")


def test_not_gzip_not_idx(tmp_path):
    (tmp_path / "x").write_bytes(b"hello")
    with pytest.raises(DataError, match="too short"):
        read_idx(tmp_path / "x")


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(DataError, match="fetch-mnist"):
        load_split(tmp_path, "train")


def test_mnist_dir_takes_the_first_complete_candidate(monkeypatch, tmp_path, mnist):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("DIGITPAD_MNIST_DIR", str(mnist))
    assert mnist_dir(empty, fetch_missing=False) == mnist          # an empty --data-dir is passed over
    monkeypatch.setenv("DIGITPAD_MNIST_DIR", str(empty))
    monkeypatch.setenv("DIGITPAD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("train.data.ROOT", tmp_path / "clone")        # a fresh clone: no ../shared
    with pytest.raises(DataError, match="fetch-mnist"):
        mnist_dir(fetch_missing=False)


def test_mnist_dir_downloads_into_the_cache_when_nothing_holds_it(monkeypatch, tmp_path, mnist):
    monkeypatch.delenv("DIGITPAD_MNIST_DIR", raising=False)
    monkeypatch.setenv("DIGITPAD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("train.data.ROOT", tmp_path / "clone")
    calls = []
    monkeypatch.setattr("train.fetch.fetch", lambda dest, log=print: calls.append(dest) or
                        [__import__("shutil").copytree(mnist, dest, dirs_exist_ok=True)])
    d = mnist_dir(log=lambda *_: None)
    assert d == tmp_path / "cache" / "mnist" and calls == [d]
    assert len(load_split(d, "test")[0]) == 10000
