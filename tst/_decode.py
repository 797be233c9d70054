"""Exact-style decoding: units back to digits, with the structure checked.

Strict mode (the default) raises `TSTDecodeError` at the first thing that an
encoder could not have produced: an unclosed or unknown unit, an unescaped
``⟧``, a marker with no group, groups out of order, a number cut short. The
lenient mode never raises on `str` input: it keeps what it cannot read
verbatim, drops orphan markers, and ignores ordering.
"""

from __future__ import annotations

from dataclasses import dataclass

from tst.errors import TSTDecodeError
from tst.settings import Settings
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


@dataclass(frozen=True, slots=True)
class _Group:
    digits: str
    fraction: bool
    level: int  # power for integer groups, depth for fractional ones
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Tag:
    separator: str
    indian: bool
    start: int
    end: int


def decode(t: str, st: Settings, strict: bool = True) -> str:
    """Decode exact-style TST text back to the original."""
    return _Decoder(t, st, strict).run()


class _Decoder:
    def __init__(self, t: str, st: Settings, strict: bool) -> None:
        self.t = t
        self.st = st
        self.g = st.group_size
        self.strict = strict
        self.out: list[str] = []
        # Open integer sequence: the power the next group must have, or None.
        self.int_next: int | None = None
        self.int_start = 0
        # Grouping tag waiting for, or collecting, its number's digits.
        self.tag: _Tag | None = None
        self.tag_digits: list[str] = []
        # Last group read: where it ended and what it was.
        self.last: _Group | None = None
        # Next occurrence of a bracket: char -> (index, searched from).
        self.found: dict[str, tuple[int, int]] = {}

    def fail(self, position: int, reason: str) -> None:
        if self.strict:
            raise TSTDecodeError(position, reason)

    def run(self) -> str:
        t = self.t
        n = len(t)
        i = 0
        while i < n:
            c = t[i]
            if c == OPEN:
                if t.startswith(ESCAPED_OPEN, i) or t.startswith(ESCAPED_CLOSE, i):
                    self.before_other(i)
                    self.out.append(OPEN if t[i + 1] == OPEN else CLOSE)
                    i += 3
                    continue
                item = self.read_unit(i)
                if item is None:  # lenient: keep the unreadable character
                    self.before_other(i)
                    self.out.append(c)
                    i += 1
                elif isinstance(item, _Tag):
                    self.on_tag(item)
                    i = item.end
                else:
                    self.on_group(item)
                    i = item.end
            else:
                if c == CLOSE:
                    self.fail(i, f"unescaped {CLOSE!r} (write it as {ESCAPED_CLOSE!r})")
                self.before_other(i)
                self.out.append(c)
                i += 1
        self.before_other(n)
        return "".join(self.out)

    # -- units -------------------------------------------------------------

    def next_index(self, ch: str, i: int) -> int:
        """Index of the first `ch` at or after `i` (len(t) if none), cached so scans stay linear."""
        found, start = self.found.get(ch, (-1, len(self.t) + 1))
        if not start <= i <= found:
            found = self.t.find(ch, i)
            found = len(self.t) if found == -1 else found
            self.found[ch] = (found, i)
        return found

    def content_at(self, i: int) -> tuple[str, int] | None:
        """Content and end of the unit opening at `i`."""
        j = self.next_index(CLOSE, i + 1)
        k = self.next_index(OPEN, i + 1)
        if j == len(self.t) or k < j:
            self.fail(i, f"{OPEN!r} without its closing {CLOSE!r} (write a literal one as {ESCAPED_OPEN!r})")
            return None
        if j == i + 1:
            self.fail(i, "empty unit")
            return None
        return self.t[i + 1 : j], j + 1

    def read_unit(self, i: int) -> _Group | _Tag | None:
        got = self.content_at(i)
        if got is None:
            return None
        content, end = got
        tag = self.as_tag(content, i, end)
        if tag is not None:
            return tag
        k = 0
        while k < len(content) and "0" <= content[k] <= "9":
            k += 1
        digits, name = content[:k], content[k:]
        if self.st.variant == "vocab":
            if not digits:
                self.unknown(i, content)
                return None
            parsed = parse_name(name, self.g)
            if parsed is None:
                self.unknown(i, content)
                return None
            return self.group(digits, parsed, i, end)
        if name:  # marker variant: a marker must follow its group
            # Digits fused with a name (a vocab-variant unit) are unknown here, kept verbatim when lenient.
            if not digits and (name == UNITS_MARKER or parse_name(name, self.g) is not None):
                self.fail(i, f"marker {content!r} has no digit group before it")
                if not self.strict:
                    return _Group("", False, -1, i, end)  # dropped
            self.unknown(i, content)
            return None
        marker = self.content_at(end) if self.t.startswith(OPEN, end) else None
        if marker is None:
            self.fail(end, f"digit group {digits!r} is not followed by its marker")
            return _Group(digits, False, -1, i, end) if not self.strict else None
        name, end2 = marker
        parsed = (False, 0) if name == UNITS_MARKER else (parse_name(name, self.g) if name else None)
        if parsed is None or name == "":
            self.fail(end, f"unknown marker {name!r} after digit group {digits!r}")
            return _Group(digits, False, -1, i, end) if not self.strict else None
        return self.group(digits, parsed, i, end2)

    def as_tag(self, content: str, i: int, end: int) -> _Tag | None:
        if len(content) != 2 or content[0] not in self.st.resolved_separators:
            return None
        if content[1] == TAG_WESTERN or (content[1] == TAG_INDIAN and self.st.indian):
            return _Tag(content[0], content[1] == TAG_INDIAN, i, end)
        return None

    def group(self, digits: str, parsed: tuple[bool, int], i: int, end: int) -> _Group | None:
        if len(digits) > self.g:
            self.fail(i, f"digit group {digits!r} is longer than the group size {self.g}")
        fraction, level = parsed
        return _Group(digits, fraction, level, i, end)

    def unknown(self, i: int, content: str) -> None:
        self.fail(i, f"unknown unit {OPEN + content + CLOSE!r}")

    # -- structure ---------------------------------------------------------

    def before_other(self, i: int) -> None:
        """Something that is not the next group of an open number starts at `i`."""
        if self.int_next is not None:
            self.fail(i, f"number cut short: expected its group of 10^{self.int_next}")
            self.close_number()
        if self.tag is not None and not self.tag_digits:
            self.fail(self.tag.start, "grouping tag not followed by a number")
            self.tag = None

    def on_tag(self, tag: _Tag) -> None:
        self.before_other(tag.start)
        self.tag = tag
        self.tag_digits = []
        self.last = None

    def on_group(self, grp: _Group) -> None:
        if grp.level < 0:  # lenient recovery: a marker-less group or an orphan marker
            self.before_other(grp.start)
            self.out.append(grp.digits)
            self.last = None
            return
        if grp.fraction:
            self.on_fraction(grp)
        else:
            self.on_integer(grp)
        self.last = grp

    def on_integer(self, grp: _Group) -> None:
        g = self.g
        if self.int_next is not None:
            if grp.level != self.int_next or len(grp.digits) != g:
                self.fail(
                    grp.start,
                    f"group out of order: expected {g} digits of 10^{self.int_next}, "
                    f"got {grp.digits!r} of 10^{grp.level}",
                )
        else:
            last = self.last
            if last is not None and last.end == grp.start:
                self.fail(grp.start, "group out of order: a number cannot start right after another group")
            if self.tag is not None and self.tag_digits:
                self.tag = None  # lenient: a second number after a finished tag
            self.int_start = grp.start
        (self.tag_digits if self.tag is not None else self.out).append(grp.digits)
        if grp.level > 0:
            self.int_next = grp.level - g
            if self.int_next < 0:
                self.fail(grp.start, f"10^{grp.level} is not a multiple of the group size {g}")
                self.close_number()
        else:
            self.int_next = None
            self.close_number()

    def on_fraction(self, grp: _Group) -> None:
        g = self.g
        self.before_other(grp.start)
        last = self.last
        if grp.level == 1:
            if last is not None and last.end == grp.start:
                self.fail(grp.start, "fractional group without a decimal mark before it")
            elif grp.start == 0 or self.t[grp.start - 1] != self.st.decimal:
                self.fail(grp.start, f"fractional group not preceded by the decimal mark {self.st.decimal!r}")
        elif not (
            last is not None
            and last.end == grp.start
            and last.fraction
            and last.level == grp.level - 1
            and len(last.digits) == g
        ):
            self.fail(
                grp.start, f"group out of order: depth-{grp.level} group must follow a full depth-{grp.level - 1} group"
            )
        self.out.append(grp.digits)

    def close_number(self) -> None:
        """Re-insert the separators of a tagged number once all its integer digits are read."""
        self.int_next = None
        tag = self.tag
        if tag is None or not self.tag_digits:
            return
        digits = "".join(self.tag_digits)
        self.tag = None
        self.tag_digits = []
        need = 6 if tag.indian else 4
        if len(digits) < need:
            self.fail(tag.start, f"grouping tag on a number of {len(digits)} digits (needs at least {need})")
            self.out.append(digits)
            return
        self.out.append(regroup(digits, tag.separator, tag.indian))


def regroup(digits: str, sep: str, indian: bool) -> str:
    """Insert `sep` between thousands (Western) or lakhs and crores (Indian)."""
    head, tail = digits[:-3], digits[-3:]
    step = 2 if indian else 3
    parts = [tail]
    while head:
        parts.append(head[-step:])
        head = head[:-step]
    return sep.join(reversed(parts))
