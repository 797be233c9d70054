"""The Rust fast path of JSON Lines conversion against the Python code, its readable reference.

With a Rust codec, `convert_jsonl` hands each block to the engine, which
converts the lines it follows exactly and leaves every other line (malformed,
ill-typed, missing a field, rejected by the codec, ...) to the Python code. With
a Python codec the Python code does everything. Both must give the same bytes,
the same counts and the same errors on any input: generated records, written in
every `json.dumps` style, then damaged.
"""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tst
from tests.conftest import RUST
from tst.data.converter import TextConverter
from tst.data.jsonl import convert_jsonl
from tst.data.selection import Selection

pytestmark = pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")

CHARS = [*"0123456789.,'- eEkxé😀⟦⟧\"\\/\n\t\r\x00\x1f\x7f\u2028", "1,000", "2.5", "12,34,567", "⟦1⟧⟦u⟧"]
TEXT = st.lists(st.sampled_from(CHARS), max_size=12).map("".join)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False, width=32), TEXT)


def parts() -> st.SearchStrategy[Any]:
    part = st.one_of(
        TEXT,
        st.fixed_dictionaries({"type": st.just("text"), "text": st.one_of(TEXT, st.none(), st.integers())}),
        st.fixed_dictionaries({"type": st.just("image"), "url": TEXT}),
        st.integers(),
    )
    return st.lists(part, max_size=3)


MESSAGE = st.one_of(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant"])},
        optional={"content": st.one_of(TEXT, st.none(), parts(), st.integers()), "name": TEXT},
    ),
    TEXT,
)
VALUE = st.one_of(
    TEXT,
    TEXT,
    st.none(),
    st.lists(st.one_of(TEXT, st.none()), max_size=3),
    st.lists(SCALAR, max_size=2),
    SCALAR,
    st.dictionaries(st.sampled_from(["q", "content", "text"]), TEXT, max_size=2),
)
TYPICAL = st.fixed_dictionaries(
    {"q": TEXT},
    optional={
        "id": st.integers(),
        "a": st.one_of(TEXT, st.lists(st.one_of(TEXT, st.none()), max_size=3)),
        "messages": st.lists(
            st.fixed_dictionaries({"role": st.just("user"), "content": st.one_of(TEXT, st.none(), parts())}),
            max_size=3,
        ),
    },
)
RECORD = st.one_of(
    TYPICAL,
    TYPICAL,
    st.dictionaries(
        st.sampled_from(["q", "a", "id", "messages", "x", "cont\u00e9nt"]),
        st.one_of(VALUE, st.lists(MESSAGE, max_size=3)),
        max_size=5,
    ),
    st.lists(SCALAR, max_size=2),
    SCALAR,
)


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    """JSON Lines text: records in any json.dumps style, with blank lines, CRLF and damage."""
    out = []
    for _ in range(draw(st.integers(0, 6))):
        rec = draw(RECORD)
        ascii_ = draw(st.booleans())
        seps = draw(st.sampled_from([(", ", ": "), (",", ":"), (" , ", " :  ")]))
        line = json.dumps(rec, ensure_ascii=ascii_, separators=seps)
        kind = draw(st.sampled_from(["plain"] * 6 + ["space", "crlf", "cut", "dup", "blank", "junk"]))
        if kind == "space":
            line = " \t" + line + "  "
        elif kind == "crlf":
            line += "\r"
        elif kind in ("cut", "dup") and line:
            k = draw(st.integers(0, len(line) - 1))
            line = line[:k] + line[k + 1 :] if kind == "cut" else line[: k + 1] + line[k:]
        elif kind == "blank":
            line = draw(st.sampled_from(["", " ", "\r", "\t "]))
        elif kind == "junk":
            line = draw(st.sampled_from(['{"q": NaN}', '{"q": "\\ud800"}', "\ufeff{}", '{"q": 1e400}', '{"q": -0}']))
        out.append(line)
    text = "\n".join(out) + draw(st.sampled_from(["", "\n"]))
    if draw(st.booleans()) and text:
        text = draw(st.sampled_from(["\ufeff", ""])) + text
    return text.encode("utf-8", "surrogatepass")


@cache
def codecs(variant: str, overflow: str) -> tuple[tst.Codec, tst.Codec]:
    """Python and Rust codecs; "text-short" is `overflow="text"` with ranges short enough to be exceeded."""
    short = overflow != "text"
    kwargs = {
        "variant": variant,
        "int_digits": 4 if short else 18,
        "frac_digits": 2 if short else 15,
        "overflow": "text" if overflow == "text-short" else overflow,
    }
    return tst.Codec(**kwargs, backend="python"), tst.Codec(**kwargs, backend="rust")  # type: ignore[arg-type]


def outcome(codec: tst.Codec, data: bytes, direction: str, sel: Selection, opts: dict[str, Any]) -> tuple[Any, ...]:
    conv = TextConverter(codec, direction, strict=opts.pop("strict", True))
    out = io.BytesIO()
    try:
        counts = convert_jsonl(io.BytesIO(data), out, conv, sel, block_size=opts.pop("block_size"), **opts)
    except (tst.TSTError, UnicodeError) as exc:
        return (type(exc).__name__, str(exc))
    return ("ok", out.getvalue(), counts.summary(direction), counts.skipped_where)


