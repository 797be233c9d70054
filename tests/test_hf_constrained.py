"""`TSTLogitsProcessor` against the strict decoder, which is the oracle.

An id is *viable* after a prefix when some continuation makes the decoded surface pass
`Codec.decode(..., strict=True)`. The oracle searches continuations (one unit of each
kind, text, brackets), pruning as soon as the strict decoder fails somewhere no
continuation can repair. The processor must allow only viable ids (sound), and every
viable id except those it restricts by design (a bracket or a partial character written
by plain ids, special tokens) (complete).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tst
import tst.hf
from tests import hf_support
from tests import model_support as ms
from tests.strategies import numerals
from tst.hf._vocab import VocabPieces, vocab_pieces
from tst.hf.constrained import START, TSTLogitsProcessor, _Automaton
from tst.settings import Settings
from tst.spelling import CLOSE, OPEN, UNITS_MARKER, tag_content, unit
from tst.vocabulary import magnitudes

# -- the oracle -----------------------------------------------------------------


def strict_error(codec: tst.Codec, surface: str) -> tst.TSTDecodeError | None:
    try:
        codec.decode(surface, strict=True)
    except tst.TSTDecodeError as exc:
        return exc
    return None


def repairable(surface: str, err: tst.TSTDecodeError) -> bool:
    """Whether appending text may still fix `err` (the strict decoder's first error)."""
    reason, p, n = err.reason.split(" (the text decodes ")[0], err.position, len(surface)  # minus the settings hint
    if reason.startswith("number cut short") or reason.endswith("is not followed by its marker"):
        return p == n
    if reason == "grouping tag not followed by a number":
        return surface.find(CLOSE, p) == n - 1  # the tag is the last thing
    if reason.startswith(f"{OPEN!r} without its closing") or reason == "empty unit":
        return surface[p:] in (OPEN, OPEN + OPEN, OPEN + CLOSE)  # an escape under way
    return False


class Oracle:
    """`viable` for one codec, remembering the answers for the text after the last clean cut.

    At a cut after a plain character (neither the decimal mark nor an ASCII digit, which
    a number right after would be glued to), outside any unit, the strict decoder reads
    both sides independently: the text before must decode, and the answer for the text
    after can be reused.
    """

    def __init__(self, codec: tst.Codec, alphabet: list[str], depth: int) -> None:
        self.codec = codec
        self.alphabet = alphabet
        self.depth = depth
        self.known: dict[tuple[str, int], bool] = {}

    def viable(self, surface: str) -> bool:
        cut = clean_cut(surface, self.codec.settings.decimal)
        if cut and strict_error(self.codec, surface[:cut]) is not None:
            return False
        return self._viable(surface[cut:], self.depth)

    def _viable(self, surface: str, depth: int) -> bool:
        key = (surface, depth)
        if key not in self.known:
            err = strict_error(self.codec, surface)
            if err is None:
                self.known[key] = True
            elif depth == 0 or not repairable(surface, err):
                self.known[key] = False
            else:
                self.known[key] = any(self._viable(surface + piece, depth - 1) for piece in self.alphabet)
        return self.known[key]


def clean_cut(s: str, decimal: str) -> int:
    """The last p where ``s[p-1]`` is plain text (not the decimal mark nor a digit) outside any unit, or 0."""
    for p in range(len(s), 0, -1):
        c = s[p - 1]
        if c not in (OPEN, CLOSE, decimal) and not "0" <= c <= "9" and s.rfind(OPEN, 0, p) <= s.rfind(CLOSE, 0, p):
            return p
    return 0


_UNIT = re.compile(f"{OPEN}([0-9]*)([^{OPEN}{CLOSE}0-9]*){CLOSE}")


def alphabet_of(units: list[str]) -> list[str]:
    """One unit per (digits length, name, first digit 0 or not), tags, then plain text and brackets."""
    seen: dict[tuple[int, str, bool], str] = {}
    for u in units:
        m = _UNIT.fullmatch(u)
        key = (len(m.group(1)), m.group(2), m.group(1).startswith("0")) if m else (-1, u, False)
        seen.setdefault(key, u)
    return ["a", *sorted(seen.values(), key=len), ".", OPEN, CLOSE]


def depth_for(st_: Settings) -> int:
    return 2 * (st_.int_digits // st_.group_size + 2) + 4


# -- tokenizers ------------------------------------------------------------------

#: (name, base family): byte-level BPE, SentencePiece with byte fallback, Metaspace without it.
FAMILIES = ["bpe", "spm", "metaspace"]


@cache
def wrapped(family: str, variant: str, group_size: int = 3) -> Any:
    if family == "metaspace":
        return tst.hf.wrap(ms.llama_tokenizer(), variant=variant, group_size=group_size)
    if group_size == 3:
        return hf_support.wrapped(family, variant)
    return tst.hf.wrap(hf_support.base(family), variant=variant, group_size=group_size)


@cache
def processor(family: str, variant: str, group_size: int = 3) -> TSTLogitsProcessor:
    return TSTLogitsProcessor(wrapped(family, variant, group_size))


@cache
def oracle_for(family: str, variant: str) -> Oracle:
    tok = wrapped(family, variant)
    return Oracle(tok.tst_codec, alphabet_of(list(tok.tst_token_ids)), depth_for(tok.tst_codec.settings))


def decoded_pieces(tok: Any, ids: list[int], skip: bool) -> list[str]:
    """The base decode of `ids`, cut where `decode` cuts it: at skipped special tokens next to a unit."""
    surface: str = tok.backend_tokenizer.decode(ids, skip_special_tokens=skip)
    cuts = tok._tst_cuts(ids, surface, {}) if skip else []
    return [surface[a:b] for a, b in zip([0, *cuts], [*cuts, len(surface)])]


def viable_ids(oracle: Oracle, tok: Any, ids: list[int], skip: bool) -> bool:
    """Whether some continuation of `ids` decodes strictly: every piece but the last is complete."""
    *done, last = decoded_pieces(tok, ids, skip)
    return all(strict_error(oracle.codec, p) is None for p in done) and oracle.viable(last)


def allowed_after(proc: TSTLogitsProcessor, ids: list[int], vocab: int) -> torch.Tensor:
    scores = proc(torch.tensor([ids], dtype=torch.long), torch.zeros(1, vocab))
    return torch.isfinite(scores[0])


def walk(proc: TSTLogitsProcessor, ids: list[int], vocab: int, steps: int, rng: torch.Generator, eos: int) -> list[int]:
    """Extend `ids` by `steps` ids drawn uniformly among those the processor allows (EOS aside)."""
    ids = list(ids)
    for _ in range(steps):
        ok = allowed_after(proc, ids, vocab)
        ok[eos] = False
        choices = torch.nonzero(ok).flatten()
        ids.append(int(choices[torch.randint(len(choices), (1,), generator=rng)]))
    return ids


def restricted_by_design(tok: Any, pieces: VocabPieces, i: int) -> bool:
    """Ids the processor may mask although viable: brackets or partial characters in plain ids, specials."""
    if i in pieces.special:
        return True
    if i in pieces.units:
        return False
    piece = pieces.pieces[i]
    if isinstance(piece, bytes):
        if pieces.family == "bytefallback":
            return True
        try:
            piece = piece.decode("utf-8")
        except UnicodeDecodeError:
            return True
    return OPEN in piece or CLOSE in piece


TEXT = st.lists(
    st.one_of(numerals(), st.sampled_from([" ", "a", ". ", ".", "$", "x.5", "⟦", "⟧", "\n", "é"])), max_size=6
).map("".join)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", ["vocab", "marker"])
@settings(max_examples=25)
@given(text=TEXT, cut=st.floats(0, 1), steps=st.integers(0, 6), seed=st.integers(0, 2**16), data=st.data())
def test_allowed_ids_are_the_viable_ones(
    family: str, variant: str, text: str, cut: float, steps: int, seed: int, data: st.DataObject
) -> None:
    tok = wrapped(family, variant)
    proc = processor(family, variant)
    pieces = vocab_pieces(tok)
    codec = tok.tst_codec
    vocab = len(tok)
    oracle = oracle_for(family, variant)
    ids = tok(text, add_special_tokens=False)["input_ids"]
    ids = walk(proc, ids[: int(len(ids) * cut)], vocab, steps, torch.Generator().manual_seed(seed), tok.eos_token_id)
    allowed = allowed_after(proc, ids, vocab)
    # A prompt can end where generation has no valid id at all: a byte-fallback ⟦ opens an escape
    # that only byte ids could close, and the processor never writes brackets with bytes (they may
    # turn into U+FFFD). By design it then masks nothing (a row always has something to sample).
    assume(not bool(allowed.all()))
    units = sorted(pieces.units)
    candidates = data.draw(
        st.lists(
            st.one_of(st.sampled_from(units), st.integers(0, vocab - 1), st.sampled_from(sorted(pieces.special))),
            min_size=20,
            max_size=20,
        )
    )
    surface = tok.backend_tokenizer.decode(ids, skip_special_tokens=False)
    # The processor cannot mend the past: a text the base cannot encode as valid TST under both
    # decodings (an <unk> between two numbers, dropped by skip_special_tokens) is no test case.
    assume(all(viable_ids(oracle, tok, ids, skip) for skip in (False, True)))
    unfinished_escape = surface.endswith((OPEN, OPEN + CLOSE))
    for i in candidates:
        if i == tok.eos_token_id:  # the sequence ends here
            ok = all(
                strict_error(codec, piece) is None
                for skip in (False, True)
                for piece in decoded_pieces(tok, [*ids, i], skip)
            )
        else:
            ok = all(viable_ids(oracle, tok, [*ids, i], skip) for skip in (False, True))
        if bool(allowed[i]):
            assert ok, (surface, tok.convert_ids_to_tokens([i]))
        elif not (restricted_by_design(tok, pieces, i) or unfinished_escape):
            assert not ok, (surface, tok.convert_ids_to_tokens([i]))


def sample(tok: Any, proc: TSTLogitsProcessor | None, prompts: list[list[int]], new: int, seed: int) -> list[list[int]]:
    """Generation as `generate` runs it (left padding, EOS then padding), drawing uniformly among allowed ids."""
    rng = torch.Generator().manual_seed(seed)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    width = max(map(len, prompts))
    ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts], dtype=torch.long)
    done = torch.zeros(len(prompts), dtype=torch.bool)
    for _ in range(new):
        scores = torch.rand(len(prompts), len(tok), generator=rng)
        if proc is not None:
            scores = proc(ids, scores)
        nxt = scores.argmax(dim=-1)  # uniform among the ids left finite
        nxt = torch.where(done, torch.full_like(nxt, pad), nxt)
        done |= nxt == tok.eos_token_id
        ids = torch.cat([ids, nxt[:, None]], dim=1)
    return [row[width - len(p) :] for row, p in zip(ids.tolist(), prompts)]


