"""HuggingFace integration: TST inside `tokenizers` / `transformers` pipelines.

Importing this module imports `transformers` and registers `TSTTokenizerFast`
with `AutoTokenizer`; plain ``import tst`` does neither. Without the ``hf``
extra it raises ModuleNotFoundError naming it (``pip install "tst-tokenizer[hf]"``). Three routes
(docs/hf.md): `wrap` (a fast tokenizer that applies TST, route 1), the
custom-component plug-in `install` / `save_pipeline` / `load_pipeline`
(route 2), and `export` (a plain tokenizer.json, route 3).

For generation (docs/generation.md): `DecodeStream` decodes generated ids as they
come, `TSTLogitsProcessor` (needs torch; imported on first use) keeps
`generate` from emitting a malformed number, and `TSTStopStrings` (needs torch) stops it
on strings of the decoded text, numbers included.
"""

from __future__ import annotations

from typing import Any

from tst._extras import extra_needed

with extra_needed("hf", "tst.hf"):
    from tst.hf._pipeline import TSTPipelineWarning
    from tst.hf._saved import TST_TOKENIZER_FILE
    from tst.hf.export import NativeComponents, covers, export, native_components
    from tst.hf.plugin import TSTDecoder, install, load_pipeline, save_pipeline, train_from_iterator
    from tst.hf.streaming import DecodeStream
    from tst.hf.tokenizer import TSTTokenizerFast
    from tst.hf.wrapping import is_tst_tokenizer, load, wrap

__all__ = [
    "TST_TOKENIZER_FILE",
    "DecodeStream",
    "NativeComponents",
    "TSTDecoder",
    "TSTLogitsProcessor",
    "TSTPipelineWarning",
    "TSTStopStrings",
    "TSTTokenizerFast",
    "covers",
    "export",
    "install",
    "is_tst_tokenizer",
    "load",
    "load_pipeline",
    "native_components",
    "save_pipeline",
    "train_from_iterator",
    "wrap",
]


def __getattr__(name: str) -> Any:
    if name == "TSTLogitsProcessor":  # torch is only needed here
        from tst.hf.constrained import TSTLogitsProcessor

        return TSTLogitsProcessor
    if name == "TSTStopStrings":
        from tst.hf.stopping import TSTStopStrings

        return TSTStopStrings
    raise AttributeError(f"module 'tst.hf' has no attribute {name!r}")
