"""Type stub of the compiled engine `tst._tst_rs` (rust_ext/src/lib.rs).

Use it through `tst.Codec`, which validates the settings before building an
`Engine`. Positions are `str` indices; errors are the exceptions of `tst.errors`.
"""

from collections.abc import Sequence
from typing import final

from tst.errors import TSTError

__all__ = ["PARALLEL_MIN_BYTES", "SPELLING", "UNICODE_VERSION", "Engine", "OffsetTable", "release_buffers"]

#: Unicode version the character classes were frozen from (scripts/gen_unicode_tables.py).
UNICODE_VERSION: str
SPELLING: dict[str, str]
#: Batches smaller than this many bytes of text run on the calling thread.
PARALLEL_MIN_BYTES: int

def release_buffers() -> None:
    """Free the memory single calls on this thread keep for the next call (up to 64 MB each way)."""

_Piece = tuple[int, int, int, int]
_Offsets = list[tuple[int, int]]
_GroupTuple = tuple[str, int, int, int]
_NumberTuple = tuple[int, int, list[_GroupTuple], str | None, bool]

@final
class Engine:
    """One immutable codec configuration; safe to share between threads."""

    def __new__(
        cls,
        variant: str,
        group_size: int,
        style: str,
        decimal: str,
        separators: str,
        indian: bool,
        int_digits: int,
        frac_digits: int,
        overflow: str,
    ) -> Engine: ...
    def encode(self, text: str) -> str: ...
    def decode(self, text: str, strict: bool = True) -> str: ...
    def encode_with_offsets(self, text: str) -> tuple[str, list[_Piece]]: ...
    def numbers(self, text: str) -> list[_NumberTuple]: ...
    def out_of_range(self, text: str) -> list[tuple[int, int, str, int]]: ...
    # A failing text (overflow="error") raises its error with `index` set.
    def out_of_range_batch(
        self, texts: list[str], num_threads: int | None = None
    ) -> list[list[tuple[int, int, str, int]]]: ...
    # A failing item raises its error with `index` set; errors="return" puts it in the item's place.
    def encode_batch(
        self, texts: list[str], num_threads: int | None = None, errors: str = "raise"
    ) -> list[str | TSTError]: ...
    def decode_batch(
        self, texts: list[str], strict: bool = True, num_threads: int | None = None, errors: str = "raise"
    ) -> list[str | TSTError]: ...
    def encode_batch_with_offsets(
        self, texts: list[str], num_threads: int | None = None, errors: str = "raise"
    ) -> list[tuple[str, list[_Piece]] | TSTError]: ...
    # Arrow string/large_string arrays (any object with __arrow_c_array__), read without a copy:
    # (null_count, validity or None, offsets, data, errors of the failed items, which are null).
    def encode_arrow(
        self, array: object, num_threads: int | None = None, errors: str = "raise"
    ) -> tuple[int, bytes | None, bytes, bytes, list[TSTError]]: ...
    def decode_arrow(
        self, array: object, strict: bool = True, num_threads: int | None = None, errors: str = "raise"
    ) -> tuple[int, bytes | None, bytes, bytes, list[TSTError]]: ...
    def count_numbers_batch(self, texts: Sequence[str]) -> int: ...
    def count_numbers_arrow(self, array: object) -> int: ...
    # (integer, fraction) out-of-range numerals of the valid items (zeros unless overflow="text").
    def count_out_of_range_arrow(self, array: object) -> tuple[int, int]: ...
    # tst.data.jsonl's fast path: None (not UTF-8) or (block, lines left to Python as (line, start, end),
    # (records, missing, strings, changed, numbers), out of range left as text (integer, fraction)).
    def convert_jsonl_block(
        self,
        data: bytes,
        fields: list[str],
        messages: str | None,
        decode: bool,
        strict: bool,
        allow_missing: bool,
        ensure_ascii: bool,
        at_start: bool,
        count: bool,
        num_threads: int | None = None,
    ) -> tuple[bytes, list[tuple[int, int, int]], tuple[int, int, int, int, int], tuple[int, int]] | None: ...
    def encode_batch_offset_table(
        self, texts: list[str], num_threads: int | None = None
    ) -> tuple[list[str], OffsetTable]: ...

@final
class OffsetTable:
    """The pieces of a batch of encoded texts, kept in Rust to map token offsets back."""

    def __new__(cls, pieces: list[list[_Piece]]) -> OffsetTable: ...
    def __len__(self) -> int: ...
    def map_rows(self, rows: Sequence[_Offsets], sources: Sequence[int | Sequence[int]]) -> list[_Offsets]: ...
    def map_rows_in_place(self, rows: list[_Offsets], sources: Sequence[int | Sequence[int]]) -> None: ...
