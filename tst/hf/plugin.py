"""Route 2: TST spliced into a `tokenizers.Tokenizer` pipeline, as the library's own components.

`install(tokenizer, codec)` puts route 3's native rules (`tst.hf.native_components`: stock
``Replace`` normalizer steps, added tokens, decoder rules) into the user's tokenizer after its
normalizer, so the plug-in runs without Python per call, in linear time, and
``tokenizer.save()`` writes a stock tokenizer.json. Where the rules do not write route 1's
surface, `tst.hf.covers` says so (docs/hf.md, docs/DECISIONS.md 39).

Around numbers the base's tokenization is kept as in route 1 (`tst.hf._pipeline.adapt`): a
pre-tokenizer step that prefixes every piece (``Metaspace`` "always",
``ByteLevel(add_prefix_space=True)``) gets its prefix switched off, and normalizer steps after
the TST rules write it only at real starts (a ``Prepend`` normalizer step moves there too).

Why normalizer steps and not a pre-tokenizer: `tokenizers` consults added tokens before
pre-tokenization, so units produced by a pre-tokenizer would be cut up by the model like
ordinary text.

`train_from_iterator` trains a model on the text between the units, then installs.
`save_pipeline`/`load_pipeline` are thin wrappers of ``tokenizer.save``/``Tokenizer.from_file``.
`TSTNormalizer` is the former Python component (one anchored ``NormalizedString.replace`` per
unit: quadratic); `install` no longer uses it. `TSTDecoder` is the strict decoder of
``install(..., strict=True)``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from tokenizers import NormalizedString, Regex, Tokenizer, decoders, trainers

from tst.codec import Codec
from tst.errors import TSTError
from tst.hf._glue import glue_wordpiece_units
from tst.hf._native_rules import normalized_unit
from tst.hf._pipeline import NATIVE_UNIT_PATTERN, UNIT_PATTERN, adapt
from tst.hf.export import shadow_refusal, shadowed_tokens, splice, tst_normalizer
from tst.spelling import CLOSE, OPEN

_FORMAT = "tst_pipeline"
_UNIT = re.compile(UNIT_PATTERN)
_CHUNK = 10_000  # Oniguruma caps one repeat count at 100,000


def _at(position: int) -> str:
    """A regex prefix that matches exactly `position` characters from the start, then resets the match."""
    chunks, rest = divmod(position, _CHUNK)
    head = f"(?:[\\s\\S]{{{_CHUNK}}}){{{chunks}}}" if chunks else ""
    return f"\\A{head}[\\s\\S]{{{rest}}}\\K"


class TSTNormalizer:
    """Custom normalizer step: writes the TST surface of the text it is given (legacy: quadratic, unused by `install`).

    Every input exact, but one `NormalizedString.replace` per unit, each O(text length): use
    `install` (native, linear) unless a text is not covered by it and route 1 is not an option.

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
        self._units = {normalized_unit(u): u for u in codec.vocabulary()}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        # tokenizers >= 0.22 hands a decoder the normalized form of an added token (``12⟧``).
        units = self._units
        tokens = [units.get(t, t) for t in tokens]
        surface = "".join(tokens) if self.base is None else self.base.decode(tokens)
        if type(self.base).__name__ == "WordPiece":
            surface = glue_wordpiece_units(surface)
        return [self.codec.decode(surface, strict=self.strict)]


def install(tokenizer: Tokenizer, codec: Codec, strict: bool = False) -> Tokenizer:
    """Add TST to a `tokenizers.Tokenizer` in place (units get ids after its vocabulary) and return it.

    Native: the TST step is route 3's stock ``Replace`` rules (`tst.hf.native_components`),
    placed after the base normalizer; the decoder is the base decoder followed by route 3's
    decoder rules. So the result runs without Python per call and `tokenizer.save()` writes a
    stock tokenizer.json. The ids equal route 1's where ``tst.hf.covers(text, codec)`` holds
    for the base-normalized text (docs/hf.md, "Route 2": what is not covered).

    Args:
        tokenizer: any `tokenizers.Tokenizer` without TST units.
        codec: the codec to apply (exact style, ``overflow="text"``).
        strict: decode with a Python `TSTDecoder` that rejects malformed TST; the default
            native decoder never raises. `tokenizers` turns an error raised inside a Python
            component into a plain ``Exception`` whose message starts with the TST error's class
            name (``"TSTDecodeError: invalid TST at position 5: ..."``), and it cannot serialize
            such a component: ``tokenizer.save()``, ``to_str()`` and ``repr()`` then raise. For a
            typed `TSTDecodeError`, use route 1 (`tst.hf.wrap`): its ``decode(ids, strict=True)``.

    Raises:
        TypeError: `tokenizer` is not a `tokenizers.Tokenizer` (a transformers tokenizer: the
            message points to `tst.hf.wrap`).
        TSTError: the codec's settings cannot be expressed natively, or the tokenizer holds TST
            units already.

    Example:
        >>> tok = install(Tokenizer.from_file("tokenizer.json"), Codec("vocab"))  # doctest: +SKIP
        >>> tok.decode(tok.encode("12 cats").ids)                                  # doctest: +SKIP
        '12 cats'
    """
    _check_tokenizer(tokenizer, "install")
    if codec.settings.style != "exact":
        raise TSTError("the plug-in needs style='exact'")
    units = codec.vocabulary()
    if getattr(tokenizer, "_tst_plugin", None) is not None or any(tokenizer.token_to_id(u) is not None for u in units):
        raise TSTError("this tokenizer has the TST plug-in (or TST units) already")
    tst_normalizer(codec)  # TSTError for settings the stock components cannot express (cached)
    shadowed = shadowed_tokens(tokenizer, codec)
    if shadowed:
        raise TSTError(shadow_refusal(shadowed))
    base_dec = tokenizer.decoder
    # The same adaptation as route 1, so the text around numbers gets the base's ids: the base
    # normalizer (less a moved Prepend) runs first, then the TST rules, then the start steps.
    rules = tst_normalizer(codec)
    splice(tokenizer, codec, adapt(tokenizer, units, stacklevel=3, unit_pattern=NATIVE_UNIT_PATTERN, rules=rules))
    if strict:
        tokenizer.decoder = decoders.Decoder.custom(TSTDecoder(codec, base_dec, strict=True))
    return tokenizer


