"""Convert the selected strings of many JSON records in one batch call."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tst.data.converter import TextConverter
from tst.errors import TSTDecodeError, TSTRangeError

#: Called with (record index, index of the failing value in that record, codec error);
#: raises, or returns to skip the record.
OnFail = Callable[[int, int, Exception], None]


def convert_values(
    converter: TextConverter, value_lists: Sequence[Sequence[str]], on_fail: OnFail
) -> list[list[str] | None]:
    """New values for every record's strings; None for a record `on_fail` chose to skip.

    One batch call converts everything; only when the codec rejects something
    (strict decoding, ``overflow="error"``) are the records retried one by one
    to find which.
    """
    values = [v for vs in value_lists for v in vs]
    try:
        flat = converter.convert_batch(values)
    except (TSTDecodeError, TSTRangeError):
        return _one_by_one(converter, value_lists, on_fail)
    out: list[list[str] | None] = []
    k = 0
    for vs in value_lists:
        out.append(flat[k : k + len(vs)])
        k += len(vs)
    return out


def _one_by_one(
    converter: TextConverter, value_lists: Sequence[Sequence[str]], on_fail: OnFail
) -> list[list[str] | None]:
    out: list[list[str] | None] = []
    for index, values in enumerate(value_lists):
        try:
            out.append(converter.convert_batch(values))
        except (TSTDecodeError, TSTRangeError) as exc:
            found = converter.locate(values)
            k, err = found if found is not None else (0, exc)
            on_fail(index, k, err)
            out.append(None)
    return out


def codec_reason(exc: Exception) -> str:
    """Short description of a codec error for a record-level message."""
    if isinstance(exc, TSTDecodeError):
        return f"invalid TST at character {exc.position}: {exc.reason}"
    if isinstance(exc, TSTRangeError):
        return f"number out of range at character {exc.position}: {exc.reason}"
    return str(exc)
