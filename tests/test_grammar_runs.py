"""Numbers as a reader sees them in CSV rows, dates, times and groupings (docs/SPEC.md 2.4-2.5).

Properties over generated text, each with an oracle written independently of
the grammar (from how the text was generated, or as regular expressions):

* a thousands grouping is always a whole separator-joined run: never part of
  a longer one, never started by a chain part (the day of ``2019-07-21``, the
  minutes of ``12:30``), never with a leading ``0``;
* a generated run of digit groups is one number exactly when the whole run is
  a valid grouping, else each group is its own number (CSV rows);
* every field of a generated date, time, ISO 8601 date-time or version is one
  number, and CSV values after it are never regrouped with it;
* both engines agree and the round trip is exact on all of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tst
from tests.conftest import RUST
from tests.strategies import (
    BOUNDS_AFTER,
    BOUNDS_BEFORE,
    HEX_WORDS,
    UUIDS,
    date_time_fields,
    separated_run,
    tst_text,
)
from tst._chars import is_word

MakeCodec = Callable[..., tst.Codec]

#: Separator settings to draw from: the defaults of each decimal mark, and custom ones.
SEPARATOR_SETTINGS = [None, ", ", "'", "\u00a0\u2009", "_", ",'\u2019", " "]


@st.composite
def codec_kwargs(draw: st.DrawFn, decimal: str | None = None) -> dict[str, Any]:
    dec = decimal or draw(st.sampled_from([".", ","]))
    seps = draw(st.sampled_from(SEPARATOR_SETTINGS))
    if seps is not None:
        seps = "".join(c for c in seps if c != dec)
    return {
        "variant": draw(st.sampled_from(["marker", "vocab"])),
        "group_size": draw(st.integers(1, 6)),
        "decimal": dec,
        "separators": seps,
        "indian": draw(st.booleans()),
        "overflow": "extend",
    }


def _whole_run_expected(parts: list[str], sep: str, indian: bool) -> list[str]:
    """The reader's numbers of ``sep.join(parts)`` standing alone."""
    lead_ok = parts[0][0] != "0" and len(parts) >= 2
    western = lead_ok and len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])
    indian_ok = (
        indian
        and lead_ok
        and len(parts) >= 3
        and len(parts[0]) <= 2
        and all(len(p) == 2 for p in parts[1:-1])
        and len(parts[-1]) == 3
    )
    if western or indian_ok:
        return [sep.join(parts)]
    if sep == "_":  # a word character: the digits glued to `_2_345` are one text word (SPEC 2.2)
        return []
    return parts


def _spans(codec: tst.Codec, text: str) -> list[str]:
    return [text[n.start : n.end] for n in codec.numbers(text)]


# -- generated runs ----------------------------------------------------------------------------


@given(kwargs=codec_kwargs(), data=st.data())
def test_a_run_is_one_grouping_only_as_a_whole(make_codec: MakeCodec, kwargs: dict[str, Any], data: Any) -> None:
    codec = make_codec(**kwargs)
    seps = codec.settings.resolved_separators
    if not seps:
        return
    sep = data.draw(st.sampled_from(seps))
    parts = data.draw(separated_run(sep))
    before = data.draw(st.sampled_from([b for b in BOUNDS_BEFORE if not b.endswith(sep) or b == ""]))
    after = data.draw(st.sampled_from([a for a in BOUNDS_AFTER if not a.startswith(sep)]))
    text = before + sep.join(parts) + after
    expected = _whole_run_expected(parts, sep, kwargs["indian"])
    assert _spans(codec, text) == expected, (text, sep)
    assert codec.decode(codec.encode(text)) == text


@given(data=st.data(), kwargs=codec_kwargs(decimal="."))
def test_every_field_of_a_date_or_time_is_a_number(make_codec: MakeCodec, kwargs: dict[str, Any], data: Any) -> None:
    codec = make_codec(**kwargs)
    text, fields = data.draw(date_time_fields())
    values: list[str] = []
    if text[-1].isdigit():  # CSV values after a chain part are never regrouped with it
        values = data.draw(st.lists(st.text("0123456789", min_size=1, max_size=3), max_size=4))
    row = ",".join([text, *values]) + data.draw(st.sampled_from(["", "\n", " ok"]))
    assert _spans(codec, row) == fields + values, row
    assert codec.decode(codec.encode(row)) == row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20240115T103000Z", []),
        ("2024-01-15T1030", ["2024", "01"]),
        ("x86_64", []),
        ("a3f5e9b1", []),
        ("3f5e9b1c-1d2e", []),
        ("0x1F", []),
        ("T10:30", ["30"]),
        ("1T10", []),
    ],
)
def test_basic_format_hex_and_hashes_stay_text(make_codec: MakeCodec, text: str, expected: list[str]) -> None:
    assert _spans(make_codec(), text) == expected


