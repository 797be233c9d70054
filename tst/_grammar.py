"""The number grammar of the exact style: where numbers are (docs/SPEC.md, section 2).

One left-to-right pass. Words (runs of letters, marks, numbers and `_`) are
consumed whole: a word that starts with an ASCII digit may begin a numeral,
any other word is text, and so is every ``.word`` glued after a text word
(``v1.2.3``, ``file.5``).
"""

from __future__ import annotations

from tst._chars import digit_end, is_digit, is_numeric, is_word, word_end
from tst.errors import TSTRangeError
from tst.numbers import Group, Number
from tst.settings import Settings

HEX_DIGITS = "0123456789abcdefABCDEF"

Span = tuple[int, int]


class _Failed:
    """Where the last failed grouping attempts ended.

    A numeral starting inside a failed grouping run fails the same way (it
    sees the same chunks and the same ending), so it need not try again: this
    keeps the scan linear on inputs such as ``1,234,234,...,234,5``.
    """

    __slots__ = ("indian", "indian_sep", "western", "western_sep")

    def __init__(self) -> None:
        self.western = self.indian = -1
        self.western_sep = self.indian_sep = ""


def find_numbers(s: str, st: Settings) -> list[Number]:
    """Every number of `s` under the exact-style grammar, in order."""
    out: list[Number] = []
    failed = _Failed()
    n = len(s)
    dec = st.decimal
    i = 0
    while i < n:
        c = s[i]
        if is_digit(c):
            end = _numeral(s, i, False, st, out, failed)
            i = end if end is not None else skip_text_word(s, i)
        elif is_word(c):
            i = skip_text_word(s, i)
        elif (
            c == dec
            and i + 1 < n
            and is_digit(s[i + 1])
            and (i == 0 or not (is_word(s[i - 1]) or s[i - 1] == "." or s[i - 1] == dec))
        ):
            end = _numeral(s, i, True, st, out, failed)
            i = end if end is not None else i + 1
        else:
            i += 1
    return out


def skip_text_word(s: str, i: int) -> int:
    """End of the text word at `i`, with every glued ``.word`` after it."""
    n = len(s)
    j = word_end(s, i)
    while j + 1 < n and s[j] == "." and is_word(s[j + 1]):
        j = word_end(s, j + 1)
    return j


def exact_digits(s: str, k: int, size: int) -> bool:
    """`size` ASCII digits at `k`, not followed by another digit."""
    end = k + size
    if end > len(s):
        return False
    for p in range(k, end):
        if not is_digit(s[p]):
            return False
    return end == len(s) or not is_digit(s[end])


def _separated_run(s: str, j: int, sep: str, size: int) -> tuple[int, list[Span]]:
    """Consume ``sep`` + exactly `size` digits as often as possible from `j`."""
    chunks: list[Span] = []
    while j < len(s) and s[j] == sep and exact_digits(s, j + 1, size):
        chunks.append((j + 1, j + 1 + size))
        j += size + 1
    return j, chunks


def _continues(s: str, k: int, sep: str) -> bool:
    """True when a grouping ending at `k` is followed by its separator and a digit."""
    return k + 1 < len(s) and s[k] == sep and is_digit(s[k + 1])


