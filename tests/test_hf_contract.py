"""Contracts with transformers internals that `TSTTokenizerFast` relies on.

`TSTTokenizerFast` (tst/hf/tokenizer.py) overrides protected methods of transformers 5's
`TokenizersBackend` and reads some of its internals. Each test here names one of them and fails
with a message saying what changed, so that a new transformers release that moves a hook is
caught by CI instead of silently dropping the TST step. The supported range is declared in
pyproject.toml (extras ``hf`` and ``model``); .ci/run runs these tests on both ends of it.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import transformers
from tokenizers import Tokenizer
from transformers import AutoTokenizer, PreTrainedTokenizerFast
from transformers.tokenization_utils_base import BatchEncoding, PreTrainedTokenizerBase

import tst.hf as tst_hf
from tests.hf_support import base, wrapped
from tst.errors import TSTDecodeError

VERSION = transformers.__version__


def _fail(hook: str, what: str) -> None:
    pytest.fail(f"transformers {VERSION} changed {hook}: {what}. TSTTokenizerFast (tst/hf/tokenizer.py) relies on it.")


def _backend_class() -> Any:
    try:
        from transformers.tokenization_utils_tokenizers import TokenizersBackend
    except ImportError as e:
        _fail("transformers.tokenization_utils_tokenizers.TokenizersBackend", f"it cannot be imported ({e})")
    return TokenizersBackend


def _params(hook: str, func: Any) -> dict[str, inspect.Parameter]:
    if func is None:
        _fail(hook, "it no longer exists")
    return dict(inspect.signature(func).parameters)


def _require_params(hook: str, func: Any, names: list[str]) -> None:
    params = _params(hook, func)
    missing = [n for n in names if n not in params]
    if missing:
        _fail(hook, f"its signature lost {missing} (now {list(params)})")


def test_fast_tokenizer_class_is_the_tokenizers_backend() -> None:
    backend = _backend_class()
    if not issubclass(PreTrainedTokenizerFast, backend):
        _fail("PreTrainedTokenizerFast", "it is no longer a TokenizersBackend (the class TSTTokenizerFast subclasses)")


def test_encode_plus_hook() -> None:
    """`_encode_plus`: every encode path (`__call__`, `encode`, batches) goes through it with these arguments."""
    backend = _backend_class()
    _require_params(
        "TokenizersBackend._encode_plus",
        getattr(backend, "_encode_plus", None),
        [
            "text",
            "text_pair",
            "add_special_tokens",
            "is_split_into_words",
            "return_offsets_mapping",
            "return_tensors",
            "return_overflowing_tokens",
        ],
    )
    tok = wrapped("bpe", "vocab")
    unit = tok.tst_token_ids["\u27e612\u27e7"]
    paths = {
        "__call__": tok("x 12")["input_ids"],
        "encode": tok.encode("x 12"),
        "batch __call__": tok(["x 12"])["input_ids"][0],
        "pair __call__": tok("x 12", "y")["input_ids"],
        "call with offsets": tok("x 12", return_offsets_mapping=True)["input_ids"],
    }
    for path, ids in paths.items():
        if unit not in ids:
            _fail("TokenizersBackend._encode_plus", f"{path} no longer goes through it (no TST id in {ids})")


def test_decode_hook() -> None:
    """`_decode`: `decode` and `batch_decode` call it and pass extra keyword arguments (``strict``) through."""
    backend = _backend_class()
    _require_params(
        "TokenizersBackend._decode",
        getattr(backend, "_decode", None),
        ["token_ids", "skip_special_tokens", "clean_up_tokenization_spaces"],
    )
    if inspect.Parameter.VAR_KEYWORD not in {p.kind for p in _params("_decode", backend._decode).values()}:
        _fail("TokenizersBackend._decode", "it no longer takes **kwargs (decode(..., strict=False) needs them)")
    tok = wrapped("bpe", "marker")
    ids = tok("x 12")["input_ids"]
    if tok.decode(ids) != "x 12" or tok.batch_decode([ids]) != ["x 12"]:
        _fail("TokenizersBackend._decode", "decode/batch_decode no longer go through it")
    bad = [tok.tst_token_ids["\u27e6k\u27e7"]]  # a marker with no group: lenient keeps it, strict raises
    try:
        tok.decode(bad, strict=True)
    except TSTDecodeError:
        pass
    else:
        _fail("TokenizersBackend.decode", "it no longer passes extra keyword arguments to _decode")


def test_clean_up_tokenization_hook() -> None:
    """`clean_up_tokenization` and `clean_up_tokenization_spaces`: WordPiece decodes clean up as the base does."""
    tok = wrapped("bert", "vocab")
    if not callable(getattr(PreTrainedTokenizerBase, "clean_up_tokenization", None)):
        _fail("PreTrainedTokenizerBase.clean_up_tokenization", "it no longer exists")
    if not hasattr(tok, "clean_up_tokenization_spaces"):
        _fail("clean_up_tokenization_spaces", "the attribute no longer exists")
    ids = tok("hello , world 12 .")["input_ids"]
    if tok.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=True) != "hello, world 12.":
        _fail("clean_up_tokenization", "it no longer removes the space before punctuation")


def test_save_pretrained_hooks(tmp_path: Path) -> None:
    """`_save_pretrained` writes the pipeline; `can_save_slow_tokenizer` keeps the class name in the config."""
    backend = _backend_class()
    _require_params(
        "TokenizersBackend._save_pretrained",
        getattr(backend, "_save_pretrained", None),
        ["save_directory", "file_names", "legacy_format", "filename_prefix"],
    )
    if not isinstance(inspect.getattr_static(backend, "can_save_slow_tokenizer", None), property):
        _fail("TokenizersBackend.can_save_slow_tokenizer", "it is no longer a property")
    tok = wrapped("bpe", "vocab")
    written = tok.save_pretrained(tmp_path)
    if not (tmp_path / tst_hf.TST_TOKENIZER_FILE).is_file() or str(tmp_path / tst_hf.TST_TOKENIZER_FILE) not in written:
        _fail(
            "save_pretrained",
            f"it no longer calls _save_pretrained (wrote {sorted(p.name for p in tmp_path.iterdir())})",
        )
    if (tmp_path / "tokenizer.json").exists():
        _fail("save_pretrained", "it writes tokenizer.json by itself: a stock loader would drop the TST step")
    config = json.loads((tmp_path / "tokenizer_config.json").read_text())
    if config.get("tokenizer_class") != "TSTTokenizerFast":
        _fail("can_save_slow_tokenizer", f"tokenizer_class is saved as {config.get('tokenizer_class')!r}")


def test_init_kwargs_reach_tokenizer_config(tmp_path: Path) -> None:
    """`init_kwargs`: what __init__ stores there is saved to tokenizer_config.json and given back on load."""
    tok = wrapped("bpe", "vocab")
    if not isinstance(getattr(tok, "init_kwargs", None), dict):
        _fail("init_kwargs", "it is no longer a dict on the tokenizer")
    tok.save_pretrained(tmp_path)
    config = json.loads((tmp_path / "tokenizer_config.json").read_text())
    for key in ("tst_config", "tst_base_vocab_size", "tst_pipeline"):
        if key not in config:
            _fail("init_kwargs", f"{key} stored in init_kwargs was not saved to tokenizer_config.json")
    loaded = tst_hf.load(tmp_path)
    if loaded.init_kwargs.get("tst_base_vocab_size") != tok.tst_base_vocab_size:
        _fail("from_pretrained", "tokenizer_config.json entries no longer reach __init__")


def test_from_pretrained_hooks(tmp_path: Path) -> None:
    """`convert_to_native_format` (classmethod) and `tokenizer_file` route loading to tst_tokenizer.json."""
    backend = _backend_class()
    hook = inspect.getattr_static(backend, "convert_to_native_format", None)
    if not isinstance(hook, classmethod):
        _fail("TokenizersBackend.convert_to_native_format", "it is no longer a classmethod")
    _require_params("TokenizersBackend.convert_to_native_format", hook.__func__, ["trust_remote_code"])
    if backend.vocab_files_names.get("tokenizer_file") != "tokenizer.json":
        _fail("TokenizersBackend.vocab_files_names", f"'tokenizer_file' is {backend.vocab_files_names}")
    tok = wrapped("bpe", "vocab")
    tok.save_pretrained(tmp_path)
    for loader in (tst_hf.load, AutoTokenizer.from_pretrained):
        loaded = loader(tmp_path)
        if type(loaded).__name__ != "TSTTokenizerFast" or loaded("x 12")["input_ids"] != tok("x 12")["input_ids"]:
            _fail("from_pretrained", f"{loader.__qualname__} no longer loads the pipeline from tst_tokenizer.json")


def test_backend_internals() -> None:
    """`_tokenizer`, `backend_tokenizer` and `added_tokens_decoder` are read in __init__."""
    tok = wrapped("bpe", "vocab")
    if not isinstance(getattr(tok, "_tokenizer", None), Tokenizer):
        _fail("_tokenizer", "the Rust tokenizer is no longer stored there")
    if tok.backend_tokenizer is not tok._tokenizer:
        _fail("backend_tokenizer", "it no longer returns _tokenizer")
    decoder = getattr(tok, "added_tokens_decoder", None)
    if not isinstance(decoder, dict) or tok.tst_token_ids["\u27e612\u27e7"] not in decoder:
        _fail("added_tokens_decoder", "it is no longer a dict of id -> AddedToken covering all added tokens")


def test_batch_encoding_internals() -> None:
    """`BatchEncoding.encodings`, `convert_to_tensors(prepend_batch_axis)`, `overflow_to_sample_mapping`."""
    _require_params("BatchEncoding.convert_to_tensors", BatchEncoding.convert_to_tensors, ["prepend_batch_axis"])
    # A copy: transformers 5.3 leaves call-time truncation on the backend of the shared base.
    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(base("bpe").backend_tokenizer.to_str()))
    enc = tok(["a b c d e f"], truncation=True, max_length=2, return_overflowing_tokens=True)
    if not enc.encodings or "overflow_to_sample_mapping" not in enc:
        _fail("BatchEncoding", "encodings or overflow_to_sample_mapping are gone")
    if not hasattr(enc.encodings[0], "sequence_ids") or not hasattr(enc.encodings[0], "word_ids"):
        _fail("BatchEncoding.encodings", "the tokenizers Encoding lost sequence_ids / word_ids")


def test_registration_hooks() -> None:
    """`AutoTokenizer.register(config, fast_tokenizer_class=..., exist_ok=...)` and `cached_file`."""
    _require_params("AutoTokenizer.register", AutoTokenizer.register, ["fast_tokenizer_class", "exist_ok"])
    from transformers.utils.hub import cached_file

    _params("transformers.utils.hub.cached_file", cached_file)
    found = cached_file(str(Path(__file__).parent), "no-such-file.json", _raise_exceptions_for_missing_entries=False)
    if found is not None:
        _fail("cached_file", "_raise_exceptions_for_missing_entries=False no longer returns None for a missing file")


def test_extras_declare_one_tested_range() -> None:
    """The ``hf`` and ``model`` extras name the same transformers range, bounded both ways, holding this release."""
    import re

    from packaging.specifiers import SpecifierSet

    text = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    extras = {
        name: re.search(r'"transformers([^"]*)"', re.search(rf"^{name} = \[(.*)\]$", text, re.M).group(1)).group(1)  # type: ignore[union-attr]
        for name in ("hf", "model")
    }
    assert extras["hf"] == extras["model"], extras
    spec = SpecifierSet(extras["hf"])
    assert {s.operator for s in spec} == {">=", "<"}, spec
    assert VERSION in spec, f"transformers {VERSION} is outside the declared range {spec}"
