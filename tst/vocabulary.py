"""The exact list of tokens a configuration adds, and the table of its sizes (D8)."""

from __future__ import annotations

from collections.abc import Iterator

from tst.settings import Settings
from tst.spelling import FRACTION, UNITS_MARKER, frac_name, int_name, tag_content, unit


def digit_strings(max_len: int) -> Iterator[str]:
    """Every ASCII digit string of length 1..max_len: by length, then in order."""
    for length in range(1, max_len + 1):
        for k in range(10**length):
            yield str(k).zfill(length)


def magnitudes(st: Settings) -> list[tuple[str, int]]:
    """(name, longest group) of every magnitude in range, most significant first."""
    g = st.group_size
    out: list[tuple[str, int]] = []
    for power in reversed(range(0, st.int_digits, g)):
        out.append((int_name(power, g), min(g, st.int_digits - power)))
    depth = 1
    while (depth - 1) * g < st.frac_digits:
        out.append((frac_name(depth), min(g, st.frac_digits - (depth - 1) * g)))
        depth += 1
    return out


def vocabulary(st: Settings) -> list[str]:
    """Tokens the configuration adds, in a stable order.

    Exact style: units as they appear in encoded text (``⟦345k⟧``, or the
    marker variant's markers then its digit groups), then grouping tags. Paper
    style: the paper's bare surface forms (``345k`` / ``k``), fractional groups
    padded to full width as the paper writes them.
    """
    if st.style == "paper":
        return _paper_vocabulary(st)
    g = st.group_size
    mags = magnitudes(st)
    out: list[str] = []
    if st.variant == "vocab":
        for name, longest in mags:
            out.extend(unit(d + name) for d in digit_strings(longest))
    else:
        out.extend(unit(name or UNITS_MARKER) for name, _ in mags)
        out.extend(unit(d) for d in digit_strings(max(longest for _, longest in mags)))
    for sep in st.resolved_separators:
        if st.int_digits >= 4:
            out.append(unit(tag_content(sep, False)))
        if st.indian and st.int_digits >= 6:
            out.append(unit(tag_content(sep, True)))
    assert len(set(out)) == len(out) and g >= 1
    return out


def vocabulary_size(st: Settings) -> int:
    """``len(vocabulary(st))`` without building the list (millions of tokens for groups of 6)."""

    def strings(longest: int) -> int:
        return sum(10**length for length in range(1, longest + 1))

    mags = magnitudes(st)
    tags = len(st.resolved_separators) * ((st.int_digits >= 4) + (st.indian and st.int_digits >= 6))
    if st.style == "paper":
        g = st.group_size
        if st.variant == "vocab":
            return sum(10**g if name.startswith(FRACTION) else strings(longest) for name, longest in mags)
        return sum(1 for name, _ in mags if name) + strings(g)
    if st.variant == "vocab":
        return sum(strings(longest) for _, longest in mags) + tags
    return len(mags) + strings(max(longest for _, longest in mags)) + tags


def _paper_vocabulary(st: Settings) -> list[str]:
    g = st.group_size
    out: list[str] = []
    for name, longest in magnitudes(st):
        fraction = name.startswith(FRACTION)
        lengths = [g] if fraction else list(range(1, longest + 1))
        if st.variant == "vocab":
            for length in lengths:
                out.extend(str(k).zfill(length) + name for k in range(10**length))
        elif name:
            out.append(name)
    if st.variant == "marker":
        out.extend(digit_strings(g))
    return list(dict.fromkeys(out))


def size_table(ranges: list[tuple[int, int]] | None = None) -> str:
    """Markdown table of vocabulary sizes per variant, group size, range and style."""
    ranges = ranges or [(18, 15), (18, 18), (12, 6), (24, 24)]
    rows = [
        "| group size | range | vocab (exact) | vocab (paper) | marker (exact) | marker (paper) |",
        "|---:|:---|---:|---:|---:|---:|",
    ]
    for g in range(1, 7):
        for int_digits, frac_digits in ranges:
            sizes = [
                vocabulary_size(
                    Settings(variant=v, style=s, group_size=g, int_digits=int_digits, frac_digits=frac_digits)
                )
                for v, s in (("vocab", "exact"), ("vocab", "paper"), ("marker", "exact"), ("marker", "paper"))
            ]
            rng = f"10^-{frac_digits}..10^{int_digits}"
            rows.append(f"| {g} | {rng} | " + " | ".join(f"{x:,}" for x in sizes) + " |")
    return "\n".join(rows) + "\n"
