"""Plain-text surfaces that describe each TST token, for composing its initial embedding.

A new token's row starts as a blend of rows the model already knows: the base
tokenizer's pieces of the token's digits and of an English magnitude word. This
module only decides *which* surfaces and weights (pure Python, no torch); see
`tst.model.compose` for the arithmetic and docs/model.md for the table.

Choices (documented in docs/model.md):

* digit groups (``⟦345⟧``, and the units group ``⟦678⟧`` of the vocab variant):
  the digits as written, ``"345"``;
* fused groups (``⟦345k⟧``, ``⟦123p⟧``, ``⟦12e18⟧``): half digits, half the
  magnitude word (``" thousand"``, ``" thousandths"``, ``" quintillion"``);
* markers (``⟦k⟧``, ``⟦p⟧``, ``⟦pp⟧``): the magnitude word alone; the units marker
  ``⟦u⟧`` is ``" units"``;
* grouping tags: half the separator character, half ``" thousand"`` (Western,
  ``⟦,3⟧``) or ``" lakh"`` (Indian, ``⟦,2⟧``), so the two tags of one separator
  start apart and whitespace separators still get a meaningful row;
* escapes and anything else: the token's own text.
"""

from __future__ import annotations

from dataclasses import dataclass

from tst.spelling import (
    CLOSE,
    ESCAPED_CLOSE,
    ESCAPED_OPEN,
    OPEN,
    TAG_INDIAN,
    TAG_WESTERN,
    UNITS_MARKER,
    parse_name,
)

#: Short-scale names of 10^3k, k = 1..11 (10^3 .. 10^33).
_SCALE = (
    "thousand",
    "million",
    "billion",
    "trillion",
    "quadrillion",
    "quintillion",
    "sextillion",
    "septillion",
    "octillion",
    "nonillion",
    "decillion",
)
_MAX_NAMED_POWER = 3 * len(_SCALE) + 2  # "hundred decillion"

UNITS_WORD = " units"
WESTERN_WORD = " thousand"
INDIAN_WORD = " lakh"


@dataclass(frozen=True)
class Recipe:
    """How one new token's row is composed.

    Attributes:
        kind: ``"group"``, ``"fused"``, ``"marker"``, ``"tag"``, ``"escape"`` or ``"other"``.
        parts: ``(surface, weight)`` pairs; weights sum to 1. Each surface is
            plain text for the *base* tokenizer.

    Example:
        >>> recipe("⟦345k⟧", group_size=3).parts
        (('345', 0.5), (' thousand', 0.5))
    """

    kind: str
    parts: tuple[tuple[str, float], ...]


def magnitude_word(power: int) -> str:
    """English words for 10**power (power >= 1), with a leading space.

    Example:
        >>> magnitude_word(3), magnitude_word(8), magnitude_word(18)
        (' thousand', ' hundred million', ' quintillion')
    """
    if power < 1:
        raise ValueError(f"power must be >= 1, not {power}")
    if power > _MAX_NAMED_POWER:
        return f" ten to the {power}"
    scale, rest = divmod(power, 3)
    words = [("", "ten", "hundred")[rest]] if rest else []
    if scale:
        words.append(_SCALE[scale - 1])
    return " " + " ".join(words)


def fraction_word(depth: int, group_size: int) -> str:
    """The ordinal of the fraction depth: 10**-(depth * group_size) as a word.

    ``p`` (depth 1) with groups of three is ``" thousandths"``, ``pp`` is
    ``" millionths"``; groups of two give ``" hundredths"``, ``" ten thousandths"``.
    A short trailing group keeps its depth's word: it marks a position, not a value.

    Example:
        >>> fraction_word(1, 3), fraction_word(2, 3), fraction_word(1, 1)
        (' thousandths', ' millionths', ' tenths')
    """
    power = depth * group_size
    if power > _MAX_NAMED_POWER:
        return f" ten to the minus {power}"
    return magnitude_word(power) + "ths"


def recipe(token: str, group_size: int) -> Recipe:
    """The recipe for one added token (a unit such as ``⟦345k⟧``, or an escape)."""
    if token in (ESCAPED_OPEN, ESCAPED_CLOSE):
        return Recipe("escape", ((OPEN if token == ESCAPED_OPEN else CLOSE, 1.0),))
    if len(token) < 3 or token[0] != OPEN or token[-1] != CLOSE:
        return Recipe("other", ((token, 1.0),))
    content = token[1:-1]
    n = len(content) - len(content.lstrip("0123456789"))
    digits, name = content[:n], content[n:]
    if not digits and name == UNITS_MARKER:
        return Recipe("marker", ((UNITS_WORD, 1.0),))
    parsed = parse_name(name, group_size) if (digits or name) else None
    if parsed is not None:
        fraction, value = parsed
        word = fraction_word(value, group_size) if fraction else (magnitude_word(value) if value else "")
        if not digits:
            return Recipe("marker", ((word, 1.0),))
        if not word:
            return Recipe("group", ((digits, 1.0),))
        return Recipe("fused", ((digits, 0.5), (word, 0.5)))
    if len(content) == 2 and not content[0].isalnum() and content[1] in (TAG_WESTERN, TAG_INDIAN):
        word = WESTERN_WORD if content[1] == TAG_WESTERN else INDIAN_WORD
        return Recipe("tag", ((content[0], 0.5), (word, 0.5)))
    return Recipe("other", ((token, 1.0),))
