"""Parquet files, converted one row group at a time (schema, metadata and row groups kept)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from tst.data.arrow import ArrowConverter, check_schema
from tst.data.converter import Counts, TextConverter
from tst.data.errors import DataError, RecordError
from tst.data.records import SelectionError, Slot, read, record_slots
from tst.data.selection import Selection


def convert_parquet(
    source: str,
    sink: BinaryIO | str,
    converter: TextConverter,
    selection: Selection,
    *,
    name: str | None = None,
    skip_bad: bool = False,
    allow_missing: bool = False,
    on_read: Callable[[int], None] | None = None,
) -> Counts:
    """Convert the selected columns of the Parquet file `source` into `sink`.

    The output has the input's Arrow schema (with its metadata), its row-group
    boundaries and its compression codec; other columns' values are copied
    unchanged. Memory holds one row group at a time.

    Raises:
        DataError: `source` is not a Parquet file.
        MissingFieldError: a selected column is absent, unless `allow_missing`.
        RecordError: a column of the wrong type, or a value the codec rejects
            (row named) unless `skip_bad`.
    """
    import pyarrow.parquet as pq

    name = name or source
    pf = _open(source, name)
    arrow = ArrowConverter(converter, selection, allow_missing=allow_missing, skip_bad=skip_bad, name=name)
    schema = pf.schema_arrow
    missing = arrow.check_schema(schema)
    before = converter.counts.copy()
    counts = Counts(absent_columns=list(missing))
    meta = pf.metadata
    with pq.ParquetWriter(sink, schema, compression=_compression(meta), version=meta.format_version) as writer:
        first_row = 0
        for i in range(pf.num_row_groups):
            table = pf.read_row_group(i)
            converted = arrow.table(table, first_row)
            if converted.num_rows:
                writer.write_table(converted, row_group_size=converted.num_rows)
            first_row += table.num_rows
            if missing:
                counts.missing += table.num_rows
            if on_read is not None:
                on_read(meta.row_group(i).total_byte_size)
    counts.records = first_row - len(arrow.skipped_rows)
    for r in arrow.skipped_rows:
        counts.skip(f"row {r}")
    counts.take_strings(converter.counts, before)
    return counts


def read_parquet(
    source: str, selection: Selection, *, name: str | None = None, allow_missing: bool = False
) -> Iterator[list[str]]:
    """The selected strings of each row, one row group in memory at a time (the checks of `convert_parquet`).

    Raises:
        DataError: `source` is not a Parquet file.
        MissingFieldError: a selected column is absent, unless `allow_missing`.
        RecordError: a selected column of the wrong type.
    """
    name = name or source
    pf = _open(source, name)
    check_schema(pf.schema_arrow, selection, allow_missing, name)
    row = 0
    for i in range(pf.num_row_groups):
        for record in pf.read_row_group(i).to_pylist():
            slots: list[Slot] = []
            try:
                record_slots(record, selection, slots)
            except SelectionError as exc:  # the schema check makes this unreachable in practice
                raise RecordError(f"{name}: row {row}", f"{exc.path}: {exc.reason}", row) from None
            yield read(slots)
            row += 1


def _open(source: str, name: str) -> Any:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(source)
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError variants
        raise DataError(name, f"not a readable Parquet file ({exc})") from None


def parquet_size(source: str) -> int | None:
    """Uncompressed bytes of all row groups (the progress total); None if unreadable."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(source).metadata
    except Exception:  # reported properly by convert_parquet
        return None
    return int(sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)))


def _compression(meta: Any) -> str:
    """The codec most columns of the file use (``"snappy"`` for an empty file)."""
    used: Counter[str] = Counter()
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        for j in range(group.num_columns):
            used[str(group.column(j).compression).lower()] += 1
    if not used:
        return "snappy"
    codec = used.most_common(1)[0][0]
    return "none" if codec == "uncompressed" else codec
