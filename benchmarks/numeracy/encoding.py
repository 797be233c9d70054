"""Examples -> token ids under one tokenization, and ids -> model rows."""

from __future__ import annotations

from dataclasses import dataclass

from transformers import PreTrainedTokenizerFast

from benchmarks.numeracy.model import BOS, EOS, IdMap
from benchmarks.numeracy.tasks import Example
from benchmarks.numeracy.tokenizations import reverse_digits


@dataclass(frozen=True)
class Encoded:
    """Token ids of a list of examples (prompt and answer tokenized separately, no specials)."""

    prompts: list[list[int]]
    answers: list[list[int]]

    def tokens_per_example(self) -> float:
        """Mean prompt + answer tokens (specials excluded)."""
        n = len(self.prompts)
        return sum(len(p) + len(a) for p, a in zip(self.prompts, self.answers)) / max(n, 1)

    def used_ids(self) -> set[int]:
        """Every token id that occurs."""
        return {i for seq in (*self.prompts, *self.answers) for i in seq}


def encode(tok: PreTrainedTokenizerFast, examples: list[Example], reverse_answers: bool = False) -> Encoded:
    """Tokenize prompts and answers separately, so the answer's tokens are exactly its own.

    With `reverse_answers` the answers are written least significant digit first (`reverse_digits`).

    Raises:
        ValueError: if the tokenizer maps any piece to its unknown token (the alphabet is incomplete).
    """
    prompts = tok([e.prompt for e in examples], add_special_tokens=False)["input_ids"]
    texts = [reverse_digits(e.answer) if reverse_answers else e.answer for e in examples]
    answers = tok(texts, add_special_tokens=False)["input_ids"]
    unk = tok.unk_token_id
    for k, seq in enumerate((*prompts, *answers)):
        if unk in seq:
            ex = examples[k % len(examples)]
            raise ValueError(f"unknown token while encoding {ex.prompt!r} -> {ex.answer!r}")
    return Encoded(prompts, answers)


@dataclass(frozen=True)
class Rows:
    """Examples as model rows: ``[BOS] prompt`` and ``answer [EOS]``."""

    prompts: list[list[int]]
    answers: list[list[int]]


def to_rows(enc: Encoded, id_map: IdMap) -> Rows:
    """Map token ids to model rows and add the BOS/EOS rows."""
    return Rows(
        [[BOS, *id_map.rows(p)] for p in enc.prompts],
        [[*id_map.rows(a), EOS] for a in enc.answers],
    )
