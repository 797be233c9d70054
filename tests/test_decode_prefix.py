"""Lenient decoding of what a model is still writing: prefixes, pieces, and nothing dropped.

- Prefix stability: the lenient decoding of any prefix of a valid encoding (cut between
  tokens: a unit is one token, anything else may be cut anywhere, escapes included) is a
  prefix of the text, for every configuration, on both engines.
- `IncrementalDecoder` fed any split of any text gives exactly ``decode(text, strict=False)``.
- Every digit of every group unit is kept, rendered or verbatim.
- Both engines render malformed text and text cut short identically.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tst
from tests.conftest import RUST
from tests.strategies import CONFIGS, tst_text
from tst._decode import IncrementalDecoder
from tst.spelling import CLOSE, ESCAPED_CLOSE, ESCAPED_OPEN, OPEN, UNITS_MARKER, tag_content, unit
from tst.vocabulary import magnitudes

MakeCodec = Callable[..., tst.Codec]


def tokens_of(encoded: str) -> list[str]:
    """Cut an encoding as a model emits it: each unit whole, every other character alone."""
    out: list[str] = []
    i = 0
    while i < len(encoded):
        if encoded.startswith((ESCAPED_OPEN, ESCAPED_CLOSE), i):
            out.extend(encoded[i : i + 3])  # escapes are plain text: a base tokenizer may cut them anywhere
            i += 3
        elif encoded[i] == OPEN:
            j = encoded.index(CLOSE, i) + 1
            out.append(encoded[i:j])
            i = j
        else:
            out.append(encoded[i])
            i += 1
    return out


@given(config=CONFIGS, text=tst_text())
def test_prefixes_of_an_encoding_decode_to_prefixes(make_codec: MakeCodec, config: dict[str, Any], text: str) -> None:
    codec = make_codec(**config)
    encoded = codec.encode(text)
    tokens = tokens_of(encoded)
    assert "".join(tokens) == encoded
    prefix = ""
    for token in tokens:
        prefix += token
        decoded = codec.decode(prefix, strict=False)
        assert text.startswith(decoded), (prefix, decoded)
    assert codec.decode(encoded, strict=False) == text


PINNED_PREFIXES = [
    # (codec settings, text, prefixes' decodings, one per token)
    ({"variant": "vocab"}, "1,234,567.89", ["", "1", "1,234", "1,234,567", "1,234,567.", "1,234,567.89"]),
    # The first group's digits before its marker: they precede every separator, whatever the magnitude.
    ({"variant": "marker", "indian": True}, "12,34,567", ["", "1", "1", "12,34", "12,34", "12,34,567", "12,34,567"]),
    ({"variant": "marker"}, "n 963,120", ["n", "n ", "n ", "n 963", "n 963", "n 963,120", "n 963,120"]),
    ({"variant": "vocab", "group_size": 4}, "123,456,789", ["", "1", "123,45", "123,456,789"]),
    ({"variant": "marker"}, "a⟦b⟧", ["a", "a", "a⟦", "a⟦", "a⟦b", "a⟦b", "a⟦b⟧", "a⟦b⟧"]),
]


@pytest.mark.parametrize(("settings_", "text", "expected"), PINNED_PREFIXES)
def test_pinned_prefixes(make_codec: MakeCodec, settings_: dict[str, Any], text: str, expected: list[str]) -> None:
    codec = make_codec(**settings_)
    tokens = tokens_of(codec.encode(text))
    assert [codec.decode("".join(tokens[:k]), strict=False) for k in range(1, len(tokens) + 1)] == expected


def units(config: dict[str, Any]) -> st.SearchStrategy[str]:
    """Units of the configuration (drawn, not listed: groups of 6 make millions of them)."""
    codec = tst.Codec(backend="python", **config)
    sett = codec.settings
    names = [name for name, _ in magnitudes(sett)]
    digits = st.text("0123456789", min_size=1, max_size=sett.group_size)
    tags = [unit(tag_content(sep, indian)) for sep in sett.resolved_separators for indian in (False, True)]
    if sett.variant == "vocab":
        group = st.tuples(digits, st.sampled_from(names)).map(lambda p: unit(p[0] + p[1]))
        return st.one_of(group, st.sampled_from(tags))
    markers = [unit(name or UNITS_MARKER) for name in names]
    return st.one_of(digits.map(unit), st.sampled_from(markers), st.sampled_from(tags))


def model_output(config: dict[str, Any]) -> st.SearchStrategy[str]:
    """Sequences a model could sample: units, escape pieces, decimal marks, digits, text, any order."""
    token = st.one_of(
        units(config),
        st.sampled_from(["⟦⟦⟧", "⟦⟧⟧", "⟦", "⟧", "⟦⟦", "⟦⟧", ".", ",", " ", "\n", "12", "x", "pp", "e1"]),
        st.text(max_size=3),
    )
    return st.lists(token, max_size=30).map("".join)


def texts(config: dict[str, Any]) -> st.SearchStrategy[str]:
    """Model output, encodings cut short, and encodings followed by garbage."""
    codec = tst.Codec(backend="python", **config)
    encodings = tst_text().map(codec.encode)
    cut = st.tuples(encodings, st.floats(0, 1)).map(lambda p: p[0][: int(len(p[0]) * p[1])])
    return st.one_of(model_output(config), cut, st.tuples(cut, model_output(config)).map("".join))


@given(config=CONFIGS, data=st.data())
def test_incremental_decoder_equals_lenient_decode(config: dict[str, Any], data: st.DataObject) -> None:
    codec = tst.Codec(backend="python", **config)
    text = data.draw(texts(config))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    dec = IncrementalDecoder(codec.settings)
    pieces = [dec.feed(text[a:b]) for a, b in zip([0, *cuts], [*cuts, len(text)])]
    assert "".join(pieces) + dec.finish() == codec.decode(text, strict=False)


def test_incremental_decoder_one_character_at_a_time() -> None:
    codec = tst.Codec(variant="marker", backend="python")
    text = codec.encode("Total: $12,345,678.1234 (⟦x⟧ up 3.5%) on 2024-01-15") + "⟦1⟧⟦k⟧ ⟦p⟧⟦,3⟧⟦⟦"
    dec = IncrementalDecoder(codec.settings)
    pieces = [dec.feed(c) for c in text]
    assert "".join(pieces) + dec.finish() == codec.decode(text, strict=False)
    assert pieces[-1] == ""  # a trailing ⟦⟦ waits for its third character
    with pytest.raises(ValueError, match="finish"):
        dec.feed("x")


def test_incremental_decoder_keeps_little_text() -> None:
    """What it holds stays bounded by the open unit or number, not by the length of the stream."""
    codec = tst.Codec(variant="vocab", backend="python")
    dec = IncrementalDecoder(codec.settings)
    for k in range(2000):
        chunk = codec.encode(f"row {k}: {k * 1234.5:,} ⟦ok⟧ ")
        dec.feed(chunk)
        assert dec._d.i == len(dec._d.t) <= len(chunk) + 1  # all read; the chunk and one character kept
    dec.feed("⟦" + "x" * 100)  # a ⟦ that can no longer open a unit is text at once
    assert dec._d.i == len(dec._d.t)


_TAG = re.compile(f"{OPEN}[^{OPEN}{CLOSE}0-9][23]{CLOSE}")  # a grouping tag: a separator (never a digit), 2 or 3


@given(variant=st.sampled_from(["marker", "vocab"]), data=st.data())
def test_every_digit_of_every_group_is_kept(make_codec: MakeCodec, variant: str, data: st.DataObject) -> None:
    """Units and bracket-free text in any order: digits out == digits in (grouping tags aside).

    At the end of a text, what is still open renders as far as it is known (a grouping
    tag and a first group without its marker render as nothing, SPEC section 5).
    """
    codec = make_codec(variant=variant)
    token = st.one_of(units({"variant": variant}), st.sampled_from([".", " ", "x", "7", ","]))
    text = "".join(data.draw(st.lists(token, max_size=20))) + "x"  # not cut off: nothing is left pending
    decoded = codec.decode(text, strict=False)

    def digits(s: str) -> str:
        return "".join(c for c in _TAG.sub("", s) if c.isascii() and c.isdigit())

    assert digits(decoded) == digits(text)


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
@settings(max_examples=600)
@given(config=CONFIGS, data=st.data())
def test_lenient_decode_identical_on_both_engines(config: dict[str, Any], data: st.DataObject) -> None:
    py = tst.Codec(backend="python", **config)
    rs = tst.Codec(backend="rust", **config)
    text = data.draw(texts(config))
    assert rs.decode(text, strict=False) == py.decode(text, strict=False)
    outcomes = []
    for codec in (py, rs):
        try:
            outcomes.append(("ok", codec.decode(text)))
        except tst.TSTDecodeError as exc:
            outcomes.append((str(exc.position), exc.reason))
    assert outcomes[0] == outcomes[1]
