"""Exceptions shared by the Python and Rust engines.

A batch call (`Codec.encode_batch`, `decode_batch`, `encode_batch_with_offsets`,
`encode_arrow`, `decode_arrow`) that fails raises the error of its first failing
item (the lowest index), with that index in `index` and at the head of the
message (``"item 3: invalid TST at position 7: ..."``); single calls leave
`index` None. With ``errors="return"`` a batch call raises nothing and gives
these exception objects in place of the failing items' results instead.
"""

from __future__ import annotations

import copy
from typing import TypeVar

#: Values of the ``errors`` argument of batch calls.
BATCH_ERRORS = ("raise", "return")

E = TypeVar("E", bound="TSTError")


def _item(index: int | None, message: str) -> str:
    return message if index is None else f"item {index}: {message}"


class TSTError(ValueError):
    """Base class of every error `tst` raises for bad input or configuration.

    Attributes:
        index: in a batch call, the index of the item that failed; None otherwise.
    """

    index: int | None = None

    def at(self: E, index: int) -> E:
        """This error as raised by item `index` of a batch: same type and fields, the index set and named."""
        err = copy.copy(self)
        message = str(self)
        if self.index is not None:
            message = message.removeprefix(_item(self.index, ""))
        err.args = (_item(index, message),)
        err.index = index
        return err


class TSTDecodeError(TSTError):
    """Text given to `decode` is not valid TST.

    Attributes:
        position: index (in code points) into the decoded text where the problem starts.
        reason: what is wrong there, without the position.
        index: in a batch call, the index of the failing text; None otherwise.
    """

    def __init__(self, position: int, reason: str, index: int | None = None) -> None:
        super().__init__(_item(index, f"invalid TST at position {position}: {reason}"))
        self.position = position
        self.reason = reason
        self.index = index

    def at(self, index: int) -> TSTDecodeError:
        return type(self)(self.position, self.reason, index)

    def __reduce__(self) -> tuple[type[TSTDecodeError], tuple[int, str, int | None]]:
        return (type(self), (self.position, self.reason, self.index))


class TSTRangeError(TSTError):
    """A number lies outside the configured range and `overflow="error"` is set.

    Attributes:
        position: index (in code points) of the number's first character.
        reason: which limit the number exceeds.
        index: in a batch call, the index of the failing text; None otherwise.
    """

    def __init__(self, position: int, reason: str, index: int | None = None) -> None:
        super().__init__(_item(index, f"number at position {position} is out of range: {reason}"))
        self.position = position
        self.reason = reason
        self.index = index

    def at(self, index: int) -> TSTRangeError:
        return type(self)(self.position, self.reason, index)

    def __reduce__(self) -> tuple[type[TSTRangeError], tuple[int, str, int | None]]:
        return (type(self), (self.position, self.reason, self.index))


class TSTItemTypeError(TypeError):
    """A batch item that is not a str: the batch call's TypeError, with the item's index.

    Raised before any item is encoded or decoded (with ``errors="return"`` too: a wrong type
    is a programming error, not bad data).

    Attributes:
        index: the index of the first item that is not a str.
    """

    def __init__(self, what: str, type_name: str, index: int) -> None:
        super().__init__(_item(index, f"{what} expects str items, not {type_name}"))
        self.index = index
        self._fields = (what, type_name, index)

    def __reduce__(self) -> tuple[type[TSTItemTypeError], tuple[str, str, int]]:
        return (type(self), self._fields)


def check_errors(errors: str) -> str:
    """`errors` if it is ``"raise"`` or ``"return"``, else ValueError."""
    if errors not in BATCH_ERRORS:
        raise ValueError(f"errors must be 'raise' or 'return', not {errors!r}")
    return errors
