"""CSV conversion: any csv-module output converts cell-exactly and round-trips byte for byte."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tst
from tst.data.converter import TextConverter
from tst.data.csv_format import cell_spans, convert_csv, quote_cell, rewrite_row
from tst.data.errors import MissingFieldError

CODEC = tst.Codec(variant="vocab")
CELL = st.text(alphabet=st.sampled_from(list('0123456789.,"; \n\rab⟦')), max_size=12)


@settings(max_examples=150)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    # "\r\r\n": csv.writer's ending on Windows when the file was opened without newline="".
    ending=st.sampled_from(["\n", "\r\n", "\r\r\n"]),
)
def test_any_written_csv_converts_and_round_trips(
    rows: list[list[str]], quoting: int, delimiter: str, ending: str
) -> None:
    # csv.writer leaves a cell with "\r" unquoted when the line ending is "\n": unreadable CSV.
    assume("\r" in ending or not any("\r" in cell for row in rows for cell in row))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=ending)
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    out = io.BytesIO()
    convert_csv(io.BytesIO(data), out, TextConverter(CODEC), ("a", "c"), delimiter=delimiter, block_size=7)
    parsed = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline=""), delimiter=delimiter))
    original = list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=delimiter))
    expected = [original[0]] + [[CODEC.encode(r[0]), r[1], CODEC.encode(r[2])] if r else r for r in original[1:]]
    assert parsed == expected
    back = io.BytesIO()
    convert_csv(io.BytesIO(out.getvalue()), back, TextConverter(CODEC, "decode"), ("a", "c"), delimiter=delimiter)
    assert back.getvalue() == data


BARE = st.text(alphabet=st.sampled_from(list('0123456789.; "ab')), max_size=10).filter(lambda c: c[:1] != '"')
QUOTED = st.text(alphabet=st.sampled_from(list('0123456789.,"; \nab')), max_size=10)


@settings(max_examples=150)
@given(
    cells=st.lists(
        st.lists(
            st.one_of(BARE.map(lambda c: c), QUOTED.map(lambda c: f'"{c.replace(chr(34), 2 * chr(34))}"')),
            min_size=2,
            max_size=2,
        ),
        max_size=5,
    ),
    ending=st.sampled_from(["\n", "\r\n", "\r\r\n", "\r\r\r\n"]),
)
def test_hand_written_csv_keeps_its_bytes(cells: list[list[str]], ending: str) -> None:
    """Any spelling the strict reader accepts comes back byte for byte, not only csv.writer's.

    The class: one value, several spellings (quoted or bare, a quote inside a bare cell as in
    ``1,say "12" now``), and one record ending, several spellings (``\r\r\n`` ends a record as
    ``\r\n`` does); converting a cell must keep every other byte, so decode gives the input.
    """
    rows = [",".join(row) for row in cells]
    # A row of one empty cell is a blank line, which csv.reader skips; keep rows non-blank.
    assume(all(row.strip() for row in rows))
    data = ("a,b" + ending + "".join(r + ending for r in rows)).encode("utf-8")
    out = io.BytesIO()
    convert_csv(io.BytesIO(data), out, TextConverter(CODEC), ("a", "b"), block_size=5)
    original = list(csv.reader(io.StringIO(data.decode(), newline="")))
    parsed = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert parsed == [original[0]] + [[CODEC.encode(v) for v in r] for r in original[1:]]
    back = io.BytesIO()
    convert_csv(io.BytesIO(out.getvalue()), back, TextConverter(CODEC, "decode"), ("a", "b"))
    assert back.getvalue() == data


def test_a_quote_inside_a_bare_cell_keeps_the_cell_bare() -> None:
    # Reported: a real IDLE NEWS line as a bare CSV cell came back quoted, quotes doubled.
    data = b'line,text\n1,bpo-40511: Stop unnecessary "flashing" when typing 2 keys\n'
    out = io.BytesIO()
    convert_csv(io.BytesIO(data), out, TextConverter(CODEC), ("text",))
    want = 'line,text\n1,bpo-⟦40k⟧⟦511⟧: Stop unnecessary "flashing" when typing ⟦2⟧ keys\n'
    assert out.getvalue().decode("utf-8") == want
    back = io.BytesIO()
    convert_csv(io.BytesIO(out.getvalue()), back, TextConverter(CODEC, "decode"), ("text",))
    assert back.getvalue() == data


def test_a_double_cr_ending_keeps_the_row_bytes() -> None:
    # Reported: rows ending "\r\r\n" were written again by csv.writer: quotes and a CR lost.
    data = b'id,text\n1,"a 1"\r\r\n2,"b 2"\n'
    out = io.BytesIO()
    convert_csv(io.BytesIO(data), out, TextConverter(CODEC), ("id",))
    assert out.getvalue().decode("utf-8") == 'id,text\n⟦1⟧,"a 1"\r\r\n⟦2⟧,"b 2"\n'
    back = io.BytesIO()
    convert_csv(io.BytesIO(out.getvalue()), back, TextConverter(CODEC, "decode"), ("id",))
    assert back.getvalue() == data


@pytest.mark.parametrize(
    "header, hint",
    [
        ("a;b", "the header holds ';': is it the delimiter (--delimiter ';')?"),
        ("a\tb", "(--format tsv)"),
        ("Weight Waist Pulse", "is it the delimiter (--delimiter ' ')?"),  # scikit-learn's linnerud files
        # matplotlib's Stocks.csv: a comment first, whose spaces were named as the delimiter
        ("# Data source: https://finance.yahoo.com", "the first line is a comment: remove the lines before the header"),
        ("# a, b", "the first line is a comment"),
    ],
)
def test_a_header_of_one_column_names_the_delimiter_it_holds(header: str, hint: str) -> None:
    with pytest.raises(MissingFieldError, match=re.escape(f"(columns: {header!r}); {hint}" if ";" in header else hint)):
        convert_csv(io.BytesIO(f"{header}\n1;2\n".encode()), io.BytesIO(), TextConverter(CODEC), ("b",))


def test_cell_spans_and_quoting() -> None:
    assert cell_spans('1,"a,b",,"x""y"', ",") == [(0, 1), (2, 7), (8, 8), (9, 15)]
    assert cell_spans('"open', ",") is None
    assert cell_spans('"a"b,c', ",") is None  # text after a closing quote: irregular
    assert quote_cell("plain", ",", False) == "plain"
    assert quote_cell("a,b", ",", False) == '"a,b"'
    assert quote_cell('say "hi"', ",", False) == 'say "hi"'  # a bare cell with a quote inside stays bare
    assert quote_cell('"hi', ",", False) == '"""hi"'  # a leading quote would open a quoted cell
    assert quote_cell('say "hi",', ",", False) == '"say ""hi"","'
    assert quote_cell("x", ",", True) == '"x"'