@settings(max_examples=300)
@given(
    data=lines(),
    variant=st.sampled_from(["vocab", "marker"]),
    overflow=st.sampled_from(["text", "text-short", "error"]),
    fields=st.sampled_from([("q",), ("q", "a"), (), ("a", "q"), ("cont\u00e9nt",)]),
    messages=st.sampled_from([None, "messages", "x"]),
    direction=st.sampled_from(["encode", "encode", "decode"]),
    opts=st.fixed_dictionaries(
        {
            "skip_bad": st.booleans(),
            "allow_missing": st.booleans(),
            "ensure_ascii": st.booleans(),
            "errors": st.sampled_from(["strict", "surrogateescape"]),
            "block_size": st.sampled_from([1 << 20, 40]),
            "strict": st.booleans(),
        }
    ),
)
def test_rust_lines_equal_python_lines(
    data: bytes,
    variant: str,
    overflow: str,
    fields: tuple[str, ...],
    messages: str | None,
    direction: str,
    opts: dict[str, Any],
) -> None:
    if not fields and messages is None:
        return
    sel = Selection(fields=fields, messages=messages)
    py, rs = codecs(variant, overflow)
    if direction == "decode":  # decode what the codec wrote, and the raw (mostly invalid) text
        encoded = outcome(py, data, "encode", sel, {**opts, "skip_bad": True, "allow_missing": True})
        if encoded[0] == "ok" and opts["strict"]:
            data = encoded[1]
    assert outcome(rs, data, direction, sel, dict(opts)) == outcome(py, data, direction, sel, dict(opts))


def test_rust_lines_named_like_python_lines() -> None:
    """Plain examples of what the Rust engine leaves to the Python code, with their messages."""
    py, rs = codecs("vocab", "error")
    data = (
        b'{"q": "1"}\n{"q": 5}\n\n{"q": "12345"}\n{"a": "x"}\n{"q": "2",}\n'
        b'\xef\xbb\xbf{"q": "3"}\n{"q": "\\ud800 7"}\n{"q": NaN}\n{"q": "4"}'
    )
    sel = Selection(fields=("q",))
    opts = {"skip_bad": True, "allow_missing": True, "ensure_ascii": False, "errors": "strict", "block_size": 1 << 20}
    got = outcome(rs, data, "encode", sel, dict(opts))
    assert got == outcome(py, data, "encode", sel, dict(opts))
    assert got[2].endswith("5 bad records skipped (line 2, line 6, line 7, line 9, line 4)")
    opts["skip_bad"] = False
    got = outcome(rs, data, "encode", sel, dict(opts))
    assert got == outcome(py, data, "encode", sel, dict(opts))
    assert got[1] == (
        "<stdin>:2:7: field 'q' must be a string, a list of strings or null, not a number "
        "(--skip-bad drops such records)"
    )


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_every_escape_is_written_like_json_dumps(ensure_ascii: bool) -> None:
    """Each control, ASCII, Latin-1 and astral character, in a changed string, in every json.dumps style."""
    py, rs = codecs("vocab", "text")
    chars = [chr(c) for c in range(0x100)] + ["\u2028", "\ufeff", "⟦", "⟧", "😀", "\U0010fffd"]
    records = [{"q": f"{c} 1,000", "messages": [{"role": "u", "content": [{"text": f"2 {c}"}]}]} for c in chars]
    sel = Selection(fields=("q",), messages="messages")
    opts = {"skip_bad": False, "allow_missing": False, "ensure_ascii": ensure_ascii, "errors": "strict"}
    for ascii_, seps in [(False, (", ", ": ")), (True, (", ", ": ")), (False, (",", ":")), (True, (",", ":"))]:
        data = "".join(json.dumps(r, ensure_ascii=ascii_, separators=seps) + "\n" for r in records).encode()
        got = outcome(rs, data, "encode", sel, {**opts, "block_size": 1 << 20})
        assert got[0] == "ok"
        assert got == outcome(py, data, "encode", sel, {**opts, "block_size": 1 << 20})
        assert [json.loads(line) for line in got[1].decode().split("\n")[:-1]] == [
            {"q": rs.encode(r["q"]), "messages": [{"role": "u", "content": [{"text": rs.encode(f"2 {c}")}]}]}
            for r, c in zip(records, chars)
        ]


CHAT = Selection(messages="m")
STRICT = {"skip_bad": False, "allow_missing": False, "ensure_ascii": False, "errors": "strict", "block_size": 1 << 20}


def both_engines_refuse_line_2(data: bytes, reason: str) -> None:
    """The Rust fast path leaves line 2 of `data` to the Python walker, which names it: both engines agree."""
    py, rs = codecs("vocab", "text")
    got = outcome(rs, data, "encode", CHAT, dict(STRICT))
    assert got == outcome(py, data, "encode", CHAT, dict(STRICT))
    assert got[0] == "RecordError" and "<stdin>:2:" in got[1] and reason in got[1], got
    skipped = {**STRICT, "skip_bad": True}
    got = outcome(rs, data, "encode", CHAT, dict(skipped))
    assert got == outcome(py, data, "encode", CHAT, dict(skipped))
    assert got[0] == "ok" and got[1].count(b"\n") == 1, got


def test_a_content_part_text_of_another_type_is_refused_by_both_engines() -> None:
    data = (
        b'{"m": [{"role": "u", "content": [{"type": "text", "text": "1,5"}, {"type": "image"}]}]}\n'
        b'{"m": [{"role": "u", "content": [{"type": "text", "text": null}, {"type": "text", "text": 7}]}]}\n'
    )
    both_engines_refuse_line_2(data, "m[0].content[1].text must be a string or null, not a number")


def test_a_message_without_content_is_refused_by_both_engines() -> None:
    """ShareGPT's from/value messages would pass unconverted ("0 strings"); one calling tools may lack content."""
    data = (
        b'{"m": [{"role": "assistant", "tool_calls": []}, {"role": "user", "content": "1,5"}]}\n'
        b'{"m": [{"from": "human", "value": "What is 1,000?"}]}\n'
    )
    both_engines_refuse_line_2(data, "m[0] has no 'content' (keys: 'from', 'value')")
