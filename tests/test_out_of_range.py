"""Numbers out of range are visible: `Codec.out_of_range`, the `tst.data` counts and `tst encode -v`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tst
from tests.strategies import numerals, tst_text
from tst.data.converter import TextConverter

ROOT = Path(__file__).resolve().parent.parent
MakeCodec = Callable[..., tst.Codec]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("999999999999999999", []),  # the largest integer in range: 18 digits
        ("1000000000000000000", [(0, 19, "integer", 19)]),  # 10^18 has 19 digits
        ("0.000000000000001", []),  # 10^-15: 15 fractional digits
        ("0.0000000000000001", [(0, 18, "fraction", 16)]),
        ("3.14159265358979323846", [(0, 22, "fraction", 20)]),
        ("00000000000000000001", [(0, 20, "integer", 20)]),  # digits count as written
        ("1,000,000,000,000,000,000", [(0, 25, "integer", 19)]),
        ("x 1e-1234567890123456789", [(5, 24, "integer", 19)]),  # the exponent is its own number
        ("12345678901234567890.5", [(0, 22, "integer", 20)]),  # integer first when both
        ("a3141592653589793238462 x86_64", []),  # text words are not numbers at all
    ],
)
def test_out_of_range_rows(make_codec: MakeCodec, text: str, expected: list[tuple[int, int, str, int]]) -> None:
    codec = make_codec()
    found = codec.out_of_range(text)
    assert [(r.start, r.end, r.part, r.digits) for r in found] == expected
    assert all(isinstance(r, tst.OutOfRange) for r in found)
    encoded = codec.encode(text)
    for r in found:
        assert text[r.start : r.end] in encoded  # left as text


def test_policies(make_codec: MakeCodec) -> None:
    text = "id 1000000000000000000"
    extend = make_codec(overflow="extend")
    assert [(r.start, r.end) for r in extend.out_of_range(text)] == [(3, 22)]
    assert [(n.start, n.end) for n in extend.numbers(text)] == [(3, 22)]
    with pytest.raises(tst.TSTRangeError, match="19 integer digits"):
        make_codec(overflow="error").out_of_range(text)
    assert make_codec(style="paper").out_of_range(text) == []
    with pytest.raises(TypeError):
        make_codec().out_of_range(b"1")  # type: ignore[arg-type]


LIMITS = st.fixed_dictionaries(
    {"int_digits": st.sampled_from([1, 2, 3, 5, 18]), "frac_digits": st.sampled_from([0, 1, 3, 15])}
)


@given(limits=LIMITS, text=st.lists(st.one_of(numerals(), tst_text()), max_size=6).map(" ".join))
def test_out_of_range_is_what_encode_leaves_as_text(make_codec: MakeCodec, limits: dict[str, int], text: str) -> None:
    """Reported: the numbers `extend` encodes and `text` does not (an exponent goes with its mantissa)."""
    kept = make_codec(**limits)
    extended = make_codec(overflow="extend", **limits)
    found = kept.out_of_range(text)
    reported = {(r.start, r.end) for r in found}
    spans = {(n.start, n.end) for n in extended.numbers(text)} - {(n.start, n.end) for n in kept.numbers(text)}
    assert reported <= spans
    for a, _ in spans - reported:  # the exponent of a mantissa left as text, in range itself
        assert any(e < len(text) and text[e] in "eE" and a - e in (1, 2) for _, e in reported), (text, a)
    for r in found:
        limit = limits["int_digits"] if r.part == "integer" else limits["frac_digits"]
        assert r.digits > limit
    assert {(r.start, r.end) for r in extended.out_of_range(text)} >= reported


@given(
    limits=LIMITS, texts=st.lists(st.one_of(numerals(), tst_text()), max_size=6), threads=st.sampled_from([None, 1, 2])
)
def test_batch_equals_single_texts(
    make_codec: MakeCodec, limits: dict[str, int], texts: list[str], threads: int | None
) -> None:
    codec = make_codec(**limits)
    assert codec.out_of_range_batch(texts, num_threads=threads) == [codec.out_of_range(t) for t in texts]


@given(limits=LIMITS, texts=st.lists(st.lists(st.one_of(numerals(), tst_text()), max_size=5).map("".join), max_size=5))
def test_converter_counts_every_out_of_range_numeral(limits: dict[str, int], texts: list[str]) -> None:
    """The converter's counts equal `out_of_range` over every text."""
    codec = tst.Codec(**limits)
    conv = TextConverter(codec)
    conv.convert_batch(texts)
    parts = [r.part for t in texts for r in codec.out_of_range(t)]
    assert (conv.counts.out_of_range_integer, conv.counts.out_of_range_fraction) == (
        parts.count("integer"),
        parts.count("fraction"),
    )


def test_converter_summary_and_policies() -> None:
    conv = TextConverter(tst.Codec())
    conv.convert_batch(["1000000000000000000 and 0.0000000000000001", "ok 5"])
    assert conv.counts.summary("encode") == (
        "0 records; 2 strings (1 changed); 1 number encoded; 2 numbers left as text, out of range "
        "(1 with too many integer digits, 1 with too many fractional digits; see --int-digits, --frac-digits)"
    )
    for kwargs in ({"overflow": "extend"}, {"style": "paper"}):
        other = TextConverter(tst.Codec(**kwargs))
        other.convert_batch(["1000000000000000000"])
        assert (other.counts.out_of_range_integer, other.counts.out_of_range_fraction) == (0, 0)
    silent = TextConverter(tst.Codec(), count_numbers=False)
    silent.convert_batch(["1000000000000000000"])
    assert silent.counts.out_of_range_integer == 0


def _run(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tst", *args], input=data, capture_output=True, env=env, check=True)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_verbose_reports_out_of_range(jobs: str) -> None:
    data = b"ids 1000000000000000000 and 999999999999999999\npi 3.14159265358979323846 e 12345678901234567890\n"
    done = _run(["encode", "-v", "--jobs", jobs, "-o", "-"], data)
    assert done.stderr.decode().strip() == (
        "tst encode: 2 lines, 1 number encoded; 3 numbers left as text, out of range "
        "(2 with too many integer digits, 1 with too many fractional digits; see --int-digits, --frac-digits)"
    )
    quiet = _run(["encode", "-v", "--int-digits", "30", "--frac-digits", "30", "-o", "-"], data)
    assert quiet.stderr.decode().strip() == "tst encode: 2 lines, 4 numbers encoded"
