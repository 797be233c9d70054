"""`tst convert` on real JSONL, JSON, CSV/TSV and Parquet files written in the test."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import tst
from tests.cli_support import CLI, cli_fixture  # noqa: F401  (the `cli` fixture)

ROOT = Path(__file__).resolve().parent.parent
CHAT = ROOT / "examples" / "chat.jsonl"
VOCAB = tst.Codec(variant="vocab")


def encode_contents(record: dict[str, Any], codec: tst.Codec = VOCAB) -> dict[str, Any]:
    """What --messages must do to a record, computed independently with plain json."""
    out = json.loads(json.dumps(record))
    for message in out["messages"]:
        content = message.get("content")
        if isinstance(content, str):
            message["content"] = codec.encode(content)
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    part["text"] = codec.encode(part["text"])
    return out


# -- JSONL ---------------------------------------------------------------------


def test_jsonl_messages_encoded_everything_else_kept(cli: CLI, tmp_path: Path) -> None:
    out = tmp_path / "chat.tst.jsonl"
    r = cli("convert", str(CHAT), "--messages", "--variant", "vocab", "-o", str(out))
    assert r.status == 0, r.err
    originals = [json.loads(line) for line in CHAT.read_text(encoding="utf-8").splitlines()]
    converted = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert converted == [encode_contents(rec) for rec in originals]
    numbers = sum(
        len(VOCAB.numbers(t))
        for rec in originals
        for m in rec["messages"]
        for t in ([m["content"]] if isinstance(m["content"], str) else [p["text"] for p in m["content"] or []])
    )
    assert r.err == f"tst convert: {CHAT}: 4 records; 10 strings (9 changed); {numbers} numbers encoded\n"
    back = tmp_path / "back.jsonl"
    assert cli("convert", str(out), "--messages", "--variant", "vocab", "--decode", "-o", str(back)).status == 0
    assert back.read_bytes() == CHAT.read_bytes()


def test_jsonl_changes_only_the_bytes_of_selected_strings(cli: CLI, tmp_path: Path) -> None:
    lines = [
        '{ "b" :1 ,  "text":"pay 1,000 now",\t"a": 1.50, "text2": "keep 7"}',
        '{"text": "no numbers here", "n": 1e3}',
        "",
        '{"text": ["a 1", null, "b 2.5"], "x": {"text": "nested 9 stays"}}\r',
        '   {"text": null}   ',
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = cli("convert", str(src), "--field", "text", "--variant", "vocab", "-o", str(out))
    assert r.status == 0, r.err
    got = out.read_bytes().decode("utf-8").split("\n")
    assert got[0] == '{ "b" :1 ,  "text":"pay ⟦,3⟧⟦1k⟧⟦000⟧ now",\t"a": 1.50, "text2": "keep 7"}'
    assert got[1:3] == lines[1:3]
    assert got[3] == '{"text": ["a ⟦1⟧", null, "b ⟦2⟧.⟦5p⟧"], "x": {"text": "nested 9 stays"}}\r'
    assert got[4] == lines[4]
    assert "4 records; 4 strings (3 changed); 3 numbers encoded" in r.err  # the blank line is no record


def test_jsonl_jobs_give_the_same_output(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    lines = CHAT.read_text(encoding="utf-8").splitlines(keepends=True) * 30
    lines.insert(57, "not json\n")
    src.write_text("".join(lines), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    r1 = cli("convert", str(src), "--messages", "--skip-bad", "--block-size", "2k", "-o", str(one))
    r2 = cli("convert", str(src), "--messages", "--skip-bad", "--block-size", "2k", "-o", str(two), "-j", "2")
    assert r1.status == r2.status == 0, r2.err
    assert two.read_bytes() == one.read_bytes()
    assert r1.err == r2.err and "1 bad record skipped (line 58)" in r2.err
    r = cli("convert", str(src), "--messages", "--block-size", "2k", "-j", "2")
    assert r.status == 2 and f"{src}:58:1: expected a JSON value" in r.err
    r = cli("convert", str(tmp_path / "x.csv"), "--field", "a", "-j", "2")
    assert r.status == 2 and "--jobs applies to JSONL" in r.err


def test_jsonl_keeps_the_escaping_style_of_each_line(cli: CLI, tmp_path: Path) -> None:
    records = [{"text": "café 1,000"}, {"text": "plain 2,000"}]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(records[0]) + "\n" + json.dumps(records[1], ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli("convert", str(src), "--field", "text", "-o", str(out)).status == 0
    first, second = out.read_text(encoding="utf-8").splitlines()
    assert first.isascii() and "\\u27e6" in first  # the line was written with \u escapes
    assert "⟦" in second
    assert [json.loads(x) for x in (first, second)] == [{"text": tst.Codec().encode(r["text"])} for r in records]
    assert cli("convert", str(src), "--field", "text", "--ensure-ascii", "-o", str(out)).status == 0
    assert out.read_text(encoding="utf-8").isascii()
    back = tmp_path / "back.jsonl"
    assert cli("convert", str(out), "--field", "text", "--decode", "-o", str(back)).status == 0
    assert [json.loads(x) for x in back.read_text(encoding="utf-8").splitlines()] == records


def test_jsonl_malformed_line_names_the_line(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "1"}\n{"text": "2"}\n{"text": "3",}\n[1, 2]\n{"text": "5"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = cli("convert", str(src), "--field", "text", "-o", str(out))
    assert r.status == 2
    assert f"tst convert: error: {src}:3:14: expected a property name in double quotes (--skip-bad" in r.err
    assert not out.exists()
    r = cli("convert", str(src), "--field", "text", "--skip-bad", "-o", str(out))
    assert r.status == 0, r.err
    assert out.read_text(encoding="utf-8") == '{"text": "⟦1⟧⟦u⟧"}\n{"text": "⟦2⟧⟦u⟧"}\n{"text": "⟦5⟧⟦u⟧"}\n'
    assert "3 records" in r.err and "2 bad records skipped (line 3, line 4)" in r.err


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_lone_cr_line_ends_are_named_and_never_skipped(cli: CLI, tmp_path: Path, suffix: str) -> None:
    # Reported: a file with classic Mac line ends read as one bad record; --skip-bad then wrote an
    # empty file with exit 0 (JSON Lines), and CSV leaked the csv module's "universal-newline" hint.
    src = tmp_path / f"mac{suffix}"
    body = '{"text": "x 5"}\r{"text": "y"}\r' if suffix == ".jsonl" else "text\rx 5\ry\r"
    src.write_bytes(body.encode())
    for extra in ((), ("--skip-bad",)):
        out = tmp_path / f"out{suffix}"
        r = cli("convert", str(src), "--field", "text", *extra, "-o", str(out))
        assert r.status == 2, r.err
        assert "a lone CR (classic Mac line ends) ends no record; convert the line ends to LF or CRLF" in r.err
        assert "universal-newline" not in r.err and not out.exists()


def test_jsonl_field_of_the_wrong_type(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text('{"text": "ok"}\n{"text": 12}\n', encoding="utf-8")
    r = cli("convert", str(src), "--field", "text")
    assert r.status == 2
    assert f"{src}:2:10: field 'text' must be a string, a list of strings or null, not a number" in r.err


def test_jsonl_missing_field(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "m.jsonl"
    src.write_text('{"q": "1", "a": "2"}\n{"q": "3"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = cli("convert", str(src), "--field", "q", "--field", "a", "-o", str(out))
    assert r.status == 2
    assert f"{src}:2: the record has no field 'a' (--allow-missing passes such records through)" in r.err
    assert not out.exists()
    r = cli("convert", str(src), "--field", "q", "--field", "a", "--allow-missing", "-o", str(out))
    assert r.status == 0
    assert out.read_text(encoding="utf-8") == '{"q": "⟦1⟧⟦u⟧", "a": "⟦2⟧⟦u⟧"}\n{"q": "⟦3⟧⟦u⟧"}\n'
    assert "1 record lacked a selected field (the fields they have were converted)" in r.err


def test_jsonl_invalid_utf8_and_surrogateescape(cli: CLI, tmp_path: Path) -> None:
    raw = b'{"text": "ok 1"}\n{"text": "caf\xe9 2,000"}\n'
    src = tmp_path / "latin.jsonl"
    src.write_bytes(raw)
    r = cli("convert", str(src), "--field", "text")
    assert r.status == 2 and f"{src}:2: invalid UTF-8 (byte e9 at byte offset 30, byte 14 of the line)" in r.err
    enc, back = tmp_path / "enc.jsonl", tmp_path / "back.jsonl"
    assert cli("convert", str(src), "--field", "text", "--errors", "surrogateescape", "-o", str(enc)).status == 0
    assert b'"caf\xe9 \xe2\x9f\xa6,3' in enc.read_bytes()
    r = cli("convert", str(enc), "--field", "text", "--decode", "--errors", "surrogateescape", "-o", str(back))
    assert r.status == 0 and back.read_bytes() == raw


def test_jsonl_decode_errors_strict_lenient_skip(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "gen.jsonl"
    src.write_text('{"text": "⟦1⟧⟦u⟧"}\n{"text": "⟦12⟧⟦k⟧ cut"}\n', encoding="utf-8")
    r = cli("convert", str(src), "--field", "text", "--decode")
    assert r.status == 2
    assert f"{src}:2:10: field text: invalid TST at character 7: number cut short" in r.err
    r = cli("convert", str(src), "--field", "text", "--decode", "--lenient")
    # lenient decoding keeps what it cannot read in place verbatim (DECISIONS: "The HF tokenizer's decode never raises")
    assert r.status == 0 and r.text == '{"text": "1"}\n{"text": "⟦12⟧⟦k⟧ cut"}\n'
    r = cli("convert", str(src), "--field", "text", "--decode", "--skip-bad")
    assert r.status == 0 and r.text == '{"text": "1"}\n' and "1 bad record skipped (line 2)" in r.err
    assert cli("convert", str(src), "--field", "text", "--lenient").status == 2  # --lenient needs --decode


@pytest.mark.parametrize("suffix", ["jsonl", "json", "csv", "parquet"])
def test_skip_bad_stops_at_data_written_with_other_settings(cli: CLI, tmp_path: Path, suffix: str) -> None:
    """Class: decoding with settings the data was not written with (DECISIONS 42). Every record
    fails alike, so --skip-bad would drop them all and exit 0: it stops and names the settings."""
    vocab = tst.Codec(variant="vocab")
    texts = ["price 1,234 now", "no numbers here", "3.25 and 17"]
    records = [{"text": vocab.encode(t)} for t in texts]
    src = tmp_path / f"data.{suffix}"
    if suffix == "jsonl":
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    elif suffix == "json":
        src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    elif suffix == "csv":
        with src.open("w", encoding="utf-8", newline="") as f:  # the tag ⟦,3⟧ holds a comma: quoted
            csv.writer(f).writerows([["text"], *[[r["text"]] for r in records]])
    else:
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), src)
    out = tmp_path / f"out.{suffix}"
    r = cli("convert", str(src), "--field", "text", "--decode", "--skip-bad", "-o", str(out))
    assert r.status == 2, r.err
    assert "decode with --variant vocab" in r.err and "not data written with other settings" in r.err
    assert r.err.count("the text decodes as") == 1
    r = cli("convert", str(src), "--field", "text", "--decode", "--variant", "vocab", "--skip-bad", "-o", str(out))
    assert r.status == 0 and "skipped" not in r.err


@pytest.mark.parametrize("suffix", ["jsonl", "json", "csv", "parquet"])
@pytest.mark.parametrize("bad_at", [0, 2])
def test_skip_bad_drops_one_bad_record_that_other_settings_happen_to_decode(
    cli: CLI, tmp_path: Path, suffix: str, bad_at: int
) -> None:
    """Class: a bad record among good ones whose text decodes under other settings (a generation
    that lost a marker: "x ⟦5⟧ y" reads as the vocab variant). The good records do not decode
    under those settings, so the data fits the settings given: --skip-bad drops it (DECISIONS 46)."""
    marker = tst.Codec(variant="marker")
    texts = [marker.encode(t) for t in ["price 1,234 now", "no numbers here", "3.25 and 17", "up 12%"]]
    texts.insert(bad_at, "x ⟦5⟧ y")
    write_records(tmp_path / f"data.{suffix}", [{"text": t} for t in texts])
    out = tmp_path / f"out.{suffix}"
    r = cli("convert", str(tmp_path / f"data.{suffix}"), "--field", "text", "--decode", "--skip-bad", "-o", str(out))
    where = f"row {bad_at}" if suffix == "parquet" else f"line {bad_at + (1 if suffix == 'jsonl' else 2)}"
    assert r.status == 0 and f"1 bad record skipped ({where})" in r.err, r.err
    r = cli("convert", str(tmp_path / f"data.{suffix}"), "--field", "text", "--decode", "-o", str(out))
    assert r.status == 2 and "(--skip-bad drops such " in r.err, r.err  # records; rows for Parquet
    assert "decode with" not in r.err  # the vocab variant, which the good records refute, is not suggested


def write_records(path: Path, records: list[dict[str, str]]) -> None:
    """`records` as JSON Lines, a JSON array (one element per line), CSV or Parquet, by `path`'s suffix."""
    suffix = path.suffix[1:]
    if suffix == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    elif suffix == "json":
        path.write_text("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]", "utf-8")
    elif suffix == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([list(records[0]), *[list(r.values()) for r in records]])
    else:
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), path)


