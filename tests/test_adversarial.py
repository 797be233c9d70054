"""Adversarial and huge inputs, on both engines: what crawled text can throw at the codec.

Sizes are reduced for CI (the pure-Python engine is the slow one); the full
sizes (a 100 MB line of digits, 10^6 numbers) run in
benchmarks/bench_adversarial.py, and growth rates in tests/test_linear.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

import tst
from tests.conftest import RUST
from tst._chars import is_numeric
from tst.errors import TSTRangeError

MakeCodec = Callable[..., tst.Codec]

#: Per engine: how big "huge" is here (the Python engine runs ~100x slower).
SCALE = {"rust": 1.0, "python": 0.02}


def size(backend: str, n: int) -> int:
    return max(1, int(n * SCALE[backend]))


def spans(codec: tst.Codec, text: str) -> list[str]:
    return [text[n.start : n.end] for n in codec.numbers(text)]


def round_trips(codec: tst.Codec, text: str) -> str:
    encoded = codec.encode(text)
    assert codec.decode(encoded) == text
    assert codec.decode(encoded, strict=False) == text
    return encoded


# -- huge -------------------------------------------------------------------


def test_long_line_of_digits_stays_text(make_codec: MakeCodec, backend: str) -> None:
    text = "1234567890" * size(backend, 800_000)  # 8 MB on the Rust engine
    codec = make_codec(variant="vocab")
    assert round_trips(codec, text) == text  # out of range: unchanged
    assert codec.numbers(text) == []
    with pytest.raises(TSTRangeError, match=r"^number at position 0 is out of range: \d+ integer digits"):
        make_codec(overflow="error").encode(text)


def test_long_line_of_digits_extended(make_codec: MakeCodec, backend: str) -> None:
    text = "9" * size(backend, 3_000_000)
    codec = make_codec(variant="vocab", overflow="extend")
    encoded = round_trips(codec, text)
    groups = -(-len(text) // 3)
    assert encoded.count("⟦") == groups
    assert encoded.endswith("⟦999⟧") and encoded.startswith(f"⟦{'9' * (len(text) % 3 or 3)}e{3 * (groups - 1)}⟧")


def test_million_digit_number_in_range(make_codec: MakeCodec, backend: str) -> None:
    digits = ("31415926535" * 100_000)[: size(backend, 1_000_000)]
    text = f"pi ~ {digits}.5 end"
    codec = make_codec(variant="marker", int_digits=len(digits))
    round_trips(codec, text)
    (num,) = codec.numbers(text)
    assert (num.start, num.end) == (5, 5 + len(digits) + 2)
    assert num.digits == digits + "5"
    assert num.groups[0].power == len(digits) - len(num.groups[0].digits)
    assert num.groups[-1].power == -1


def test_a_million_tiny_numbers(make_codec: MakeCodec, backend: str) -> None:
    n = size(backend, 1_000_000)
    text = "7 " * n
    codec = make_codec(variant="marker")
    encoded = round_trips(codec, text)
    assert encoded == "⟦7⟧⟦u⟧ " * n
    # numbers() and offsets build Python objects per number: a tenth of the size is enough here.
    m = n // 10
    assert len(codec.numbers(text[: 2 * m])) == m
    group, marker = codec.encode_with_offsets(text[: 2 * m])[1][-2:]
    assert group == (7 * m - 7, 7 * m - 4, 2 * m - 2, 2 * m - 1)
    assert marker == (7 * m - 4, 7 * m - 1, 2 * m - 1, 2 * m - 1)  # zero-width in the original


# -- pathological shapes ----------------------------------------------------


@pytest.mark.parametrize(
    ("head", "unit", "tail", "expected"),
    [
        ("1,", "1,", "1", "1"),  # deeply repeated separators: all separate numbers
        ("1,", "234,", "5", None),  # a grouping that fails only at its very end
        ("12,", "34,", "34", "34"),  # Indian-looking run without its final three
        ("1.", "1.", "1", "1"),  # one long chain
        ("", "11,22,33,44,55 ", "", None),
        ("", "1'2'3'", "", None),
    ],
)
def test_repeated_separators(
    make_codec: MakeCodec, backend: str, head: str, unit: str, tail: str, expected: str | None
) -> None:
    text = head + unit * size(backend, 200_000) + tail
    codec = make_codec(variant="vocab")
    round_trips(codec, text)
    text = head + unit * size(backend, 20_000) + tail  # numbers() builds an object per number
    found = spans(codec, text)
    assert "".join(found) == "".join(c for c in text if c.isdigit())  # nothing merged, nothing lost
    assert all(len(f) <= 3 for f in found)
    if expected is not None:
        assert set(found[1:]) == {expected}
    py = tst.Codec(variant="vocab", backend="python")
    small = head + unit * 300 + tail
    assert codec.encode_with_offsets(small) == py.encode_with_offsets(small)


MARKER_LIKE = ["⟦u⟧", "⟦k⟧", "⟦1k⟧", "⟦,3⟧", "⟦⟦⟧", "⟦⟧⟧", "⟦", "⟧", "⟦⟧", "⟦12⟧⟦m⟧", "⟦5pp⟧"]


def test_alternating_marker_like_strings_are_escaped(make_codec: MakeCodec, backend: str) -> None:
    text = " ".join(MARKER_LIKE) * size(backend, 20_000)
    codec = make_codec(variant="marker")
    encoded, pieces = codec.encode_with_offsets(text)
    assert codec.decode(encoded) == text
    brackets = [k for k, c in enumerate(text) if c in "⟦⟧"]
    escapes = [(a, b) for a, b, oa, ob in pieces if ob == oa + 1 and text[oa] in "⟦⟧"]
    assert len(escapes) == len(brackets)  # every literal bracket is an escape, none is a unit
    units = [encoded[a:b] for a, b, oa, ob in pieces if not (ob == oa + 1 and text[oa] in "⟦⟧")]
    assert set(units) <= {"⟦1⟧", "⟦u⟧", "⟦12⟧", "⟦5⟧", "⟦3⟧"}  # only the digits became units


# -- characters -------------------------------------------------------------

#: The zero of every decimal digit script the frozen Unicode tables know.
DIGIT_ZEROS = [
    chr(c)
    for c in range(0x110000)
    if unicodedata.category(chr(c)) == "Nd" and unicodedata.digit(chr(c)) == 0 and is_numeric(chr(c))
]


def test_every_unicode_digit_script_stays_text(make_codec: MakeCodec) -> None:
    assert len(DIGIT_ZEROS) >= 60
    codec = make_codec(variant="vocab")
    rows = []
    for zero in DIGIT_ZEROS:
        if zero == "0":
            continue
        d = "".join(chr(ord(zero) + k) for k in range(10))
        rows += [d, f"{d[1:4]}.{d[5]}", f"{d[1]},{d[2:5]}", f"12{d[3]}", f"{d[1]}5", f"5{d[1]}", f"x {d[1:3]} y"]
    text = "\n".join(rows)
    assert codec.numbers(text) == []
    assert round_trips(codec, text) == text


def test_ascii_digits_next_to_other_scripts(make_codec: MakeCodec) -> None:
    codec = make_codec(variant="vocab")
    assert spans(codec, "١٢٣ 456 ٧٨٩") == ["456"]
    assert spans(codec, "(١٢) 1,234") == ["1,234"]


SURROGATES = "a\ud800 12\udfff,5 \udbff\udc00 ⟦\ud834⟧ 3\ud800.5"


def test_lone_surrogates_are_plain_non_word_characters(make_codec: MakeCodec) -> None:
    codec = make_codec(variant="vocab")
    round_trips(codec, SURROGATES)
    assert spans(codec, "12\ud800") == ["12"]
    assert spans(codec, "\ud80012") == ["12"]
    assert spans(codec, "1\ud800234") == ["1", "234"]  # never a separator
    assert codec.encode("\udfff7\ud800") == "\udfff⟦7⟧\ud800"
    _, pieces = codec.encode_with_offsets("\ud800\ud800 ⟦ 1")
    assert pieces == [(3, 6, 3, 4), (7, 10, 5, 6)]
    assert codec.decode("⟦1⟧\ud800", strict=False) == "1\ud800"


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
def test_surrogates_identical_on_both_engines() -> None:
    py = tst.Codec(variant="marker", backend="python")
    rs = tst.Codec(variant="marker", backend="rust")
    for method in ("encode", "encode_with_offsets", "numbers"):
        assert getattr(rs, method)(SURROGATES) == getattr(py, method)(SURROGATES)
    garbage = "⟦\ud800⟧ ⟦1\udfff⟧"
    assert rs.decode(garbage, strict=False) == py.decode(garbage, strict=False)
    with pytest.raises(tst.TSTDecodeError) as a:
        rs.decode(garbage)
    with pytest.raises(tst.TSTDecodeError) as b:
        py.decode(garbage)
    assert str(a.value) == str(b.value) == "invalid TST at position 0: unknown unit '⟦\\ud800⟧'"


CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F, 0x85, 0x2028, 0x2029, 0xFEFF, 0x200B])


def test_nul_and_control_characters(make_codec: MakeCodec) -> None:
    codec = make_codec(variant="marker")
    text = "1".join(CONTROLS) + "\x00" * 1000 + "2\x003"
    round_trips(codec, text)
    assert spans(codec, "1\x002\x1f3\x7f4") == ["1", "2", "3", "4"]
    assert spans(codec, "1,\x00234") == ["1", "234"]
    with pytest.raises(ValueError, match="cannot be a thousands separator"):
        make_codec(separators=",\n")


def test_crlf_and_lone_cr_are_kept_and_split_numbers(make_codec: MakeCodec) -> None:
    codec = make_codec(variant="vocab")
    text = "1,234\r\n5,678\r9.5\r\r\n\n12\r,345"
    encoded = round_trips(codec, text)
    assert encoded == "⟦,3⟧⟦1k⟧⟦234⟧\r\n⟦,3⟧⟦5k⟧⟦678⟧\r⟦9⟧.⟦5p⟧\r\r\n\n⟦12⟧\r,⟦345⟧"
    assert spans(codec, "1\r234\n5") == ["1", "234", "5"]
    assert codec.decode("⟦1k⟧\r\n⟦234⟧", strict=False) == "⟦1k⟧\r\n234"
    with pytest.raises(tst.TSTDecodeError, match="position 4: number cut short"):
        codec.decode("⟦1k⟧\r\n⟦234⟧")
