"""Hypothesis strategies for text that stresses the number grammar."""

from __future__ import annotations

from hypothesis import strategies as st

SEPARATORS = [",", ".", "'", " ", "\u00a0", "\u2009", "\u202f", "\u2019", "_"]
FRAGMENTS = [
    "⟦",
    "⟧",
    "⟦k⟧",
    "⟦u⟧",
    "⟦1k⟧",
    "⟦,3⟧",
    "⟦⟦⟧",
    "⟦⟧⟧",
    "⟦p⟧",
    "⟦12⟧",
    "⟦⟧",
    "e",
    "E",
    "e-",
    "e+",
    "x",
    "0x",
    "U+",
    "u+",
    "-",
    "+",
    "$",
    "€",
    "%",
    "=%",  # a percent-encoded byte's start in a query string (SPEC 2.2)
    "12:30 ",  # a time, before a UTC offset (SPEC 2.4)
    "GMT+",  # a zone's offset (SPEC 2.4)
    ".",
    ",",
    "..",
    ":",
    "/",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x00",
    "v",
    "km",
    "s",
    "H",
    "_",
    "١٢٣",
    "٣",
    "１２",
    "²",
    "½",
    "é",
    "中文",
    "🙂",
]


@st.composite
def numerals(draw: st.DrawFn) -> str:
    """A numeral as people write it: digits, maybe grouped, maybe a fraction."""
    n = draw(st.integers(1, 24))
    digits = draw(st.text("0123456789", min_size=n, max_size=n))
    style = draw(st.sampled_from(["plain", "western", "indian"]))
    sep = draw(st.sampled_from(SEPARATORS))
    if style == "western" and n > 3:
        head = digits[: n % 3 or 3]
        rest = [digits[k : k + 3] for k in range(len(head), n, 3)]
        digits = sep.join([head, *rest])
    elif style == "indian" and n > 5:
        tail, head = digits[-3:], digits[:-3]
        parts = []
        while head:
            parts.append(head[-2:])
            head = head[:-2]
        digits = sep.join([*reversed(parts), tail])
    if draw(st.booleans()):
        mark = draw(st.sampled_from([".", ","]))
        digits += mark + draw(st.text("0123456789", min_size=1, max_size=20))
    if draw(st.integers(0, 5)) == 0:
        digits += draw(st.sampled_from(["e", "E", "e-", "E+"])) + draw(st.text("0123456789", min_size=1, max_size=4))
    return digits


#: A word of hexadecimal digits led by a digit: a hash (``55807e6``), a UUID part, a code point.
HEX_WORDS = st.builds(
    lambda d, rest: d + rest,
    st.sampled_from("0123456789"),
    st.text("0123456789abcdefABCDEeeeE", max_size=11),
)


#: A UUID in its text form (8-4-4-4-12 hexadecimal digits joined by ``-``), often all digits.
UUIDS = st.sampled_from(["0123456789abcdefABCDEF", "0123456789", "0"]).flatmap(
    lambda alphabet: st.tuples(*(st.text(alphabet, min_size=k, max_size=k) for k in (8, 4, 4, 4, 12))).map("-".join)
)


def tst_text() -> st.SearchStrategy[str]:
    """Text mixing numerals, separators, marker-like strings and random Unicode."""
    piece = st.one_of(
        numerals(),
        st.sampled_from(FRAGMENTS),
        st.sampled_from(SEPARATORS),
        st.text("0123456789", min_size=1, max_size=40),
        st.text(min_size=1, max_size=8),
        st.text("0123456789.,' eE-+x⟦⟧kump", min_size=1, max_size=12),
        HEX_WORDS,
    )
    return st.lists(piece, max_size=12).map("".join)


CONFIGS = st.fixed_dictionaries(
    {
        "variant": st.sampled_from(["marker", "vocab"]),
        "group_size": st.integers(1, 6),
        "decimal": st.sampled_from([".", ","]),
        "indian": st.booleans(),
        "overflow": st.sampled_from(["text", "extend"]),
        "int_digits": st.sampled_from([18, 18, 6, 30]),
        "frac_digits": st.sampled_from([15, 15, 4, 30]),
    }
)


# -- texts a reader parses: groupings, CSV rows, dates and times ----------------------------

#: Characters around a generated run that neither join it nor glue it to a word.
BOUNDS_BEFORE = ["", " ", "\n", "(", "$", "x ", "a,", "|", "\t"]
BOUNDS_AFTER = ["", " ", "\n", ")", ",x", ".", "%", " km", "|"]


