"""Paper style: the official converter's output on every conformance vector."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import tst
from tst.paper import format_number

#: The official converter's output on the inputs where it follows the paper's scheme (provenance: tests/data/README.md).
REFERENCE = Path(__file__).resolve().parent / "data" / "paper_conformance.jsonl"
VECTORS = [json.loads(line) for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_conformance_vectors_present() -> None:
    assert len(VECTORS) == 274
    assert all(set(v) == {"input", "output", "note"} for v in VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["input"] for v in VECTORS])
def test_format_number_conformance(vector: dict[str, str]) -> None:
    assert format_number(vector["input"]) == vector["output"]


def test_codec_paper_style_conformance(make_codec: Callable[..., tst.Codec]) -> None:
    codec = make_codec(variant="vocab", style="paper")
    mismatches = [
        (v["input"], codec.encode(v["input"]), v["output"]) for v in VECTORS if codec.encode(v["input"]) != v["output"]
    ]
    assert mismatches == []
    assert codec.encode_batch([v["input"] for v in VECTORS]) == [v["output"] for v in VECTORS]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.23e-4", "0 . 000p 123pp"),
        ("1e-7", "0 . 000p 000pp 100ppp"),
        ("6.02E23", "602e21 000e18 000q 000t 000b 000m 000k 000"),
        ("-2.5e-3", "-0 . 002p 500pp"),
        ("abc", "abc"),
        ("1e", "1e"),
    ],
)
def test_format_number_fixes(text: str, expected: str) -> None:
    assert format_number(text) == expected


def test_format_number_spaced_and_group_sizes() -> None:
    assert format_number("12345678.1234", compact=False) == "12 m 345 k 678 . 123 p 400 pp"
    assert format_number("1000000", group_size=4) == "100e4 0000"
    assert format_number("0.0045", group_size=4) == "0 . 0045p"
    with pytest.raises(TypeError):
        format_number(123)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        format_number("1", group_size=7)


def test_paper_text_does_not_merge(make_codec: Callable[..., tst.Codec]) -> None:
    codec = make_codec(variant="vocab", style="paper")
    assert codec.encode("In 2019 42 people") == "In 2k 019 42 people"
    assert codec.encode("Numbers:\n10\n20") == "Numbers:\n10\n20"
    assert codec.encode("CSV row: 1.5,2.5") == "CSV row: 1 . 500p,2 . 500p"
    assert codec.encode("Ping 192.168.0.1") == "Ping 192.168.0.1"
    spaced = make_codec(variant="marker", style="paper")
    assert spaced.encode("$1,234.5 up") == "$ 1 k 234 . 500 p up"


def test_paper_style_is_lossy(make_codec: Callable[..., tst.Codec]) -> None:
    codec = make_codec(style="paper")
    with pytest.raises(tst.TSTError, match="lossy"):
        codec.decode("1k 000")
    with pytest.raises(tst.TSTError, match="lossy"):
        codec.encode_with_offsets("1")
    nums = codec.numbers("pay $12,345.67 now")
    assert [(n.start, n.end, n.value) for n in nums] == [(5, 14, Decimal("12345.67"))]