def _check_tokenizer(tokenizer: object, what: str) -> None:
    """TypeError unless `tokenizer` is a `tokenizers.Tokenizer` (a transformers tokenizer gets a pointer to route 1)."""
    if isinstance(tokenizer, Tokenizer):
        return
    if hasattr(tokenizer, "backend_tokenizer"):
        raise TypeError(
            f"{what} takes a tokenizers.Tokenizer, not a transformers tokenizer ({type(tokenizer).__name__}): "
            "use tst.hf.wrap(tokenizer) for a transformers tokenizer (route 1), or install into a copy of its "
            "pipeline, Tokenizer.from_str(tokenizer.backend_tokenizer.to_str()) (install changes the tokenizer "
            "it is given)"
        )
    hint = ": load a file with Tokenizer.from_file(path)" if isinstance(tokenizer, (str, os.PathLike)) else ""
    raise TypeError(f"{what} takes a tokenizers.Tokenizer, not {type(tokenizer).__name__}{hint}")


def train_from_iterator(
    tokenizer: Tokenizer,
    iterator: Iterable[str],
    trainer: trainers.Trainer,
    codec: Codec,
    length: int | None = None,
) -> Tokenizer:
    """Train `tokenizer`'s model on TST text, then `install` the plug-in; returns the tokenizer.

    The model learns from the text *between* the units, which is all it ever sees once the units
    are added tokens: every number is written as units by `codec` and left out of training, so
    no merge or piece is spent on digits and every group stays one id. Training a tokenizer that
    has the plug-in already would give the units ids that the new model's ids collide with
    (`tokenizers` keeps added-token ids across training), hence this order.

    Args:
        tokenizer: a `tokenizers.Tokenizer` without TST units (its normalizer and pre-tokenizer
            are used for training, as by ``Tokenizer.train_from_iterator``).
        iterator: the training texts.
        trainer: a `tokenizers.trainers` trainer (`BpeTrainer`, `UnigramTrainer`, ...).
        codec: the codec of the plug-in.
        length: the number of texts, for the progress bar.

    Raises:
        TSTError: the tokenizer holds TST units already, or `codec` cannot be expressed natively.
    """
    _check_tokenizer(tokenizer, "train_from_iterator")
    units = codec.vocabulary()
    if any(tokenizer.token_to_id(u) is not None for u in units):
        raise TSTError("train before installing TST: this tokenizer holds TST units already")
    tst_normalizer(codec)  # refuse unsupported settings before the (long) training

    def between_units() -> Iterator[str]:
        for text in iterator:
            yield from (piece for piece in _UNIT.split(codec.encode(text)) if piece)

    tokenizer.train_from_iterator(between_units(), trainer, length=length)
    return install(tokenizer, codec)


def save_pipeline(tokenizer: Tokenizer, path: str | os.PathLike[str]) -> Path:
    """Save a tokenizer that has the plug-in: a thin wrapper of ``tokenizer.save(path)`` (a stock tokenizer.json).

    Raises:
        TSTError: the tokenizer has no TST units.
    """
    if tokenizer.token_to_id(f"{OPEN}0{CLOSE}") is None:
        raise TSTError("this tokenizer has no TST plug-in (use tokenizer.save for plain pipelines)")
    out = Path(path)
    tokenizer.save(str(out))
    return out


def load_pipeline(path: str | os.PathLike[str], strict: bool = False) -> Tokenizer:
    """Load what `save_pipeline` (or ``tokenizer.save``) wrote; the ``tst_pipeline`` files of tst 0.x install again.

    Raises:
        TSTError: the file holds no TST plug-in.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and _FORMAT in data:  # the format before the native plug-in
        body = data[_FORMAT]
        codec = Codec(**body["codec"])
        units = set(codec.vocabulary())
        plain = dict(body["tokenizer"])
        saved_ids = {t["content"]: t["id"] for t in plain["added_tokens"] if t["content"] in units}
        plain["added_tokens"] = [t for t in plain["added_tokens"] if t["content"] not in units]
        tokenizer = install(Tokenizer.from_str(json.dumps(plain)), codec, strict)
        moved = [u for u, i in saved_ids.items() if tokenizer.token_to_id(u) != i]
        if moved:
            raise TSTError(f"{path}: TST units got other ids than when saved (first: {moved[0]!r})")
        return tokenizer
    tokenizer = Tokenizer.from_str(json.dumps(data))
    if tokenizer.token_to_id(f"{OPEN}0{CLOSE}") is None:
        raise TSTError(f"{path} holds no TST plug-in (no TST units)")
    return tokenizer