def strict_failures(tok: Any, rows: list[list[int]]) -> int:
    bad = 0
    for row in rows:
        for skip in (False, True):
            try:
                tok.decode(row, skip_special_tokens=skip, strict=True)
            except tst.TSTDecodeError:
                bad += 1
                break
    return bad


def prompts_for(tok: Any) -> list[list[int]]:
    """Prompts ending in text, and prompts cut inside numbers (the processor must finish them).

    With a byte-fallback base a literal bracket is spelled by byte tokens, which the
    processor never lets the model write (docs/generation.md): prompts cut inside one
    cannot be completed, and are left out.
    """
    texts = ["The total was", "Pay $12,345,678.1234 now", "rate 0.0045 and 1,23,45,678.9 (⟦x⟧)"]
    pieces = vocab_pieces(tok)
    out = []
    for text in texts:
        ids = tok(text, add_special_tokens=False)["input_ids"]
        for k in range(1, len(ids) + 1):
            if pieces.family == "bytefallback" and isinstance(pieces.pieces[ids[k - 1]], bytes):
                continue
            if pieces.family == "bytefallback" and tok.backend_tokenizer.decode(ids[:k]).endswith((OPEN, OPEN + CLOSE)):
                continue
            out.append(ids[:k])
    return out


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_a_thousand_sampled_sequences_decode_strictly(family: str, variant: str) -> None:
    """1,000 sequences on the byte-level and Metaspace bases; 250 on the byte-fallback one, whose
    45k ids make each step (random scores over the whole vocabulary) 3.6x the cost."""
    n = 250 if family == "spm" else 1000
    tok = wrapped(family, variant)
    prompts = prompts_for(tok)
    prompts = (prompts * (n // len(prompts) + 1))[:n]
    proc = TSTLogitsProcessor(tok, max_new_tokens=32)
    rows: list[list[int]] = []
    for k in range(0, n, 250):
        rows += sample(tok, proc, prompts[k : k + 250], 32, seed=k)
    assert len(rows) == n
    assert strict_failures(tok, rows) == 0
    unconstrained = sample(tok, None, prompts[:100], 32, seed=1)
    assert strict_failures(tok, unconstrained) >= 10  # the test can fail: without the processor many do


@pytest.mark.parametrize("budget", [1, 2, 3, 5, 8])
def test_max_new_tokens_is_enough_to_finish(budget: int) -> None:
    """With the budget known, every sequence can end (EOS or length) where it decodes strictly."""
    tok = wrapped("bpe", "marker")
    proc = TSTLogitsProcessor(tok, max_new_tokens=budget)
    a = proc.automaton
    prompts = [p for p in prompts_for(tok) if a.dist[int(proc.states_of(torch.tensor([p]))[0])] <= budget]
    assert len(prompts) > 10
    rows = []
    for seed in range(6):
        rows += sample(tok, proc, prompts, budget, seed=seed)
    assert strict_failures(tok, rows) == 0


def test_eos_and_plain_text_are_masked_inside_a_number() -> None:
    tok = wrapped("bpe", "vocab")
    proc = TSTLogitsProcessor(tok)
    ids = tok("Pay 12,345", add_special_tokens=False)["input_ids"][:-1]  # ... ⟦,3⟧ ⟦12k⟧
    ok = allowed_after(proc, ids, len(tok))
    assert [i for i in torch.nonzero(ok).flatten().tolist()] == [
        i for u, i in tok.tst_token_ids.items() if re.fullmatch(f"{OPEN}[0-9]{{3}}{CLOSE}", u)
    ]
    assert not ok[tok.eos_token_id]


@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_a_plain_digit_is_never_glued_to_a_number(variant: str) -> None:
    """Pinned (a new-user trial got 'Total: 1,23455' on tekken): digits after a number, units after a digit."""
    tok = wrapped("bpe", variant)
    proc = TSTLogitsProcessor(tok)
    vocab = len(tok)
    after_number = allowed_after(proc, tok("Total: 1,234", add_special_tokens=False)["input_ids"], vocab)
    texts = tok.convert_ids_to_tokens(list(range(vocab)))
    digit_first = [i for i, t in enumerate(texts) if t[0] in "0123456789"]
    assert digit_first and not after_number[digit_first].any()
    assert after_number[tok.convert_tokens_to_ids("Ġ")]
    units = sorted(tok.tst_token_ids.values())
    word = tok("H2", add_special_tokens=False)["input_ids"]  # a text word: its 2 is plain text
    assert tok.convert_ids_to_tokens(word)[-1] == "2"
    assert not allowed_after(proc, word, vocab)[units].any()
    # A special token between cuts the TST text, skipped or not: a number may follow it.
    assert allowed_after(proc, [*word, tok.pad_token_id], vocab)[units].any()
    assert allowed_after(proc, [*word, tok.convert_tokens_to_ids("Ġ")], vocab)[units].any()


@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_a_number_may_follow_a_special_token_after_a_digit(variant: str) -> None:
    """Found by a new-user trial: with Mistral's ``[INST]What is 2+2[/INST]`` (no space before
    ``[/INST]``) every number was masked, since skip_special_tokens used to glue what follows to
    the 2. A special token now cuts the TST text, skipped or kept (`decode`, `DecodeStream`): EOS
    between turns of a prompt, and a token that tokenizer.json marks special without the wrapper
    registering it, alike. Each allowed continuation decodes strictly both ways."""
    from tokenizers import AddedToken, Tokenizer
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer.from_str(hf_support.base("bpe").backend_tokenizer.to_str())
    backend.add_special_tokens([AddedToken("<|sep|>", special=True)])
    base = PreTrainedTokenizerFast(tokenizer_object=backend, eos_token="<|endoftext|>", pad_token="<|pad|>")
    tok = tst.hf.wrap(base, variant=variant)
    sep = tok.convert_tokens_to_ids("<|sep|>")
    assert sep not in tok.all_special_ids and sep in vocab_pieces(tok).special
    proc = TSTLogitsProcessor(tok)
    units = sorted(tok.tst_token_ids.values())
    answer = tok("4", add_special_tokens=False)["input_ids"]
    for special in (tok.eos_token_id, sep):
        prompt = [*tok("What is 2+2", add_special_tokens=False)["input_ids"], special]
        allowed = allowed_after(proc, prompt, len(tok))
        assert allowed[units].any() and allowed[answer[0]], tok.convert_ids_to_tokens([special])
        for skip in (False, True):
            tok.decode([*prompt, *answer], skip_special_tokens=skip, strict=True)


def test_a_character_begun_after_the_decimal_mark_masks_fractions() -> None:
    """Pinned: a byte that starts a character after "." (its U+FFFD or character comes between)."""
    tok = wrapped("bpe", "vocab")
    pieces = vocab_pieces(tok)
    lead = pieces.pieces.index(b"\xd7")  # starts a 2-byte character
    ids = tok("x 3.", add_special_tokens=False)["input_ids"]
    fraction = tok.tst_token_ids["\u27e65p\u27e7"]
    assert allowed_after(TSTLogitsProcessor(tok), ids, len(tok))[fraction]
    assert not allowed_after(TSTLogitsProcessor(tok), [*ids, lead], len(tok))[fraction]


@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_beam_reordering_keeps_each_rows_state(variant: str) -> None:
    """Rows permuted and duplicated between calls (beam search) get the states of their own ids."""
    tok = wrapped("bpe", variant)
    texts = [tok(t, add_special_tokens=False)["input_ids"] for t in ("Pay 1,234,567.5", "rate 0.25 x", "x 3.14159")]
    n = min(map(len, texts)) - 3
    which = [0, 1, 2]  # the text of each row
    rows = torch.tensor([texts[j][:n] for j in which])
    proc = TSTLogitsProcessor(tok)
    for order in ([2, 0, 0, 1], [1, 3, 2, 0], [3, 3, 0, 1]):
        proc(rows, torch.zeros(len(rows), len(tok)))
        which = [which[k] for k in order]
        rows = torch.cat([rows[order], torch.tensor([[texts[j][n]] for j in which])], dim=1)
        n += 1
        assert torch.equal(proc.states_of(rows), TSTLogitsProcessor(tok).states_of(rows))


def test_processor_refuses_what_it_cannot_do() -> None:
    with pytest.raises(TypeError):
        TSTLogitsProcessor(hf_support.base("bpe"))
    with pytest.raises(tst.TSTError, match="WordPiece"):
        TSTLogitsProcessor(hf_support.wrapped("bert", "marker"))
    tok = wrapped("bpe", "marker")
    with pytest.raises(tst.TSTError, match="vocab_size"):
        TSTLogitsProcessor(tok)(torch.zeros(1, 1, dtype=torch.long), torch.zeros(1, len(tok) + 5))
    proc = TSTLogitsProcessor(tok, vocab_size=len(tok) + 5)  # a model with spare rows: they are masked
    out = proc(torch.zeros(1, 1, dtype=torch.long), torch.zeros(1, len(tok) + 5))
    assert not torch.isfinite(out[0, len(tok) :]).any()


# -- every group size, on a synthetic vocabulary ------------------------------------


def synthetic(st_: Settings) -> tuple[VocabPieces, list[str]]:
    """Plain text pieces, specials, and units of every kind (a few digit strings each)."""
    units: list[str] = []
    names = [name for name, _ in magnitudes(st_)]
    lengths = range(1, st_.group_size + 1)
    if st_.variant == "vocab":
        units += [unit(str(7 - k % 7) * n + name) for k, name in enumerate(names) for n in lengths]
        units += [unit("0" * n + name) for name in names for n in lengths]  # a grouping never starts with 0
    else:
        units += [unit(name or UNITS_MARKER) for name in names] + [unit(d * n) for d in "40" for n in lengths]
    units += [unit(tag_content(sep, indian)) for sep in st_.resolved_separators[:2] for indian in {False, st_.indian}]
    plain = ["a", " ", ".", ",", "7", "x.", ". ", OPEN, CLOSE, OPEN + OPEN, OPEN + CLOSE, OPEN + OPEN + CLOSE, ""]
    specials = ["</s>", "<pad>"]
    pieces: list[bytes | str] = [*specials, *plain, *units]
    first_unit = len(specials) + len(plain)
    return (
        VocabPieces(
            family="text",
            size=len(pieces),
            units={first_unit + k: u for k, u in enumerate(units)},
            special=frozenset({0, 1}),
            pieces=pieces,
        ),
        units,
    )


GROUPS = st.fixed_dictionaries(
    {
        "variant": st.sampled_from(["vocab", "marker"]),
        "group_size": st.integers(1, 6),
        "decimal": st.sampled_from([".", ","]),
        "indian": st.booleans(),
        "int_digits": st.sampled_from([18, 7, 12]),
        "frac_digits": st.sampled_from([15, 4]),
    }
)


@settings(max_examples=60)
@given(config=GROUPS, seed=st.integers(0, 2**16), steps=st.integers(0, 14))
def test_every_group_size_allows_exactly_the_viable_pieces(
    make_codec: Callable[..., tst.Codec], config: dict[str, Any], seed: int, steps: int
) -> None:
    codec = make_codec(**config)
    pieces, units = synthetic(codec.settings)
    a = _Automaton(pieces, codec.settings, eos=[0], model_vocab=0)
    oracle = Oracle(codec, alphabet_of(units), depth_for(codec.settings))
    rng = torch.Generator().manual_seed(seed)
    state = a.states.index(START)
    seq: list[int] = []

    def text(ids: list[int], skip: bool) -> str:
        return "".join(str(pieces.pieces[i]) for i in ids if not (skip and i in pieces.special))

    def cut(ids: list[int], skip: bool) -> list[str]:
        """The text of `ids` in the pieces `decode` reads apart: skipped special tokens next to a unit cut it."""
        if not skip:
            return [text(ids, False)]
        out: list[str] = [""]
        kept, run = -1, False
        for i in ids:
            if i in pieces.special:
                run = run or kept >= 0
                continue
            if run and (kept in pieces.units or i in pieces.units):
                out.append("")
            run, kept = False, i
            out[-1] += str(pieces.pieces[i])
        return out

    def decodes(ids: list[int], skip: bool) -> bool:
        return all(strict_error(codec, t) is None for t in cut(ids, skip))

    def viable(ids: list[int], skip: bool) -> bool:
        *done, last = cut(ids, skip)
        return all(strict_error(codec, t) is None for t in done) and oracle.viable(last)

    for _ in range(steps + 1):
        row = a.trans[state]
        surface = text(seq, skip=False)
        unfinished_escape = surface.endswith((OPEN, OPEN + CLOSE))
        for i in range(pieces.size):
            c = a.class_of_id[i]
            if i == 0:  # EOS: the sequence ends here
                ok = all(decodes([*seq, 0], skip) for skip in (False, True))
            else:
                ok = all(viable([*seq, i], skip) for skip in (False, True))
            if row[c] >= 0:
                assert ok, (surface, pieces.pieces[i])
            elif not (i in pieces.special or OPEN in str(pieces.pieces[i]) or CLOSE in str(pieces.pieces[i])):
                assert not ok or unfinished_escape, (surface, pieces.pieces[i])
        choices = [i for i in range(1, pieces.size) if row[a.class_of_id[i]] >= 0]
        i = choices[int(torch.randint(len(choices), (1,), generator=rng))]
        seq.append(i)
        state = row[a.class_of_id[i]]
    # The fewest ids to an end that decodes strictly is what the automaton says.
    assert (a.dist[state] == 0) == (strict_error(codec, text(seq, False)) is None)


def test_a_prompt_bracket_written_with_bytes_is_read_as_that_bracket() -> None:
    """SentencePiece writes ⟦ as byte-fallback ids: a prompt ending inside an escape is not a fresh start."""
    tok = wrapped("spm", "vocab")
    proc = processor("spm", "vocab")
    ids = tok("\u27e6 ", add_special_tokens=False)["input_ids"]  # the escape ⟦⟦⟧, nine byte ids
    assert tok.backend_tokenizer.decode(ids[:4]) == "\u27e6"
    half = allowed_after(proc, ids[:4], len(tok))
    # Inside the escape no unit may follow; only byte ids could close it, which the processor never
    # writes, so nothing is valid and nothing is masked (read as a fresh start, units were allowed alone).
    assert bool(half.all())
    whole = allowed_after(proc, ids[:-1], len(tok))  # the escape closed: a number may start
    assert bool(whole[tok.convert_tokens_to_ids("\u27e60q\u27e7")]) and not bool(whole.all())


@pytest.mark.parametrize("text", ["0e000\u27e6", "12 \u27e7 3", "a\u27e6\u27e7b", "1.5\u27e6"])
def test_a_prompt_cut_inside_a_bracket_spelled_by_bytes_allows_only_viable_ids(text: str) -> None:
    """Every cut of a literal bracket's escape spelled by byte-fallback ids, mid-character too.

    Found by hypothesis (``0e`` + 37 zeros + ``⟦``, cut between the bytes of the escape's ``⟧``):
    the prompt reading forgot the open escape where generation would not write those bytes, and
    allowed a byte completing another character (``⟨``), which no strict decoding accepts.
    """
    tok = wrapped("spm", "vocab")
    oracle = oracle_for("spm", "vocab")
    ids = tok(text, add_special_tokens=False)["input_ids"]
    pieces = vocab_pieces(tok)
    probes = [i for i, p in enumerate(pieces.pieces) if isinstance(p, bytes)] + sorted(pieces.units)[:50]
    for cut in range(1, len(ids)):
        # A new processor for each prompt: one id more than the last call reads as a generated id.
        allowed = allowed_after(TSTLogitsProcessor(tok), ids[:cut], len(tok))
        if bool(allowed.all()):  # a dead end: no id is valid, none is masked (see the test above)
            continue
        for i in probes:
            if bool(allowed[i]):
                assert all(viable_ids(oracle, tok, [*ids[:cut], i], skip) for skip in (False, True)), (
                    cut,
                    tok.convert_ids_to_tokens(ids[:cut]),
                    tok.convert_ids_to_tokens([i]),
                )


def test_sizes_outside_the_vocabulary_are_refused() -> None:
    """Found by a new-user trial: a vocab_size below the tokenizer's and an EOS id past it were taken."""
    tok = wrapped("bpe", "vocab")
    with pytest.raises(ValueError, match="smaller than the tokenizer"):
        TSTLogitsProcessor(tok, vocab_size=100)
    with pytest.raises(ValueError, match="eos_token_id 1000000 is not an id"):
        TSTLogitsProcessor(tok, eos_token_id=10**6)
    assert TSTLogitsProcessor(tok, vocab_size=len(tok) + 64, eos_token_id=len(tok) + 3) is not None


def test_a_call_past_the_budget_starts_a_new_generation() -> None:
    """A `generate` call whose prompt is the last output (cut by the length limit) was read as the
    same generation going on, with no budget left: only numbers that end at once were allowed."""
    tok = wrapped("bpe", "vocab")
    prompt = tok("Total:", add_special_tokens=False)["input_ids"]
    space = tok("Total: x", add_special_tokens=False)["input_ids"][len(prompt)]
    unit = tok.tst_token_ids["⟦12k⟧"]  # needs a second group: two ids of budget

    def allowed(proc: TSTLogitsProcessor, ids: list[int]) -> bool:
        return bool(torch.isfinite(proc(torch.tensor([ids]), torch.zeros(1, len(tok)))[0, unit]))

    proc = TSTLogitsProcessor(tok, max_new_tokens=2)
    assert allowed(proc, prompt) and not allowed(proc, [*prompt, space])  # one id left: no two-group number
    fresh = TSTLogitsProcessor(tok, max_new_tokens=2)
    assert allowed(proc, [*prompt, space, space]) == allowed(fresh, [*prompt, space, space]) is True
