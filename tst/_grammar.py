"""The number grammar of the exact style: where numbers are (docs/SPEC.md, section 2).

One left-to-right pass. Words (runs of letters, marks, numbers and `_`) are
consumed whole: a word that starts with an ASCII digit may begin a numeral,
any other word is text, and so is every ``.word`` glued after a text word
(``v1.2.3``, ``file.5``).
"""

from __future__ import annotations

from tst._chars import digit_end, is_digit, is_numeric, is_script_word, is_word, word_end
from tst.errors import TSTRangeError
from tst.numbers import Group, Number, OutOfRange
from tst.settings import Settings

HEX_DIGITS = "0123456789abcdefABCDEF"
#: The shortest hexadecimal word that is text (SPEC 2.2): git abbreviates hashes to 7 characters.
HEX_WORD_MIN = 7
#: A UUID's text form (RFC 9562, section 4): 8-4-4-4-12 hexadecimal digits joined by hyphens,
#: 36 characters; where each of its five parts starts, counted from its first character.
UUID_LEN = 36
UUID_PARTS = (0, 9, 14, 19, 24)

Span = tuple[int, int]


def find_numbers(s: str, st: Settings, out_of_range: list[OutOfRange] | None = None) -> list[Number]:
    """Every number of `s` under the exact-style grammar, in order.

    When `out_of_range` is a list, every numeral outside the configured range
    (`int_digits`, `frac_digits`) is appended to it as well: with
    ``overflow="text"`` those are the numerals left as text, with
    ``"extend"`` the ones encoded beyond `Codec.vocabulary()`.

    Raises:
        TSTRangeError: a numeral out of range under ``overflow="error"``.
    """
    out: list[Number] = []
    n = len(s)
    dec = st.decimal
    i = 0
    while i < n:
        c = s[i]
        if is_digit(c):
            end = _numeral(s, i, False, st, out, out_of_range)
            i = end if end is not None else skip_text_word(s, i, st)
        elif is_word(c):
            i = skip_text_word(s, i, st)
        elif (
            c == dec
            and i + 1 < n
            and is_digit(s[i + 1])
            # Not after a letter of any script: in Thai or Han an abbreviation's dot (พ.ศ.2567) is no mark.
            and (i == 0 or not (is_script_word(s[i - 1]) or s[i - 1] == "." or s[i - 1] == dec))
        ):
            end = _numeral(s, i, True, st, out, out_of_range)
            i = end if end is not None else i + 1
        else:
            i += 1
    return out


def skip_text_word(s: str, i: int, st: Settings) -> int:
    """End of the text word at `i`, with every glued ``.word`` and glued grouping after it (SPEC 2.2).

    A grouping whose first group ends a text word (``USD2,000,000``, ``0m12,014s``,
    ``CHF1'000.50``) belongs to that word: its head is text, so its tail is no number of its own.
    """
    n = len(s)
    j = word_end(s, i)
    while True:
        while j + 1 < n and s[j] == "." and is_word(s[j + 1]):
            j = word_end(s, j + 1)
        k = _glued_grouping_end(s, j, st)
        if k is None:
            return j
        j = word_end(s, k)


def _glued_grouping_end(s: str, j: int, st: Settings) -> int | None:
    """Where a number glued to the end `j` of a text word ends, or None: that number is text too.

    A whole grouping (2.4) whose first group is the word's last 1-3 digits (not led by ``0``,
    after a letter or a dot of the word: ``USD2,000,000``, ``Rs.12,999``), with its fraction;
    or, with a decimal comma, the fraction after the word's digits (``EUR12,99``, ``0m0,003s``:
    with ``.`` the word's ``.word`` chain takes it already).
    """
    n = len(s)
    if j == 0 or j + 1 >= n or not is_digit(s[j - 1]) or not is_digit(s[j + 1]):
        return None
    if s[j] == st.decimal:
        return digit_end(s, j + 1) if st.decimal != "." else None
    h = j
    while h > 0 and is_digit(s[h - 1]) and j - h < 4:
        h -= 1
    if j - h > 3 or h == 0 or is_digit(s[h - 1]) or not (is_word(s[h - 1]) or s[h - 1] == ".") or s[h] == "0":
        return None
    if s[j] not in st.resolved_separators:
        return None
    grouping = _whole_grouping(s, j, s[j], j - h, st, text_tail=False)
    if grouping is None:
        return None
    end = grouping[0]
    if end + 1 < n and s[end] == st.decimal and is_digit(s[end + 1]):
        end = digit_end(s, end + 1)
    return end


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


