"""Errors raised by `tst.model` when a model and a tokenizer cannot be paired."""

from __future__ import annotations

from tst.errors import TSTError


class NotATSTTokenizerError(TypeError):
    """The tokenizer was not made by `tst.hf.wrap` / `tst.hf.load`, so it has no TST token ids."""


class UnsupportedModelError(TypeError):
    """The model exposes no input embedding matrix that `tst.model` can grow (no `get_input_embeddings`)."""


class VocabularyMismatchError(TSTError):
    """The model's embedding rows do not fit the tokenizer's base vocabulary or its TST ids."""