# -- any text: the grouping invariants -----------------------------------------------------------

_CHAIN_BEFORE = re.compile(r"[0-9]([-/])[0-9]{1,2}\1$")
_ISO_BEFORE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]$")


def _digit(c: str) -> bool:
    return "0" <= c <= "9"


def _after(text: str, a: int, mark: str) -> bool:
    """`text[a]` follows `mark` after an ASCII digit."""
    return a >= 2 and text[a - 1] == mark and _digit(text[a - 2])


def _grouping_invariants(text: str, codec: tst.Codec) -> None:
    """Every grouping found is a whole run, starts no chain part and has no leading 0."""
    dec = codec.settings.decimal
    for num in codec.numbers(text):
        sep = num.separator
        if sep is None:
            continue
        a = num.start
        b = [g for g in num.groups if g.power >= 0][-1].end  # end of the integer part
        head = text[a : text.index(sep, a)]
        before = text[:a]

        assert head[0] != "0", (text, "leading zero")
        assert not _after(text, a, sep), (text, "part of a longer run (left)")
        assert not (b + 1 < len(text) and text[b] == sep and _digit(text[b + 1])), (text, "longer run (right)")
        assert not _after(text, a, dec), (text, "a decimal chain part")
        assert not (_after(text, a, ":") and len(head) == 2), (text, "a time field")
        assert not _CHAIN_BEFORE.search(before), (text, "the third part of a date")
        iso = _ISO_BEFORE.search(before)
        if iso and len(head) == 2:
            assert iso.start() > 0 and is_word(text[iso.start() - 1]), (text, "the hour of a date-time")


@st.composite
def reader_text(draw: st.DrawFn) -> str:
    """CSV rows, dates, times and runs mixed with the grammar-stressing pieces."""
    sep = draw(st.sampled_from([",", "'", "\u00a0", " ", "_", "."]))
    piece = st.one_of(
        separated_run(sep).map(sep.join),
        date_time_fields().map(lambda t: t[0]),
        tst_text(),
        UUIDS,
        st.sampled_from(
            [",", ":", "-", "/", "T", "Z", "+05:30", "+0530", " -1400", " 2014 ", ".", " ", "0", "年", "は", "ราคา"]
        ),
    )
    return "".join(draw(st.lists(piece, max_size=8)))


@given(kwargs=codec_kwargs(), text=reader_text())
def test_groupings_are_whole_runs_in_any_text(make_codec: MakeCodec, kwargs: dict[str, Any], text: str) -> None:
    codec = make_codec(**kwargs)
    _grouping_invariants(text, codec)
    assert codec.decode(codec.encode(text)) == text


# -- both engines ------------------------------------------------------------------------------


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
@given(kwargs=codec_kwargs(), text=reader_text())
def test_engines_agree_on_reader_text(kwargs: dict[str, Any], text: str) -> None:
    py = tst.Codec(**kwargs, backend="python")
    rs = tst.Codec(**kwargs, backend="rust")
    assert rs.numbers(text) == py.numbers(text)
    assert rs.encode_with_offsets(text) == py.encode_with_offsets(text)
    assert rs.out_of_range(text) == py.out_of_range(text)
    assert rs.decode(rs.encode(text)) == text
    _grouping_invariants(text, py)


# -- hexadecimal words (SPEC 2.2) ----------------------------------------------------------------


