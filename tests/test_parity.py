"""Differential tests: the Rust engine must match the pure-Python spec exactly.

Hypothesis drives both engines with the same generated text and settings; every
output, number span, offset list and error (type and message) must be identical,
for encoding, for decoding of encodings, of mutated encodings and of arbitrary
text (strict and lenient), and for the batch forms. Skipped, visibly, only when
the extension is not built.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tst
from tests.conftest import RUST
from tests.strategies import FRAGMENTS, SEPARATORS, numerals, tst_text
from tst.errors import TSTDecodeError, TSTError, TSTRangeError

pytestmark = pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")

Config = tuple[tuple[str, Any], ...]


@st.composite
def configs(draw: st.DrawFn, style: str | None = None) -> Config:
    """Every knob, with small ranges so the overflow policies are exercised."""
    decimal = draw(st.sampled_from([".", ","]))
    seps = draw(st.one_of(st.none(), st.sampled_from([" ", ",' ", "_", "\u00a0\u2009", "'", ".,'\u2019"])))
    if seps is not None:
        seps = "".join(c for c in seps if c != decimal)
    return tuple(
        {
            "variant": draw(st.sampled_from(["marker", "vocab"])),
            "group_size": draw(st.integers(1, 6)),
            "style": style or draw(st.sampled_from(["exact", "exact", "exact", "paper"])),
            "decimal": decimal,
            "separators": seps,
            "indian": draw(st.booleans()),
            "int_digits": draw(st.sampled_from([18, 18, 1, 2, 3, 5, 30])),
            "frac_digits": draw(st.sampled_from([15, 15, 0, 1, 3, 30])),
            "overflow": draw(st.sampled_from(["text", "extend", "error"])),
        }.items()
    )


@cache
def codecs(config: Config) -> tuple[tst.Codec, tst.Codec]:
    kwargs = dict(config)
    return tst.Codec(**kwargs, backend="python"), tst.Codec(**kwargs, backend="rust")


def outcome(fn: Callable[..., Any], *args: Any) -> tuple[Any, ...]:
    """The result, or the error as (type, message, position, reason)."""
    try:
        return ("ok", fn(*args))
    except TSTError as exc:
        return (type(exc), str(exc), getattr(exc, "position", None), getattr(exc, "reason", None))


def same(config: Config, method: str, *args: Any) -> tuple[Any, ...]:
    py, rs = codecs(config)
    expected = outcome(getattr(py, method), *args)
    got = outcome(getattr(rs, method), *args)
    assert got == expected, (method, dict(config), args)
    return expected


SIGNS = ["", "-", "+", "$", "-$", "+€", "€", "₹", "£"]
NAMES = ["", "k", "m", "b", "t", "q", "p", "pp", "ppp", "e18", "e6", "e4", "e20", "u", "x"]


def long_digits() -> st.SearchStrategy[str]:
    return st.integers(19, 90).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))


def parity_text() -> st.SearchStrategy[str]:
    """The shared grammar-stressing text plus signs, currencies, long runs and odd characters."""
    piece = st.one_of(
        tst_text(),
        numerals().map(lambda s: s.replace(",", "\u00a0")),
        st.tuples(st.sampled_from(SIGNS), numerals(), st.sampled_from(["", "%"])).map("".join),
        long_digits(),
        st.sampled_from(SEPARATORS),
        st.sampled_from([".5", "..5", "1.2.3", "0x1F", "0X", "1e5x", "v2.0", "12,34,567", "1,23,45,678", "1'234'567"]),
    )
    return st.lists(piece, max_size=6).map("".join)


def unit_text() -> st.SearchStrategy[str]:
    """Text for the decoder: units valid and invalid, tags, escapes, stray brackets."""
    content = st.one_of(
        st.tuples(st.text("0123456789", min_size=1, max_size=7), st.sampled_from(NAMES)).map("".join),
        st.sampled_from(["u", "k", "m", "p", "pp", "e18", "e5", ",3", ",2", "'3", "\u00a03", ".3", ",4", "", "e06"]),
        st.text("0123456789kmbtqpue,.'23 ⟦", max_size=6),
    )
    piece = st.one_of(
        content.map(lambda c: "⟦" + c + "⟧"),
        st.sampled_from(["⟦", "⟧", "⟦⟦⟧", "⟦⟧⟧", ".", ",", " ", "x", "1", "\n", "é"]),
        st.text(max_size=4),
    )
    return st.lists(piece, max_size=12).map("".join)


@given(config=configs(), text=parity_text())
def test_encode_numbers_offsets_identical(config: Config, text: str) -> None:
    same(config, "encode", text)
    same(config, "numbers", text)
    same(config, "encode_with_offsets", text)


@given(config=configs("exact"), text=parity_text())
def test_decode_of_encodings_identical(config: Config, text: str) -> None:
    result = same(config, "encode", text)
    if result[0] != "ok":
        return
    encoded = result[1]
    assert same(config, "decode", encoded, True) == ("ok", text)
    assert same(config, "decode", encoded, False) == ("ok", text)


@given(config=configs(), text=unit_text())
def test_decode_of_arbitrary_text_identical(config: Config, text: str) -> None:
    same(config, "decode", text, True)
    result = same(config, "decode", text, False)
    if dict(config)["style"] == "exact":
        assert result[0] == "ok"  # lenient decoding never raises


@given(config=configs("exact"), text=parity_text(), data=st.data())
def test_decode_of_mutated_encodings_identical(config: Config, text: str, data: st.DataObject) -> None:
    result = same(config, "encode", text)
    if result[0] != "ok":
        return
    encoded: str = result[1]
    for _ in range(data.draw(st.integers(1, 3))):
        n = len(encoded)
        a = data.draw(st.integers(0, n))
        b = data.draw(st.integers(a, min(n, a + 6)))
        op = data.draw(st.sampled_from(["delete", "insert", "duplicate", "swap"]))
        if op == "delete":
            encoded = encoded[:a] + encoded[b:]
        elif op == "insert":
            encoded = encoded[:a] + data.draw(st.sampled_from([*FRAGMENTS, "⟦9⟧", "⟦u⟧", "⟦999k⟧", "."])) + encoded[a:]
        elif op == "duplicate":
            encoded = encoded[:b] + encoded[a:b] + encoded[b:]
        else:
            encoded = encoded[b:] + encoded[:a] + encoded[a:b]
    same(config, "decode", encoded, True)
    assert same(config, "decode", encoded, False)[0] == "ok"


@given(
    config=configs(),
    texts=st.lists(parity_text(), max_size=6),
    threads=st.sampled_from([None, 1, 2, 3]),
)
def test_batches_identical(config: Config, texts: list[str], threads: int | None) -> None:
    same(config, "encode_batch", texts, threads)
    same(config, "encode_batch_with_offsets", texts, threads)
    for strict in (True, False):
        same(config, "decode_batch", texts, strict, threads)
    py, _ = codecs(config)
    if dict(config)["style"] == "exact" and all(outcome(py.encode, t)[0] == "ok" for t in texts):
        encoded = py.encode_batch(texts)
        assert same(config, "decode_batch", encoded, True, threads) == ("ok", texts)


# -- plain examples ------------------------------------------------------------

BIG = "".join(
    f"row {k}: Pay ${k * 7919 % 100000:,}.{k % 100:02d} on 2024-01-{k % 28 + 1:02d}, v1.{k}.3 ⟦x⟧ é {k}e-{k % 9}\n"
    for k in range(2500)
)


def test_parallel_batches_match_the_spec() -> None:
    """Batches big enough to run on the pool give the spec's results, in order."""
    config = configs_for(variant="vocab")
    py, rs = codecs(config)
    texts = [BIG[k * 1000 : (k + 3) * 1000] for k in range(0, 120, 3)]
    assert sum(map(len, texts)) > tst._tst_rs.PARALLEL_MIN_BYTES
    expected = py.encode_batch(texts)
    for threads in (None, 1, 2, 4):
        assert rs.encode_batch(texts, num_threads=threads) == expected
        assert rs.decode_batch(expected, num_threads=threads) == texts
    assert rs.encode_batch_with_offsets(texts, num_threads=2) == py.encode_batch_with_offsets(texts)