def continues_chain(s: str, i: int, j: int, dec: str) -> bool:
    """True when the digit run ``s[i:j]`` continues a chain of integers (SPEC 2.4).

    That is: it follows the decimal mark after a digit (the ``3`` of
    ``1.2.3``), a colon after a digit and has exactly two digits (a time
    field: the ``30`` of ``12:30``), it is the third part of a date joined
    by ``-`` or ``/`` whose middle part has one or two digits (the ``21`` of
    ``2019-07-21``, the ``19`` of ``7/21/19``), or it is the hour of an ISO
    8601 date-time (the ``10`` of ``2024-01-15T10``). A chain part never
    starts a thousands grouping. Looks back at most eleven characters.
    """
    if i < 2 or not is_digit(s[i - 2]):
        return False
    mark = s[i - 1]
    if mark in "Tt":
        return i >= 11 and iso_date_time(s, i - 3, i - 1)
    if mark == dec:
        return True
    if mark == ":":
        return j - i == 2
    if mark not in "-/":
        return False
    middle = i - 3 if i >= 3 and is_digit(s[i - 3]) else i - 2  # where the middle part starts
    return middle >= 2 and s[middle - 1] == mark and is_digit(s[middle - 2])


def _joined_left(s: str, i: int, sep: str) -> bool:
    """True when the digit run at `i` follows `sep` after a digit: it is inside a longer run."""
    return i >= 2 and s[i - 1] == sep and is_digit(s[i - 2])


def iso_date_time(s: str, i: int, j: int) -> bool:
    """True when ``s[j]`` is the ``T`` of an ISO 8601 / RFC 3339 date-time.

    ``s[i:j]`` is the day of an extended date ``YYYY-MM-DD`` (the year not
    glued to a word) and ``T`` or ``t`` is followed by a two-digit hour
    (``2024-01-15T10:30:00Z``). The basic format (``20240115T103000Z``)
    does not qualify: its fields are not delimited.
    """
    return (
        j - i == 2
        and j + 2 < len(s)
        and s[j] in "Tt"
        and is_digit(s[j + 1])
        and is_digit(s[j + 2])
        and (j + 3 == len(s) or not is_digit(s[j + 3]))
        and i >= 8
        and s[i - 1] == "-"
        and is_digit(s[i - 2])
        and is_digit(s[i - 3])
        and s[i - 4] == "-"
        and all(is_digit(s[p]) for p in range(i - 8, i - 4))
        and (i == 8 or not is_word(s[i - 9]))
    )


