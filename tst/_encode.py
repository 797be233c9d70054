"""Exact-style encoding: each number becomes units, all other text is kept (escaped)."""

from __future__ import annotations

from tst._grammar import find_numbers
from tst.numbers import Number
from tst.settings import Settings
from tst.spelling import (
    CLOSE,
    ESCAPED_CLOSE,
    ESCAPED_OPEN,
    OPEN,
    UNITS_MARKER,
    frac_name,
    int_name,
    tag_content,
    unit,
)

#: (encoded_start, encoded_end, original_start, original_end) of one unit or escape.
Piece = tuple[int, int, int, int]


class _Writer:
    """Accumulates the encoded text and the pieces that map it back."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.length = 0

    def text(self, a: int, b: int) -> None:
        """Copy `source[a:b]`, escaping literal brackets."""
        s = self.source
        k = a
        for p in range(a, b):
            c = s[p]
            if c in (OPEN, CLOSE):
                self._raw(s[k:p])
                esc = ESCAPED_OPEN if c == OPEN else ESCAPED_CLOSE
                self.pieces.append((self.length, self.length + 3, p, p + 1))
                self._raw(esc)
                k = p + 1
        self._raw(s[k:b])

    def unit(self, content: str, a: int, b: int) -> None:
        """Emit one unit that stands for `source[a:b]`."""
        u = unit(content)
        self.pieces.append((self.length, self.length + len(u), a, b))
        self._raw(u)

    def _raw(self, chunk: str) -> None:
        if chunk:
            self.parts.append(chunk)
            self.length += len(chunk)


def encode_with_offsets(s: str, st: Settings) -> tuple[str, list[Piece]]:
    """Encode `s` and list where every unit and escape came from.

    Text between two pieces is either copied verbatim (same length on both
    sides) or, inside a number, dropped separators (empty in the encoding).
    Inserted units (grouping tags, marker-variant markers) are zero-width in
    the original.
    """
    w = _Writer(s)
    pos = 0
    for num in find_numbers(s, st):
        w.text(pos, num.start)
        _write_number(w, num, st)
        pos = num.end
    w.text(pos, len(s))
    return "".join(w.parts), w.pieces


def _write_number(w: _Writer, num: Number, st: Settings) -> None:
    g = st.group_size
    vocab = st.variant == "vocab"
    if num.separator is not None:
        w.unit(tag_content(num.separator, num.indian), num.start, num.start)
    first_frac = True
    for grp in num.groups:
        if grp.power >= 0:
            name = int_name(grp.power, g)
        else:
            if first_frac:
                w.text(grp.start - 1, grp.start)  # the decimal mark
                first_frac = False
            name = frac_name((-grp.power - len(grp.digits)) // g + 1)
        if vocab:
            w.unit(grp.digits + name, grp.start, grp.end)
        else:
            w.unit(grp.digits, grp.start, grp.end)
            w.unit(name or UNITS_MARKER, grp.end, grp.end)


def encode(s: str, st: Settings) -> str:
    """Encode `s` in the exact style."""
    return encode_with_offsets(s, st)[0]
