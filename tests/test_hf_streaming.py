"""Decoding what a model is still generating: `tok.decode` contract, prefixes, `DecodeStream`, streamers.

- `tok.decode` / `batch_decode` never raise on ids of the vocabulary; ``strict=True`` raises.
- Prefix stability: for the ids of an encoded text, ``decode(ids[:k])`` is a prefix of
  ``decode(ids)`` wherever the base decode is (texts without characters a byte-level base
  spreads over several tokens); so `TextStreamer` prints exactly the final text.
- `DecodeStream`: the chunks of `step` and `flush`, joined, equal ``decode(ids)`` for every id
  sequence, on every base family, with bounded work per step.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from functools import cache
from typing import Any

import pytest
import transformers
from hypothesis import given, settings
from hypothesis import strategies as st

import tst
import tst.hf
from tests import hf_support
from tests import model_support as ms
from tests.conftest import RUST
from tests.strategies import numerals
from tst.hf import DecodeStream
from tst.hf.streaming import _common_prefix
from tst.spelling import CLOSE, OPEN

#: Base families: byte-level BPE, tekken (byte-level, 131k), SentencePiece with byte fallback,
#: Metaspace without it, WordPiece.
FAMILIES = ["bpe", "tekken", "spm", "metaspace", "bert"]


@cache
def metaspace() -> Any:
    """A SentencePiece-style BPE (Metaspace, no byte fallback) whose alphabet has the brackets ⟦ ⟧."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="first")
    bpe.decoder = decoders.Metaspace(prepend_scheme="first")
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<unk>", "<s>", "</s>"],
        initial_alphabet=[*"⟦⟧$%.,'_-:;()", *map(chr, range(ord("a"), ord("z") + 1))],
        show_progress=False,
    )
    bpe.train_from_iterator([*ms.corpus(), "literal ⟦ and ⟧ brackets ⟦x⟧"], trainer)
    return PreTrainedTokenizerFast(tokenizer_object=bpe, unk_token="<unk>", bos_token="<s>", eos_token="</s>")


@cache
def wrapped(family: str, variant: str) -> Any:
    if family == "metaspace":
        return tst.hf.wrap(metaspace(), variant=variant)
    return hf_support.wrapped(family, variant)


REPRO = "Total: 1,234,567.89 USD"


# -- the decode contract ----------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@settings(max_examples=40)
@given(data=st.data())
def test_decode_never_raises_and_strict_does(family: str, variant: str, data: st.DataObject) -> None:
    tok = wrapped(family, variant)
    units = sorted(tok.tst_token_ids.values())
    ids_ = st.one_of(st.integers(0, len(tok) - 1), st.sampled_from(units))
    batch = data.draw(st.lists(st.lists(ids_, max_size=30), min_size=1, max_size=3))
    texts = tok.batch_decode(batch)
    assert texts == [tok.decode(ids) for ids in batch]
    for ids, text in zip(batch, texts):
        assert isinstance(text, str)
        try:
            strict = tok.decode(ids, strict=True)
        except tst.TSTDecodeError:
            continue
        assert strict == text  # lenient equals strict wherever strict succeeds


def test_random_ids_are_mostly_invalid_and_strict_raises() -> None:
    tok = wrapped("bpe", "vocab")
    import random

    rng = random.Random(0)
    raised = 0
    for _ in range(50):
        ids = [rng.randrange(len(tok)) for _ in range(20)]
        tok.decode(ids)  # never raises
        try:
            tok.decode(ids, strict=True)
        except tst.TSTDecodeError:
            raised += 1
    assert raised >= 40  # 12,217 of its 12,592 ids are units: random sequences are malformed


@pytest.mark.parametrize("family", ["bpe", "spm", "bert"])
@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_issue_reproduction_every_prefix_decodes(family: str, variant: str) -> None:
    """Issue 11, third reproduction: decoding each prefix of the ids raised for 3 of 10 (vocab) and 7 of 14."""
    tok = wrapped(family, variant)
    ids = tok(REPRO, add_special_tokens=False)["input_ids"]
    decoded = [tok.decode(ids[:k]) for k in range(len(ids) + 1)]
    if family != "bert":  # WordPiece infers spaces, and lowercases: its decode is not prefix-stable
        assert all(REPRO.startswith(d) for d in decoded)
        assert decoded[-1] == REPRO