def _numeral(
    s: str, i: int, lead: bool, st: Settings, out: list[Number], out_of_range: list[OutOfRange] | None
) -> int | None:
    """Parse a numeral at `i` and append its number(s) to `out`.

    Returns where scanning resumes: after the numeral (after the ``T`` of a
    date-time), or after the text it turned out to be part of (digits glued
    to a word, out of range with ``overflow="text"``). Returns None when a
    leading decimal mark starts no numeral. `lead` means `i` is a leading
    decimal mark.
    """
    n = len(s)
    dec = st.decimal
    chunks: list[Span] = []
    sep: str | None = None
    indian = False
    j = i
    if lead and (u := uuid_end(s, i + 1)) is not None:
        return skip_text_word(s, u - 12, st)  # a mark before a UUID (.550e8400-...)
    if not lead:
        j = digit_end(s, i)
        if hex_word(s, i, j, dec):
            return skip_text_word(s, i, st)
        if utc_offset(s, i, j):
            return j
        if percent_escape(s, i):
            return skip_text_word(s, i, st)
        u = uuid_end(s, i)
        if u is not None:
            return skip_text_word(s, u - 12, st)
        m = mac_end(s, i)
        if m is not None:
            return skip_text_word(s, m - 2, st)
        chunks.append((i, j))
        # A grouping is judged on the whole run of digit groups joined by its
        # separator: it starts at the run's first group (not after the same
        # separator and a digit, not inside a chain, not with a 0) and its last
        # group ends the run. Linear: a failed run is never tried again from inside.
        if j - i <= 3 and j + 1 < n and s[j] in st.resolved_separators and s[i] != "0":
            sp = s[j]
            if not _joined_left(s, i, sp) and not continues_chain(s, i, j, dec):
                grouping = _whole_grouping(s, j, sp, j - i, st)
                if grouping is not None:
                    j, groups, indian = grouping
                    chunks += groups
                    sep = sp
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
    resume = j
    if exp is None and j < n and is_word(s[j]):
        if not lead and iso_date_time(s, i, j):
            resume = j + 1  # the T is text; the hour after it starts the next numeral
        else:
            w = word_end(s, j)
            # Digits glued to a word with more digits (3f5e9b1, 1e5x) or a hexadecimal
            # literal (0x1F): all text, up to the end of that word.
            if any(is_numeric(c) for c in s[j:w]) or (
                mant_end - i == 1 and s[i] == "0" and s[j] in "xX" and w - j >= 2 and s[j + 1] in HEX_DIGITS
            ):
                return skip_text_word(s, j, st)
    int_len = sum(b - a for a, b in chunks)
    frac_len = frac[1] - frac[0] if frac else 0
    if int_len > st.int_digits or frac_len > st.frac_digits:
        if st.overflow == "error":
            raise TSTRangeError(i, _range_reason(int_len, frac_len, st))
        if out_of_range is not None:
            out_of_range.append(_out_of_range(i, mant_end, int_len, frac_len, st))
        if st.overflow == "text":
            return resume
    out.append(_number(s, i, mant_end, chunks, frac, sep, indian, st.group_size))
    if exp is not None:
        e_len = exp[1] - exp[0]
        if e_len > st.int_digits:
            if st.overflow == "error":
                raise TSTRangeError(exp[0], _range_reason(e_len, 0, st))
            if out_of_range is not None:
                out_of_range.append(OutOfRange(exp[0], exp[1], "integer", e_len))
            if st.overflow == "text":
                return resume
        out.append(_number(s, exp[0], exp[1], [exp], None, None, False, st.group_size))
    return resume


def _whole_grouping(
    s: str, j: int, sp: str, head: int, st: Settings, text_tail: bool = True
) -> tuple[int, list[Span], bool] | None:
    """The groups after a head of `head` digits ending at `j` that make a whole grouping with it (2.4).

    Western (groups of 3), else Indian where enabled (groups of 2, then 3; a head of 1-2 digits);
    the run must end there (not go on with `sp` and a digit) and, with `text_tail`, its last group
    start no text (`_glued_text`; a grouping that is text anyway, glued to a word, skips the test).
    Returns (end, the groups' spans, whether Indian), or None.
    """
    n = len(s)
    dec = st.decimal if text_tail else None
    k, more = _separated_run(s, j, sp, 3)
    if more and not _continues(s, k, sp) and not (dec and _glued_text(s, k - 3, k, dec)):
        return k, more, False
    if st.indian and head <= 2:
        k, twos = _separated_run(s, j, sp, 2)
        if (
            twos
            and k < n
            and s[k] == sp
            and exact_digits(s, k + 1, 3)
            and not _continues(s, k + 4, sp)
            and not (dec and _glued_text(s, k + 1, k + 4, dec))
        ):
            return k + 4, [*twos, (k + 1, k + 4)], True
    return None


def _glued_text(s: str, a: int, b: int, dec: str) -> bool:
    """Whether the last group ``s[a:b]`` of a grouping starts text: a hexadecimal word, a UUID, or
    a glued word holding a number character (``1,550e8400-…``, ``3,535fced``, ``186,253e80b``).

    Such a run is no grouping (a CSV id, then a hash): its first group stays a number of its own.
    An exponent (``1,234e5``) and a plain suffix word (``1,234kg``) keep the grouping.
    """
    n = len(s)
    if hex_word(s, a, b, dec) or uuid_end(s, a) is not None:
        return True
    if b >= n or not is_word(s[b]):
        return False
    if s[b] in "eE":
        k = b + 2 if b + 1 < n and s[b + 1] in "+-" else b + 1
        if k < n and is_digit(s[k]) and not (digit_end(s, k) < n and is_word(s[digit_end(s, k)])):
            return False
    return any(is_numeric(c) for c in s[b : word_end(s, b)])


