"""What each id of a wrapped tokenizer puts into the decoded surface, for streaming and constraints.

The base decoder decides how ids become text. Three families matter here:

- ``bytelevel`` (GPT-2, Llama 3, Mistral tekken): every token is a byte string;
  the decoder joins the bytes and decodes UTF-8 with U+FFFD for bad sequences, so a
  character can be spread over several tokens, and once complete it never changes.
- ``bytefallback`` (SentencePiece, Llama 2, Mistral v7): ``<0xHH>`` tokens are bytes;
  a run of them becomes its text when the whole run is valid UTF-8, and one U+FFFD
  per byte otherwise, so a later byte can change what earlier bytes of its run gave.
- ``text`` (Metaspace without byte fallback, and anything else whose tokens are whole
  strings) and ``wordpiece`` (BERT: a space before every token not starting ``##``).

Sources: the `tokenizers` decoders ByteLevel, ByteFallback, Metaspace, WordPiece
(tokenizers 0.23, ``tokenizers/src/decoders``).
"""

from __future__ import annotations

import json
import operator
import re
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_BYTE_TOKEN = re.compile(r"<0x([0-9A-Fa-f]{2})>")
_CACHE: weakref.WeakKeyDictionary[Any, VocabPieces] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def decoder_family(tokenizer: Any) -> str:
    """``"bytelevel"``, ``"bytefallback"``, ``"wordpiece"`` or ``"text"`` for a fast tokenizer."""
    backend_decoder = tokenizer.backend_tokenizer.decoder
    decoder = json.loads(backend_decoder.__getstate__()) if backend_decoder is not None else {}
    types: list[str] = []

    def walk(d: dict[str, Any]) -> None:
        types.append(str(d.get("type")))
        for sub in d.get("decoders") or []:
            walk(sub)

    walk(decoder)
    for family, name in (("bytelevel", "ByteLevel"), ("bytefallback", "ByteFallback"), ("wordpiece", "WordPiece")):
        if name in types:
            return family
    return "text"


def byte_of_token(token: str) -> int | None:
    """The byte of a byte-fallback token ``<0xHH>``, else None."""
    m = _BYTE_TOKEN.fullmatch(token)
    return int(m.group(1), 16) if m else None


_BYTE_TABLE: tuple[dict[int, str], re.Pattern[str]] | None = None


def bytelevel_bytes(token: str) -> bytes:
    """The bytes a ByteLevel decoder makes of `token` (GPT-2's byte-to-character map, inverted).

    A token with a character outside the map (an added token such as a TST unit)
    is taken as its UTF-8, as the tokenizers ByteLevel decoder does.
    """
    global _BYTE_TABLE
    if _BYTE_TABLE is None:
        from transformers.convert_slow_tokenizer import bytes_to_unicode

        chars = {c: b for b, c in bytes_to_unicode().items()}  # type: ignore[no-untyped-call]
        outside = re.compile("[^" + "".join(re.escape(c) for c in chars) + "]")
        _BYTE_TABLE = ({ord(c): chr(b) for c, b in chars.items()}, outside)
    table, outside = _BYTE_TABLE
    if outside.search(token):
        return token.encode("utf-8", "surrogatepass")
    return token.translate(table).encode("latin-1")


@dataclass(frozen=True)
class VocabPieces:
    """What every id of a wrapped tokenizer contributes to the decoded surface.

    Attributes:
        family: the base decoder's family (see the module docstring).
        size: ``len(tokenizer)``.
        units: id -> unit spelling, for the TST ids.
        special: ids of special tokens (`special_ids`): dropped by
            ``skip_special_tokens=True``, their content otherwise.
        pieces: per id, what it adds after other text: ``bytes`` for bytelevel
            tokens and byte-fallback byte tokens, ``str`` otherwise (the text it adds
            in the middle of a sequence: SentencePiece's leading space included).
    """

    family: str
    size: int
    units: dict[int, str]
    special: frozenset[int]
    pieces: list[bytes | str]


def vocab_pieces(tokenizer: Any) -> VocabPieces:
    """`VocabPieces` of a wrapped tokenizer, computed once per tokenizer object.

    Cost: one pass over the vocabulary (about 0.5 s for 130k tokens).
    """
    with _CACHE_LOCK:
        found = _CACHE.get(tokenizer)
    if found is not None:
        return found
    found = _build(tokenizer)
    with _CACHE_LOCK:
        _CACHE[tokenizer] = found
    return found