@st.composite
def separated_run(draw: st.DrawFn, sep: str) -> list[str]:
    """Digit runs to be joined by `sep`: groupings of either style, near misses and plain lists."""
    shape = draw(st.sampled_from(["western", "indian", "list", "near"]))
    digits = st.text("0123456789", min_size=1, max_size=1)
    if shape == "western":
        parts = [draw(st.text("0123456789", min_size=1, max_size=3))]
        parts += draw(st.lists(st.text("0123456789", min_size=3, max_size=3), min_size=1, max_size=5))
    elif shape == "indian":
        parts = [draw(st.text("0123456789", min_size=1, max_size=2))]
        parts += draw(st.lists(st.text("0123456789", min_size=2, max_size=2), min_size=1, max_size=5))
        parts.append(draw(st.text("0123456789", min_size=3, max_size=3)))
    elif shape == "list":
        parts = draw(st.lists(st.text("0123456789", min_size=1, max_size=4), min_size=2, max_size=7))
    else:  # a grouping with one group changed, added or removed somewhere
        parts = [draw(st.text("0123456789", min_size=1, max_size=3))]
        parts += draw(st.lists(st.text("0123456789", min_size=3, max_size=3), min_size=1, max_size=4))
        k = draw(st.integers(0, len(parts) - 1))
        parts[k] = draw(st.text("0123456789", min_size=1, max_size=5))
        if draw(st.booleans()):
            parts.insert(draw(st.integers(0, len(parts))), draw(digits))
    if draw(st.integers(0, 3)) == 0:  # a leading zero
        parts[0] = "0" + parts[0][1:]
    return parts


@st.composite
def date_time_fields(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A date, time, date-time or version as written, and its fields (the numbers a reader sees)."""

    def d(lo: int, hi: int, width: int) -> str:
        return f"{draw(st.integers(lo, hi)):0{width}d}"

    kind = draw(st.sampled_from(["iso_date", "dmy_slash", "mdy_short", "dmy_dot", "time", "hms", "iso", "version"]))
    if kind == "iso_date":
        f = [d(1900, 2099, 4), d(1, 12, 2), d(1, 31, 2)]
        return "-".join(f), f
    if kind == "dmy_slash":
        f = [d(1, 31, 2), d(1, 12, 2), d(1900, 2099, 4)]
        return "/".join(f), f
    if kind == "mdy_short":
        f = [str(draw(st.integers(1, 12))), str(draw(st.integers(1, 31))), d(0, 99, 2)]
        return "/".join(f), f
    if kind == "dmy_dot":
        f = [d(1, 31, 2), d(1, 12, 2), d(1900, 2099, 4)]
        return ".".join(f), f
    if kind == "time":
        f = [str(draw(st.integers(0, 23))), d(0, 59, 2)]
        return ":".join(f), f
    if kind == "hms":
        f = [d(0, 23, 2), d(0, 59, 2), d(0, 59, 2)]
        if draw(st.booleans()):
            f[-1] += "." + draw(st.text("0123456789", min_size=1, max_size=6))
        text = ":".join(f)
        # A UTC offset after the time (RFC 5322, git): hours and minutes not delimited, no number (SPEC 2.4).
        zone = draw(st.sampled_from(["", " +hhmm", "+hhmm", " -hhmm", " yyyy -hhmm", " GMT+hhmm", " UTC-hhmm"]))
        if zone:
            year = d(1900, 2099, 4)
            text += zone.replace("yyyy", year).replace("hhmm", d(0, 14, 2) + d(0, 59, 2))
            f += [year] if "yyyy" in zone else []
        return text, f
    if kind == "version":
        f = [str(draw(st.integers(0, 99))) for _ in range(draw(st.integers(3, 5)))]
        return ".".join(f), f
    # ISO 8601 / RFC 3339 date-time
    f = [d(1900, 2099, 4), d(1, 12, 2), d(1, 31, 2), d(0, 23, 2)]
    text = f"{f[0]}-{f[1]}-{f[2]}{draw(st.sampled_from('Tt'))}{f[3]}"
    for _ in range(draw(st.integers(0, 2))):
        f.append(d(0, 59, 2))
        text += ":" + f[-1]
    if len(f) == 6 and draw(st.booleans()):
        frac = draw(st.text("0123456789", min_size=1, max_size=9))
        f[-1] += "." + frac
        text += "." + frac
    zone = draw(st.sampled_from(["", "Z", "z", "+hh:mm", "-hh:mm", "+hhmm"]))
    if zone in ("Z", "z"):
        text += zone
    elif zone:
        hh, mm = d(0, 14, 2), d(0, 59, 2)
        text += zone[0] + (f"{hh}:{mm}" if ":" in zone else hh + mm)
        f += [hh, mm] if ":" in zone else []  # +hhmm: a UTC offset, no number (SPEC 2.4)
    return text, f


@st.composite
def digits_among_words(draw: st.DrawFn, words: list[str], max_digits: int, max_parts: int) -> str:
    """Decimal numerals (digit runs, optionally with a fraction) each followed by one of `words`, space-joined."""
    digits = st.text(alphabet="0123456789", min_size=1, max_size=max_digits)
    parts = []
    for _ in range(draw(st.integers(1, max_parts))):
        num = draw(digits)
        if draw(st.booleans()):
            num += "." + draw(digits)
        parts.append(num)
        parts.append(draw(st.sampled_from(words)))
    return " ".join(parts)
