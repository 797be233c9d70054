"""Codec configuration: validated once, shared by both engines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tst._chars import is_script_word
from tst.spelling import CLOSE, OPEN

Variant = Literal["marker", "vocab"]
Style = Literal["exact", "paper"]
Overflow = Literal["text", "extend", "error"]

VARIANTS: tuple[str, ...] = ("marker", "vocab")
STYLES: tuple[str, ...] = ("exact", "paper")
OVERFLOWS: tuple[str, ...] = ("text", "extend", "error")

#: Thousands separators recognised by default when the decimal mark is ".":
#: comma, apostrophe, no-break space, thin space, narrow no-break space,
#: right single quotation mark and underscore. The plain space is off by
#: default ("2 100 pages" is two numbers far more often than one).
DEFAULT_SEPARATORS = ",'\u00a0\u2009\u202f\u2019_"
#: The same set for the decimal comma, with "." in place of ",".
DEFAULT_SEPARATORS_DECIMAL_COMMA = ".'\u00a0\u2009\u202f\u2019_"

MAX_DIGITS = 1_000_000


@dataclass(frozen=True)
class Settings:
    """Every knob of the codec; construction validates them.

    Example:
        >>> Settings(group_size=4).group_size
        4
    """

    variant: str = "marker"
    group_size: int = 3
    style: str = "exact"
    decimal: str = "."
    separators: str | None = None
    indian: bool = False
    int_digits: int = 18
    frac_digits: int = 15
    overflow: str = "text"
    resolved_separators: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _choice("variant", self.variant, VARIANTS)
        _choice("style", self.style, STYLES)
        _choice("overflow", self.overflow, OVERFLOWS)
        _int("group_size", self.group_size, 1, 6)
        _int("int_digits", self.int_digits, 1, MAX_DIGITS)
        _int("frac_digits", self.frac_digits, 0, MAX_DIGITS)
        if not isinstance(self.indian, bool):
            raise TypeError(f"indian must be a bool, not {type(self.indian).__name__}")
        if self.decimal not in (".", ","):
            raise ValueError(f"decimal must be '.' or ',', not {self.decimal!r}")
        seps = self.separators
        if seps is None:
            seps = DEFAULT_SEPARATORS if self.decimal == "." else DEFAULT_SEPARATORS_DECIMAL_COMMA
        elif not isinstance(seps, str):
            raise TypeError(f"separators must be a str, not {type(seps).__name__}")
        for c in seps:
            if c == self.decimal:
                raise ValueError(f"separators must not contain the decimal mark {c!r}")
            if (is_script_word(c) and c != "_") or c in (OPEN, CLOSE) or c in "+-\n\r\t":
                raise ValueError(f"{c!r} cannot be a thousands separator")
        if len(set(seps)) != len(seps):
            raise ValueError(f"separators contains a character twice: {seps!r}")
        object.__setattr__(self, "separators", seps)  # equal settings compare equal
        object.__setattr__(self, "resolved_separators", seps)

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments that rebuild these settings (JSON-serialisable)."""
        return {
            "variant": self.variant,
            "group_size": self.group_size,
            "style": self.style,
            "decimal": self.decimal,
            "separators": self.resolved_separators,
            "indian": self.indian,
            "int_digits": self.int_digits,
            "frac_digits": self.frac_digits,
            "overflow": self.overflow,
        }


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, not {value!r}")


def _int(name: str, value: object, lo: int, hi: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi}, not {value}")
