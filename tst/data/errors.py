"""Errors raised while converting files and records, with the place they happened."""

from __future__ import annotations

from tst.errors import TSTError


class DataError(TSTError):
    """Input that cannot be converted: bad bytes, bad JSON, a missing or ill-typed field.

    Attributes:
        where: the place, e.g. ``"data.jsonl:12"`` or ``"data.csv:3 (record 2)"``;
            empty when unknown.
        reason: what is wrong there.
        index: the failing row (0-based) where the input is a table of rows (a `datasets`
            batch or dataset, Parquet, Arrow), the same row `where` names; None otherwise
            (text files name their line in `where`).
    """

    def __init__(self, where: str, reason: str, index: int | None = None) -> None:
        super().__init__(f"{where}: {reason}" if where else reason)
        self.where = where
        self.reason = reason
        self.index = index

    def __reduce__(self) -> tuple[type[DataError], tuple[str, str, int | None]]:
        return (type(self), (self.where, self.reason, self.index))


class RecordError(DataError):
    """One record is malformed or lacks a selected field; `--skip-bad` may drop it."""


class MissingFieldError(RecordError):
    """A selected field is absent from a record; `--allow-missing` leaves such records unchanged."""
