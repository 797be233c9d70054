"""Map token offsets from a TST surface back to the original text, vectorised.

Every text (a *source*) comes with its pieces ``(enc_start, enc_end, orig_start,
orig_end)``. Between pieces the surface is the original shifted by a constant,
so a position in a gap moves by the shift of the last piece before it; a token
edge that falls inside a piece (a unit, or part of an escaped bracket) snaps to
that piece's original span: starts to its start, ends to its end.

All sources of a batch are laid end to end on one axis, each behind a zero-width
sentinel piece, so one `searchsorted` per edge maps the whole batch. With the Rust
engine the same rule runs as ``tst._tst_rs.OffsetTable`` (rust_ext/src/offsets.rs),
which also skips the round trip of every offset through NumPy.

This module needs NumPy (the ``hf`` extra); the codec imports it only when an
offset table is asked for with the pure-Python engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Protocol

import numpy as np
import numpy.typing as npt

from tst._encode import Piece

Offsets = list[tuple[int, int]]
_I64 = npt.NDArray[np.int64]


class OffsetMap(Protocol):
    """Maps rows of token offsets on encoded sources back to the original sources."""

    def map_rows(self, rows: Sequence[Offsets], sources: Sequence[int | Sequence[int]]) -> list[Offsets]:
        """Map each row; `sources[r]` is one source for the whole row or one per token."""
        ...

    def map_rows_in_place(self, rows: list[Offsets], sources: Sequence[int | Sequence[int]]) -> None:
        """`map_rows` whose result replaces the contents of `rows`."""
        ...


class OffsetMapper:
    """Maps offsets of tokens in encoded sources back to their original sources."""

    def __init__(
        self, pieces: Sequence[Sequence[Piece]], enc_lengths: Sequence[int], orig_lengths: Sequence[int]
    ) -> None:
        n = len(pieces)
        self.has_pieces = [len(p) > 0 for p in pieces]
        counts = np.fromiter((len(p) + 1 for p in pieces), dtype=np.int64, count=n)
        self.enc_base: _I64 = np.zeros(n, dtype=np.int64)
        self.orig_base: _I64 = np.zeros(n, dtype=np.int64)
        if n:
            self.enc_base[1:] = np.cumsum(np.asarray(enc_lengths, dtype=np.int64) + 1)[:-1]
            self.orig_base[1:] = np.cumsum(np.asarray(orig_lengths, dtype=np.int64) + 1)[:-1]
        total = int(counts.sum())
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(pieces)), dtype=np.int64)
        flat = flat.reshape(-1, 4)
        table = np.empty((total, 4), dtype=np.int64)
        sentinel_rows = np.cumsum(counts) - counts  # where each source's sentinel sits
        is_piece = np.ones(total, dtype=bool)
        is_piece[sentinel_rows] = False
        table[sentinel_rows, 0] = table[sentinel_rows, 1] = self.enc_base
        table[sentinel_rows, 2] = table[sentinel_rows, 3] = self.orig_base
        owner = np.repeat(np.arange(n, dtype=np.int64), counts - 1)
        table[is_piece, 0:2] = flat[:, 0:2] + self.enc_base[owner, None]
        table[is_piece, 2:4] = flat[:, 2:4] + self.orig_base[owner, None]
        self.enc_start: _I64 = table[:, 0]
        self.enc_end: _I64 = np.ascontiguousarray(table[:, 1])
        self.orig_start: _I64 = table[:, 2]
        self.orig_end: _I64 = table[:, 3]
        self.shift: _I64 = self.orig_end - self.enc_end

    def map_edges(self, starts: _I64, ends: _I64, sources: _I64) -> tuple[_I64, _I64]:
        """Map token (start, end) arrays whose positions are in the encoded `sources`."""
        total = len(self.enc_end)
        s = starts + self.enc_base[sources]
        e = ends + self.enc_base[sources]
        # Starts: inside the first piece ending after s, or shifted by the last ending at or before s.
        k = np.searchsorted(self.enc_end, s, side="right")
        kc = np.minimum(k, total - 1)
        inside = (k < total) & (self.enc_start[kc] <= s)
        new_s = np.where(inside, self.orig_start[kc], s + self.shift[k - 1])
        # Ends: inside the first piece ending at or after e (and starting before it), else shifted.
        k = np.searchsorted(self.enc_end, e, side="left")
        kc = np.minimum(k, total - 1)
        inside = (k < total) & (self.enc_start[kc] < e)
        j = np.searchsorted(self.enc_end, e, side="right") - 1
        new_e = np.where(inside, self.orig_end[kc], e + self.shift[j])
        base = self.orig_base[sources]
        return new_s - base, new_e - base

    def map_rows(self, rows: Sequence[Offsets], sources: Sequence[int | Sequence[int]]) -> list[Offsets]:
        """Map each row of offsets; `sources[r]` is one source for the whole row or one per token."""
        todo = [
            r
            for r, src in enumerate(sources)
            if rows[r] and (any(self.has_pieces[x] for x in src) if not isinstance(src, int) else self.has_pieces[src])
        ]
        out = list(rows)
        if not todo:
            return out
        lengths = np.fromiter((len(rows[r]) for r in todo), dtype=np.int64, count=len(todo))
        edges = np.fromiter(chain.from_iterable(chain.from_iterable(rows[r] for r in todo)), dtype=np.int64)
        edges = edges.reshape(-1, 2)
        src_parts: list[_I64] = []
        for r, n in zip(todo, lengths.tolist()):
            src = sources[r]
            if isinstance(src, int):
                src_parts.append(np.full(n, src, dtype=np.int64))
            else:
                src_parts.append(np.asarray(src, dtype=np.int64))
        src_arr = np.concatenate(src_parts)
        new_s, new_e = self.map_edges(edges[:, 0], edges[:, 1], src_arr)
        s_list = new_s.tolist()
        e_list = new_e.tolist()
        pos = 0
        for r, n in zip(todo, lengths.tolist()):
            out[r] = list(zip(s_list[pos : pos + n], e_list[pos : pos + n]))
            pos += n
        return out

    def map_rows_in_place(self, rows: list[Offsets], sources: Sequence[int | Sequence[int]]) -> None:
        """`map_rows` whose result replaces the contents of `rows`."""
        rows[:] = self.map_rows(rows, sources)
