"""`DatasetConverter` with a real `datasets.Dataset`, including `num_proc=2` (pickling)."""

from __future__ import annotations

import pickle
import re

import pytest

import tst
from tst.data.errors import MissingFieldError, RecordError
from tst.data.hf_datasets import DatasetConverter

datasets = pytest.importorskip("datasets")

CODEC = tst.Codec(variant="vocab")
ROWS = {
    "id": list(range(8)),
    "question": [f"What is {k},000 + {k}.5?" for k in range(8)],
    "answers": [[f"{k},000.5", "unsure"] for k in range(8)],
    "messages": [
        [{"role": "user", "content": f"{k} + {k}"}, {"role": "assistant", "content": f"= {2 * k}"}] for k in range(8)
    ],
}


def test_map_with_two_processes_matches_the_codec(tmp_path: object) -> None:
    ds = datasets.Dataset.from_dict(ROWS)
    conv = DatasetConverter(CODEC, fields=["question", "answers"], messages="messages", num_threads=1)
    out = ds.map(conv, batched=True, batch_size=3, num_proc=2)
    assert out.column_names == ds.column_names
    for before, after in zip(ds, out):
        assert after["id"] == before["id"]
        assert after["question"] == CODEC.encode(before["question"])
        assert after["answers"] == [CODEC.encode(a) for a in before["answers"]]
        assert after["messages"] == [dict(m, content=CODEC.encode(m["content"])) for m in before["messages"]]
    back = out.map(
        DatasetConverter(CODEC, fields=["question", "answers"], messages="messages", decode=True), batched=True
    )
    assert back.to_dict() == ds.to_dict()


def test_single_example_mode_and_settings_shortcut() -> None:
    ds = datasets.Dataset.from_dict({"text": ["1,000", None, "x 2"]})
    conv = DatasetConverter(fields=["text"], variant="vocab")
    assert conv.codec == CODEC
    out = ds.map(conv.record)
    assert out["text"] == [CODEC.encode("1,000"), None, CODEC.encode("x 2")]


def test_pickles_and_reports_errors() -> None:
    conv = pickle.loads(pickle.dumps(DatasetConverter(CODEC, fields=["t"], decode=True)))
    assert conv({"t": ["⟦1⟧"]}) == {"t": ["1"]}
    with pytest.raises(RecordError, match=r"^batch row 1: field t: invalid TST at character 0"):
        conv({"t": ["⟦1⟧", "⟦k⟧"]})
    chat = DatasetConverter(CODEC, messages="m", decode=True)
    bad = [{"role": "user", "content": "⟦1⟧"}, {"role": "assistant", "content": [{"type": "text", "text": "x ⟦k⟧"}]}]
    in_text = "field m[1].content[0].text: invalid TST at character 2"
    with pytest.raises(RecordError, match=re.escape(f"batch row 1: {in_text}")):
        chat({"m": [[], bad]})
    with pytest.raises(RecordError, match=re.escape(f"row 7: {in_text}")):
        chat.record({"m": bad}, 7)
    with pytest.raises(RecordError, match=r"^batch row 0: t: must be a string, a list of strings or null"):
        conv({"t": [5]})
    with pytest.raises(MissingFieldError, match="no column 't'"):
        conv({"x": ["1"]})
    assert DatasetConverter(CODEC, fields=["t"], allow_missing=True)({"x": ["1"]}) == {}
    with pytest.raises(TypeError, match="either a codec or codec settings"):
        DatasetConverter(CODEC, fields=["t"], variant="vocab")


def test_errors_name_the_dataset_row_given_the_indices() -> None:
    """Found by a new-user trial: the row was counted within the batch `map` passes, so with
    ``batch_size=1`` every error said row 0. With ``with_indices=True`` it is the dataset's row."""
    ds = datasets.Dataset.from_dict({"a": ["⟦5⟧", "⟦6⟧", "⟦7⟧"], "b": ["x", "y", "bad ⟦1k⟧⟦"]})
    conv = DatasetConverter(CODEC, fields=["a", "b"], decode=True)
    for batched in (True, False):
        fn = conv if batched else conv.record
        with pytest.raises(RecordError, match=r"^row 2: field b: invalid TST at character 8"):
            ds.map(fn, batched=batched, batch_size=1, with_indices=True)
    with pytest.raises(RecordError, match=r"^batch row 0: field b: "):
        ds.map(conv, batched=True, batch_size=1)


