"""Regex rules that spell TST with stock `tokenizers` components (route 3).

Encoding is a chain of `normalizers.Replace` rules (Oniguruma regexes with
lookaround; zero-width matches insert text), decoding a chain of
`decoders.Replace` rules. They cover numbers written as a plain digit run with
an optional fraction (``7``, ``2019``, ``3.14159``), not touching a word, a
separator or another decimal mark; anything else stays text, which
`covers` detects by comparing with `Codec.encode`.

Every rule leaves a string that is exactly one unit unchanged: `tokenizers`
normalizes each added token's content with the same normalizer, and the units
must still match themselves afterwards.
"""

from __future__ import annotations

import re

from tst.codec import Codec
from tst.spelling import CLOSE as C
from tst.spelling import OPEN as O
from tst.spelling import UNITS_MARKER, frac_name, frac_name_pattern, int_name, int_name_pattern

#: Inserted at the start of every covered number, later reduced to one ``⟦``.
SENTINEL = O + O
_NAME = f"(?:{int_name_pattern()}|{frac_name_pattern()})"


def escape_rules() -> list[tuple[str, str]]:
    """Escape literal brackets, except in a string that is exactly one unit."""
    whole_unit = rf"\A{O}[^{O}{C}]+{C}\z"
    return [
        (rf"(?!{whole_unit}){O}", O + O + C),
        # A "⟧" not just written by the rule above, and not closing a whole-unit string
        # (two rules: Oniguruma drops the first alternative when another starts with \A).
        (rf"(?<!{O}){C}(?!\z)", O + C + C),
        (rf"\A(?!{whole_unit})[\s\S]*\K(?<!{O}){C}\z", O + C + C),
    ]


def number_rules(codec: Codec) -> list[tuple[str, str]]:
    """Rules that turn every covered number into units (after `escape_rules`)."""
    st = codec.settings
    g, vocab = st.group_size, st.variant == "vocab"
    dec = re.escape(st.decimal)
    seps = "".join(re.escape(c) for c in st.resolved_separators + ".,")
    max_int, max_frac = st.int_digits, st.frac_digits
    frac = rf"(?:{dec}[0-9]{{1,{max_frac}}})?" if max_frac > 0 else ""
    number = (
        rf"(?<![\w{O}{seps}])"  # not glued to a word, a unit, a separator or a decimal mark
        rf"(?=[0-9]{{1,{max_int}}}{frac}"
        rf"(?![0-9])(?![{seps}][0-9])(?![eE][+-]?[0-9])(?!\w*\p{{N}}))"
        rf"(?!0[xX][0-9A-Fa-f])"
    )
    rules = [(number, SENTINEL)]
    # The end of a number: a digit, then none, then the start it was given (cheapest test first:
    # Oniguruma tries every position and checks left to right; twice as fast as the plain order).
    rules.append((rf"(?<=[0-9])(?![0-9])(?<={O}{O}[0-9]{{1,{max_int}}})", C if vocab else C + O + UNITS_MARKER + C))
    for power in reversed(range(g, max_int, g)):  # most significant magnitude first
        name = int_name(power, g)
        rules.append((rf"(?<=[0-9])(?=[0-9]{{{power}}}{C})", name + C + O if vocab else C + O + name + C + O))
    if max_frac == 0:
        return [*rules, (rf"{O}(?={O}[0-9])", "")]
    int_end = rf"[0-9]{C}" if vocab else rf"{O}{UNITS_MARKER}{C}"
    rules.append((rf"(?<={int_end}{dec})(?=[0-9])", O))
    depths = -(-max_frac // g)
    opens = [rf"{int_end}{dec}{O}"]
    for depth in range(2, depths + 1):
        prev = frac_name(depth - 1)
        opens.append(rf"[0-9]{prev}{C}{O}" if vocab else rf"{O}{prev}{C}{O}")
    for depth in range(1, depths):  # a full group with more digits after it
        name = frac_name(depth)
        rules.append(
            (rf"(?<={opens[depth - 1]}[0-9]{{{g}}})(?=[0-9])", name + C + O if vocab else C + O + name + C + O)
        )
    for depth in range(1, depths + 1):  # the last group
        name = frac_name(depth)
        # Not where a boundary rule above already closed the group.
        closed = rf"p+{C}{O}" if vocab else rf"{C}{O}"
        rules.append(
            (rf"(?<={opens[depth - 1]}[0-9]{{1,{g}}})(?![0-9])(?!{closed})", name + C if vocab else C + O + name + C)
        )
    rules.append((rf"{O}(?={O}[0-9])", ""))
    return rules


def decode_rules(codec: Codec) -> list[tuple[str, str]]:
    """Rules that turn units back into digits and escapes back into brackets."""
    if codec.settings.variant == "vocab":
        units = rf"{O}(?=[0-9]+{_NAME}?{C})|(?<={O}[0-9]+){_NAME}?{C}"
    else:
        units = rf"{O}(?:{UNITS_MARKER}|{_NAME}){C}|{O}(?=[0-9]+{C})|(?<={O}[0-9]+){C}"
    escapes = rf"{O}(?=[{O}{C}]{C})|(?<={O}[{O}{C}]){C}"
    return [(units, ""), (escapes, "")]


def wordpiece_glue_rules(codec: Codec) -> list[tuple[str, str]]:
    """Rules that remove the spaces a WordPiece decoder puts inside a covered number.

    The regex form of `tst.hf._glue.glue_wordpiece_units` (route 1) for the numbers these rules
    write (digit groups with magnitudes, an optional fraction; no grouping tags): whitespace
    goes after a group that more groups must follow, between a group and its marker, between
    fraction groups of consecutive depths, and around the decimal mark before the first
    fraction group. Whitespace after a number's last group stays (two numbers).
    """
    st = codec.settings
    dec = re.escape(st.decimal)
    gap = r"\s+"
    if st.variant == "vocab":
        return [
            (rf"{O}[0-9]+(?:[kmbtq]|e[0-9]+){C}\K{gap}(?={O})", ""),
            (rf"{O}[0-9]+(p+){C}\K{gap}(?={O}[0-9]+\1p{C})", ""),
            (rf"{O}[0-9]+{C}\K\s*{dec}\s*(?={O}[0-9]+p{C})", st.decimal),
        ]
    return [
        (rf"{O}[0-9]+{C}\K{gap}(?={O}(?:{UNITS_MARKER}|[kmbtq]|e[0-9]+|p+){C})", ""),
        (rf"{O}(?:[kmbtq]|e[0-9]+){C}\K{gap}(?={O})", ""),
        (rf"{O}(p+){C}\K{gap}(?={O}[0-9]+{C}\s*{O}\1p{C})", ""),
        (rf"{O}{UNITS_MARKER}{C}\K\s*{dec}\s*(?={O}[0-9]+{C}\s*{O}p{C})", st.decimal),
    ]
