"""Read a byte stream in blocks that end on a newline, and decode them with exact error places.

A number, a unit and an escape never contain a newline, so converting a file
block by block (or line by line) gives the same text as converting it whole;
memory stays bounded by the block size plus the longest line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from tst.data.errors import DataError

#: Bytes read per block; blocks are cut at the last newline inside.
BLOCK_SIZE = 1 << 21
#: Characters per piece handed to a batch call (pieces run in parallel in Rust).
PIECE_SIZE = 1 << 16

ERRORS = ("strict", "surrogateescape")
#: What invalid UTF-8 errors suggest (the CLI's option).
ERRORS_HINT = "; pass --errors=surrogateescape to carry undecodable bytes through unchanged"


@dataclass(frozen=True)
class Block:
    """Whole lines of the input: `data` starts at byte `offset`, on line `line` (1-based)."""

    data: bytes
    offset: int
    line: int


def read_blocks(
    stream: BinaryIO, block_size: int = BLOCK_SIZE, on_read: Callable[[int], None] | None = None
) -> Iterator[Block]:
    """Blocks of whole lines from `stream` (the last one may lack its newline).

    Args:
        stream: a binary stream, read until it ends.
        block_size: bytes per read; a line longer than this is kept whole.
        on_read: called with the byte count of every read (progress bars).
    """
    pending: list[bytes] = []
    offset = 0
    line = 1
    while True:
        chunk = stream.read(block_size)
        if not chunk:
            break
        if on_read is not None:
            on_read(len(chunk))
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            pending.append(chunk)
            continue
        data = b"".join([*pending, chunk[:cut]]) if pending else chunk[:cut]
        pending = [chunk[cut:]] if cut < len(chunk) else []
        yield Block(data, offset, line)
        offset += len(data)
        line += data.count(b"\n")
    if pending:
        yield Block(b"".join(pending), offset, line)


def decode_block(block: Block, name: str, errors: str = "strict", hint: str = ERRORS_HINT) -> str:
    """UTF-8 text of `block`, or `DataError` naming the line and byte offset of bad bytes (then `hint`)."""
    try:
        return block.data.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        raise invalid_utf8(name, block.data, exc, block.offset, block.line, hint) from None


def invalid_utf8(
    name: str, data: bytes, exc: UnicodeDecodeError, offset: int = 0, line: int = 1, hint: str = ERRORS_HINT
) -> DataError:
    """The `DataError` for undecodable bytes at ``exc.start`` of `data`."""
    pos = exc.start
    line += data.count(b"\n", 0, pos)
    column = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    bad = data[pos : min(exc.end, pos + 4)]
    what = f"byte {bad.hex()}" if len(bad) == 1 else f"bytes {bad.hex(' ')}"
    return DataError(
        f"{name}:{line}", f"invalid UTF-8 ({what} at byte offset {offset + pos}, byte {column} of the line){hint}"
    )


def decode_pieces(block: Block, name: str, errors: str = "strict", size: int = PIECE_SIZE) -> list[str]:
    """The block's text in pieces of whole lines, about `size` bytes each (no copy of the whole text)."""
    data = block.data
    n = len(data)
    pieces: list[str] = []
    start = 0
    while start < n:
        nl = data.find(b"\n", start + size) if start + size < n else -1
        end = n if nl == -1 else nl + 1
        try:
            pieces.append(data[start:end].decode("utf-8", errors))
        except UnicodeDecodeError as exc:
            exc.start += start
            exc.end += start
            raise invalid_utf8(name, data, exc, block.offset, block.line) from None
        start = end
    return pieces


def encode_text(text: str, errors: str = "strict") -> bytes:
    """UTF-8 bytes of `text`; with ``surrogateescape`` the original undecodable bytes come back."""
    return text.encode("utf-8", errors)


def split_pieces(text: str, size: int = PIECE_SIZE) -> list[str]:
    """Cut `text` after newlines into pieces of about `size` characters (whole lines each)."""
    n = len(text)
    if n <= size:
        return [text] if text else []
    pieces = []
    start = 0
    while start < n:
        nl = text.find("\n", start + size) if start + size < n else -1
        if nl == -1:
            pieces.append(text[start:])
            break
        pieces.append(text[start : nl + 1])
        start = nl + 1
    return pieces


def line_and_column(text: str, position: int, first_line: int = 1) -> tuple[int, int]:
    """1-based line and column (in characters) of `position` in `text`."""
    line = first_line + text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column
