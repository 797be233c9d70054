"""`TextConverter`, number counting and surrogates: properties against the codec itself."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tst
from tests.conftest import RUST
from tst.data.converter import Counts, TextConverter
from tst.data.counting import NumberCounter

NUMBERISH = st.text(alphabet=st.sampled_from(list("0123456789.,'_ -+eE\n⟦⟧ax$%\u00a0")), max_size=60)
CONFIGS = st.fixed_dictionaries(
    {
        "variant": st.sampled_from(["marker", "vocab"]),
        "group_size": st.integers(1, 6),
        "decimal": st.sampled_from([".", ","]),
        "indian": st.booleans(),
        "overflow": st.sampled_from(["text", "extend"]),
        "int_digits": st.integers(1, 20),
        "frac_digits": st.integers(0, 16),
    }
)


@settings(max_examples=300)
@given(text=NUMBERISH, config=CONFIGS)
def test_counting_units_equals_counting_numbers(
    make_codec: Callable[..., tst.Codec], text: str, config: dict[str, object]
) -> None:
    codec = make_codec(**config)
    assert NumberCounter(codec.settings).count(codec.encode(text)) == len(codec.numbers(text))


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
@settings(max_examples=200)
@given(texts=st.lists(NUMBERISH, max_size=6), config=CONFIGS)
def test_the_rust_batch_counter_equals_the_python_one(texts: list[str], config: dict[str, object]) -> None:
    """`Engine.count_numbers_batch` (TextConverter's counts with the Rust engine) on encoded and on raw text."""
    from tst.codec import rust_engine

    codec = tst.Codec(**config, backend="rust")  # type: ignore[arg-type]
    rust = rust_engine(codec)
    assert rust is not None
    counter = NumberCounter(codec.settings)
    for batch in (codec.encode_batch(texts), texts):
        assert rust.count_numbers_batch(batch) == counter.count_all(batch)


def test_counter_refuses_the_paper_style() -> None:
    with pytest.raises(ValueError, match="exact-style"):
        NumberCounter(tst.Codec(style="paper").settings)


def test_counts_of_a_batch() -> None:
    conv = TextConverter(tst.Codec(variant="vocab"))
    out = conv.convert_batch(["1,000 and 2.5", "none", "⟦x⟧ 7"])
    assert out == ["⟦,3⟧⟦1k⟧⟦000⟧ and ⟦2⟧.⟦5p⟧", "none", "⟦⟦⟧x⟦⟧⟧ ⟦7⟧"]
    assert (conv.counts.strings, conv.counts.changed, conv.counts.numbers) == (3, 2, 3)
    dec = TextConverter(tst.Codec(variant="vocab"), "decode")
    assert dec.convert_batch(out) == ["1,000 and 2.5", "none", "⟦x⟧ 7"]
    assert dec.counts.numbers == 3
    paper = TextConverter(tst.Codec(style="paper"))
    assert paper.convert("1.5 and 7") == "1 . 500 p and 7"
    assert paper.counts.numbers == 2
    silent = TextConverter(tst.Codec(), count_numbers=False)
    silent.convert("1 2 3")
    assert silent.counts.numbers == 0 and silent.counts.strings == 1


def test_converter_pickles_and_validates() -> None:
    conv = TextConverter(tst.Codec(variant="vocab", group_size=4), "decode", strict=False, num_threads=2)
    clone = pickle.loads(pickle.dumps(conv))
    assert clone.codec == conv.codec and clone.direction == "decode" and not clone.strict and clone.num_threads == 2
    with pytest.raises(ValueError, match="direction"):
        TextConverter(tst.Codec(), "reverse")
    with pytest.raises(ValueError, match="cannot be decoded"):
        TextConverter(tst.Codec(style="paper"), "decode")


def test_a_failed_batch_names_the_failing_text(make_codec: Callable[..., tst.Codec]) -> None:
    conv = TextConverter(make_codec(), "decode")
    texts = ["⟦1⟧⟦u⟧", "ok", "ab ⟦12⟧⟦k⟧!", "⟦"]
    with pytest.raises(tst.TSTDecodeError) as info:
        conv.convert_batch(texts)
    assert (info.value.index, info.value.position) == (2, 10)
    assert str(info.value).startswith("item 2: invalid TST at position 10: ")
    assert conv.counts.strings == 0  # a failed batch counts nothing


def test_per_item_results_count_only_what_converted(make_codec: Callable[..., tst.Codec]) -> None:
    conv = TextConverter(make_codec(), "decode")
    out = conv.convert_batch(["⟦1⟧⟦u⟧", "ok", "ab ⟦12⟧⟦k⟧!", "⟦"], errors="return")
    assert out[:2] == ["1", "ok"]
    assert [(e.index, e.position) for e in out[2:] if isinstance(e, tst.TSTDecodeError)] == [(2, 10), (3, 0)]
    assert (conv.counts.strings, conv.counts.changed, conv.counts.numbers) == (2, 1, 1)
    with pytest.raises(ValueError, match="errors must be 'raise' or 'return'"):
        conv.convert_batch(["x"], errors="ignore")


SURROGATE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("0123456789.,' -eEx⟦⟧")), st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)
    ),
    max_size=50,
)


@settings(max_examples=300)
@given(text=SURROGATE_TEXT, variant=st.sampled_from(["marker", "vocab"]), group=st.integers(1, 6))
def test_surrogates_convert_like_plain_text(
    make_codec: Callable[..., tst.Codec], text: str, variant: str, group: int
) -> None:
    # Both engines take lone surrogates (undecodable bytes under surrogateescape) as plain
    # non-word characters: the converter hands them over as they are.
    codec = make_codec(variant=variant, group_size=group)
    whole = codec.encode(text)
    assert TextConverter(codec).convert_batch([text, text]) == [whole, whole]
    assert TextConverter(codec, "decode").convert_batch([whole]) == [text]
    assert codec.decode(whole) == text


def test_counts_summary_and_arithmetic() -> None:
    a = Counts(records=3, strings=5, changed=4, numbers=12, missing=1, skipped=2, skipped_where=["line 3", "line 9"])
    assert a.summary("encode") == (
        "3 records; 5 strings (4 changed); 12 numbers encoded; "
        "1 record lacked a selected field (the fields they have were converted); "
        "2 bad records skipped (line 3, line 9)"
    )
    b = a.copy()
    b.add(a)
    assert (b.records, b.numbers, b.skipped_where) == (6, 24, ["line 3", "line 9"] * 2)
    assert a.skipped_where == ["line 3", "line 9"]
    many = Counts()
    for k in range(12):
        many.skip(f"line {k}")
    assert many.skipped == 12 and len(many.skipped_where) == 10
    assert many.summary("decode").endswith(
        "(line 0, line 1, line 2, line 3, line 4, line 5, line 6, line 7, line 8, line 9, ...)"
    )
