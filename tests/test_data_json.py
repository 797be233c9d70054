"""The JSON site walker: selected strings found by position, everything else untouched."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tst.data.converter import TextConverter
from tst.data.json_array import convert_json
from tst.data.json_sites import JSONProblem, RecordWalker, ensure_ascii_style, splice
from tst.data.jsonl import convert_jsonl
from tst.data.records import SelectionError, fill, read, record_slots
from tst.data.selection import Selection


def sites(text: str, selection: Selection) -> list[tuple[str, str]]:
    found = RecordWalker(selection).record(text, 0)
    assert found.end == len(text)
    for s in found.sites:
        assert json.loads(text[s.start : s.end]) == s.value
    return [(s.path, s.value) for s in found.sites]


def test_fields_and_messages_are_found_with_paths() -> None:
    rec = (
        '{"id": 1, "q": "a", "tags": ["x", null], "messages": ['
        '{"role": "user", "content": "hi 1"}, '
        '{"role": "assistant", "content": null, "tool_calls": [{"content": "no"}]},'
        '{"role": "assistant", "tool_calls": []},'
        '{"role": "user", "content": [{"type": "text", "text": "t 2"}, '
        '{"type": "image_url", "image_url": {"url": "u"}}, "raw 3"]}'
        '], "meta": {"q": "nested, not selected"}}'
    )
    got = sites(rec, Selection(fields=("q", "tags"), messages="messages"))
    assert got == [
        ("q", "a"),
        ("tags[0]", "x"),
        ("messages[0].content", "hi 1"),
        ("messages[3].content[0].text", "t 2"),
        ("messages[3].content[2]", "raw 3"),
    ]
    # The same selection on Python objects: a message calling tools may lack content, no other.
    slots: list[tuple[object, object]] = []
    record_slots(json.loads(rec), Selection(fields=("q", "tags"), messages="messages"), slots)
    assert read(slots) == [v for _, v in got]
    # A null message holds no text and is kept, by the walker and on Python objects (as Arrow and Spark keep it).
    nulls = '{"messages": [null, {"role": "user", "content": "n 1"}, null]}'
    assert sites(nulls, Selection(messages="messages")) == [("messages[1].content", "n 1")]
    slots = []
    kept, _ = record_slots(json.loads(nulls), Selection(messages="messages"), slots)
    assert read(slots) == ["n 1"] and kept["messages"][0] is None and kept["messages"][2] is None
    with pytest.raises(SelectionError, match=r"messages\[1\]: must be a message object or null, not a number"):
        record_slots({"messages": [None, 3]}, Selection(messages="messages"), [])
    with pytest.raises(SelectionError, match=r"messages\[0\]: has no 'content' \(keys: 'from', 'value'\)"):
        record_slots({"messages": [{"from": "gpt", "value": "2"}]}, Selection(messages="messages"), [])


@pytest.mark.parametrize(
    "text, reason, syntax",
    [
        ('{"q": 5}', "field 'q' must be a string, a list of strings or null, not a number", False),
        ('{"q": ["a", {}]}', "field 'q'[1] must be a string or null, not an object", False),
        ('{"messages": {"role": "x"}}', "field 'messages' must be a list of chat messages, not an object", False),
        ('{"messages": ["hi"]}', "messages[0] must be a message object or null, not a string", False),
        (
            '{"messages": [{"content": 3}]}',
            "messages[0].content must be a string, a list of parts or null, not a number",
            False,
        ),
        (
            '{"messages": [{"from": "human", "value": "1"}]}',
            "messages[0] has no 'content' (keys: 'from', 'value'): a message needs one, null for no text "
            "(ShareGPT-style 'from'/'value' messages: rename 'value' to 'content')",
            False,
        ),
        ('{"messages": [{"role": "user"}]}', "messages[0] has no 'content' (keys: 'role')", False),
        ("[1, 2]", "a record must be a JSON object, not an array", False),
        ('{"q": "a"', "expected ',' or '}' in an object", True),
        ('{"q" "a"}', "expected ':' after a property name", True),
        ('{q: "a"}', "expected a property name in double quotes", True),
        ('{"q": "a\\x"}', "invalid escape inside a string: a backslash takes one of", True),
        ('{"q": "a 1', "unterminated string: no closing quote on this line", True),
        ('{"q": "a\t1"}', "a raw control character (tab, newline) inside a string: escape it", True),
        ('{"q": "\\u12"}', "invalid \\uXXXX escape inside a string: \\u takes four hexadecimal digits", True),
        ("", "expected a JSON value", True),
        ("[1, 2", "expecting ',' delimiter", True),
    ],
)
def test_problems_are_typed_and_placed(text: str, reason: str, syntax: bool) -> None:
    with pytest.raises(JSONProblem) as info:
        RecordWalker(Selection(fields=("q",), messages="messages")).record(text, 0)
    assert reason in info.value.reason
    assert info.value.syntax is syntax
    assert 0 <= info.value.position <= len(text)


def test_ascii_style_detection() -> None:
    assert ensure_ascii_style('{"t": "caf\\u00e9"}') is True
    assert ensure_ascii_style('{"t": "café"}') is False
    assert ensure_ascii_style('{"t": "tab\\u0009"}') is False
    assert ensure_ascii_style('{"t": "x"}', default=True) is True
    # DEL: only ensure_ascii escapes it (\u007f); a raw DEL is a line written without it.
    assert ensure_ascii_style('{"t": "del\\u007f"}') is True
    assert ensure_ascii_style('{"t": "tilde\\u007e"}') is False
    assert ensure_ascii_style('{"t": "del\x7f"}', default=True) is False


@settings(max_examples=150)
@given(
    texts=st.lists(
        st.lists(st.sampled_from([*'12 .,-xé😀"/\\\n\x00\x1f\x7f\u2028', "1,000", "\x7f", "1/2"]), max_size=8).map(
            "".join
        ),
        max_size=3,
    ),
    ensure_ascii=st.booleans(),
    indent=st.sampled_from([None, 2]),
    solidus=st.booleans(),
)
def test_json_dumps_lines_come_back_byte_for_byte(
    texts: list[str], ensure_ascii: bool, indent: int | None, solidus: bool, make_codec: Any
) -> None:
    """Class: a record written by `json.dumps` in either style, or with every ``/`` escaped as
    pandas' ``to_json`` writes it; encoding then decoding its strings gives its bytes back (a DEL
    in an otherwise ASCII line read as written without ensure_ascii came back raw, in both
    engines; pandas' ``\\/`` came back ``/``: new-user trials)."""
    codec = make_codec(variant="vocab")
    records = [{"t": t} for t in texts]

    def dumps(value: object, **kwargs: Any) -> str:
        text = json.dumps(value, ensure_ascii=ensure_ascii, **kwargs)
        return text.replace("/", "\\/") if solidus else text  # every "/" json writes is a plain one

    data = "".join(dumps(r) + "\n" for r in records).encode()
    encoded = io.BytesIO()
    convert_jsonl(io.BytesIO(data), encoded, TextConverter(codec, "encode"), Selection(fields=("t",)))
    back = io.BytesIO()
    convert_jsonl(io.BytesIO(encoded.getvalue()), back, TextConverter(codec, "decode"), Selection(fields=("t",)))
    assert back.getvalue() == data
    if indent is not None:  # a JSON array file, as json.dumps(..., indent=2) writes it
        doc = dumps(records, indent=indent).encode()
        mid, out = io.BytesIO(), io.BytesIO()
        convert_json(io.BytesIO(doc), mid, TextConverter(codec, "encode"), Selection(fields=("t",)))
        convert_json(io.BytesIO(mid.getvalue()), out, TextConverter(codec, "decode"), Selection(fields=("t",)))
        assert out.getvalue() == doc


