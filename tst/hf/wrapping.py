"""`wrap`, `load`, `is_tst_tokenizer`: building and reloading route-1 tokenizers."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from transformers import PreTrainedTokenizerFast

from tst.codec import Codec
from tst.errors import TSTError
from tst.hf._saved import CONFIG_FILE, PLAIN_FILE, TST_TOKENIZER_FILE, class_settings, edit_config
from tst.hf.tokenizer import TSTTokenizerFast
from tst.spelling import CLOSE, OPEN
from tst.vocabulary import vocabulary_size

#: The most units `wrap` adds. Above it (group size 6: 5,556,667 tokens in the vocab variant,
#: 1,111,123 in the marker variant) `transformers` takes minutes and gigabytes to add them, and
#: each is an embedding row to train; group size 5 (667,777 and 111,124) stays allowed.
MAX_UNITS = 1_000_000


def wrap(base: PreTrainedTokenizerFast, variant: str = "marker", **codec_kwargs: Any) -> TSTTokenizerFast:
    """Wrap a fast tokenizer so that it applies TST to every text it encodes.

    Args:
        base: any `transformers.PreTrainedTokenizerFast` (it is not modified).
        variant: ``"marker"`` or ``"vocab"`` (see `tst.Codec`).
        **codec_kwargs: further `tst.Codec` settings (group_size, decimal, ...).

    Returns:
        A `TSTTokenizerFast` with the TST units appended to the vocabulary as
        ids ``len(base) ..``, in `Codec.vocabulary()` order.

    Raises:
        TSTError: `base` applies TST already, or the configuration adds more than
            `MAX_UNITS` tokens.

    Example:
        >>> tok = wrap(base, variant="vocab")            # doctest: +SKIP
        >>> tok.decode(tok("Pay $1,234.5")["input_ids"])  # doctest: +SKIP
        'Pay $1,234.5'
    """
    if is_tst_tokenizer(base):
        raise TSTError("this tokenizer applies TST already; wrap its tst_base_tokenizer() instead")
    if not isinstance(base, PreTrainedTokenizerFast):
        raise TypeError(f"wrap expects a transformers PreTrainedTokenizerFast, not {type(base).__name__}")
    codec = Codec(variant=variant, **codec_kwargs)
    size = vocabulary_size(codec.settings)
    if size > MAX_UNITS:
        other = "the marker variant or a smaller group size or range" if variant == "vocab" else "a smaller group size"
        raise TSTError(
            f"this configuration adds {size:,} tokens (docs/vocabulary.md), more than a tokenizer and an "
            f"embedding table can hold in practice (limit {MAX_UNITS:,}); {other} needs far fewer"
        )
    with tempfile.TemporaryDirectory(prefix="tst-wrap-") as tmp:
        base.save_pretrained(tmp)
        os.replace(os.path.join(tmp, PLAIN_FILE), os.path.join(tmp, TST_TOKENIZER_FILE))
        edit_config(tmp, drop=("auto_map", "tokenizer_class"))
        tok: TSTTokenizerFast = TSTTokenizerFast.from_pretrained(tmp, tst_config=codec.config(), **class_settings(base))
    tok.name_or_path = base.name_or_path
    if codec.backend != tok.tst_codec.backend:
        tok.tst_codec = codec
    return tok


def load(directory: str | os.PathLike[str], **kwargs: Any) -> TSTTokenizerFast:
    """Load a tokenizer saved by `TSTTokenizerFast.save_pretrained`."""
    path = Path(directory)
    config_path = path / CONFIG_FILE
    if not (path / TST_TOKENIZER_FILE).is_file() or not config_path.is_file():
        raise TSTError(f"{path} holds no TST tokenizer (expected {TST_TOKENIZER_FILE} and {CONFIG_FILE})")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if "tst_config" not in config:
        raise TSTError(f"{config_path} has no tst_config: it was not written by a TST tokenizer")
    tok: TSTTokenizerFast = TSTTokenizerFast.from_pretrained(str(path), **kwargs)
    return tok


def is_tst_tokenizer(obj: object) -> bool:
    """Whether `obj` is a tokenizer that applies TST (route 1)."""
    return isinstance(obj, TSTTokenizerFast)


def holds_tst_units(obj: object) -> bool:
    """Whether `obj` (no route-1 tokenizer) has added tokens with TST brackets: an export loaded with stock code."""
    added = getattr(obj, "added_tokens_decoder", None)
    return isinstance(added, dict) and any(OPEN in str(t) or CLOSE in str(t) for t in added.values())


def not_tst_message(obj: object, what: str) -> str:
    """The error for `what` given `obj`, which is no route-1 tokenizer, with the way out.

    A tokenizer holding TST units without being one is an export (route 3) loaded with stock
    code: its ids are route 1's, so the route-1 tokenizer of the same base serves.
    """
    if holds_tst_units(obj):
        return (
            f"{what} needs a TST tokenizer (tst.hf.wrap), not {type(obj).__name__} holding TST units: an exported "
            "tokenizer.json (tst.hf.export) gives route 1's ids, so use the route-1 tokenizer of the base it was "
            "exported from, tst.hf.wrap(base, variant=...), with the settings in its tokenizer_config.json "
            "(tst_export.codec)"
        )
    return f"{what} needs a TST tokenizer (tst.hf.wrap), not {type(obj).__name__}"
