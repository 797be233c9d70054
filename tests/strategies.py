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
    "-",
    "+",
    "$",
    "€",
    "%",
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


def tst_text() -> st.SearchStrategy[str]:
    """Text mixing numerals, separators, marker-like strings and random Unicode."""
    piece = st.one_of(
        numerals(),
        st.sampled_from(FRAGMENTS),
        st.sampled_from(SEPARATORS),
        st.text("0123456789", min_size=1, max_size=40),
        st.text(min_size=1, max_size=8),
        st.text("0123456789.,' eE-+x⟦⟧kump", min_size=1, max_size=12),
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
