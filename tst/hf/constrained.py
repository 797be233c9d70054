"""`TSTLogitsProcessor`: generation that cannot emit a malformed number.

The strict decoder (docs/SPEC.md, section 5) accepts a surface when every number in it is
well formed: integer groups in order down to the units group, each after the first one
full; fractional groups after the decimal mark and in depth order; a grouping tag right
before a number long enough for separators; in the marker variant every group followed by
its marker; no plain ASCII digit glued to a number (right after its last unit, right before
its first one, or before the decimal mark of a fraction with no integer part). Literal
brackets exist only as the escapes ``⟦⟦⟧`` and ``⟦⟧⟧``.

The processor tracks, per row, a state of a small automaton that reads ids as the decoder
reads their text, and masks every id after which no continuation decodes strictly (and,
given ``max_new_tokens``, every id after which none fits in the tokens left). Ids are
grouped into classes that act alike (one per unit kind, one per kind of plain text), so the
automaton's table is states x classes; a step is two table look-ups and one gather over the
vocabulary (torch ops, no Python loop over the vocabulary or the batch).

Deliberate restrictions (they only ever mask more):

- plain ids may write a bracket only as part of an escape: a unit is written with its id,
  never spelled out by plain tokens (which would re-encode differently);
- with a byte-fallback base, byte tokens never complete a bracket and a ``.`` written by
  byte tokens does not count as the decimal mark (such a run can turn into U+FFFD later);
- a special token other than EOS (pad, bos, chat markers...) comes only after plain text or
  a complete number, and only one whose text ends in neither a digit nor the decimal mark,
  so the output decodes strictly with and without ``skip_special_tokens`` (skipped, it still
  cuts the TST text: a number may follow it, as after ``[/INST]``).
"""

from __future__ import annotations

import codecs
import threading
import weakref
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from transformers import LogitsProcessor

from tst.errors import TSTError
from tst.hf._vocab import VocabPieces, vocab_pieces
from tst.settings import Settings
from tst.spelling import CLOSE, OPEN, UNITS_MARKER, parse_name

# -- the automaton ------------------------------------------------------------
#
# States (tuples, numbered on discovery):
#   ("txt", esc, utf, dec)  after plain text. esc: 0 outside an escape, 1 after its ⟦,
#       2 after ⟦⟦, 3 after ⟦⟧. utf: 0 no pending byte (or pending bytes that cannot
#       become a bracket: equivalent outside escapes), 1 pending E2, 2 pending E2 9F
#       (the first bytes of ⟦ U+27E6 and ⟧ U+27E7). dec (only with esc 0, utf 0), what the
#       last character is: 1 the decimal mark, 2 an ASCII digit, 3 the decimal mark after an
#       ASCII digit; 0 anything else. ("txt", 0, 0, 0) is also the start.
#   ("ai",)                 right after a complete integer part (its units group)
#   ("af", depth, full)     right after a fractional group of that depth (full: g digits)
#   ("int", power)          inside an integer part, the group of 10^power expected next
#   ("tag", indian)         right after a grouping tag
#   ("mg", ctx, length, zero)  marker variant: a digit group waiting for its marker (zero: its
#       first digit is 0); ctx is ("fresh",), ("dec",), ("digitdec",), ("tag", indian),
#       ("int", power) or ("af", depth)
#   ("ended",)              after EOS: anything goes (rows that finished get padding)
#   ("gap", s)              s (a complete number: "ai" or "af"), then ids that add no text
#
# Classes of ids:
#   ("vg", length, power, zero) / ("vf", length, depth)   vocab variant: integer / fractional
#                                                   group (zero: its first digit is 0)
#   ("md", length, zero) / ("mi", power) / ("mf", depth)  marker variant: group / integer marker /
#                                                   fractional marker (⟦u⟧ is power 0)
#   ("tag", indian)                                 grouping tag
#   ("plain", signature)                            plain text (signature: what it does from
#                                                   each plain-text state, see _plain_effect)
#   ("empty",)                                      plain id that adds no text
#   ("special", ok) / ("eos",) / ("never",)         special (ok: its text may stand where it is
#                                                   skipped, see `step`), end of sequence, not a token

