"""Exact-style decoding: units back to digits, with the structure checked.

Strict mode (the default) raises `TSTDecodeError` at the first thing that an
encoder could not have produced: an unclosed or unknown unit, an unescaped
``⟧``, a marker with no group, groups out of order, a number cut short, a plain
digit glued to a number. Context rules of the encoder around a number (a chain
part that is text, a word before a number) are not checked (docs/SPEC.md,
section 5).

The lenient mode (``strict=False``) never raises on `str` input and drops
nothing (docs/SPEC.md, section 5): every unit the strict decoder would accept
in its place decodes as in strict mode, and everything else is kept verbatim,
as written. In particular a number cut short by something other than its next
group keeps its units (its digits so far do not say its value), and so do a
group out of order, an orphan marker and a grouping tag with no number.

At the end of the text the lenient mode renders what is still open as far as
it is known, so that decoding a prefix of a valid encoding gives a prefix of
its decoding: an unfinished number as its digits so far (separators only
before digits that have arrived; a marker-variant first group whose marker
has not come as its digits, after a grouping tag too unless the tag's
separators may fall between them), a grouping tag with no group yet or a lone
``⟦`` as nothing, ``⟦⟦`` and ``⟦⟧`` as the bracket their escape gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

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

#: Lenient rendering of an escape cut off by the end of the text (the bracket it can only become).
_TRAILING_ESCAPE = {OPEN: "", OPEN + OPEN: OPEN, OPEN + CLOSE: CLOSE}


@dataclass(frozen=True, slots=True)
class _Group:
    digits: str
    fraction: bool
    level: int  # power for integer groups, depth for fractional ones
    start: int
    end: int
    rejected: bool = False  # lenient: kept verbatim, out of place


@dataclass(frozen=True, slots=True)
class _Reject:
    """Lenient: a unit (or group and marker) that cannot be read in place, kept verbatim."""

    start: int
    end: int
    pending: str | None = None  # digits of a marker-less group that ends the text


@dataclass(frozen=True, slots=True)
class _Tag:
    separator: str
    indian: bool
    start: int
    end: int


@dataclass(slots=True)
class _Number:
    """An integer part whose units group has not arrived yet."""

    start: int  # where its spelling starts (its tag, or its first group)
    tag: _Tag | None
    total: int  # digits it will have: the first group's length plus its power
    next: int  # power of the group expected next
    digits: list[str] = field(default_factory=list)


#: What a unit's content can start with, where it may still be a unit once closed (digits then a
#: name); anything else makes the ``⟦`` before it plain text whatever follows (`IncrementalDecoder`).
_UNIT_PREFIX = re.compile(r"[0-9]*(?:u|[kmbtq]|e[0-9]*|p*)")


def decode(t: str, st: Settings, strict: bool = True) -> str:
    """Decode exact-style TST text back to the original."""
    d = _Decoder(st, strict, final=True)
    d.t = t
    d.run()
    return "".join(d.out)


class IncrementalDecoder:
    """Lenient decoding of a text that arrives in pieces, with output as soon as it is final.

    ``feed(a) + feed(b) + ... + finish()`` equals ``decode(a + b + ..., strict=False)``
    for every split: each unit is read once the text after it settles how (the
    next bracket, an escape's third character, a marker-variant group's marker),
    an open number or grouping tag is held until it closes, and `finish` renders
    what is still open as the end of a text does. The work is linear in the text,
    except after a ``⟦`` followed by a long run that may still be a unit's content
    (digits, ``p``...): that run is re-read at each piece until it is settled.

    Example:
        >>> from tst.settings import Settings
        >>> d = IncrementalDecoder(Settings(variant="vocab"))
        >>> [d.feed(x) for x in ["Pay ⟦,3⟧⟦1k", "⟧⟦234⟧", ".", "⟦5p⟧ now"]] + [d.finish()]
        ['Pay ', '1,234', '.', '5 now', '']
    """

    def __init__(self, st: Settings) -> None:
        self._d = _Decoder(st, strict=False, final=False)

    def feed(self, text: str) -> str:
        """Add `text`; return the decoded text that no continuation can change (maybe empty)."""
        d = self._d
        if d.final:
            raise ValueError("finish() was called: this decoder's text has ended")
        d.extend(text)
        d.run()
        return d.take()

    def finish(self) -> str:
        """End the text: return the rest, rendered as `decode(..., strict=False)` renders a text's end."""
        d = self._d
        d.final = True
        d.run()
        return d.take()


