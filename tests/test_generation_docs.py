"""Every example of docs/generation.md runs and prints what the page shows, on each engine."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("torch")

import tst
from tests import model_support as ms

DOC = Path(__file__).resolve().parent.parent / "docs" / "generation.md"


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    yield from ms.one_torch_thread()


def test_generation_doc_examples(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tst._backend, "BACKEND", backend)
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 25
    assert result.failed == 0
