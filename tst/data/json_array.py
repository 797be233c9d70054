"""A JSON document: an array of records (or one record object), rewritten in place.

The whole document is read into memory (JSON has no record boundaries to
stream on; use JSON Lines for large data). Only the selected strings change;
with `skip_bad`, bad records are cut out of the array with their separator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from tst.data.blocks import encode_text, invalid_utf8, line_and_column
from tst.data.converter import Counts, TextConverter
from tst.data.errors import DataError, MissingFieldError, RecordError
from tst.data.json_records import codec_reason, convert_values, must_report, report_note
from tst.data.json_sites import (
    JSONProblem,
    RecordSites,
    RecordWalker,
    Site,
    ensure_ascii_style,
    skip_value,
    skip_ws,
    splice,
)
from tst.data.jsonl import BOM, MISSING_HINT, SKIP_HINT
from tst.data.selection import Selection


def convert_json(
    source: BinaryIO,
    sink: BinaryIO,
    converter: TextConverter,
    selection: Selection,
    *,
    name: str = "<stdin>",
    errors: str = "strict",
    skip_bad: bool = False,
    allow_missing: bool = False,
    ensure_ascii: bool = False,
) -> Counts:
    """Convert the selected strings of a JSON array of records (or of a single record object).

    Raises:
        DataError: invalid UTF-8 or JSON syntax (line and column).
        RecordError: an element that is not a usable record, unless `skip_bad`.
        MissingFieldError: a record without a selected field, unless `allow_missing`.
    """
    data = source.read()
    try:
        text = data.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        raise invalid_utf8(name, data, exc) from None
    before = converter.counts.copy()
    doc = _Document(text, name, selection, skip_bad, allow_missing)
    doc.parse()
    sites = [found.sites for _, found in doc.records]
    new_values = convert_values(
        converter,
        [[s.value for s in ss] for ss in sites],
        lambda k, j, exc: doc.on_fail(k, sites[k][j], exc, converter),
    )
    sink.write(encode_text(doc.rebuild(new_values, ensure_ascii_style(text, ensure_ascii)), errors))
    doc.counts.take_strings(converter.counts, before)
    return doc.counts


def read_json(
    source: BinaryIO,
    selection: Selection,
    *,
    name: str = "<stdin>",
    allow_missing: bool = False,
    errors: str = "strict",
) -> Iterator[list[str]]:
    """The selected strings of each record of a JSON document, read as `convert_json` reads them (same
    errors; `errors` as for `convert_json`)."""
    data = source.read()
    try:
        text = data.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        raise invalid_utf8(name, data, exc) from None
    doc = _Document(text, name, selection, False, allow_missing, skip_hint="")
    doc.parse()
    for _, found in doc.records:
        yield [s.value for s in found.sites]


class _Document:
    """One JSON document: its element spans, its records' sites, the elements dropped."""

    def __init__(
        self,
        text: str,
        name: str,
        selection: Selection,
        skip_bad: bool,
        allow_missing: bool,
        skip_hint: str = SKIP_HINT,
    ) -> None:
        self.skip_hint = skip_hint
        self.text = text
        self.name = name
        self.selection = selection
        self.skip_bad = skip_bad
        self.allow_missing = allow_missing
        self.walker = RecordWalker(selection)
        self.counts = Counts()
        self.single = False
        self.elements: list[tuple[int, int]] = []  # every element of the array (or the one record)
        self.records: list[tuple[int, RecordSites]] = []  # (element index, sites)
        self.dropped: set[int] = set()

    def where(self, position: int) -> str:
        line, column = line_and_column(self.text, position)
        return f"{self.name}:{line}:{column}"

    def parse(self) -> None:
        text = self.text
        start = skip_ws(text, 1 if text.startswith(BOM) else 0)
        try:
            c = text[start : start + 1]
            if c == "{":
                self.single = True
                end = self._element(start)
            elif c == "[":
                end = self._array(start)
            else:
                skip_value(text, start)
                raise JSONProblem(start, "the document must be an array of records or one record object", syntax=True)
            if skip_ws(text, end) != len(text):
                extra = skip_ws(text, end)
                # A record per line: JSON Lines named .json (common in datasets).
                lines = self.single and "\n" in text[end:extra] and text[extra] == "{"
                hint = " (one record per line: is it JSON Lines? pass --format jsonl)" if lines else ""
                raise JSONProblem(extra, f"extra data after the document{hint}", syntax=True)
        except JSONProblem as p:
            raise DataError(self.where(p.position), p.reason) from None

    def _array(self, start: int) -> int:
        text = self.text
        i = skip_ws(text, start + 1)
        if text[i : i + 1] == "]":
            return i + 1
        while True:
            i = skip_ws(text, self._element(i))
            c = text[i : i + 1]
            if c == "]":
                return i + 1
            if c != ",":
                raise JSONProblem(i, "expected ',' or ']' in the array of records", syntax=True)
            i = skip_ws(text, i + 1)

    def _element(self, i: int) -> int:
        """Walk one record at `i`; return its end."""
        index = len(self.elements)
        try:
            found = self.walker.record(self.text, i)
        except JSONProblem as p:
            if p.syntax:
                raise
            end = skip_value(self.text, i)  # a syntax error later in the element wins
            if not self.skip_bad or self.single:
                raise RecordError(self.where(p.position), p.reason + ("" if self.single else self.skip_hint)) from None
            self.elements.append((i, end))
            self._drop(index, p.position)
            return end
        self.elements.append((i, found.end))
        missing = [key for key in self.selection.keys if key not in found.present]
        if missing:
            if not self.allow_missing:
                raise MissingFieldError(self.where(i), f"the record has no field {missing[0]!r}{MISSING_HINT}")
            self.counts.missing += 1
        self.counts.records += 1
        self.records.append((index, found))
        return found.end

    def _drop(self, index: int, position: int | None = None) -> None:
        """Drop element `index`, named by the line of `position` (the reported spot; default: its start)."""
        self.dropped.add(index)
        line, _ = line_and_column(self.text, self.elements[index][0] if position is None else position)
        self.counts.skip(f"line {line}")  # as JSON Lines and CSV name a skipped record

    def on_fail(self, k: int, site: Site, exc: Exception, converter: TextConverter) -> None:
        """A record's strings were rejected by the codec: drop it (`skip_bad`) or raise."""
        exc = converter.reported(exc)
        if must_report(exc, self.skip_bad) or self.single:
            note = report_note(exc, self.skip_bad, "" if self.single else self.skip_hint)
            raise RecordError(self.where(site.start), f"field {site.path}: {codec_reason(exc)}{note}")
        self.counts.records -= 1
        self._drop(self.records[k][0], site.start)  # the line its error would name

    def rebuild(self, new_values: list[list[str] | None], ensure_ascii: bool) -> str:
        """The document with the new strings in place and dropped elements cut out."""
        text = self.text
        edits: dict[int, str] = {}
        for (index, found), new in zip(self.records, new_values):
            if new is not None:
                a, b = self.elements[index]
                shifted = [Site(s.start - a, s.end - a, s.value, s.path) for s in found.sites]
                edits[index] = splice(text[a:b], shifted, new, ensure_ascii)
        if not self.elements:
            return text
        out = [text[: self.elements[0][0]]]
        previous_end: int | None = None
        for index, (a, b) in enumerate(self.elements):
            if index in self.dropped:
                continue
            if previous_end is not None:
                out.append(text[self.elements[index - 1][1] : a])  # the separator just before it
            out.append(edits.get(index, text[a:b]))
            previous_end = b
        out.append(text[self.elements[-1][1] :])
        return "".join(out)
