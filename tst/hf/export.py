"""`export`: a plain tokenizer.json that applies TST with stock components (route 3).

Stock `tokenizers` / `AutoTokenizer` load the result with no `tst` import, which
is what serving stacks need. The TST step is spelled as regex `Replace`
normalizers and decoders (see `tst.hf._native_rules`); the units are added
tokens matched after normalization. What it covers, and what it refuses, is in
docs/hf.md; `covers(text, codec)` says whether one input is covered.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers
from transformers import PreTrainedTokenizerFast

from tst.codec import Codec
from tst.errors import TSTError
from tst.hf._native_rules import decode_rules, escape_rules, number_rules, wordpiece_glue_rules
from tst.hf._pipeline import prefixing_step
from tst.hf.wrapping import is_tst_tokenizer
from tst.settings import Settings
from tst.spelling import CLOSE, OPEN

#: Base normalizers that act on each character alone, so applying them to the
#: whole TST surface (export) or to the text between units (wrapped route) agrees.
CHARACTER_NORMALIZERS = frozenset({"NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents", "BertNormalizer"})
_LITERAL_UNIT = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]+{CLOSE}")
_UNIT_OR_TEXT = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]+{CLOSE}|[^{OPEN}]+|{OPEN}")


def tst_normalizer(codec: Codec) -> normalizers.Normalizer:
    """The normalizer that writes `codec`'s TST surface for every covered number."""
    return _normalizer_for(codec.settings)


@lru_cache(maxsize=16)
def _normalizer_for(settings: Settings) -> normalizers.Normalizer:
    rules = escape_rules() + number_rules(Codec(**settings.kwargs()))
    return normalizers.Sequence([normalizers.Replace(Regex(p), c) for p, c in rules])


def tst_decoder(codec: Codec, glue: list[tuple[str, str]] | None = None) -> decoders.Decoder:
    """The decoder steps that turn a TST surface back into text (after `Fuse`; `glue` rules first)."""
    rules = [*(glue or []), *decode_rules(codec)]
    return decoders.Sequence([decoders.Fuse()] + [decoders.Replace(Regex(p), c) for p, c in rules])


def covers(text: str, codec: Codec, base: PreTrainedTokenizerFast | None = None) -> bool:
    """Whether `export` gives `text` the same ids and decode as `tst.hf.wrap` (same base, same codec).

    False for numbers the regex rules leave as text (thousands separators,
    exponents, chains such as 1.2.3, leading decimal marks, ...), for any text
    holding a literal unit spelling such as ``⟦1k⟧`` (a segment that is exactly
    one unit would match that unit: see docs/hf.md), and, when `base` has a
    normalizer, for texts where normalizing before TST differs from TST before
    normalizing (e.g. NFKC turning ``²`` into ``2``).
    """
    if _LITERAL_UNIT.search(text):
        return False
    norm = None if base is None else base.backend_tokenizer.normalizer
    if norm is None:
        return bool(tst_normalizer(codec).normalize_str(text) == codec.encode(text))
    # Wrapped route: units cut out first, the base normalizer runs on the text between them.
    surface = codec.encode(text)
    pieces = _UNIT_OR_TEXT.findall(surface)
    wrapped = "".join(p if _LITERAL_UNIT.fullmatch(p) else norm.normalize_str(p) for p in pieces)
    exported: str = tst_normalizer(codec).normalize_str(norm.normalize_str(text))
    return exported == wrapped


def export(
    base: PreTrainedTokenizerFast, out_dir: str | os.PathLike[str], variant: str = "marker", **codec_kwargs: Any
) -> Path:
    """Write a plain tokenizer (tokenizer.json + tokenizer_config.json) that applies TST natively.

    Args:
        base: a `transformers.PreTrainedTokenizerFast` (not a TST-wrapped one).
        out_dir: directory to write (created if needed).
        variant, **codec_kwargs: `tst.Codec` settings, as for `tst.hf.wrap`.

    Returns:
        The path of the written tokenizer.json. Token ids equal those of
        ``tst.hf.wrap(base, variant, **codec_kwargs)`` on every covered input.

    Raises:
        TSTError: for settings or base components the stock pipeline cannot express.
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
    _check_normalizer(backend.normalizer)
    prefixing = prefixing_step(backend.pre_tokenizer)
    if prefixing is not None:
        # Every unit splits the text: such a step would prefix the text after each number (issue 12).
        raise TSTError(f"export cannot keep the base pre-tokenizer step {prefixing}: it adds a prefix to every piece")
    if backend.decoder is None:
        raise TSTError("export needs a base tokenizer with a decoder (it must give the TST surface back)")
    for tok in base.get_added_vocab():
        if OPEN in tok or CLOSE in tok:
            raise TSTError(f"the base tokenizer has an added token {tok!r} containing a TST bracket")
    base_size = backend.get_vocab_size(with_added_tokens=True)
    # The base normalizer runs first: after zero-width Replace insertions at the very start of a
    # string, any further normalizer panics in tokenizers 0.23 (normalizer.rs, index out of bounds).
    steps = [] if backend.normalizer is None else [backend.normalizer]
    backend.normalizer = normalizers.Sequence([*steps, tst_normalizer(codec)])
    glue = wordpiece_glue_rules(codec) if type(backend.model).__name__ == "WordPiece" else []
    backend.decoder = decoders.Sequence([backend.decoder, tst_decoder(codec, glue)])
    units = codec.vocabulary()
    backend.add_tokens(
        [AddedToken(u, single_word=False, lstrip=False, rstrip=False, normalized=True, special=False) for u in units]
    )
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
    config["tst_export"] = {"codec": codec.config(), "base_vocab_size": base_size}
    config_path.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _check_normalizer(norm: Any) -> None:
    if norm is None:
        return
    kind = type(norm).__name__
    if kind == "Sequence":
        for step in json.loads(norm.__getstate__())["normalizers"]:
            if step["type"] not in CHARACTER_NORMALIZERS:
                raise TSTError(
                    f"export cannot keep the base normalizer step {step['type']!r}: it is not character-local"
                )
        return
    if kind not in CHARACTER_NORMALIZERS:
        raise TSTError(f"export cannot keep the base normalizer {kind!r}: it is not character-local")