@given(
    before=st.sampled_from(
        ["", " ", "(", "U+", "u+", "xU+", " u+", ".", "1.", "-", "a,", "v", "..", "abc1234..", "..."]
    ),
    word=HEX_WORDS,
    after=st.sampled_from(["", " ", ".5", "-e89b", "x", ";", "é", ".x", "e-5"]),
    decimal=st.sampled_from([".", ","]),
)
def test_hexadecimal_words_are_text(make_codec: MakeCodec, before: str, word: str, after: str, decimal: str) -> None:
    """The class: a hash or UUID part shaped as an exponent (``55807e6``) read as a mantissa and an
    exponent, or as digits then a-f (``535fced``) read as a number and a suffix, a code point
    (``U+1E78``) read as decimal numbers. No number starts inside such a word."""
    text = before + word + after
    codec = make_codec(decimal=decimal, separators=None)
    a, b = len(before), len(before) + len(word)
    whole = not (after[:1] and is_word(after[0]))  # the word ends where `word` ends
    code_point = before.endswith(("U+", "u+")) and not (len(before) > 2 and is_word(before[-3]))
    # What 2.7 reads as an exponent, or 2.2 as a number and a suffix word (a hash's letters all last).
    shaped = re.fullmatch("[0-9]+[eE][0-9]+|[0-9]+[a-f]+", word) is not None
    # Not after a dot or the decimal mark (a fraction's digits), but after two dots (a git range).
    long = len(word) >= 7 and shaped and (not before.endswith((".", decimal)) or before.endswith(".."))
    numbers = codec.numbers(text)
    if whole and (code_point or long):
        assert not any(n.start < b and n.end > a for n in numbers), (text, numbers)
    if whole and not code_point and len(word) < 7 and before in ("", " ") and after in ("", " "):
        # A short word keeps the grammar it had: digits, maybe an exponent (2.7), or a glued word (2.2).
        spans = [(n.start, n.end) for n in numbers]
        e = word.find("e")
        if word.isdigit():
            assert spans == [(a, b)], (text, spans)
        elif e > 0 and word[e + 1 :].isdigit() and word[:e].isdigit():
            assert spans == [(a, a + e), (a + e + 1, b)], (text, spans)
    assert codec.decode(codec.encode(text)) == text


# -- UUIDs (SPEC 2.2) -----------------------------------------------------------------------------

_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


@given(
    before=st.sampled_from(["", " ", "id=", "urn:uuid:", "(", "x", "é", "7", "-", ".", "2024-01-02 ", "1,"]),
    uuid=UUIDS,
    after=st.sampled_from(["", " ", ")", ".json", ".5", "-1", " 42", ",3", "x", "é", "0", "-12345678"]),
    cut=st.integers(0, 40),
)
def test_uuids_are_text(make_codec: MakeCodec, before: str, uuid: str, after: str, cut: int) -> None:
    """The class: a UUID's all-digit parts read as integers and a date-like chain (``…-446655440000``).

    Oracle: a UUID-shaped run (regular expression) with no word character on either side has no
    number inside it; a UUID glued to a word, or cut short, keeps the grammar it had.
    """
    text = before + uuid + after
    text = text[: len(before) + cut] + text[len(before) + 36 :] if cut < 36 else text
    codec = make_codec()
    numbers = codec.numbers(text)
    for m in _UUID.finditer(text):
        a, b = m.span()
        if (a == 0 or not is_word(text[a - 1])) and (b == len(text) or not is_word(text[b])):
            assert not any(n.start < b and n.end > a for n in numbers), (text, numbers)
    if cut >= 36 and after == " 42":
        assert any(text[n.start : n.end] == "42" for n in numbers), (text, numbers)
    assert codec.decode(codec.encode(text)) == text


# -- groupings glued to a text word (SPEC 2.2) ------------------------------------------------------


@given(
    word=st.sampled_from(["USD", "CHF", "0m", "x", "Q", "é", "rows_", "KRW", "Rs.", "ca.", "Art."]),
    head=st.integers(1, 999).map(str),
    groups=st.lists(st.integers(0, 999).map("{:03d}".format), min_size=1, max_size=5),
    sep=st.sampled_from([",", "'", "\u00a0"]),
    frac=st.sampled_from(["", ".5", ".50"]),
    after=st.sampled_from(["", " ", "s", " 42", ";7", "%"]),
)
def test_groupings_glued_to_a_word_are_text(
    make_codec: MakeCodec, word: str, head: str, groups: list[str], sep: str, frac: str, after: str
) -> None:
    """The class: a grouping whose first group ends a text word (``USD2,000,000``, ``0m12,014s``)
    gave its tail groups as numbers of their own (0, 0; 14). Oracle: by construction, no number
    lies inside the glued run, and a number after it (`` 42``) is still found."""
    run = word + sep.join([head, *groups]) + frac
    text = run + after
    codec = make_codec()
    numbers = codec.numbers(text)
    assert not any(n.start < len(run) for n in numbers), (text, numbers)
    if after in (" 42", ";7"):
        assert [text[n.start : n.end] for n in numbers] == [after[1:]], (text, numbers)
    assert codec.decode(codec.encode(text)) == text


