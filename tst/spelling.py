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
#: Paper names of the integer magnitudes 10^3, 10^6, ... (group size 3): k m b t q are 10^3 .. 10^15.
LETTERS = "kmbtq"
#: First character of every other integer magnitude name: ``e`` + power (``e18``, ``e8``).
EXPONENT = "e"
#: The character a fractional depth marker repeats: ``p``, ``pp``, ...
FRACTION = "p"
#: Last character of a grouping tag: Western (3-digit) or Indian (2-digit) grouping.
TAG_WESTERN = "3"
TAG_INDIAN = "2"


def int_name(power: int, group_size: int) -> str:
    """Magnitude name of an integer group whose least significant digit is 10**power.

    Units are ``""``; with groups of three, 10^3..10^15 are ``k m b t q`` (one
    `LETTERS` each); every other magnitude is ``e`` + power (``e18``, or ``e4``
    with groups of four).

    Example:
        >>> int_name(6, 3), int_name(18, 3), int_name(8, 4)
        ('m', 'e18', 'e8')
    """
    if power == 0:
        return ""
    if group_size == 3 and power <= 3 * len(LETTERS):
        return LETTERS[power // 3 - 1]
    return f"{EXPONENT}{power}"


def frac_name(depth: int) -> str:
    """Depth marker of the n-th fractional group: ``p``, ``pp``, ``ppp``, ...."""
    return FRACTION * depth


def parse_name(name: str, group_size: int) -> tuple[bool, int] | None:
    """Inverse of `int_name`/`frac_name`: (is_fraction, power or depth), or None.

    Only canonical spellings parse: ``e3`` is not ``k``, ``e06`` is nothing.
    """
    if name == "":
        return (False, 0)
    if name[0] == FRACTION:
        return (True, len(name)) if name.count(FRACTION) == len(name) else None
    if len(name) == 1 and name in LETTERS:
        return (False, 3 * (LETTERS.index(name) + 1)) if group_size == 3 else None
    if name[0] == EXPONENT and name[1:].isascii() and name[1:].isdigit() and name[1] != "0":
        power = int(name[1:])
        if power % group_size == 0 and int_name(power, group_size) == name:
            return (False, power)
    return None


def int_name_pattern() -> str:
    """Regex matching every integer magnitude name but the units' empty one.

    The syntax is common to Python's `re`, Rust's `regex` and Oniguruma (the
    `tokenizers` normalizers), so every pattern that matches units is built
    from this table; ``e`` names are canonical (no leading zero).
    """
    return f"(?:[{LETTERS}]|{EXPONENT}[1-9][0-9]*)"


def frac_name_pattern() -> str:
    """Regex matching every fractional depth marker (``p``, ``pp``, ...)."""
    return f"{FRACTION}+"


def unit_content_pattern() -> str:
    """Regex matching the content of any unit under any settings, at most 64 characters.

    A group (1-6 digits) with or without a magnitude or depth name, a marker (``u``, a
    magnitude name, a depth), a grouping tag (a separator, which is no ASCII letter or digit,
    then a style digit). Literal characters only: the same text is a Python `re` and an
    Oniguruma pattern (route 3's escape rules leave a string that is exactly one unit alone).
    """
    names = f"[{LETTERS}]|{EXPONENT}[1-9][0-9]{{0,5}}"
    group = f"[0-9]{{1,6}}(?:{names}|{FRACTION}{{1,56}})?"
    marker = f"{UNITS_MARKER}|{names}|{FRACTION}{{1,62}}"
    tag = f"[^{OPEN}{CLOSE}0-9A-Za-z]{tag_mark_pattern()}"
    return f"(?:{group}|{marker}|{tag})"


def tag_mark_pattern() -> str:
    """Regex matching the last character of a grouping tag (Western or Indian)."""
    return f"[{TAG_WESTERN}{TAG_INDIAN}]"


def table() -> dict[str, str]:
    """Every spelling constant by name; the Rust engine's ``SPELLING`` must equal it (tests/test_spelling.py)."""
    return {
        "open": OPEN,
        "close": CLOSE,
        "units_marker": UNITS_MARKER,
        "letters": LETTERS,
        "exponent": EXPONENT,
        "fraction": FRACTION,
        "tag_western": TAG_WESTERN,
        "tag_indian": TAG_INDIAN,
    }


def unit(content: str) -> str:
    """The unit spelling of `content`."""
    return OPEN + content + CLOSE


def tag_content(separator: str, indian: bool) -> str:
    """Content of the grouping tag for numbers written with thousands separators."""
    return separator + (TAG_INDIAN if indian else TAG_WESTERN)


def escape(text: str) -> str:
    """Escape the literal brackets of user text."""
    return text.translate(ESCAPES)