def test_first_error_of_a_parallel_batch_is_raised() -> None:
    """With several bad texts, the batch raises the one a sequential loop meets first."""
    _, rs = codecs(configs_for(variant="vocab", int_digits=3, overflow="error"))
    texts = ["x" * 40000, "ab 12345", "y" * 40000, "1234567"]
    with pytest.raises(TSTRangeError) as info:
        rs.encode_batch(texts, num_threads=2)
    assert (info.value.position, info.value.reason) == (3, "5 integer digits, more than int_digits=3")
    _, rs = codecs(configs_for(variant="vocab"))
    with pytest.raises(TSTDecodeError, match="position 2: unescaped"):
        rs.decode_batch(["z" * 70000, "ab⟧", "⟦"], num_threads=2)


def configs_for(**kwargs: Any) -> Config:
    base: dict[str, Any] = {
        "variant": "marker",
        "group_size": 3,
        "style": "exact",
        "decimal": ".",
        "separators": None,
        "indian": True,
        "int_digits": 18,
        "frac_digits": 15,
        "overflow": "text",
    }
    base.update(kwargs)
    return tuple(base.items())


@pytest.mark.parametrize("variant", ["marker", "vocab"])
def test_lone_surrogates_round_trip_on_both_engines(variant: str) -> None:
    py, rs = codecs(configs_for(variant=variant))
    text = "a\ud800 12\udfff,5 \udbff\udc00 ⟦\ud834⟧"
    assert rs.encode(text) == py.encode(text)
    assert rs.encode_with_offsets(text) == py.encode_with_offsets(text)
    assert rs.decode(rs.encode(text)) == text
    assert rs.numbers(text) == py.numbers(text)