def _build(tokenizer: Any) -> VocabPieces:
    family = decoder_family(tokenizer)
    size = len(tokenizer)
    units = {i: u for u, i in tokenizer.tst_token_ids.items()}
    special = frozenset(special_ids(tokenizer))
    tokens: list[str | None] = [None] * size
    for tok, i in tokenizer.backend_tokenizer.get_vocab(with_added_tokens=True).items():
        if i < size:
            tokens[i] = tok
    pieces: list[bytes | str] = [""] * size
    if family == "bytelevel":
        for i, tok in enumerate(tokens):
            pieces[i] = units[i] if i in units else bytelevel_bytes(tok or "")
        return VocabPieces(family, size, units, special, pieces)
    # The text an id adds after other text: decode it behind a plain one-character token.
    backend = tokenizer.backend_tokenizer
    ctx = _context_id(tokenizer, tokens)
    base = backend.decode([ctx], skip_special_tokens=False)
    texts = backend.decode_batch([[ctx, i] for i in range(size)], skip_special_tokens=False)
    for i, text in enumerate(texts):
        b = byte_of_token(tokens[i] or "") if family == "bytefallback" else None
        if i in units:
            pieces[i] = units[i]
        elif b is not None:
            pieces[i] = bytes([b])
        else:
            pieces[i] = text[len(base) :] if text.startswith(base) else text
    return VocabPieces(family, size, units, special, pieces)


def id_list(ids: Any) -> list[int]:
    """`ids` (one id, or one sequence of them) as a list of ints: ints, numpy and torch scalars,
    lists, arrays and tensors alike.

    Raises:
        TypeError: `ids` holds sequences (a batch, such as `generate`'s ``[batch, length]``
            output): these take the ids of one sequence; or `ids` is no integer nor sequence
            of integers (a string, a float).
    """
    if hasattr(ids, "tolist"):
        ids = ids.tolist()
    if isinstance(ids, int):
        return [ids]
    if isinstance(ids, (str, bytes, float)) or not isinstance(ids, Iterable):
        raise TypeError(f"expected an integer id or a sequence of them, not {type(ids).__name__}")
    out = []
    for i in ids:
        if isinstance(i, (list, tuple)):
            raise TypeError(
                "expected one id or the ids of one sequence, got a sequence of sequences (a batch?): "
                "pass one row, such as ids[0]"
            )
        try:
            out.append(operator.index(i))  # ints, numpy and torch integers; not floats or strings
        except TypeError:
            raise TypeError(f"expected integer ids, got {type(i).__name__} {i!r}") from None
    return out


def special_ids(tokenizer: Any) -> set[int]:
    """Ids that ``decode(..., skip_special_tokens=True)`` drops: the wrapper's ``all_special_ids``
    and every added token the `tokenizers` backend marks special (a token special in
    tokenizer.json but not registered with the wrapper is dropped all the same).

    Kept on the tokenizer while its vocabulary size and special tokens stay the same: finding
    them walks every added token, thousands of TST units."""
    key = (tokenizer.backend_tokenizer.get_vocab_size(with_added_tokens=True), tuple(tokenizer.all_special_ids))
    cached = getattr(tokenizer, "_tst_special_ids", None)
    if cached is not None and cached[0] == key:
        return set(cached[1])
    found = {int(i) for i in tokenizer.all_special_ids}
    found |= {int(i) for i, t in tokenizer.backend_tokenizer.get_added_tokens_decoder().items() if t.special}
    tokenizer._tst_special_ids = (key, frozenset(found))
    return found


def _context_id(tokenizer: Any, tokens: list[str | None]) -> int:
    """A plain id that decodes to one ASCII letter on its own."""
    backend = tokenizer.backend_tokenizer
    special = set(tokenizer.all_special_ids) | set(tokenizer.tst_token_ids.values())
    for i, tok in enumerate(tokens):
        if i in special or tok is None or len(tok) > 2:
            continue
        text = backend.decode([i], skip_special_tokens=False)
        if len(text) == 1 and text.isascii() and text.isalpha():
            return i
    raise ValueError("the tokenizer has no token for a single ASCII letter")
