"""How TST units are spelled in encoded text (docs/SPEC.md, section 4).

Every token TST adds is one *unit*: ``⟦`` + content + ``⟧``. Literal brackets
in user text are escaped as the three-character sequences ``⟦⟦⟧`` and ``⟦⟧⟧``,
which can never contain a unit, so user text never forges one.
"""

from __future__ import annotations

OPEN = "\u27e6"  # ⟦ MATHEMATICAL LEFT WHITE SQUARE BRACKET
CLOSE = "\u27e7"  # ⟧ MATHEMATICAL RIGHT WHITE SQUARE BRACKET
ESCAPED_OPEN = OPEN + OPEN + CLOSE
ESCAPED_CLOSE = OPEN + CLOSE + CLOSE
ESCAPES = str.maketrans({OPEN: ESCAPED_OPEN, CLOSE: ESCAPED_CLOSE})

#: Content of the marker-variant marker for the units group.
UNITS_MARKER = "u"
#: Paper names of the integer magnitudes 10^3 .. 10^15 (group size 3).
LETTERS = "kmbtq"
#: Last character of a grouping tag: Western (3-digit) or Indian (2-digit) grouping.
TAG_WESTERN = "3"
TAG_INDIAN = "2"


def int_name(power: int, group_size: int) -> str:
    """Magnitude name of an integer group whose least significant digit is 10**power.

    Units are ``""``; with groups of three, 10^3..10^15 are ``k m b t q``; every
    other magnitude is ``e`` + power (``e18``, or ``e4`` with groups of four).

    Example:
        >>> int_name(6, 3), int_name(18, 3), int_name(8, 4)
        ('m', 'e18', 'e8')
    """
    if power == 0:
        return ""
    if group_size == 3 and power <= 15:
        return LETTERS[power // 3 - 1]
    return f"e{power}"


def frac_name(depth: int) -> str:
    """Depth marker of the n-th fractional group: ``p``, ``pp``, ``ppp``, ...."""
    return "p" * depth


def parse_name(name: str, group_size: int) -> tuple[bool, int] | None:
    """Inverse of `int_name`/`frac_name`: (is_fraction, power or depth), or None.

    Only canonical spellings parse: ``e3`` is not ``k``, ``e06`` is nothing.
    """
    if name == "":
        return (False, 0)
    if name[0] == "p":
        return (True, len(name)) if name.count("p") == len(name) else None
    if len(name) == 1 and name in LETTERS:
        return (False, 3 * (LETTERS.index(name) + 1)) if group_size == 3 else None
    if name[0] == "e" and name[1:].isascii() and name[1:].isdigit() and name[1] != "0":
        power = int(name[1:])
        if power % group_size == 0 and int_name(power, group_size) == name:
            return (False, power)
    return None


def unit(content: str) -> str:
    """The unit spelling of `content`."""
    return OPEN + content + CLOSE


def tag_content(separator: str, indian: bool) -> str:
    """Content of the grouping tag for numbers written with thousands separators."""
    return separator + (TAG_INDIAN if indian else TAG_WESTERN)


def escape(text: str) -> str:
    """Escape the literal brackets of user text."""
    return text.translate(ESCAPES)