@pytest.mark.parametrize("suffix", ["jsonl", "json", "csv", "parquet"])
def test_decode_errors_name_the_field_in_the_same_words_in_every_format(cli: CLI, tmp_path: Path, suffix: str) -> None:
    """Class: a string the codec rejects, in any reader. The message names where (each format its
    own way), the field (here the second one selected) and the reason, in the same words."""
    records = [{"id": "⟦1⟧⟦u⟧", "note": "ok"}, {"id": "⟦2⟧⟦u⟧", "note": "⟦3⟧⟦u⟧"}, {"id": "⟦4⟧⟦u⟧", "note": "x ⟦5⟧ y"}]
    src = tmp_path / f"data.{suffix}"
    if suffix == "jsonl":
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        place = "data.jsonl:3:"
    elif suffix == "json":
        src.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
        place = "data.json:"
    elif suffix == "csv":
        with src.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([["id", "note"], *[[r["id"], r["note"]] for r in records]])
        place = "data.csv:4:"
    else:
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), src)
        place = "data.parquet: row 2:"
    with pytest.raises(tst.TSTDecodeError) as info:
        tst.Codec().decode(records[2]["note"])
    r = cli("convert", str(src), "--field", "id", "--field", "note", "--decode", "-o", str(tmp_path / "out"))
    assert r.status == 2, r.err
    assert place in r.err and f"field note: invalid TST at character {info.value.position}: " in r.err, r.err


