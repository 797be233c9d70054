"""What `Codec.numbers` reports: a number's span and its digit groups."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Group:
    """One digit group of a number.

    Attributes:
        digits: the group's ASCII digits, as written (leading zeros kept).
        power: exponent of the least significant digit, so the group is worth
            ``int(digits) * 10**power``; negative for fractional groups.
        start: index of the group's first digit in the original text.
        end: index just past its last digit (separators inside are spanned).
    """

    digits: str
    power: int
    start: int
    end: int

    @property
    def is_fraction(self) -> bool:
        """True for groups right of the decimal mark."""
        return self.power < 0


@dataclass(frozen=True, slots=True)
class Number:
    """A numeral found in text: ``text[start:end]`` is the numeral as written.

    Signs, currency symbols, ``%`` and an exponent's ``e`` are never part of
    it; a mantissa and its exponent are two numbers.

    Attributes:
        start: index of the numeral's first character (a digit or the decimal mark).
        end: index just past its last digit.
        groups: integer groups (most significant first), then fractional groups.
        separator: the thousands separator it was written with, or None.
        indian: True when that grouping is Indian (2-digit groups above the thousands).
    """

    start: int
    end: int
    groups: tuple[Group, ...]
    separator: str | None = None
    indian: bool = False

    @property
    def digits(self) -> str:
        """All digits of the numeral, in order."""
        return "".join(g.digits for g in self.groups)

    @property
    def value(self) -> Decimal:
        """The numeral's absolute value, exactly (trailing zeros kept as written)."""
        ints = "".join(g.digits for g in self.groups if g.power >= 0)
        fracs = "".join(g.digits for g in self.groups if g.power < 0)
        return Decimal((ints or "0") + ("." + fracs if fracs else ""))


@dataclass(frozen=True, slots=True)
class OutOfRange:
    """A numeral outside the configured range (what `Codec.out_of_range` reports).

    Attributes:
        start: index of the numeral's first character in the original text.
        end: index just past its last digit (``text[start:end]`` is the numeral).
        part: ``"integer"`` when it has more integer digits than `int_digits`,
            else ``"fraction"`` (more fractional digits than `frac_digits`).
            Digits are counted as written: leading and trailing zeros count.
        digits: how many digits that part has.
    """

    start: int
    end: int
    part: str
    digits: int
