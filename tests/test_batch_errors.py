"""Batch calls name the failing item (`index`, in the message too) and can return per-item results.

Both engines must agree on every batch form: which item fails first, its
index, message and fields, and with ``errors="return"`` every item's result or
error; Arrow string arrays give byte-identical buffers.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import tst
from tests.conftest import RUST
from tests.test_parity import Config, codecs, configs, parity_text, unit_text
from tst._hints import names_other_settings, without_hint
from tst.errors import TSTDecodeError, TSTError, TSTRangeError

pytestmark = pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")


def described(value: Any) -> Any:
    """An exception as (type, message, index, position, reason); anything else as it is."""
    if isinstance(value, TSTError):
        return (type(value), str(value), value.index, getattr(value, "position", None), getattr(value, "reason", None))
    if isinstance(value, list):
        return [described(v) for v in value]
    return value


def less_hint(value: Any) -> Any:
    """`described(value)`, a decode error's settings hint taken out."""
    return described(without_hint(value) if isinstance(value, TSTDecodeError) else value)


def outcome(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        result = fn(*args, **kwargs)
    except TSTError as exc:
        return ("raised", described(exc))
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):  # Arrow with errors
        return ("ok", result[0].to_pylist(), [described(e) for e in result[1]])
    if hasattr(result, "to_pylist"):
        return ("ok", result.to_pylist())
    return ("ok", [described(v) for v in result])


def single(codec: tst.Codec, method: str, text: str, *args: Any) -> Any:
    try:
        return getattr(codec, method)(text, *args)
    except TSTError as exc:
        return exc


BATCH = {"encode_batch": "encode", "decode_batch": "decode", "encode_batch_with_offsets": "encode_with_offsets"}


@given(
    config=configs(),
    texts=st.lists(st.one_of(parity_text(), unit_text()), max_size=6),
    threads=st.sampled_from([None, 1, 3]),
)
@example(  # found in CI: the second item refutes the first one's hint (decode as the vocab variant)
    config=(
        ("variant", "marker"),
        ("group_size", 2),
        ("style", "exact"),
        ("decimal", "."),
        ("separators", None),
        ("indian", False),
        ("int_digits", 18),
        ("frac_digits", 15),
        ("overflow", "text"),
    ),
    texts=["0e0⟦⟦⟧⟦12⟧", "⟦12⟧⟦u⟧"],
    threads=None,
)
def test_both_engines_name_the_same_item(config: Config, texts: list[str], threads: int | None) -> None:
    py, rs = codecs(config)
    for method, one in BATCH.items():
        extra: tuple[Any, ...] = (True,) if method == "decode_batch" else ()
        for errors in ("raise", "return"):
            got = outcome(getattr(rs, method), texts, *extra, num_threads=threads, errors=errors)
            assert got == outcome(getattr(py, method), texts, *extra, num_threads=threads, errors=errors), method
        # Per-item results are the single calls' results, errors indexed by position, less a settings
        # hint that the batch's good items refute (decode_batch drops those, DECISIONS 52): a hint
        # the batch keeps is the single call's.
        per_item = getattr(py, method)(texts, *extra, errors="return")
        expected = [single(py, one, t, *extra) for t in texts]
        expected = [v.at(k) if isinstance(v, TSTError) else v for k, v in enumerate(expected)]
        assert [less_hint(v) for v in per_item] == [less_hint(v) for v in expected]
        for got_v, want_v in zip(per_item, expected):
            if isinstance(got_v, TSTDecodeError) and names_other_settings(got_v):
                assert described(got_v) == described(want_v)
        failing = [k for k, v in enumerate(expected) if isinstance(v, TSTError)]
        raised = outcome(getattr(rs, method), texts, *extra)
        if failing:
            first = expected[failing[0]]
            assert raised[0] == "raised" and raised[1][1].startswith(f"item {failing[0]}: ")
            assert raised[1] in (described(first), less_hint(first))
        else:
            assert raised[0] == "ok"
    # out_of_range_batch has no per-item form; it fails (overflow="error") naming the same item.
    oor = outcome(rs.out_of_range_batch, texts, num_threads=threads)
    assert oor == outcome(py.out_of_range_batch, texts, num_threads=threads)


def test_index_survives_pickling_and_reindexing() -> None:
    for err in (TSTDecodeError(3, "why", 2), TSTRangeError(1, "big", 0), TSTError("plain").at(4)):
        clone = pickle.loads(pickle.dumps(err))
        assert (type(clone), str(clone), clone.index) == (type(err), str(err), err.index)
        moved = err.at(9)
        assert moved.index == 9 and str(moved).startswith("item 9: ") and str(moved).count("item ") == 1
    assert str(TSTDecodeError(3, "why")) == "invalid TST at position 3: why"  # single calls: no index
    assert TSTDecodeError(3, "why").index is None


def test_a_non_str_item_is_a_type_error_with_its_index(backend: str) -> None:
    codec = tst.Codec(backend=backend)
    for call in (codec.encode_batch, codec.decode_batch, codec.encode_batch_with_offsets):
        for errors in ("raise", "return"):
            with pytest.raises(TypeError, match=r"^item 2: .* expects str items, not int$") as info:
                call(["1", "2", 3, None], errors=errors)  # type: ignore[call-overload, list-item]
            assert isinstance(info.value, tst.TSTItemTypeError) and info.value.index == 2
            clone = pickle.loads(pickle.dumps(info.value))
            assert (type(clone), str(clone), clone.index) == (type(info.value), str(info.value), 2)


