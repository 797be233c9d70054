"""Convert the selected strings of many JSON records in one batch call."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tst.data.converter import TextConverter
from tst.data.json_sites import Site
from tst.errors import TSTDecodeError, TSTRangeError

#: Called with (record index, failing site, codec error); raises, or returns to skip the record.
OnFail = Callable[[int, Site, Exception], None]


def convert_sites(
    converter: TextConverter, site_lists: Sequence[Sequence[Site]], on_fail: OnFail
) -> list[list[str] | None]:
    """New values for every record's sites; None for a record `on_fail` chose to skip.

    One batch call converts everything; only when the codec rejects something
    (strict decoding, ``overflow="error"``) are the records retried one by one
    to find which.
    """
    values = [s.value for sites in site_lists for s in sites]
    try:
        flat = converter.convert_batch(values)
    except (TSTDecodeError, TSTRangeError):
        return _one_by_one(converter, site_lists, on_fail)
    out: list[list[str] | None] = []
    k = 0
    for sites in site_lists:
        out.append(flat[k : k + len(sites)])
        k += len(sites)
    return out


def _one_by_one(
    converter: TextConverter, site_lists: Sequence[Sequence[Site]], on_fail: OnFail
) -> list[list[str] | None]:
    out: list[list[str] | None] = []
    for index, sites in enumerate(site_lists):
        values = [s.value for s in sites]
        try:
            out.append(converter.convert_batch(values))
        except (TSTDecodeError, TSTRangeError) as exc:
            found = converter.locate(values)
            k, err = found if found is not None else (0, exc)
            on_fail(index, sites[k], err)
            out.append(None)
    return out


def codec_reason(exc: Exception) -> str:
    """Short description of a codec error for a record-level message."""
    if isinstance(exc, TSTDecodeError):
        return f"invalid TST at character {exc.position}: {exc.reason}"
    if isinstance(exc, TSTRangeError):
        return f"number out of range at character {exc.position}: {exc.reason}"
    return str(exc)
