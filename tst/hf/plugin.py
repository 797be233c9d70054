"""Route 2: TST as a custom component of a `tokenizers.Tokenizer` pipeline.

`install(tokenizer, codec)` adds a Python normalizer step that rewrites every
number into units (through `NormalizedString.replace`, so offsets stay aligned
with the input) and a decoder step that decodes them back. The units are added
tokens matched after normalization, so each is one id.

Around numbers the base's tokenization is kept as in route 1 (`tst.hf._pipeline.adapt`): a
pre-tokenizer step that prefixes every piece (``Metaspace`` "always",
``ByteLevel(add_prefix_space=True)``) gets its prefix switched off, and normalizer steps after
the TST step write it only at real starts (a ``Prepend`` normalizer step moves there too).

Why a normalizer step and not a pre-tokenizer: `tokenizers` consults added
tokens before pre-tokenization, so units produced by a pre-tokenizer would be
cut up by the model like ordinary text.

Serialization limits: `tokenizers` cannot save Python components ("Custom
Normalizer cannot be serialized"). `save_pipeline` writes the base pipeline
and the codec settings inside a ``tst_pipeline`` wrapper that stock loaders
refuse (so nobody silently loses the TST step), and `load_pipeline` rebuilds it.
Python components run under the GIL: this route is for experiments and small
jobs; use `tst.hf.wrap` or `tst.hf.export` for speed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tokenizers import AddedToken, NormalizedString, Regex, Tokenizer, decoders, normalizers

from tst.codec import Codec
from tst.errors import TSTError
from tst.hf._glue import glue_wordpiece_units
from tst.hf._pipeline import _component, adapt, split_normalizer

_FORMAT = "tst_pipeline"
_CHUNK = 10_000  # Oniguruma caps one repeat count at 100,000


def _at(position: int) -> str:
    """A regex prefix that matches exactly `position` characters from the start, then resets the match."""
    chunks, rest = divmod(position, _CHUNK)
    head = f"(?:[\\s\\S]{{{_CHUNK}}}){{{chunks}}}" if chunks else ""
    return f"\\A{head}[\\s\\S]{{{rest}}}\\K"


class TSTNormalizer:
    """Custom normalizer step: writes the TST surface of the text it is given.

    While `passthrough` is set it changes nothing: `tokenizers` runs the
    normalizer over each added token's own content when the pipeline is set up,
    and the units must stay themselves there (and only there).
    """

    def __init__(self, codec: Codec) -> None:
        self.codec = codec
        self.passthrough = False

    def normalize(self, normalized: NormalizedString) -> None:
        if self.passthrough:
            return
        text = normalized.normalized
        encoded, pieces = self.codec.encode_with_offsets(text)
        if encoded == text:
            return
        edits: list[tuple[int, int, str]] = []
        prev_orig = prev_enc = 0
        for es, ee, os_, oe in pieces:
            if os_ - prev_orig != es - prev_enc:  # separators the encoding drops
                edits.append((prev_orig, os_, ""))
            edits.append((os_, oe, encoded[es:ee]))
            prev_orig, prev_enc = oe, ee
        for start, end, content in reversed(edits):  # right to left: earlier positions stay valid
            normalized.replace(Regex(_at(start) + f"[\\s\\S]{{{end - start}}}"), content)


class TSTDecoder:
    """Custom decoder: the base decoder (a custom one cannot sit in a `decoders.Sequence`), then `Codec.decode`."""

    def __init__(self, codec: Codec, base: decoders.Decoder | None = None, strict: bool = True) -> None:
        self.codec = codec
        self.base = base
        self.strict = strict

    def decode_chain(self, tokens: list[str]) -> list[str]:
        surface = "".join(tokens) if self.base is None else self.base.decode(tokens)
        if type(self.base).__name__ == "WordPiece":
            surface = glue_wordpiece_units(surface)
        return [self.codec.decode(surface, strict=self.strict)]


def install(tokenizer: Tokenizer, codec: Codec, strict: bool = True) -> Tokenizer:
    """Add TST to a `tokenizers.Tokenizer` in place (units get ids after its vocabulary) and return it.

    Example:
        >>> tok = install(Tokenizer.from_file("tokenizer.json"), Codec("vocab"))  # doctest: +SKIP
        >>> tok.decode(tok.encode("12 cats").ids)                                  # doctest: +SKIP
        '12 cats'
    """
    if codec.settings.style != "exact":
        raise TSTError("the plug-in needs style='exact'")
    if getattr(tokenizer, "_tst_plugin", None) is not None:
        raise TSTError("this tokenizer has the TST plug-in already")
    state = json.loads(tokenizer.to_str())
    base_dec = tokenizer.decoder
    plugin = TSTNormalizer(codec)
    units = codec.vocabulary()
    # The same adaptation as route 1, so the text around numbers gets the base's ids: the base
    # normalizer (less a moved Prepend) runs first, then the TST step, then the start steps.
    adaptation = adapt(tokenizer, units, stacklevel=3)
    before, after = split_normalizer(adaptation, tokenizer.normalizer)
    plugin.passthrough = True
    try:
        # The base normalizer first: a native normalizer after a zero-width insertion at the
        # start of the string panics in tokenizers 0.23 (the start steps come after the TST step).
        steps = [*([] if before is None else [before]), normalizers.Normalizer.custom(plugin)]
        tokenizer.normalizer = normalizers.Sequence([*steps, *([] if after is None else [after])])
        if adaptation.pre_tokenizer is not None:
            tokenizer.pre_tokenizer = _component(adaptation.pre_tokenizer, "pre_tokenizer")
        present = [tokenizer.token_to_id(u) for u in units]
        if all(i is None for i in present):
            base_size = tokenizer.get_vocab_size(with_added_tokens=True)
            tokenizer.add_tokens(
                [
                    AddedToken(u, single_word=False, lstrip=False, rstrip=False, normalized=True, special=False)
                    for u in units
                ]
            )
        elif any(i is None for i in present):
            raise TSTError("the tokenizer holds some TST units but not all: it was built for other codec settings")
        else:
            base_size = int(present[0])  # type: ignore[arg-type]
    finally:
        plugin.passthrough = False
    ids = [tokenizer.token_to_id(u) for u in units]
    if ids != list(range(base_size, base_size + len(units))):
        raise TSTError("TST units did not get contiguous ids after the base vocabulary")
    tokenizer.decoder = decoders.Decoder.custom(TSTDecoder(codec, base_dec, strict))
    # Remember the base components for save_pipeline (Python attributes on the binding object).
    tokenizer._tst_plugin = {  # type: ignore[attr-defined]
        "codec": codec.config(),
        "normalizer": state["normalizer"],
        "pre_tokenizer": state["pre_tokenizer"],
        "decoder": state["decoder"],
        "changes": adaptation.changes,
    }
    tokenizer._tst_normalizer = plugin  # type: ignore[attr-defined]
    return tokenizer


def save_pipeline(tokenizer: Tokenizer, path: str | os.PathLike[str]) -> Path:
    """Save a tokenizer that has the plug-in: the base pipeline plus the codec settings."""
    saved: dict[str, Any] | None = getattr(tokenizer, "_tst_plugin", None)
    if saved is None:
        raise TSTError("this tokenizer has no TST plug-in (use tokenizer.save for plain pipelines)")
    plain = _without_plugin(tokenizer, saved)
    out = Path(path)
    out.write_text(
        json.dumps({_FORMAT: {"version": 1, "codec": saved["codec"], "tokenizer": plain}}, ensure_ascii=False),
        encoding="utf-8",
    )
    return out


def load_pipeline(path: str | os.PathLike[str], strict: bool = True) -> Tokenizer:
    """Load what `save_pipeline` wrote, with the plug-in installed again."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or _FORMAT not in data:
        raise TSTError(f"{path} is not a TST pipeline file (no {_FORMAT!r} key)")
    body = data[_FORMAT]
    codec = Codec(**body["codec"])
    # The units are added again by `install`: loaded as they were saved, tokenizers 0.22 keeps
    # their content as normalized by the base normalizer (a `Prepend` would make `⟦12⟧` `▁⟦12⟧`).
    units = set(codec.vocabulary())
    plain = dict(body["tokenizer"])
    saved_ids = {t["content"]: t["id"] for t in plain["added_tokens"] if t["content"] in units}
    plain["added_tokens"] = [t for t in plain["added_tokens"] if t["content"] not in units]
    tokenizer = install(Tokenizer.from_str(json.dumps(plain)), codec, strict)
    moved = [u for u, i in saved_ids.items() if tokenizer.token_to_id(u) != i]
    if moved:
        raise TSTError(f"{path}: TST units got other ids than when saved (first: {moved[0]!r})")
    return tokenizer


def _without_plugin(tokenizer: Tokenizer, saved: dict[str, Any]) -> dict[str, Any]:
    """The tokenizer's JSON with the base normalizer and decoder in place of the plug-in's."""
    norm, dec = tokenizer.normalizer, tokenizer.decoder
    plugin: TSTNormalizer = tokenizer._tst_normalizer  # type: ignore[attr-defined]
    # Setting a normalizer re-normalizes every added token: the units must pass through unchanged.
    plugin.passthrough = True
    try:
        tokenizer.normalizer = normalizers.Sequence([])
        tokenizer.decoder = decoders.Sequence([])
        state: dict[str, Any] = json.loads(tokenizer.to_str())
    finally:
        tokenizer.normalizer, tokenizer.decoder = norm, dec
        plugin.passthrough = False
    state["normalizer"] = saved["normalizer"]
    state["pre_tokenizer"] = saved["pre_tokenizer"]
    state["decoder"] = saved["decoder"]
    return state
