"""HuggingFace integration: TST inside `tokenizers` / `transformers` pipelines.

Importing this module imports `transformers` and registers `TSTTokenizerFast`
with `AutoTokenizer`; plain ``import tst`` does neither. Without the ``hf``
extra it raises ModuleNotFoundError naming it (``pip install "tst-tokenizer[hf]"``). Three routes
(docs/hf.md): `wrap` (a fast tokenizer that applies TST, route 1), the
custom-component plug-in `install` / `save_pipeline` / `load_pipeline`
(route 2), and `export` (a plain tokenizer.json, route 3).
"""

from __future__ import annotations

from tst._extras import missing_extra

try:
    from tst.hf.export import covers, export
    from tst.hf.plugin import TSTDecoder, TSTNormalizer, install, load_pipeline, save_pipeline
    from tst.hf.tokenizer import TST_TOKENIZER_FILE, TSTTokenizerFast
    from tst.hf.wrapping import is_tst_tokenizer, load, wrap
except ImportError as _exc:
    _hint = missing_extra(_exc, "hf", "tst.hf")
    if _hint is None:
        raise
    raise _hint from _exc

__all__ = [
    "TST_TOKENIZER_FILE",
    "TSTDecoder",
    "TSTNormalizer",
    "TSTTokenizerFast",
    "covers",
    "export",
    "install",
    "is_tst_tokenizer",
    "load",
    "load_pipeline",
    "save_pipeline",
    "wrap",
]
