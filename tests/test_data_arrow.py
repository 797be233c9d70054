"""Arrow conversion: sliced, nested, dictionary and null arrays keep their structure exactly."""

from __future__ import annotations

from typing import Any

import pytest

import tst
from tst.data.arrow import ArrowConverter
from tst.data.converter import TextConverter
from tst.data.errors import MissingFieldError, RecordError
from tst.data.selection import Selection

pa = pytest.importorskip("pyarrow")

CODEC = tst.Codec(variant="vocab")


def converter(fields: tuple[str, ...] = (), messages: str | None = None, **kw: Any) -> ArrowConverter:
    return ArrowConverter(TextConverter(CODEC), Selection(fields=fields, messages=messages), **kw)


def encoded_messages(value: Any) -> Any:
    if value is None:
        return None
    out = []
    for m in value:
        m = dict(m)
        c = m.get("content")
        if isinstance(c, str):
            m["content"] = CODEC.encode(c)
        elif isinstance(c, list):
            m["content"] = [dict(p, text=CODEC.encode(p["text"]) if p.get("text") is not None else None) for p in c]
        out.append(m)
    return out


MESSAGES = [
    [{"role": "user", "content": "1,000 apples"}, {"role": "assistant", "content": None}],
    None,
    [],
    [{"role": "user", "content": "2.5 pears"}],
    [{"role": "system", "content": "no numbers"}, {"role": "user", "content": "3 and 4"}],
]


@pytest.mark.parametrize("start, length", [(0, 5), (1, 3), (3, 2), (2, 0)])
def test_sliced_string_and_chat_columns(start: int, length: int) -> None:
    table = pa.table(
        {
            "text": pa.array(["a 1", None, "b 22,000", "c", "d 0.5"]),
            "big": pa.array(["x 1", "y 2", None, "z", "w 9"], type=pa.large_string()),
            "messages": pa.array(MESSAGES),
            "n": pa.array([1, 2, 3, 4, 5]),
        }
    ).slice(start, length)
    out = converter(("text", "big"), "messages").table(table)
    assert out.schema.equals(table.schema)
    expect = table.to_pylist()
    for row in expect:
        row["text"] = CODEC.encode(row["text"]) if row["text"] is not None else None
        row["big"] = CODEC.encode(row["big"]) if row["big"] is not None else None
        row["messages"] = encoded_messages(row["messages"])
    assert out.to_pylist() == expect
    assert out.column("n").equals(table.column("n"))


def test_content_parts_and_sliced_children() -> None:
    parts = pa.array(
        [
            [{"role": "u", "content": [{"type": "text", "text": "1,000"}, {"type": "image", "text": None}]}],
            None,
            [{"role": "a", "content": []}, {"role": "a", "content": None}],
            [{"role": "a", "content": [{"type": "text", "text": "7.25 x"}]}],
        ]
    )
    for arr in (parts, parts.slice(1), parts.slice(2, 1), parts.slice(3)):
        table = pa.table({"m": arr})
        out = converter(messages="m").table(table)
        assert out.to_pylist() == [{"m": encoded_messages(r["m"])} for r in table.to_pylist()]


def test_dictionary_column_converts_its_dictionary() -> None:
    arr = pa.array(["1 a", "2 b", "1 a", None]).dictionary_encode()
    out = converter(("d",)).table(pa.table({"d": arr}))
    col = out.column("d").chunk(0)
    assert pa.types.is_dictionary(col.type)
    assert col.indices.equals(arr.indices)
    assert out.to_pylist() == [{"d": CODEC.encode(v)} if v else {"d": None} for v in ["1 a", "2 b", "1 a", None]]


