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
        tokenizer: the TST tokenizer of the generation (`tst.hf.wrap`), or any fast tokenizer.
        stop_strings: a string or strings, looked for in the text decoded from the generated ids
            (code points; the prompt's own text is not searched).
        skip_special_tokens: decode as ``tokenizer.decode(..., skip_special_tokens=...)`` does.

    Text a number holds back until it is settled (`DecodeStream`: ``1,0`` may still become
    ``1,000,000``) is looked at when it is: ``"1,000"`` stops the sequence on the id after the
    group ``⟦000⟧``, or on that group's own id where the magnitude closes the number.

    Each call costs a bounded amount of work per sequence (one `DecodeStream.step` and a search of
    the new text plus the longest stop string's length before it). The state follows one
    `generate` call; a call whose ids are not the last ones extended (a new prompt) starts afresh.

    Raises:
        ValueError: `stop_strings` is empty or holds an empty string.

    Example:
        >>> from transformers import StoppingCriteriaList  # doctest: +SKIP
        >>> stop = tst.hf.TSTStopStrings(tok, ["1,000", "\\n\\n"])  # doctest: +SKIP
        >>> model.generate(**inputs, stopping_criteria=StoppingCriteriaList([stop]))  # doctest: +SKIP
    """

    def __init__(self, tokenizer: Any, stop_strings: str | Sequence[str], skip_special_tokens: bool = False) -> None:
        strings = [stop_strings] if isinstance(stop_strings, str) else list(stop_strings)
        if not strings or any(not isinstance(s, str) or not s for s in strings):
            raise ValueError(f"stop_strings must be non-empty strings, not {stop_strings!r}")
        self.tokenizer = tokenizer
        self.stop_strings = strings
        self.skip_special_tokens = skip_special_tokens
        self._keep = max(map(len, strings)) - 1  # characters of text a match may start in
        self._rows: list[_Row] = []

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any) -> torch.BoolTensor:
        """One bool per sequence of `input_ids` (shape ``(batch, length)``): True once it has stopped."""
        ids = input_ids.tolist()
        if len(self._rows) != len(ids) or any(not row.extends(seq) for row, seq in zip(self._rows, ids)):
            # A new generation: everything but the last id is its prompt.
            self._rows = [_Row(DecodeStream(self.skip_special_tokens, ids=seq[:-1]), seq[:-1]) for seq in ids]
        done = [self._advance(row, seq) for row, seq in zip(self._rows, ids)]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)  # type: ignore[return-value]

    def _advance(self, row: _Row, seq: list[int]) -> bool:
        new, row.seen = seq[row.seen :], len(seq)
        if row.done or not new:
            return row.done
        chunk = row.stream.step(self.tokenizer, new)
        if chunk:
            window = row.tail + chunk
            row.done = any(s in window for s in self.stop_strings)
            row.tail = window[len(window) - self._keep :] if self._keep else ""
        return row.done


class _Row:
    """One sequence's decoding state."""

    __slots__ = ("done", "head", "seen", "stream", "tail")

    def __init__(self, stream: DecodeStream, prompt: list[int]) -> None:
        self.stream = stream
        self.seen = len(prompt)  # ids of the sequence fed to the stream (the prompt's included)
        self.head = prompt[:_HEAD]  # to tell the next call of this generation from a new one
        self.tail = ""  # the last characters of the generated text, where a match may start
        self.done = False

    def extends(self, seq: list[int]) -> bool:
        """Whether `seq` is the sequence this row follows, grown by one id or more (checked on its
        first ids: bounded work per call)."""
        return len(seq) > self.seen and seq[: len(self.head)] == self.head


#: Ids compared to tell a generation's next call from a new generation.
_HEAD = 16
