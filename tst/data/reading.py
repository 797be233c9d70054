"""The strings of a file as documents, read by the readers `tst convert` uses (for `tst stats`).

A text file gives one document per non-blank line; a dataset one document per
record: the strings its `Selection` picks. Every format is read by its
converter's own parser (`tst.data.text`, `.jsonl`, `.json_array`,
`.csv_format`, `.parquet`), so what a record is, and what is wrong with a bad
one, reads the same in ``tst stats`` as in ``tst convert``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tst.data.errors import DataError
from tst.data.selection import Selection


def iter_documents(
    path: str,
    fmt: str,
    selection: Selection | None,
    *,
    allow_missing: bool = False,
    errors: str = "strict",
    delimiter: str | None = None,
) -> Iterator[list[str]]:
    """Each document's strings: a text file gives one per non-blank line, a dataset one list per record.

    Args:
        path: the file.
        fmt: ``text``, ``jsonl``, ``json``, ``csv``, ``tsv`` or ``parquet``.
        selection: which strings of a record (required unless ``fmt == "text"``).
        allow_missing: records lacking a selected field give what they have.
        errors: invalid UTF-8 in a text format: ``"strict"`` raises `DataError`,
            ``"surrogateescape"`` carries the bytes as lone surrogates (Parquet: always valid).
        delimiter: the CSV delimiter (default ``,``; tab for ``tsv``).

    Raises:
        DataError (and its `RecordError`, `MissingFieldError`): as the converter of `fmt` raises them.
    """
    if fmt == "parquet":
        from tst.data.parquet import read_parquet

        if selection is None:
            raise ValueError("parquet data needs a selection (--field / --messages)")
        yield from read_parquet(path, selection, allow_missing=allow_missing)  # valid UTF-8 by format
        return
    with open(path, "rb") as source:
        if fmt == "text":
            from tst.data.text import read_lines

            yield from ([line] for line in read_lines(source, name=path, errors=errors))
            return
        if selection is None:
            raise ValueError(f"{fmt} data needs a selection (--field / --messages)")
        if fmt == "jsonl":
            from tst.data.jsonl import read_jsonl

            yield from read_jsonl(source, selection, name=path, allow_missing=allow_missing, errors=errors)
        elif fmt == "json":
            from tst.data.json_array import read_json

            yield from read_json(source, selection, name=path, allow_missing=allow_missing, errors=errors)
        elif fmt in ("csv", "tsv"):
            from tst.data.csv_format import read_csv

            if selection.messages is not None:
                raise DataError(path, "--messages needs JSONL, JSON or Parquet data; CSV cells are plain strings")
            delimiter = delimiter or ("\t" if fmt == "tsv" else ",")
            yield from read_csv(
                source, selection.fields, name=path, delimiter=delimiter, allow_missing=allow_missing, errors=errors
            )
        else:
            raise ValueError(f"unknown format {fmt!r}")