@pytest.mark.parametrize("family", ["bpe", "spm", "bert"])
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@pytest.mark.parametrize("streamer_class", ["TextStreamer", "TextIteratorStreamer"])
def test_issue_reproduction_text_streamer(family: str, variant: str, streamer_class: str) -> None:
    """Issue 11, second reproduction: a streamer fed the ids one at a time raised mid-stream."""
    tok = wrapped(family, variant)
    ids = tok(REPRO, add_special_tokens=False)["input_ids"]
    import torch

    if streamer_class == "TextStreamer":
        out = io.StringIO()
        streamer = transformers.TextStreamer(tok)
        with redirect_stdout(out):
            for i in ids:
                streamer.put(torch.tensor([i]))
            streamer.end()
        printed = out.getvalue()
    else:
        iterator = transformers.TextIteratorStreamer(tok)
        for i in ids:
            iterator.put(torch.tensor([i]))
        iterator.end()
        printed = "".join(iterator)
    assert printed.rstrip("\n") == tok.decode(ids)


#: Texts whose characters every base writes as whole tokens: ASCII (a byte-level base spreads
#: other characters over several tokens, and a prefix ends in U+FFFD); brackets only for the
#: Metaspace base, whose alphabet has them.
ASCII = st.lists(
    st.one_of(
        numerals().filter(str.isascii),
        st.sampled_from([" ", "Pay ", "a", ". ", ".", "$", "x.5 ", ",", "\n", "1e5", "v1.2"]),
    ),
    max_size=8,
).map("".join)
BRACKETS = st.lists(st.one_of(ASCII, st.sampled_from(["⟦", "⟧", "⟦u⟧", "⟦1k⟧", "a⟦⟦b"])), max_size=4).map("".join)


@pytest.mark.parametrize("family", ["bpe", "tekken", "spm", "metaspace"])
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@settings(max_examples=60)
@given(data=st.data())
def test_prefixes_of_an_encoding_decode_to_prefixes(family: str, variant: str, data: st.DataObject) -> None:
    tok = wrapped(family, variant)
    text = data.draw(BRACKETS if family == "metaspace" else ASCII)
    ids = tok(text, add_special_tokens=False)["input_ids"]
    full = tok.decode(ids)
    if family in ("bpe", "tekken"):
        assert full == text  # lossless bases (SentencePiece drops a leading space, has <unk>)
    for k in range(len(ids)):
        assert full.startswith(tok.decode(ids[:k])), (k, tok.convert_ids_to_tokens(ids[:k]))


@pytest.mark.parametrize("backend", ["python", "rust"])
@pytest.mark.parametrize(("variant", "group_size"), [("marker", 1), ("marker", 2), ("marker", 4), ("vocab", 2)])
@settings(max_examples=25)
@given(text=ASCII)
def test_prefixes_decode_to_prefixes_for_other_group_sizes(
    backend: str, variant: str, group_size: int, text: str
) -> None:
    if backend == "rust" and not RUST:
        pytest.skip("Rust extension tst._tst_rs is not built (pip install -e .)")
    tok = group_sized(variant, group_size, backend)
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert tok.decode(ids) == text
    for k in range(len(ids)):
        assert text.startswith(tok.decode(ids[:k])), (k, tok.convert_ids_to_tokens(ids[:k]))


@cache
def group_sized(variant: str, group_size: int, backend: str) -> Any:
    tok = tst.hf.wrap(hf_support.base("bpe"), variant=variant, group_size=group_size, backend=backend)
    assert tok.tst_codec.backend == backend
    return tok


def test_escapes_are_single_tokens_on_the_metaspace_base() -> None:
    """The bracket test above covers prefixes ending inside an escape: ⟦ and ⟧ are whole tokens there."""
    tok = wrapped("metaspace", "marker")
    assert tok.convert_ids_to_tokens(tok("a⟦b", add_special_tokens=False)["input_ids"]) == ["▁a", "⟦", "⟦", "⟧", "b"]


# -- DecodeStream --------------------------------------------------------------------


