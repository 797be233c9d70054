"""Exceptions shared by the Python and Rust engines."""

from __future__ import annotations


class TSTError(ValueError):
    """Base class of every error `tst` raises for bad input or configuration."""


class TSTDecodeError(TSTError):
    """Text given to `decode` is not valid TST.

    Attributes:
        position: index (in code points) into the decoded text where the problem starts.
        reason: what is wrong there, without the position.
    """

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"invalid TST at position {position}: {reason}")
        self.position = position
        self.reason = reason

    def __reduce__(self) -> tuple[type[TSTDecodeError], tuple[int, str]]:
        return (type(self), (self.position, self.reason))


class TSTRangeError(TSTError):
    """A number lies outside the configured range and `overflow="error"` is set.

    Attributes:
        position: index (in code points) of the number's first character.
        reason: which limit the number exceeds.
    """

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"number at position {position} is out of range: {reason}")
        self.position = position
        self.reason = reason

    def __reduce__(self) -> tuple[type[TSTRangeError], tuple[int, str]]:
        return (type(self), (self.position, self.reason))
