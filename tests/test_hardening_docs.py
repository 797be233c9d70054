"""Every example of docs/hardening.md, on each engine."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import tst

DOC = Path(__file__).resolve().parent.parent / "docs" / "hardening.md"


def test_hardening_doc_examples(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tst._backend, "BACKEND", backend)
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 8
    assert result.failed == 0
