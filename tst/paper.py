"""The paper's surface form (style="paper"): lossy, for reproduction and comparison.

`format_number` gives the official converter's output for a single number
(``12,345,678.1234`` -> ``12m 345k 678 . 123p 400pp``) on every vector of its
conformance set, and fixes its bugs elsewhere: exponents are expanded exactly
(no float rounding), any group size names magnitudes by their true power, and
input that is not a number comes back unchanged. `encode_paper` applies it to
running text, finding numbers without the converter's merging across
newlines, tabs, lists (``1, 2``) or dotted chains (``192.168.0.1``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from tst._chars import digit_end, is_digit, is_numeric
from tst._chars import is_script_word as is_word
from tst._chars import script_word_end as word_end
from tst._grammar import HEX_DIGITS, exact_digits
from tst.numbers import Group, Number
from tst.spelling import frac_name, int_name

CURRENCIES = "$€£¥₹"


def format_number(s: str, group_size: int = 3, compact: bool = True) -> str:
    """One number in the paper's surface form.

    Args:
        s: a number as written, optionally with a leading ``+``/``-``, one of
            the currency symbols ``$ € £ ¥ ₹`` and a trailing ``%``.
        group_size: digits per group (1..6).
        compact: ``12m`` (vocab variant) rather than ``12 m`` (marker variant).

    Example:
        >>> format_number("$12,345.67")
        '$ 12k 345 . 670p'
    """
    if not isinstance(s, str):
        raise TypeError(f"format_number expects str, not {type(s).__name__}")
    if not isinstance(group_size, int) or not 1 <= group_size <= 6:
        raise ValueError(f"group_size must be between 1 and 6, not {group_size!r}")
    body = s
    percent = body.endswith("%")
    if percent:
        body = body[:-1]
    plus = body.startswith("+")
    if plus:
        body = body[1:]
    currency = ""
    if body[:1] and body[0] in CURRENCIES:
        currency, body = body[0], body[1:]
    body = body.replace(" ", "").replace("'", "")
    body = _normalise_marks(body, currency)
    minus = body.startswith("-")
    if minus:
        body = body[1:]
    glued = ""  # a currency after the minus sign stays glued to the digits
    if minus and not currency and body[:1] and body[0] in CURRENCIES:
        glued, body = body[0], body[1:]
    digits = _plain_digits(body)
    if digits is None:
        return s
    int_part, _, frac_part = digits.partition(".")
    result = _surface(int_part, frac_part, group_size, compact)
    if minus:
        result = "-" + glued + result
    prefix = ("+" if plus else "") + currency
    if prefix:
        result = prefix + " " + result
    return result + " %" if percent else result


def _normalise_marks(body: str, currency: str) -> str:
    """Drop thousands marks and leave at most one ``.`` as the decimal point."""
    if currency == "€":  # the euro convention: 1.234,56
        return body.replace(".", "").replace(",", ".") if "," in body else body.replace(".", "")
    if currency == "₹":
        return body.replace(",", "")
    if "." in body:
        head, _, tail = body.rpartition(".")
        return head.replace(".", "").replace(",", "") + "." + tail
    return body.replace(",", "")


def _plain_digits(body: str) -> str | None:
    """``ddd.ddd`` (exponent expanded exactly), or None when `body` is no number."""
    mantissa, exponent = body, None
    for k, c in enumerate(body):
        if c in "eE":
            mantissa, exponent = body[:k], body[k + 1 :]
            break
    int_part, dot, frac_part = mantissa.partition(".")
    if not (int_part + frac_part) or not all(is_digit(c) for c in int_part + frac_part):
        return None
    if exponent is None:
        return int_part + dot + frac_part
    if not exponent:
        return None
    sign = exponent[0] if exponent[0] in "+-" else ""
    if not exponent[len(sign) :] or not all(is_digit(c) for c in exponent[len(sign) :]):
        return None
    try:
        value = Decimal(mantissa if int_part else "0" + mantissa).scaleb(int(exponent))
    except (InvalidOperation, ValueError):
        return None
    return format(value, "f")


def _surface(int_part: str, frac_part: str, g: int, compact: bool) -> str:
    joiner = "" if compact else " "
    groups: list[str] = []
    k = len(int_part)
    power = 0
    while k > 0:
        part = int_part[max(0, k - g) : k]
        name = int_name(power, g)
        groups.append(part + joiner + name if name else part)
        k -= g
        power += g
    int_str = " ".join(reversed(groups))
    if not frac_part:
        return int_str
    fracs = []
    for depth, k in enumerate(range(0, len(frac_part), g), start=1):
        fracs.append(frac_part[k : k + g].ljust(g, "0") + joiner + frac_name(depth))
    return (int_str or "0") + " . " + " ".join(fracs)


def skip_text_word(s: str, i: int) -> int:
    """End of the text word at `i`, with every glued ``.word`` after it (words of every script)."""
    n = len(s)
    j = word_end(s, i)
    while j + 1 < n and s[j] == "." and is_word(s[j + 1]):
        j = word_end(s, j + 1)
    return j


def find_paper_numbers(s: str, group_size: int = 3) -> list[tuple[int, Number, int]]:
    """Numbers the paper style converts: (start with sign/currency, number, end with ``%``)."""
    out: list[tuple[int, Number, int]] = []
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if is_digit(c) or (
            c == "." and i + 1 < n and is_digit(s[i + 1]) and (i == 0 or not (is_word(s[i - 1]) or s[i - 1] == "."))
        ):
            found = _paper_numeral(s, i, group_size)
            if found is None:
                i = skip_text_word(s, i) if is_digit(c) else i + 1
            else:
                out.extend(found[0])
                i = found[1]
        elif is_word(c):
            i = skip_text_word(s, i)
        else:
            i += 1
    return out


def _paper_numeral(s: str, i: int, g: int) -> tuple[list[tuple[int, Number, int]], int] | None:
    """Numbers found at `i` and where scanning resumes, or None when `i` starts none."""
    n = len(s)
    euro = i >= 1 and s[i - 1] == "€" and not (i >= 2 and s[i - 2] == "-")
    mark, joiner = (",", ".") if euro else (".", ",")
    int_runs: list[tuple[int, int]] = []
    frac: tuple[int, int] | None = None
    j = i
    if s[i] != mark:
        j = digit_end(s, i)
        int_runs.append((i, j))
        while j + 1 < n:
            c = s[j]
            if c in " '" and exact_digits(s, j + 1, 3):
                int_runs.append((j + 1, j + 4))
                j += 4
            elif c == joiner and (euro or (j + 2 < n and is_digit(s[j + 2]))) and is_digit(s[j + 1]):
                end = digit_end(s, j + 1)
                int_runs.append((j + 1, end))
                j = end
            else:
                break
    in_chain = bool(int_runs) and i >= 2 and s[i - 1] == mark and is_digit(s[i - 2])
    if not in_chain and j + 1 < n and s[j] == mark and is_digit(s[j + 1]):
        f1 = digit_end(s, j + 1)
        if not (f1 + 1 < n and s[f1] == mark and is_digit(s[f1 + 1])):
            frac = (j + 1, f1)
            j = f1
        elif not int_runs:
            return None
    if not int_runs and frac is None:
        return None
    exponent: list[tuple[int, Number, int]] = []
    if j + 1 < n and s[j] in "eE":
        k = j + 2 if s[j + 1] in "+-" else j + 1
        if k < n and is_digit(s[k]):
            e1 = digit_end(s, k)
            if e1 == n or not is_word(s[e1]):
                exp = _paper_number(s, k, e1, [(k, e1)], None, g)
                exponent.append((k - 1 if k > j + 1 else k, exp, e1))
    if not exponent and j < n and is_word(s[j]):
        w = word_end(s, j)
        if any(is_numeric(c) for c in s[j:w]) or (
            j - i == 1 and s[i] == "0" and s[j] in "xX" and w - j >= 2 and s[j + 1] in HEX_DIGITS
        ):
            return [], skip_text_word(s, j)  # digits glued to a word: text up to its end
    start = i
    if start >= 1 and s[start - 1] in CURRENCIES:
        start -= 1
    if start >= 1 and s[start - 1] in "+-":
        start -= 1
    end = j + 1 if j < n and s[j] == "%" else j
    found = [(start, _paper_number(s, i, j, int_runs, frac, g), end), *exponent]
    return found, found[-1][2]


def _paper_number(
    s: str, start: int, end: int, int_runs: list[tuple[int, int]], frac: tuple[int, int] | None, g: int
) -> Number:
    """The number's exact groups, whatever the paper surface pads."""
    positions = [p for a, b in int_runs for p in range(a, b)]
    digits = "".join(s[a:b] for a, b in int_runs)
    groups: list[Group] = []
    total = len(digits)
    k, size = 0, total % g or g
    while k < total:
        groups.append(Group(digits[k : k + size], total - k - size, positions[k], positions[k + size - 1] + 1))
        k, size = k + size, g
    if frac is not None:
        f0, f1 = frac
        for k in range(f0, f1, g):
            part = s[k : min(k + g, f1)]
            groups.append(Group(part, -(k - f0 + len(part)), k, k + len(part)))
    return Number(start, end, tuple(groups))


def encode_paper(s: str, group_size: int = 3, compact: bool = True) -> str:
    """Running text with every number in the paper's surface form (lossy)."""
    parts: list[str] = []
    pos = 0
    for start, _num, end in find_paper_numbers(s, group_size):
        parts.append(s[pos:start])
        parts.append(format_number(s[start:end], group_size, compact))
        pos = end
    parts.append(s[pos:])
    return "".join(parts)