def _numeral(s: str, i: int, lead: bool, st: Settings, out: list[Number], failed: _Failed) -> int | None:
    """Parse a numeral at `i` and append its number(s) to `out`.

    Returns where scanning resumes: after the numeral, or after the text it
    turned out to be part of (digits glued to a word, out of range with
    ``overflow="text"``). Returns None when a leading decimal mark starts no
    numeral. `lead` means `i` is a leading decimal mark.
    """
    n = len(s)
    dec = st.decimal
    chunks: list[Span] = []
    sep: str | None = None
    indian = False
    j = i
    if not lead:
        j = digit_end(s, i)
        chunks.append((i, j))
        if j - i <= 3 and j + 1 < n and s[j] in st.resolved_separators:
            sp = s[j]
            retry = i >= failed.western or sp != failed.western_sep
            k, more = _separated_run(s, j, sp, 3) if retry else (j, [])
            if more and not _continues(s, k, sp):
                chunks += more
                j, sep = k, sp
            else:
                if more:
                    failed.western, failed.western_sep = k, sp
                if st.indian and j - i <= 2 and (i >= failed.indian or sp != failed.indian_sep):
                    k, twos = _separated_run(s, j, sp, 2)
                    if twos and k < n and s[k] == sp and exact_digits(s, k + 1, 3) and not _continues(s, k + 4, sp):
                        chunks += [*twos, (k + 1, k + 4)]
                        j, sep, indian = k + 4, sp, True
                    elif twos:
                        failed.indian, failed.indian_sep = k, sp
    frac: Span | None = None
    # Inside a chain (the 2 of 1.2.3) a numeral never takes a fraction.
    in_chain = not lead and i >= 2 and s[i - 1] == dec and is_digit(s[i - 2])
    if not in_chain and j + 1 < n and s[j] == dec and is_digit(s[j + 1]):
        f1 = digit_end(s, j + 1)
        if f1 + 1 < n and s[f1] == dec and is_digit(s[f1 + 1]):
            # A chain such as 1.2.3 (versions, IPs, dates): integers joined by text.
            if lead:
                return None
        else:
            frac = (j + 1, f1)
            j = f1
    mant_end = j
    exp: Span | None = None
    if j + 1 < n and s[j] in "eE":
        k = j + 1
        if s[k] in "+-":
            k += 1
        if k < n and is_digit(s[k]):
            e1 = digit_end(s, k)
            if e1 == n or not is_word(s[e1]):
                exp = (k, e1)
                j = e1
    if exp is None and j < n and is_word(s[j]):
        w = word_end(s, j)
        # Digits glued to a word with more digits (3f5e9b1, 1e5x) or a hexadecimal
        # literal (0x1F): all text, up to the end of that word.
        if any(is_numeric(c) for c in s[j:w]) or (
            mant_end - i == 1 and s[i] == "0" and s[j] in "xX" and w - j >= 2 and s[j + 1] in HEX_DIGITS
        ):
            return skip_text_word(s, j)
    int_len = sum(b - a for a, b in chunks)
    frac_len = frac[1] - frac[0] if frac else 0
    if int_len > st.int_digits or frac_len > st.frac_digits:
        if st.overflow == "error":
            raise TSTRangeError(i, _range_reason(int_len, frac_len, st))
        if st.overflow == "text":
            return j
    out.append(_number(s, i, mant_end, chunks, frac, sep, indian, st.group_size))
    if exp is not None:
        e_len = exp[1] - exp[0]
        if e_len > st.int_digits:
            if st.overflow == "error":
                raise TSTRangeError(exp[0], _range_reason(e_len, 0, st))
            if st.overflow == "text":
                return j
        out.append(_number(s, exp[0], exp[1], [exp], None, None, False, st.group_size))
    return j


def _range_reason(int_len: int, frac_len: int, st: Settings) -> str:
    if int_len > st.int_digits:
        return f"{int_len} integer digits, more than int_digits={st.int_digits}"
    return f"{frac_len} fractional digits, more than frac_digits={st.frac_digits}"


def _number(
    s: str,
    start: int,
    end: int,
    chunks: list[Span],
    frac: Span | None,
    sep: str | None,
    indian: bool,
    g: int,
) -> Number:
    """Cut a numeral's digits into groups: integers from the right, fractions from the left."""
    groups: list[Group] = []
    positions = [p for a, b in chunks for p in range(a, b)]
    digits = "".join(s[a:b] for a, b in chunks)
    total = len(digits)
    k = 0
    size = total % g or g
    while k < total:
        part = digits[k : k + size]
        groups.append(Group(part, total - k - size, positions[k], positions[k + size - 1] + 1))
        k += size
        size = g
    if frac is not None:
        f0, f1 = frac
        for k in range(f0, f1, g):
            part = s[k : min(k + g, f1)]
            groups.append(Group(part, -(k - f0 + len(part)), k, k + len(part)))
    return Number(start, end, tuple(groups), sep, indian)
