"""Undo the spaces a WordPiece decoder puts between the units of one number and inside escapes.

WordPiece (BERT) keeps no whitespace: its decoder joins tokens with spaces, so
``⟦1⟧⟦k⟧⟦234⟧⟦u⟧.⟦5⟧⟦p⟧`` comes back as ``⟦1⟧ ⟦k⟧ ⟦234⟧ ⟦u⟧. ⟦5⟧ ⟦p⟧``. The units
themselves say which neighbours belong to one number, so those spaces can be
removed; spaces between a number and its surrounding text stay lost (a property
of the base tokenizer, see docs/hf.md).
"""

from __future__ import annotations

import re

from tst.spelling import CLOSE, FRACTION, OPEN, TAG_INDIAN, TAG_WESTERN, UNITS_MARKER

# A unit holds no whitespace, except the separator of a grouping tag (U+00A0, U+2009, U+202F
# or a configured space: ``⟦\u00a03⟧``); the decoder's spaces fall between tokens, never inside one.
_UNIT = f"{OPEN}(?:[^{OPEN}{CLOSE}\\s]+|\\s[{TAG_WESTERN}{TAG_INDIAN}]){CLOSE}"
_PIECE = re.compile(f"({_UNIT})|([^{OPEN}\\s]+|{OPEN})|(\\s+)")
_GROUP = re.compile(r"^([0-9]+)([a-z][a-z0-9]*)?$")
_SPACED_ESCAPE = re.compile(f"{OPEN} ([{OPEN}{CLOSE}]) {CLOSE}")


def _kind(content: str) -> tuple[str, int]:
    """Classify unit content as (kind, fraction depth).

    Kinds: ``tag``; ``digits`` (a bare group: marker variant, or the vocab
    variant's units group); ``gint``/``gfrac`` (vocab groups above units or in
    the fraction); ``mu``/``mint``/``mfrac`` (marker-variant markers).
    """
    m = _GROUP.match(content)
    if m is not None:
        name = m.group(2) or ""
        if name == "":
            return "digits", 0
        return ("gfrac", len(name)) if set(name) == {FRACTION} else ("gint", 0)
    # A tag is a separator (never a letter or digit) and a style digit; a marker such as ``e2``
    # (group sizes 1 and 2 name magnitudes by power) also ends in a style digit.
    if len(content) == 2 and content[1] in (TAG_WESTERN, TAG_INDIAN) and not content[0].isalnum():
        return "tag", 0
    if content == UNITS_MARKER:
        return "mu", 0
    return ("mfrac", len(content)) if set(content) == {FRACTION} else ("mint", 0)


def glue_wordpiece_units(surface: str, marker_variant: bool = False) -> str:
    """Remove whitespace inside numbers of a WordPiece-decoded TST surface.

    With `marker_variant`, a group that ends the text, without its marker yet, right
    after a decimal mark or a fractional group, is left out together with the space
    before it: that space is TST's or the text's depending on the marker still to come
    (``3.89`` or ``3. 89``), so rendering either could be taken back by what follows.
    """
    if OPEN not in surface:
        return surface
    # A literal bracket's escape (⟦⟦⟧, ⟦⟧⟧) is three punctuation tokens to WordPiece: ⟦ ⟦ ⟧.
    surface = _SPACED_ESCAPE.sub(f"{OPEN}\\1{CLOSE}", surface)
    items: list[tuple[str, str]] = []  # ("unit" | "text" | "ws", text)
    for m in _PIECE.finditer(surface):
        kind = "unit" if m.group(1) else "text" if m.group(2) else "ws"
        items.append((kind, m.group(0)))
    last = len(items) - 1
    pending = marker_variant and last >= 2 and _unit_kind(items, last) == ("digits", 0) and items[-2][0] == "ws"
    if pending and _depends_on_next_marker(items, last - 1):
        items = items[:-2]
    out: list[str] = []
    for k, (kind, text) in enumerate(items):
        if kind == "ws" and 0 < k < len(items) - 1 and _joins(items, k):
            continue
        out.append(text)
    return "".join(out)


def _unit_kind(items: list[tuple[str, str]], k: int) -> tuple[str, int] | None:
    if 0 <= k < len(items) and items[k][0] == "unit":
        return _kind(items[k][1][1:-1])
    return None


def _skip_ws(items: list[tuple[str, str]], k: int, step: int) -> int:
    while 0 <= k < len(items) and items[k][0] == "ws":
        k += step
    return k


def _joins(items: list[tuple[str, str]], k: int) -> bool:
    """Whether the whitespace at `k` sits inside one number."""
    before, after = _unit_kind(items, k - 1), _unit_kind(items, k + 1)
    if before is not None and after is not None:
        b, a = before[0], after[0]
        if b in ("tag", "gint", "mint"):
            return True  # more groups always follow these
        if b == "digits" and a in ("mu", "mint", "mfrac"):
            return True  # marker variant: a group and its marker
        if b == "gfrac" and a == "gfrac":
            return after[1] == before[1] + 1
        if b == "mfrac" and a == "digits":
            return _marker_after(items, k + 1) == ("mfrac", before[1] + 1)
        return False
    # A first fractional group always follows its mark directly, whatever is before the mark (.5)
    if items[k - 1][0] == "text" and items[k - 1][1][-1:] in (".", ","):
        nxt = _unit_kind(items, k + 1)
        if nxt == ("gfrac", 1) or (
            nxt is not None and nxt[0] == "digits" and _marker_after(items, k + 1) == ("mfrac", 1)
        ):
            return True
    # Around the decimal mark: <integer end> ws? <mark> ws? <first fractional group>
    if items[k + 1][0] == "text":
        mark, prev_i, next_i = k + 1, k - 1, _skip_ws(items, k + 2, 1)
    elif items[k - 1][0] == "text":
        mark, prev_i, next_i = k - 1, _skip_ws(items, k - 2, -1), k + 1
    else:
        return False
    if items[mark][1] not in (".", ","):
        return False
    prev = _unit_kind(items, prev_i)
    nxt = _unit_kind(items, next_i)
    if prev is None or nxt is None or prev[0] not in ("digits", "mu"):
        return False
    if nxt[0] == "gfrac":
        return nxt[1] == 1
    return nxt[0] == "digits" and _marker_after(items, next_i) == ("mfrac", 1)


def _marker_after(items: list[tuple[str, str]], k: int) -> tuple[str, int] | None:
    """Kind of the unit following the group at `k` (skipping whitespace)."""
    return _unit_kind(items, _skip_ws(items, k + 1, 1))


def _depends_on_next_marker(items: list[tuple[str, str]], k: int) -> bool:
    """Whether joining the whitespace at `k`, before a group, depends on that group's marker (`_joins`)."""
    before = _unit_kind(items, k - 1)
    if before is not None:
        return before[0] == "mfrac"
    return items[k - 1][0] == "text" and items[k - 1][1][-1:] in (".", ",")
