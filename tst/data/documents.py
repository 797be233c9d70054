"""Read the texts of a file as documents, for statistics: lines of text, or records of a dataset."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import Any

from tst.data.errors import DataError, MissingFieldError, RecordError
from tst.data.records import SelectionError, Slot, read, record_slots
from tst.data.selection import Selection


def iter_documents(
    path: str, fmt: str, selection: Selection | None, *, allow_missing: bool = False
) -> Iterator[list[str]]:
    """Each document's strings: a text file gives one per non-empty line, a dataset one list per record.

    Args:
        path: the file.
        fmt: ``text``, ``jsonl``, ``json``, ``csv``, ``tsv`` or ``parquet``.
        selection: which strings of a record (required unless ``fmt == "text"``).
        allow_missing: records lacking a selected field give what they have.
    """
    if fmt == "text":
        yield from _text_lines(path)
        return
    if selection is None:
        raise ValueError(f"{fmt} data needs a selection (--field / --messages)")
    for where, record in _records(path, fmt):
        slots: list[Slot] = []
        try:
            _, missing = record_slots(record, selection, slots)
        except SelectionError as exc:
            raise RecordError(where, f"{exc.path}: {exc.reason}") from None
        if missing and not allow_missing:
            raise MissingFieldError(where, f"the record has no field {missing[0]!r}")
        yield read(slots)


def _text_lines(path: str) -> Iterator[list[str]]:
    with open(path, "rb") as f:
        for k, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise DataError(f"{path}:{k}", f"invalid UTF-8 at byte {exc.start + 1} of the line") from None
            if line.strip():
                yield [line]


def _records(path: str, fmt: str) -> Iterator[tuple[str, Any]]:
    if fmt == "jsonl":
        with open(path, encoding="utf-8-sig") as f:
            for k, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield f"{path}:{k}", json.loads(line)
                    except ValueError as exc:
                        raise RecordError(f"{path}:{k}", f"invalid JSON: {exc}") from None
    elif fmt == "json":
        with open(path, encoding="utf-8-sig") as f:
            try:
                data = json.load(f)
            except ValueError as exc:
                raise DataError(path, f"invalid JSON: {exc}") from None
        for k, record in enumerate(data if isinstance(data, list) else [data]):
            yield f"{path}: record {k}", record
    elif fmt in ("csv", "tsv"):
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t" if fmt == "tsv" else ",")
            for record in reader:
                yield f"{path}:{reader.line_num}", {k: v for k, v in record.items() if k is not None}
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        row = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
            for record in batch.to_pylist():
                yield f"{path}: row {row}", record
                row += 1
    else:
        raise ValueError(f"unknown format {fmt!r}")