def test_record_errors_carry_their_row_as_an_index() -> None:
    """Batch errors name their index (tst.data.errors.DataError.index), as Codec batches do."""
    conv = DatasetConverter(CODEC, fields=["t"], decode=True)
    cases = [
        (lambda: conv({"t": ["⟦1⟧", "⟦k⟧"]}), 1),  # a codec error, batch row 1
        (lambda: conv({"t": ["⟦1⟧", "⟦k⟧"]}, [10, 11]), 11),  # its dataset row
        (lambda: conv({"t": ["1", 5]}, [3, 4]), 4),  # a field of the wrong type
        (lambda: conv.record({"t": "⟦k⟧"}, 7), 7),
    ]
    for call, want in cases:
        with pytest.raises(RecordError) as info:
            call()
        assert info.value.index == want, (str(info.value), want)
        again = pickle.loads(pickle.dumps(info.value))
        assert again.index == want and str(again) == str(info.value)


def test_a_content_part_text_of_another_type_is_an_error() -> None:
    """Found by a new-user trial: ``"content": 5`` was refused but a part's ``"text": 7`` passed
    unchanged. A part's text is selected like content: a string or null (parts without text, such
    as images, are kept)."""
    chat = DatasetConverter(CODEC, messages="m")
    parts = [{"type": "image_url", "image_url": {"url": "u"}}, {"type": "text", "text": None}]
    fine = [{"role": "u", "content": parts}]
    assert chat({"m": [fine]}) == {"m": [fine]}
    bad = [{"role": "u", "content": [{"type": "text", "text": "1"}, {"type": "text", "text": 7}]}]
    want = "batch row 0: m[0].content[1].text: must be a string or null, not a number"
    with pytest.raises(RecordError, match=re.escape(want)):
        chat({"m": [bad]})


def test_a_message_without_content_is_an_error() -> None:
    """Found by a new-user trial: ShareGPT's from/value chats passed unconverted, silently."""
    chat = DatasetConverter(CODEC, messages="m")
    tools = [{"role": "assistant", "tool_calls": []}, {"role": "user", "content": "1,000"}]
    assert chat({"m": [tools]}) == {"m": [[tools[0], {"role": "user", "content": CODEC.encode("1,000")}]]}
    want = "batch row 0: m[0]: has no 'content' (keys: 'from', 'value')"
    with pytest.raises(RecordError, match=re.escape(want)):
        chat({"m": [[{"from": "human", "value": "1,000"}]]})


def test_a_settings_hint_the_data_refutes_is_dropped() -> None:
    """DECISIONS 46, as the CLI does: a string that decoded earlier (an earlier batch, or this one)
    refutes a hint to other settings; a bad string among good ones is not data of other settings."""
    marker = "b ⟦2⟧⟦u⟧"
    hinted = "c ⟦5⟧ d"  # reads as the vocab variant, but the marker string above does not
    alone = DatasetConverter(fields=["text"], decode=True)
    with pytest.raises(RecordError, match=re.escape("decode with variant='vocab'")):
        alone({"text": [hinted]})
    for batches in ([[marker], [hinted]], [[marker, hinted]]):
        conv = DatasetConverter(fields=["text"], decode=True)
        *good, bad = batches
        for batch in good:
            assert conv({"text": batch}) == {"text": ["b 2"]}
        with pytest.raises(RecordError, match="is not followed by its marker") as info:
            conv({"text": bad})
        assert "variant=" not in str(info.value)


def test_a_map_without_batched_is_refused_not_read_as_characters() -> None:
    """`map(converter)` without ``batched=True`` hands one example: its string would be read as a
    column of characters, each digit a number (a new-user trial; silent corruption)."""
    ds = datasets.Dataset.from_dict({"q": ["a 12", "b 2,345"], "m": ROWS["messages"][:2]})
    for conv in (DatasetConverter(fields=["q"]), DatasetConverter(messages="m")):
        with pytest.raises(TypeError, match=r"batched map function, use Dataset.map\(converter, batched=True\)"):
            ds.map(conv)
    assert ds.map(DatasetConverter(fields=["q"], variant="vocab"), batched=True)["q"] == [
        CODEC.encode("a 12"),
        CODEC.encode("b 2,345"),
    ]
    with pytest.raises(TypeError, match=r"fields takes a list of column names, not a string: fields=\['q'\]"):
        DatasetConverter(fields="q")
