"""Convert plain text streams (``tst encode`` / ``tst decode``) block by block, pipelined.

Three stages overlap: a worker thread reads and decodes the next block, the
calling thread converts the current one (the Rust engine releases the GIL and
spreads the pieces over its threads), and a worker thread encodes and writes
the previous result. Order is kept, at most three blocks are in flight, and
an error in any stage stops the run and surfaces in the caller. The workers
are daemon threads: an interrupt never waits for a read that may block
forever (a pipe or FIFO with no writer activity).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Generic, TypeVar

from tst.data.blocks import (
    BLOCK_SIZE,
    Block,
    decode_block,
    decode_pieces,
    encode_text,
    line_and_column,
    read_blocks,
)
from tst.data.converter import Counts, TextConverter
from tst.data.errors import DataError
from tst.data.parallel import convert_blocks
from tst.errors import TSTDecodeError, TSTRangeError

T = TypeVar("T")
_Prepared = tuple[Block, list[str]]
#: Seconds an interrupted run waits for the write in progress before returning.
WRITE_GRACE = 10.0


class _Task(Generic[T]):
    """A call running in a daemon thread; `result` waits for it (interruptibly) and re-raises its error."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name="tst-io", daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:
            self._error = exc
        finally:
            self._done.set()

    def result(self) -> T:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def settle(self, timeout: float) -> None:
        """Wait up to `timeout` seconds, ignoring the outcome (used while unwinding)."""
        self._done.wait(timeout)


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
    """Stream `source` through `converter` into `sink`; memory is about three blocks.

    In the returned counts, ``records`` are lines, ``numbers`` the numbers
    converted and ``out_of_range_*`` the numerals left as text because of
    their range (the other fields stay 0).

    Raises:
        DataError: undecodable bytes, or text the codec rejects (strict
            decoding, ``overflow="error"``), naming ``name:line:column``.
    """
    counts = Counts()
    before = converter.counts.copy()
    blocks = read_blocks(source, block_size, on_read)

    def prepare() -> _Prepared | None:
        block = next(blocks, None)
        if block is None:
            return None
        return block, decode_pieces(block, name, errors)

    def writer(out: list[str]) -> Callable[[], None]:
        def write() -> None:
            for piece in out:
                sink.write(encode_text(piece, errors))

        return write

    ahead: _Task[_Prepared | None] = _Task(prepare)
    writing: _Task[None] | None = None
    try:
        while True:
            item = ahead.result()
            if item is None:
                break
            ahead = _Task(prepare)
            block, pieces = item
            try:
                out = converter.convert_batch(pieces)
            except (TSTDecodeError, TSTRangeError) as exc:
                raise _where(exc, pieces, name, block.line) from None
            counts.records += block.data.count(b"\n") + (0 if block.data.endswith(b"\n") else 1)
            if writing is not None:
                writing.result()
            writing = _Task(writer(out))
        if writing is not None:
            writing.result()
    except BaseException as exc:
        if writing is not None:
            writing.settle(WRITE_GRACE)  # do not close the output under a running write
        if isinstance(exc, Exception):
            # Bad input, not an interrupt: let the read in flight end, so that the interpreter
            # never shuts down with the reader thread inside a buffered stdin.
            ahead.settle(WRITE_GRACE)
        raise
    counts.take_numbers(converter.counts, before)
    return counts


def read_lines(
    source: BinaryIO, *, name: str = "<stdin>", errors: str = "strict", block_size: int = BLOCK_SIZE
) -> Iterator[str]:
    """The non-blank lines of `source`, without their line ending, read as `convert_text` reads them
    (`errors`: ``"strict"``, or ``"surrogateescape"`` to carry undecodable bytes as lone surrogates).

    Raises:
        DataError: undecodable bytes (line and byte offset).
    """
    for block in read_blocks(source, block_size):
        for line in decode_block(block, name, errors).split("\n"):
            line = line.rstrip("\r")
            if line.strip():
                yield line


@dataclass
class TextJob:
    """Everything a worker process needs to convert plain-text blocks (picklable)."""

    converter: TextConverter
    name: str
    errors: str

    def start(self) -> Callable[[Block], tuple[bytes, Counts]]:
        """The block converter: bytes in, bytes and counts (lines, numbers) out."""
        conv = self.converter

        def convert(block: Block) -> tuple[bytes, Counts]:
            pieces = decode_pieces(block, self.name, self.errors)
            before = conv.counts.copy()
            try:
                out = conv.convert_batch(pieces)
            except (TSTDecodeError, TSTRangeError) as exc:
                raise _where(exc, pieces, self.name, block.line) from None
            lines = block.data.count(b"\n") + (0 if block.data.endswith(b"\n") else 1)
            data = b"".join(encode_text(p, self.errors) for p in out)
            counts = Counts(records=lines)
            counts.take_numbers(conv.counts, before)
            return data, counts

        return convert


def convert_text_parallel(
    source: BinaryIO,
    sink: BinaryIO,
    converter: TextConverter,
    jobs: int,
    *,
    name: str = "<stdin>",
    errors: str = "strict",
    block_size: int = BLOCK_SIZE,
    on_read: Callable[[int], None] | None = None,
) -> Counts:
    """`convert_text` with blocks converted in `jobs` worker processes (same output, same errors)."""
    job = TextJob(converter, name, errors)
    return convert_blocks(read_blocks(source, block_size, on_read), job, jobs, sink.write)


def _where(exc: TSTDecodeError | TSTRangeError, pieces: list[str], name: str, first_line: int) -> DataError:
    """The codec's error on piece ``exc.index`` of a block, as a `DataError` naming ``name:line:column``."""
    k = exc.index or 0
    before = "".join(pieces[:k])
    line, column = line_and_column(before + pieces[k], len(before) + exc.position, first_line)
    what = "invalid TST" if isinstance(exc, TSTDecodeError) else "number out of range"
    return DataError(f"{name}:{line}:{column}", f"{what}: {exc.reason}")
