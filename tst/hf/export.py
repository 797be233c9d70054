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
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers
from transformers import PreTrainedTokenizerFast

from tst.codec import Codec
from tst.errors import TSTError
from tst.hf._native_rules import NativeRules, build_rules, normalized_surface, wordpiece_glue_rules
from tst.hf._pipeline import (
    NATIVE_UNIT_PATTERN,
    UNIT_PATTERN,
    Adaptation,
    TSTPipelineWarning,
    _component,
    adapt,
    split_normalizer,
)
from tst.hf._saved import class_settings
from tst.hf._surface import protect_pattern
from tst.hf.wrapping import is_tst_tokenizer
from tst.settings import Settings
from tst.spelling import CLOSE, OPEN, unit_content_pattern

#: Files `export` writes besides what the base's `save_pretrained` writes.
EXPORT_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
_LITERAL_UNIT = re.compile(f"{OPEN}{unit_content_pattern()}{CLOSE}")
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


def native_decoder(codec: Codec, base: decoders.Decoder | None) -> decoders.Decoder:
    """`base`, then route 3's decoder rules (WordPiece bases: the spaces inside numbers removed first)."""
    parts = native_components(codec)
    if base is None:
        return parts.decoder
    if json.loads(base.__getstate__()).get("type") == "WordPiece":
        glue = [decoders.Replace(Regex(r.pattern), r.content) for r in wordpiece_glue_rules(codec.settings)]
        return decoders.Sequence([base, decoders.Fuse(), *glue, parts.decoder])
    return decoders.Sequence([base, parts.decoder])


def splice(tokenizer: Tokenizer, codec: Codec, adaptation: Adaptation) -> None:
    """Put `codec`'s native components into `tokenizer` in place (routes 2 and 3 share this).

    `adaptation` is `tst.hf._pipeline.adapt` of `tokenizer` (native unit pattern): the base
    normalizer (less a ``Prepend`` it moves) runs first, then the TST rules, then the steps
    that write a prefix only at real text starts; a pre-tokenizer prefix is switched off;
    the units are added after the base vocabulary (contiguous ids, route 1's order); the
    decoder is the base decoder followed by the TST decoder rules.

    Raises:
        TSTError: the units did not get contiguous ids after the base vocabulary.
    """
    parts = native_components(codec)
    before, after = split_normalizer(adaptation, tokenizer.normalizer)
    # The base normalizer first: a native normalizer after a zero-width insertion at the
    # start of the string panics in tokenizers 0.23 (the start steps must leave units alone).
    tokenizer.normalizer = normalizers.Sequence(
        [*([] if before is None else [before]), parts.normalizer, *([] if after is None else [after])]
    )
    if adaptation.pre_tokenizer is not None:
        tokenizer.pre_tokenizer = _component(adaptation.pre_tokenizer, "pre_tokenizer")
    base_size = tokenizer.get_vocab_size(with_added_tokens=True)
    base_decoder = tokenizer.decoder
    tokenizer.add_tokens(list(parts.added_tokens))
    units = codec.vocabulary()
    if [tokenizer.token_to_id(u) for u in units] != list(range(base_size, base_size + len(units))):
        raise TSTError("TST units did not get contiguous ids after the base vocabulary")
    tokenizer.decoder = native_decoder(codec, base_decoder)


@dataclass(frozen=True)
class _BaseView:
    """What `export` and `covers` need to know of a base pipeline (computed once per pipeline)."""

    refusal: str | None  # why export refuses the base, or None
    before: Any  # the base normalizer steps the TST rules run after (a live Normalizer, or None)
    raw_units: frozenset[str]  # units route 1 matches before normalization (cut out first)
    #: The base's own added tokens holding a digit: route 1 cuts the text around each before
    #: encoding; route 3 encodes across one matched after normalization (``normalized=True``,
    #: transformers' `add_tokens` default) and decodes across any. None when there are none.
    digit_tokens: re.Pattern[str] | None = None
    #: The base's added tokens matched before normalization (``normalized=False``): route 3's rules
    #: read the text between them piece by piece, route 1 reads across one holding no digit
    #: (``Foo12``: a word for route 1, ``Foo`` then the number 12 for route 3). None when none.
    raw_tokens: re.Pattern[str] | None = None


