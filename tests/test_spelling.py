"""One table of spellings per engine, checked against each other; every unit regex follows the table."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tst
import tst.spelling as spelling
from tst import _backend

ROOT = Path(tst.__file__).resolve().parent


def test_rust_table_equals_python_table() -> None:
    if _backend.RUST is None:
        pytest.fail("the Rust extension is not built: its spelling table cannot be compared")
    assert spelling.table() == _backend.RUST.SPELLING


def test_the_names_every_pattern_matches_are_the_names_the_codec_writes() -> None:
    import re

    names = re.compile(f"(?:{spelling.int_name_pattern()})|(?:{spelling.frac_name_pattern()})")
    for g in range(1, 7):
        for power in range(g, 60, g):
            assert names.fullmatch(spelling.int_name(power, g))
        assert not names.fullmatch(spelling.int_name(0, g))
    for depth in range(1, 20):
        assert names.fullmatch(spelling.frac_name(depth))
    assert not names.fullmatch("e06") and not names.fullmatch("x")


# A new magnitude letter is one edit of tst/spelling.py: the pure-Python engine, the vocabulary,
# the number counter of tst.data, the WordPiece glue and the native rules of route 3 all follow.
_CHECK = r"""
import re
from tst import Codec
from tst.data.counting import NumberCounter
from tst.hf._glue import _kind
from tst.hf import _native_rules

codec = Codec("vocab", int_digits=21)
text = "a 1234567890123456789 b"
enc = codec.encode(text)
assert "\u27e61z\u27e7" in enc, enc
assert codec.decode(enc) == text
assert "\u27e61z\u27e7" in codec.vocabulary()
assert NumberCounter(codec.settings).count(enc) == 1
assert _kind("1z") == ("gint", 0)
rules = _native_rules.build_rules(codec.settings)
assert any("z" in r.content for r in rules.normalizer)
assert any("|z|" in r.pattern for r in _native_rules.decode_rules(codec.settings))  # the settings' names, listed
marker = Codec("marker", int_digits=21)
assert marker.decode(marker.encode(text)) == text and "\u27e6z\u27e7" in marker.encode(text)
print("ok")
"""


def test_a_new_magnitude_letter_is_a_one_table_change(tmp_path: Path) -> None:
    copy = tmp_path / "tst"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    source = (copy / "spelling.py").read_text(encoding="utf-8")
    assert source.count('LETTERS = "kmbtq"') == 1
    (copy / "spelling.py").write_text(source.replace('LETTERS = "kmbtq"', 'LETTERS = "kmbtqz"'), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "TST_BACKEND": "python"}
    run = subprocess.run(
        [sys.executable, "-c", _CHECK], env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