@given(
    word=st.sampled_from(["EUR", "0m", "x", "Fr.", "S.1.", "rows_"]),
    digits=st.text("0123456789", min_size=1, max_size=4),
    frac=st.text("0123456789", min_size=1, max_size=4),
    after=st.sampled_from(["", "s", " 42", ";7"]),
)
def test_a_decimal_comma_fraction_glued_to_a_word_is_text(
    make_codec: MakeCodec, word: str, digits: str, frac: str, after: str
) -> None:
    """The class, with ``decimal=","``: the fraction after a text word's digits (``EUR12,99``,
    ``0m0,003s``) read as a number of its own (99, 003). With ``.`` the word's ``.word`` chain
    takes it; with ``,`` the word takes it too. Oracle: by construction."""
    run = f"{word}{digits},{frac}"
    text = run + after
    codec = make_codec(decimal=",")
    numbers = codec.numbers(text)
    assert not any(n.start < len(run) for n in numbers), (text, numbers)
    if after in (" 42", ";7"):
        assert [text[n.start : n.end] for n in numbers] == [after[1:]], (text, numbers)
    assert codec.decode(codec.encode(text)) == text


#: The two shapes of a hexadecimal word (SPEC 2.2).
_HEX_SHAPES = "[0-9]+([eE][0-9]+|[a-f]+)"


@given(
    ident=st.integers(1, 999),
    tail=st.one_of(
        UUIDS, HEX_WORDS.filter(lambda w: len(w) >= 7 and re.fullmatch("[0-9]+([eE][0-9]+|[a-f]+)", w) is not None)
    ),
    end=st.sampled_from(["", ",ok", " x", "\n"]),
)
def test_a_csv_id_before_a_hash_stays_a_number(make_codec: MakeCodec, ident: int, tail: str, end: str) -> None:
    """The class: an id cell, then a hash or UUID cell (``1,550e8400-…``, ``3,535fced``): the two
    read as one grouping (1,550 with the exponent 8400) or the id was lost. A grouping's last
    group that starts a hexadecimal word or a UUID makes the run no grouping."""
    text = f"{ident},{tail}{end}"
    codec = make_codec()
    numbers = [text[n.start : n.end] for n in codec.numbers(text)]
    if tail[:1].isdigit() and not tail.isdigit():
        assert numbers == [str(ident)], (text, numbers)
    assert codec.decode(codec.encode(text)) == text


# -- scripts written without spaces (SPEC 2.2) ------------------------------------------------------

#: Letters and marks of scripts written without spaces (Han, kana, Thai; a combining mark of each).
UNSPACED = "年月日人は約万ドルราคาบาท漢字カｱ々〆ゕ\u3099\u0e31"


@given(
    pieces=st.lists(
        st.one_of(reader_text(), st.text(UNSPACED, min_size=1, max_size=3), st.sampled_from(["๓", "〇", "é", "x"]))
    )
)
def test_unspaced_scripts_separate_like_a_space(make_codec: MakeCodec, pieces: list[str]) -> None:
    """The class: a number glued to Han, kana or Thai (``約1,500人``) read as part of a text word, or
    its tail as a number of its own (``500``). Oracle: the numbers are those of the same text with
    every such letter or mark replaced by a character that is neither word nor cluster (``;``)."""
    text = "".join(pieces)
    # After such a letter a dot is an abbreviation's, not a leading decimal mark (the next test).
    assume(not any(a in UNSPACED and b == "." for a, b in pairwise(text)))
    spaced = "".join(";" if c in UNSPACED else c for c in text)
    codec = make_codec()
    assert codec.numbers(text) == codec.numbers(spaced), text
    assert codec.decode(codec.encode(text)) == text


