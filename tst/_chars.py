"""Character classes of the number grammar, frozen to one Unicode version."""

from __future__ import annotations

import re
from bisect import bisect_right

from tst._unicode_tables import NUMERIC_RANGES, UNSPACED_RANGES, WORD_RANGES

_WORD_STARTS = [a for a, _ in WORD_RANGES]
_UNSPACED_STARTS = [a for a, _ in UNSPACED_RANGES]
_NUMERIC_STARTS = [a for a, _ in NUMERIC_RANGES]


def _in(cp: int, starts: list[int], ranges: tuple[tuple[int, int], ...]) -> bool:
    k = bisect_right(starts, cp) - 1
    return k >= 0 and cp <= ranges[k][1]


def is_word(c: str) -> bool:
    """True for the characters that glue to a digit (docs/SPEC.md 2.2).

    Letters, marks, numbers and connector punctuation (`_`), except the letters and marks of
    scripts written without spaces between words (Han, kana, Thai, ...), which separate a
    number from what is around it as a space does.
    """
    cp = ord(c)
    if cp < 128:
        return c.isalnum() or c == "_"
    return _in(cp, _WORD_STARTS, WORD_RANGES)


def is_script_word(c: str) -> bool:
    """True for letters, marks, numbers and connector punctuation of every script (paper style)."""
    cp = ord(c)
    if cp < 128:
        return c.isalnum() or c == "_"
    return _in(cp, _WORD_STARTS, WORD_RANGES) or _in(cp, _UNSPACED_STARTS, UNSPACED_RANGES)


def is_numeric(c: str) -> bool:
    """True for any Unicode number (general category N*), ASCII digits included."""
    cp = ord(c)
    if cp < 128:
        return "0" <= c <= "9"
    return _in(cp, _NUMERIC_STARTS, NUMERIC_RANGES)


def is_digit(c: str) -> bool:
    """True for the ASCII digits 0-9, the only digits that form numbers."""
    return "0" <= c <= "9"


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    parts = []
    for a, b in ranges:
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
    return "[" + "".join(parts) + "]"


_WORD_RUN = re.compile(_char_class(WORD_RANGES) + "*")
_SCRIPT_WORD_RUN = re.compile(_char_class(tuple(sorted(WORD_RANGES + UNSPACED_RANGES))) + "*")
_DIGIT_RUN = re.compile("[0-9]*")


def word_end(s: str, i: int) -> int:
    """End of the run of word characters (`is_word`) starting at `i`."""
    m = _WORD_RUN.match(s, i)
    assert m is not None
    return m.end()


def script_word_end(s: str, i: int) -> int:
    """End of the run of `is_script_word` characters starting at `i` (paper style)."""
    m = _SCRIPT_WORD_RUN.match(s, i)
    assert m is not None
    return m.end()


def digit_end(s: str, i: int) -> int:
    """End of the run of ASCII digits starting at `i`."""
    m = _DIGIT_RUN.match(s, i)
    assert m is not None
    return m.end()
