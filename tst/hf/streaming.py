"""`DecodeStream`: incremental decoding of generated ids, text out as soon as it is final.

Three stages, each holding back only what a later id can still change:

1. the base decoder, over a short window of ids (the `tokenizers.decoders.DecodeStream`
   algorithm: decode the window with and without the new id, return the difference),
   waiting while the window ends inside a character (an unfinished UTF-8 sequence of a
   byte-level base; a byte-fallback run, which a later byte can turn into U+FFFD);
2. for a WordPiece base, the removal of the spaces it puts inside numbers, done on
   pieces that end inside a word (where no such space can depend on what follows);
3. `tst._decode.IncrementalDecoder`, the lenient TST decoder fed piece by piece, which
   holds an open number, a grouping tag or a unit whose reading depends on what follows.

`step` returns None while nothing new is final, and `flush` ends the sequence and
returns what is still held (a number cut off by the length limit, a trailing partial
character), so that the chunks of `step` and `flush`, joined, equal
``tokenizer.decode(all ids)`` for every sequence of ids.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from typing import Any

from tst._decode import IncrementalDecoder
from tst.hf._glue import glue_wordpiece_units
from tst.hf._vocab import byte_of_token, bytelevel_bytes, decoder_family, id_list, special_ids
from tst.spelling import CLOSE, OPEN


class DecodeStream:
    """Decode generated ids one at a time, like `tokenizers.decoders.DecodeStream`.

    Args:
        skip_special_tokens: drop special tokens, as ``tokenizer.decode`` does with it.
        ids: ids already there (the prompt): context for what follows, their text is
            not returned. The chunks then join to ``decode(ids + generated)`` less its common
            prefix with ``decode(ids)`` (the whole of it, but where the prompt ends inside a
            character), including the end of the prompt's text that a stage held back.

    Each `step` costs a bounded amount of work (it decodes a few ids of the base, not
    the whole sequence), whatever the length of the sequence; `flush` decodes the
    whole sequence once.

    Example:
        >>> stream = DecodeStream()  # doctest: +SKIP
        >>> for token_id in generated:  # doctest: +SKIP
        ...     chunk = stream.step(tok, token_id)
        ...     if chunk is not None:
        ...         print(chunk, end="")
        >>> print(stream.flush(tok) or "")  # doctest: +SKIP
    """

    def __init__(self, skip_special_tokens: bool = False, ids: Sequence[int] | Any | None = None) -> None:
        self.skip_special_tokens = skip_special_tokens
        self._context = [] if ids is None else id_list(ids)
        self._reset()

    def _reset(self) -> None:
        self._tokenizer: Any = None
        self._ids: list[int] = []  # window of the base stage
        self._all_ids: list[int] = []
        self._emitted = 0  # characters of the base decode handed to stage 2
        self._prefix = ""  # the base decode of the window's first `_prefix_index` ids
        self._prefix_index = 0
        self._glue_tail = ""  # WordPiece: surface not glued yet
        self._decoder: IncrementalDecoder | None = None
        self._clean_tail = ""  # WordPiece with cleanup: decoded text not cleaned yet
        self._family = ""
        self._special: set[int] = set()  # ids skipped (skip_special_tokens), found once per tokenizer
        # Skipped special tokens next to a unit cut the TST text (`TSTTokenizerFast._tst_cuts`):
        # the surface positions of the cuts to come, the surface fed to stage 2 so far, the last
        # id not skipped, and the first id of the run of skipped ones after it.
        self._cuts: list[int] = []
        self._fed = 0
        self._last_kept = -1
        self._run_start = -1
        # The prompt's own text (``decode(ids)``) not yet met in the output: a stage may hold
        # the prompt's end back (a byte-fallback byte, a WordPiece word, an open number) and
        # give it out with the first generated id; that part is the prompt's, not new text.
        self._prompt_unseen = ""
        self._pending = ""  # new text found while reading the prompt (see `_past_prompt`)

    # -- public ----------------------------------------------------------------

    def step(self, tokenizer: Any, token_id: int | Iterable[int] | Any) -> str | None:
        """Add one id (or several); return the new final text, or None if there is none yet.

        `token_id`: an int, a numpy or torch integer scalar, or a sequence, array or tensor of ids.

        Raises:
            TypeError: `token_id` holds sequences (a ``[batch, length]`` tensor): one stream
                decodes one sequence, so pass a row (``ids[0]``).
        """
        self._bind(tokenizer)
        ids = id_list(token_id)
        out = self._pending + self._past_prompt("".join(self._stage_text(self._base_step(i)) for i in ids))
        self._pending = ""
        return out or None

    def flush(self, tokenizer: Any) -> str | None:
        """End the sequence: return the text still held back (None if none) and start afresh.

        Call it when generation stops (EOS, length limit): a number cut off by the
        limit renders as its digits so far, as ``tokenizer.decode`` renders it.
        """
        self._bind(tokenizer)
        surface = self._base_flush()
        # Skipped special tokens after a unit end the sequence: a cut, as `decode` reads it.
        cut = self._run_start >= 0 and self._all_ids[self._last_kept] in tokenizer._tst_unit_ids
        out = self._pending + self._past_prompt(self._stage_text(surface, final=True, cut=cut))
        context = self._context
        self._reset()
        self._context = context
        return out or None

    # -- stage 1: base decoder ---------------------------------------------------

    def _bind(self, tokenizer: Any) -> None:
        from tst.hf.tokenizer import TSTTokenizerFast

        if not isinstance(tokenizer, TSTTokenizerFast):
            from tst.hf.wrapping import not_tst_message

            raise TypeError(not_tst_message(tokenizer, "DecodeStream"))
        if self._tokenizer is tokenizer:
            return
        if self._tokenizer is not None:
            raise ValueError("this DecodeStream is in use with another tokenizer; flush it first")
        self._tokenizer = tokenizer
        self._family = decoder_family(tokenizer)
        # Found once: the set walks every added token (thousands of units), too slow for each step.
        self._special = special_ids(tokenizer) if self.skip_special_tokens else set()
        self._decoder = IncrementalDecoder(tokenizer.tst_codec.settings)
        if self._context:  # read the prompt as context; its text is not returned
            prompt_text = tokenizer.decode(self._context, skip_special_tokens=self.skip_special_tokens)
            assert isinstance(prompt_text, str)  # one sequence of ids decodes to one string
            self._prompt_unseen = prompt_text
            self._pending = "".join(self._past_prompt(self._stage_text(self._base_step(i))) for i in self._context)

    def _past_prompt(self, text: str) -> str:
        """`text` (final output, in order) less what is still the prompt's own text.

        The output over prompt + generated ids is ``decode(prompt + generated)``, and the
        prompt's text ``decode(prompt)`` is its prefix but where the prompt ends inside a
        character (a byte-fallback or byte-level sequence that a generated id completes):
        there the output departs from the prompt's text, and from there on all of it is new.
        """
        unseen = self._prompt_unseen
        if not unseen:
            return text
        n = _common_prefix(unseen, text)
        self._prompt_unseen = unseen[n:] if n == len(text) else ""
        return text[n:]

    def _decode_ids(self, ids: list[int]) -> str:
        text: str = self._tokenizer.backend_tokenizer.decode(ids, skip_special_tokens=self.skip_special_tokens)
        return text

    def _note_cut(self, token_id: int) -> None:
        """Record where a run of skipped special tokens cuts the TST text (as `decode` cuts it)."""
        j = len(self._all_ids) - 1
        if token_id in self._special:
            if self._run_start < 0 and self._last_kept >= 0:
                self._run_start = j
            return
        b, self._run_start = self._run_start, -1
        last, self._last_kept = self._last_kept, j
        units = self._tokenizer._tst_unit_ids
        if b < 0 or (self._all_ids[last] not in units and token_id not in units):
            return
        before = self._decode_ids(self._all_ids[:b])  # once per such run: specials next to a number
        if self._decode_ids(self._all_ids).startswith(before) and (not self._cuts or len(before) > self._cuts[-1]):
            self._cuts.append(len(before))

    def _base_step(self, token_id: int) -> str:
        self._ids.append(int(token_id))
        self._all_ids.append(int(token_id))
        if self.skip_special_tokens:
            self._note_cut(int(token_id))
        text = self._decode_ids(self._ids)
        if len(text) <= len(self._prefix) or not text.startswith(self._prefix) or not self._complete():
            return ""
        new = text[len(self._prefix) :]
        # Keep the ids of this chunk as context for the next one (what the base decoder
        # does at the start of a text, such as SentencePiece's leading space, stays the same).
        self._ids = self._ids[self._prefix_index :]
        self._prefix = self._decode_ids(self._ids)
        self._prefix_index = len(self._ids)
        self._emitted += len(new)
        return new

    def _base_flush(self) -> str:
        # Once per sequence: the whole decode, so the end is right whatever the window held.
        return self._decode_ids(self._all_ids)[self._emitted :]

    def _complete(self) -> bool:
        """Whether no later id can change the text of the window's last ids."""
        tokenizer = self._tokenizer
        last = [i for i in self._ids[-4:] if i not in self._special]
        if not last:
            return True
        if self._family == "bytefallback":
            token = tokenizer.backend_tokenizer.id_to_token(last[-1])
            return token is None or byte_of_token(token) is None
        if self._family == "bytelevel":
            tail = b"".join(bytelevel_bytes(tokenizer.backend_tokenizer.id_to_token(i) or "") for i in last)[-3:]
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            decoder.decode(tail, final=False)
            return not decoder.getstate()[0]  # no character begun and unfinished
        return True

    # -- stages 2 and 3 ----------------------------------------------------------

    def _stage_text(self, surface: str, final: bool = False, cut: bool = False) -> str:
        """Stages 2 and 3 (and the cleanup) over the next `surface` of the base decode (`cut`: the
        sequence ends in one)."""
        out = ""
        while self._cuts and self._cuts[0] <= self._fed + len(surface):
            k = max(0, self._cuts.pop(0) - self._fed)
            out += self._stages(surface[:k], piece_end=True)
            self._fed += k
            surface = surface[k:]
        self._fed += len(surface)
        return out + self._stages(surface, final=final, piece_end=cut)

    def _stages(self, surface: str, final: bool = False, piece_end: bool = False) -> str:
        """`_stage_text` between two cuts: `piece_end` ends the TST text there, `final` the sequence."""
        tok = self._tokenizer
        assert self._decoder is not None
        if tok._tst_wordpiece:
            self._glue_tail += surface
            cut = len(self._glue_tail) if final or piece_end else _wordpiece_cut(self._glue_tail)
            surface = glue_wordpiece_units(self._glue_tail[:cut], tok.tst_codec.settings.variant == "marker")
            self._glue_tail = self._glue_tail[cut:]
        text = self._decoder.feed(surface)
        if piece_end:  # as `decode`: the special token's text follows (a space stands in for it)
            text = (text + self._decoder.feed(" ") + self._decoder.finish())[:-1]
        elif final:
            text += self._decoder.finish()
        if piece_end:
            self._decoder = IncrementalDecoder(tok.tst_codec.settings)
        if tok._tst_wordpiece and tok.clean_up_tokenization_spaces:
            self._clean_tail += text
            cut = len(self._clean_tail) if final else _cleanup_cut(self._clean_tail)
            text = tok.clean_up_tokenization(self._clean_tail[:cut])
            self._clean_tail = self._clean_tail[cut:]
        return text


def _common_prefix(a: str, b: str) -> int:
    """How many characters `a` and `b` share from the start."""
    return next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _wordpiece_cut(s: str) -> int:
    """The last place where the WordPiece glue of ``s[:p]`` and ``s[p:]`` is that of `s`, or 0.

    Inside a run of two non-space characters outside any unit, no glued space can
    depend on what is across (glue joins only units, and units around a decimal mark).
    """
    for p in range(len(s) - 1, 0, -1):
        a, b = s[p - 1], s[p]
        if a in (OPEN, CLOSE) or b in (OPEN, CLOSE) or a.isspace() or b.isspace():
            continue
        last_open, last_close = s.rfind(OPEN, 0, p), s.rfind(CLOSE, 0, p)
        if last_open < last_close or last_open == -1:
            return p
    return 0


def _cleanup_cut(s: str) -> int:
    """The last place where `clean_up_tokenization` of the two sides is that of the whole, or 0.

    Every pattern it replaces starts with a space and is at most 4 characters long,
    so none straddles a place with no space among the 3 characters before it.
    """
    for p in range(len(s), 2, -1):
        if " " not in s[p - 3 : p]:
            return p
    return 0
