"""`TSTTokenizerFast`: a fast tokenizer whose encode applies TST first (route 1).

Texts become TST surfaces (`Codec.encode`), the base tokenizer's Rust pipeline
tokenizes the surfaces, and every TST unit is one added token (normalized=False,
matched on the surface before the base normalizer, pre-tokenizer and model see
anything). Offsets are mapped back to the original texts; decode runs the base
decoder, which gives the surface back, then `Codec.decode`.
"""

from __future__ import annotations

import json
import os
import re
import threading
import warnings
import weakref
from collections.abc import Sequence
from typing import Any

from tokenizers import AddedToken, Tokenizer
from transformers import AutoTokenizer, PretrainedConfig, PreTrainedTokenizerFast
from transformers.tokenization_utils_base import BatchEncoding
from transformers.tokenization_utils_tokenizers import TokenizersBackend

from tst._offset_table import OffsetMap
from tst.codec import Codec
from tst.errors import TSTDecodeError, TSTError
from tst.hf._glue import glue_wordpiece_units
from tst.hf._pipeline import (
    TSTPipelineWarning,
    _component,
    adapt,
    base_normalizer,
    install,
    restore,
    trim_leading_whitespace,
)
from tst.hf._saved import TST_TOKENIZER_FILE, clear_base_files, unwrap
from tst.hf._surface import encode_for_offsets, encode_protected, protect_pattern
from tst.hf._vocab import id_list, special_ids
from tst.spelling import CLOSE, OPEN

_INPUT_STRUCTURE_ERROR = "TST tokenizers take str, list[str], or pre-split words (is_split_into_words=True)"

