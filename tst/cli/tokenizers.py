"""Load HuggingFace tokenizers from local paths for ``stats`` and ``export`` (offline).

Nothing here imports `tokenizers` or `transformers` before the path is known to
hold a tokenizer: a wrong path fails at once, without their import time.
"""

from __future__ import annotations

import os
from typing import Any

from tst._extras import install_hint
from tst.cli.options import CLIError
from tst.codec import Codec
from tst.spelling import CLOSE, OPEN

#: Files `AutoTokenizer.from_pretrained` builds a tokenizer from (fast file, config, slow vocabularies),
#: and the file a TST-wrapped tokenizer saves.
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "tokenizer.model",
    "spiece.model",
    "sentencepiece.bpe.model",
    "vocab.json",
    "vocab.txt",
    "tekken.json",
    "tst_tokenizer.json",
)


def check_directory(directory: str) -> None:
    """CLIError unless `directory` is a directory holding at least one tokenizer file."""
    if not os.path.exists(directory):
        raise CLIError(f"--tokenizer {directory}: no such directory (the folder holding tokenizer.json, ...)")
    if not os.path.isdir(directory):
        raise CLIError(f"--tokenizer {directory}: not a directory (pass the folder that holds the tokenizer files)")
    if not any(os.path.isfile(os.path.join(directory, name)) for name in TOKENIZER_FILES):
        raise CLIError(f"no tokenizer found in {directory} (looked for {', '.join(TOKENIZER_FILES)})")


def load_base(directory: str) -> Any:
    """A fast tokenizer from `directory` (no network), or CLIError saying what is wrong."""
    check_directory(directory)
    try:
        from transformers import AutoTokenizer, PreTrainedTokenizerFast
    except ImportError as exc:
        raise CLIError(f"tokenizers need the hf extra ({install_hint('hf')}): {exc}") from None
    try:
        tok = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    except Exception as exc:  # transformers raises many types for unusable directories
        raise CLIError(f"cannot load a tokenizer from {directory}: {exc}") from None
    if not isinstance(tok, PreTrainedTokenizerFast):
        raise CLIError(
            f"{directory} holds a slow tokenizer ({type(tok).__name__}); TST needs a fast one (tokenizer.json)"
        )
    return tok


def load_file(path: str) -> Any:
    """A `tokenizers.Tokenizer` from a tokenizer.json file, as the file says (transformers is not imported)."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise CLIError(f"tokenizers need the hf extra ({install_hint('hf')}): {exc}") from None
    try:
        return Tokenizer.from_file(path)
    except Exception as exc:  # tokenizers raises plain Exception for unreadable files
        raise CLIError(f"cannot load a tokenizer from {path}: {exc}") from None


def load_for_stats(path: str, codec_settings: dict[str, Any]) -> tuple[Any, Codec]:
    """The base `tokenizers.Tokenizer` and the codec; a saved TST tokenizer brings its own codec.

    `path` is a tokenizer directory (loaded as `AutoTokenizer` loads it, which
    applies tokenizer_config.json) or a tokenizer.json file (loaded as is, by
    `tokenizers` alone: much lighter, as transformers imports torch when installed).
    """
    if os.path.isfile(path):
        return _not_tst(load_file(path), path), _codec(codec_settings)
    check_directory(path)
    if os.path.isfile(os.path.join(path, "tst_tokenizer.json")):
        if codec_settings:
            raise CLIError(f"{path} is a saved TST tokenizer with its own codec settings; drop the codec flags")
        try:
            import tst.hf as hf

            wrapped = hf.load(path)
        except Exception as exc:  # ImportError, or whatever a broken directory raises
            raise CLIError(f"cannot load the TST tokenizer in {path}: {exc}") from None
        return wrapped.tst_base_tokenizer().backend_tokenizer, wrapped.tst_codec
    base = load_base(path)
    return _not_tst(base.backend_tokenizer, path), _codec(codec_settings)


def _not_tst(tokenizer: Any, path: str) -> Any:
    """`tokenizer` if it holds no TST unit; a tst export (or a copy of a wrapped pipeline) is refused.

    Stats compare a base before and after TST: counted again, an export's units would be split
    by the codec's own (the trial that found it read 1.00x and 1.15x where the base gives 0.88x).
    The check of `tst.hf.wrapping.holds_tst_units`, on a `tokenizers.Tokenizer`: importing
    `tst.hf` would import transformers, which a tokenizer.json alone does not need here.
    """
    added = tokenizer.get_added_tokens_decoder().values()
    if any(OPEN in t.content or CLOSE in t.content for t in added):
        if os.path.basename(path) == "tst_tokenizer.json":
            raise CLIError(
                f"{path} is the pipeline file of a saved TST tokenizer: pass the folder it was saved in, "
                "which brings its base and codec settings"
            )
        raise CLIError(
            f"{path} holds TST units already (a tst export?): stats compare a base tokenizer before and after "
            "TST; give the base tokenizer it was exported from, with the codec settings of its "
            "tokenizer_config.json (tst_export.codec)"
        )
    return tokenizer


def _codec(codec_settings: dict[str, Any]) -> Codec:
    try:
        codec = Codec(**codec_settings)
    except (ValueError, TypeError) as exc:
        raise CLIError(f"invalid codec settings: {exc}") from None
    if codec.settings.style != "exact":
        raise CLIError("stats needs style=exact: the paper style is lossy and has no offsets")
    return codec
