"""Load HuggingFace tokenizers from local directories for ``stats`` and ``export`` (offline)."""

from __future__ import annotations

import os
from typing import Any

from tst.cli.options import CLIError
from tst.codec import Codec


def load_base(directory: str) -> Any:
    """A fast tokenizer from `directory` (no network), or CLIError saying what is wrong."""
    if not os.path.isdir(directory):
        raise CLIError(f"--tokenizer {directory}: not a directory")
    try:
        from transformers import AutoTokenizer, PreTrainedTokenizerFast
    except ImportError as exc:
        raise CLIError(f"tokenizers need the HF extra (pip install 'tst-tokenizer[hf]'): {exc}") from None
    try:
        tok = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    except Exception as exc:  # transformers raises many types for unusable directories
        raise CLIError(f"cannot load a tokenizer from {directory}: {exc}") from None
    if not isinstance(tok, PreTrainedTokenizerFast):
        raise CLIError(
            f"{directory} holds a slow tokenizer ({type(tok).__name__}); TST needs a fast one (tokenizer.json)"
        )
    return tok


def load_for_stats(directory: str, codec_settings: dict[str, Any]) -> tuple[Any, Codec]:
    """The base `tokenizers.Tokenizer` and the codec; a saved TST tokenizer brings its own codec."""
    if os.path.isfile(os.path.join(directory, "tst_tokenizer.json")):
        if codec_settings:
            raise CLIError(f"{directory} is a saved TST tokenizer with its own codec settings; drop the codec flags")
        try:
            import tst.hf as hf

            wrapped = hf.load(directory)
        except Exception as exc:  # ImportError, or whatever a broken directory raises
            raise CLIError(f"cannot load the TST tokenizer in {directory}: {exc}") from None
        return wrapped.tst_base_tokenizer().backend_tokenizer, wrapped.tst_codec
    base = load_base(directory)
    try:
        codec = Codec(**codec_settings)
    except (ValueError, TypeError) as exc:
        raise CLIError(f"invalid codec settings: {exc}") from None
    if codec.settings.style != "exact":
        raise CLIError("stats needs style=exact: the paper style is lossy and has no offsets")
    return base.backend_tokenizer, codec