_VIEWS: dict[tuple[Any, ...], _BaseView] = {}


def _base_view(base: PreTrainedTokenizerFast, codec: Codec) -> _BaseView:
    """`base` as routes 1 and 3 adapt it for `codec` (cached on the pipeline's components and settings)."""
    backend = base.backend_tokenizer
    added = tuple((t.content, t.normalized) for t in backend.get_added_tokens_decoder().values())
    key = (
        None if backend.normalizer is None else backend.normalizer.__getstate__(),
        None if backend.pre_tokenizer is None else backend.pre_tokenizer.__getstate__(),
        backend.decoder is None,
        added,
        codec.settings,
    )
    view = _VIEWS.get(key)
    if view is None:
        view = _VIEWS[key] = _compute_view(backend, codec)
        while len(_VIEWS) > 32:  # a few bases at a time: drop the oldest
            del _VIEWS[next(iter(_VIEWS))]
    return view


def _compute_view(backend: Tokenizer, codec: Codec) -> _BaseView:
    units = codec.vocabulary()
    refusal = None
    if backend.decoder is None:
        refusal = (
            "export needs a base tokenizer with a decoder: without one `tokenizers` joins every token with a "
            "space, which splits each number's units apart; give the base a decoder (route 1, tst.hf.wrap, "
            "puts the numbers back together in Python)"
        )
    for t in backend.get_added_tokens_decoder().values():
        if OPEN in t.content or CLOSE in t.content:
            refusal = (
                f"export cannot build on a base with an added token {t.content!r} holding a TST bracket "
                "(is it exported or wrapped already? export the base tokenizer it was built from)"
            )
    with warnings.catch_warnings():
        # Routes 1 and 2 fall back to the base pipeline (and warn) where they cannot keep how the
        # base tokenizes the text after a number; a plain tokenizer.json must not change silently.
        warnings.simplefilter("error", TSTPipelineWarning)
        try:
            native = adapt(backend, units, unit_pattern=NATIVE_UNIT_PATTERN, rules=tst_normalizer(codec))
            route1 = adapt(backend, units)
        except TSTPipelineWarning as w:
            detail = str(w).split(": the text after each number")[0]
            return _BaseView(f"export cannot build on this base: {detail}{_LAYOUT_ADVICE}", None, frozenset(units))
    before, _ = split_normalizer(native, backend.normalizer)
    shadowed = shadowed_tokens(backend, codec)
    if refusal is None and shadowed:
        refusal = shadow_refusal(shadowed)
    added = list(backend.get_added_tokens_decoder().values())
    raw = sorted({t.content for t in added if not t.normalized and t.content}, key=len, reverse=True)
    return _BaseView(
        refusal,
        before,
        route1.raw_units,
        protect_pattern([t.content for t in added]) if refusal is None else None,
        re.compile("|".join(map(re.escape, raw))) if raw and refusal is None else None,
    )


def shadowed_tokens(backend: Tokenizer, codec: Codec) -> list[str]:
    """The base's added tokens matched after normalization that the TST rules write as one unit.

    ``tokenizers`` normalizes an added token's content with the normalizer, TST rules included:
    a ``normalized=True`` token ``7`` (transformers' `add_tokens` default) becomes ``7⟧``, the
    content of the unit ``⟦7⟧`` (vocab variant), and of two added tokens with one normalized
    content `tokenizers` matches either, in an order that changes from one process to the next.
    """
    out = []
    for t in backend.get_added_tokens_decoder().values():
        if t.normalized and _ONE_UNIT.fullmatch(codec.encode(t.content)):
            out.append(t.content)
    return out


