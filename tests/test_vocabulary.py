"""Vocabulary: exact token lists, their sizes, and the D8 table in docs/."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import tst
from tst.settings import Settings
from tst.vocabulary import vocabulary, vocabulary_size

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("variant", ["marker", "vocab"])
@pytest.mark.parametrize("style", ["exact", "paper"])
@pytest.mark.parametrize("group_size", [1, 2, 3, 4])
@pytest.mark.parametrize(("int_digits", "frac_digits"), [(18, 15), (12, 6), (5, 0), (3, 2)])
def test_size_formula_matches_list(
    variant: str, style: str, group_size: int, int_digits: int, frac_digits: int
) -> None:
    st = Settings(variant=variant, style=style, group_size=group_size, int_digits=int_digits, frac_digits=frac_digits)
    vocab = vocabulary(st)
    assert len(vocab) == len(set(vocab)) == vocabulary_size(st)


def test_paper_budget_figures() -> None:
    # 7 default separators, each with a Western grouping tag (and an Indian one with indian=True)
    assert len(tst.Codec(variant="vocab").vocabulary()) == 11 * 1110 + 7
    assert len(tst.Codec(variant="marker").vocabulary()) == 1110 + 11 + 7
    assert len(tst.Codec(variant="vocab", indian=True).vocabulary()) == 11 * 1110 + 14
    assert len(tst.Codec(variant="vocab", style="paper").vocabulary()) == 6 * 1110 + 5 * 1000


def test_stable_order() -> None:
    vocab = tst.Codec(variant="vocab").vocabulary()
    assert vocab[:3] == ["⟦0q⟧", "⟦1q⟧", "⟦2q⟧"]
    assert vocab.index("⟦999⟧") < vocab.index("⟦0p⟧") < vocab.index("⟦0pp⟧")
    marker = tst.Codec(variant="marker").vocabulary()
    assert marker[:12] == ["⟦q⟧", "⟦t⟧", "⟦b⟧", "⟦m⟧", "⟦k⟧", "⟦u⟧", "⟦p⟧", "⟦pp⟧", "⟦ppp⟧", "⟦pppp⟧", "⟦ppppp⟧", "⟦0⟧"]
    assert tst.Codec(variant="vocab").vocabulary() == vocab


def test_every_emitted_unit_is_in_vocabulary() -> None:
    text = "0.000000000000001 999999999999999999 12,34,567 1\u2009234 1'000 1_000 007 .5"
    for variant in ("marker", "vocab"):
        codec = tst.Codec(variant=variant)
        encoded, pieces = codec.encode_with_offsets(text)
        vocab = set(codec.vocabulary())
        assert {encoded[a:b] for a, b, _, _ in pieces} <= vocab


def test_docs_table_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_vocab_table", ROOT / "scripts" / "gen_vocab_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.HEADER + tst.vocabulary.size_table()
    assert (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8") == expected
