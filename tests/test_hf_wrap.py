"""Route 1: tst.hf.wrap on real tokenizer families (byte-level BPE, tekken, SentencePiece, BERT)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from transformers import AutoTokenizer
from transformers.tokenization_utils_tokenizers import TokenizersBackend

import tst
import tst.hf as tst_hf
from tests.hf_support import FAMILIES, LOSSLESS, base, base_round_trips, wrapped

UNIT = re.compile("\u27e6[^\u27e6\u27e7]+\u27e7")
VARIANTS = ("vocab", "marker")
TEXTS = [
    "Pay $1,234.5 now.",
    "In 2019 42 people ran 3.14159 km; 1,000,000 watched.",
    "x 1000000000000 y 0.000001 and 12,34,567 rupees",
    "v1.2.3 on 2024-01-15 at 192.168.0.1, 6.02e23 and 0x1F",
    "Literal \u27e61k\u27e7 and \u27e6u\u27e7 and \u27e6,3\u27e7 stay text.",
    "a\n\n3 b\t 5  c",
    "",
]
TEXT_ALPHABET = hs.sampled_from(list("0123456789") * 3 + list(" ,.'_-$%\nabcXYZé中²\u27e6\u27e7\u00a0e"))


def ids_of(tok: object, text: str) -> list[int]:
    return list(tok(text, add_special_tokens=False)["input_ids"])  # type: ignore[operator]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_tst_ids_follow_the_base_vocabulary_in_vocabulary_order(family: str, variant: str) -> None:
    tok, b = wrapped(family, variant), base(family)
    units = tok.tst_codec.vocabulary()
    assert tok.tst_base_vocab_size == len(b)
    assert list(tok.tst_token_ids) == units
    assert list(tok.tst_token_ids.values()) == list(range(len(b), len(b) + len(units)))
    assert len(tok) == len(b) + len(units)
    assert tst_hf.is_tst_tokenizer(tok) and not tst_hf.is_tst_tokenizer(b)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_unit_is_exactly_one_id(family: str, variant: str) -> None:
    tok = wrapped(family, variant)
    tst_ids = set(tok.tst_token_ids.values())
    for text in TEXTS:
        surface = tok.tst_codec.encode(text)
        ids = ids_of(tok, text)
        got = [tok.convert_ids_to_tokens(i) for i in ids if i in tst_ids]
        assert got == UNIT.findall(surface), text
        if variant == "marker":  # each digit group is followed by its marker id
            for k, unit in enumerate(got):
                if unit[1:-1].isdigit():
                    assert not got[k + 1][1:-1].isdigit()


@pytest.mark.parametrize("family", LOSSLESS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_decode_gives_back_the_original_text(family: str, variant: str) -> None:
    tok = wrapped(family, variant)
    for text in TEXTS:
        if base_round_trips(family, text):
            assert tok.decode(ids_of(tok, text)) == text
    batch = tok(TEXTS)["input_ids"]
    assert tok.batch_decode(batch, skip_special_tokens=True) == [t for t in TEXTS] or family == "spm"


@pytest.mark.parametrize("family", LOSSLESS)
@settings(max_examples=40)
@given(text=hs.text(alphabet=TEXT_ALPHABET, max_size=40))
def test_round_trip_property(family: str, text: str) -> None:
    tok = wrapped(family, "vocab")
    if family == "spm" and (text[:1].isspace() or not base_round_trips(family, text)):
        return  # SentencePiece itself drops a leading space (see docs/hf.md)
    assert tok.decode(ids_of(tok, text)) == text


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_offsets_index_the_original_text(family: str, variant: str) -> None:
    tok = wrapped(family, variant)
    tst_ids = set(tok.tst_token_ids.values())
    for text in TEXTS:
        enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
        _, pieces = tok.tst_codec.encode_with_offsets(text)
        unit_spans = [
            (a, b) for es, ee, a, b in pieces if ee - es > 3 or not _is_escape(tok.tst_codec.encode(text)[es:ee])
        ]
        got = [span for i, span in zip(enc["input_ids"], enc["offset_mapping"]) if i in tst_ids]
        assert got == unit_spans, text
        for a, b in enc["offset_mapping"]:
            assert 0 <= a <= b <= len(text)


def _is_escape(s: str) -> bool:
    return s in ("\u27e6\u27e6\u27e7", "\u27e6\u27e7\u27e7")


@pytest.mark.parametrize("family", ["bpe", "tekken"])
def test_offsets_of_text_without_numbers_equal_the_base(family: str) -> None:
    tok, b = wrapped(family, "vocab"), base(family)
    text = "Plain words, no digits at all: caf\u00e9 \u4e2d\u6587!"
    got = tok(text, return_offsets_mapping=True)["offset_mapping"]
    assert got == b(text, return_offsets_mapping=True)["offset_mapping"]


def test_offsets_of_text_around_numbers_are_the_base_offsets_shifted() -> None:
    tok = wrapped("bpe", "vocab")
    text = "cats 1234567 dogs"
    enc = tok(text, return_offsets_mapping=True)
    spans = [text[a:b] for a, b in enc["offset_mapping"]]
    assert (spans[-1] == " dogs" and spans[0] == "c") or "cats".startswith(spans[0])
    assert "".join(s for s in spans) == text


def test_batches_pairs_padding_truncation_and_tensors() -> None:
    tok = wrapped("bpe", "marker")
    batch = tok(["12 cats", "a much longer line with 1,234,567.89 in it"], padding=True, return_tensors="pt")
    assert batch["input_ids"].shape[0] == 2 and batch["input_ids"].shape == batch["attention_mask"].shape
    assert int(batch["attention_mask"][0].sum()) == len(tok("12 cats")["input_ids"])
    single = tok("12 cats", return_tensors="pt")["input_ids"]  # keeps its batch axis, like the base
    assert tuple(single.shape) == (1, len(tok("12 cats")["input_ids"]))
    assert tok.tst_base_tokenizer()("cats", return_tensors="pt")["input_ids"].dim() == single.dim()
    short = tok("1,234,567.89 is big", truncation=True, max_length=4)["input_ids"]
    assert len(short) == 4 and short == tok("1,234,567.89 is big")["input_ids"][:4]
    first, second = "I have 12 cats", "and 3.5 dogs"
    pair = tok(first, second, return_offsets_mapping=True)
    seq = pair.sequence_ids()
    tst_ids = set(tok.tst_token_ids.values())
    for s, i, (a, b) in zip(seq, pair["input_ids"], pair["offset_mapping"]):
        if i in tst_ids and a < b:
            assert (first if s == 0 else second)[a:b].isdigit()
    assert tok.decode(pair["input_ids"]) == first + second


def test_overflowing_tokens_map_offsets_to_their_own_sample() -> None:
    tok = wrapped("bpe", "vocab")
    texts = ["one 111 two 222 three 333 four 444", "x 9"]
    out = tok(
        texts, truncation=True, max_length=5, stride=1, return_overflowing_tokens=True, return_offsets_mapping=True
    )
    tst_ids = set(tok.tst_token_ids.values())
    for row, sample in enumerate(out["overflow_to_sample_mapping"]):
        for i, (a, b) in zip(out["input_ids"][row], out["offset_mapping"][row]):
            if i in tst_ids:
                assert texts[sample][a:b].isdigit()


def test_pre_split_words_are_encoded_word_by_word() -> None:
    tok = wrapped("bpe", "vocab")
    words = ["I", "paid", "1,234", "dollars"]
    enc = tok(words, is_split_into_words=True, return_offsets_mapping=True)
    tst_ids = set(tok.tst_token_ids.values())
    for i, w, (a, b) in zip(enc["input_ids"], enc.word_ids(), enc["offset_mapping"]):
        if i in tst_ids and a < b:
            assert words[w][a:b].isdigit()


def test_special_tokens_with_digits_stay_the_base_tokens() -> None:
    tok, b = wrapped("spm", "vocab"), base("spm")
    text = "[REFERENCE_DOC_19]5 apples</s>"
    ids = ids_of(tok, text)
    assert ids[0] == b.convert_tokens_to_ids("[REFERENCE_DOC_19]")
    assert ids[-1] == b.eos_token_id
    assert tok.decode(ids) == text
    assert tok.decode(ids, skip_special_tokens=True) == b.decode(ids_of(b, text), skip_special_tokens=True)


def test_bert_special_tokens_and_what_its_lossy_decode_keeps() -> None:
    tok = wrapped("bert", "vocab")
    enc = tok("Pay 1,234.5 now")
    assert enc["input_ids"][0] == tok.cls_token_id and enc["input_ids"][-1] == tok.sep_token_id
    # BERT lowercases and keeps no whitespace: numbers come back whole, text the way BERT writes it.
    assert tok.decode(enc["input_ids"], skip_special_tokens=True) == "pay 1,234.5 now"
    assert (
        tok.decode(tok("the 12 cats and 3.25 dogs")["input_ids"], skip_special_tokens=True)
        == "the 12 cats and 3.25 dogs"
    )


@settings(max_examples=40, deadline=None)
@given(
    hs.sampled_from(["vocab", "marker"]),
    hs.sampled_from(tst.Codec().settings.resolved_separators + " "),
    hs.integers(1_000, 10**12),
)
def test_bert_decodes_every_grouping_separator_whole(variant: str, sep: str, value: int) -> None:
    """Class: a grouping tag whose separator is whitespace (U+00A0, U+2009, U+202F, a configured
    space). WordPiece joins tokens with spaces; the glue that takes those spaces out of a number
    must read such a tag as one unit, or the tag leaks into the text (`price ⟦\xa03⟧ 1234`)."""
    tok = wrapped("bert", variant) if sep != " " else tst_hf.wrap(base("bert"), variant=variant, separators=sep)
    number = f"{value:,}".replace(",", sep)
    text = f"price {number} eur"
    assert tok.decode(tok(text)["input_ids"], skip_special_tokens=True, strict=True) == text


@pytest.mark.parametrize(
    ("variant", "group_size"), [("marker", 1), ("marker", 2), ("marker", 4), ("marker", 5), ("vocab", 1), ("vocab", 2)]
)
def test_bert_decodes_numbers_whole_at_every_group_size(variant: str, group_size: int) -> None:
    """Class: a marker whose name ends in a style digit (``⟦e2⟧``, ``⟦e3⟧`` at group sizes 1 and 2)
    read as a grouping tag by the WordPiece glue, so the space before it stayed and the number
    came back as raw units (`⟦20⟧ ⟦e2⟧⟦23⟧⟦u⟧`)."""
    tok = tst_hf.wrap(base("bert"), variant=variant, group_size=group_size)
    text = "in 2023 paid 1,234,567.891 and 7 or 0.000123 and 12345678901"
    assert tok.decode(tok(text)["input_ids"], skip_special_tokens=True, strict=True) == text


def test_chat_template_is_applied_unchanged() -> None:
    b = base("bpe")
    tok = tst_hf.wrap(b, variant="vocab")
    tok.chat_template = "{% for m in messages %}<|endoftext|>{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
    messages = [{"role": "user", "content": "What is 1,234 + 5?"}, {"role": "assistant", "content": "1,239"}]
    rendered = tok.apply_chat_template(messages, tokenize=False)
    assert rendered == "<|endoftext|>user: What is 1,234 + 5?\n<|endoftext|>assistant: 1,239\n"
    ids = tok.apply_chat_template(messages, tokenize=True, return_dict=True)["input_ids"]
    assert ids == ids_of(tok, rendered)
    assert tok.decode(ids) == rendered


@pytest.mark.parametrize("family", ["bpe", "spm", "bert"])
def test_save_pretrained_then_load_gives_identical_ids(family: str, tmp_path: object) -> None:
    tok = wrapped(family, "vocab")
    tok.save_pretrained(tmp_path)
    config = json.loads((tmp_path / "tokenizer_config.json").read_text())  # type: ignore[operator]
    assert config["tokenizer_class"] == "TSTTokenizerFast" and config["tst_config"] == tok.tst_codec.config()
    assert not (tmp_path / "tokenizer.json").exists()  # type: ignore[operator]
    loaded = tst_hf.load(tmp_path)
    auto = AutoTokenizer.from_pretrained(tmp_path)
    assert type(auto) is type(tok) and auto.tst_base_vocab_size == tok.tst_base_vocab_size
    for text in TEXTS:
        want = tok(text)["input_ids"]
        assert loaded(text)["input_ids"] == want and auto(text)["input_ids"] == want
    # A stock loader finds no tokenizer.json and fails loudly instead of dropping the TST step.
    with pytest.raises((ValueError, OSError)):
        TokenizersBackend.from_pretrained(tmp_path)


def test_saved_over_a_base_checkpoint_the_base_files_go(tmp_path: Path) -> None:
    """A stale base tokenizer.json (or slow vocabulary) would be loaded without TST, silently."""
    b = base("spm")
    b.save_pretrained(tmp_path)
    (tmp_path / "tokenizer.model").write_bytes(b"a SentencePiece model of the base checkpoint")
    (tmp_path / "config.json").write_text("{}")  # the model's: not a tokenizer file
    tok = tst_hf.wrap(b, variant="vocab")
    with pytest.warns(UserWarning, match=r"removed tokenizer\.json, tokenizer\.model from"):
        tok.save_pretrained(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json", "tokenizer_config.json", "tst_tokenizer.json"]
    with pytest.raises((ValueError, OSError)):
        TokenizersBackend.from_pretrained(tmp_path)
    # A route-3 export beside it serves TST: stock loaders may use it, so it stays.
    export = tmp_path / "export"
    tst_hf.export(b, export, variant="vocab")
    tok.save_pretrained(export)
    assert (export / "tokenizer.json").exists()
    assert TokenizersBackend.from_pretrained(export)("Pay 1,234")["input_ids"] == tok("Pay 1,234")["input_ids"]


def test_load_refuses_a_directory_without_a_tst_tokenizer(tmp_path: object) -> None:
    base("bpe").save_pretrained(tmp_path)
    with pytest.raises(tst.TSTError):
        tst_hf.load(tmp_path)


@pytest.mark.parametrize("family", FAMILIES)
def test_base_tokenizer_is_recovered(family: str) -> None:
    tok, b = wrapped(family, "marker"), base(family)
    plain = tok.tst_base_tokenizer()
    assert len(plain) == len(b) and not tst_hf.is_tst_tokenizer(plain)
    for text in [*TEXTS, " thousand"]:
        assert plain(text)["input_ids"] == b(text)["input_ids"]


def test_wrap_refuses_what_it_cannot_do() -> None:
    with pytest.raises(tst.TSTError):
        tst_hf.wrap(wrapped("bpe", "vocab"))
    with pytest.raises(TypeError):
        tst_hf.wrap("not a tokenizer")  # type: ignore[arg-type]
    with pytest.raises(tst.TSTError):
        tst_hf.wrap(base("bpe"), style="paper")


def test_strict_and_lenient_decode_of_malformed_ids() -> None:
    tok = wrapped("bpe", "marker")
    bad = [tok.tst_token_ids["\u27e6k\u27e7"], *ids_of(tok, "x")]  # a marker with no group
    with pytest.raises(tst.TSTDecodeError):
        tok.decode(bad, strict=True)
    assert tok.decode(bad) == "\u27e6k\u27e7x"  # decode never raises on ids: kept verbatim (docs/generation.md)


def test_import_tst_does_not_load_transformers() -> None:
    code = "import sys, tst; print(any(m.split('.')[0] in ('transformers', 'tokenizers') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- settings transformers keeps on the class ---------------------------------------------------


def _class_settings(tok: object) -> tuple[list[str], str, str]:
    return (list(tok.model_input_names), tok.padding_side, tok.truncation_side)  # type: ignore[attr-defined]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("flip", [False, True], ids=["as shipped", "set by the user"])
def test_class_level_settings_survive_wrap_save_load_unwrap_and_export(family: str, flip: bool, tmp_path: Path) -> None:
    """BERT's token_type_ids and Llama's left padding are class attributes of the base: every
    tokenizer built from it (route 1, its reload, its unwrapped base, route 3) keeps them, and
    so do values a user set on the base instance."""
    b = base(family)
    if flip:
        b = tst_hf.wrap(b, "vocab").tst_base_tokenizer()  # a private copy that may be changed
        b.padding_side = "left" if b.padding_side == "right" else "right"
        b.truncation_side = "left"
    want = _class_settings(b)
    wrapped_tok = tst_hf.wrap(b, "vocab")
    saved = str(tmp_path / "route1")
    wrapped_tok.save_pretrained(saved)
    exported = str(tmp_path / "route3")
    tst_hf.export(b, exported, variant="vocab")
    built = {
        "wrap": wrapped_tok,
        "load": tst_hf.load(saved),
        "AutoTokenizer(route 1)": AutoTokenizer.from_pretrained(saved),
        "tst_base_tokenizer": wrapped_tok.tst_base_tokenizer(),
        "AutoTokenizer(route 3)": AutoTokenizer.from_pretrained(exported),
    }
    for name, tok in built.items():
        assert _class_settings(tok) == want, (family, name)
    pair = ("first 1", "second 2.5")
    keys = set(b(*pair))
    for name in ("wrap", "AutoTokenizer(route 3)"):
        got = built[name](*pair)
        assert set(got) == keys, (family, name)
        if "token_type_ids" in keys:  # segment ids: 0 for the first text, 1 for the second
            types = got["token_type_ids"]
            assert types[0] == 0 and types[-1] == 1 and sorted(types) == types, (family, name, types)


@pytest.mark.parametrize("family", ["bpe", "spm"])
def test_tokens_added_after_wrapping_are_kept_whole(family: str, tmp_path: Path) -> None:
    """Found by a new-user trial: ``tok.add_tokens(["42abc"])`` on the wrapped tokenizer returned 1 but
    the token never came out (TST turned its digits into a unit first); added to the base before
    wrapping it worked. Every added token that is not a unit is now kept whole, whenever added."""
    tok = tst_hf.wrap(base(family), variant="vocab")
    assert tok.add_tokens(["42abc"]) == 1
    assert tok.add_special_tokens({"additional_special_tokens": ["<tool7>"]}) == 1
    text = "x 42abc <tool7> 7 and 1,234"
    for t in (tok, (tok.save_pretrained(tmp_path / "t"), tst_hf.load(tmp_path / "t"))[1]):
        enc = t(text, add_special_tokens=False, return_offsets_mapping=True)
        tokens = t.convert_ids_to_tokens(enc["input_ids"])
        assert "42abc" in tokens and "<tool7>" in tokens, tokens
        k = tokens.index("42abc")
        assert text[slice(*enc["offset_mapping"][k])] == "42abc"
        assert t.decode(enc["input_ids"]) == text
        assert t.convert_tokens_to_string(tokens) == text  # read back as decode reads it, not the surface
    with pytest.raises(tst.TSTError, match="may not hold"):
        tok.add_tokens(["a⟦b"])
    plain = tok.tst_base_tokenizer()  # the original base, without the tokens added since
    added = ["42abc", "<tool7>"]
    assert len(plain) == len(base(family))
    assert plain.convert_tokens_to_ids(added) == base(family).convert_tokens_to_ids(added)  # unknown (None or unk)


@pytest.mark.parametrize("family", ["mistral_v3", "mistral_v1", "llama2", "gemma", "t5", "tekken"])
def test_tokens_added_after_wrapping_are_matched_where_the_base_matches_them(family: str, tmp_path: Path) -> None:
    """Class: a token added to the wrapped tokenizer (normalized=True, the default) that the start
    steps would give a word prefix: ``call<tool7>`` split into ``<``, ``tool``, ``7``, ``>`` on the
    SentencePiece layouts of transformers' generic conversion, where the base keeps it whole (a
    new-user trial). Oracle: the base with the same tokens added, on texts without numbers."""
    from tests.hf_families import FAMILIES

    plain = FAMILIES[family].build()  # built afresh: tokens are added to it
    tok = tst_hf.wrap(FAMILIES[family].build(), variant="vocab")
    added = ["<tool7>", "42abc", "Foo"]
    assert tok.add_tokens(added) == 3 and plain.add_tokens(added) == 3
    texts = ["call<tool7>", "x (42abc)", "a <tool7> b", "<tool7> first", "x 42abcy", "aFoo Foo  Foo", "\n<tool7>\n"]
    saved = tmp_path / "t"
    tok.save_pretrained(saved)
    for t in (tok, tst_hf.load(saved)):
        for text in texts:
            assert t.tokenize(text) == plain.tokenize(text), (family, text)
    # The same accessor on both (transformers 5.3's `tokenize` reports a normalized token's form).
    assert tok.tokenize("pay 1,000 to <tool7>")[-1] == plain.tokenize("pay to <tool7>")[-1]


def test_wrap_refuses_a_vocabulary_no_embedding_table_holds() -> None:
    """Found by a new-user trial: the vocab variant at group size 6 (5,556,667 units) ran for
    minutes and took gigabytes before any result; it now fails at once and names the way out."""
    with pytest.raises(tst.TSTError, match=r"adds 5,556,667 tokens .* the marker variant"):
        tst_hf.wrap(base("bpe"), variant="vocab", group_size=6)
    with pytest.raises(tst.TSTError, match=r"adds 1,111,123 tokens .* a smaller group size"):
        tst_hf.wrap(base("bpe"), variant="marker", group_size=6)


def _whitespace_bpe(extra: list[tuple[str, float]] | None = None) -> TokenizersBackend:
    """A BPE on a `Whitespace` pre-tokenizer with no decoder (``tokenizers`` then joins tokens with spaces)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    t = Tokenizer(models.BPE(unk_token="<unk>"))
    t.pre_tokenizer = pre_tokenizers.Whitespace()
    text = ["the cat sat on 12 mats, 3.5 kg, 1,234 x ."] * 20
    t.train_from_iterator(text, trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>"], show_progress=False))
    return TokenizersBackend(tokenizer_object=t, unk_token="<unk>")


@pytest.mark.parametrize("variant", VARIANTS)
@settings(max_examples=40, deadline=None)
@given(parts=hs.lists(hs.sampled_from(["1", "234", ",", ".", " ", "x", "cat", "5e3", "5."]), max_size=10))
def test_a_base_with_no_decoder_decodes_numbers_whole(variant: str, parts: list[str]) -> None:
    """Class: a base with no decoder, whose decode joins every token with a space (a new-user trial:
    ``x 1,234.5`` decoded as ``x ⟦,3⟧ ⟦1k⟧ 234 . ⟦5p⟧``). The units of one number are glued back as
    for WordPiece: the decode holds every character of the text, the spaces between tokens are the base's."""
    tok = _NO_DECODER[variant]
    text = "".join(parts)
    ids = tok(text)["input_ids"]
    out = tok.decode(ids, skip_special_tokens=True)
    # Every character of the text comes back (the vocabulary holds them all): only spaces differ.
    assert out.replace(" ", "") == text.replace(" ", "")
    stream = tst_hf.DecodeStream(skip_special_tokens=True)
    chunks = [c for i in ids if (c := stream.step(tok, i)) is not None]
    assert "".join(chunks) + (stream.flush(tok) or "") == out


_NO_DECODER = {v: tst_hf.wrap(_whitespace_bpe(), variant=v) for v in VARIANTS}


def test_a_base_vocabulary_holding_unit_spellings_is_named() -> None:
    """A vocabulary trained on TST text as plain text holds units as ordinary pieces: the error names them."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    vocab = [("<unk>", 0.0), ("\u2581", -1.0), ("a", -2.0), ("\u27e65\u27e7", -3.0)]
    t = Tokenizer(models.Unigram(vocab + [(c, -5.0) for c in "0123456789kp.,"], unk_id=0))
    t.pre_tokenizer = pre_tokenizers.Metaspace()
    t.decoder = decoders.Metaspace()
    with pytest.raises(tst.TSTError, match=r"already holds 1 TST unit spelling\(s\) \('⟦5⟧'\).*train_from_iterator"):
        tst_hf.wrap(TokenizersBackend(tokenizer_object=t, unk_token="<unk>"), variant="vocab")