def test_errors_argument_is_checked(backend: str) -> None:
    codec = tst.Codec(backend=backend)
    for call in (codec.encode_batch, codec.decode_batch, codec.encode_batch_with_offsets):
        with pytest.raises(ValueError, match="errors must be 'raise' or 'return', not 'ignore'"):
            call(["1"], errors="ignore")  # type: ignore[call-overload]


def test_the_offset_table_names_the_item() -> None:
    _, rs = codecs(tuple({**dict(configs_for_error()), "style": "exact"}.items()))
    with pytest.raises(TSTRangeError) as info:
        rs._engine.encode_batch_offset_table(["1", "x 12345"], None)
    assert info.value.index == 1 and str(info.value).startswith("item 1: number at position 2 is out of range")


def configs_for_error() -> Config:
    return tuple(
        {
            "variant": "vocab",
            "group_size": 3,
            "style": "exact",
            "decimal": ".",
            "separators": None,
            "indian": True,
            "int_digits": 3,
            "frac_digits": 15,
            "overflow": "error",
        }.items()
    )


# -- Arrow string arrays -------------------------------------------------------

pa = pytest.importorskip("pyarrow")


@given(
    config=configs(),
    texts=st.lists(st.one_of(st.none(), parity_text(), unit_text()), max_size=8),
    large=st.booleans(),
    cut=st.integers(0, 3),
)
def test_arrow_buffers_identical(config: Config, texts: list[str | None], large: bool, cut: int) -> None:
    py, rs = codecs(config)
    arr = pa.array(texts, type=pa.large_string() if large else pa.string()).slice(min(cut, len(texts)))
    for method, extra in (("encode_arrow", ()), ("decode_arrow", (True,)), ("decode_arrow", (False,))):
        engine_py, engine_rs = getattr(py._engine, method), getattr(rs._engine, method)
        expected = outcome(engine_py, arr, *extra, None, "return")
        assert outcome(engine_rs, arr, *extra, None, "return") == expected
        assert outcome(engine_rs, arr, *extra, None, "raise") == outcome(engine_py, arr, *extra, None, "raise")
        # The array equals the list batch with errors="return", failures null.
        batch = getattr(py, method.replace("arrow", "batch"))
        values = arr.to_pylist()
        per_item = batch([v for v in values if v is not None], *extra, errors="return")
        it = iter(per_item)
        want = [None if v is None else next(it) for v in values]
        got = getattr(rs, method)(arr, *extra, errors="return")
        assert got[0].to_pylist() == [None if isinstance(v, TSTError) else v for v in want]
        assert [e.index for e in got[1]] == [k for k, v in enumerate(want) if isinstance(v, TSTError)]


def test_arrow_types_chunks_and_errors(backend: str) -> None:
    codec = tst.Codec(variant="vocab", int_digits=3, overflow="error", backend=backend)
    arr = pa.array(["1", None, "12345", "x 7"])
    for t in (pa.string(), pa.large_string(), pa.string_view()):
        out, errors = codec.encode_arrow(arr.cast(t), errors="return")
        assert out.type == t and out.to_pylist() == ["⟦1⟧", None, None, "x ⟦7⟧"]
        assert [(e.index, e.position) for e in errors] == [(2, 0)]
    chunked = pa.chunked_array([arr[:1], arr[1:]])
    with pytest.raises(TSTRangeError) as info:
        codec.encode_arrow(chunked)
    assert info.value.index == 2 and str(info.value).startswith("item 2: ")
    assert codec.encode_arrow(pa.array([], type=pa.string())).to_pylist() == []
    back = codec.decode_arrow(codec.encode_arrow(pa.array(["1", None, "x ⟦"])))
    assert back.to_pylist() == ["1", None, "x ⟦"]
    with pytest.raises(TypeError, match="strings"):
        codec.encode_arrow(pa.array([1, 2]))
    with pytest.raises(TypeError, match="pyarrow Array"):
        codec.encode_arrow(["1"])


@pytest.mark.parametrize("errors", ["raise", "return"])
def test_a_batch_names_no_settings_that_its_good_items_refute(backend: str, errors: str) -> None:
    """Found by a new-user trial: item 1 of a marker-variant batch that decodes as the vocab
    variant was hinted "decode with variant='vocab'", though item 0 had just decoded as marker
    (and fails as vocab). The hint must fit the batch's items that decoded (DECISIONS 52)."""
    codec = tst.Codec(backend=backend)
    hinted = "decode with variant='vocab'"

    def error_of(batch: list[str]) -> TSTDecodeError:
        if errors == "return":
            out = codec.decode_batch(batch, errors="return")
            bad = [v for v in out if isinstance(v, TSTDecodeError)]
            assert len(bad) == 1
            return bad[0]
        with pytest.raises(TSTDecodeError) as info:
            codec.decode_batch(batch)
        return info.value

    refuted = error_of(["⟦1⟧⟦u⟧", "⟦1k⟧⟦000⟧"])
    assert refuted.index == 1 and hinted not in str(refuted), str(refuted)
    # With nothing decoded before it, or only plain text, the hint stands.
    for batch in (["⟦1k⟧⟦000⟧"], ["x", "⟦1k⟧⟦000⟧"]):
        assert hinted in str(error_of(batch)), batch
