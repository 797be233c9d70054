"""Files of a saved route-1 tokenizer, and taking the base back out of one.

Shared by `tst.hf.tokenizer` and `tst.hf.wrapping` (so neither imports the other
both ways).
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from transformers import PreTrainedTokenizerFast

from tst.hf._pipeline import restore
from tst.spelling import CLOSE, OPEN

#: File holding the wrapped pipeline; deliberately not ``tokenizer.json``, so a
#: stock loader without `tst` fails loudly instead of skipping the TST step.
TST_TOKENIZER_FILE = "tst_tokenizer.json"
#: The tokenizer settings file transformers writes beside it.
CONFIG_FILE = "tokenizer_config.json"
#: The pipeline file of a plain fast tokenizer.
PLAIN_FILE = "tokenizer.json"
#: Vocabulary files from which a stock loader builds a tokenizer when a folder has no
#: tokenizer.json (it converts them: SentencePiece, BPE, WordPiece, tekken files of base checkpoints).
BASE_VOCAB_FILES = (
    "tokenizer.model",
    "spiece.model",
    "sentencepiece.bpe.model",
    "vocab.json",
    "merges.txt",
    "vocab.txt",
    "tekken.json",
)


def clear_base_files(directory: str) -> list[str]:
    """Remove from `directory` the files a stock loader would build the base tokenizer from, without TST.

    A route-1 tokenizer saves ``tst_tokenizer.json`` so that a loader without `tst.hf` fails
    instead of tokenizing without TST. Saved over a base checkpoint, the base's ``tokenizer.json``
    (or, without it, its slow vocabulary files) would be loaded instead, silently: these are the
    files `save_pretrained` of a plain tokenizer would have overwritten. A ``tokenizer.json`` that
    holds TST units (a route-3 export, which serves TST) is kept, and so are the files beside it.

    Returns:
        The names removed (empty when none).
    """
    removed: list[str] = []
    plain = os.path.join(directory, PLAIN_FILE)
    if os.path.isfile(plain):
        with open(plain, encoding="utf-8") as f:
            added = json.load(f).get("added_tokens") or []
        if any(str(t.get("content", "")).startswith(OPEN) and str(t.get("content", "")).endswith(CLOSE) for t in added):
            return removed
        os.remove(plain)
        removed.append(PLAIN_FILE)
    for name in BASE_VOCAB_FILES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            os.remove(path)
            removed.append(name)
    return removed


def class_settings(tok: PreTrainedTokenizerFast) -> dict[str, Any]:
    """The settings of `tok` that transformers may hold as class attributes, as init kwargs.

    BERT's ``model_input_names`` (with ``token_type_ids``) and Llama's ``padding_side="left"``
    are attributes of their classes, written to tokenizer_config.json only when passed to
    the constructor; a tokenizer rebuilt under another class (`TSTTokenizerFast`, the
    export's ``PreTrainedTokenizerFast``) would fall back to that class's defaults (no segment
    ids for sentence pairs, right padding for batched generation) unless they travel with it.
    The instance's values are taken, so a base whose ``padding_side`` the user set keeps it.
    """
    return {
        "model_input_names": list(tok.model_input_names),
        "padding_side": tok.padding_side,
        "truncation_side": tok.truncation_side,
    }


def unwrap(tok: PreTrainedTokenizerFast, base_size: int, pipeline: Any) -> PreTrainedTokenizerFast:
    """The base of a route-1 tokenizer `tok`: same pipeline and settings, without TST tokens or TST step.

    `base_size` is the base's vocabulary size; `pipeline` what `adapt` changed in the base pipeline.
    """
    with tempfile.TemporaryDirectory(prefix="tst-unwrap-") as tmp:
        tok.save_pretrained(tmp)
        src = os.path.join(tmp, TST_TOKENIZER_FILE)
        with open(src, encoding="utf-8") as f:
            data = json.load(f)
        data["added_tokens"] = [t for t in data["added_tokens"] if t["id"] < base_size]
        restore(data, pipeline)
        with open(os.path.join(tmp, PLAIN_FILE), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.remove(src)
        # Tokens added to the wrapper after wrapping are not the base's: special ones go from the config too.
        edit_config(
            tmp,
            drop=("tst_config", "tst_base_vocab_size", "tst_pipeline", "auto_map"),
            set_class="PreTrainedTokenizerFast",
            specials={t["content"] for t in data["added_tokens"]},
        )
        base: PreTrainedTokenizerFast = PreTrainedTokenizerFast.from_pretrained(tmp)
    base.name_or_path = tok.name_or_path
    return base


def edit_config(
    directory: str, drop: tuple[str, ...] = (), set_class: str | None = None, specials: set[str] | None = None
) -> None:
    """Drop keys from, and optionally set the class in, the tokenizer_config.json of `directory`;
    with `specials`, the lists of extra special tokens keep only those."""
    path = os.path.join(directory, CONFIG_FILE)
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    for key in drop:
        config.pop(key, None)
    if set_class is not None:
        config["tokenizer_class"] = set_class
    for key in ("extra_special_tokens", "additional_special_tokens"):
        if specials is not None and isinstance(config.get(key), list):
            config[key] = [t for t in config[key] if (t.get("content") if isinstance(t, dict) else t) in specials]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=2)