JSON_STRINGS = st.text(max_size=20)


@settings(max_examples=200)
@given(
    values=st.lists(
        st.one_of(JSON_STRINGS, st.none(), st.lists(st.one_of(JSON_STRINGS, st.none()), max_size=3)),
        min_size=1,
        max_size=4,
    ),
    other=st.dictionaries(
        st.text(max_size=5),
        st.recursive(st.none() | st.integers() | JSON_STRINGS, lambda c: st.lists(c, max_size=3)),
        max_size=3,
    ),
    indent=st.sampled_from([None, 1, 4]),
    ascii_=st.booleans(),
)
def test_splicing_equals_editing_the_parsed_record(
    values: list[object], other: dict[str, object], indent: int | None, ascii_: bool
) -> None:
    fields = [f"f{k}" for k in range(len(values))]
    record = {k: v for k, v in other.items() if k not in fields}
    record.update(zip(fields, values))
    text = json.dumps(record, indent=indent, ensure_ascii=ascii_)
    found = RecordWalker(Selection(fields=tuple(fields))).record(text, 0)
    new_values = [f"<{s.value}⟦>" for s in found.sites]
    out = splice(text, found.sites, new_values, ascii_)
    # The same edit done on Python objects:
    slots: list[tuple[object, object]] = []
    edited, missing = record_slots(json.loads(text), Selection(fields=tuple(fields)), slots)  # type: ignore[arg-type]
    assert not missing
    assert read(slots) == [s.value for s in found.sites]  # type: ignore[arg-type]
    fill(slots, new_values)  # type: ignore[arg-type]
    assert json.loads(out) == edited
    if all(v == s.value for v, s in zip(new_values, found.sites)):
        assert out == text


def test_record_slots_copy_instead_of_mutating() -> None:
    record = {"q": ["a", "b"], "messages": [{"role": "u", "content": [{"type": "text", "text": "x"}]}], "z": 1}
    snapshot = json.dumps(record)
    slots: list[tuple[object, object]] = []
    new, missing = record_slots(record, Selection(fields=("q", "absent"), messages="messages"), slots)  # type: ignore[arg-type]
    fill(slots, ["A", "B", "X"])  # type: ignore[arg-type]
    assert json.dumps(record) == snapshot
    assert new == {"q": ["A", "B"], "messages": [{"role": "u", "content": [{"type": "text", "text": "X"}]}], "z": 1}
    assert missing == ["absent"]
    with pytest.raises(SelectionError, match=r"q\[0\]: must be a string or null, not a number"):
        record_slots({"q": [1]}, Selection(fields=("q",)), [])


def test_selection_validation() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Selection()
    with pytest.raises(TypeError, match="single str"):
        Selection(fields="text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="both as a field and as the messages"):
        Selection(fields=("m",), messages="m")
    assert Selection(fields=("a", "b"), messages="m").describe() == "fields 'a', 'b' and messages 'm'"
