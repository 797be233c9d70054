"""The tiny decoder-only transformer, identical for every tokenization.

A Llama-style model (rotary positions, so positions beyond the training
lengths are not untrained embedding rows) from `transformers`, initialised from
scratch. The body (attention, feed-forward and norm layers) has the same shape
and, for a given seed, the same initial weights under every tokenization. The
embedding table (tied to the output layer) has one row per token id the run's
data uses (`IdMap`): its size is the tokenization's own, and is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import torch
from transformers import LlamaConfig, LlamaForCausalLM

PAD, BOS, EOS = 0, 1, 2
"""Model rows of the special tokens (the same for every tokenization)."""


@dataclass(frozen=True)
class ModelSize:
    """Shape of the transformer body."""

    d_model: int
    layers: int
    heads: int
    d_ff: int
    max_positions: int = 256


class IdMap:
    """Tokenizer ids <-> model rows, for the ids this run's data actually uses.

    The vocab variant of TST adds ~13,000 tokens for the full 10^-15..10^18 range;
    a task uses a few thousand of them. Rows for ids that occur only in a test
    set (e.g. the 10^6 groups of 7-8 digit operands when training stops at 6
    digits) exist and stay untrained, as they would in a full-size table.
    """

    def __init__(self, pad: int, bos: int, eos: int, used: Iterable[int]) -> None:
        specials = [pad, bos, eos]
        self.to_tok = specials + sorted(set(used) - set(specials))
        self.to_row = {t: r for r, t in enumerate(self.to_tok)}

    def __len__(self) -> int:
        return len(self.to_tok)

    def rows(self, ids: Iterable[int]) -> list[int]:
        """Model rows of tokenizer ids."""
        return [self.to_row[i] for i in ids]

    def ids(self, rows: Iterable[int]) -> list[int]:
        """Tokenizer ids of model rows; rows past the used ones (padding rows) are dropped."""
        return [self.to_tok[r] for r in rows if r < len(self.to_tok)]


def _config(size: ModelSize, rows: int) -> LlamaConfig:
    return LlamaConfig(
        vocab_size=rows,
        hidden_size=size.d_model,
        num_hidden_layers=size.layers,
        num_attention_heads=size.heads,
        num_key_value_heads=size.heads,
        intermediate_size=size.d_ff,
        max_position_embeddings=size.max_positions,
        tie_word_embeddings=True,
        pad_token_id=PAD,
        bos_token_id=BOS,
        eos_token_id=EOS,
    )


def build_model(size: ModelSize, rows: int, seed: int) -> LlamaForCausalLM:
    """A freshly initialised model with `rows` embedding rows (tied input/output embeddings).

    The body's initial weights depend on `seed` and `size` only, not on `rows`: they are drawn in a
    model with a fixed 3-row table and copied, so every tokenization starts from the same body.
    """
    torch.manual_seed(seed)
    reference = LlamaForCausalLM(_config(size, 3))
    model = LlamaForCausalLM(_config(size, rows))
    body = {k: v for k, v in reference.state_dict().items() if not k.startswith(("model.embed_tokens", "lm_head"))}
    missing, unexpected = model.load_state_dict(body, strict=False)
    if unexpected or any(not k.startswith(("model.embed_tokens", "lm_head")) for k in missing):
        raise RuntimeError(f"body weights did not transfer: missing {missing}, unexpected {unexpected}")
    return model


def parameter_counts(model: LlamaForCausalLM, used_rows: int) -> dict[str, int]:
    """Total parameters, the embedding table's share, the body's, and how many rows the data uses."""
    total = sum(p.numel() for p in model.parameters())  # tied weights are counted once
    embedding = model.get_input_embeddings().weight.numel()
    return {"total": total, "embedding": embedding, "body": total - embedding, "embedding_rows_used": used_rows}