State = tuple[Any, ...]
Cls = tuple[Any, ...]

START: State = ("txt", 0, 0, 0)
ENDED: State = ("ended",)
#: Plain-text states a plain id can be read from, in signature order.
_TXT_BYTES: tuple[State, ...] = (
    ("txt", 0, 0, 0),
    ("txt", 0, 0, 1),
    ("txt", 0, 0, 2),
    ("txt", 0, 0, 3),
    *(("txt", esc, utf, 0) for esc in range(4) for utf in range(3) if (esc, utf) != (0, 0)),
)
_TXT_TEXT: tuple[State, ...] = (
    *(("txt", 0, 0, dec) for dec in range(4)),
    *(("txt", esc, 0, 0) for esc in (1, 2, 3)),
)
_DIGITS = "0123456789"
_LEAD, _SECOND = 0xE2, 0x9F  # ⟦ is E2 9F A6, ⟧ is E2 9F A7


@dataclass
class _Utf8:
    """A UTF-8 decoder that replaces bad sequences with U+FFFD (the maximal-subpart rule)."""

    pending: bytes = b""

    def feed(self, byte: int) -> list[str]:
        out: list[str] = []
        if self.pending:
            if self._continues(byte):
                self.pending += bytes([byte])
                if len(self.pending) == self._need(self.pending[0]):
                    out.append(self.pending.decode("utf-8"))
                    self.pending = b""
                return out
            out.append("\ufffd")
            self.pending = b""
        if byte < 0x80:
            out.append(chr(byte))
        elif self._need(byte) > 1:
            self.pending = bytes([byte])
        else:
            out.append("\ufffd")
        return out

    @staticmethod
    def _need(lead: int) -> int:
        if 0xC2 <= lead <= 0xDF:
            return 2
        if 0xE0 <= lead <= 0xEF:
            return 3
        if 0xF0 <= lead <= 0xF4:
            return 4
        return 1

    def _continues(self, byte: int) -> bool:
        if not 0x80 <= byte <= 0xBF:
            return False
        if len(self.pending) == 1:  # the second byte has narrower ranges after some leads
            lead = self.pending[0]
            lo, hi = {0xE0: (0xA0, 0xBF), 0xED: (0x80, 0x9F), 0xF0: (0x90, 0xBF), 0xF4: (0x80, 0x8F)}.get(
                lead, (0x80, 0xBF)
            )
            return lo <= byte <= hi
        return True


def _plain_effect(piece: bytes | str, state: State, family: str, decimal: str, prompt: bool = False) -> State | None:
    """The state after plain `piece` read from plain-text `state`, or None if no continuation decodes.

    With `prompt`, a bracket completed by a byte-fallback run counts as the bracket it decodes
    to (a prompt is read as it is, not generated: the model must continue what it says).
    """
    _, esc, utf, dec = state
    chars: list[str] = []
    utf8 = _Utf8({0: b"", 1: bytes([_LEAD]), 2: bytes([_LEAD, _SECOND])}[utf])
    from_bytes: list[bool] = []  # per character: completed from bytes of a byte-fallback run
    if isinstance(piece, bytes):
        for b in piece:
            got = utf8.feed(b)
            chars.extend(got)
            from_bytes.extend([family == "bytefallback"] * len(got))
    else:
        if utf8.pending:  # the byte run before this token ends unfinished
            chars.append("\ufffd")
            from_bytes.append(True)
            utf8.pending = b""
        chars.extend(piece)
        from_bytes.extend([False] * len(piece))
    if not chars and not utf8.pending:
        return state
    for ch, by_bytes in zip(chars, from_bytes):
        if by_bytes and ch in (OPEN, CLOSE) and not prompt:
            return None  # a byte-fallback run may still turn into U+FFFD: no brackets from it
        if esc == 0:
            if ch == CLOSE:
                return None
            esc = 1 if ch == OPEN else 0
        elif esc == 1:
            if ch not in (OPEN, CLOSE):
                return None  # only an escape may follow: a unit is written with its id
            esc = 2 if ch == OPEN else 3
        else:
            if ch != CLOSE:
                return None
            esc = 0
        if esc != 0:
            dec = 0
        elif ch in _DIGITS:  # a digit written by a byte token is that digit all the same
            dec = 2
        elif ch == decimal and not by_bytes:
            dec = 3 if dec == 2 else 1
        else:
            dec = 0
    pending = utf8.pending
    if pending == bytes([_LEAD]):
        utf = 1
    elif pending == bytes([_LEAD, _SECOND]):
        utf = 2
    else:
        if pending and esc != 0:
            return None  # these bytes end in a character that is no bracket
        utf = 0
    if pending:
        dec = 0  # the next character is not the decimal mark, whatever it will be
    return ("txt", esc, utf, dec)


