"""CSV (and TSV) with a header row, streamed; untouched rows and cells keep their exact bytes.

Python's `csv` module parses each record (strictly: a stray or unclosed quote
is an error naming the line, not a cell that silently swallows the rest of
the file); the raw text of the record is kept beside it, and only the cells
that change are re-quoted in place. A row whose raw cells cannot be matched to
the parsed values is written again by `csv.writer` with the same delimiter and
line ending.
"""

from __future__ import annotations

import csv
import io
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from tst.data.blocks import BLOCK_SIZE, ERRORS_HINT, Block, decode_block, encode_text, read_blocks
from tst.data.converter import Counts, TextConverter, counted
from tst.data.errors import DataError, MissingFieldError, RecordError
from tst.data.json_records import codec_reason, convert_values, must_report, report_note
from tst.data.jsonl import BOM, LONE_CR, MISSING_HINT, SKIP_HINT

#: Rows converted per batch call.
BATCH_ROWS = 4096
QUOTE = '"'


def convert_csv(
    source: BinaryIO,
    sink: BinaryIO,
    converter: TextConverter,
    fields: tuple[str, ...],
    *,
    name: str = "<stdin>",
    delimiter: str = ",",
    errors: str = "strict",
    skip_bad: bool = False,
    allow_missing: bool = False,
    block_size: int = BLOCK_SIZE,
    on_read: Callable[[int], None] | None = None,
) -> Counts:
    """Convert the named columns of a CSV file with a header row.

    Raises:
        DataError: undecodable bytes, or CSV the parser rejects (line named).
        MissingFieldError: a named column absent from the header, or a row too
            short to have it, unless `allow_missing`.
        RecordError: a cell the codec rejects, unless `skip_bad`.
    """
    if not fields:
        raise ValueError("CSV conversion needs at least one column name")
    before = converter.counts.copy()
    counts = Counts()
    lines = _RawLines(read_blocks(source, block_size, on_read), name, errors)
    reader = csv.reader(lines, delimiter=delimiter, quotechar=QUOTE, strict=True)
    header = _header_row(reader, lines, name)
    if header is None:
        counts.absent_columns = list(_no_header(fields, name, allow_missing))
        return counts
    names = _header_names(header[0])
    columns, absent = _columns(names, fields, header[2], allow_missing)  # before any output: stdout stays empty
    counts.absent_columns = list(absent)
    sink.write(encode_text(header[1], errors))
    batch: list[tuple[list[str], str, int]] = []
    while True:
        start_line = reader.line_num + 1
        got = _next_row(reader, lines, name)
        if got is not None:
            batch.append((got[0], got[1], start_line))
        if batch and (got is None or len(batch) >= BATCH_ROWS):
            out = _convert_rows(
                batch, columns, not absent, converter, counts, name, delimiter, skip_bad, allow_missing, names
            )
            sink.write(encode_text(out, errors))
            batch = []
        if got is None:
            break
    counts.take_strings(converter.counts, before)
    return counts


def read_csv(
    source: BinaryIO,
    fields: tuple[str, ...],
    *,
    name: str = "<stdin>",
    delimiter: str = ",",
    allow_missing: bool = False,
    errors: str = "strict",
    block_size: int = BLOCK_SIZE,
) -> Iterator[list[str]]:
    """The selected cells of each row (blank lines skipped), read as `convert_csv` reads them (same errors;
    `errors` as for `convert_csv`)."""
    lines = _RawLines(read_blocks(source, block_size), name, errors)
    reader = csv.reader(lines, delimiter=delimiter, quotechar=QUOTE, strict=True)
    header = _header_row(reader, lines, name)
    if header is None:
        _no_header(fields, name, allow_missing)
        return
    columns, absent = _columns(_header_names(header[0]), fields, header[2], allow_missing)
    while True:
        line = reader.line_num + 1
        got = _next_row(reader, lines, name)
        if got is None:
            return
        if not _blank(got[0]):
            yield [got[0][k] for k in _present(got[0], columns, not absent, name, line, allow_missing)]


def _header_row(reader: Any, lines: _RawLines, name: str) -> tuple[list[str], str, str] | None:
    """The first row that is not blank, its raw text with the blank lines before it (kept as they
    are; pandas' ``skip_blank_lines`` reads such a file the same way), and ``file:line`` of its
    start; None when there is none."""
    blank = ""
    while True:
        start = reader.line_num + 1
        got = _next_row(reader, lines, name)
        if got is None:
            return None
        if not _blank(got[0]):
            return got[0], blank + got[1], f"{name}:{start}"
        blank += got[1]


def _blank(cells: list[str]) -> bool:
    """Whether a parsed row is a blank line: nothing, or spaces and tabs only in one cell (pandas'
    ``skip_blank_lines`` skips both; such a line holds no number, so copying it changes nothing)."""
    return not cells or (len(cells) == 1 and not cells[0].strip(" \t"))


