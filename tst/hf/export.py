"""`export`: a plain tokenizer.json that applies TST with stock components (route 3).

Stock `tokenizers` / `AutoTokenizer` load the result with no `tst` import, which
is what serving stacks need. The TST step is spelled as regex `Replace`
normalizers and decoders (`tst.hf._native_rules`); the units are added tokens
matched after normalization. `native_components(codec)` returns those pieces for
any pipeline; `covers(text, codec, base)` says whether one input gets the ids and
decode of route 1. What is covered, and why the rest is not: docs/hf.md.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers
from transformers import PreTrainedTokenizerFast

from tst.codec import Codec
from tst.errors import TSTError
from tst.hf._native_rules import NativeRules, build_rules, normalized_surface, wordpiece_glue_rules
from tst.hf._pipeline import prefixing_step
from tst.hf._saved import class_settings
from tst.hf.wrapping import is_tst_tokenizer
from tst.settings import Settings
from tst.spelling import CLOSE, OPEN

#: Base normalizers that act on each character alone, so applying them to the
#: whole TST surface (export) or to the text between units (wrapped route) agrees.
CHARACTER_NORMALIZERS = frozenset({"NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents", "BertNormalizer"})
#: Files `export` writes besides what the base's `save_pretrained` writes.
EXPORT_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
_LITERAL_UNIT = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]+{CLOSE}")
_UNIT_OR_TEXT = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]+{CLOSE}|[^{OPEN}]+|{OPEN}")


@dataclass(frozen=True)
class NativeComponents:
    """Stock `tokenizers` pieces that apply one codec (what `export` puts in tokenizer.json).

    Attributes:
        normalizer: runs after the base normalizer and writes the TST surface.
        decoder: runs after the base decoder and reads the surface back (starts with `Fuse`).
        added_tokens: every unit of `Codec.vocabulary()`, in order, as ``normalized=True``
            added tokens: append them after the base vocabulary to get route 1's ids.
    """

    normalizer: normalizers.Normalizer
    decoder: decoders.Decoder
    added_tokens: tuple[AddedToken, ...]


def native_components(codec: Codec) -> NativeComponents:
    """The normalizer, decoder and added tokens that apply `codec` inside any `tokenizers` pipeline.

    Add the tokens *after* installing the normalizer (`tokenizers` normalizes an added
    token's content when it is added). Raises TSTError for settings the stock pipeline
    cannot express (paper style, overflow other than ``"text"``).
    """
    rules = _rules(codec.settings)
    tokens = tuple(
        AddedToken(u, single_word=False, lstrip=False, rstrip=False, normalized=True, special=False)
        for u in codec.vocabulary()
    )
    return NativeComponents(_normalizer(rules), _decoder(rules), tokens)


def tst_normalizer(codec: Codec) -> normalizers.Normalizer:
    """The normalizer that writes `codec`'s TST surface for every covered number."""
    return _normalizer(_rules(codec.settings))


def tst_decoder(codec: Codec) -> decoders.Decoder:
    """The decoder steps that turn a TST surface back into text (`Fuse` first)."""
    return _decoder(_rules(codec.settings))


def _rules(settings: Settings) -> NativeRules:
    try:
        return build_rules(settings)
    except ValueError as exc:
        raise TSTError(f"export cannot express these settings: {exc}") from None


@lru_cache(maxsize=16)
def _normalizer_cached(rules: NativeRules) -> normalizers.Normalizer:
    return normalizers.Sequence([normalizers.Replace(Regex(r.pattern), r.content) for r in rules.normalizer])


def _normalizer(rules: NativeRules) -> normalizers.Normalizer:
    return _normalizer_cached(rules)


@lru_cache(maxsize=16)
def _decoder(rules: NativeRules) -> decoders.Decoder:
    return decoders.Sequence([decoders.Fuse()] + [decoders.Replace(Regex(r.pattern), r.content) for r in rules.decoder])


def covers(text: str, codec: Codec, base: PreTrainedTokenizerFast | None = None) -> bool:
    """Whether `export` gives `text` the same ids and decode as `tst.hf.wrap` (same base, same codec).

    Exact by construction: the exported normalizer's output is compared with route 1's
    surface (`Codec.encode`, units cut out before `base`'s normalizer runs on the text
    between them), and the exported decoder's output with `Codec.decode`. False, among
    others, for numbers the rules leave as text (docs/hf.md lists the classes), for any
    text holding a literal unit spelling such as ``⟦1k⟧`` (a segment that is exactly one
    unit would match that unit), for text that is not valid UTF-8 (lone surrogates,
    which `tokenizers` cannot take), and for texts where `base`'s normalizer changes what
    TST sees (NFKC turning ``²`` into ``2``); for every text when `export` refuses `base`.

    Raises:
        TypeError: `text` is not a str, or `base` is not a fast transformers tokenizer.
        TSTError: `codec` has settings the export cannot express.
    """
    if not isinstance(text, str):
        raise TypeError(f"covers expects a str, not {type(text).__name__}")
    if base is not None and not isinstance(base, PreTrainedTokenizerFast):
        raise TypeError(f"covers expects a transformers PreTrainedTokenizerFast as base, not {type(base).__name__}")
    if base is not None and _base_refusal(base, base.backend_tokenizer) is not None:
        return False  # export refuses this base: it covers nothing
    if _LITERAL_UNIT.search(text):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    rules = _rules(codec.settings)
    norm = None if base is None else base.backend_tokenizer.normalizer
    surface = codec.encode(text)
    if norm is not None:
        # Route 1 cuts the units out first; the base normalizer sees only the text between them.
        pieces = _UNIT_OR_TEXT.findall(surface)
        surface = "".join(p if _LITERAL_UNIT.fullmatch(p) else norm.normalize_str(p) for p in pieces)
        text = norm.normalize_str(text)
    written: str = _normalizer(rules).normalize_str(text)
    if written != normalized_surface(surface):
        return False
    # Decoding: tokenizers >= 0.22 hands the decoder an added token's normalized form, older
    # releases its content (the bracketed unit); both must read back as route 1 reads them.
    want = codec.decode(surface)
    dec = _decoder(rules)
    return bool(dec.decode([written]) == want and dec.decode([surface]) == want)


def export(
    base: PreTrainedTokenizerFast, out_dir: str | os.PathLike[str], variant: str = "marker", **codec_kwargs: Any
) -> Path:
    """Write a directory that serving stacks load as is, with TST inside its tokenizer.json.

    The directory holds what ``base.save_pretrained`` writes (special tokens, chat
    template, ...) with ``tokenizer.json`` replaced by the TST pipeline and
    ``tokenizer_config.json`` naming ``PreTrainedTokenizerFast`` (so transformers never
    rebuilds the pipeline from a slow tokenizer) and recording the codec under
    ``"tst_export"``.

    Args:
        base: a `transformers.PreTrainedTokenizerFast` (not a TST-wrapped one).
        out_dir: directory to write (created if needed).
        variant, **codec_kwargs: `tst.Codec` settings, as for `tst.hf.wrap`.

    Returns:
        The path of the written tokenizer.json. Token ids equal those of
        ``tst.hf.wrap(base, variant, **codec_kwargs)`` on every input `covers` accepts.

    Raises:
        TSTError: for settings or base components the stock pipeline cannot express.
        TypeError: `base` is not a fast tokenizer.
    """
    if is_tst_tokenizer(base):
        raise TSTError("export takes the base tokenizer, not a TST-wrapped one (use tok.tst_base_tokenizer())")
    if not isinstance(base, PreTrainedTokenizerFast):
        raise TypeError(f"export expects a transformers PreTrainedTokenizerFast, not {type(base).__name__}")
    codec = Codec(variant=variant, **codec_kwargs)
    st = codec.settings
    if st.style != "exact":
        raise TSTError("export needs style='exact'")
    if st.overflow != "text":
        raise TSTError(
            "export supports overflow='text' only (a stock tokenizer can neither raise nor grow names), "
            f"not {st.overflow!r}"
        )
    backend = Tokenizer.from_str(base.backend_tokenizer.to_str())
    refused = _base_refusal(base, backend)
    if refused is not None:
        raise TSTError(refused)
    parts = native_components(codec)
    base_size = backend.get_vocab_size(with_added_tokens=True)
    # The base normalizer runs first: after zero-width Replace insertions at the very start of a
    # string, a further native normalizer panics in tokenizers 0.23 (normalizer.rs, index out of bounds).
    steps = [] if backend.normalizer is None else [backend.normalizer]
    backend.normalizer = normalizers.Sequence([*steps, parts.normalizer])
    if json.loads(backend.decoder.__getstate__()).get("type") == "WordPiece":
        # WordPiece joins tokens with spaces: remove those inside numbers first (route 1 does it in Python).
        glue = [decoders.Replace(Regex(r.pattern), r.content) for r in wordpiece_glue_rules(st)]
        backend.decoder = decoders.Sequence([backend.decoder, decoders.Fuse(), *glue, parts.decoder])
    else:
        backend.decoder = decoders.Sequence([backend.decoder, parts.decoder])
    backend.add_tokens(list(parts.added_tokens))
    units = codec.vocabulary()
    ids = [backend.token_to_id(u) for u in units]
    if ids != list(range(base_size, base_size + len(units))):
        raise TSTError("TST tokens did not get contiguous ids after the base vocabulary")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base.save_pretrained(str(out))
    path = out / "tokenizer.json"
    backend.save(str(path))
    config_path = out / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config.pop("auto_map", None)
    # A slow-tokenizer class name would make transformers rebuild the pipeline without the TST rules.
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    # That class has its own defaults for what the base's class may set (BERT's token_type_ids, Llama's left padding).
    config.update(class_settings(base))
    config["tst_export"] = {"codec": codec.config(), "base_vocab_size": base_size}
    config_path.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    _write_special_tokens_map(base, out)
    return path


def _write_special_tokens_map(base: PreTrainedTokenizerFast, out: Path) -> None:
    """special_tokens_map.json: transformers 5 keeps special tokens in tokenizer_config.json only,
    but older loaders and some serving stacks (TGI's Python side, llama.cpp's converter) read this file."""
    path = out / "special_tokens_map.json"
    if path.exists():
        return
    tokens: dict[str, Any] = {}
    for name, value in base.special_tokens_map.items():
        tokens[name] = value
    path.write_text(json.dumps(tokens, ensure_ascii=False, indent=2), encoding="utf-8")


def _base_refusal(base: PreTrainedTokenizerFast, backend: Tokenizer) -> str | None:
    """Why `export` cannot build on `base` (its pipeline is `backend`), or None when it can."""
    try:
        _check_normalizer(backend.normalizer)
    except TSTError as e:
        return str(e)
    prefixing = prefixing_step(backend.pre_tokenizer)
    if prefixing is not None:
        # Every unit splits the text: such a step would prefix the text after each number (issue 12).
        return f"export cannot keep the base pre-tokenizer step {prefixing}: it adds a prefix to every piece"
    if backend.decoder is None:
        return "export needs a base tokenizer with a decoder (it must give the TST surface back)"
    for tok in base.get_added_vocab():
        if OPEN in tok or CLOSE in tok:
            return f"the base tokenizer has an added token {tok!r} containing a TST bracket"
    return None


#: What a refusal of the base's normalizer tells the user to do instead.
_NORMALIZER_ADVICE = (
    " (it would act on the text between units differently from route 1; route 3 keeps only "
    + ", ".join(sorted(CHARACTER_NORMALIZERS))
    + "). Use route 1 (tst.hf.wrap) or route 2 (tst.hf.install), which handle this base with the same ids; "
    "for a SentencePiece tokenizer.model, LlamaTokenizer.from_pretrained may build a pipeline "
    "without Replace steps (docs/hf.md, 'Route 3')"
)


def _check_normalizer(norm: Any) -> None:
    if norm is None:
        return
    kind = type(norm).__name__
    if kind == "Sequence":
        for step in json.loads(norm.__getstate__())["normalizers"]:
            if step["type"] not in CHARACTER_NORMALIZERS:
                raise TSTError(
                    f"export cannot keep the base normalizer step {step['type']!r}: it is not character-local"
                    + _NORMALIZER_ADVICE
                )
        return
    if kind not in CHARACTER_NORMALIZERS:
        refusal = f"export cannot keep the base normalizer {kind!r}: it is not character-local"
        raise TSTError(refusal + _NORMALIZER_ADVICE)
