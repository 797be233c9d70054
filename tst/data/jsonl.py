"""JSON Lines: one record per line, streamed; only the selected strings' bytes change."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from tst.data.blocks import BLOCK_SIZE, decode_block, encode_text, read_blocks
from tst.data.converter import Counts, TextConverter
from tst.data.errors import MissingFieldError, RecordError
from tst.data.json_records import codec_reason, convert_sites
from tst.data.json_sites import JSONProblem, RecordSites, RecordWalker, Site, ensure_ascii_style, skip_ws, splice
from tst.data.selection import Selection

BOM = "\ufeff"
SKIP_HINT = " (--skip-bad drops such records)"
MISSING_HINT = " (--allow-missing passes such records through)"


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
) -> Counts:
    """Convert the selected strings of every JSON Lines record of `source` into `sink`.

    Blank lines and every byte outside the converted strings are copied as
    they are; a record with nothing to change is copied byte for byte.
    Rewritten strings use ``\\u`` escapes when their line already did
    (``json.dumps`` default), else plain UTF-8; `ensure_ascii` decides for
    pure-ASCII lines without escapes.

    Raises:
        RecordError: a malformed record (line and column), unless `skip_bad`.
        MissingFieldError: a record without a selected field, unless `allow_missing`.
        DataError: undecodable bytes.
    """
    counts = Counts()
    before = converter.counts.copy()
    walker = RecordWalker(selection)
    for block in read_blocks(source, block_size, on_read):
        text = decode_block(block, name, errors)
        lines = text.split("\n")
        keep = [True] * len(lines)
        items: list[tuple[int, RecordSites]] = []
        for k, line in enumerate(lines):
            lineno = block.line + k
            start = skip_ws(line, 1 if block.offset == 0 and k == 0 and line.startswith(BOM) else 0)
            if start == len(line):
                continue  # a blank line: not a record
            try:
                found = walker.record(line, start)
                end = skip_ws(line, found.end)
                if end != len(line):
                    raise JSONProblem(end, "extra data after the record", syntax=True)
            except JSONProblem as p:
                where = f"{name}:{lineno}:{p.position + 1}"
                if not skip_bad:
                    raise RecordError(where, f"{p.reason}{SKIP_HINT}") from None
                keep[k] = False
                counts.skipped += 1
                counts.skipped_where.append(f"line {lineno}")
                continue
            missing = [key for key in selection.keys if key not in found.present]
            if missing:
                if not allow_missing:
                    raise MissingFieldError(f"{name}:{lineno}", f"the record has no field {missing[0]!r}{MISSING_HINT}")
                counts.missing += 1
            counts.records += 1
            items.append((k, found))

        def on_fail(
            index: int,
            site: Site,
            exc: Exception,
            items: list[tuple[int, RecordSites]] = items,
            first: int = block.line,
        ) -> None:
            lineno = first + items[index][0]
            where = f"{name}:{lineno}:{site.start + 1}"
            if not skip_bad:
                raise RecordError(where, f"field {site.path}: {codec_reason(exc)}{SKIP_HINT}")
            counts.skipped += 1
            counts.records -= 1
            counts.skipped_where.append(f"line {lineno}")

        new_values = convert_sites(converter, [found.sites for _, found in items], on_fail)
        for (k, found), new in zip(items, new_values):
            if new is None:
                keep[k] = False
            else:
                lines[k] = splice(lines[k], found.sites, new, ensure_ascii_style(lines[k], ensure_ascii))
        last = len(lines) - 1
        out = "".join(line + ("\n" if k < last else "") for k, line in enumerate(lines) if keep[k])
        sink.write(encode_text(out, errors))
    counts.take_strings(converter.counts, before)
    return counts