def _no_header(fields: tuple[str, ...], name: str, allow_missing: bool) -> tuple[str, ...]:
    """The selected columns, all absent from a file with no header row (empty, or blank lines only).

    Raises:
        MissingFieldError: unless `allow_missing` (an empty file converts to an empty file then).
    """
    if not allow_missing:
        raise MissingFieldError(name, f"no header row (the file is empty or blank): no column {fields[0]!r}")
    return fields


def _header_names(header: list[str]) -> list[str]:
    """The column names of a header row (`_RawLines` hides a byte order mark from the parser)."""
    return list(header)


def _columns(names: list[str], fields: tuple[str, ...], where: str, allow_missing: bool) -> tuple[list[int], list[str]]:
    """Indices of the selected columns among the header's `names`, and the selected names it lacks
    (`where`: the header's file and line, for errors)."""
    absent = [f for f in fields if f not in names]
    if absent and not allow_missing:
        listed = ", ".join(map(repr, names))
        raise MissingFieldError(
            where,
            # No --allow-missing hint: with a column absent from the header, it would pass every
            # record through unconverted (the whole file), which is not what a typo wants.
            f"the header has no column {absent[0]!r} (columns: {listed}){_delimiter_hint(names)}",
        )
    for f in fields:
        at = [k + 1 for k, h in enumerate(names) if h == f]
        if len(at) > 1:
            raise DataError(
                where,
                f"the header names column {f!r} {len(at)} times (columns {', '.join(map(str, at))}): rename them apart",
            )
    return [k for k, h in enumerate(names) if h in fields], absent


def _delimiter_hint(names: list[str]) -> str:
    """A hint when the header is a comment line, or reads as one column holding another usual
    delimiter (``;``, tab, ``|``, space)."""
    if names and names[0].startswith("#"):  # a comment line (matplotlib's Stocks.csv: "# Data source: ...")
        return "; the first line is a comment: remove the lines before the header (e.g. `grep -v '^#'`)"
    if len(names) != 1:
        return ""
    found = next((d for d in (";", "\t", "|", " ") if d in names[0]), None)
    if found is None:
        return ""
    option = "--format tsv" if found == "\t" else f"--delimiter {found!r}"
    return f"; the header holds {found!r}: is it the delimiter ({option})?"


def _present(
    cells: list[str], columns: list[int], all_found: bool, name: str, line: int, allow_missing: bool
) -> list[int]:
    """The selected columns a row has; a row short of one raises unless `allow_missing`."""
    present = [k for k in columns if k < len(cells)]
    if (len(present) < len(columns) or not all_found) and not allow_missing:
        raise MissingFieldError(
            f"{name}:{line}",
            f"the row has {counted(len(cells), 'cell')}, too few for the selected columns{MISSING_HINT}",
        )
    return present


class _RawLines:
    """Lines for `csv.reader`, remembering the raw text of the record being read."""

    def __init__(self, blocks: Iterator[Block], name: str, errors: str, hint: str = ERRORS_HINT) -> None:
        self._lines = self._generate(blocks, name, errors, hint)
        self.raw: list[str] = []
        self._first = True

    @staticmethod
    def _generate(blocks: Iterator[Block], name: str, errors: str, hint: str) -> Iterator[str]:
        for block in blocks:
            text = decode_block(block, name, errors, hint)
            start = 0
            n = len(text)
            while start < n:
                nl = text.find("\n", start)
                end = n if nl == -1 else nl + 1
                yield text[start:end]
                start = end

    def __iter__(self) -> _RawLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.raw.append(line)
        if self._first:
            self._first = False
            # A byte order mark is kept in the raw text (written back as it was) but hidden from the
            # parser: before a quoted first header cell it would make the quote part of the name.
            return line.removeprefix(BOM)
        return line

    def take(self) -> str:
        """The raw text read since the last call."""
        raw = "".join(self.raw)
        self.raw.clear()
        return raw


#: The `csv` module's field size limit is process-wide: it is raised only while one record is parsed.
_LIMIT = threading.Lock()


def _next_row(reader: Any, lines: _RawLines, name: str) -> tuple[list[str], str] | None:
    """The next parsed row and its raw text, or None at the end.

    A cell may be as long as memory allows: the `csv` module's field size
    limit (process-wide) is lifted for this one read and restored after it.
    """
    start = reader.line_num + 1
    try:
        with _LIMIT:
            old = csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
            try:
                row: list[str] = next(reader)
            finally:
                csv.field_size_limit(old)
    except StopIteration:
        return None
    except csv.Error as exc:
        where = f"{name}:{start}"
        reason = str(exc)
        if "new-line character seen in unquoted field" in reason:
            # The csv module's own hint names an open() mode the command line does not have.
            reason = LONE_CR
        raise DataError(where, f"malformed CSV in the record starting on this line: {reason}") from None
    return row, lines.take()


class _Row:
    """One parsed row: its cells, raw text, first line, and the selected cells it has."""

    __slots__ = ("cells", "line", "present", "raw")

    def __init__(self, cells: list[str], raw: str, line: int, present: list[int]) -> None:
        self.cells = cells
        self.raw = raw
        self.line = line
        self.present = present


