"""`TSTStopStrings`: stop `generate` on strings of the decoded text, numbers included.

transformers' own ``generate(stop_strings=...)`` (``StopStringCriteria``) builds its tables
from each token's text taken alone. A TST unit's text depends on its neighbours: ``⟦,3⟧``
writes nothing by itself, ``⟦1k⟧`` writes ``1`` and its separator only once the next group
comes. So a stop string that holds a digit either never matches (``"1,000"``) or matches
where it should not (``"1000"`` on ``1,000``). This criterion reads what each sequence wrote
through `tst.hf.DecodeStream`, the decoder of generated ids, and looks for the strings there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from transformers import StoppingCriteria

from tst.hf.streaming import DecodeStream


class TSTStopStrings(StoppingCriteria):
    """A `StoppingCriteria` that ends a sequence once its generated text holds one of `stop_strings`.

    Args:
        tokenizer: the TST tokenizer of the generation (`tst.hf.wrap`); for a plain tokenizer,
            transformers' own ``generate(stop_strings=...)`` serves.
        stop_strings: a string or strings, looked for in the text decoded from the generated ids
            (code points; the prompt's own text is not searched).
        skip_special_tokens: decode as ``tokenizer.decode(..., skip_special_tokens=...)`` does.

    Text a number holds back until it is settled (`DecodeStream`: ``1,0`` may still become
    ``1,000,000``) is looked at when it is: ``"1,000"`` stops the sequence on the id after the
    group ``⟦000⟧``, or on that group's own id where the magnitude closes the number.

    `generate` calls it once per new id; a call whose sequences are not one id longer than at the
    last call, or that follows a call where every sequence had stopped, starts a new generation (so
    one criterion may serve several `generate` calls; a call whose prompt is exactly the last
    output of a generation cut by its length limit reads as that generation going on), and a
    sequence that does not extend the one before it in its row (beam search reorders beams) is
    decoded again from the prompt. Otherwise a call costs one `DecodeStream.step` per sequence, a
    search of the new text (and of the longest stop string's length before it), and a comparison
    of the sequence with the last one. Assisted generation (several ids per call) is not supported.

    Raises:
        ValueError: `stop_strings` is empty or holds an empty string.
        TypeError: `tokenizer` is no TST tokenizer (an exported one loaded by stock code included).

    Example:
        >>> from transformers import StoppingCriteriaList  # doctest: +SKIP
        >>> stop = tst.hf.TSTStopStrings(tok, ["1,000", "\\n\\n"])  # doctest: +SKIP
        >>> model.generate(**inputs, stopping_criteria=StoppingCriteriaList([stop]))  # doctest: +SKIP
    """

    def __init__(self, tokenizer: Any, stop_strings: str | Sequence[str], skip_special_tokens: bool = False) -> None:
        strings = [stop_strings] if isinstance(stop_strings, str) else list(stop_strings)
        if not strings or any(not isinstance(s, str) or not s for s in strings):
            raise ValueError(f"stop_strings must be non-empty strings, not {stop_strings!r}")
        from tst.hf.tokenizer import TSTTokenizerFast

        if not isinstance(tokenizer, TSTTokenizerFast):  # refused here, not at generate's first step
            from tst.hf.wrapping import not_tst_message

            raise TypeError(not_tst_message(tokenizer, "TSTStopStrings"))
        self.tokenizer = tokenizer
        self.stop_strings = strings
        self.skip_special_tokens = skip_special_tokens
        self._keep = max(map(len, strings)) - 1  # characters of text a match may start in
        self._rows: list[_Row] = []
        self._length = -1  # the length of the sequences at the last call
        self._prompt = 0  # the prompt's length in the current generation

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any) -> torch.BoolTensor:
        """One bool per sequence of `input_ids` (shape ``(batch, length)``): True once it has stopped."""
        ids = input_ids.tolist()
        length = len(ids[0]) if ids else 0
        if len(self._rows) != len(ids) or length != self._length + 1 or all(r.done for r in self._rows):
            # A new generation (`generate` adds one id per call, and ends once every sequence has
            # stopped): everything but the last id is its prompt.
            self._prompt = length - 1
            self._rows = [_Row(self._stream(seq), seq[: self._prompt]) for seq in ids]
        self._length = length
        done = []
        for k, seq in enumerate(ids):
            row = self._rows[k]
            if seq[:-1] != row.ids:  # beam search reorders its beams: this one's own text, from the prompt
                row = self._rows[k] = _Row(self._stream(seq), seq[: self._prompt])
            done.append(self._advance(row, seq))
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)  # type: ignore[return-value]

    def _stream(self, seq: list[int]) -> DecodeStream:
        return DecodeStream(self.skip_special_tokens, ids=seq[: self._prompt])

    def _advance(self, row: _Row, seq: list[int]) -> bool:
        new, row.ids = seq[len(row.ids) :], seq
        if row.done or not new:
            return row.done
        chunk = row.stream.step(self.tokenizer, new)
        if chunk:
            window = row.tail + chunk
            row.done = any(s in window for s in self.stop_strings)
            row.tail = window[max(0, len(window) - self._keep) :] if self._keep else ""
        return row.done


class _Row:
    """One sequence's decoding state."""

    __slots__ = ("done", "ids", "stream", "tail")

    def __init__(self, stream: DecodeStream, ids: list[int]) -> None:
        self.stream = stream
        self.ids = ids  # the sequence fed to the stream so far (the prompt's ids included)
        self.tail = ""  # the last characters of the generated text, where a match may start
        self.done = False
