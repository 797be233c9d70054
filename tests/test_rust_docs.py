"""docs/rust.md: every example runs on the Rust engine and prints what the page says."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import tst
from tests.conftest import RUST

DOC = Path(__file__).resolve().parent.parent / "docs" / "rust.md"


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
@pytest.mark.skipif(tst.backend() != "rust", reason="TST_BACKEND forces the pure-Python engine; the page shows Rust")
def test_rust_md_examples() -> None:
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 14
    assert result.failed == 0
