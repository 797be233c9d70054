"""Convert plain text streams (``tst encode`` / ``tst decode``) block by block."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from tst.data.blocks import BLOCK_SIZE, decode_block, encode_text, line_and_column, read_blocks, split_pieces
from tst.data.converter import Counts, TextConverter
from tst.data.errors import DataError
from tst.errors import TSTDecodeError, TSTRangeError


def convert_text(
    source: BinaryIO,
    sink: BinaryIO,
    converter: TextConverter,
    *,
    name: str = "<stdin>",
    errors: str = "strict",
    block_size: int = BLOCK_SIZE,
    on_read: Callable[[int], None] | None = None,
) -> Counts:
    """Stream `source` through `converter` into `sink`; memory is about a few blocks.

    In the returned counts, ``records`` are lines and ``numbers`` the numbers
    converted (the other fields stay 0).

    Raises:
        DataError: undecodable bytes, or text the codec rejects (strict
            decoding, ``overflow="error"``), naming ``name:line:column``.
    """
    counts = Counts()
    before = converter.counts.copy()
    for block in read_blocks(source, block_size, on_read):
        text = decode_block(block, name, errors)
        pieces = split_pieces(text)
        try:
            out = converter.convert_batch(pieces)
        except (TSTDecodeError, TSTRangeError):
            raise _locate(converter, pieces, name, block.line) from None
        sink.write(encode_text("".join(out), errors))
        counts.records += text.count("\n") + (0 if text.endswith("\n") else 1)
    counts.numbers = converter.counts.numbers - before.numbers
    return counts


def _locate(converter: TextConverter, pieces: list[str], name: str, first_line: int) -> DataError:
    found = converter.locate(pieces)
    if found is None:  # the batch failed but no single piece does: should not happen
        return DataError(name, "the codec rejected a block but none of its lines")
    k, exc = found
    if not isinstance(exc, (TSTDecodeError, TSTRangeError)):
        return DataError(name, str(exc))
    before = "".join(pieces[:k])
    line, column = line_and_column(before + pieces[k], len(before) + exc.position, first_line)
    what = "invalid TST" if isinstance(exc, TSTDecodeError) else "number out of range"
    return DataError(f"{name}:{line}:{column}", f"{what}: {exc.reason}")
