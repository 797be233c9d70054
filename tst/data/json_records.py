"""Convert the selected strings of many JSON records in one batch call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from tst.data.converter import TextConverter
from tst.errors import TSTDecodeError, TSTError, TSTRangeError

#: Called with (record index, index of the failing value in that record, codec error);
#: raises, or returns to skip the record.
OnFail = Callable[[int, int, Exception], None]


def convert_values(
    converter: TextConverter, value_lists: Sequence[Sequence[str]], on_fail: OnFail
) -> list[list[str] | None]:
    """New values for every record's strings; None for a record `on_fail` chose to skip.

    One batch call converts everything, failing strings included (the codec
    gives each one's error in its place); a record with a failing string goes
    to `on_fail` with its first failing string, in record order. Only the
    records kept are counted.
    """
    values = [v for vs in value_lists for v in vs]
    flat = converter.convert_batch(values, count=False, errors="return")
    out: list[list[str] | None] = []
    kept_in: list[str] = []
    kept_out: list[str] = []
    k = 0
    for index, vs in enumerate(value_lists):
        new = flat[k : k + len(vs)]
        k += len(vs)
        failed = next(((j, v) for j, v in enumerate(new) if isinstance(v, TSTError)), None)
        if failed is not None:
            on_fail(index, failed[0], failed[1])
            out.append(None)
            continue
        strings = cast(list[str], new)
        kept_in.extend(vs)
        kept_out.extend(strings)
        out.append(strings)
    converter.add_counts(kept_in, kept_out)
    return out


def codec_message(exc: TSTError) -> str:
    """The codec's message for `exc` as a single call words it (the record, not the batch index, names the place)."""
    if isinstance(exc, (TSTDecodeError, TSTRangeError)):
        return str(type(exc)(exc.position, exc.reason))
    return str(exc).removeprefix(f"item {exc.index}: ")


def codec_reason(exc: Exception) -> str:
    """Short description of a codec error for a record-level message."""
    if isinstance(exc, TSTDecodeError):
        return f"invalid TST at character {exc.position}: {exc.reason}"
    if isinstance(exc, TSTRangeError):
        return f"number out of range at character {exc.position}: {exc.reason}"
    return str(exc)
