"""Decoding what a model generates: strict names a position, lenient never raises, engines agree.

Model output is built from the codec's own vocabulary (the tokens a model
trained on TST can emit) in orders no encoder writes: a marker without its
group, groups out of order, a fused token after a fraction's end, units cut
in half by a token limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tst
from tests.conftest import RUST
from tests.strategies import CONFIGS, tst_text
from tst.errors import TSTDecodeError
from tst.spelling import CLOSE, ESCAPED_CLOSE, ESCAPED_OPEN, OPEN

MakeCodec = Callable[..., tst.Codec]

# (variant, generated text, position of the strict error, start of its reason, lenient result)
GARBAGE = [
    ("marker", "cost ⟦k⟧ dollars", 5, "marker 'k' has no digit group before it", "cost ⟦k⟧ dollars"),
    # A vocab-variant unit in marker output: unknown, kept whole (its digits were once dropped).
    ("marker", "⟦1k⟧⟦2⟧⟦u⟧", 0, "unknown unit '⟦1k⟧'", "⟦1k⟧2"),
    ("marker", "⟦12⟧ is alone", 4, "digit group '12' is not followed by its marker", "⟦12⟧ is alone"),
    ("marker", "⟦12⟧⟦zz⟧", 4, "unknown marker 'zz' after digit group '12'", "⟦12⟧⟦zz⟧"),
    ("marker", "⟦1⟧⟦k⟧⟦2⟧⟦m⟧⟦345⟧⟦u⟧", 6, "group out of order: expected 3 digits of 10^0", "⟦1⟧⟦k⟧⟦2⟧⟦m⟧⟦345⟧⟦u⟧"),
    ("vocab", "⟦1k⟧⟦2m⟧⟦345⟧", 4, "group out of order: expected 3 digits of 10^0, got '2' of 10^6", "⟦1k⟧⟦2m⟧⟦345⟧"),
    ("vocab", "⟦5⟧⟦7⟧", 3, "group out of order: a number cannot start right after another group", "5⟦7⟧"),
    ("vocab", "⟦3⟧.⟦14p⟧⟦2k⟧⟦000⟧", 9, "group out of order: a number cannot start right after", "3.14⟦2k⟧⟦000⟧"),
    ("vocab", "⟦3⟧.⟦14p⟧⟦15p⟧", 9, "fractional group without a decimal mark before it", "3.14⟦15p⟧"),
    ("vocab", "⟦3⟧.⟦141p⟧⟦5ppp⟧", 10, "group out of order: depth-3 group must follow a full depth-2", "3.141⟦5ppp⟧"),
    ("vocab", "⟦3⟧.⟦14p⟧⟦5pp⟧", 9, "group out of order: depth-2 group must follow a full depth-1 group", "3.14⟦5pp⟧"),
    ("vocab", "x⟦5p⟧", 1, "fractional group not preceded by the decimal mark '.'", "x⟦5p⟧"),
    ("vocab", "⟦12k", 0, "'⟦' without its closing '⟧'", "⟦12k"),
    ("vocab", "⟦12k⟧⟦34", 5, "'⟦' without its closing '⟧'", "⟦12k⟧⟦34"),
    ("vocab", "total ⟦1k⟧", 10, "number cut short: expected its group of 10^0", "total 1"),
    ("vocab", "⟦,3⟧ and", 0, "grouping tag not followed by a number", "⟦,3⟧ and"),
    ("vocab", "⟦,3⟧⟦12⟧", 0, "grouping tag on a number of 2 digits (needs at least 4)", "⟦,3⟧12"),
    ("vocab", "⟦1234k⟧⟦567⟧", 0, "digit group '1234' is longer than the group size 3", "⟦1234k⟧⟦567⟧"),
    ("vocab", "⟦e18⟧", 0, "unknown unit '⟦e18⟧'", "⟦e18⟧"),
    ("vocab", "⟦⟧ ⟧", 0, "empty unit", "⟦⟧ ⟧"),
    ("vocab", "a ⟧ b", 2, "unescaped '⟧'", "a ⟧ b"),
    # A plain digit glued to a number (a reader reads it as part of the number); lenient decodes the units.
    ("vocab", "Total: ⟦,3⟧⟦1k⟧⟦234⟧55", 20, "digit '5' glued after a number", "Total: 1,23455"),
    ("vocab", "⟦12⟧3", 4, "digit '3' glued after a number", "123"),
    ("vocab", "⟦3⟧.⟦14p⟧5", 9, "digit '5' glued after a number", "3.145"),
    ("marker", "⟦12⟧⟦u⟧3", 7, "digit '3' glued after a number", "123"),
    ("vocab", "1⟦234⟧", 1, "number glued after the digit '1'", "1234"),
    ("vocab", "5⟦,3⟧⟦1k⟧⟦234⟧", 1, "number glued after the digit '5'", "51,234"),
    ("vocab", "3.⟦14p⟧", 2, "fractional group after the digit '3' and the decimal mark '.'", "3.14"),
    ("marker", "3.⟦14⟧⟦p⟧", 2, "fractional group after the digit '3' and the decimal mark '.'", "3.14"),
    # A number glued right after another through its grouping tag (the units say 12 and 1,000).
    ("vocab", "⟦12⟧⟦,3⟧⟦1k⟧⟦000⟧", 4, "group out of order: a number cannot start right after", "12⟦,3⟧⟦1k⟧⟦000⟧"),
    ("marker", "⟦12⟧⟦u⟧⟦,3⟧⟦1⟧⟦k⟧⟦000⟧⟦u⟧", 7, "group out of order: a number cannot start", "12⟦,3⟧⟦1⟧⟦k⟧⟦000⟧⟦u⟧"),
    # A grouping whose first digit is 0 (a reader reads 0 and 234); lenient keeps the tag.
    ("vocab", "⟦,3⟧⟦0k⟧⟦234⟧", 0, "grouping tag on a number whose first digit is 0", "⟦,3⟧0234"),
    ("marker", "⟦,3⟧⟦012⟧⟦k⟧⟦345⟧⟦u⟧", 0, "grouping tag on a number whose first digit is 0", "⟦,3⟧012345"),
]


@pytest.mark.parametrize(("variant", "text", "position", "reason", "lenient"), GARBAGE)
def test_generated_garbage(
    make_codec: MakeCodec, variant: str, text: str, position: int, reason: str, lenient: str
) -> None:
    codec = make_codec(variant=variant)
    with pytest.raises(TSTDecodeError) as info:
        codec.decode(text)
    assert (info.value.position, info.value.reason[: len(reason)]) == (position, reason)
    assert 0 <= info.value.position <= len(text)
    assert codec.decode(text, strict=False) == lenient


def test_truncated_generations(make_codec: MakeCodec) -> None:
    """A model stopped by its token limit: every prefix of a valid encoding."""
    codec = make_codec(variant="marker")
    encoded = codec.encode("Total: $12,345,678.1234 (up 3.5%) on 2024-01-15")
    for cut in range(len(encoded) + 1):
        prefix = encoded[:cut]
        try:
            decoded = codec.decode(prefix)
        except TSTDecodeError as exc:
            assert 0 <= exc.position <= cut
        else:
            assert codec.encode(decoded) == prefix  # a valid prefix is a complete encoding
        assert isinstance(codec.decode(prefix, strict=False), str)


def model_output(vocab: list[str]) -> st.SearchStrategy[str]:
    """Token sequences a model could sample: units of the vocabulary, escapes and text, any order."""
    token = st.one_of(
        st.sampled_from(vocab),
        st.sampled_from(["⟦⟦⟧", "⟦⟧⟧", "⟦", "⟧", ".", ",", " ", "\n", "$", "%", "-", "e", "x", "12"]),
        st.text(max_size=3),
    )
    return st.lists(token, max_size=24).map("".join)


@cache
def vocabulary(variant: str, group_size: int = 3) -> list[str]:
    return tst.Codec(variant=variant, group_size=group_size, backend="python").vocabulary()


#: Enough generated sequences per run to cover every decoder rule; bounded for CI time.
FEW = settings(max_examples=400)


@FEW
@given(variant=st.sampled_from(["marker", "vocab"]), data=st.data())
def test_model_output_strict_or_lenient(make_codec: MakeCodec, variant: str, data: st.DataObject) -> None:
    codec = make_codec(variant=variant)
    text = data.draw(model_output(vocabulary(variant)))
    lenient = codec.decode(text, strict=False)
    try:
        strict = codec.decode(text)
    except TSTDecodeError as exc:
        assert 0 <= exc.position <= len(text)
    else:
        assert strict == lenient


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
@FEW
@given(variant=st.sampled_from(["marker", "vocab"]), group_size=st.sampled_from([2, 3, 4]), data=st.data())
def test_model_output_identical_on_both_engines(variant: str, group_size: int, data: st.DataObject) -> None:
    py = tst.Codec(variant=variant, group_size=group_size, backend="python")
    rs = tst.Codec(variant=variant, group_size=group_size, backend="rust")
    text = data.draw(model_output(vocabulary(variant, group_size)))
    assert rs.decode(text, strict=False) == py.decode(text, strict=False)
    errors = []
    for codec in (py, rs):
        try:
            errors.append(("ok", codec.decode(text)))
        except TSTDecodeError as exc:
            errors.append((exc.position, exc.reason))
    assert errors[0] == errors[1]


# -- digits glued to a number --------------------------------------------------------
#
# The class: a plain ASCII digit that touches a number's units (right after its last unit,
# right before its first one, or before the decimal mark of a fraction with no integer
# part). The encoder never writes one (a digit run is read whole), and a reader of the
# decoded text would read the digit as part of the number: strict decoding rejects it.


def _unit_runs(encoded: str, pieces: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """The units of `encoded` (escapes left out) in runs of adjacent ones: one run per number part."""
    runs: list[list[tuple[int, int, int, int]]] = []
    for piece in pieces:
        if encoded[piece[0] : piece[1]] in (ESCAPED_OPEN, ESCAPED_CLOSE):
            continue
        if runs and runs[-1][-1][1] == piece[0]:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


@settings(max_examples=150)
@given(config=CONFIGS, text=tst_text(), digit=st.sampled_from("0123456789"), data=st.data())
def test_a_digit_glued_to_a_number_is_rejected(
    make_codec: MakeCodec, config: dict[str, Any], text: str, digit: str, data: st.DataObject
) -> None:
    codec = make_codec(**config)
    mark = codec.settings.decimal
    encoded, pieces = codec.encode_with_offsets(text)
    runs = _unit_runs(encoded, [tuple(p) for p in pieces])
    assume(runs)
    run = data.draw(st.sampled_from(runs))
    (start, _, orig_start, _), (_, end, _, orig_end) = run[0], run[-1]
    fraction = re.fullmatch(f"{OPEN}[0-9]*p+{CLOSE}", encoded[start : run[1][1] if len(run) > 1 else end])
    cases = [(end, end, orig_end, f"digit {digit!r} glued after a number")]
    if encoded[start - 1 : start] != mark:
        cases.append((start, start + 1, orig_start, f"number glued after the digit {digit!r}"))
    elif fraction and encoded[start - 2 : start - 1] != CLOSE:  # a fraction with no integer part
        cases.append((start - 1, start + 1, orig_start - 1, f"fractional group after the digit {digit!r}"))
    for at, position, orig, reason in cases:
        glued = encoded[:at] + digit + encoded[at:]
        with pytest.raises(TSTDecodeError) as info:
            codec.decode(glued)
        assert (info.value.position, info.value.reason[: len(reason)]) == (position, reason), glued
        assert codec.decode(glued, strict=False) == text[:orig] + digit + text[orig:]  # lenient: as before


# -- a number that reads differently than its units say ---------------------------------
#
# Two more shapes of the same class (a reader of the decoded text reads another number than
# the units say), neither of which the encoder writes: a number glued to the end of another
# through its grouping tag, a grouping whose first digit is 0.

INTEGERS = st.one_of(st.integers(0, 10**12).map(str), st.integers(1000, 10**12).map("{:,}".format))


@settings(max_examples=100)
@given(config=CONFIGS, text=tst_text(), number=INTEGERS, data=st.data())
def test_a_number_glued_after_another_is_rejected(
    make_codec: MakeCodec, config: dict[str, Any], text: str, number: str, data: st.DataObject
) -> None:
    codec = make_codec(**{**config, "decimal": "."})
    encoded, pieces = codec.encode_with_offsets(text)
    runs = _unit_runs(encoded, [tuple(p) for p in pieces])
    inserted = codec.encode(number)
    assume(runs and inserted.startswith(OPEN))
    end = data.draw(st.sampled_from(runs))[-1][1]
    glued = encoded[:end] + inserted + encoded[end:]
    with pytest.raises(TSTDecodeError) as info:
        codec.decode(glued)
    assert info.value.position == end and info.value.reason.startswith("group out of order"), glued


@settings(max_examples=100)
@given(
    config=CONFIGS,
    head=st.integers(0, 99),
    groups=st.lists(st.integers(0, 999), min_size=1, max_size=4),
    before=st.sampled_from(["", "x ", "Pay $", "("]),
)
def test_a_grouping_that_starts_with_zero_is_rejected(
    make_codec: MakeCodec, config: dict[str, Any], head: int, groups: list[int], before: str
) -> None:
    codec = make_codec(**{**config, "indian": False, "group_size": 3})
    sep = codec.settings.resolved_separators[0]
    written = before + sep.join(["1" + str(head), *(f"{g:03d}" for g in groups)])
    encoded = codec.encode(written)
    tag = encoded.find(OPEN + sep)
    assume(tag >= 0)
    first = encoded.index(OPEN, tag + 1) + 1  # the first digit of the number's first group
    zeroed = encoded[:first] + "0" + encoded[first + 1 :]
    with pytest.raises(TSTDecodeError) as info:
        codec.decode(zeroed)
    assert info.value.position == tag
    assert info.value.reason.startswith("grouping tag on a number whose first digit is 0")
