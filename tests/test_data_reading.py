"""`tst stats` reads files with the converters' own readers: same records, same errors, no global state left."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tst.data.errors import DataError, MissingFieldError, RecordError
from tst.data.reading import iter_documents
from tst.data.selection import Selection

RECORDS = [
    {"q": "What is 1,000 + 2.5?", "a": "1,002.5", "id": 1},
    {"q": 'Say "hi" ⟦x⟧', "a": None, "id": 2},
    {"q": "x " * 70_000, "a": "big cell", "id": 3},  # a cell over the csv module's default limit
]


def write_all(tmp_path: Path) -> dict[str, Path]:
    paths = {fmt: tmp_path / f"data.{fmt}" for fmt in ("jsonl", "json", "csv", "parquet")}
    paths["jsonl"].write_text("".join(json.dumps(r) + "\n" for r in RECORDS) + "\n", encoding="utf-8")
    paths["json"].write_text(json.dumps(RECORDS, indent=1, ensure_ascii=False), encoding="utf-8")
    with open(paths["csv"], "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "q", "a"])
        for r in RECORDS:
            w.writerow([r["id"], r["q"], r["a"] if r["a"] is not None else ""])
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    pq.write_table(pa.Table.from_pylist(RECORDS), paths["parquet"])
    return paths


def test_every_format_gives_the_same_documents(tmp_path: Path) -> None:
    sel = Selection(fields=("q", "a"))
    expected = [[r["q"], r["a"]] if r["a"] is not None else [r["q"]] for r in RECORDS]
    limit = csv.field_size_limit()
    for fmt, path in write_all(tmp_path).items():
        got = list(iter_documents(str(path), fmt, sel))
        if fmt == "csv":  # an empty cell is an empty string, not null
            assert got == [[r["q"], r["a"] or ""] for r in RECORDS]
        else:
            assert got == expected, fmt
    assert csv.field_size_limit() == limit  # the csv module's global limit is left as it was
    reading = iter_documents(str(tmp_path / "data.csv"), "csv", sel)
    next(reading)
    assert csv.field_size_limit() == limit  # also while a reader is suspended between records
    assert len(list(reading)) == 2
    text = tmp_path / "t.txt"
    text.write_bytes(b"one 1\r\n\n  \ntwo 2,000\nlast")
    assert list(iter_documents(str(text), "text", None)) == [["one 1"], ["two 2,000"], ["last"]]


def test_errors_are_the_converters(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "1"}\n{"q": "2",}\n', encoding="utf-8")
    with pytest.raises(RecordError, match=r"bad.jsonl:2:11: expected a property name in double quotes$"):
        list(iter_documents(str(bad), "jsonl", Selection(fields=("q",))))
    with pytest.raises(MissingFieldError, match=r"bad.jsonl:1: the record has no field 'a'"):
        list(iter_documents(str(bad), "jsonl", Selection(fields=("q", "a"))))
    typed = tmp_path / "typed.json"
    typed.write_text('[{"q": 5}]', encoding="utf-8")
    with pytest.raises(RecordError, match=r"typed.json:1:8: field 'q' must be a string"):
        list(iter_documents(str(typed), "json", Selection(fields=("q",))))
    raw = tmp_path / "raw.txt"
    raw.write_bytes(b"ok\nbad \xff byte\n")
    bad_byte = r"raw.txt:2: invalid UTF-8 \(byte ff at byte offset 7, byte 5 of the line\); pass --errors="
    with pytest.raises(DataError, match=bad_byte):
        list(iter_documents(str(raw), "text", None))
    table = tmp_path / "t.csv"
    table.write_text("q\n1\n", encoding="utf-8")
    with pytest.raises(MissingFieldError, match=r"t.csv:1: the header has no column 'a'"):
        list(iter_documents(str(table), "csv", Selection(fields=("q", "a"))))
    assert list(iter_documents(str(table), "csv", Selection(fields=("q", "a")), allow_missing=True)) == [["1"]]
    with pytest.raises(DataError, match="CSV cells are plain strings"):
        list(iter_documents(str(table), "csv", Selection(messages="m")))