def _shape(piece: bytes | str, decimal: str) -> Any:
    """A key shared by plain pieces that act alike from every plain-text state.

    Only these matter: the leading continuation bytes (they may finish a character
    begun by earlier ids: a bracket only with 9F then A6 or A7), whether the rest
    writes any character, its brackets (then the whole text is the key), its first and
    last two characters as digit, decimal mark or other (`_edges`), and the bytes it
    leaves pending (E2 or E2 9F may still become a bracket). Most tokens fall into a
    handful of keys, so the effect is simulated once per key instead of once per token.
    """
    if isinstance(piece, str):
        return ("text", piece if (OPEN in piece or CLOSE in piece) else _edges(piece, decimal))
    try:
        text = piece.decode("utf-8")  # whole characters: most tokens
    except UnicodeDecodeError:
        pass
    else:
        return ("bytes", (), text if (OPEN in text or CLOSE in text) else _edges(text, decimal), b"")
    k = 0
    while k < min(len(piece), 3) and 0x80 <= piece[k] <= 0xBF:
        k += 1
    head = tuple(b if b in (_SECOND, 0xA6, 0xA7) else 0 for b in piece[:k])
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    text = decoder.decode(piece[k:], final=False)
    pending = decoder.getstate()[0]
    tail = pending if pending in (bytes([_LEAD]), bytes([_LEAD, _SECOND])) else (b"o" if pending else b"")
    body = text if (OPEN in text or CLOSE in text) else _edges(text, decimal)
    return ("bytes", head, body, tail)


def _edges(text: str, decimal: str) -> tuple[str, str]:
    """The first character and the last two of `text` as ``d`` (ASCII digit), ``m`` (decimal mark) or ``o``."""

    def kind(ch: str) -> str:
        return "d" if ch in _DIGITS else ("m" if ch == decimal else "o")

    return "".join(map(kind, text[:1])), "".join(map(kind, text[-2:]))