def streamed(tok: Any, ids: list[int], skip: bool, sizes: list[int], prompt: list[int] | None = None) -> str:
    """Feed `ids` to a fresh stream (given `prompt` as context) in pieces of `sizes` (one id, or a list), then flush."""
    stream = DecodeStream(skip_special_tokens=skip, ids=prompt)
    chunks: list[str | None] = []
    pos = 0
    for n in sizes:
        if pos >= len(ids):
            break
        part = ids[pos : pos + n]
        chunks.append(stream.step(tok, part[0] if n == 1 else part))
        pos += len(part)
    for i in ids[pos:]:
        chunks.append(stream.step(tok, i))
    assert all(c is None or c for c in chunks)  # None, never an empty string
    chunks.append(stream.flush(tok))
    return "".join(c for c in chunks if c)


def any_id_of(tok: Any) -> st.SearchStrategy[int]:
    """Any id of `tok`, its units and special ids drawn often."""
    units = sorted(tok.tst_token_ids.values())
    special = sorted(tok.all_special_ids)
    return st.one_of(st.integers(0, len(tok) - 1), st.sampled_from(units), st.sampled_from(special))


TEXTS = [
    "Total: $12,345,678.1234 (⟦x⟧ up 3.5%) é 😀 on 2024-01-15 and 1,000.",
    "中文 1,23,45,678.9 ⟦⟦ ⟧⟧ café 0.0045",
]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@settings(max_examples=50)
@given(data=st.data())
def test_stream_chunks_join_to_the_decode(family: str, variant: str, data: st.DataObject) -> None:
    tok = wrapped(family, variant)
    any_id = any_id_of(tok)
    encoded = tok(data.draw(st.sampled_from(TEXTS)), add_special_tokens=False)["input_ids"]
    head = encoded[: data.draw(st.integers(0, len(encoded)))]
    ids = data.draw(st.one_of(st.just(encoded), st.lists(any_id, max_size=25).map(lambda tail: head + tail)))
    skip = data.draw(st.booleans())
    sizes = data.draw(st.lists(st.sampled_from([1, 1, 1, 2, 3]), max_size=len(ids)))
    assert streamed(tok, ids, skip, sizes) == tok.decode(ids, skip_special_tokens=skip)


PROMPT_TEXTS = [
    *TEXTS,
    "Question:\n1,234 apples\tand 5",  # SentencePiece: newline and tab are byte-fallback tokens
    "The value is 3.14 ok",
    "The total was 12 345 678 dollars",
]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@settings(max_examples=40)
@given(data=st.data())
def test_stream_after_a_prompt_gives_only_the_new_text(family: str, variant: str, data: st.DataObject) -> None:
    """With ``ids=prompt`` the chunks are ``decode(prompt + generated)`` less ``decode(prompt)``.

    The class: the prompt's end held back by a stage (a byte-fallback newline, the last word
    of a WordPiece prompt, an open number, a special token's text) and given out with the
    first generated id, so a served stream repeated it (``Question:\n\n1,234``). Where the
    prompt ends inside a character, only the common prefix is the prompt's.
    """
    tok = wrapped(family, variant)
    any_id = any_id_of(tok)
    encoded = tok(data.draw(st.sampled_from(PROMPT_TEXTS)), add_special_tokens=data.draw(st.booleans()))["input_ids"]
    ids = data.draw(st.one_of(st.just(encoded), st.lists(any_id, max_size=12).map(lambda tail: encoded + tail)))
    cut = data.draw(st.integers(0, len(ids)))
    skip = data.draw(st.booleans())
    sizes = data.draw(st.lists(st.sampled_from([1, 1, 2]), max_size=len(ids)))
    full = tok.decode(ids, skip_special_tokens=skip)
    seen = tok.decode(ids[:cut], skip_special_tokens=skip)
    want = full[_common_prefix(seen, full) :]
    assert streamed(tok, ids[cut:], skip, sizes, prompt=ids[:cut]) == want


@pytest.mark.parametrize("family", ["spm", "bert"])
def test_a_prompt_end_held_back_is_not_repeated(family: str) -> None:
    # Reported: SentencePiece prompt "Question:\n" streamed "\n" again; WordPiece "The total
    # was" streamed "s 1,234 dollar", the last letter of the prompt first.
    tok = wrapped(family, "vocab")
    for prompt_text, new_text in (
        ("Question:\n", "Question:\n1,234 apples"),
        ("The total was", "The total was 1,234 dollars"),
    ):
        prompt = tok(prompt_text, add_special_tokens=False)["input_ids"]
        ids = tok(new_text, add_special_tokens=False)["input_ids"]
        assert ids[: len(prompt)] == prompt
        out = streamed(tok, ids[len(prompt) :], False, [], prompt=prompt)
        assert tok.decode(prompt) + out == tok.decode(ids)


