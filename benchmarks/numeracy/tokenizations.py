"""The number tokenizations under test, all real `transformers` fast tokenizers.

* ``tst_vocab`` / ``tst_marker``: the package's own `tst.hf.wrap` around a
  character-level base tokenizer (TST turns every number into added tokens,
  so the base only ever sees the operators and the word ``max``).
* ``digits``: one token per digit (Llama/Mistral style), `tokenizers`' ``Digits`` pre-tokenizer.
* ``chunks_l2r``: runs of 1-3 digits cut from the left (GPT-4/Llama-3 style ``\\d{1,3}``).
* ``groups_r2l``: TST's grouping (integer digits in threes from the decimal
  point leftwards, fractional digits in threes rightwards) with plain digit
  tokens and no magnitude markers: it isolates what the markers add.
* ``digits_rev``: the reference row: ``digits`` with the answer written least
  significant digit first (Lee et al. 2023, "Teaching Arithmetic to Small
  Transformers"), so each answer digit depends only on digits already seen.
  It changes the task format, not only the tokenizer, so it is a yardstick of
  what the model can learn, not a rival of TST on equal terms.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

# Torch runs with few threads on shared cores; tokenizers' own pool would oversubscribe them.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast

TOKENIZATIONS = ("tst_vocab", "tst_marker", "digits", "chunks_l2r", "groups_r2l", "digits_rev")
"""Names, in table order."""

TST = ("tst_vocab", "tst_marker")
"""The package's own tokenizations."""

REVERSED = frozenset({"digits_rev"})
"""Tokenizations whose answers are written least significant digit first."""

SPECIALS = ("[PAD]", "[BOS]", "[EOS]", "[UNK]")
WORDS = ("max",)
SYMBOLS = tuple("0123456789+-*=.();")
"""Every character the task prompts and answers use (see tasks.py)."""

_WORD_OR_CHAR = r"[a-z]+|."
# Fractional groups are anchored on the decimal point (lookbehind of fixed lengths, enough for 15 digits);
# integer groups are anchored on the end of the digit run: 1234567.8901 -> 1 234 567 . 890 1.
_FRACTION_GROUP = r"(?<=\.|\.\d{3}|\.\d{6}|\.\d{9}|\.\d{12})\d{1,3}"
_INTEGER_GROUP = r"\d{1,3}(?=(?:\d{3})*(?!\d))"


def _digit_strings() -> list[str]:
    """All 1-3 digit strings, leading zeros included (inner chunks such as ``007`` need them)."""
    return [f"{i:0{n}d}" for n in (1, 2, 3) for i in range(10**n)]


def _fast_tokenizer(pre_tokenizer: Any, extra_tokens: list[str]) -> PreTrainedTokenizerFast:
    """A word-level fast tokenizer: the pre-tokenizer decides the pieces, each piece is one id."""
    tokens = [*SPECIALS, *WORDS, *SYMBOLS, *(t for t in extra_tokens if t not in SYMBOLS)]
    tok = Tokenizer(models.WordLevel({t: i for i, t in enumerate(tokens)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoders.Fuse()  # pieces were cut from one string: join them with nothing in between
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="[PAD]",
        bos_token="[BOS]",
        eos_token="[EOS]",
        unk_token="[UNK]",
        clean_up_tokenization_spaces=False,
    )


def char_base() -> PreTrainedTokenizerFast:
    """Single characters (and the word ``max``): the single-digit baseline and TST's base tokenizer."""
    pre = pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex(_WORD_OR_CHAR), "isolated"), pre_tokenizers.Digits(individual_digits=True)]
    )
    return _fast_tokenizer(pre, [])


def chunks_l2r() -> PreTrainedTokenizerFast:
    """Digit runs cut into 1-3 digit chunks from the left, as GPT-4 and Llama 3 do."""
    pre = pre_tokenizers.Split(Regex(r"\d{1,3}|" + _WORD_OR_CHAR), "isolated")
    return _fast_tokenizer(pre, _digit_strings())


def groups_r2l() -> PreTrainedTokenizerFast:
    """TST's three-digit grouping, without magnitude markers."""
    pattern = f"{_FRACTION_GROUP}|{_INTEGER_GROUP}|{_WORD_OR_CHAR}"
    return _fast_tokenizer(pre_tokenizers.Split(Regex(pattern), "isolated"), _digit_strings())


def tst_wrapped(variant: str) -> PreTrainedTokenizerFast:
    """The package's HF integration around the character-level base."""
    import tst.hf

    tok: PreTrainedTokenizerFast = tst.hf.wrap(char_base(), variant=variant)
    return tok


_BUILDERS: dict[str, Callable[[], PreTrainedTokenizerFast]] = {
    "tst_vocab": lambda: tst_wrapped("vocab"),
    "tst_marker": lambda: tst_wrapped("marker"),
    "digits": char_base,
    "chunks_l2r": chunks_l2r,
    "groups_r2l": groups_r2l,
    "digits_rev": char_base,
}


def build(name: str) -> PreTrainedTokenizerFast:
    """The tokenizer called `name` (one of `TOKENIZATIONS`)."""
    if name not in _BUILDERS:
        raise ValueError(f"unknown tokenization {name!r}; choose from {', '.join(TOKENIZATIONS)}")
    return _BUILDERS[name]()


def reverse_digits(text: str) -> str:
    """`text` with a leading minus sign kept in front and everything after it reversed.

    ``reverse_digits("-120") == "-021"``, ``reverse_digits("12.75") == "57.21"``. It is its own
    inverse on every string, so the answers of a reversed tokenization decode exactly.
    """
    if text.startswith("-"):
        return "-" + text[1:][::-1]
    return text[::-1]


def answer_text(name: str, answer: str) -> str:
    """The answer as tokenization `name` writes it (reversed for `REVERSED`); its own inverse."""
    return reverse_digits(answer) if name in REVERSED else answer


def decode(tok: PreTrainedTokenizerFast, ids: list[int]) -> str:
    """Text of generated ids; TST output that is not valid TST is decoded leniently, never raising."""
    if hasattr(tok, "tst_codec"):
        text: str = tok.decode(ids, skip_special_tokens=True, strict=False)
    else:
        text = tok.decode(ids, skip_special_tokens=True)
    return text