class _Automaton:
    """States, classes and the transition table for one tokenizer and codec."""

    def __init__(self, pieces: VocabPieces, st: Settings, eos: Sequence[int], model_vocab: int) -> None:
        if pieces.family == "wordpiece":
            raise TSTError(
                "TSTLogitsProcessor needs a base whose decoder concatenates token texts "
                "(byte-level BPE, SentencePiece); a WordPiece decoder puts spaces between tokens"
            )
        self.st = st
        self.g = st.group_size
        self.family = pieces.family
        self.decimal = st.decimal
        self.txt_states = _TXT_BYTES if pieces.family in ("bytelevel", "bytefallback") else _TXT_TEXT
        classes: dict[Cls, int] = {}
        of_id: list[int] = []
        signatures: dict[Any, Cls] = {}
        eos_set = set(int(e) for e in eos)
        for i in range(max(model_vocab, pieces.size)):
            if i >= pieces.size:
                cls: Cls = ("never",)
            elif i in eos_set:
                cls = ("eos",)
            elif i in pieces.units:
                cls = self._unit_class(pieces.units[i])
            elif i in pieces.special:
                cls = self._special_class(pieces.pieces[i])
            else:
                cls = self._plain_class(pieces.pieces[i], signatures)
            of_id.append(classes.setdefault(cls, len(classes)))
        self.classes = list(classes)
        self.class_of_id = of_id
        self._build()

    # -- classes ---------------------------------------------------------------

    def _unit_class(self, spelling: str) -> Cls:
        content = spelling[1:-1]
        tag = len(content) == 2 and content[0] in self.st.resolved_separators
        if tag and (content[1] == "3" or (content[1] == "2" and self.st.indian)):
            return ("tag", content[1] == "2")
        k = 0
        while k < len(content) and "0" <= content[k] <= "9":
            k += 1
        digits, name = content[:k], content[k:]
        g = self.g
        if self.st.variant == "vocab":
            parsed = parse_name(name, g) if digits else None
            if parsed is None or len(digits) > g:
                return ("never",)  # not a unit of this codec: never part of a strict decoding
            if parsed[0]:
                return ("vf", len(digits), parsed[1])
            return ("vg", len(digits), parsed[1], digits[0] == "0")
        if digits and not name:
            return ("md", len(digits), digits[0] == "0") if len(digits) <= g else ("never",)
        parsed = (False, 0) if name == UNITS_MARKER else (parse_name(name, g) if name and not digits else None)
        if parsed is None:
            return ("never",)
        return ("mf", parsed[1]) if parsed[0] else ("mi", parsed[1])

    def _special_class(self, piece: bytes | str) -> Cls:
        """``("special", ok)``; ok: its text is empty or ends in neither a digit nor the decimal mark."""
        text = piece.decode("utf-8", "replace") if isinstance(piece, bytes) else piece
        return ("special", not text or _edges(text, self.decimal)[1][-1:] == "o")

    def _plain_class(self, piece: bytes | str, signatures: dict[Any, Cls]) -> Cls:
        key = _shape(piece, self.decimal)
        found = signatures.get(key)
        if found is None:
            effects = tuple(_plain_effect(piece, s, self.family, self.decimal) for s in self.txt_states)
            in_prompt = tuple(_plain_effect(piece, s, self.family, self.decimal, prompt=True) for s in self.txt_states)
            if all(e == s for e, s in zip(effects, self.txt_states)):
                found = ("empty",)
            else:  # the prompt's effects only where they differ (a byte-fallback bracket)
                # Right after a number a plain digit would be read as part of it: no continuation decodes.
                first = piece[:1] if isinstance(piece, str) else piece[:1].decode("latin-1")
                after_number = None if first and first in _DIGITS else effects[0]
                found = ("plain", effects, None if in_prompt == effects else in_prompt, after_number)
            signatures[key] = found
        return found

    # -- transitions -------------------------------------------------------------

    def end_ok(self, s: State) -> bool:
        if s[0] == "gap":
            return self.end_ok(s[1])
        return (s[0] == "txt" and s[1] == 0) or s[0] in ("ai", "af", "ended")

    def step(self, s: State, c: Cls) -> State | None:
        kind = c[0]
        if s == ENDED:
            return ENDED
        if kind == "never":
            return None
        if s[0] == "gap":
            # A complete number, then ids that add no text: a special token here does not follow the
            # unit's id, so skipped it cuts nothing (`decode` cuts only where the ids meet) and a
            # digit after it would join the number. Masked; everything else reads as after the number.
            if kind == "special":
                return None
            return s if kind == "empty" else self.step(s[1], c)
        if kind == "empty":
            return ("gap", s) if s[0] in ("ai", "af") else s
        if kind == "eos":
            return ENDED if self.end_ok(s) else None
        if kind == "special":
            # Read with its text or without it (skip_special_tokens), what follows must decode alike:
            # only a special token whose text ends in neither a digit nor the decimal mark, after
            # plain text or a complete number. Skipped, it cuts the TST text all the same (`decode`
            # reads the two sides apart), so what follows starts afresh either way.
            if not c[1]:
                return None
            if s[0] == "txt":
                return START if s[1] == 0 and s[2] == 0 else None
            return START if s[0] in ("ai", "af") else None
        if kind == "plain":
            effects: tuple[State | None, ...] = c[1]
            if s[0] == "txt":
                return effects[self.txt_states.index(s)]
            if s[0] in ("ai", "af"):
                after_number: State | None = c[3]
                return after_number
            return None
        # A unit. Pending bytes before it end as U+FFFD: plain text, not the decimal mark.
        if s[0] == "txt":
            if s[1] != 0:
                return None
            # After a plain digit no number may start; after a digit and the decimal mark no fraction.
            ctx: State = (("fresh",), ("dec",), ("digit",), ("digitdec",))[s[3]]
        else:
            ctx = s
        if kind == "tag":
            # Not right after a number: the two would read as one (12 then 1,000 as 121,000).
            return ("tag", c[1]) if ctx[0] in ("fresh", "dec", "digitdec") else None
        if self.st.variant == "vocab":
            return self._vocab_step(ctx, c)
        return self._marker_step(ctx, c)

    def _prompt_step(self, s: State, c: int, states: dict[State, int], from_start: int) -> int:
        """Where a prompt id of class `c` that generation would not allow from `s` leads.

        A plain id whose byte-fallback run completes a bracket continues in the state of that
        bracket; anything else is read as a fresh start.
        """
        cls = self.classes[c]
        if cls[0] == "plain" and cls[2] is not None and s[0] == "txt":
            after = cls[2][self.txt_states.index(s)]
            if after is not None and after in states:
                return states[after]
        return from_start if from_start >= 0 else states[START]

    def _integer(self, ctx: State, length: int, power: int, zero: bool) -> State | None:
        """An integer group of `length` digits and 10^power read in `ctx` (not glued to a group);
        `zero`: its first digit is 0 (a grouping never starts so)."""
        g = self.g
        if ctx[0] == "int":
            if power != ctx[1] or length != g:
                return None
        elif ctx[0] == "tag":
            if length + power < (6 if ctx[1] else 4) or zero:
                return None
        elif ctx[0] not in ("fresh", "dec", "digitdec"):
            return None
        return ("ai",) if power == 0 else ("int", power - g)

    def _fraction(self, ctx: State, length: int, depth: int) -> State | None:
        if depth == 1 and ctx[0] == "dec":
            return ("af", 1, length == self.g)
        if depth > 1 and ctx[0] == "af" and ctx[1] == depth - 1 and ctx[2]:
            return ("af", depth, length == self.g)
        return None

    def _vocab_step(self, ctx: State, c: Cls) -> State | None:
        if c[0] == "vg":
            return self._integer(ctx, c[1], c[2], c[3])
        return self._fraction(ctx, c[1], c[2])

    def _marker_step(self, ctx: State, c: Cls) -> State | None:
        kind = c[0]
        if kind == "md":
            _, length, zero = c
            if ctx[0] == "int":
                return ("mg", ctx, length, zero) if length == self.g else None
            if ctx[0] in ("fresh", "dec", "digitdec"):
                return ("mg", ctx, length, zero)
            if ctx[0] == "tag":
                return None if zero else ("mg", ctx, length, zero)
            if ctx[0] == "af" and ctx[2]:
                return ("mg", ("af", ctx[1]), length, zero)
            return None
        if ctx[0] != "mg":
            return None  # a marker with no group before it
        _, group_ctx, length, zero = ctx
        if kind == "mi":
            return self._integer(group_ctx, length, c[1], zero)
        if group_ctx[0] == "af":
            return self._fraction(("af", group_ctx[1], True), length, c[1])
        return self._fraction(group_ctx, length, c[1])

    # -- tables ------------------------------------------------------------------

    def _build(self) -> None:
        states: dict[State, int] = {}
        order: list[State] = []
        queue: deque[State] = deque()

        def index(s: State) -> int:
            if s not in states:
                states[s] = len(order)
                order.append(s)
                queue.append(s)
            return states[s]

        index(START)
        index(ENDED)
        for s in self.txt_states:
            index(s)
        rows: dict[int, list[int]] = {}
        while queue:
            s = queue.popleft()
            rows[states[s]] = [-1 if (t := self.step(s, c)) is None else index(t) for c in self.classes]
        self.states = order
        n, m = len(order), len(self.classes)
        trans = [rows[k] for k in range(n)]
        # Fewest ids from each state to one where the output may end (EOS or the length limit).
        big = 1 << 30
        dist = [0 if self.end_ok(s) else big for s in order]
        changed = True
        while changed:
            changed = False
            for k in range(n):
                best = min((dist[t] + 1 for t in trans[k] if t >= 0), default=big)
                if best < dist[k]:
                    dist[k] = best
                    changed = True
        # Ids that lead where no continuation decodes strictly (a byte-fallback ⟦ in the
        # making, say) are masked like those that fail at once.
        raw = trans
        trans = [[t if t >= 0 and dist[t] < big else -1 for t in row] for row in trans]
        self.trans = trans
        self.dist = dist
        # In a prompt, what strict decoding would reject is read as a fresh start instead. EOS in a
        # prompt (between turns, or as left padding) ends nothing: it reads as a special token.
        # What strict decoding reads but generation masks (a dead end: the bytes of a literal
        # bracket's escape) is read as it is: the row then has no valid id and nothing is masked,
        # where a fresh start would forget the open escape and allow ids that cannot decode.
        start = states[START]
        eos = self.classes.index(("eos",)) if ("eos",) in self.classes else -1
        after_eos = [
            states.get(t, start) if (t := self.step(s, ("special", True))) is not None else start for s in order
        ]
        self.trans_prompt = [
            [
                after_eos[k]
                if c == eos
                else start
                if self.classes[c] == ("never",)
                else (t if t >= 0 else self._prompt_step(order[k], c, states, trans[start][c]))
                for c, t in enumerate(raw[k])
            ]
            for k in range(n)
        ]
        self.n_states, self.n_classes = n, m


