"""Injection safety: literal unit spellings in user text never become TST ids, and decode back."""

from __future__ import annotations

import re

import pytest
from tokenizers import Tokenizer

import tst
import tst.hf as tst_hf
from tests.hf_support import FAMILIES, LOSSLESS, base, base_round_trips, wrapped

LITERALS = [
    "\u27e61k\u27e7",
    "\u27e6u\u27e7",
    "\u27e6,3\u27e7",
    "\u27e6345k\u27e7",
    "\u27e6p\u27e7",
    "\u27e6\u27e6\u27e7",
    "\u27e6\u27e7\u27e7",
]
CONTEXTS = ["{}", "x {} y", "{}{}", "12{}", "{}3.5", "\u27e6{}\u27e7", "<|endoftext|>{}"]


def texts() -> list[str]:
    return [c.format(lit, lit) if c.count("{}") == 2 else c.format(lit) for lit in LITERALS for c in CONTEXTS]


def tst_ids_in(tok: object, ids: list[int]) -> list[int]:
    return [i for i in ids if i >= tok.tst_base_vocab_size]  # type: ignore[attr-defined]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_wrapped_route_never_reads_user_text_as_units(family: str, variant: str) -> None:
    tok = wrapped(family, variant)
    codec = tok.tst_codec
    for text in texts():
        ids = tok(text, add_special_tokens=False)["input_ids"]
        # Only the units of real numbers in the text may appear.
        expected = [u for u in codec.encode(text).split("\u27e6") if u]  # cheap count of unit openings
        got = [tok.convert_ids_to_tokens(i) for i in tst_ids_in(tok, ids)]
        assert all(t[1:-1] and (t[1].isdigit() or t[1:-1] in ("u", "k", "p")) for t in got), text
        assert len(got) == sum(1 for n in codec.numbers(text) for _ in n.groups) * (
            1 if variant == "vocab" else 2
        ) + sum(1 for n in codec.numbers(text) if n.separator), (text, got, expected)
        if family in LOSSLESS and base_round_trips(family, text):
            assert tok.decode(ids) == text


@pytest.mark.parametrize("family", ["bpe", "spm"])
def test_plugin_route_never_reads_user_text_as_units(family: str) -> None:
    tok = Tokenizer.from_str(base(family).backend_tokenizer.to_str())
    tok.no_padding()
    tst_hf.install(tok, tst.Codec(variant="vocab"))
    ref = wrapped(family, "vocab")
    for text in texts():
        ids = tok.encode(text, add_special_tokens=False).ids
        whole = text.removeprefix("<|endoftext|>")
        if whole in LITERALS and re.fullmatch("\u27e6[^\u27e6\u27e7]+\u27e7", whole):
            # Route 2 is made of route 3's rules: a segment that is exactly one unit spelling
            # matches that unit (the documented gap, which covers names).
            assert not tst_hf.covers(text, ref.tst_codec), text
            continue
        assert ids == ref(text, add_special_tokens=False)["input_ids"], text
        # Embedded in other text, a literal unit is escaped: never its id, and it decodes back.
        literal_ids = {ref.tst_token_ids.get(lit) for lit in LITERALS if lit in text}
        assert not literal_ids & set(ids), text


def test_export_inside_text_is_safe_and_a_whole_unit_segment_is_not_covered(tmp_path: object) -> None:
    tst_hf.export(base("bpe"), tmp_path, variant="vocab")
    stock = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))  # type: ignore[operator]
    ref = wrapped("bpe", "vocab")
    for text in texts():
        if re.search("\u27e6[^\u27e6\u27e7]+\u27e7", text):
            assert not tst_hf.covers(text, ref.tst_codec), text
        ids = stock.encode(text, add_special_tokens=False).ids
        if text not in LITERALS and not text.startswith("<|endoftext|>"):
            # Embedded in other text, a literal unit is escaped: never its id, and it decodes back.
            literal_ids = {ref.tst_token_ids.get(lit) for lit in LITERALS if lit in text}
            assert not literal_ids & set(ids), text
            assert stock.decode(ids) == text
    # The documented limit: a segment that is exactly one unit matches that unit's id.
    assert stock.encode("\u27e61k\u27e7", add_special_tokens=False).ids == [ref.tst_token_ids["\u27e61k\u27e7"]]
