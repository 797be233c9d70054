"""The pure-Python engine: the readable specification the Rust engine must match."""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any, Optional, TypeVar

from tst import paper
from tst._decode import decode as _decode_exact
from tst._encode import Piece
from tst._encode import encode_with_offsets as _encode_exact
from tst._grammar import find_numbers
from tst.errors import TSTError, check_errors
from tst.numbers import Number, OutOfRange
from tst.settings import Settings

T = TypeVar("T")


class PythonEngine:
    """Encode/decode with one `Settings`; same methods as the Rust `Engine`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def encode(self, text: str) -> str:
        st = self.settings
        if st.style == "paper":
            return paper.encode_paper(text, st.group_size, st.variant == "vocab")
        return _encode_exact(text, st)[0]

    def encode_with_offsets(self, text: str) -> tuple[str, list[Piece]]:
        if self.settings.style == "paper":
            raise TSTError("style='paper' is lossy and has no offsets; use style='exact'")
        return _encode_exact(text, self.settings)

    def decode(self, text: str, strict: bool = True) -> str:
        if self.settings.style == "paper":
            raise TSTError("style='paper' is lossy and cannot be decoded; use style='exact'")
        return _decode_exact(text, self.settings, strict)

    def numbers(self, text: str) -> list[Number]:
        st = self.settings
        if st.style == "paper":
            return [num for _, num, _ in paper.find_paper_numbers(text, st.group_size)]
        return find_numbers(text, st)

    def out_of_range(self, text: str) -> list[OutOfRange]:
        st = self.settings
        if st.style == "paper":
            return []
        found: list[OutOfRange] = []
        find_numbers(text, st, found)
        return found

    def out_of_range_batch(self, texts: Sequence[str], num_threads: int | None = None) -> list[Any]:
        return _batch(self.out_of_range, texts, "raise")

    def encode_batch(self, texts: Sequence[str], num_threads: int | None = None, errors: str = "raise") -> list[Any]:
        return _batch(self.encode, texts, errors)

    def decode_batch(
        self, texts: Sequence[str], strict: bool = True, num_threads: int | None = None, errors: str = "raise"
    ) -> list[Any]:
        return _batch(lambda t: self.decode(t, strict), texts, errors)

    def encode_batch_with_offsets(
        self, texts: Sequence[str], num_threads: int | None = None, errors: str = "raise"
    ) -> list[Any]:
        return _batch(self.encode_with_offsets, texts, errors)

    def encode_batch_offset_table(self, texts: Sequence[str], num_threads: int | None = None) -> tuple[list[str], Any]:
        """`encode_batch` with one `tst._offset_table.OffsetMapper` over the batch (needs NumPy)."""
        from tst._offset_table import OffsetMapper  # NumPy: the hf extra, imported on first use

        pairs = self.encode_batch_with_offsets(texts)
        encoded = [e for e, _ in pairs]
        return encoded, OffsetMapper([p for _, p in pairs], [len(e) for e in encoded], [len(t) for t in texts])

    def encode_arrow(self, array: Any, num_threads: int | None = None, errors: str = "raise") -> ArrowBuffers:
        return _arrow(self.encode, array, errors)

    def decode_arrow(
        self, array: Any, strict: bool = True, num_threads: int | None = None, errors: str = "raise"
    ) -> ArrowBuffers:
        return _arrow(lambda t: self.decode(t, strict), array, errors)


#: What the engines' Arrow functions return: null count, validity bitmap (None without nulls),
#: offsets (little-endian int32 for `string`, int64 for `large_string`), data, errors of failed items.
ArrowBuffers = tuple[int, Optional[bytes], bytes, bytes, list[TSTError]]


def _arrow(fn: Callable[[str], str], array: Any, errors: str) -> ArrowBuffers:
    """The Arrow buffers of `array` (a pyarrow string or large_string array) with `fn` applied to each string.

    The readable reference of the Rust engine's `encode_arrow`/`decode_arrow`,
    which read and write these buffers without a Python object per string.
    Nulls stay null; a failing item raises its error (index set), or with
    ``errors="return"`` becomes null and its error is listed.
    """
    check_errors(errors)
    large = str(array.type) == "large_string"
    if not large and str(array.type) != "string":
        raise TypeError(f"expected an Arrow string or large_string array, not {array.type}")
    ends = [0]
    data: list[bytes] = []
    valid: list[bool] = []
    failures: list[TSTError] = []
    for k, value in enumerate(array.to_pylist()):
        out = None
        if value is not None:
            try:
                out = fn(value).encode("utf-8")
            except TSTError as exc:
                if errors == "raise":
                    raise exc.at(k) from None
                failures.append(exc.at(k))
        valid.append(out is not None)
        data.append(out or b"")
        ends.append(ends[-1] + len(data[-1]))
    if not large and ends[-1] > 2**31 - 1:
        raise ValueError(
            f"the converted strings take {ends[-1]} bytes, more than a `string` array holds; use large_string"
        )
    nulls = valid.count(False)
    validity = None
    if nulls:
        bits = bytearray((len(valid) + 7) // 8)
        for k, ok in enumerate(valid):
            if ok:
                bits[k // 8] |= 1 << (k % 8)
        validity = bytes(bits)
    offsets = struct.pack(f"<{len(ends)}{'q' if large else 'i'}", *ends)
    return nulls, validity, offsets, b"".join(data), failures


def _batch(fn: Callable[[str], T], texts: Sequence[str], errors: str) -> list[T | TSTError]:
    """`fn` over `texts`; a failing item raises its error with the item's index, or gives it in its place."""
    check_errors(errors)
    out: list[T | TSTError] = []
    for k, text in enumerate(texts):
        try:
            out.append(fn(text))
        except TSTError as exc:
            err = exc.at(k)
            if errors == "raise":
                raise err from None
            out.append(err)
    return out