@pytest.mark.parametrize("family", FAMILIES)
def test_stream_window_stays_small(family: str) -> None:
    """Work per step is bounded: the window of ids and the held text do not grow with the stream."""
    tok = wrapped(family, "marker")
    ids = tok(" ".join(f"row {k}: {k * 1234.5:,} units, é." for k in range(300)), add_special_tokens=False)["input_ids"]
    stream = DecodeStream()
    chunks = []
    widest = 0
    for i in ids:
        chunks.append(stream.step(tok, i))
        widest = max(widest, len(stream._ids), len(stream._decoder._d.t) if stream._decoder else 0)
    chunks.append(stream.flush(tok))
    assert "".join(c for c in chunks if c) == tok.decode(ids)
    assert widest <= 64
    assert sum(c is not None for c in chunks) > len(ids) // 4  # text comes out as it goes


def test_stream_flush_ends_a_sequence_and_starts_afresh() -> None:
    tok = wrapped("bpe", "vocab")
    stream = DecodeStream()
    ids = tok("Total: 12,345", add_special_tokens=False)["input_ids"]
    cut = ids[:-1]  # ... ⟦,3⟧ ⟦12k⟧: the length limit cut the number
    text = "".join(c for c in (stream.step(tok, i) for i in cut) if c)
    assert text == "Total: "  # the number is held back: its rendering depends on what follows
    assert stream.flush(tok) == "12"  # as decode renders a number cut off at the end
    assert tok.decode(cut) == "Total: 12"
    assert stream.flush(tok) is None
    assert "".join(c for c in (stream.step(tok, i) for i in ids) if c) + (stream.flush(tok) or "") == "Total: 12,345"
    with pytest.raises(TypeError):
        stream.step(hf_support.base("bpe"), 5)
    stream.step(tok, 5)
    with pytest.raises(ValueError, match="another tokenizer"):
        stream.step(wrapped("bpe", "marker"), 5)


@pytest.mark.parametrize("family", ["bpe", "spm"])
def test_stream_with_a_prompt_returns_only_what_follows(family: str) -> None:
    tok = wrapped(family, "marker")
    prompt = tok("The total was", add_special_tokens=False)["input_ids"]
    generated = tok("The total was 1,234.5 USD", add_special_tokens=False)["input_ids"][len(prompt) :]
    stream = DecodeStream(ids=prompt)
    out = "".join(c for c in (stream.step(tok, i) for i in generated) if c) + (stream.flush(tok) or "")
    assert tok.decode(prompt) + out == tok.decode(prompt + generated)
    assert out.endswith("1,234.5 USD")


