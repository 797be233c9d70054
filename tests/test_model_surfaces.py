"""The surfaces each TST token is composed from (pure Python, no torch)."""

from __future__ import annotations

import pytest

import tst
from tst.model.surfaces import Recipe, fraction_word, magnitude_word, recipe


@pytest.mark.parametrize(
    ("token", "group_size", "expected"),
    [
        ("⟦345k⟧", 3, Recipe("fused", (("345", 0.5), (" thousand", 0.5)))),
        ("⟦678⟧", 3, Recipe("group", (("678", 1.0),))),
        ("⟦007⟧", 3, Recipe("group", (("007", 1.0),))),
        ("⟦123p⟧", 3, Recipe("fused", (("123", 0.5), (" thousandths", 0.5)))),
        ("⟦4pp⟧", 3, Recipe("fused", (("4", 0.5), (" millionths", 0.5)))),
        ("⟦12e18⟧", 3, Recipe("fused", (("12", 0.5), (" quintillion", 0.5)))),
        ("⟦1234e4⟧", 4, Recipe("fused", (("1234", 0.5), (" ten thousand", 0.5)))),
        ("⟦5pp⟧", 2, Recipe("fused", (("5", 0.5), (" ten thousandths", 0.5)))),
        ("⟦k⟧", 3, Recipe("marker", ((" thousand", 1.0),))),
        ("⟦q⟧", 3, Recipe("marker", ((" quadrillion", 1.0),))),
        ("⟦u⟧", 3, Recipe("marker", ((" units", 1.0),))),
        ("⟦p⟧", 3, Recipe("marker", ((" thousandths", 1.0),))),
        ("⟦pp⟧", 1, Recipe("marker", ((" hundredths", 1.0),))),
        ("⟦e3⟧", 1, Recipe("marker", ((" thousand", 1.0),))),
        ("⟦,3⟧", 3, Recipe("tag", ((",", 0.5), (" thousand", 0.5)))),
        ("⟦,2⟧", 3, Recipe("tag", ((",", 0.5), (" lakh", 0.5)))),
        ("⟦\u20093⟧", 3, Recipe("tag", (("\u2009", 0.5), (" thousand", 0.5)))),
        ("⟦⟦⟧", 3, Recipe("escape", (("⟦", 1.0),))),
        ("⟦⟧⟧", 3, Recipe("escape", (("⟧", 1.0),))),
        ("hello", 3, Recipe("other", (("hello", 1.0),))),
        ("⟦e3⟧", 3, Recipe("other", (("⟦e3⟧", 1.0),))),  # not canonical with groups of three
    ],
)
def test_recipe(token: str, group_size: int, expected: Recipe) -> None:
    assert recipe(token, group_size) == expected


@pytest.mark.parametrize(
    ("power", "word"),
    [(1, " ten"), (2, " hundred"), (3, " thousand"), (5, " hundred thousand"), (6, " million"), (9, " billion"),
     (12, " trillion"), (15, " quadrillion"), (21, " sextillion"), (33, " decillion"), (35, " hundred decillion"),
     (36, " ten to the 36")],
)  # fmt: skip
def test_magnitude_word(power: int, word: str) -> None:
    assert magnitude_word(power) == word


def test_magnitude_word_rejects_units() -> None:
    with pytest.raises(ValueError, match="power must be >= 1"):
        magnitude_word(0)


@pytest.mark.parametrize(
    ("depth", "group_size", "word"),
    [(1, 3, " thousandths"), (2, 3, " millionths"), (5, 3, " quadrillionths"), (1, 2, " hundredths"),
     (3, 1, " thousandths"), (1, 6, " millionths"), (7, 6, " ten to the minus 42")],
)  # fmt: skip
def test_fraction_word(depth: int, group_size: int, word: str) -> None:
    assert fraction_word(depth, group_size) == word


@pytest.mark.parametrize("variant", ["marker", "vocab"])
@pytest.mark.parametrize("group_size", [1, 2, 3, 4])
def test_every_vocabulary_token_has_a_meaningful_recipe(variant: str, group_size: int) -> None:
    codec = tst.Codec(variant=variant, group_size=group_size, int_digits=24, frac_digits=18)
    for token in codec.vocabulary():
        r = recipe(token, group_size)
        assert r.kind != "other", token
        assert abs(sum(w for _, w in r.parts) - 1.0) < 1e-12
        assert all(surface for surface, _ in r.parts), token


def test_tags_of_one_separator_differ_and_magnitudes_are_distinct() -> None:
    vocab = tst.Codec(variant="marker", indian=True).vocabulary()
    tags = [recipe(t, 3) for t in vocab if recipe(t, 3).kind == "tag"]
    assert len({r.parts for r in tags}) == len(tags) == 14
    markers = [recipe(t, 3).parts for t in vocab if recipe(t, 3).kind == "marker"]
    assert len(set(markers)) == len(markers) == 11


def test_docstring_examples() -> None:
    import doctest

    import tst.model.surfaces

    assert doctest.testmod(tst.model.surfaces).failed == 0


def test_import_tst_model_is_cheap() -> None:
    """`import tst.model` must not pull in torch or transformers (they load on first use)."""
    import subprocess
    import sys

    code = "import sys, tst.model; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
