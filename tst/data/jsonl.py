"""JSON Lines: one record per line, streamed; only the selected strings' bytes change.

With the Rust engine, each block goes first to `Engine.convert_jsonl_block`
(rust_ext/src/jsonl.rs), which walks the records, converts the selected
strings and writes them back itself, with no Python object per record, and
leaves every line it does not follow exactly (malformed, ill-typed, missing a
field, rejected by the codec, a byte-order mark, ...) to the Python code
below, the readable reference; the tests compare both on generated data.

The Python code has two ways to rewrite a line, with the same result:

* Fast: a line that is exactly what ``json.dumps`` writes for its record (in
  one of the four usual styles: ASCII or UTF-8, ``", "``/``": "`` or compact
  separators) is parsed by the C decoder and written again by the C encoder
  after the strings are replaced; re-serialising reproduces every other byte,
  which the equality check on the way in guarantees.
* Exact: any other line is walked (`RecordWalker`) and only the spans of the
  selected string literals are replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from tst.codec import rust_engine
from tst.data.blocks import BLOCK_SIZE, Block, decode_block, encode_text, read_blocks
from tst.data.converter import Counts, TextConverter
from tst.data.errors import MissingFieldError, RecordError
from tst.data.json_records import codec_reason, convert_values, must_report, report_note
from tst.data.json_sites import JSONProblem, RecordWalker, Site, ensure_ascii_style, skip_ws, splice
from tst.data.parallel import convert_blocks
from tst.data.records import SelectionError, Slot, field_slots, fill, messages_slots, read
from tst.data.selection import Selection
from tst.errors import TSTDecodeError
from tst.spelling import OPEN

BOM = "\ufeff"
SKIP_HINT = " (--skip-bad drops such records)"
MISSING_HINT = " (--allow-missing passes such records through)"
#: Why a file with classic Mac line ends cannot be read as records (JSON Lines, CSV).
LONE_CR = "a lone CR (classic Mac line ends) ends no record; convert the line ends to LF or CRLF"

#: (ensure_ascii, separators) of the json.dumps styles the fast path recognises.
_STYLES = ((False, (", ", ": ")), (True, (", ", ": ")), (False, (",", ":")), (True, (",", ":")))
#: After this many lines without one canonical line, stop trying the fast path.
_GIVE_UP = 256


@dataclass
class _Item:
    """One record line: where it is, its selected strings, and how to write it back."""

    index: int
    values: list[str]
    sites: list[Site] | None = None  # exact path
    record: dict[str, Any] | None = None  # fast path
    slots: list[Slot] = field(default_factory=list)
    style: tuple[bool, tuple[str, str]] | None = None
    cr: str = ""


class _FastPath:
    """Recognises lines that `json.dumps` wrote, and rewrites them by serialising again."""

    def __init__(self, selection: Selection, default_ascii: bool) -> None:
        self.selection = selection
        self.default_ascii = default_ascii
        self.hits = 0
        self.tries = 0
        self._dumps = [json.JSONEncoder(ensure_ascii=a, separators=s).encode for a, s in _STYLES]

    def parse(self, body: str) -> tuple[dict[str, Any], list[Slot], list[str], tuple[bool, tuple[str, str]]] | None:
        """(record copy, slots, missing keys, style) for a canonical line, else None."""
        if self.hits == 0 and self.tries >= _GIVE_UP:
            return None
        self.tries += 1
        try:
            record = json.loads(body)
        except ValueError:
            return None
        if not isinstance(record, dict):
            return None
        ascii_line = body.isascii()
        for k, style in enumerate(_STYLES):
            if (ascii_line or not style[0]) and self._dumps[k](record) == body:
                break
        else:
            return None
        ensure_ascii, seps = style
        if ascii_line:  # both escape styles write this line: keep its \\u escapes, if any
            ensure_ascii = ensure_ascii_style(body, self.default_ascii)
        slots: list[Slot] = []
        try:
            new, missing = self._slots(record, slots)
        except SelectionError:
            return None  # the exact path names the problem and its column
        self.hits += 1
        return new, slots, missing, (ensure_ascii, seps)

    def _slots(self, record: dict[str, Any], slots: list[Slot]) -> tuple[dict[str, Any], list[str]]:
        """`record_slots` in the line's own order (a dict keeps it), the order `RecordWalker` lists sites in."""
        sel = self.selection
        out = dict(record)
        for key in record:
            if key in sel.fields:
                field_slots(out, key, key, slots)
            elif key == sel.messages:
                messages_slots(out, key, key, slots)
        return out, [key for key in sel.keys if key not in record]