def test_stream_takes_numpy_and_torch_ids_and_finds_the_special_set_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a new-user trial: ``for t in out[0]: stream.step(tok, t)`` raised on a tensor's
    ids (numpy and torch integers too, and ``ids=`` a tensor), which `tokenizers`' own stream takes;
    and with ``skip_special_tokens=True`` every step walked all the added tokens (12k units) to find
    the special ids, a thousand times the cost of a step without it. The set is found once now."""
    import numpy as np
    import torch

    import tst.hf.streaming as streaming

    tok = wrapped("bpe", "vocab")
    ids = tok("Total: 12,345.5 and 7 (up 3.5%)", add_special_tokens=False)["input_ids"]
    want = tok.decode(ids, skip_special_tokens=True)
    calls = []
    counted = streaming.special_ids
    monkeypatch.setattr(streaming, "special_ids", lambda t: calls.append(1) or counted(t))
    for as_id in (int, np.int64, torch.tensor):
        stream = DecodeStream(skip_special_tokens=True)
        calls.clear()
        text = "".join(c for c in (stream.step(tok, as_id(i)) for i in ids) if c) + (stream.flush(tok) or "")
        assert text == want, as_id
        assert len(calls) == 1, (as_id, len(calls))
    tensor = torch.tensor([ids])
    stream = DecodeStream(ids=tensor[0][:3])
    rest = [stream.step(tok, t) for t in tensor[0][3:]] + [stream.flush(tok)]
    assert "".join(c for c in rest if c) == tok.decode(ids)[len(tok.decode(ids[:3])) :]
    assert streamed(tok, ids, True, [2, 3]) == want


@pytest.mark.parametrize("family", ["bpe", "tekken", "spm", "metaspace"])
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@settings(max_examples=30)
@given(data=st.data())
def test_a_skipped_special_token_cuts_the_tst_text(family: str, variant: str, data: st.DataObject) -> None:
    """Found by two new-user trials: ``[INST]What is 2+2[/INST]4`` decoded with special tokens skipped
    gave ``2+2⟦4⟧`` (one malformed number, rendered raw; strict decoding raised). The class: special
    tokens between two numbers. Skipped, they cut the TST text as their text does when kept."""
    tok = wrapped(family, variant)
    left = data.draw(numerals().filter(str.isascii))
    right = data.draw(numerals().filter(str.isascii))
    specials = data.draw(st.lists(st.sampled_from(sorted(tok.all_special_ids)), min_size=1, max_size=2))
    ids = tok(f"x {left}", add_special_tokens=False)["input_ids"] + specials
    ids += tok(right, add_special_tokens=False)["input_ids"]
    text = tok.decode(ids, skip_special_tokens=True)
    assert tok.decode(ids, skip_special_tokens=True, strict=True) == text  # both sides are valid TST
    assert OPEN not in text and CLOSE not in text
    assert streamed(tok, ids, True, []) == text
    if family in ("bpe", "tekken"):  # byte-level bases write each side as on its own
        sides = [tok.decode(tok(t, add_special_tokens=False)["input_ids"]) for t in (f"x {left}", right)]
        assert text == "".join(sides)


@pytest.mark.parametrize("family", ["bpe", "tekken"])
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@settings(max_examples=15)
@given(value=st.integers(1_000, 10**12), then=st.sampled_from(["", " 5", "x", "12"]))
def test_a_number_cut_short_by_a_skipped_special_token_keeps_its_units(
    family: str, variant: str, value: int, then: str
) -> None:
    """Found by a new-user trial: ``⟦,3⟧⟦12m⟧`` then EOS, decoded with special tokens skipped, gave
    ``12`` (the magnitude silently dropped) where the same ids with EOS kept give the units. The
    class: a number cut short by skipped special tokens, at the end or before more ids. It reads as
    when the special token's text stands there (the units, verbatim), in `decode` and the stream."""
    tok = wrapped(family, variant)
    number = tok(f"{value:,}", add_special_tokens=False)["input_ids"]
    assert number[-1] in tok._tst_unit_ids
    ids = [*number[:-1], tok.eos_token_id]
    ids += tok(then, add_special_tokens=False)["input_ids"] if then else []
    text = tok.decode(ids, skip_special_tokens=True)
    assert text == tok.decode(ids).replace(tok.eos_token, "")
    assert OPEN in text
    assert streamed(tok, ids, True, []) == text
    with pytest.raises(tst.TSTDecodeError):
        tok.decode(ids, skip_special_tokens=True, strict=True)


def test_a_batch_of_ids_is_refused_with_the_row_to_pass() -> None:
    """`step` takes one id or one sequence of integer ids; a ``[batch, length]`` tensor (what
    `generate` returns) named a list in an `int()` error, a string was read as ids."""
    import numpy as np
    import torch

    tok = hf_support.wrapped("bpe", "vocab")
    for batch in (torch.tensor([[5]]), np.array([[5, 6]]), [[5]]):
        with pytest.raises(TypeError, match=r"sequence of sequences.*ids\[0\]"):
            DecodeStream().step(tok, batch)
    assert DecodeStream().step(tok, torch.tensor([5, 6])) == DecodeStream().step(tok, [5, 6])
    assert DecodeStream().step(tok, [np.int64(5), torch.tensor(6)]) == DecodeStream().step(tok, [5, 6])
    # A string was read as the ids of its characters ("12" -> ids 1 and 2); floats named no id.
    for wrong in ("12", b"12", 5.0, torch.tensor(5.0), [5.0]):
        with pytest.raises(TypeError, match="integer id"):
            DecodeStream().step(tok, wrong)