# -- the processor ----------------------------------------------------------------

_CACHE: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], tuple[_Automaton, tuple[torch.Tensor, ...]]]] = (
    weakref.WeakKeyDictionary()
)
_CACHE_LOCK = threading.Lock()


def _tables_for(tokenizer: Any, eos: tuple[int, ...], vocab_size: int) -> tuple[_Automaton, tuple[torch.Tensor, ...]]:
    """The automaton and its tables (class of each id, transitions, prompt transitions,
    fewest ids to an end from each transition), built once per tokenizer and settings."""
    key = (eos, vocab_size)
    with _CACHE_LOCK:
        found = _CACHE.get(tokenizer, {}).get(key)
    if found is not None:
        return found
    a = _Automaton(vocab_pieces(tokenizer), tokenizer.tst_codec.settings, eos, vocab_size)
    trans = torch.tensor(a.trans, dtype=torch.long)
    dist = torch.tensor(a.dist, dtype=torch.long)
    next_dist = torch.where(trans >= 0, dist[trans.clamp(min=0)], torch.full_like(trans, 1 << 30))
    class_of_id = torch.tensor(a.class_of_id, dtype=torch.long)
    tables = (class_of_id, trans, torch.tensor(a.trans_prompt, dtype=torch.long), next_dist)
    with _CACHE_LOCK:
        _CACHE.setdefault(tokenizer, {})[key] = (a, tables)
    return a, tables