@given(letter=st.sampled_from(list(UNSPACED)), digits=st.text("0123456789", min_size=1, max_size=12))
def test_a_dot_after_an_unspaced_letter_is_no_decimal_mark(make_codec: MakeCodec, letter: str, digits: str) -> None:
    """The class: an abbreviation's dot in Thai or Han (``พ.ศ.2567``, ``ม.3``, ``図.3``) read as a
    leading decimal mark once those letters stopped gluing, so 2567 became the fraction .2567. A
    letter of any script keeps a dot from leading a number, as a Latin one does (``x.5``)."""
    text = f"{letter}.{digits}"
    numbers = make_codec().numbers(text)
    assert [(n.start, n.end) for n in numbers] == [(2, len(text))], (text, numbers)


# -- the issue's rows, on both engines (SPEC pins them too) --------------------------------------

ISSUE_ROWS = [
    ("2019-07-21,480 Main St.", {}, ["2019", "07", "21", "480"]),
    ("12:30,450 people", {}, ["12", "30", "450"]),
    ("1,2,345", {}, ["1", "2", "345"]),
    ("7,8,910,112", {}, ["7", "8", "910", "112"]),
    ("12,34,567", {"indian": False}, ["12", "34", "567"]),
    ("2024-01-15T10:30:00Z", {}, ["2024", "01", "15", "10", "30", "00"]),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), ISSUE_ROWS)
def test_issue_rows(make_codec: MakeCodec, text: str, kwargs: dict[str, Any], expected: list[str]) -> None:
    for variant in ("marker", "vocab"):
        codec = make_codec(variant=variant, **kwargs)
        assert _spans(codec, text) == expected
        assert codec.decode(codec.encode(text)) == text


# -- UTC offsets after a time (SPEC 2.4) ---------------------------------------------------------

_OFFSET = re.compile(
    r"(?:(?<=[0-9]{2}:[0-9]{2})((?:[.,][0-9]{1,9})?)( (?:[0-9]{4} )?)?|(?<=GMT|UTC))"
    r"[+-](?:0[0-9]|1[0-4])[0-5][0-9](?![0-9])"
)


@given(
    before=st.sampled_from(["", "Date: Mon, 07 Apr 2025 ", "x", "2024-01-15T", "at 1", " 9"]),
    clock=st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]:02d}:{t[1]:02d}"),
    seconds=st.sampled_from(["", ":17", ":17.5", ":17,123", ":00.123456789", ":00.1234567890", ":5"]),
    gap=st.sampled_from(["", " ", "  ", " 2014 ", " 14 ", "x", " GMT", "UTC", " 2026 GMT", " gmt", " GMT "]),
    sign=st.sampled_from(["+", "-", "\u2212", ""]),
    offset=st.integers(0, 9999).map("{:04d}".format) | st.sampled_from(["0200", "-0700", "00", "02000"]),
    after=st.sampled_from(["", " ", "\n", " (CET)", ",5", "x", "é", ".5", "0"]),
)
def test_a_utc_offset_after_a_time_is_text(
    make_codec: MakeCodec, before: str, clock: str, seconds: str, gap: str, sign: str, offset: str, after: str
) -> None:
    """The class: a UTC offset after a time read as an integer (``13:26:17 +0200`` gave 200; a
    new-user trial: every maintainer line of 300 Debian changelogs), or after a zone's name
    (JavaScript's ``14:32:00 GMT+0200``). Oracle: a regular expression for the offset shapes; its
    four digits are no number when no word follows, and the fields of the time before it are
    numbers either way."""
    text = before + clock + seconds + gap + sign + offset + after
    codec = make_codec(variant="vocab")
    spans = [(n.start, n.end) for n in codec.numbers(text)]
    at = len(before + clock + seconds + gap + sign)
    ends = {m.end() for m in _OFFSET.finditer(text, len(before))}
    is_offset = at + 4 in ends and (at + 4 == len(text) or not is_word(text[at + 4]))
    if is_offset:
        assert not any(a < at + 4 and b > at for a, b in spans), (text, spans)
    elif sign and offset.isdigit() and len(offset) == 4 and not (after[:1].isalnum() or after[:1] in "é"):
        assert any(a == at for a, _ in spans), (text, spans)  # four digits after a sign, no offset: a number
    assert codec.decode(codec.encode(text)) == text