def shadow_refusal(shadowed: list[str]) -> str:
    """Why routes 2 and 3 refuse a base with `shadowed` tokens (see `shadowed_tokens`)."""
    shown = ", ".join(map(repr, shadowed[:5])) + (", ..." if len(shadowed) > 5 else "")
    return (
        f"the base's added token(s) {shown} (normalized=True) normalize to a TST unit's own content, so the "
        "native pipeline would match the token or the unit at random from one process to the next; add them "
        "with normalized=False (tokenizers.AddedToken(content, normalized=False)), which the native rules leave whole"
    )


_ONE_UNIT = re.compile(UNIT_PATTERN)


_LAYOUT_ADVICE = (
    ". Routes 1 and 2 (tst.hf.wrap, tst.hf.install) take it, tokenizing the text after each number "
    "as the start of a new text (docs/hf.md)"
)


def covers(text: str, codec: Codec, base: PreTrainedTokenizerFast | None = None) -> bool:
    """Whether `export` gives `text` the same ids and decode as `tst.hf.wrap` (same base, same codec).

    Exact by construction: the exported normalizer's output is compared with route 1's
    surface (`Codec.encode`, normalized as route 1 normalizes it: cut at the units matched
    before normalization, the rest through `base`'s normalizer less a ``Prepend`` that
    moves to the text starts), and the exported decoder's output with `Codec.decode`. The
    steps that write a prefix at real text starts are the same in both routes
    (`tst.hf._pipeline.adapt`) and are not compared. The base's adaptation is computed once
    per pipeline state and settings (30-45 ms for a SentencePiece or BERT base). False, among
    others, for numbers the rules leave as text (docs/hf.md lists the classes), for any
    text holding a literal unit spelling such as ``⟦1k⟧`` (a segment that is exactly one
    unit would match that unit), for text that is not valid UTF-8 (lone surrogates,
    which `tokenizers` cannot take), and for texts where `base`'s normalizer changes what
    TST sees (NFKC turning ``²`` into ``2``); for every text when `export` refuses `base`.

    Without `base`, only the TST rules are compared (as over a base with no normalizer):
    exact for bases with no normalizer (byte-level BPE, tekken), but it may say True where
    the base's normalizer alters the text before the rules read it (BERT's turns
    ``1\u00a0234`` into ``1 234``, no longer one grouping). Pass the base the export is
    built from. With `base`, also False where one of its own added tokens that holds a digit
    changes the numbers around it: route 1 encodes the text on either side of it alone (``H2O``
    then ``2``: a number), route 3 across it (``H2O2``: a word) or decodes across it; and where
    one matched before normalization (``normalized=False``) does: route 3 reads the text on
    either side of it alone, route 1 across one holding no digit (``Foo12``: a word).

    Raises:
        TypeError: `text` is not a str, or `base` is not a fast transformers tokenizer.
        TSTError: `codec` has settings the export cannot express.
    """
    if not isinstance(text, str):
        raise TypeError(f"covers expects a str, not {type(text).__name__}")
    if base is not None and not isinstance(base, PreTrainedTokenizerFast):
        raise TypeError(f"covers expects a transformers PreTrainedTokenizerFast as base, not {type(base).__name__}")
    view = None if base is None else _base_view(base, codec)
    if view is not None and view.refusal is not None:
        return False  # export refuses this base: it covers nothing
    if _LITERAL_UNIT.search(text):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    rules = _rules(codec.settings)
    norm = None if view is None else view.before
    surface = codec.encode(text)
    tokens = None if view is None else view.digit_tokens
    # Route 1 encodes the text on either side of such a token alone and keeps the token. Route 3
    # encodes across one matched after normalization, then `tokenizers` matches the token's own
    # normalized form (its content through the same rules) in the result; and its decoder reads
    # the units and the token's text as one string (``⟦,3⟧1k⟧234⟧`` then ``7``: 12,347). Both
    # agree where encoding the pieces apart writes what encoding the whole does (``year 2024``,
    # not ``20245``, ``H2O2`` or ``1,2347``).
    # The same holds where route 3 cuts the text at a token matched before normalization, then runs
    # its rules on each piece, and route 1 encodes across one that holds no digit (``Foo12``).
    for cut_at in (tokens, None if view is None else view.raw_tokens):
        if cut_at is not None and cut_at.search(text) and "".join(codec.encode_batch(_cut_at(cut_at, text))) != surface:
            return False
    if norm is not None:
        # Route 1 cuts its surface at the units it matches before normalization (those the base
        # normalizer would alter) and normalizes the rest whole, its other units included (they
        # normalize to themselves); route 3 normalizes the text, then writes the units.
        pieces = _UNIT_OR_TEXT.findall(surface)
        out: list[str] = []
        run: list[str] = []
        for p in pieces:
            if p in view.raw_units:  # type: ignore[union-attr]
                out += [norm.normalize_str("".join(run)) if run else "", p]
                run = []
            else:
                run.append(p)
        surface = "".join(out) + (norm.normalize_str("".join(run)) if run else "")
        text = norm.normalize_str(text)
    written: str = _normalizer(rules).normalize_str(text)
    if written != normalized_surface(surface):
        return False
    # Decoding: tokenizers >= 0.22 hands the decoder an added token's normalized form, older
    # releases its content (the bracketed unit); both must read back as route 1 reads them.
    want = codec.decode(surface)
    dec = _decoder(rules)
    return bool(dec.decode([written]) == want and dec.decode([surface]) == want)


