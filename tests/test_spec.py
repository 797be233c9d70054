"""Every example of docs/SPEC.md, checked on each engine."""

from __future__ import annotations

import ast
import doctest
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tst

SPEC = Path(__file__).resolve().parent.parent / "docs" / "SPEC.md"
ROW = re.compile(r"^\| `(?P<text>.+?)` \| (?P<numbers>.+?) \|(?: (?P<settings>\w+=[^|`]+?) \|)?$")
ITEM = re.compile(r"`(.+?)`")
ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(cell: str) -> str:
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), cell)


def _settings(cell: str | None) -> dict[str, Any]:
    """``indian=True, decimal=','`` -> keyword arguments of `tst.Codec`."""
    if not cell:
        return {}
    pairs = (item.split("=", 1) for item in cell.split(", "))
    return {key.strip(): ast.literal_eval(value.strip()) for key, value in pairs}


def _rows() -> list[tuple[str, list[str], str, dict[str, Any]]]:
    rows = []
    section = ""
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            section = line[4:]
        m = ROW.match(line)
        if m:
            expected = [_unescape(x) for x in ITEM.findall(m["numbers"])]
            rows.append((_unescape(m["text"]), expected, section, _settings(m["settings"])))
    return rows


ROWS = _rows()


def test_spec_has_grammar_tables() -> None:
    assert len(ROWS) >= 55
    assert {s.split(" ")[0] for _, _, s, _ in ROWS} >= {"2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"}


def test_settings_column_is_read() -> None:
    assert {(r[0], r[3].get("indian")) for r in ROWS} >= {("12,34,567", False), ("12,34,567", True)}


@pytest.mark.parametrize(
    ("text", "expected", "section", "settings"), ROWS, ids=[repr(r[0]) + (str(r[3]) if r[3] else "") for r in ROWS]
)
def test_grammar_table_row(
    make_codec: Callable[..., tst.Codec], text: str, expected: list[str], section: str, settings: dict[str, Any]
) -> None:
    codec = make_codec(variant="vocab", **settings)
    found = [text[n.start : n.end] for n in codec.numbers(text)]
    assert found == expected, section
    assert codec.decode(codec.encode(text)) == text


def test_spec_doctests(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tst._backend, "BACKEND", backend)
    result = doctest.testfile(str(SPEC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 20
    assert result.failed == 0


def test_readme_doctests(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tst._backend, "BACKEND", backend)
    readme = SPEC.parent.parent / "README.md"
    result = doctest.testfile(str(readme), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 5
    assert result.failed == 0