def test_stdin_needs_a_format(cli: CLI) -> None:
    data = b'{"text": "x 5"}\n'
    r = cli("convert", "--field", "text", stdin=data)
    assert r.status == 2 and "reading stdin needs --format" in r.err
    r = cli("convert", "--format", "jsonl", "--field", "text", "-q", stdin=data)
    assert r.status == 0 and r.text == '{"text": "x ⟦5⟧⟦u⟧"}\n' and r.err == ""


def test_an_output_name_of_another_format_is_refused(cli: CLI, tmp_path: Path) -> None:
    # Reported: -o x.csv after a Parquet input wrote Parquet bytes into x.csv, exit 0.
    src = tmp_path / "in.csv"
    src.write_text("text\nx 5\n")
    for out in ("x.parquet", "x.tsv", "x.jsonl"):
        r = cli("convert", str(src), "--field", "text", "-o", str(tmp_path / out))
        named = out.split(".")[1]
        assert r.status == 2 and f"names a {named} file, but convert writes the input's format (csv)" in r.err
        assert not (tmp_path / out).exists()
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "x 5"}\n')
    r = cli("convert", str(src), "--field", "text", "-q", "-o", str(tmp_path / "out.json"))  # JSON Lines named .json
    assert r.status == 0 and (tmp_path / "out.json").read_text() == '{"text": "x ⟦5⟧⟦u⟧"}\n'
    r = cli("convert", str(src), "--field", "text", "-q", "-o", str(tmp_path / "out.txt"))
    assert r.status == 0