def _cut_at(pattern: re.Pattern[str], text: str) -> list[str]:
    """`text` cut before and after every match of `pattern` (the matches kept as pieces)."""
    pieces, last = [], 0
    for m in pattern.finditer(text):
        pieces += [text[last : m.start()], m.group()]
        last = m.end()
    return [*pieces, text[last:]]


def export(
    base: PreTrainedTokenizerFast, out_dir: str | os.PathLike[str], variant: str = "marker", **codec_kwargs: Any
) -> Path:
    """Write a directory that serving stacks load as is, with TST inside its tokenizer.json.

    The directory holds what ``base.save_pretrained`` writes (special tokens, chat
    template, ...) with ``tokenizer.json`` replaced by the TST pipeline and
    ``tokenizer_config.json`` naming ``PreTrainedTokenizerFast`` (so transformers never
    rebuilds the pipeline from a slow tokenizer) and recording the codec under
    ``"tst_export"``. The pipeline is built as route 2 builds it (`splice`): the base
    layout adapted as in route 1, so the text around numbers keeps the base's tokens on
    every layout route 1 keeps (SentencePiece ``Prepend``/``Metaspace`` prefixes included).

    Args:
        base: a `transformers.PreTrainedTokenizerFast` (not a TST-wrapped one).
        out_dir: directory to write (created if needed).
        variant, **codec_kwargs: `tst.Codec` settings, as for `tst.hf.wrap`.

    Returns:
        The path of the written tokenizer.json. Token ids equal those of
        ``tst.hf.wrap(base, variant, **codec_kwargs)`` on every input `covers` accepts.

    Raises:
        TSTError: for settings the stock pipeline cannot express, a layout whose tokenization
            after a number route 1 cannot keep either (where `wrap` warns), a base without a
            decoder or with added tokens holding a TST bracket, a TST-wrapped tokenizer.
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
    view = _base_view(base, codec)
    if view.refusal is not None:
        raise TSTError(view.refusal)
    backend = Tokenizer.from_str(base.backend_tokenizer.to_str())
    base_size = backend.get_vocab_size(with_added_tokens=True)
    # The layout adapted as route 2 adapts it (warnings already turned into the refusal above).
    adaptation = adapt(backend, codec.vocabulary(), unit_pattern=NATIVE_UNIT_PATTERN, rules=tst_normalizer(codec))
    splice(backend, codec, adaptation)
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
