"""`tst stats`, `tst vocab` and `tst export` with real tokenizers on disk."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tst
from tests.cli_support import CLI, cli_fixture  # noqa: F401  (the `cli` fixture)
from tests.tokenizer_support import BERT_DIR, train_bpe
from tst.data.token_stats import Distribution

pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

ROOT = Path(__file__).resolve().parent.parent
FINANCE = ROOT / "examples" / "finance.txt"
CHAT = ROOT / "examples" / "chat.jsonl"


@pytest.fixture(scope="module")
def bpe_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_bpe(tmp_path_factory.mktemp("bpe"))


def manual_counts(tokenizer_dir: Path, text: str, codec: tst.Codec) -> tuple[list[int], list[int], int, int]:
    """Tokens per number before/after and per text, computed the slow, obvious way."""
    base = tokenizers.Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
    base.no_padding()
    base.no_truncation()
    after = tokenizers.Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
    after.no_padding()
    after.no_truncation()
    after.add_tokens([tokenizers.AddedToken(u, normalized=False) for u in codec.vocabulary()])
    enc, pieces = codec.encode_with_offsets(text)
    b = base.encode(text, add_special_tokens=False)
    a = after.encode(enc, add_special_tokens=False)
    per_before, per_after = [], []
    for num in codec.numbers(text):
        per_before.append(sum(1 for s, e in b.offsets if s < num.end and e > num.start))
        mine = [p for p in pieces if num.start <= p[2] and p[3] <= num.end]
        lo, hi = min(p[0] for p in mine), max(p[1] for p in mine)
        per_after.append(sum(1 for s, e in a.offsets if s < hi and e > lo))
    return per_before, per_after, len(b.ids), len(a.ids)


@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_stats_json_matches_a_manual_count(cli: CLI, bpe_dir: Path, tmp_path: Path, variant: str) -> None:
    text = "Pay $1,234.5 now.\nNothing here.\n\nIn 2026 we sold 17 units at 0.0045 each.\n"
    src = tmp_path / "doc.txt"
    src.write_text(text, encoding="utf-8")
    r = cli("stats", str(src), "--tokenizer", str(bpe_dir), "--variant", variant, "--json")
    assert r.status == 0, r.err
    got = json.loads(r.text)
    codec = tst.Codec(variant=variant)
    lines = [line for line in text.splitlines() if line.strip()]
    before: list[int] = []
    after: list[int] = []
    doc_before, doc_after = [], []
    for line in lines:
        b, a, db, da = manual_counts(bpe_dir, line, codec)
        before += b
        after += a
        doc_before.append(db)
        doc_after.append(da)
    assert got["documents"] == 3 and got["numbers"] == len(before) == 4
    assert got["tokens_per_number"]["before"]["total"] == sum(before)
    assert got["tokens_per_number"]["after"]["total"] == sum(after)
    assert got["tokens_per_number"]["after"]["max"] == max(after)
    assert got["tokens_per_document"]["before"]["total"] == sum(doc_before)
    assert got["tokens_per_document"]["after"]["total"] == sum(doc_after)
    assert got["histogram_tokens_per_number"]["after"] == {str(k): after.count(k) for k in sorted(set(after))}
    if variant == "vocab":  # one unit per group: "1,234.5" is tag + 2 groups + "." + 1 group
        assert after[0] == 5


def test_stats_agrees_with_the_wrapped_tokenizer(bpe_dir: Path) -> None:
    hf = pytest.importorskip("tst.hf")
    from transformers import AutoTokenizer

    from tst.data.token_stats import TokenCounter

    base = AutoTokenizer.from_pretrained(str(bpe_dir))
    lines = [line for line in FINANCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for variant in ("vocab", "marker"):
        wrapped = hf.wrap(base, variant=variant)
        counter = TokenCounter(base.backend_tokenizer, tst.Codec(variant=variant))
        stats = counter.add([line] for line in lines)
        expected = [len(wrapped(line, add_special_tokens=False)["input_ids"]) for line in lines]
        assert stats.doc_after.counts == Counter(expected) and len(set(expected)) > 5


def test_stats_table_plot_and_datasets(cli: CLI, tmp_path: Path) -> None:
    assert BERT_DIR is not None
    plot = tmp_path / "hist.png"
    r = cli("stats", str(FINANCE), "--tokenizer", str(BERT_DIR), "--variant", "vocab", "--plot", str(plot))
    assert r.status == 0, r.err
    assert "11 documents, " in r.text and "tokens per number: mean" in r.text and "after/before" in r.text
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = cli("stats", str(CHAT), "--messages", "--tokenizer", str(BERT_DIR), "--json", "--limit", "2")
    assert r.status == 0, r.err
    got = json.loads(r.text)
    assert got["documents"] == 2
    codec = tst.Codec()
    recs = [json.loads(line) for line in CHAT.read_text(encoding="utf-8").splitlines()[:2]]
    texts = [
        m["content"] if isinstance(m["content"], str) else m["content"][0]["text"]
        for r_ in recs
        for m in r_["messages"]
    ]
    assert got["numbers"] == sum(len(codec.numbers(t)) for t in texts)


def test_stats_errors(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    r = cli("stats", str(FINANCE), "--tokenizer", str(tmp_path / "nowhere"))
    assert r.status == 2 and "nowhere: no such directory" in r.err
    r = cli("stats", str(tmp_path / "none.txt"), "--tokenizer", str(bpe_dir))
    assert r.status == 2 and "no such file" in r.err
    r = cli("stats", str(CHAT), "--tokenizer", str(bpe_dir))
    assert r.status == 2 and "needs --field NAME and/or --messages" in r.err
    r = cli("stats", str(FINANCE), "--tokenizer", str(bpe_dir), "--style", "paper")
    assert r.status == 2 and "stats needs style=exact" in r.err
    (tmp_path / "empty").mkdir()
    r = cli("stats", str(FINANCE), "--tokenizer", str(tmp_path / "empty"))
    assert r.status == 2 and "cannot load a tokenizer" not in r.err
    assert r.err == (
        f"tst stats: error: no tokenizer found in {tmp_path / 'empty'} (looked for tokenizer.json, "
        "tokenizer_config.json, tokenizer.model, spiece.model, sentencepiece.bpe.model, vocab.json, vocab.txt, "
        "tekken.json, tst_tokenizer.json)\n"
    )
    (tmp_path / "empty" / "tokenizer_config.json").write_text("{}", encoding="utf-8")  # found, but unusable
    r = cli("stats", str(FINANCE), "--tokenizer", str(tmp_path / "empty"))
    assert r.status == 2 and "cannot load a tokenizer from" in r.err
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    r = cli("stats", str(FINANCE), "--tokenizer", str(tmp_path / "bad.json"))
    assert r.status == 2 and f"cannot load a tokenizer from {tmp_path / 'bad.json'}" in r.err


def test_stats_takes_the_delimiter_its_hint_names(cli: CLI, tmp_path: Path) -> None:
    """Found by a new-user trial: the header error suggested --delimiter, which stats did not take."""
    data = tmp_path / "semi.csv"
    data.write_text("id;amount\n1;1,000\n2;3.5\n", encoding="utf-8")
    r = cli("stats", str(data), "--field", "amount", "--json")
    assert r.status == 2 and "is it the delimiter (--delimiter ';')?" in r.err and "--allow-missing" not in r.err
    r = cli("stats", str(data), "--field", "amount", "--json", "--delimiter", ";")
    assert r.status == 0 and json.loads(r.out)["numbers"] == 2, r.err
    r = cli("stats", str(data), "--field", "amount", "--json", "--delimiter", ";;")
    assert r.status == 2 and "--delimiter takes one character" in r.err


def test_stats_reads_invalid_utf8_as_convert_carries_it(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    """Found by a new-user trial: stats could not read a changelog that encode handles."""
    data = tmp_path / "legacy.txt"
    data.write_bytes(b"ok 1,234 line\nbad \xff\xfe 5,678 x\n")
    r = cli("stats", str(data), "--json")
    assert r.status == 2 and "legacy.txt:2: invalid UTF-8" in r.err and "--errors=surrogateescape" in r.err
    r = cli("stats", str(data), "--json", "--errors", "surrogateescape")
    assert r.status == 0 and json.loads(r.out)["numbers"] == 2, r.err
    r = cli("stats", str(data), "--json", "--errors", "surrogateescape", "--tokenizer", str(bpe_dir))
    assert r.status == 0, r.err
    # Undecodable bytes count as U+FFFD for the tokenizer: the figures of that text, read so.
    (tmp_path / "replaced.txt").write_text("ok 1,234 line\nbad \ufffd\ufffd 5,678 x\n", encoding="utf-8")
    r2 = cli("stats", str(tmp_path / "replaced.txt"), "--json", "--tokenizer", str(bpe_dir))
    got, want = json.loads(r.out), json.loads(r2.out)
    assert {k: v for k, v in got.items() if k != "input"} == {k: v for k, v in want.items() if k != "input"}


@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_stats_on_a_tokenizer_json_file_equals_its_directory(cli: CLI, bpe_dir: Path, variant: str) -> None:
    by_dir = cli("stats", str(FINANCE), "--tokenizer", str(bpe_dir), "--variant", variant, "--json")
    by_file = cli("stats", str(FINANCE), "--tokenizer", str(bpe_dir / "tokenizer.json"), "--variant", variant, "--json")
    assert by_dir.status == by_file.status == 0, by_file.err
    a, b = json.loads(by_dir.text), json.loads(by_file.text)
    assert a.pop("tokenizer") == str(bpe_dir) and b.pop("tokenizer") == str(bpe_dir / "tokenizer.json")
    assert a == b and a["numbers"] > 30


# -- vocab ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags, settings", [([], {}), (["--variant", "vocab", "--group-size", "2"], {"variant": "vocab", "group_size": 2})]
)
def test_vocab_outputs(cli: CLI, tmp_path: Path, flags: list[str], settings: dict[str, object]) -> None:
    tokens = tst.Codec(**settings).vocabulary()  # type: ignore[arg-type]
    r = cli("vocab", *flags)
    assert r.status == 0 and r.text.splitlines() == tokens
    assert cli("vocab", "--count", *flags).text == f"{len(tokens)}\n"
    out = tmp_path / "v.json"
    r = cli("vocab", "--format", "json", "-o", str(out), *flags)
    assert r.status == 0 and f"{len(tokens):,} tokens written to {out}" in r.err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["tokens"] == tokens and doc["size"] == len(tokens)
    assert doc["config"] == tst.Codec(**settings).config()  # type: ignore[arg-type]


def test_vocab_paper_style(cli: CLI) -> None:
    r = cli("vocab", "--style", "paper", "--variant", "marker")
    assert r.text.splitlines() == tst.Codec(style="paper").vocabulary()


# -- export --------------------------------------------------------------------


def test_export_writes_a_stock_tokenizer(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    hf = pytest.importorskip("tst.hf")
    out = tmp_path / "exported"
    r = cli("export", "--tokenizer", str(bpe_dir), "-o", str(out), "--variant", "vocab")
    assert r.status == 0, r.err
    assert "wrote" in r.err
    stock = tokenizers.Tokenizer.from_file(str(out / "tokenizer.json"))
    from transformers import AutoTokenizer

    base = AutoTokenizer.from_pretrained(str(bpe_dir))
    wrapped = hf.wrap(base, variant="vocab")
    text = "Pay $1234.5 now, 17 units"  # export covers plain numbers (see tst.hf.covers)
    assert hf.covers(text, wrapped.tst_codec, base)
    assert stock.encode(text, add_special_tokens=False).ids == wrapped(text, add_special_tokens=False)["input_ids"]


def test_export_refusals(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    r = cli("export", "--tokenizer", str(bpe_dir), "-o", str(tmp_path / "x"), "--style", "paper")
    assert r.status == 2 and "cannot export" in r.err and "exact" in r.err
    r = cli("export", "--tokenizer", str(tmp_path / "missing"), "-o", str(tmp_path / "x"))
    assert r.status == 2 and "missing: no such directory" in r.err
    (tmp_path / "one.txt").write_text("keep", encoding="utf-8")
    r = cli("export", "--tokenizer", str(bpe_dir), "-o", str(tmp_path / "one.txt"))
    assert r.status == 2 and "is a file: export writes a directory" in r.err
    assert (tmp_path / "one.txt").read_text(encoding="utf-8") == "keep"
    # Only "text" is offered: a stock tokenizer can neither raise nor grow names.
    r = cli("export", "--tokenizer", str(bpe_dir), "-o", str(tmp_path / "x"), "--overflow", "extend")
    assert r.status == 2 and "invalid choice: 'extend'" in r.err and not (tmp_path / "x").exists()


def test_export_of_an_export_of_its_own_base_and_of_a_saved_wrap(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    """An export given as the base, or as its own output, is refused with what to do; a saved
    route-1 tokenizer is exported from its base with its own codec."""
    hf = pytest.importorskip("tst.hf")
    out = tmp_path / "exported"
    assert cli("export", "--tokenizer", str(bpe_dir), "-o", str(out), "--variant", "vocab").status == 0
    r = cli("export", "--tokenizer", str(out), "-o", str(tmp_path / "again"))
    assert r.status == 2 and "is a TST export already" in r.err and "base tokenizer it was built from" in r.err
    copy = tmp_path / "base"
    shutil.copytree(bpe_dir, copy)
    before = (copy / "tokenizer.json").read_bytes()
    r = cli("export", "--tokenizer", str(copy), "-o", str(copy) + "/")
    assert r.status == 2 and "is the --tokenizer directory" in r.err
    assert (copy / "tokenizer.json").read_bytes() == before
    from transformers import AutoTokenizer

    wrapped = hf.wrap(AutoTokenizer.from_pretrained(str(bpe_dir)), variant="vocab")
    wrapped.save_pretrained(str(tmp_path / "wrapped"))
    r = cli("export", "--tokenizer", str(tmp_path / "wrapped"), "-o", str(tmp_path / "from-wrap"))
    assert r.status == 0, r.err
    stock = tokenizers.Tokenizer.from_file(str(tmp_path / "from-wrap" / "tokenizer.json"))
    text = "Pay $1234.5 now, 17 units"
    assert stock.encode(text, add_special_tokens=False).ids == wrapped(text, add_special_tokens=False)["input_ids"]
    r = cli("export", "--tokenizer", str(tmp_path / "wrapped"), "-o", str(tmp_path / "y"), "--variant", "marker")
    assert r.status == 2 and "drop the codec flags" in r.err
    # Tokens added after wrapping have ids after the units, which no export gives: refused, not
    # dropped (a new-user trial: the export went out without them, exit status 0).
    wrapped.add_tokens(["<tool7>"])
    wrapped.save_pretrained(str(tmp_path / "wrapped2"))
    r = cli("export", "--tokenizer", str(tmp_path / "wrapped2"), "-o", str(tmp_path / "z"))
    assert r.status == 2 and "1 token(s) added after wrapping ('<tool7>')" in r.err, r.err
    assert not (tmp_path / "z").exists()


def test_stats_refuse_an_export(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    """Found by a new-user trial: an export given to stats was counted as a base (TST applied twice)."""
    pytest.importorskip("tst.hf")
    out = tmp_path / "exported"
    assert cli("export", "--tokenizer", str(bpe_dir), "-o", str(out), "--variant", "vocab").status == 0
    text = tmp_path / "t.txt"
    text.write_text("Pay $1,234.5 now, 17 units\n", encoding="utf-8")
    for path in (out, out / "tokenizer.json"):
        r = cli("stats", str(text), "--tokenizer", str(path))
        assert r.status == 2 and "holds TST units already" in r.err and "tst_export.codec" in r.err, r.err
    r = cli("stats", str(text), "--tokenizer", str(bpe_dir), "--decimal", ",")
    assert r.status == 0 and "decimal=','" in r.text, r.err  # the header names settings off their default
    hf = pytest.importorskip("tst.hf")
    from transformers import AutoTokenizer

    hf.wrap(AutoTokenizer.from_pretrained(str(bpe_dir)), variant="vocab").save_pretrained(str(tmp_path / "wrapped"))
    r = cli("stats", str(text), "--tokenizer", str(tmp_path / "wrapped" / "tst_tokenizer.json"))
    assert r.status == 2 and "pass the folder it was saved in" in r.err, r.err


def test_export_names_the_missing_piece(
    cli: CLI, tmp_path: Path, bpe_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hf = pytest.importorskip("tst.hf")
    monkeypatch.delattr(hf, "export")
    r = cli("export", "--tokenizer", str(bpe_dir), "-o", str(tmp_path / "x"))
    assert r.status == 1
    assert "no native tokenizer.json export (tst.hf.export is missing)" in r.err
    assert not (tmp_path / "x").exists()


def test_export_directory_serves_as_is(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    """The exported directory keeps special tokens and the chat template; a stock AutoTokenizer serves TST."""
    hf = pytest.importorskip("tst.hf")
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    src = tmp_path / "base"
    base = AutoTokenizer.from_pretrained(str(bpe_dir))
    base.chat_template = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{{ eos_token }}{% endfor %}"
    base.save_pretrained(str(src))
    out = tmp_path / "exported"
    r = cli("export", "--tokenizer", str(src), "-o", str(out), "--variant", "marker")
    assert r.status == 0, r.err
    assert {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"} <= {p.name for p in out.iterdir()}
    served = AutoTokenizer.from_pretrained(str(out))
    assert (
        isinstance(served, PreTrainedTokenizerFast)
        and not hf.is_tst_tokenizer(served)
        and served.eos_token == base.eos_token
    )
    wrapped = hf.wrap(base, variant="marker")
    chat = [{"role": "user", "content": "Row: 12.5,-3.25,2024-01-02,1,234 and $1,299.99"}]
    rendered = served.apply_chat_template(chat, tokenize=False)
    assert rendered == base.apply_chat_template(chat, tokenize=False)
    assert hf.covers(rendered, wrapped.tst_codec, base)
    ids = served(rendered, add_special_tokens=False)["input_ids"]
    assert ids == wrapped(rendered, add_special_tokens=False)["input_ids"]
    assert served.decode(ids) == rendered


def test_stats_hints_for_misplaced_messages_stdin_and_compressed_input(cli: CLI, tmp_path: Path) -> None:
    chat = tmp_path / "chat.jsonl"
    chat.write_text('{"messages": [{"role": "user", "content": "1 2"}]}\n', encoding="utf-8")
    r = cli("stats", "--messages", str(chat))
    assert r.status == 2 and "put the input first (tst stats" in r.err
    r = cli("stats", "-")
    assert r.status == 2 and "stats reads a file, not stdin" in r.err
    packed = tmp_path / "t.txt.gz"
    packed.write_bytes(gzip.compress(b"a 1\n"))
    r = cli("stats", str(packed))
    assert r.status == 2 and "is gzip-compressed; decompress it first" in r.err


def test_stats_counts_the_numbers_left_as_text_out_of_range(cli: CLI, tmp_path: Path, bpe_dir: Path) -> None:
    """Found by a new-user trial: a numeral out of range (17 fractional digits of a machine float)
    vanished from every count, so the before/after comparison left it out without a word."""
    src = tmp_path / "oor.txt"
    src.write_text("pi 3.14159265358979323846 and 7\n0.12345678901234567 and 8\n", encoding="utf-8")
    for extra in ([], ["--tokenizer", str(bpe_dir)]):
        r = cli("stats", str(src), *extra)
        assert r.status == 0 and "2 numbers (2 more left as text: out of range" in r.text, r.text
        r = cli("stats", str(src), "--json", *extra)
        got = json.loads(r.text)
        assert (got["numbers"], got["numbers_out_of_range"]) == (2, 2)


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=60), st.sampled_from([0.0, 0.25, 0.5, 0.95, 1.0]))
def test_distribution_kept_as_a_histogram_gives_the_list_statistics(values: list[int], q: float) -> None:
    """Memory per distinct count, not per number (`tst stats` on 11 M numbers held them all in a list)."""
    import statistics

    d = Distribution()
    d.extend(values[: len(values) // 2])
    for v in values[len(values) // 2 :]:
        d.add(v)
    assert len(d) == len(values) and d.total == sum(values) and d.maximum() == max(values, default=0)
    assert d.median() == (float(statistics.median(values)) if values else 0.0)
    assert d.mean() == (pytest.approx(statistics.fmean(values)) if values else 0.0)
    ordered = sorted(values)
    assert d.quantile(q) == (float(ordered[min(len(values) - 1, round(q * (len(values) - 1)))]) if values else 0.0)
    assert len(d.counts) <= 41


def test_a_median_between_two_counts_is_shown_with_its_half(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "m.txt"
    src.write_text("a 1 b 22\n", encoding="utf-8")
    r = cli("stats", str(src), "--variant", "vocab")
    assert r.status == 0, r.err
    digits = next(line for line in r.text.splitlines() if line.startswith("digits"))
    assert digits.split()[1:4] == ["1.50", "1.5", "2"]  # mean, median (was rounded to 2), p95