def test_selection_is_required(cli: CLI) -> None:
    r = cli("convert", str(CHAT))
    assert r.status == 2 and "select at least one field" in r.err


# -- JSON ----------------------------------------------------------------------


def test_json_array_keeps_layout_and_round_trips(cli: CLI, tmp_path: Path) -> None:
    records = [json.loads(line) for line in CHAT.read_text(encoding="utf-8").splitlines()]
    src = tmp_path / "chat.json"
    src.write_text(json.dumps(records, indent=2), encoding="utf-8")
    out, back = tmp_path / "out.json", tmp_path / "back.json"
    r = cli("convert", str(src), "--messages", "--variant", "vocab", "-o", str(out))
    assert r.status == 0, r.err
    assert json.loads(out.read_text(encoding="utf-8")) == [encode_contents(rec) for rec in records]
    assert out.read_text(encoding="utf-8").count("\n") == src.read_text(encoding="utf-8").count("\n")
    assert cli("convert", str(out), "--messages", "--variant", "vocab", "--decode", "-o", str(back)).status == 0
    assert back.read_bytes() == src.read_bytes()


def test_json_single_record_and_skip_bad(cli: CLI, tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text('{"text": "1,000"}', encoding="utf-8")
    r = cli("convert", str(one), "--field", "text", "--variant", "vocab")
    assert r.status == 0 and r.text == '{"text": "⟦,3⟧⟦1k⟧⟦000⟧"}'
    arr = tmp_path / "arr.json"
    arr.write_text('[5,\n {"text": "1"},\n "x",\n {"text": "2"},\n [3]]', encoding="utf-8")
    r = cli("convert", str(arr), "--field", "text", "--variant", "vocab")
    assert r.status == 2 and f"{arr}:1:2: a record must be a JSON object, not a number" in r.err
    r = cli("convert", str(arr), "--field", "text", "--variant", "vocab", "--skip-bad")
    assert r.status == 0, r.err
    assert r.text == '[{"text": "⟦1⟧"},\n {"text": "⟦2⟧"}]'
    assert "3 bad records skipped" in r.err


def test_json_syntax_error_has_line_and_column(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "broken.json"
    src.write_text('[\n  {"text": "1"},\n  {"text": "2" "x"}\n]', encoding="utf-8")
    r = cli("convert", str(src), "--field", "text", "--skip-bad")
    assert r.status == 2 and f"{src}:3:16: expected ',' or '}}' in an object" in r.err


# -- CSV -----------------------------------------------------------------------


def test_csv_rewrites_only_changed_cells(cli: CLI, tmp_path: Path) -> None:
    raw = (
        "\ufeffid,text,note,score\r\n"
        '1,"Pay $1,234.50 now",x 5,0.50\r\n'
        '2,plain,"q ""1,000""",1\r\n'
        "\r\n"
        '3,"multi\nline 42",,7\r\n'
    )
    src = tmp_path / "t.csv"
    src.write_bytes(raw.encode())
    out, back = tmp_path / "out.csv", tmp_path / "back.csv"
    r = cli("convert", str(src), "--field", "text", "--field", "note", "--variant", "vocab", "-o", str(out))
    assert r.status == 0, r.err
    assert out.read_bytes().decode() == (
        "\ufeffid,text,note,score\r\n"
        '1,"Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦50p⟧ now",x ⟦5⟧,0.50\r\n'
        '2,plain,"q ""⟦,3⟧⟦1k⟧⟦000⟧""",1\r\n'
        "\r\n"
        '3,"multi\nline ⟦42⟧",,7\r\n'
    )
    assert "3 records; 6 strings (4 changed); 4 numbers encoded" in r.err
    assert (
        cli(
            "convert", str(out), "--field", "text", "--field", "note", "--variant", "vocab", "--decode", "-o", str(back)
        ).status
        == 0
    )
    assert back.read_bytes() == src.read_bytes()


def test_tsv_and_csv_errors(cli: CLI, tmp_path: Path) -> None:
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\n1,5\t2\n", encoding="utf-8")
    r = cli("convert", str(tsv), "--field", "a", "--variant", "vocab")
    assert r.status == 0 and r.text == "a\tb\n⟦1⟧,⟦5⟧\t2\n"
    r = cli("convert", str(tsv), "--field", "c")
    # No --allow-missing hint: it would pass the whole file through unconverted.
    assert r.status == 2 and r.err.rstrip().endswith(f"{tsv}:1: the header has no column 'c' (columns: 'a', 'b')")
    r = cli("convert", str(tsv), "--messages")
    assert r.status == 2 and "--messages needs JSONL, JSON or Parquet" in r.err
    short = tmp_path / "short.csv"
    short.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    r = cli("convert", str(short), "--field", "b")
    assert r.status == 2 and f"{short}:3: the row has 1 cell" in r.err
    r = cli("convert", str(short), "--field", "b", "--allow-missing")
    assert r.status == 0 and r.text == "a,b\n1,⟦2⟧⟦u⟧\n3\n"


# -- Parquet -------------------------------------------------------------------

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def chat_table() -> Any:
    rows = []
    for rec in (json.loads(line) for line in CHAT.read_text(encoding="utf-8").splitlines()):
        messages = []
        for m in rec["messages"]:
            content = m["content"]
            parts = content if isinstance(content, list) else [{"type": "text", "text": content}]
            messages.append({"role": m["role"], "content": [{"type": p["type"], "text": p["text"]} for p in parts]})
        rows.append({"id": rec["id"], "title": f"record {rec['id']} of 1,000", "messages": messages, "score": 0.5})
    rows.append({"id": 99, "title": None, "messages": None, "score": None})
    table = pa.Table.from_pylist(rows)
    table = table.append_column("tag", pa.array(["a 1", "b 2", "a 1", "c", None]).dictionary_encode())
    return table.replace_schema_metadata({"origin": "test", "rows": "5"})


def test_parquet_converts_columns_and_keeps_the_rest(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "chat.parquet"
    pq.write_table(chat_table(), src, row_group_size=2, compression="zstd")
    table = pq.read_table(src)
    out, back = tmp_path / "out.parquet", tmp_path / "back.parquet"
    r = cli(
        "convert", str(src), "--messages", "--field", "title", "--field", "tag", "--variant", "vocab", "-o", str(out)
    )
    assert r.status == 0, r.err
    result = pq.read_table(out)
    assert result.schema.equals(table.schema, check_metadata=True)
    meta = pq.ParquetFile(out).metadata
    assert meta.num_row_groups == 3 and meta.row_group(0).column(0).compression == "ZSTD"
    expected = table.to_pylist()
    for row in expected:
        if row["title"] is not None:
            row["title"] = VOCAB.encode(row["title"])
        if row["tag"] is not None:
            row["tag"] = VOCAB.encode(row["tag"])
        for m in row["messages"] or []:
            for part in m["content"]:
                part["text"] = VOCAB.encode(part["text"]) if part["text"] is not None else None
    assert result.to_pylist() == expected
    assert result.column("id").equals(table.column("id")) and result.column("score").equals(table.column("score"))
    assert "5 records" in r.err
    r = cli(
        "convert",
        str(out),
        "--messages",
        "--field",
        "title",
        "--field",
        "tag",
        "--variant",
        "vocab",
        "--decode",
        "-o",
        str(back),
    )
    assert r.status == 0, r.err
    assert pq.read_table(back).equals(table)


def test_parquet_errors(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": ["⟦1⟧⟦u⟧", "⟦12⟧⟦k⟧ cut", "⟦3⟧⟦u⟧"], "n": [1, 2, 3]}), src)
    r = cli("convert", str(src), "--field", "text")
    assert r.status == 2 and "Parquet needs a file on both sides" in r.err
    out = tmp_path / "out.parquet"
    r = cli("convert", str(src), "--field", "body", "-o", str(out))
    assert r.status == 2 and "there is no column 'body' (columns: text, n)" in r.err
    r = cli("convert", str(src), "--field", "n", "-o", str(out))
    assert r.status == 2 and "column 'n' must hold strings or lists of strings, not int64" in r.err
    r = cli("convert", str(src), "--field", "text", "--decode", "-o", str(out))
    assert r.status == 2 and "row 1" in r.err and "number cut short" in r.err
    assert not out.exists()
    r = cli("convert", str(src), "--field", "text", "--decode", "--skip-bad", "-o", str(out))
    assert r.status == 0, r.err
    assert pq.read_table(out).to_pylist() == [{"text": "1", "n": 1}, {"text": "3", "n": 3}]
    assert "1 bad record skipped (row 1)" in r.err
    notparquet = tmp_path / "fake.parquet"
    notparquet.write_text("hello", encoding="utf-8")
    r = cli("convert", str(notparquet), "--field", "text", "-o", str(out))
    assert r.status == 2 and "not a readable Parquet file" in r.err


@pytest.mark.parametrize("use", ["dropped", "unused", "overflow"])
def test_a_dictionary_entry_the_codec_rejects_never_reaches_the_writer(cli: CLI, tmp_path: Path, use: str) -> None:
    """Class: a Parquet dictionary column with an entry the codec rejects. Rows using it are dropped
    (--skip-bad) or name the error; an entry no row uses is kept as it was (the writer takes no null
    entry: a new-user trial met ArrowNotImplementedError)."""
    entries = pa.array(["a 1", "b 12345678901234567890123"] if use == "overflow" else ["⟦1⟧⟦u⟧", "⟦12⟧⟦k⟧ cut"])
    indices = pa.array([0, 0] if use == "unused" else [0, 1, 0], pa.int32())
    src, out = tmp_path / "d.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.table({"c": pa.DictionaryArray.from_arrays(indices, entries)}), src)
    args = ["--overflow", "error"] if use == "overflow" else ["--decode"]
    r = cli("convert", str(src), "--field", "c", *args, *([] if use == "unused" else ["--skip-bad"]), "-o", str(out))
    assert r.status == 0, r.err
    want = {"dropped": ["1", "1"], "unused": ["1", "1"], "overflow": [tst.Codec().encode("a 1")] * 2}[use]
    assert pq.read_table(out).column("c").to_pylist() == want
    if use != "unused":
        assert "1 bad record skipped (row 1)" in r.err


def test_a_csv_header_after_a_byte_order_mark_is_read_like_any_header(cli: CLI, tmp_path: Path) -> None:
    """A BOM then a quoted first cell (Excel, R): the quote is the cell's, not part of its name."""
    src = tmp_path / "b.csv"
    data = '\ufeff"id, n",text,other\n"1, 2",hello 5,world 6\n'
    src.write_bytes(data.encode())
    r = cli("convert", str(src), "--field", "text", "--variant", "vocab")
    assert r.status == 0 and r.text == '\ufeff"id, n",text,other\n"1, 2",hello ⟦5⟧,world 6\n', r.err
    back = tmp_path / "e.csv"
    back.write_text(r.text, encoding="utf-8")
    assert cli("convert", str(back), "--field", "text", "--variant", "vocab", "--decode").text == data
    src.write_bytes('\ufeff"text",b\n"a 1",2\n'.encode())
    assert cli("convert", str(src), "--field", "text", "--variant", "vocab").text == '\ufeff"text",b\n"a ⟦1⟧",2\n'
    joined = tmp_path / "joined.jsonl"  # two files joined with cat: the second one's BOM starts line 2
    joined.write_text('{"t": "a 1"}\n\ufeff{"t": "b 2"}\n', encoding="utf-8")
    r = cli("convert", str(joined), "--field", "t")
    assert r.status == 2 and f"{joined}:2:1: a byte order mark (U+FEFF) where a JSON value should start" in r.err


def test_allow_missing_names_a_column_the_header_lacks(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "m.csv"
    src.write_text("a,b\n1,x 5\n", encoding="utf-8")
    r = cli("convert", str(src), "--field", "nope", "--allow-missing")
    assert r.status == 0 and r.text == "a,b\n1,x 5\n"
    assert "no column 'nope' in the header or schema" in r.err
    table = tmp_path / "m.parquet"
    pq.write_table(pa.table({"a": ["x 1"]}), table)
    out = str(tmp_path / "o.parquet")
    r = cli("convert", str(table), "--field", "nope", "--field", "a", "--allow-missing", "-o", out)
    assert r.status == 0 and "no column 'nope' in the header or schema" in r.err


def test_lenient_decoding_counts_only_the_numbers_it_decoded(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "l.jsonl"
    src.write_text('{"t":"⟦1⟧⟦u⟧"}\n{"t":"⟦12⟧⟦k⟧ cut"}\n{"t":"⟦7⟧⟦u⟧ and ⟦3⟧⟦k⟧ x"}\n', encoding="utf-8")
    r = cli("convert", str(src), "--field", "t", "--decode", "--lenient", "-o", str(tmp_path / "o.jsonl"))
    assert r.status == 0 and "2 numbers decoded" in r.err, r.err


def test_hints_for_misplaced_messages_json_lines_and_compressed_input(cli: CLI, tmp_path: Path) -> None:
    """Found by a new-user trial: each of these ended in an error that did not say why."""
    chat = tmp_path / "chat.jsonl"
    chat.write_text('{"messages": [{"role": "user", "content": "1 2"}]}\n', encoding="utf-8")
    r = cli("convert", "--messages", str(chat))  # the file taken as --messages KEY
    assert r.status == 2 and f"--messages took {str(chat)!r} as the messages field: put the input first" in r.err
    lines = tmp_path / "lines.json"  # JSON Lines named .json
    lines.write_text('{"text": "x 5"}\n{"text": "y 6"}\n', encoding="utf-8")
    r = cli("convert", str(lines), "--field", "text")
    assert r.status == 2 and "is it JSON Lines? pass --format jsonl" in r.err
    assert cli("convert", str(lines), "--field", "text", "--format", "jsonl").status == 0
    packed = tmp_path / "t.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"text": "x 5"}\n'))
    for args in (
        ("convert", str(packed), "--field", "text", "--format", "jsonl"),
        ("convert", str(packed), "--field", "text"),  # the .gz extension: the same message, at once
        ("encode", str(packed)),
    ):
        r = cli(*args)
        assert r.status == 2 and f"{packed} is gzip-compressed; decompress it first (zcat {packed} | tst ...)" in r.err


@pytest.mark.parametrize(
    ("flag", "data", "fmt"),
    [
        (["--ensure-ascii"], "a,b\n1,2\n", "csv"),
        (["--delimiter", ";"], '{"a": "1"}\n', "jsonl"),
        (["--block-size", "1M"], '[{"a": "1"}]', "json"),
    ],
)
def test_an_option_for_other_formats_is_refused(cli: CLI, tmp_path: Path, flag: list[str], data: str, fmt: str) -> None:
    """Found by a new-user trial: `--ensure-ascii` on a CSV file was ignored without a word."""
    src = tmp_path / f"d.{fmt}"
    src.write_text(data, encoding="utf-8")
    r = cli("convert", str(src), "--field", "a", *flag)
    assert r.status == 2 and f"{flag[0]} applies to " in r.err and f"data, not {fmt}" in r.err, r.err
    assert r.text == ""


def test_a_csv_file_with_no_header_row(cli: CLI, tmp_path: Path) -> None:
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    r = cli("convert", str(empty), "--field", "a")
    assert r.status == 2 and f"{empty}: no header row (the file is empty or blank): no column 'a'" in r.err
    r = cli("convert", str(empty), "--field", "a", "--allow-missing")
    assert r.status == 0 and r.text == "" and "no column 'a' in the header or schema" in r.err


def test_blank_lines_before_the_header_are_kept(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "b.csv"
    src.write_bytes(b'\n\r\n  \ntext,b\n"12,345",2\n\n \t\n7,8\n')  # blank: spaces and tabs too (pandas)
    out = tmp_path / "o.csv"
    r = cli("convert", str(src), "--field", "text", "--variant", "vocab", "-o", str(out))
    assert r.status == 0, r.err
    number, seven = VOCAB.encode("12,345"), VOCAB.encode("7")
    assert out.read_bytes().decode() == f'\n\r\n  \ntext,b\n"{number}",2\n\n \t\n{seven},8\n'
    back = tmp_path / "back.csv"
    assert cli("convert", str(out), "--field", "text", "--variant", "vocab", "--decode", "-o", str(back)).status == 0
    assert back.read_bytes() == src.read_bytes()
    r = cli("convert", str(src), "--field", "zz")
    assert r.status == 2 and f"{src}:4: the header has no column 'zz'" in r.err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device whose writes fail: Linux)")
def test_a_write_failure_names_the_output(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "w.csv"
    src.write_text("a\n1\n", encoding="utf-8")
    r = cli("convert", str(src), "--field", "a", "-o", "/dev/full")
    assert r.status == 1 and "/dev/full: No space left on device" in r.err, r.err