def test_a_dictionary_column_is_counted_per_row_like_a_plain_one() -> None:
    # Reported: a pandas category column in 2 row groups counted its 17 entries twice, not its rows.
    values = ["1 a", "2 b", "1 a", None, "1 a", "⟦x 3", "22"]
    counts = {}
    for kind in ("plain", "dict"):
        col = pa.array(values)
        chunks = [col.slice(0, 4), col.slice(4)]
        if kind == "dict":
            chunks = [c.dictionary_encode() for c in chunks]
        conv = TextConverter(CODEC)
        arrow = ArrowConverter(conv, Selection(fields=("d",)))
        arrow.table(pa.table({"d": pa.chunked_array(chunks)}))
        c = conv.counts
        counts[kind] = (c.strings, c.changed, c.numbers)
    assert counts["dict"] == counts["plain"] == (6, 6, 6)


def test_list_of_strings_and_null_columns() -> None:
    table = pa.table({"l": pa.array([["1", None], None, ["22"]]), "z": pa.nulls(3)})
    out = converter(("l", "z")).table(table)
    assert out.to_pylist() == [
        {"l": [CODEC.encode("1"), None], "z": None},
        {"l": None, "z": None},
        {"l": [CODEC.encode("22")], "z": None},
    ]


def test_schema_checks() -> None:
    table = pa.table({"n": [1], "m": pa.array([[{"role": "u"}]])})
    with pytest.raises(MissingFieldError, match="no column 'text'"):
        converter(("text",)).table(table)
    assert converter(("text",), allow_missing=True).table(table).equals(table)
    with pytest.raises(RecordError, match="column 'n' must hold strings"):
        converter(("n",)).table(table)
    with pytest.raises(RecordError, match="column 'm' must be a list of message structs with a 'content' field"):
        converter(messages="m").table(table)
    parts = pa.table({"m": pa.array([[{"role": "u", "content": [{"type": "text", "text": 7}]}]])})
    with pytest.raises(RecordError, match="column 'm': the 'text' of a content part must be a string, not int64"):
        converter(messages="m").table(parts)


def test_rejected_rows_are_named_or_dropped() -> None:
    dec = TextConverter(CODEC, "decode")
    table = pa.table({"t": ["⟦1⟧", "bad ⟦1k⟧", "⟦2⟧"], "n": [1, 2, 3]})
    want = r"^src: row 11: field t: invalid TST at character 8: number cut short"
    with pytest.raises(RecordError, match=want) as info:
        ArrowConverter(dec, Selection(fields=("t",)), name="src").table(table, first_row=10)
    assert info.value.index == 11
    dec = TextConverter(CODEC, "decode")
    skipper = ArrowConverter(dec, Selection(fields=("t",)), skip_bad=True)
    out = skipper.table(table, first_row=10)
    assert out.to_pylist() == [{"t": "1", "n": 1}, {"t": "2", "n": 3}]
    assert skipper.skipped_rows == [11]
    assert dec.counts.strings == 2  # only the rows kept are counted


def test_record_batches() -> None:
    batch = pa.RecordBatch.from_pylist([{"t": "1,5", "k": 1}, {"t": None, "k": 2}])
    out = converter(("t",)).batch(batch)
    assert isinstance(out, pa.RecordBatch) and out.schema.equals(batch.schema)
    assert out.to_pylist() == [{"t": CODEC.encode("1,5"), "k": 1}, {"t": None, "k": 2}]


def test_long_columns_convert_in_slices() -> None:
    from tst.data import arrow as arrow_module

    n = 3 * arrow_module.SLICE + 17
    values = [None if k % 7 == 0 else f"row {k}: {k * 3},{k % 1000:03d}.5" for k in range(n)]
    table = pa.table({"t": pa.array(values, type=pa.large_string())}).slice(5)
    out = converter(("t",)).table(table)
    assert out.schema.equals(table.schema)
    assert out.column("t").to_pylist() == [None if v is None else CODEC.encode(v) for v in values[5:]]


