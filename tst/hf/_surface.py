"""Turn user texts into TST surfaces, keeping the pieces that map them back.

The base tokenizer's own added tokens (``<s>``, ``<SPECIAL_12>``, ``[control_8]``...)
are matched by it before anything else; their digits must stay digits, so texts
are cut around those tokens and only the text between them is encoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tst.codec import Codec
from tst.errors import TSTError
from tst.spelling import CLOSE, OPEN

#: (enc_start, enc_end, orig_start, orig_end) of one unit or escape (see `Codec.encode_with_offsets`).
Piece = tuple[int, int, int, int]

_TOUCHED = re.compile(f"[0-9{OPEN}{CLOSE}]")


def protect_pattern(added_tokens: Iterable[str]) -> re.Pattern[str] | None:
    """A regex matching the base's added tokens that TST encoding would alter, or None.

    Only tokens holding an ASCII digit can be altered (only ASCII digits form
    numbers); a token holding a TST bracket cannot be made safe and is refused.
    """
    risky: set[str] = set()
    for tok in added_tokens:
        if OPEN in tok or CLOSE in tok:
            raise TSTError(
                f"the base tokenizer has an added token {tok!r} containing {OPEN!r} or {CLOSE!r}, which TST reserves"
            )
        if tok and _TOUCHED.search(tok):
            risky.add(tok)
    if not risky:
        return None
    alternatives = sorted(risky, key=lambda t: (-len(t), t))  # longest first, like the tokenizer's own matcher
    return re.compile("|".join(map(re.escape, alternatives)))


def encode_batch(codec: Codec, texts: Sequence[str]) -> tuple[list[str], list[list[Piece]]]:
    """Encode `texts` with the pieces of each, in one batch call to the codec's engine."""
    if not texts:
        return [], []
    pairs = codec.encode_batch_with_offsets(list(texts))
    encoded = [e for e, _ in pairs]
    pieces = [p for _, p in pairs]
    return encoded, pieces


def encode_protected(
    codec: Codec, texts: Sequence[str], protect: re.Pattern[str] | None
) -> tuple[list[str], list[list[Piece]]]:
    """Like `encode_batch`, but matches of `protect` are copied verbatim, never encoded."""
    if protect is None:
        return encode_batch(codec, texts)
    # Cut every text into [gap, token, gap, token, ..., gap]; encode all gaps in one batch.
    layouts: list[list[tuple[int, int]]] = []
    gaps: list[str] = []
    for t in texts:
        spans: list[tuple[int, int]] = []
        pos = 0
        for m in protect.finditer(t):
            spans.append((pos, m.start()))
            spans.append((m.start(), m.end()))
            pos = m.end()
        spans.append((pos, len(t)))
        layouts.append(spans)
        gaps.extend(t[a:b] for a, b in spans[::2])
    enc_gaps, gap_pieces = encode_batch(codec, gaps)
    out_texts: list[str] = []
    out_pieces: list[list[Piece]] = []
    g = 0
    for t, spans in zip(texts, layouts):
        parts: list[str] = []
        pieces: list[Piece] = []
        length = 0
        for k, (a, b) in enumerate(spans):
            if k % 2:  # a protected token: verbatim, same length on both sides
                parts.append(t[a:b])
                length += b - a
                continue
            enc = enc_gaps[g]
            pieces.extend((es + length, ee + length, os + a, oe + a) for es, ee, os, oe in gap_pieces[g])
            parts.append(enc)
            length += len(enc)
            g += 1
        out_texts.append("".join(parts))
        out_pieces.append(pieces)
    return out_texts, out_pieces
