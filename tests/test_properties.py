"""Property tests: round trip, exact values, offsets, strict and lenient decoding."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tst
from tests.strategies import CONFIGS, numerals, tst_text


@given(text=tst_text(), config=CONFIGS)
def test_round_trip(make_codec: Callable[..., tst.Codec], text: str, config: dict[str, Any]) -> None:
    codec = make_codec(**config)
    encoded = codec.encode(text)
    assert codec.decode(encoded) == text
    assert codec.decode(encoded, strict=False) == text


@given(text=st.text(), variant=st.sampled_from(["marker", "vocab"]), group_size=st.integers(1, 6))
def test_round_trip_random_unicode(
    make_codec: Callable[..., tst.Codec], text: str, variant: str, group_size: int
) -> None:
    codec = make_codec(variant=variant, group_size=group_size)
    assert codec.decode(codec.encode(text)) == text


@given(numeral=numerals(), group_size=st.integers(1, 6), decimal=st.sampled_from([".", ","]))
def test_value_identity(make_codec: Callable[..., tst.Codec], numeral: str, group_size: int, decimal: str) -> None:
    codec = make_codec(group_size=group_size, decimal=decimal, overflow="extend", separators=None)
    text = f"({numeral})"
    for num in codec.numbers(text):
        written = text[num.start : num.end]
        digits = "".join(c for c in written if c.isascii() and c.isdigit())
        assert num.digits == digits
        with localcontext() as ctx:
            ctx.prec = 10_000  # exact: no rounding of the sum
            exact = sum(Decimal(int(g.digits)).scaleb(g.power) for g in num.groups)
        ints = "".join(g.digits for g in num.groups if g.power >= 0) or "0"
        fracs = "".join(g.digits for g in num.groups if g.power < 0)
        assert exact == Decimal(ints + "." + (fracs or "0"))
        assert num.value == exact
        assert all(1 <= len(g.digits) <= group_size for g in num.groups)
        full = [len(g.digits) == group_size for g in num.groups]
        ints_full = [f for g, f in zip(num.groups, full) if g.power >= 0]
        fracs_full = [f for g, f in zip(num.groups, full) if g.power < 0]
        assert all(ints_full[1:]) and all(fracs_full[:-1])  # only the ends may be short
        for g in num.groups:
            assert g.power % group_size == 0 if g.power >= 0 else True
            assert "".join(c for c in text[g.start : g.end] if c.isdigit()) == g.digits


@given(text=tst_text(), config=CONFIGS)
def test_offsets_map_back(make_codec: Callable[..., tst.Codec], text: str, config: dict[str, Any]) -> None:
    codec = make_codec(**config)
    encoded, pieces = codec.encode_with_offsets(text)
    assert encoded == codec.encode(text)
    enc_pos = orig_pos = 0
    for es, ee, os_, oe in pieces:
        gap_enc, gap_orig = es - enc_pos, os_ - orig_pos
        assert gap_enc >= 0 and gap_orig >= 0
        if gap_enc:
            assert gap_enc == gap_orig and encoded[enc_pos:es] == text[orig_pos:os_]
        else:  # dropped separators only
            assert not any(c.isdigit() for c in text[orig_pos:os_])
        assert encoded[es] == "⟦" and encoded[ee - 1] == "⟧" and os_ <= oe
        enc_pos, orig_pos = ee, oe
    assert encoded[enc_pos:] == text[orig_pos:]


@given(text=st.text(alphabet=st.sampled_from(list("⟦⟧0123456789kmbtqpu,.e3 2x")), max_size=30), config=CONFIGS)
def test_decode_garbage_strict_or_typed(
    make_codec: Callable[..., tst.Codec], text: str, config: dict[str, Any]
) -> None:
    codec = make_codec(**config)
    try:
        codec.decode(text)
    except tst.TSTDecodeError as err:
        assert 0 <= err.position <= len(text)
        assert str(err).startswith(f"invalid TST at position {err.position}: ")
    codec.decode(text, strict=False)  # never raises


VOCAB_UNITS = frozenset(tst.Codec(variant="vocab").vocabulary())


@given(text=tst_text())
def test_units_only_from_numbers(make_codec: Callable[..., tst.Codec], text: str) -> None:
    codec = make_codec(variant="vocab")
    encoded, pieces = codec.encode_with_offsets(text)
    vocab = VOCAB_UNITS
    for es, ee, os_, oe in pieces:
        unit = encoded[es:ee]
        if unit in ("⟦⟦⟧", "⟦⟧⟧"):
            assert text[os_:oe] in ("⟦", "⟧")
        else:
            assert unit in vocab


@pytest.mark.parametrize("variant", ["marker", "vocab"])
@pytest.mark.parametrize("group_size", [1, 2, 3, 4, 5, 6])
def test_long_digit_runs(make_codec: Callable[..., tst.Codec], variant: str, group_size: int) -> None:
    codec = make_codec(variant=variant, group_size=group_size, overflow="extend", frac_digits=2000)
    text = "1" * 1000 + "." + "9" * 1000 + " and " + "0" * 999
    assert codec.decode(codec.encode(text)) == text
    nums = codec.numbers(text)
    assert [n.value for n in nums] == [Decimal(text.split(" ")[0]), Decimal(0)]