def test_irregular_rows_are_rewritten_by_the_csv_module() -> None:
    raw = '"a"b,1,c\r\n'
    row = next(csv.reader(io.StringIO(raw, newline="")))
    assert row == ["ab", "1", "c"]
    assert rewrite_row(raw, row, {1: "⟦1⟧"}, ",") == "ab,⟦1⟧,c\r\n"


def test_malformed_csv_and_limits() -> None:
    bad = b'a,b\n"x,1\n'
    with pytest.raises(
        tst.TSTError, match=r"<stdin>:2: malformed CSV in the record starting on this line: unexpected end of data"
    ):
        convert_csv(io.BytesIO(bad), io.BytesIO(), TextConverter(CODEC), ("a",))
    with pytest.raises(
        tst.TSTError, match=r"<stdin>:2: malformed CSV in the record starting on this line: ',' expected after '\"'"
    ):
        convert_csv(io.BytesIO(b'a,b\n"x"y,1\n'), io.BytesIO(), TextConverter(CODEC), ("a",))
    big = "x 1 " * 100_000  # larger than the csv module's default field limit
    out = io.BytesIO()
    convert_csv(io.BytesIO(f"a\n{big}\n".encode()), out, TextConverter(CODEC), ("a",))
    assert out.getvalue().decode() == f"a\n{CODEC.encode(big)}\n"
    assert csv.field_size_limit() == 131072  # restored


def test_a_selected_name_the_header_repeats_is_refused_and_wide_rows_are_counted() -> None:
    """sklearn's wine_data.csv names 5 columns over rows of 14 cells; `id,text,text` selects two columns."""
    with pytest.raises(tst.TSTError, match=r"<stdin>:1: the header names column 'text' 2 times \(columns 2, 3\)"):
        convert_csv(io.BytesIO(b"id,text,text\n1,5,6\n"), io.BytesIO(), TextConverter(CODEC), ("text",))
    out = io.BytesIO()
    counts = convert_csv(io.BytesIO(b"id,text,text\n1,5,6\n"), out, TextConverter(CODEC), ("id",))
    assert out.getvalue().decode() == "id,text,text\n⟦1⟧,5,6\n" and counts.wider == 0
    out = io.BytesIO()
    counts = convert_csv(io.BytesIO(b"id,text\n1,5\n2,6,7,8\n3,9,1\n"), out, TextConverter(CODEC), ("text",))
    assert out.getvalue().decode() == "id,text\n1,⟦5⟧\n2,⟦6⟧,7,8\n3,⟦9⟧,1\n"
    assert counts.wider == 2
    assert "2 rows had more cells than the header (the cells past it were kept as they are)" in counts.summary("encode")
