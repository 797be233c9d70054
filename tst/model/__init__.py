"""Model integration: embedding rows for TST tokens, and training only those rows.

Needs the ``model`` extra (torch + transformers). Importing `tst.model` is cheap;
torch and transformers load on first use of a name below (a ModuleNotFoundError
naming the extra when they are missing).

Example:
    >>> import tst.hf, tst.model  # doctest: +SKIP
    >>> tok = tst.hf.wrap(base_tokenizer)  # doctest: +SKIP
    >>> report = tst.model.resize_embeddings(model, tok, init="composed")  # doctest: +SKIP
    >>> handle = tst.model.train_only_new_tokens(model, tok)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tst._extras import missing_extra

if TYPE_CHECKING:
    from tst.model.errors import NotATSTTokenizerError, UnsupportedModelError, VocabularyMismatchError
    from tst.model.report import ResizeReport
    from tst.model.resize import INITS, resize_embeddings
    from tst.model.stats import NormStats
    from tst.model.train import NewTokenTraining, peft_config_for_new_tokens, train_only_new_tokens

__all__ = [
    "INITS",
    "NewTokenTraining",
    "NormStats",
    "NotATSTTokenizerError",
    "ResizeReport",
    "UnsupportedModelError",
    "VocabularyMismatchError",
    "peft_config_for_new_tokens",
    "resize_embeddings",
    "train_only_new_tokens",
]

_WHERE = {
    "INITS": "tst.model.resize",
    "resize_embeddings": "tst.model.resize",
    "ResizeReport": "tst.model.report",
    "NormStats": "tst.model.stats",
    "NewTokenTraining": "tst.model.train",
    "train_only_new_tokens": "tst.model.train",
    "peft_config_for_new_tokens": "tst.model.train",
    "NotATSTTokenizerError": "tst.model.errors",
    "UnsupportedModelError": "tst.model.errors",
    "VocabularyMismatchError": "tst.model.errors",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tst.model' has no attribute {name!r}")
    try:
        value = getattr(importlib.import_module(module), name)
    except ImportError as exc:
        hint = missing_extra(exc, "model", f"tst.model.{name}")
        if hint is None:
            raise
        raise hint from exc
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