def hex_word(s: str, i: int, j: int, dec: str) -> bool:
    """Whether the word at `i`, whose digits end at `j`, is a hexadecimal identifier: text (SPEC 2.2).

    The hexadecimal digits of a code point after ``U+``/``u+`` not glued to a word before it
    (``U+1E78``, ``U+0041``), or a word of at least `HEX_WORD_MIN` characters, not after a dot
    or the decimal mark, shaped as an unsigned exponent (digits, ``e`` or ``E``, digits: a hash
    such as ``55807e6`` or a UUID part such as ``123e4567``, which 2.7 would read as a mantissa
    and an exponent) or as digits then lowercase ``a``-``f`` only (a hash such as ``535fced``,
    which 2.2 would read as a number and a suffix word). Other hashes mix letters and digits,
    which makes them text already (2.2).
    """
    n = len(s)
    if i >= 2 and s[i - 1] == "+" and s[i - 2] in "Uu" and (i == 2 or not is_word(s[i - 3])):
        h = i
        while h < n and s[h] in HEX_DIGITS:
            h += 1
        return not (h < n and is_word(s[h]))
    # Not after a dot or the decimal mark (a fraction's digits), but after two dots (a git range, 61dcaaa..535fced).
    if j >= n or (i > 0 and s[i - 1] in (".", dec) and not (i >= 2 and s[i - 1] == s[i - 2] == ".")):
        return False
    if s[j] in "eE" and j + 1 < n and is_digit(s[j + 1]):
        k = digit_end(s, j + 1)
    elif s[j] == "e" and j + 2 < n and s[j + 1] in "+-" and is_digit(s[j + 2]):
        return False  # a signed exponent (2.7)
    else:
        k = j
        while k < n and "a" <= s[k] <= "f":
            k += 1
        if k == j:
            return False
    return k - i >= HEX_WORD_MIN and not (k < n and is_word(s[k]))


#: Characters a percent-encoded byte is glued to in a URL or query string (RFC 3986, section 2:
#: unreserved and reserved characters), less those that also open text (brackets, parentheses,
#: quotes) or join percentages in prose (``%10-%15``, ``%10/%15``, ``%10,%20``, ``+%18``).
URL_GLUE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%:=?&#._~@!$*;")


def percent_escape(s: str, i: int) -> bool:
    """Whether the digit at `i` starts the two hexadecimal digits of a percent-encoded byte: text (SPEC 2.2).

    ``%`` then two hexadecimal digits (RFC 3986, section 2.1), the ``%`` glued on its left to a
    character of `URL_GLUE` (``a%20b``, ``id:%224817768%22``, ``%E2%9C%93``): the word from
    there is text, as a hash is. A ``%`` after a space, a bracket or at the start is a percent
    sign, which some languages write before the number (Turkish ``%15``).
    """
    return i >= 2 and s[i - 1] == "%" and s[i - 2] in URL_GLUE and i + 1 < len(s) and s[i + 1] in HEX_DIGITS


def utc_offset(s: str, i: int, j: int) -> bool:
    """Whether the digit run ``s[i:j]`` is a UTC offset after a time: text (SPEC 2.4).

    Four digits, hours 00-14 and minutes 00-59, after ``+`` or ``-`` and not glued to a word
    after, where the sign follows a time (``hh:mm``, with ``:ss`` and a fraction of 1-9 digits
    after ``.`` or ``,`` read as its last field) directly or after a space, or after the time, a
    space, a four-digit year and a space: RFC 5322 and git dates (``13:26:17 +0200``,
    ``Mon Apr 7 13:26:17 2014 -0700``), ISO 8601 times with a basic offset (``10:30:00+0530``);
    or, with or without a time, where the sign follows ``GMT`` or ``UTC`` (``GMT+0200``, as
    JavaScript writes a date).
    Like the basic ISO format, the offset does not delimit its hours and minutes: the four
    digits are no one number. Looks back at most 22 characters.
    """
    n = len(s)
    if j - i != 4 or i < 4 or s[i - 1] not in "+-" or (j < n and is_word(s[j])):
        return False
    if s[i : i + 2] > "14" or s[i + 2] > "5":
        return False
    t = i - 1  # where the text before the sign ends
    if s[t - 3 : t] in ("GMT", "UTC"):  # a zone's offset, time or not (JavaScript's `GMT+0200`)
        return True
    if i < 6:
        return False
    if _time_ends_at(s, t):
        return True
    if s[t - 1] != " ":
        return False
    if _time_ends_at(s, t - 1):
        return True
    y = t - 6  # a year between the time and the offset (git, asctime): `17 2014 -0700`
    return y >= 5 and s[y] == " " and all(is_digit(s[p]) for p in range(y + 1, t - 1)) and _time_ends_at(s, y)


