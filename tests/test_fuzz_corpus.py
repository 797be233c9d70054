"""The fuzz checks in CI: the committed seed corpus and every pinned finding, through both engines.

`benchmarks.fuzz.checks.check` is what the atheris harness runs on each
input (Rust == Python, lossless round trip, strict decode errors inside the
text, lenient decode never raising); the cargo fuzz targets replay the same
corpus in rust_ext/fuzz/tests/replay.rs. See benchmarks/fuzz.md.
"""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest

import tst
from benchmarks.fuzz import inputs
from benchmarks.fuzz.checks import check
from benchmarks.fuzz.make_seeds import SEED_DIR, ZERO_DIGITS_UNICODE_14, seeds
from tst._chars import is_numeric

SEEDS = sorted(SEED_DIR.iterdir()) if SEED_DIR.is_dir() else []


def test_seed_corpus_is_committed_and_current() -> None:
    assert len(SEEDS) >= 100, "run `python -m benchmarks.fuzz.make_seeds`"
    on_disk = {p.read_bytes() for p in SEEDS}
    assert set(seeds()) <= on_disk, "seed corpus is stale: run `python -m benchmarks.fuzz.make_seeds`"


def test_zero_digits_are_unicode_14s() -> None:
    """The seeds' digit scripts are Unicode 14.0's (the grammar's tables), whatever the interpreter's Unicode."""
    assert all(is_numeric(chr(z)) for z in ZERO_DIGITS_UNICODE_14)  # in the frozen tables
    here = {
        c
        for c in range(0x110000)
        if unicodedata.category(chr(c)) == "Nd" and unicodedata.digit(chr(c)) == 0 and is_numeric(chr(c))
    }
    if tuple(map(int, unicodedata.unidata_version.split("."))) >= (14, 0, 0):
        assert here == set(ZERO_DIGITS_UNICODE_14)  # later versions add scripts, outside the frozen tables
    else:
        assert here < set(ZERO_DIGITS_UNICODE_14)  # Python 3.10: Unicode 13.0 lacks Tangsa (U+16AC0)


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:10] for p in SEEDS])
def test_seed(path: Path) -> None:
    check(path.read_bytes())


def test_header_bytes_pick_every_configuration() -> None:
    """`header` is the inverse of `config`, and every header makes a valid codec."""
    for variant, g, decimal, indian, overflow, style in itertools.product(
        ["marker", "vocab"], range(1, 7), [".", ","], [True, False], ["text", "extend", "error"], ["exact", "paper"]
    ):
        h = inputs.header(variant, g, decimal=decimal, indian=indian, overflow=overflow, style=style, separators=7)
        cfg = inputs.config(h)
        assert (cfg["variant"], cfg["group_size"], cfg["decimal"], cfg["indian"]) == (variant, g, decimal, indian)
        assert (cfg["overflow"], cfg["style"]) == (overflow, style)
        assert decimal not in cfg["separators"]
    for a, b in itertools.product(range(256), [0, 7, 0x3F, 0xFF]):
        tst.Codec(**inputs.config(bytes([a, b, a & 1])), backend="python")


def test_text_bytes_keep_surrogates_and_map_bad_bytes() -> None:
    assert inputs.text(inputs.to_bytes("a\ud800€\U0001f642")) == "a\ud800€\U0001f642"
    assert inputs.text(b"\xff1\xe2\x9f\xc0\x80") == "\xff1\xe2\x9f\xc0\x80"
    assert inputs.text(b"\xf4\x90\x80\x80") == "\xf4\x90\x80\x80"  # above U+10FFFF: bytes as code points
