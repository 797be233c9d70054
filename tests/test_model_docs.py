"""docs/model.md: every example runs and prints what the page says."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

from tests import model_support as ms

DOC = Path(__file__).resolve().parent.parent / "docs" / "model.md"


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Iterator[None]:
    yield from ms.one_torch_thread()


def test_model_md_examples() -> None:
    result = doctest.testfile(
        str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.attempted > 20
    assert result.failed == 0
