"""Find a model's embedding matrices and check them against a TST tokenizer.

Every public entry point of `tst.model` starts here, so the errors for a plain
tokenizer, an unsupported model or a mismatched vocabulary are raised in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from tst.model.errors import NotATSTTokenizerError, UnsupportedModelError, VocabularyMismatchError


@dataclass(frozen=True)
class Layout:
    """Where a model keeps its token rows, and which rows TST owns.

    Attributes:
        input: the input embedding module (``model.get_input_embeddings()``).
        output: the output head (``model.get_output_embeddings()``), or None.
        tied: whether the output head shares the input embedding's weight.
        base_size: ``tokenizer.tst_base_vocab_size``: ids below it belong to the base tokenizer.
        token_ids: TST unit string -> id, in the tokenizer's order.
        tokenizer_size: ``len(tokenizer)``.
    """

    input: nn.Module
    output: nn.Module | None
    tied: bool
    base_size: int
    token_ids: dict[str, int]
    tokenizer_size: int

    @property
    def input_weight(self) -> torch.Tensor:
        """The input embedding matrix, ``[rows, dim]``."""
        return weight_of(self.input)

    @property
    def output_weight(self) -> torch.Tensor | None:
        """The output head's matrix (the input matrix when tied), or None."""
        return None if self.output is None else weight_of(self.output)

    @property
    def rows(self) -> int:
        """Rows of the input embedding matrix."""
        return int(self.input_weight.shape[0])

    @property
    def needed_rows(self) -> int:
        """Rows the model must have to give every tokenizer id a row."""
        return max([self.tokenizer_size, *(i + 1 for i in self.token_ids.values())])


def weight_of(module: nn.Module) -> torch.Tensor:
    """`module.weight` as a tensor (typed access for embeddings and heads)."""
    weight = module.weight
    if not isinstance(weight, torch.Tensor):
        raise UnsupportedModelError(f"{type(module).__name__}.weight is not a tensor")
    return weight


def check_tokenizer(tokenizer: Any) -> None:
    """Raise `NotATSTTokenizerError` unless `tokenizer` came from `tst.hf.wrap` / `tst.hf.load`."""
    from tst import hf
    from tst.hf.wrapping import holds_tst_units

    if not hf.is_tst_tokenizer(tokenizer):
        if holds_tst_units(tokenizer):
            # A route-3 directory (tst.hf.export) loaded with stock code: same ids as route 1.
            raise NotATSTTokenizerError(
                f"expected a TST tokenizer (from tst.hf.wrap or tst.hf.load), got {type(tokenizer).__name__} "
                "holding TST units: an exported tokenizer.json (tst.hf.export) gives route 1's ids, so resize "
                "with the route-1 tokenizer of the base it was exported from: tst.hf.wrap(base, variant=...), "
                "with the settings in its tokenizer_config.json (tst_export.codec)"
            )
        raise NotATSTTokenizerError(
            f"expected a TST tokenizer (from tst.hf.wrap or tst.hf.load), got {type(tokenizer).__name__}; "
            "wrap the base tokenizer first: tok = tst.hf.wrap(base)"
        )


def inspect(model: Any, tokenizer: Any) -> Layout:
    """Check `model` against `tokenizer` and describe its embeddings.

    Raises:
        NotATSTTokenizerError: `tokenizer` is not a TST tokenizer.
        UnsupportedModelError: `model` has no usable ``get_input_embeddings()``.
        VocabularyMismatchError: the model has fewer rows than the base
            vocabulary, or an untied output head of a different size.
    """
    check_tokenizer(tokenizer)
    input_emb = _input_embeddings(model)
    output = _output_embeddings(model)
    base_size = int(tokenizer.tst_base_vocab_size)
    token_ids = {str(k): int(v) for k, v in tokenizer.tst_token_ids.items()}
    rows = int(weight_of(input_emb).shape[0])
    name = type(model).__name__
    if rows < base_size:
        raise VocabularyMismatchError(
            f"{name} has {rows} input embedding rows but the tokenizer's base vocabulary has {base_size} tokens: "
            "the tokenizer was not made for this model (or the model was shrunk)"
        )
    low = [t for t, i in token_ids.items() if i < base_size]
    if low:
        raise VocabularyMismatchError(
            f"TST token {low[0]!r} has id {token_ids[low[0]]}, inside the base vocabulary (< {base_size})"
        )
    tied = output is not None and weight_of(output) is weight_of(input_emb)
    if output is not None and not tied:
        out_rows = int(weight_of(output).shape[0])
        if out_rows != rows:
            raise VocabularyMismatchError(
                f"{name}'s output head has {out_rows} rows but its input embedding has {rows}; "
                "tst.model expects both to cover the same vocabulary"
            )
    return Layout(input_emb, output, tied, base_size, token_ids, len(tokenizer))


def _input_embeddings(model: Any) -> nn.Module:
    name = type(model).__name__
    getter = getattr(model, "get_input_embeddings", None)
    if not callable(getter):
        raise UnsupportedModelError(
            f"{name} has no get_input_embeddings(); tst.model supports transformers PreTrainedModel "
            "instances with a token embedding matrix"
        )
    try:
        emb = getter()
    except NotImplementedError as err:
        raise UnsupportedModelError(f"{name}.get_input_embeddings() is not implemented: {err}") from err
    if not isinstance(emb, nn.Embedding):
        raise UnsupportedModelError(
            f"{name}.get_input_embeddings() returned {type(emb).__name__}, not a torch.nn.Embedding"
        )
    return emb


def _output_embeddings(model: Any) -> nn.Module | None:
    getter = getattr(model, "get_output_embeddings", None)
    if not callable(getter):
        return None
    try:
        head = getter()
    except NotImplementedError:
        return None
    if head is None:
        return None
    weight = getattr(head, "weight", None)
    if not isinstance(weight, torch.Tensor) or weight.dim() != 2:
        raise UnsupportedModelError(
            f"{type(model).__name__}'s output head {type(head).__name__} has no 2-D weight matrix"
        )
    if not isinstance(head, nn.Module):
        raise UnsupportedModelError(f"{type(model).__name__}'s output head is not a torch module")
    return head