def test_huge_powers_in_decoded_units_are_exact() -> None:
    config = configs_for(variant="vocab")
    for text in ["⟦1e300000000000000000000000000000⟧ x", "⟦1e18446744073709551618⟧⟦123e18446744073709551615⟧"]:
        same(config, "decode", text, True)
        same(config, "decode", text, False)


def test_non_printable_text_in_messages_is_quoted_like_python() -> None:
    config = configs_for(variant="vocab")
    for content in ["\x00", "\u2028", "it's", 'say "x"', "\\", "\ud800", "\x85é"]:
        expected = same(config, "decode", f"⟦{content}⟧", True)
        assert expected[0] is TSTDecodeError


def test_paper_style_errors_are_the_same() -> None:
    config = configs_for(style="paper")
    assert same(config, "decode", "x", True)[0] is TSTError
    assert same(config, "encode_with_offsets", "1")[0] is TSTError


def test_python_threads_share_one_engine() -> None:
    """Single calls release the GIL; concurrent calls on one engine stay correct."""
    py, rs = codecs(configs_for(variant="marker"))
    text = BIG[:50000]
    expected = py.encode(text)
    results: list[str] = []

    def work() -> None:
        for _ in range(3):
            results.append(rs.decode(rs.encode(text)))
            assert rs.encode(text) == expected

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [text] * 12


def test_thread_count_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    _, rs = codecs(configs_for())
    texts = [BIG[:40000], BIG[40000:80000]]
    expected = [rs.encode(t) for t in texts]
    monkeypatch.setenv("TST_NUM_THREADS", "2")
    assert rs.encode_batch(texts) == expected
    monkeypatch.setenv("TST_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="TST_NUM_THREADS must be a positive integer"):
        rs.encode_batch(texts)
    monkeypatch.delenv("TST_NUM_THREADS")
    assert rs.encode_batch(texts) == expected


def test_engine_surface_matches_the_python_engine() -> None:
    """Both engines expose the same methods (the contract `Codec` relies on)."""
    from tst._python_engine import PythonEngine

    public = {n for n in dir(PythonEngine) if not n.startswith("_")} - {"settings"}
    assert public <= {n for n in dir(tst._tst_rs.Engine) if not n.startswith("_")}
    assert os.path.basename(tst._tst_rs.__file__).startswith("_tst_rs")