def convert_jsonl(
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
    block_size: int = BLOCK_SIZE,
    on_read: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> Counts:
    """Convert the selected strings of every JSON Lines record of `source` into `sink`.

    Blank lines and every byte outside the converted strings are copied as
    they are; a record with nothing to change is copied byte for byte.
    Rewritten strings use ``\\u`` escapes when their line already did
    (``json.dumps`` default), else plain UTF-8; `ensure_ascii` decides for
    pure-ASCII lines without escapes. With ``jobs > 1`` blocks are converted
    in that many worker processes (same output).

    Raises:
        RecordError: a malformed record (line and column), unless `skip_bad`.
        MissingFieldError: a record without a selected field, unless `allow_missing`.
        DataError: undecodable bytes.
    """
    job = JSONLJob(converter, selection, name, errors, skip_bad, allow_missing, ensure_ascii)
    return convert_blocks(read_blocks(source, block_size, on_read), job, jobs, sink.write)


def read_jsonl(
    source: BinaryIO,
    selection: Selection,
    *,
    name: str = "<stdin>",
    allow_missing: bool = False,
    errors: str = "strict",
    block_size: int = BLOCK_SIZE,
) -> Iterator[list[str]]:
    """The selected strings of each record of `source`, read as `convert_jsonl` reads them (same errors;
    `errors` as for `convert_jsonl`).

    Raises:
        RecordError: a malformed record (line and column).
        MissingFieldError: a record without a selected field, unless `allow_missing`.
        DataError: undecodable bytes.
    """
    job = _JSONLines(None, selection, name, False, allow_missing, False, skip_hint="")
    for block in read_blocks(source, block_size):
        lines = decode_block(block, name, errors).split("\n")
        for item in job.items(block.line, dict(enumerate(lines)), block.offset == 0):
            yield item.values


@dataclass
class JSONLJob:
    """Everything a worker needs to convert JSON Lines blocks (picklable)."""

    converter: TextConverter
    selection: Selection
    name: str
    errors: str
    skip_bad: bool
    allow_missing: bool
    ensure_ascii: bool

    def start(self) -> Callable[[Block], tuple[bytes, Counts]]:
        """The block converter (its counts are per block)."""
        conv = self.converter
        job = _JSONLines(conv, self.selection, self.name, self.skip_bad, self.allow_missing, self.ensure_ascii)
        rust = _rust_engine(conv, self.selection)
        sel = self.selection

        def convert(block: Block) -> tuple[bytes, Counts]:
            before = conv.counts.copy()
            job.counts = Counts()
            out = None
            if rust is not None:
                # Rust converts the lines it can follow exactly and leaves the others to `job`.
                got = rust.convert_jsonl_block(
                    block.data,
                    list(sel.fields),
                    sel.messages,
                    conv.direction == "decode",
                    conv.strict,
                    self.allow_missing,
                    self.ensure_ascii,
                    block.offset == 0,
                    conv.count_numbers_enabled,
                    conv.num_threads,
                )
                if got is not None:  # None: not UTF-8, the Python code reports (or escapes) the bytes
                    data, left, (records, missing, strings, changed, numbers), (ints, fracs) = got
                    job.counts.records += records
                    job.counts.missing += missing
                    conv.counts.strings += strings
                    conv.counts.changed += changed
                    if changed and conv.witness is None and conv.direction == "decode":
                        conv.witness = _decoded_string(block.data, conv)
                    conv.counts.numbers += numbers
                    conv.counts.out_of_range_integer += ints
                    conv.counts.out_of_range_fraction += fracs
                    out = job.patch(block.line, data, left, block.offset == 0, self.errors) if left else data
            if out is None:
                text = job.block(block.line, decode_block(block, self.name, self.errors), block.offset == 0)
                out = encode_text(text, self.errors)
            job.counts.take_strings(conv.counts, before)
            return out, job.counts

        return convert


def _decoded_string(data: bytes, converter: TextConverter) -> str | None:
    """A string of `data` (JSON Lines) with units that decodes strictly: `TextConverter.witness`
    for the lines the Rust engine converted (it returns counts, not strings). Parses lines
    until one has such a string: once per run."""
    for line in data.split(b"\n"):
        if OPEN.encode() not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        stack = [record]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str) and OPEN in value:
                try:
                    if converter.codec.decode(value) != value:
                        return value
                except ValueError:
                    continue
    return None