class _Decoder:
    def __init__(self, st: Settings, strict: bool, final: bool) -> None:
        self.t = ""
        self.i = 0  # next index to read
        # False while more text may come (IncrementalDecoder): a unit is read only once what
        # follows it settles how, and nothing is rendered as the end of the text.
        self.final = final
        self.st = st
        self.g = st.group_size
        self.strict = strict
        self.out: list[str] = []
        # Open integer part: the groups read so far and the power the next one must have.
        self.num: _Number | None = None
        # Grouping tag waiting for its number's first group.
        self.tag: _Tag | None = None
        # Last group read: where it ended and what it was.
        self.last: _Group | None = None
        # Next occurrence of a bracket: char -> (index, searched from).
        self.found: dict[str, tuple[int, int]] = {}

    def fail(self, position: int, reason: str) -> None:
        if self.strict:
            raise TSTDecodeError(position, reason)

    def run(self) -> None:
        t = self.t
        n = len(t)
        i = self.i
        while i < n:
            c = t[i]
            if c == OPEN:
                if not self.final and not self.settled(i):
                    break  # what follows decides how to read this unit: wait for more text
                if t.startswith(ESCAPED_OPEN, i) or t.startswith(ESCAPED_CLOSE, i):
                    self.before_other(i)
                    self.out.append(OPEN if t[i + 1] == OPEN else CLOSE)
                    i += 3
                    continue
                if not self.strict and n - i <= 2 and t[i:] in _TRAILING_ESCAPE:  # an escape cut off by the end
                    self.before_other(i)
                    self.out.append(_TRAILING_ESCAPE[t[i:]])
                    break
                item = self.read_unit(i)
                if item is None:  # lenient: keep the unreadable character
                    self.before_other(i)
                    self.out.append(c)
                    i += 1
                elif isinstance(item, _Tag):
                    self.on_tag(item)
                    i = item.end
                elif isinstance(item, _Reject):
                    self.on_reject(item)
                    i = item.end
                else:
                    self.on_group(item)
                    i = item.end
            else:
                if c == CLOSE:
                    self.fail(i, f"unescaped {CLOSE!r} (write it as {ESCAPED_CLOSE!r})")
                elif "0" <= c <= "9" and self.num is None and self.last is not None and self.last.end == i:
                    self.fail(i, f"digit {c!r} glued after a number: a reader reads it as part of that number")
                self.before_other(i)
                self.out.append(c)
                i += 1
        self.i = i
        if self.final:
            self.before_other(n)

    # -- incremental input ---------------------------------------------------

    def settled(self, i: int) -> bool:
        """Whether the text read so far settles how to read the ``⟦`` at `i` (more may follow)."""
        t = self.t
        n = len(t)
        if n - i < 3:
            return False  # maybe an escape
        if t.startswith(ESCAPED_OPEN, i) or t.startswith(ESCAPED_CLOSE, i):
            return True
        j = min(self.next_index(CLOSE, i + 1), self.next_index(OPEN, i + 1))
        if j == n:  # not closed yet: settled only if the content can no longer be a unit's
            return not self.may_be_content(t[i + 1 :])
        if t[j] == OPEN or self.st.variant == "vocab" or not t[i + 1 : j].isdigit():
            return True
        end = j + 1  # a marker-variant digit group: its marker must be settled too
        if end == n:
            return False
        if t[end] != OPEN:
            return True
        k = min(self.next_index(CLOSE, end + 1), self.next_index(OPEN, end + 1))
        return k < n or not self.may_be_content(t[end + 1 :])

    def may_be_content(self, s: str) -> bool:
        """Whether `s` (no bracket in it) can start the content of a tag, group or marker."""
        if len(s) <= 2 and (not s or s[0] in self.st.resolved_separators):
            return len(s) < 2 or s[1] in (TAG_WESTERN, TAG_INDIAN)
        return _UNIT_PREFIX.fullmatch(s) is not None

    def extend(self, text: str) -> None:
        """Append `text`, first dropping what nothing will read again."""
        keep = max(self.i - 1, 0)  # one character before the next unit: the decimal mark check
        if self.num is not None:
            keep = min(keep, self.num.start)
        if self.tag is not None:
            keep = min(keep, self.tag.start)
        if keep:
            self.t = self.t[keep:]
            self.i -= keep
            if self.num is not None:
                self.num.start -= keep
                if self.num.tag is not None:
                    self.num.tag = replace(self.num.tag, start=self.num.tag.start - keep, end=self.num.tag.end - keep)
            if self.tag is not None:
                self.tag = replace(self.tag, start=self.tag.start - keep, end=self.tag.end - keep)
            if self.last is not None:
                self.last = replace(self.last, start=self.last.start - keep, end=self.last.end - keep)
        self.t += text
        self.found = {}

    def take(self) -> str:
        """The output so far, handed over once."""
        out = "".join(self.out)
        self.out = []
        return out

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

    def read_unit(self, i: int) -> _Group | _Tag | _Reject | None:
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
                return _Reject(i, end)
            self.unknown(i, content)
            return None
        marker = self.content_at(end) if self.t.startswith(OPEN, end) else None
        if marker is None:
            self.fail(end, f"digit group {digits!r} is not followed by its marker")
            # Lenient: at the end of the text the marker may still come (a prefix of a valid encoding).
            return _Reject(i, end, digits if end == len(self.t) else None)
        name, end2 = marker
        parsed = (False, 0) if name == UNITS_MARKER else (parse_name(name, self.g) if name else None)
        if parsed is None or name == "":
            self.fail(end, f"unknown marker {name!r} after digit group {digits!r}")
            return _Reject(i, end)
        return self.group(digits, parsed, i, end2)

    def as_tag(self, content: str, i: int, end: int) -> _Tag | None:
        if len(content) != 2 or content[0] not in self.st.resolved_separators:
            return None
        if content[1] == TAG_WESTERN or (content[1] == TAG_INDIAN and self.st.indian):
            return _Tag(content[0], content[1] == TAG_INDIAN, i, end)
        return None

    def group(self, digits: str, parsed: tuple[bool, int], i: int, end: int) -> _Group | _Reject:
        if len(digits) > self.g:
            self.fail(i, f"digit group {digits!r} is longer than the group size {self.g}")
            return _Reject(i, end)
        fraction, level = parsed
        return _Group(digits, fraction, level, i, end)

    def unknown(self, i: int, content: str) -> None:
        self.fail(i, f"unknown unit {OPEN + content + CLOSE!r}")

    # -- structure ---------------------------------------------------------

    def before_other(self, i: int) -> None:
        """Something that is not the next group of an open number starts at `i` (or the text ends there)."""
        num = self.num
        if num is not None:
            self.fail(i, f"number cut short: expected its group of 10^{num.next}")
            self.num = None
            if i == len(self.t):  # the text ends: its digits so far
                self.out.append(self.digits_of(num, "".join(num.digits)))
            else:  # something else follows: its digits do not say its value
                self.out.append(self.t[num.start : i])
        tag = self.tag
        if tag is not None:
            self.fail(tag.start, "grouping tag not followed by a number")
            self.tag = None
            if i < len(self.t):
                self.out.append(self.t[tag.start : tag.end])

    def reject(self, start: int, end: int, grp: _Group | None = None) -> None:
        """Lenient: keep ``t[start:end]`` verbatim; a group glued after it is out of place too."""
        self.out.append(self.t[start:end])
        self.last = grp if grp is not None else _Group("", False, 0, start, end, rejected=True)

    def on_reject(self, item: _Reject) -> None:
        if item.pending is not None and self.pending_fits(item):
            self.on_pending(item.pending, item.start)
            return
        self.before_other(item.start)
        self.reject(item.start, item.end)

    def pending_fits(self, item: _Reject) -> bool:
        """Whether a marker-less group ending the text can still become the group expected there."""
        assert item.pending is not None
        if self.num is not None:
            return len(item.pending) == self.g
        if self.tag is not None:  # a grouping's first group: up to a group's digits, not led by 0
            return len(item.pending) <= self.g and item.pending[0] != "0"
        last = self.last
        if last is None or last.end != item.start:
            return True  # a number's first group, or a first fractional group
        return last.fraction and not last.rejected and len(last.digits) == self.g  # the next fractional group

    def on_pending(self, digits: str, start: int) -> None:
        num = self.num
        if num is not None:
            num.digits.append(digits)  # rendered, with its separators, when the text ends
            return
        tag, self.tag = self.tag, None
        if tag is not None and len(digits) > 1 and (tag.indian or 3 % self.g):
            # Its separators may fall between these digits, at places its magnitude (still to come) sets.
            return
        # Otherwise they come after the first group's digits, whatever its magnitude.
        self.out.append(digits)

    def on_tag(self, tag: _Tag) -> None:
        self.before_other(tag.start)
        last = self.last
        if last is not None and last.end == tag.start:
            self.fail(tag.start, "group out of order: a number cannot start right after another group")
            self.reject(tag.start, tag.end)  # lenient: the tag and the groups glued after it stay verbatim
            return
        self.check_start(tag.start)
        self.tag = tag
        self.last = None

    def on_group(self, grp: _Group) -> None:
        if grp.fraction:
            self.on_fraction(grp)
        else:
            self.on_integer(grp)

    def on_integer(self, grp: _Group) -> None:
        g = self.g
        num = self.num
        if num is not None:
            if grp.level != num.next or len(grp.digits) != g:
                self.fail(
                    grp.start,
                    f"group out of order: expected {g} digits of 10^{num.next}, got {grp.digits!r} of 10^{grp.level}",
                )
                # Lenient: the open number is cut short here, and this group cannot start another.
                self.before_other(grp.start)
                self.reject(grp.start, grp.end, _Group(grp.digits, False, grp.level, grp.start, grp.end, True))
                return
            num.digits.append(grp.digits)
        else:
            last = self.last
            if last is not None and last.end == grp.start:
                self.fail(grp.start, "group out of order: a number cannot start right after another group")
                self.before_other(grp.start)
                self.reject(grp.start, grp.end, _Group(grp.digits, False, grp.level, grp.start, grp.end, True))
                return
            tag = self.tag
            if tag is None:
                self.check_start(grp.start)
            elif grp.digits.startswith("0"):
                self.fail(
                    tag.start, "grouping tag on a number whose first digit is 0 (a reader reads its groups apart)"
                )
                if not self.strict:
                    self.out.append(self.t[tag.start : tag.end])  # lenient: the tag stays verbatim
                    tag = None
            self.tag = None
            total = len(grp.digits) + grp.level
            if tag is not None and not self.strict and total < (6 if tag.indian else 4):
                self.out.append(self.t[tag.start : tag.end])  # too short for separators: the tag stays verbatim
                tag = None
            num = _Number(tag.start if tag is not None else grp.start, tag, total, grp.level, [grp.digits])
            self.num = num
        self.last = grp
        if grp.level > 0:
            num.next = grp.level - g
            if num.next < 0:
                self.fail(grp.start, f"10^{grp.level} is not a multiple of the group size {g}")
                self.num = None
                self.out.append(self.t[num.start : grp.end])
        else:
            self.close_number(num)

    def on_fraction(self, grp: _Group) -> None:
        g = self.g
        self.before_other(grp.start)
        last = self.last
        ok = True
        if grp.level == 1:
            if last is not None and last.end == grp.start:
                self.fail(grp.start, "fractional group without a decimal mark before it")
                ok = False
            elif grp.start == 0 or self.t[grp.start - 1] != self.st.decimal:
                self.fail(grp.start, f"fractional group not preceded by the decimal mark {self.st.decimal!r}")
                ok = False
        elif not (
            last is not None
            and last.end == grp.start
            and last.fraction
            and not last.rejected
            and last.level == grp.level - 1
            and len(last.digits) == g
        ):
            self.fail(
                grp.start, f"group out of order: depth-{grp.level} group must follow a full depth-{grp.level - 1} group"
            )
            ok = False
        if ok and grp.level == 1 and grp.start >= 2 and "0" <= self.t[grp.start - 2] <= "9":
            digit = self.t[grp.start - 2]
            self.fail(
                grp.start,
                f"fractional group after the digit {digit!r} and the decimal mark {self.st.decimal!r}: "
                "a reader reads them as one number",
            )
        if ok:
            self.out.append(grp.digits)
            self.last = grp
        else:
            self.reject(grp.start, grp.end, _Group(grp.digits, True, grp.level, grp.start, grp.end, True))

    def check_start(self, i: int) -> None:
        """A number's first unit at `i` (a tag or an integer group): no plain digit may come
        right before it (a reader joins them)."""
        if i > 0 and "0" <= self.t[i - 1] <= "9":
            self.fail(i, f"number glued after the digit {self.t[i - 1]!r}: a reader reads them as one number")

    def close_number(self, num: _Number) -> None:
        """The units group arrived: write the digits, with the separators of a tagged number."""
        self.num = None
        digits = "".join(num.digits)
        tag = num.tag
        if tag is not None:
            need = 6 if tag.indian else 4
            if len(digits) < need:
                self.fail(tag.start, f"grouping tag on a number of {len(digits)} digits (needs at least {need})")
        self.out.append(self.digits_of(num, digits))

    def digits_of(self, num: _Number, digits: str) -> str:
        """`digits` (the first ones of `num`) with the separators of its tag."""
        if num.tag is None:
            return digits
        return regroup(digits, num.tag.separator, num.tag.indian, num.total)


def regroup(digits: str, sep: str, indian: bool, total: int | None = None) -> str:
    """Insert `sep` between thousands (Western) or lakhs and crores (Indian).

    `digits` are the first digits of a number of `total` digits (all of them by
    default): separators go where they stand in the whole number, and only
    before digits that are there (``regroup("1234", ",", False, 7) == "1,234"``).
    """
    total = len(digits) if total is None else total
    parts: list[str] = []
    start = 0
    for i in range(1, len(digits)):
        if _separator_before(total - i, indian):
            parts.append(digits[start:i])
            start = i
    parts.append(digits[start:])
    return sep.join(parts)


def _separator_before(rest: int, indian: bool) -> bool:
    """Whether a separator precedes the digit that has `rest` digits from it to the end (itself included)."""
    if indian:
        return rest == 3 or (rest > 3 and rest % 2 == 1)
    return rest % 3 == 0
