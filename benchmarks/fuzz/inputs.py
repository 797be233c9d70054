"""Fuzz input format shared with the cargo fuzz targets (rust_ext/fuzz/src/lib.rs).

Three header bytes pick a configuration, the rest is the text, read as UTF-8
in which lone surrogates may appear (Python's ``surrogatepass``); every other
ill-formed byte becomes the code point of equal value. Both sides map the
same bytes to the same `Codec` and the same `str`, so one seed corpus feeds
both fuzzers.
"""

from __future__ import annotations

from typing import Any

HEADER = 3

_SEPARATORS: list[str | None] = [None, None, " ", ",' ", "_", "\u00a0\u2009", "'", ".,'\u2019"]
_INT_DIGITS = [18, 1, 2, 3, 5, 30, 6, 18]
_FRAC_DIGITS = [15, 0, 3, 30]
_OVERFLOWS = ["text", "extend", "error", "text"]


def config(header: bytes) -> dict[str, Any]:
    """`Codec` keyword arguments picked by the header bytes (missing bytes read as 0)."""
    a, b, c = (header + bytes(HEADER))[:HEADER]
    decimal = "." if a & 0x10 == 0 else ","
    seps = _SEPARATORS[b & 7]
    return {
        "variant": "marker" if a & 1 == 0 else "vocab",
        "group_size": {0: 3, 7: 3}.get((a >> 1) & 7, (a >> 1) & 7),
        "style": "exact" if c & 1 == 0 else "paper",
        "decimal": decimal,
        "separators": None if seps is None else "".join(ch for ch in seps if ch != decimal),
        "indian": a & 0x20 != 0,
        "int_digits": _INT_DIGITS[(b >> 3) & 7],
        "frac_digits": _FRAC_DIGITS[b >> 6],
        "overflow": _OVERFLOWS[a >> 6],
    }


def header(
    variant: str = "marker",
    group_size: int = 3,
    *,
    style: str = "exact",
    decimal: str = ".",
    separators: int = 0,
    indian: bool = False,
    int_digits: int = 0,
    frac_digits: int = 0,
    overflow: str = "text",
) -> bytes:
    """The header bytes for a configuration (separators, int_digits, frac_digits are table indices)."""
    a = (
        (variant == "vocab")
        | (group_size << 1)
        | (0x10 if decimal == "," else 0)
        | (0x20 if indian else 0)
        | (_OVERFLOWS.index(overflow) << 6)
    )
    b = separators | (int_digits << 3) | (frac_digits << 6)
    return bytes([a, b, int(style == "paper")])


def _sequence(data: bytes, p: int) -> int:
    """Length of the well-formed sequence at `p` (lone surrogates allowed), or 0."""

    def cont(k: int) -> bool:
        return p + k < len(data) and 0x80 <= data[p + k] <= 0xBF

    def second(lo: int, hi: int) -> bool:
        return p + 1 < len(data) and lo <= data[p + 1] <= hi

    b = data[p]
    if b <= 0x7F:
        return 1
    if 0xC2 <= b <= 0xDF and cont(1):
        return 2
    if (b == 0xE0 and second(0xA0, 0xBF) and cont(2)) or (0xE1 <= b <= 0xEF and cont(1) and cont(2)):
        return 3
    if (
        ((b == 0xF0 and second(0x90, 0xBF)) or (0xF1 <= b <= 0xF3 and cont(1)) or (b == 0xF4 and second(0x80, 0x8F)))
        and cont(2)
        and cont(3)
    ):
        return 4
    return 0


def text(data: bytes) -> str:
    """Fuzz bytes as a `str` (lone surrogates included), exactly as the Rust side reads them."""
    out: list[str] = []
    p = 0
    while p < len(data):
        k = _sequence(data, p)
        if k:
            out.append(data[p : p + k].decode("utf-8", "surrogatepass"))
            p += k
        else:
            out.append(chr(data[p]))
            p += 1
    return "".join(out)


def case(data: bytes) -> tuple[dict[str, Any], str]:
    """Split a fuzz input into `Codec` keyword arguments and the text."""
    return config(data[:HEADER]), text(data[HEADER:])


def to_bytes(value: str) -> bytes:
    """Inverse of `text` for every `str`: how a seed is written."""
    return value.encode("utf-8", "surrogatepass")