def _rust_engine(converter: TextConverter, selection: Selection) -> Any | None:
    """The Rust engine for the JSON Lines fast path, or None where it does not apply.

    It needs the Rust backend, the exact style (it counts numbers from units)
    and selected names that are UTF-8 (not lone surrogates from a command line).
    """
    engine = rust_engine(converter.codec)
    if engine is None or converter.codec.settings.style != "exact":
        return None
    try:
        for key in selection.keys:
            key.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return engine


class _JSONLines:
    """Converts the lines of one block at a time, keeping the counts."""

    def __init__(
        self,
        converter: TextConverter | None,
        selection: Selection,
        name: str,
        skip_bad: bool,
        allow_missing: bool,
        ensure_ascii: bool,
        skip_hint: str = SKIP_HINT,
    ) -> None:
        self.converter = converter
        self.skip_hint = skip_hint
        self.selection = selection
        self.name = name
        self.skip_bad = skip_bad
        self.allow_missing = allow_missing
        self.ensure_ascii = ensure_ascii
        self.walker = RecordWalker(selection)
        self.fast = _FastPath(selection, ensure_ascii)
        self.counts = Counts()
        # State of the lines being converted: line index in the block -> text; indices dropped.
        self.first_line = 1
        self.lines: dict[int, str] = {}
        self.dropped: set[int] = set()

    def items(self, first_line: int, lines: dict[int, str], at_start: bool) -> list[_Item]:
        """The records among `lines` (index in a block starting on line `first_line` -> text).

        Malformed records raise, or with `skip_bad` are dropped.
        """
        self.first_line = first_line
        self.lines = lines
        self.dropped = set()
        return [item for k, line in lines.items() if (item := self._item(k, line, at_start and k == 0)) is not None]

    def convert(self, first_line: int, lines: dict[int, str], at_start: bool) -> dict[int, str | None]:
        """The new text of each of `lines` (see `items`); None for a line dropped."""
        assert self.converter is not None
        items = self.items(first_line, lines, at_start)
        new_values = convert_values(
            self.converter, [item.values for item in items], lambda i, j, e: self._failed(items[i], j, e)
        )
        for item, new in zip(items, new_values):
            if new is not None and new != item.values:
                self._rewrite(item, new)
        return {k: None if k in self.dropped else line for k, line in self.lines.items()}

    def block(self, first_line: int, text: str, at_start: bool) -> str:
        """The converted text of a block of whole lines starting on line `first_line`."""
        lines = text.split("\n")
        last = len(lines) - 1
        new = self.convert(first_line, dict(enumerate(lines)), at_start)
        return "".join(line + ("\n" if k < last else "") for k, line in new.items() if line is not None)

    def patch(
        self, first_line: int, data: bytes, left: list[tuple[int, int, int]], at_start: bool, errors: str
    ) -> bytes:
        """`data` (a block the Rust engine converted) with the lines it `left` converted here.

        `left` lists ``(line index, start, end)`` of those lines in `data`,
        copied there unchanged (valid UTF-8); a line dropped takes its newline
        with it, as `block` drops it.
        """
        new = self.convert(first_line, {k: data[a:b].decode("utf-8") for k, a, b in left}, at_start)
        parts: list[bytes] = []
        pos = 0
        for k, a, b in left:
            parts.append(data[pos:a])
            line = new[k]
            if line is None:
                pos = b + 1 if b < len(data) else b
            else:
                parts.append(encode_text(line, errors))
                pos = b
        parts.append(data[pos:])
        return b"".join(parts)

    def _bad(self, k: int, column: int, reason: str, exc: Exception | None = None) -> None:
        lineno = self.first_line + k
        if must_report(exc, self.skip_bad):
            note = report_note(exc, self.skip_bad, self.skip_hint)
            raise RecordError(f"{self.name}:{lineno}:{column}", f"{reason}{note}")
        self.dropped.add(k)
        self.counts.skip(f"line {lineno}")

    def _item(self, k: int, line: str, first: bool) -> _Item | None:
        bom = first and line.startswith(BOM)
        start = skip_ws(line, 1 if bom else 0)
        if start == len(line):
            return None  # a blank line: not a record
        cr = "\r" if line.endswith("\r") else ""
        parsed = None if bom else self.fast.parse(line[: len(line) - len(cr)])
        if parsed is not None:
            record, slots, missing, style = parsed
            item = _Item(k, read(slots), record=record, slots=slots, style=style, cr=cr)
        else:
            try:
                found = self.walker.record(line, start)
                end = skip_ws(line, found.end)
                if end != len(line):
                    if "\r" in line[found.end : end + 1]:
                        # A lone CR (classic Mac line ends) ends no record in JSON Lines: the whole
                        # file would read as one bad record, which --skip-bad must not drop.
                        where = f"{self.name}:{self.first_line + k}:{end + 1}"
                        raise RecordError(where, f"extra data after the record: {LONE_CR}")
                    raise JSONProblem(end, "extra data after the record", syntax=True)
            except JSONProblem as p:
                self._bad(k, p.position + 1, p.reason)
                return None
            missing = [key for key in self.selection.keys if key not in found.present]
            item = _Item(k, [s.value for s in found.sites], sites=found.sites)
        if missing:
            if not self.allow_missing:
                where = f"{self.name}:{self.first_line + k}"
                raise MissingFieldError(where, f"the record has no field {missing[0]!r}{MISSING_HINT}")
            self.counts.missing += 1
        self.counts.records += 1
        return item

    def _failed(self, item: _Item, j: int, exc: Exception) -> None:
        """The codec rejected string `j` of `item`: name its column, then raise or skip the record."""
        line = self.lines[item.index]
        sites = item.sites or self.walker.record(line, skip_ws(line, 0)).sites
        self.counts.records -= 1
        if isinstance(exc, TSTDecodeError) and self.converter is not None:
            exc = self.converter.codec.with_hint(exc, item.values[j])  # names the settings that fit, if any
        if self.converter is not None:
            exc = self.converter.reported(exc)
        self._bad(item.index, sites[j].start + 1, f"field {sites[j].path}: {codec_reason(exc)}", exc)

    def _rewrite(self, item: _Item, new: list[str]) -> None:
        line = self.lines[item.index]
        if item.sites is not None:
            self.lines[item.index] = splice(line, item.sites, new, ensure_ascii_style(line, self.ensure_ascii))
            return
        assert item.record is not None and item.style is not None
        fill(item.slots, new)
        ascii_, seps = item.style
        self.lines[item.index] = json.dumps(item.record, ensure_ascii=ascii_, separators=seps) + item.cr
