"""Turn user texts into TST surfaces, keeping the pieces that map them back.

The base tokenizer's own added tokens (``<s>``, ``<SPECIAL_12>``, ``[control_8]``...)
are matched by it before anything else; their digits must stay digits, so texts
are cut around those tokens and only the text between them is encoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tst._encode import Piece
from tst._offset_table import OffsetMap
from tst.codec import Codec
from tst.errors import TSTError
from tst.spelling import CLOSE, OPEN

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


def encode_for_offsets(
    codec: Codec, texts: Sequence[str], protect: re.Pattern[str] | None
) -> tuple[list[str], OffsetMap]:
    """Encode `texts` as `encode_protected` does, with the map of token offsets back to them."""
    if protect is None or not any(protect.search(t) for t in texts):
        return codec.encode_batch_offset_table(texts)
    encoded, pieces = _encode_cut(codec, texts, protect, offsets=True)
    return encoded, codec.offset_table(pieces, encoded, texts)


def encode_protected(codec: Codec, texts: Sequence[str], protect: re.Pattern[str] | None) -> list[str]:
    """Encode `texts` in one batch; matches of `protect` are copied verbatim, never encoded."""
    if protect is None or not any(protect.search(t) for t in texts):
        return codec.encode_batch(texts)
    return _encode_cut(codec, texts, protect, offsets=False)[0]


def _encode_cut(
    codec: Codec, texts: Sequence[str], protect: re.Pattern[str] | None, offsets: bool
) -> tuple[list[str], list[list[Piece]]]:
    """Encode the text around each match of `protect`, with the pieces of each text if `offsets`."""
    # Cut every text into [gap, token, gap, token, ..., gap]; encode all gaps in one batch.
    layouts: list[list[tuple[int, int]]] = []
    gaps: list[str] = []
    for t in texts:
        spans: list[tuple[int, int]] = []
        pos = 0
        if protect is not None:
            for m in protect.finditer(t):
                spans.append((pos, m.start()))
                spans.append((m.start(), m.end()))
                pos = m.end()
        spans.append((pos, len(t)))
        layouts.append(spans)
        gaps.extend(t[a:b] for a, b in spans[::2])
    if offsets:
        pairs = codec.encode_batch_with_offsets(gaps) if gaps else []
        enc_gaps = [e for e, _ in pairs]
        gap_pieces = [p for _, p in pairs]
    else:
        enc_gaps = codec.encode_batch(gaps) if gaps else []
        gap_pieces = [[] for _ in enc_gaps]
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