# -- percent-encoded bytes (SPEC 2.2) --------------------------------------------------------------

_ESCAPE = re.compile(r"(?<=[A-Za-z0-9%:=?&#._~@!$*;])%[0-9][0-9A-Fa-f]")


@given(
    before=st.sampled_from(["", " ", "a", "q=", "id:", "/", "(", "yüzde ", "5", "%20", "x,", "%10-", "KDV +", "%10/"]),
    code=st.sampled_from(["20", "22", "2B", "2f", "9C", "30", "3", "2x", "E2"]),
    rest=st.sampled_from(["", "4817768", "b", ",000", ".5", "e5", "%22", " 7", "0,000 x"]),
)
def test_percent_encoded_bytes_are_text(make_codec: MakeCodec, before: str, code: str, rest: str) -> None:
    """The class: the hexadecimal digits of a percent-encoded byte read as a number, or as the head of
    one with the digits after it (``id:%224817768%22`` gave 224,817,768; a new-user trial on package
    METADATA URLs). Oracle: a regular expression for an escape glued on its left to a URL character;
    no number starts at its digits, and a percent sign after a space still leads a number."""
    text = before + "%" + code + rest
    codec = make_codec(variant="vocab")
    starts = {n.start for n in codec.numbers(text)}
    for m in _ESCAPE.finditer(text):
        assert m.start() + 1 not in starts, (text, starts)
    prose = ("", " ", "(", "yüzde ", "x,", "%10-", "KDV +", "%10/")  # a percent sign, as Turkish writes it: %15
    if before in prose and code[0].isdigit() and (len(code) == 1 or code[1].isdigit()) and rest[:1] in ("", " ", ","):
        assert len(before) + 1 in starts, (text, starts)
    assert codec.decode(codec.encode(text)) == text


# -- MAC addresses (SPEC 2.2) ---------------------------------------------------------------------

_MAC = re.compile(
    r"(?<![0-9A-Fa-f][:-])\b([0-9A-Fa-f]{2})([:-])[0-9A-Fa-f]{2}(?:\2[0-9A-Fa-f]{2}){4}(?![:-][0-9A-Fa-f])"
)


@given(
    before=st.sampled_from(["", " ", "mac=", "x", "é", "1:", "ab-", "(", "'"]),
    pairs=st.lists(
        st.sampled_from(["00", "1A", "2b", "85", "08", "45", "c4", "99", "FF", "7"]), min_size=5, max_size=8
    ),
    sep=st.sampled_from([":", "-"]),
    after=st.sampled_from(["", " ", "'", ", 7", ".5", "x", ":1a", "-", " 42"]),
)
def test_mac_addresses_are_text(make_codec: MakeCodec, before: str, pairs: list[str], sep: str, after: str) -> None:
    """The class: a MAC address's pairs read as numbers (``c4:85:08:45:06:41`` gave 85, 8, 45, 6, 41;
    a new-user trial on psutil's METADATA). Oracle: a regular expression for six pairs with one
    separator, not glued to a word nor continued by the separator and a hexadecimal digit: no
    number inside; a number after it (`, 7`) is still one."""
    text = before + sep.join(pairs) + after
    codec = make_codec(variant="vocab")
    numbers = codec.numbers(text)
    for m in _MAC.finditer(text):
        a, b = m.span()
        letter = re.search("[A-Fa-f]", m.group())
        if letter and (a == 0 or not is_word(text[a - 1])) and (b == len(text) or not is_word(text[b])):
            assert not any(n.start < b and n.end > a for n in numbers), (text, numbers)
            if after == ", 7":
                assert text[numbers[-1].start :] == "7", (text, numbers)
        elif not letter and len(pairs) == 6 and all(len(p) == 2 for p in pairs) and not is_word(before[-1:] or " "):
            # Six pairs of decimal digits: a list or a lottery draw (04-12-23-31-38-45), six numbers.
            assert sum(a <= n.start < b for n in numbers) >= 5, (text, numbers)
    assert codec.decode(codec.encode(text)) == text
