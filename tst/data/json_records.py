"""Convert the selected strings of many JSON records in one batch call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate, pairwise
from typing import cast

from tst._hints import names_other_settings
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
    converter.note_witness(values, flat)  # the whole batch is data seen, before any failure is judged
    if set(map(type, flat)) <= {str}:  # nothing failed, the common case: no loop per record
        done = cast(list[str], flat)
        converter.add_counts(values, done)
        bounds = list(accumulate(map(len, value_lists), initial=0))
        return [done[a:b] for a, b in pairwise(bounds)]
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


#: Why a decode error is reported despite ``--skip-bad`` (see `must_report`).
NOT_SKIPPED = " (--skip-bad drops bad records, not data written with other settings)"


def must_report(exc: BaseException | None, skip_bad: bool) -> bool:
    """Whether a record the codec rejected stops the run: always without `skip_bad`, and with it
    when the text decodes under other settings (`tst._hints.names_other_settings`): then every
    record fails alike, and dropping them all would lose the data (DECISIONS 42). Readers pass
    `TextConverter.reported` errors, whose hint the data decoded so far does not refute (46)."""
    return not skip_bad or names_other_settings(exc)


def report_note(exc: BaseException | None, skip_bad: bool, skip_hint: str) -> str:
    """What follows the reason of a reported codec error: `skip_hint` where ``--skip-bad`` would
    drop the record, `NOT_SKIPPED` where it did not, nothing for data of other settings."""
    if not names_other_settings(exc):
        return skip_hint
    return NOT_SKIPPED if skip_bad else ""


def codec_reason(exc: Exception) -> str:
    """Short description of a codec error for a record-level message."""
    if isinstance(exc, TSTDecodeError):
        return f"invalid TST at character {exc.position}: {exc.reason}"
    if isinstance(exc, TSTRangeError):
        return f"number out of range at character {exc.position}: {exc.reason}"
    return str(exc)