def _convert_rows(
    batch: list[tuple[list[str], str, int]],
    columns: list[int],
    all_found: bool,
    converter: TextConverter,
    counts: Counts,
    name: str,
    delimiter: str,
    skip_bad: bool,
    allow_missing: bool,
    names: list[str],
) -> str:
    rows: list[_Row] = []
    for cells, raw, line in batch:
        if _blank(cells):  # a blank line: copied, not a record
            rows.append(_Row(cells, raw, line, []))
            continue
        present = _present(cells, columns, all_found, name, line, allow_missing)
        if len(present) < len(columns) or not all_found:
            counts.missing += 1
        if len(cells) > len(names):
            counts.wider += 1
        counts.records += 1
        rows.append(_Row(cells, raw, line, present))
    results = _convert_cells(rows, converter, counts, name, skip_bad, names)
    out: list[str] = []
    for row, new in zip(rows, results):
        if new is None:
            continue  # skipped
        changes = {col: v for col, v in zip(row.present, new) if v != row.cells[col]}
        out.append(rewrite_row(row.raw, row.cells, changes, delimiter) if changes else row.raw)
    return "".join(out)


def _convert_cells(
    rows: list[_Row], converter: TextConverter, counts: Counts, name: str, skip_bad: bool, names: list[str]
) -> list[list[str] | None]:
    """New values of each row's selected cells (None: the row was skipped); `names`: the header's."""

    def failed(index: int, cell: int, exc: Exception) -> None:
        row = rows[index]
        exc = converter.reported(exc)
        if must_report(exc, skip_bad):
            note = report_note(exc, skip_bad, SKIP_HINT)
            field = names[row.present[cell]]
            raise RecordError(f"{name}:{row.line}", f"field {field}: {codec_reason(exc)}{note}") from None
        counts.records -= 1
        counts.skip(f"line {row.line}")

    return convert_values(converter, [[row.cells[k] for k in row.present] for row in rows], failed)


def rewrite_row(raw: str, row: list[str], changes: dict[int, str], delimiter: str) -> str:
    """`raw` (one CSV record) with the cells in `changes` replaced, all other bytes kept."""
    body, ending = _ending(raw)
    if QUOTE not in body:  # the common row: no quoted cell, so its cells are the body split
        cells = body.split(delimiter)
        if cells == row:
            return (
                delimiter.join(
                    [quote_cell(changes[k], delimiter, False) if k in changes else v for k, v in enumerate(cells)]
                )
                + ending
            )
    spans = cell_spans(body, delimiter)
    if spans is None or len(spans) != len(row) or any(_value(body, s) != v for s, v in zip(spans, row)):
        new_row = [changes.get(k, v) for k, v in enumerate(row)]
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, quotechar=QUOTE, lineterminator=ending).writerow(new_row)
        return buf.getvalue()
    parts: list[str] = []
    last = 0
    for col in sorted(changes):
        a, b = spans[col]
        parts += [body[last:a], quote_cell(changes[col], delimiter, body[a : a + 1] == QUOTE)]
        last = b
    parts += [body[last:], ending]
    return "".join(parts)


def quote_cell(value: str, delimiter: str, was_quoted: bool) -> str:
    """`value` as a CSV cell: quoted when it was, or when it needs to be.

    A cell that was not quoted stays bare when it can: a quote inside a bare cell (not
    first) reads as itself (``say "hi"``: csv.reader accepts it, strict or not), so
    quoting it would change the file's bytes for the same value.
    """
    if was_quoted or value[:1] == QUOTE or delimiter in value or "\n" in value or "\r" in value:
        return QUOTE + value.replace(QUOTE, QUOTE * 2) + QUOTE
    return value


def _ending(raw: str) -> tuple[str, str]:
    """`raw` split into its body and its line ending.

    The ending is the whole run of CR and LF the reader takes as the end of the record:
    ``\r\r\n`` (what `csv.writer` writes on Windows to a file opened without ``newline=""``)
    ends one record, and neither a bare cell nor the text after a closing quote can end in CR or LF.
    """
    body = raw.rstrip("\r\n")
    return body, raw[len(body) :]


def cell_spans(body: str, delimiter: str) -> list[tuple[int, int]] | None:
    """Spans of the raw cells of one record (without its line ending), or None if irregular."""
    spans: list[tuple[int, int]] = []
    n = len(body)
    i = 0
    while True:
        if body[i : i + 1] == QUOTE:
            j = i + 1
            while True:
                k = body.find(QUOTE, j)
                if k == -1:
                    return None
                if body[k + 1 : k + 2] == QUOTE:
                    j = k + 2
                    continue
                break
            end = k + 1
            if end < n and body[end] != delimiter:
                return None
        else:
            k = body.find(delimiter, i)
            end = n if k == -1 else k
        spans.append((i, end))
        if end >= n:
            return spans
        i = end + 1


def _value(body: str, span: tuple[int, int]) -> str:
    a, b = span
    cell = body[a:b]
    if cell[:1] == QUOTE:
        return cell[1:-1].replace(QUOTE * 2, QUOTE)
    return cell