def row_by_row(table: Any, sel: Selection, conv: TextConverter) -> tuple[list[dict[str, Any]], list[int], str | None]:
    """The reference: each row's selected strings converted on their own (what a re-run would give)."""
    from tst.data.json_records import codec_reason
    from tst.data.records import fill, read, record_slots

    kept, skipped, first_error = [], [], None
    for r, record in enumerate(table.to_pylist()):
        slots: list[Any] = []
        paths: list[str] = []
        new, _ = record_slots(record, sel, slots, paths)
        values = read(slots)
        results = [conv.codec.decode_batch([v], errors="return")[0] for v in values]
        failed = [(e, p) for e, p in zip(results, paths) if isinstance(e, tst.TSTError)]
        if failed:
            skipped.append(r)
            if first_error is None:
                err, path = failed[0]
                column = path.split("[")[0]  # Arrow names the column, not the path inside it
                first_error = f"row {r}: field {column}: {codec_reason(err)}"
            continue
        conv.add_counts(values, results)  # type: ignore[arg-type]
        fill(slots, results)  # type: ignore[arg-type]
        kept.append(new)
    return kept, skipped, first_error


@pytest.mark.parametrize("backend", ["python", "rust"])
def test_rejected_rows_in_nested_columns_match_a_row_by_row_run(backend: str) -> None:
    codec = tst.Codec(variant="vocab", backend=backend)
    enc = codec.encode
    table = pa.table(
        {
            "t": [enc("1"), "bad ⟦", enc("2,000"), None, enc("3")],
            "l": [[enc("4")], [enc("5"), "⟦5"], None, ["⟦7", enc("8")], [enc("9"), "x ⟧"]],
            "m": [
                [{"role": "u", "content": enc("0.5")}],
                [{"role": "u", "content": "⟦1k⟧"}],
                [{"role": "u", "content": enc("6")}, {"role": "a", "content": "⟦⟦"}],
                None,
                [],
            ],
        }
    )
    sel = Selection(fields=("l", "t"), messages="m")  # "l" before "t": the message names the first in this order
    expected_conv = TextConverter(codec, "decode")
    kept, skipped, first_error = row_by_row(table, sel, expected_conv)
    assert skipped == [1, 2, 3, 4]
    conv = TextConverter(codec, "decode")
    skipper = ArrowConverter(conv, sel, skip_bad=True)
    out = skipper.table(table.slice(0), first_row=100)
    assert out.to_pylist() == kept
    assert skipper.skipped_rows == [100 + r for r in skipped]
    c, e = conv.counts, expected_conv.counts
    assert (c.strings, c.changed, c.numbers) == (e.strings, e.changed, e.numbers)
    with pytest.raises(RecordError) as info:
        ArrowConverter(TextConverter(codec, "decode"), sel, name="src").table(table)
    assert str(info.value) == f"src: {first_error} (--skip-bad drops such rows)"
    assert "item" not in str(info.value)


@pytest.mark.parametrize("backend", ["python", "rust"])
def test_out_of_range_counts_match_the_string_path(backend: str) -> None:
    codec = tst.Codec(int_digits=4, frac_digits=2, backend=backend)
    texts = ["id 123456 and 1.2345", None, "12 of 99999", "1e-123456 x"]
    table = pa.table(
        {
            "t": pa.array(texts, type=pa.large_string()),
            "m": [[{"role": "u", "content": "3.14159"}], None, [], [{"role": "a", "content": "7"}]],
        }
    )
    conv = TextConverter(codec)
    ArrowConverter(conv, Selection(fields=("t",), messages="m")).table(table)
    expected = TextConverter(codec)
    expected.convert_batch([t for t in texts if t is not None] + ["3.14159", "7"])
    got, want = conv.counts, expected.counts
    assert (got.out_of_range_integer, got.out_of_range_fraction) == (3, 2)
    assert (got.strings, got.numbers, got.out_of_range_integer, got.out_of_range_fraction) == (
        want.strings,
        want.numbers,
        want.out_of_range_integer,
        want.out_of_range_fraction,
    )
