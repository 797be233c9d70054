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
from tst.spelling import CLOSE, OPEN

# "Not right after the close of a unit", checked once the first literal has
# matched (patterns that start with a literal scan much faster). Escapes end
# in "⟦⟧" or "⟧⟧"; a unit's close follows its non-empty, bracket-free content.
_UNIT_CLOSE = f"[^{OPEN}{CLOSE}]{CLOSE}"
_TAG = f"[^0-9{OPEN}{CLOSE}][23]{CLOSE}"
_INT_NAME = "(?:[kmbtq]|e[0-9]+)"


def _pattern(st: Settings) -> re.Pattern[str]:
    dec = re.escape(st.decimal)
    if st.variant == "vocab":
        integer = f"[0-9]+{_INT_NAME}?{CLOSE}"
        fraction = f"[0-9]+p{CLOSE}"
    else:
        integer = f"[0-9]+{CLOSE}{OPEN}(?:u|{_INT_NAME}){CLOSE}"
        fraction = f"[0-9]+{CLOSE}{OPEN}p{CLOSE}"
    starts_number = f"{OPEN}(?<!{_UNIT_CLOSE}{OPEN})(?:{_TAG}|{integer})"
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