class TSTLogitsProcessor(LogitsProcessor):
    """Masks every id that would make `generate`'s output fail strict TST decoding.

    After each step, ``tokenizer.decode(ids, strict=True)`` of every row (prompt and
    generated ids; with or without ``skip_special_tokens``) can still succeed: no group out
    of order, no plain text or EOS inside a number, no fractional group without its decimal
    mark, no marker without its group. With `max_new_tokens` set (the value given to
    `generate`), the output decodes strictly whenever generation stops, EOS or length.

    Args:
        tokenizer: a `TSTTokenizerFast` (`tst.hf.wrap`) with a byte-level BPE,
            SentencePiece or other concatenating decoder (not WordPiece).
        max_new_tokens: the limit given to `generate` (the same value at every call that
            shares the processor: a smaller limit at `generate` can cut a number short); None
            if generation stops only at EOS (a number could then be cut short by the length
            limit).
        eos_token_id: id or ids that end generation (default: the tokenizer's EOS; give
            `generation_config.eos_token_id` when it lists more).
        vocab_size: columns of the scores (the model's output size) when it is larger
            than ``len(tokenizer)``; the extra ids are masked.

    Raises:
        TypeError: `tokenizer` is not a TST tokenizer.
        ValueError: a negative `max_new_tokens`, a `vocab_size` smaller than the tokenizer,
            an EOS id outside the vocabulary.

    Scores are ``[batch, vocab]`` (batch x beams in beam search); rows may be reordered
    between calls (beam search): each row's state is found by matching its ids with the
    previous call's rows, and recomputed from its ids when no row matches (a new
    `generate` call). A prompt is read leniently: a malformed prompt starts the state
    afresh. Assisted (speculative) generation (``assistant_model=``,
    ``prompt_lookup_num_tokens=``) is supported: it calls the processor on candidate ids and
    then goes back to the accepted ones (shorter rows that agree with the last call's up to
    their last id), which are read again while ``max_new_tokens`` still counts from the first
    prompt, so the draft model may share the processor.

    Example:
        >>> proc = TSTLogitsProcessor(tok, max_new_tokens=32)  # doctest: +SKIP
        >>> model.generate(**inputs, max_new_tokens=32, logits_processor=[proc])  # doctest: +SKIP
    """

    def __init__(
        self,
        tokenizer: Any,
        max_new_tokens: int | None = None,
        eos_token_id: int | Iterable[int] | None = None,
        vocab_size: int | None = None,
    ) -> None:
        from tst.hf.tokenizer import TSTTokenizerFast

        if not isinstance(tokenizer, TSTTokenizerFast):
            from tst.hf.wrapping import not_tst_message

            raise TypeError(not_tst_message(tokenizer, "TSTLogitsProcessor"))
        if max_new_tokens is not None and max_new_tokens < 0:
            raise ValueError(f"max_new_tokens must be >= 0, not {max_new_tokens}")
        if eos_token_id is None:
            eos: list[int] = [] if tokenizer.eos_token_id is None else [int(tokenizer.eos_token_id)]
        elif isinstance(eos_token_id, int):
            eos = [eos_token_id]
        else:
            eos = [int(e) for e in eos_token_id]
        if vocab_size is not None and vocab_size < len(tokenizer):
            raise ValueError(
                f"vocab_size ({vocab_size}) is smaller than the tokenizer ({len(tokenizer)} ids): the model "
                "could not write its TST units; give model.config.vocab_size"
            )
        width = max(vocab_size or 0, len(tokenizer))
        if bad := [e for e in eos if not 0 <= e < width]:
            raise ValueError(f"eos_token_id {bad[0]} is not an id of the vocabulary (0..{width - 1})")
        self.max_new_tokens = max_new_tokens
        self.automaton, tables = _tables_for(tokenizer, tuple(eos), vocab_size or 0)
        self._class_of_id, self._trans, self._trans_prompt, self._next_dist = tables
        self._start = self.automaton.states.index(START)
        self._device_tables: dict[torch.device, tuple[torch.Tensor, ...]] = {}
        self._prev_ids: torch.Tensor | None = None
        self._prev_states: torch.Tensor | None = None
        self._prompt_len = 0
        self._prompt_ids: torch.Tensor | None = None  # the prompt's rows

    def _tables(self, device: torch.device) -> tuple[torch.Tensor, ...]:
        found = self._device_tables.get(device)
        if found is None:
            found = tuple(t.to(device) for t in (self._class_of_id, self._trans, self._trans_prompt, self._next_dist))
            self._device_tables[device] = found
        return found

    def states_of(self, input_ids: torch.Tensor) -> torch.Tensor:
        """The automaton state of each row (``[batch]``), reusing the previous call's rows."""
        class_of_id, trans, trans_prompt, _ = self._tables(input_ids.device)
        prev, prev_states = self._prev_ids, self._prev_states
        length = input_ids.shape[1]
        states: torch.Tensor | None = None
        # Past the budget no call belongs to the generation before: the prompt is its output
        # (a `generate` call that continues where the length limit stopped it).
        spent = self.max_new_tokens is not None and length - self._prompt_len >= self.max_new_tokens
        if (
            prev is not None
            and prev_states is not None
            and prev.shape[1] == length - 1
            and prev.device == input_ids.device
            and not spent
        ):
            parent: torch.Tensor | None = None
            if prev.shape[0] == input_ids.shape[0] and torch.equal(input_ids[:, : length - 1], prev):
                parent = torch.arange(prev.shape[0], device=input_ids.device)  # same rows, same order
            else:  # rows reordered or repeated (beam search): find each row's parent
                same = (input_ids[:, None, : length - 1] == prev[None, :, :]).all(dim=2)  # [batch, previous batch]
                if bool(same.any(dim=1).all()):
                    parent = same.to(torch.uint8).argmax(dim=1)
            if parent is not None:
                cls = class_of_id[input_ids[:, -1].clamp(0, class_of_id.numel() - 1)]
                states = trans[prev_states.to(input_ids.device)[parent], cls]
                states = torch.where(states >= 0, states, torch.full_like(states, self._start))
        if states is None:  # read the rows from the start, leniently as a prompt
            # Assisted generation goes back to the accepted ids after checking candidates: the same
            # generation, whose budget still counts from its first prompt. Its generated ids were
            # allowed by this processor, and allowed ids read the same as a prompt as they do
            # generated (the lenient reading differs only where strict decoding would fail).
            if spent or not self._goes_back(input_ids):  # a new generation
                self._prompt_len = length
                self._prompt_ids = input_ids.detach().clone()
            states = torch.full((input_ids.shape[0],), self._start, dtype=torch.long, device=input_ids.device)
            cls_rows = class_of_id[input_ids.clamp(0, class_of_id.numel() - 1)]
            for t in range(length):
                states = trans_prompt[states, cls_rows[:, t]]
        self._prev_ids = input_ids.detach().clone()
        self._prev_states = states
        return states

    def _goes_back(self, input_ids: torch.Tensor) -> bool:
        """Whether `input_ids` are rows of the current generation cut back (assisted generation).

        Assisted generation calls the processor on the candidate ids one length after the
        other, then on the accepted ids plus one: rows no longer than the last call's, equal
        to them up to their last id, past the prompt and starting with it, row for row (beam
        search, which reorders rows, does not go back). A new `generate` call whose prompt
        extends an earlier output is longer than the last call's rows, so it is never read so;
        one whose prompt cuts the last rows back is, and only its budget differs (counted from
        the earlier prompt: fewer ids for a number near the end, never an invalid output).
        """
        prev, prompt, length = self._prev_ids, self._prompt_ids, input_ids.shape[1]
        return (
            prev is not None
            and prompt is not None
            and prev.shape[0] == input_ids.shape[0] == prompt.shape[0]
            and prev.device == input_ids.device == prompt.device
            and self._prompt_len < length <= prev.shape[1]
            and torch.equal(input_ids[:, : length - 1], prev[:, : length - 1])
            and torch.equal(input_ids[:, : self._prompt_len], prompt)
        )

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        class_of_id, trans, _, next_dist = self._tables(scores.device)
        states = self.states_of(input_ids).to(scores.device)
        vocab = scores.shape[-1]
        cls = class_of_id[:vocab] if vocab <= class_of_id.numel() else None
        if cls is None:
            raise TSTError(
                f"scores have {vocab} columns but the tokenizer has {class_of_id.numel()} ids; "
                "pass vocab_size=model.config.vocab_size"
            )
        if self.max_new_tokens is not None:
            left = self.max_new_tokens - (input_ids.shape[1] - self._prompt_len)  # ids still to come, this one included
            ok = next_dist[states] <= max(left - 1, 0)
            valid = trans[states] >= 0
            ok = torch.where(ok.any(dim=1, keepdim=True), ok, valid)  # out of budget already: stay valid
        else:
            ok = trans[states] >= 0
        ok = ok | ~ok.any(dim=1, keepdim=True)  # never leave a row with nothing to sample
        masked = (~ok).index_select(1, cls)  # [batch, vocab]: one pass over the vocabulary
        # Out of place: generate may keep the raw scores (output_logits=True).
        return torch.where(masked, torch.tensor(float("-inf"), dtype=scores.dtype, device=scores.device), scores)  # type: ignore[return-value]