def _time_ends_at(s: str, e: int) -> bool:
    """Whether a time's last field ends at `e`: ``dd:dd``, ``dd:dd`` then ``.``/``,`` and 1-9 digits,
    or the hour alone of an ISO 8601 date-time (``-15T10``)."""
    if _clock(s, e) or (
        e >= 6 and s[e - 3] in "Tt" and s[e - 6] == "-" and _digits(s, e - 5, e - 3) and _digits(s, e - 2, e)
    ):
        return True
    k = e
    while k > 0 and is_digit(s[k - 1]) and e - k < 10:
        k -= 1
    return 1 <= e - k <= 9 and k >= 1 and s[k - 1] in ".," and _clock(s, k - 1)


def _digits(s: str, a: int, b: int) -> bool:
    return all(is_digit(s[p]) for p in range(a, b))


def _clock(s: str, e: int) -> bool:
    """``dd:dd`` ends at `e` (hours and minutes, or minutes and seconds)."""
    return (
        e >= 5
        and is_digit(s[e - 1])
        and is_digit(s[e - 2])
        and s[e - 3] == ":"
        and is_digit(s[e - 4])
        and is_digit(s[e - 5])
    )


#: A MAC address as written (IEEE 802 EUI-48): six pairs of hexadecimal digits joined by ``:`` or ``-``.
MAC_LEN = 17
_HEX_LETTERS = frozenset("abcdefABCDEF")


def mac_end(s: str, i: int) -> int | None:
    """If the numeral at `i` starts a pair of a MAC address, where the address ends; else None (SPEC 2.2).

    Six pairs of hexadecimal digits (either case, at least one a letter: six pairs of decimal
    digits are a list, ``04-12-23-31-38-45``) joined by one separator, ``:`` or ``-``
    throughout (``c4:85:08:45:06:41``, ``00-1A-2B-3C-4D-5E``), not glued to a word on either
    side and not continued by the separator and a hexadecimal digit (a longer run, such as an
    IPv6 address or EUI-64, keeps its reading). An identifier, like a UUID: no pair is a number.
    Looks back at most 17 characters.
    """
    n = len(s)
    for off in range(0, MAC_LEN, 3):
        u = i - off
        if u < 0:
            return None
        e = u + MAC_LEN
        if e > n or s[u + 2] not in ":-":
            continue
        sep = s[u + 2]
        if (u > 0 and is_word(s[u - 1])) or (e < n and is_word(s[e])):
            continue
        if (u >= 2 and s[u - 1] == sep and s[u - 2] in HEX_DIGITS) or (
            e + 1 < n and s[e] == sep and s[e + 1] in HEX_DIGITS
        ):
            continue
        if all(s[u + p] == sep if p % 3 == 2 else s[u + p] in HEX_DIGITS for p in range(MAC_LEN)) and any(
            c in _HEX_LETTERS for c in s[u:e]
        ):
            return e
    return None


def uuid_end(s: str, i: int) -> int | None:
    """If the numeral at `i` starts a part of a UUID, where the UUID ends; else None (SPEC 2.2).

    A UUID is `UUID_LEN` characters, 8-4-4-4-12 hexadecimal digits (either case) joined by
    ``-``, not glued to a word on either side (``550e8400-e29b-41d4-a716-446655440000``, also
    the nil UUID of zeros). It is an identifier: no part of it is a number, though its parts
    that are all digits would read as integers and a date-like chain. Looks back at most 24
    characters.
    """
    n = len(s)
    for off in UUID_PARTS:
        u = i - off
        if u < 0:
            return None
        if off and s[i - 1] != "-":
            return None
        e = u + UUID_LEN
        if e > n or (u > 0 and is_word(s[u - 1])) or (e < n and is_word(s[e])):
            continue
        if all(s[u + p] == "-" if p in (8, 13, 18, 23) else s[u + p] in HEX_DIGITS for p in range(UUID_LEN)):
            return e
    return None


def _out_of_range(start: int, end: int, int_len: int, frac_len: int, st: Settings) -> OutOfRange:
    if int_len > st.int_digits:
        return OutOfRange(start, end, "integer", int_len)
    return OutOfRange(start, end, "fraction", frac_len)


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