# transformers stores padding and truncation on the shared backend at every call, so
# threads mixing settings would tokenize with each other's (huggingface/transformers#47085).
# One lock per tokenizer, kept outside the object so copies and pickles stay plain.
_LOCKS: weakref.WeakKeyDictionary[Any, threading.RLock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def _lock_of(tokenizer: Any) -> threading.RLock:
    with _LOCKS_GUARD:
        lock = _LOCKS.get(tokenizer)
        if lock is None:
            lock = _LOCKS[tokenizer] = threading.RLock()
        return lock


class TSTTokenizerFast(PreTrainedTokenizerFast):
    """A `PreTrainedTokenizerFast` that applies Triadic Suffix Tokenization to its input.

    Build one with `tst.hf.wrap(base)`; load a saved one with `tst.hf.load(dir)`
    or, after ``import tst.hf``, `AutoTokenizer.from_pretrained(dir)`.

    Attributes:
        tst_codec: the `tst.Codec` applied to every text.
        tst_base_vocab_size: ``len(base)`` when wrapped; TST ids follow it.
        tst_token_ids: unit string -> id, in `tst_codec.vocabulary()` order.
    """

    vocab_files_names = {"tokenizer_file": TST_TOKENIZER_FILE}  # noqa: RUF012 (transformers reads the class attribute)
    model_input_names = PreTrainedTokenizerFast.model_input_names

    def __init__(
        self,
        *args: Any,
        tst_config: dict[str, Any] | None = None,
        tst_base_vocab_size: int | None = None,
        tst_pipeline: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("clean_up_tokenization_spaces", False)
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        config = dict(tst_config or {})
        config.pop("backend", None)
        codec = Codec(**config)
        if codec.settings.style != "exact":
            raise TSTError("a wrapped tokenizer needs style='exact' (the paper style is lossy and has no offsets)")
        units = codec.vocabulary()
        backend = self._tokenizer
        assert backend is not None  # set by the base __init__
        if tst_base_vocab_size is None:
            if any(backend.token_to_id(u) is not None for u in units[:1] + units[-1:]):
                raise TSTError(f"the base tokenizer already has the TST token {units[0]!r}; is it wrapped already?")
            clash = [u for u in units if backend.token_to_id(u) is not None]
            if clash:
                shown = ", ".join(map(repr, clash[:5])) + (", ..." if len(clash) > 5 else "")
                raise TSTError(
                    f"the base vocabulary already holds {len(clash)} TST unit spelling(s) ({shown}): was it trained "
                    "on TST text as plain text? Train it with tst.hf.train_from_iterator, which keeps units whole"
                )
            tst_base_vocab_size = backend.get_vocab_size(with_added_tokens=True)
            # Keep the base's tokenization of the text around numbers (tst/hf/_pipeline.py).
            adaptation = adapt(backend, units)
            install(backend, adaptation)
            tst_pipeline = adaptation.record
            backend.add_tokens(
                [
                    AddedToken(
                        u,
                        single_word=False,
                        lstrip=False,
                        rstrip=False,
                        normalized=u not in adaptation.raw_units,
                        special=False,
                    )
                    for u in units
                ]
            )
        ids = {u: backend.token_to_id(u) for u in units}
        expected = range(tst_base_vocab_size, tst_base_vocab_size + len(units))
        if list(ids.values()) != list(expected):
            raise TSTError(
                f"TST tokens did not get the ids {expected.start}..{expected.stop - 1} in vocabulary order; "
                "the base tokenizer's added tokens leave a gap or overlap the TST vocabulary"
            )
        self.tst_codec = codec
        self.tst_base_vocab_size: int = tst_base_vocab_size
        self.tst_token_ids: dict[str, int] = ids
        self._tst_unit_ids = frozenset(ids.values())
        self._tst_protect: re.Pattern[str] | None = None
        self._tst_base_added_ids: frozenset[int] = frozenset()
        self._tst_find_added()
        # Decoding joins tokens with spaces: a WordPiece model, or a base with no decoder at all
        # (`tokenizers` then joins every token with a space); `_glue` puts each number back together.
        self._tst_wordpiece = type(backend.model).__name__ == "WordPiece" or backend.decoder is None
        self._tst_trim_offsets = bool((tst_pipeline or {}).get("trim_offsets"))
        self.init_kwargs["tst_config"] = codec.config()
        self.init_kwargs["tst_base_vocab_size"] = tst_base_vocab_size
        if tst_pipeline is not None:
            self.init_kwargs["tst_pipeline"] = tst_pipeline

    def _tst_find_added(self) -> None:
        """The added tokens other than TST units (the base's, and any added since): TST must not
        alter their text, or they could never match (`protect_pattern`)."""
        added = {i: t.content for i, t in self.added_tokens_decoder.items() if i not in self._tst_unit_ids}
        self._tst_protect = protect_pattern(added.values())
        self._tst_base_added_ids = frozenset(added)

    def _add_tokens(self, new_tokens: Any, special_tokens: bool = False) -> int:
        """`add_tokens` and `add_special_tokens`: a token added to the wrapped tokenizer is kept
        whole, as the base's own added tokens are (``42abc`` would otherwise lose its digits to a
        unit before the base saw it); one holding ``⟦`` or ``⟧`` raises `TSTError`."""
        ready = hasattr(self, "_tst_unit_ids")  # not while the base __init__ adds its own (units too)
        if ready and isinstance(new_tokens, (list, tuple)):
            for token in new_tokens:
                if OPEN in str(token) or CLOSE in str(token):
                    raise TSTError(
                        f"an added token may not hold {OPEN!r} or {CLOSE!r}, which TST reserves: {str(token)!r}"
                    )
            self._tst_readapt(list(new_tokens), special_tokens)
        added: int = super()._add_tokens(new_tokens, special_tokens=special_tokens)
        if added and ready:
            self._tst_find_added()
        return added

    def _tst_readapt(self, tokens: list[Any], special: bool) -> None:
        """Teach the start steps the tokens about to be added, where they would alter them.

        A token matched after normalization (``normalized=True``, `tokenizers`' default for a
        non-special token) is matched in its normalized form. The start steps that write a word
        prefix only at real text starts (tst/hf/_pipeline.py) know the base's own added tokens;
        one added since would get a prefix there (``▁<tool7>``, matched only after a space) that
        the base's normalizer does not give it. The pipeline is then adapted again from the base's
        with the new tokens, as if they had been added before wrapping.

        Raises:
            TSTError: the adaptation cannot keep the new tokens as the base matches them.
        """
        record = self.init_kwargs.get("tst_pipeline")
        backend = self._tokenizer
        assert backend is not None  # set by the base __init__
        current = backend.normalizer
        if current is None or not record or not record.get("normalizer"):
            return
        base = base_normalizer(backend, record)

        def in_base(content: str) -> str:
            return str(base.normalize_str(content)) if base is not None else content

        altered = [
            str(t)
            for t in tokens
            if (t.normalized if isinstance(t, AddedToken) else not special)
            and current.normalize_str(str(t)) != in_base(str(t))
        ]
        if not altered:
            return
        data = json.loads(backend.to_str())
        restore(data, record)
        plain = Tokenizer.from_str(json.dumps(data))
        (plain.add_special_tokens if special else plain.add_tokens)(tokens)
        with warnings.catch_warnings():
            warnings.simplefilter("error", TSTPipelineWarning)
            try:
                adaptation = adapt(plain, list(self.tst_token_ids))
            except TSTPipelineWarning:
                adaptation = None
        new = _component(adaptation.normalizer, "normalizer") if adaptation and adaptation.normalizer else None
        if new is None or any(new.normalize_str(c) != in_base(c) for c in altered):
            raise TSTError(
                f"the wrapped tokenizer cannot match the added token(s) {', '.join(map(repr, altered))} where its "
                "base would: add them to the base before wrapping, or with AddedToken(..., normalized=False)"
            )
        assert adaptation is not None
        backend.normalizer = new
        self.init_kwargs["tst_pipeline"] = {**record, "normalizer": adaptation.record["normalizer"]}

    def convert_tokens_to_string(self, tokens: list[str]) -> str:
        """The text of `tokens` as `decode` reads it (TST read back leniently), not the TST surface."""
        surface: str = super().convert_tokens_to_string(tokens)
        if self._tst_wordpiece:
            surface = glue_wordpiece_units(surface, self.tst_codec.settings.variant == "marker")
        return self.tst_codec.decode(surface, strict=False)

    # -- construction helpers ------------------------------------------------

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: Any, *args: Any, **kwargs: Any) -> Any:
        """Load a saved TST tokenizer (its pipeline lives in ``tst_tokenizer.json``)."""
        if kwargs.get("tokenizer_file") is None:
            kwargs["tokenizer_file"] = _resolve(pretrained_model_name_or_path, kwargs)
        return super().from_pretrained(pretrained_model_name_or_path, *args, **kwargs)

    @classmethod
    def convert_to_native_format(cls, trust_remote_code: bool = False, **kwargs: Any) -> Any:
        # Load the saved pipeline as is (the generic path), never rebuild it from vocab/merges.
        return TokenizersBackend.convert_to_native_format.__func__(TokenizersBackend, trust_remote_code, **kwargs)  # type: ignore[attr-defined]

    @property
    def can_save_slow_tokenizer(self) -> bool:
        return False  # keeps tokenizer_class = "TSTTokenizerFast" in tokenizer_config.json

    def _save_pretrained(
        self,
        save_directory: str | os.PathLike[str],
        file_names: tuple[str, ...],
        legacy_format: bool | None = None,
        filename_prefix: str | None = None,
    ) -> tuple[str, ...]:
        path = os.path.join(
            str(save_directory), (filename_prefix + "-" if filename_prefix else "") + TST_TOKENIZER_FILE
        )
        self.backend_tokenizer.save(path)
        removed = clear_base_files(str(save_directory))
        if removed:
            warnings.warn(
                f"save_pretrained removed {', '.join(removed)} from {save_directory}: the base tokenizer's files, "
                "which a loader without tst.hf would have used instead of the TST tokenizer",
                stacklevel=3,
            )
        return (*file_names, path)

    def tst_base_tokenizer(self) -> PreTrainedTokenizerFast:
        """A plain fast tokenizer equal to the base (no TST step, no TST tokens)."""
        return unwrap(self, self.tst_base_vocab_size, self.init_kwargs.get("tst_pipeline"))

    # -- encoding ------------------------------------------------------------

    def _encode_plus(  # type: ignore[override]
        self,
        text: Any,
        text_pair: Any = None,
        add_special_tokens: bool = True,
        is_split_into_words: bool = False,
        return_offsets_mapping: bool = False,
        return_tensors: Any = None,
        return_overflowing_tokens: bool = False,
        **kwargs: Any,
    ) -> BatchEncoding:
        sources, layout = _collect(text, text_pair, is_split_into_words)
        offsets: OffsetMap | None = None
        if return_offsets_mapping:
            encoded, offsets = encode_for_offsets(self.tst_codec, sources, self._tst_protect)
        else:
            encoded = encode_protected(self.tst_codec, sources, self._tst_protect)
        enc_text, enc_pair = _rebuild(encoded, layout, text_pair is not None)
        with _lock_of(self):  # settings live on the shared backend for the whole call
            result = super()._encode_plus(
                enc_text,
                enc_pair,
                add_special_tokens=add_special_tokens,
                is_split_into_words=is_split_into_words,
                return_offsets_mapping=return_offsets_mapping,
                return_tensors=None,
                return_overflowing_tokens=return_overflowing_tokens,
                **kwargs,
            )
        if offsets is not None:
            trim = (sources, self._tst_base_added_ids, self._tst_unit_ids) if self._tst_trim_offsets else None
            _fix_offsets(
                result, offsets, layout, text_pair is not None, is_split_into_words, return_overflowing_tokens, trim
            )
        if return_tensors is not None:
            # A single input keeps its batch axis when tensors are asked for, as in transformers.
            ids = result.get("input_ids")
            single = isinstance(ids, list) and (not ids or not isinstance(ids[0], list))
            result.convert_to_tensors(tensor_type=return_tensors, prepend_batch_axis=single)
        return result

    # -- decoding ------------------------------------------------------------

    def decode(self, token_ids: Any, skip_special_tokens: bool = False, **kwargs: Any) -> Any:
        """The base's `decode` (one sequence -> str, a batch -> list of str), then TST.

        With ``strict=True``, a `TSTDecodeError` from a batch names the failing sequence
        (``index``, and ``item i:`` in the message), as `Codec.decode_batch` does.
        """
        batch = _as_batch(token_ids)
        if batch is not None:
            return self._decode_each(batch, skip_special_tokens, kwargs)
        return super().decode(token_ids, skip_special_tokens=skip_special_tokens, **kwargs)

    def batch_decode(  # type: ignore[override]
        self, sequences: Any, skip_special_tokens: bool = False, **kwargs: Any
    ) -> list[str]:
        """`decode` of each sequence; a strict `TSTDecodeError` carries the sequence's ``index``."""
        batch = _as_batch(sequences)
        if batch is not None:
            return self._decode_each(batch, skip_special_tokens, kwargs)
        # Empty, or a single sequence: the base's own handling (and its deprecation warning).
        result: list[str] = super().batch_decode(sequences, skip_special_tokens=skip_special_tokens, **kwargs)
        return result

    def _decode_each(self, batch: Sequence[Any], skip_special_tokens: bool, kwargs: dict[str, Any]) -> list[str]:
        out: list[str] = []
        for index, seq in enumerate(batch):
            try:
                text = super().decode(seq, skip_special_tokens=skip_special_tokens, **kwargs)
            except TSTDecodeError as e:
                raise e.at(index) from e
            assert isinstance(text, str)  # one sequence decodes to one string
            out.append(text)
        return out

    def _decode(
        self,
        token_ids: int | list[int],
        skip_special_tokens: bool = False,
        clean_up_tokenization_spaces: bool | None = None,
        strict: bool = False,
        **kwargs: Any,
    ) -> str:
        """Base decode (the TST surface), then `Codec.decode`.

        Never raises on ids of the vocabulary: malformed TST is rendered as
        `Codec.decode(..., strict=False)` does (docs/generation.md). ``strict=True``
        raises `TSTDecodeError` instead, as `tst.Codec.decode` does by default.
        """
        surface = super()._decode(
            token_ids, skip_special_tokens=skip_special_tokens, clean_up_tokenization_spaces=False, **kwargs
        )
        cuts = self._tst_cuts(token_ids, surface, kwargs) if skip_special_tokens else []
        # The last piece ends the text unless skipped special tokens follow a unit there: a cut too.
        ends_cut = bool(skip_special_tokens) and self._tst_ends_in_cut(token_ids)
        pieces, offset = [], 0
        bounds = list(zip([0, *cuts], [*cuts, len(surface)]))
        for k, (a, b) in enumerate(bounds):
            piece = surface[a:b]
            if self._tst_wordpiece:
                piece = glue_wordpiece_units(piece, self.tst_codec.settings.variant == "marker")
            try:
                if k < len(bounds) - 1 or ends_cut:
                    # Read as when the special token's text follows: a number it cuts short keeps
                    # its units (its digits so far do not say its value), as `decode` keeps them
                    # before any other text; a plain space stands in for that text.
                    pieces.append(self.tst_codec.decode(piece + " ", strict=strict)[:-1])
                else:
                    pieces.append(self.tst_codec.decode(piece, strict=strict))
            except TSTDecodeError as e:
                raise type(e)(e.position + offset, e.reason, e.index) from None
            offset += len(piece)
        text = "".join(pieces)
        cleanup = (
            self.clean_up_tokenization_spaces if clean_up_tokenization_spaces is None else clean_up_tokenization_spaces
        )
        if cleanup and self._tst_wordpiece:
            text = self.clean_up_tokenization(text)
        return text

    def _tst_cuts(self, token_ids: Any, surface: str, kwargs: dict[str, Any]) -> list[int]:
        """Where skipped special tokens cut `surface` (the base decode, specials skipped), in order.

        A run of special tokens between two other ids, one of them a TST unit, is a boundary of
        the TST text as its text is when kept: ``⟦2⟧`` ``[/INST]`` ``⟦4⟧`` reads ``2`` then ``4``
        (``2+24`` as the base writes it), not one malformed number. The cut lies where the base
        decode of the ids before the run ends; `DecodeStream` cuts at the same places. Costs one
        base decode of the ids before each such run (and one up to the id after it).
        """
        ids = id_list(token_ids)
        special = special_ids(self)
        units = self._tst_unit_ids
        cuts: list[int] = []
        prev, i, n = -1, 0, len(ids)
        while i < n:
            if ids[i] not in special:
                prev, i = i, i + 1
                continue
            b = i
            while i < n and ids[i] in special:
                i += 1
            if prev < 0 or i == n or (ids[prev] not in units and ids[i] not in units):
                continue
            before = super()._decode(ids[:b], skip_special_tokens=True, clean_up_tokenization_spaces=False, **kwargs)
            upto = super()._decode(ids[: i + 1], skip_special_tokens=True, clean_up_tokenization_spaces=False, **kwargs)
            cut = len(before)
            fits = upto.startswith(before) and surface.startswith(before)
            if fits and 0 < cut < len(surface) and (not cuts or cut > cuts[-1]):
                cuts.append(cut)
        return cuts

    def _tst_ends_in_cut(self, token_ids: Any) -> bool:
        """Whether `token_ids` end with skipped special tokens after a TST unit (an EOS right after `⟦12m⟧`)."""
        ids = id_list(token_ids)
        special = special_ids(self)
        k = len(ids)
        while k > 0 and ids[k - 1] in special:
            k -= 1
        return 0 < k < len(ids) and ids[k - 1] in self._tst_unit_ids


def _as_batch(ids: Any) -> list[Any] | None:
    """`ids` as a list of sequences when it is a batch (lists, arrays or tensors of 2 dimensions), else None."""
    if hasattr(ids, "tolist"):  # numpy arrays and torch tensors
        ids = ids.tolist()
    first = ids[0] if isinstance(ids, (list, tuple)) and ids else None
    # A row is a list, or an array or tensor of one dimension (a numpy or torch scalar is an id).
    if isinstance(first, (list, tuple)) or getattr(first, "ndim", 0) >= 1:
        return [seq.tolist() if hasattr(seq, "tolist") else seq for seq in ids]
    return None


# -- input plumbing ----------------------------------------------------------

# A layout says where each source text sits: ("single", n_texts), with pairs
# interleaved as (text, pair) per example; words are flattened per example.
Layout = tuple[bool, list[int]]


def _collect(text: Any, text_pair: Any, split_words: bool) -> tuple[list[str], Layout]:
    """Flatten the user's input into source texts, remembering the structure."""
    batched = isinstance(text, (list, tuple)) and (
        not split_words or (bool(text) and isinstance(text[0], (list, tuple)))
    )
    texts = list(text) if batched else [text]
    pairs = (list(text_pair) if batched else [text_pair]) if text_pair is not None else None
    sources: list[str] = []
    counts: list[int] = []  # sources per example-side, in order
    for k, t in enumerate(texts):
        sides = [t] if pairs is None else [t, pairs[k]]
        for side in sides:
            if split_words:
                if not isinstance(side, (list, tuple)) or not all(isinstance(w, str) for w in side):
                    raise TypeError(_INPUT_STRUCTURE_ERROR)
                sources.extend(side)
                counts.append(len(side))
            else:
                if not isinstance(side, str):
                    raise TypeError(_INPUT_STRUCTURE_ERROR)
                sources.append(side)
                counts.append(1)
    return sources, (batched, counts) if split_words else (batched, [])


def _rebuild(encoded: list[str], layout: Layout, has_pair: bool) -> tuple[Any, Any]:
    """Put encoded sources back in the user's structure."""
    batched, counts = layout
    if counts:  # pre-split words
        sides: list[list[str]] = []
        pos = 0
        for n in counts:
            sides.append(encoded[pos : pos + n])
            pos += n
    else:
        sides = encoded  # type: ignore[assignment]
    if has_pair:
        first, second = list(sides[0::2]), list(sides[1::2])
        return (first, second) if batched else (first[0], second[0])
    return (list(sides), None) if batched else (sides[0], None)


def _fix_offsets(
    result: BatchEncoding,
    mapper: OffsetMap,
    layout: Layout,
    has_pair: bool,
    split_words: bool,
    overflow: bool,
    trim: tuple[list[str], frozenset[int], frozenset[int]] | None = None,
) -> None:
    """Replace ``offset_mapping`` (surface positions) by positions in the original texts.

    With `trim` (the original texts, the base's added-token ids, the unit ids), word tokens also
    get the base's spans (see `tst.hf._pipeline.trim_leading_whitespace`).
    """
    batched, counts = layout
    rows = result["offset_mapping"]
    single = not batched and not overflow and rows and isinstance(rows[0], tuple)
    if single:
        rows = [rows]
    samples: Sequence[int] = result["overflow_to_sample_mapping"] if overflow else range(len(rows))
    encodings = result.encodings or []
    sides = 2 if has_pair else 1
    first_word = [0]
    for n in counts:
        first_word.append(first_word[-1] + n)
    sources: list[int | list[int]] = []
    for r, sample in enumerate(samples):
        if not split_words and not has_pair:
            sources.append(sample)
            continue
        enc = encodings[r]
        seq_ids = enc.sequence_ids
        word_ids = enc.word_ids if split_words else None
        per_token: list[int] = []
        for t, seq in enumerate(seq_ids):
            side = sample * sides + (seq or 0)
            if split_words:
                w = word_ids[t] if word_ids is not None else None
                per_token.append(first_word[side] + (w or 0))
            else:
                per_token.append(side)
        sources.append(per_token)
    if isinstance(rows, list) and all(isinstance(row, list) for row in rows):
        # Rust rewrites the (start, end) tuples in place: no second tuple per token.
        mapper.map_rows_in_place(rows, sources)
        mapped = rows
    else:
        mapped = mapper.map_rows(rows, sources)
    if trim is not None:
        ids = result["input_ids"]
        trim_leading_whitespace(mapped, [ids] if single else ids, trim[0], sources, trim[1], trim[2])
    result["offset_mapping"] = mapped[0] if single else mapped


def _resolve(name_or_path: Any, kwargs: dict[str, Any]) -> str | None:
    """Path of ``tst_tokenizer.json`` in a local directory or a cached hub repository."""
    from transformers.utils.hub import cached_file

    keys = ("cache_dir", "force_download", "proxies", "token", "revision", "local_files_only", "subfolder")
    found: str | None = cached_file(
        str(name_or_path),
        TST_TOKENIZER_FILE,
        _raise_exceptions_for_missing_entries=False,
        **{k: kwargs[k] for k in keys if k in kwargs},
    )
    return found


def _register() -> None:
    """Let `AutoTokenizer.from_pretrained` resolve ``tokenizer_class: TSTTokenizerFast``."""

    class TSTTokenizerConfig(PretrainedConfig):  # type: ignore[no-untyped-call]
        """Placeholder config: AutoTokenizer.register keys tokenizers by a config class."""

        model_type = "tst-tokenizer"

    AutoTokenizer.register(TSTTokenizerConfig, fast_tokenizer_class=TSTTokenizerFast, exist_ok=True)  # type: ignore[no-untyped-call]


_register()
