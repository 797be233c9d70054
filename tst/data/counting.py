"""Count the numbers in encoded text from its units alone, at regex speed.

Every number of the exact style starts with exactly one unit that no other
unit touches on its left: its grouping tag, its first integer group, or (for
``.5``) its first fractional group after the decimal mark. Counting those
starts gives ``len(codec.numbers(original))`` without decoding; the tests pin
that equality on generated text.
"""

from __future__ import annotations

import re

from tst.settings import Settings
from tst.spelling import CLOSE, FRACTION, OPEN, UNITS_MARKER, int_name_pattern, tag_mark_pattern

# "Not right after the close of a unit", checked once the first literal has
# matched (patterns that start with a literal scan much faster). Escapes end
# in "⟦⟧" or "⟧⟧"; a unit's close follows its non-empty, bracket-free content.
_UNIT_CLOSE = f"[^{OPEN}{CLOSE}]{CLOSE}"


def _tag() -> str:
    return f"[^0-9{OPEN}{CLOSE}]{tag_mark_pattern()}{CLOSE}"


def _pattern(st: Settings) -> re.Pattern[str]:
    dec = re.escape(st.decimal)
    int_name, first_depth = int_name_pattern(), re.escape(FRACTION)
    if st.variant == "vocab":
        integer = f"[0-9]+{int_name}?{CLOSE}"
        fraction = f"[0-9]+{first_depth}{CLOSE}"
    else:
        integer = f"[0-9]+{CLOSE}{OPEN}(?:{re.escape(UNITS_MARKER)}|{int_name}){CLOSE}"
        fraction = f"[0-9]+{CLOSE}{OPEN}{first_depth}{CLOSE}"
    starts_number = f"{OPEN}(?<!{_UNIT_CLOSE}{OPEN})(?:{_tag()}|{integer})"
    starts_fraction = f"{dec}{OPEN}(?<!{_UNIT_CLOSE}{dec}{OPEN}){fraction}"
    return re.compile(f"{starts_number}|{starts_fraction}")


class NumberCounter:
    """Counts numbers in text encoded with `settings` (exact style).

    Example:
        >>> from tst import Codec
        >>> c = Codec(variant="vocab")
        >>> NumberCounter(c.settings).count(c.encode("1.5 and 2,000 or .25"))
        3
    """

    def __init__(self, settings: Settings) -> None:
        if settings.style != "exact":
            raise ValueError("NumberCounter reads exact-style units; the paper style has none")
        self._pattern = _pattern(settings)

    def count(self, encoded: str) -> int:
        """Numbers in `encoded`."""
        if OPEN not in encoded:
            return 0
        return len(self._pattern.findall(encoded))

    def count_all(self, encoded: list[str]) -> int:
        """Numbers in all of `encoded`."""
        return sum(self.count(t) for t in encoded)
