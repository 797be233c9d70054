"""The pure-Python engine: the readable specification the Rust engine must match."""

from __future__ import annotations

from collections.abc import Sequence

from tst import paper
from tst._decode import decode as _decode_exact
from tst._encode import Piece
from tst._encode import encode_with_offsets as _encode_exact
from tst._grammar import find_numbers
from tst.errors import TSTError
from tst.numbers import Number, OutOfRange
from tst.settings import Settings


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

    def out_of_range_batch(self, texts: Sequence[str], num_threads: int | None = None) -> list[list[OutOfRange]]:
        return [self.out_of_range(t) for t in texts]

    def encode_batch(self, texts: Sequence[str], num_threads: int | None = None) -> list[str]:
        return [self.encode(t) for t in texts]

    def decode_batch(self, texts: Sequence[str], strict: bool = True, num_threads: int | None = None) -> list[str]:
        return [self.decode(t, strict) for t in texts]

    def encode_batch_with_offsets(
        self, texts: Sequence[str], num_threads: int | None = None
    ) -> list[tuple[str, list[Piece]]]:
        return [self.encode_with_offsets(t) for t in texts]
