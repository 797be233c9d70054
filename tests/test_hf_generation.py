"""End to end: tiny Llama-style models (random init, resized for TST) generating through transformers.

On a byte-level BPE and a SentencePiece base, both variants: `generate` (greedy, sampling,
beam search, beam sampling), `TextIteratorStreamer`, ``pipeline("text-generation")`` and a chat
template with ``add_generation_prompt=True``. An untrained model emits malformed TST: decoding
never raises, and with `TSTLogitsProcessor` every output decodes strictly.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import numpy as np
import pytest
import torch
import transformers

import tst
import tst.hf
import tst.model
from tests import hf_support
from tst.hf import DecodeStream, TSTLogitsProcessor
from tst.hf._vocab import vocab_pieces

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


@cache
def setup(family: str, variant: str) -> tuple[Any, Any]:
    """A wrapped tokenizer and a tiny Llama (random init) resized to it, in eval mode."""
    base = hf_support.base(family)
    tok = tst.hf.wrap(base, variant=variant)
    tok.chat_template = CHAT_TEMPLATE
    torch.manual_seed(0)
    config = transformers.LlamaConfig(
        vocab_size=len(base),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=512,
        bos_token_id=base.bos_token_id,
        eos_token_id=base.eos_token_id,
        pad_token_id=base.pad_token_id,
    )
    model = transformers.LlamaForCausalLM(config).eval()
    tst.model.resize_embeddings(model, tok, init="random")
    model.generation_config.pad_token_id = base.pad_token_id
    return tok, model


PARAMS = [("bpe", "vocab"), ("bpe", "marker"), ("spm", "vocab"), ("spm", "marker")]


def decodes_strictly(tok: Any, ids: list[int]) -> bool:
    try:
        for skip in (False, True):
            tok.decode(ids, skip_special_tokens=skip, strict=True)
    except tst.TSTDecodeError:
        return False
    return True


@pytest.mark.parametrize(("family", "variant"), PARAMS)
def test_issue_reproduction_pipeline_samples(family: str, variant: str) -> None:
    """Issue 11, first reproduction: the pipeline raised TSTDecodeError on sampled output."""
    tok, model = setup(family, variant)
    pipe = transformers.pipeline("text-generation", model=model, tokenizer=tok)
    torch.manual_seed(0)
    outs = [pipe("The total was", max_new_tokens=12, do_sample=True)[0]["generated_text"] for _ in range(5)]
    assert all(o.startswith("The total was") for o in outs)
    # The untrained model writes malformed TST: decode renders it (kept verbatim), strict raises.
    ids = model.generate(**tok(["The total was"] * 20, return_tensors="pt"), max_new_tokens=12, do_sample=True)
    assert sum(not decodes_strictly(tok, row) for row in ids.tolist()) >= 1
    assert any("\u27e6" in tok.decode(row) for row in ids.tolist())


@pytest.mark.parametrize(("family", "variant"), PARAMS)
def test_pipeline_with_the_processor_returns_strict_tst(family: str, variant: str) -> None:
    tok, model = setup(family, variant)
    pipe = transformers.pipeline("text-generation", model=model, tokenizer=tok)
    torch.manual_seed(1)
    for _ in range(5):
        proc = TSTLogitsProcessor(tok, max_new_tokens=12)
        out = pipe("The total was", max_new_tokens=12, do_sample=True, logits_processor=[proc], return_full_text=False)
        text = out[0]["generated_text"]
        assert "\u27e6" not in text and "\u27e7" not in text  # every unit was read as a number


MODES = [
    {"do_sample": False},
    {"do_sample": True},
    {"num_beams": 3, "do_sample": False},
    {"num_beams": 2, "do_sample": True, "num_return_sequences": 2},
]


@pytest.mark.parametrize(("family", "variant"), PARAMS)
@pytest.mark.parametrize("mode", range(len(MODES)))
def test_generate_with_the_processor_decodes_strictly(family: str, variant: str, mode: int) -> None:
    tok, model = setup(family, variant)
    tok.padding_side = "left"
    batch = tok(["The total was", "Pay $1,234.5 and 0.0"], return_tensors="pt", padding=True)
    for seed in range(2):
        torch.manual_seed(seed)
        proc = TSTLogitsProcessor(tok, max_new_tokens=16)
        out = model.generate(**batch, max_new_tokens=16, logits_processor=[proc], **MODES[mode])
        for row in out.tolist():
            assert decodes_strictly(tok, row), tok.decode(row)
            stream = DecodeStream()
            chunks = [stream.step(tok, i) for i in row]
            assert "".join(c for c in [*chunks, stream.flush(tok)] if c) == tok.decode(row)


@cache
def draft_for(family: str, variant: str) -> Any:
    """A second tiny Llama (another seed, the resized model's config: every TST id has a row) on the
    same tokenizer: the assistant of assisted generation."""
    _, model = setup(family, variant)
    torch.manual_seed(1)
    draft = transformers.LlamaForCausalLM(model.config).eval()
    draft.generation_config.pad_token_id = model.generation_config.pad_token_id
    return draft


ASSISTED = [
    {"assistant_model": True, "do_sample": True},
    {"assistant_model": True, "do_sample": False},
    {"prompt_lookup_num_tokens": 3, "do_sample": False},
]


@pytest.mark.parametrize(("family", "variant"), [("bpe", "vocab"), ("spm", "marker")])
@pytest.mark.parametrize("mode", range(len(ASSISTED)))
def test_assisted_generation_with_the_processor_decodes_strictly(family: str, variant: str, mode: int) -> None:
    """Assisted generation checks candidate ids, then goes back to the accepted ones: each row's
    state is read again there (it was taken as a new prompt, so `max_new_tokens` restarted and
    numbers were cut short at the length limit: 28 of 60 sampled outputs failed strict decoding)."""
    tok, model = setup(family, variant)
    kwargs = dict(ASSISTED[mode])
    if kwargs.pop("assistant_model", False):
        kwargs["assistant_model"] = draft_for(family, variant)
    for prompt in ["Pay 12,345", "It is 3.", "x"]:
        inputs = tok([prompt], return_tensors="pt")
        for seed in range(4):
            torch.manual_seed(seed)
            proc = TSTLogitsProcessor(tok, max_new_tokens=12)
            out = model.generate(**inputs, max_new_tokens=12, logits_processor=[proc], **kwargs)
            assert decodes_strictly(tok, out[0].tolist()), tok.convert_ids_to_tokens(out[0])


def whole_character_ids(tok: Any) -> list[int]:
    """Ids of plain tokens that are not whole characters (partial UTF-8, byte fallback) or hold a newline."""
    pieces = vocab_pieces(tok)
    bad = []
    for i, piece in enumerate(pieces.pieces):
        if i in pieces.units or i in pieces.special:
            continue
        if isinstance(piece, bytes):
            try:
                piece = piece.decode("utf-8") if pieces.family == "bytelevel" else "\ufffd"
            except UnicodeDecodeError:
                piece = "\ufffd"
        if "\ufffd" in piece or "\n" in piece:
            bad.append(i)
    return bad


@pytest.mark.parametrize(("family", "variant"), PARAMS)
def test_text_iterator_streamer_prints_the_final_text(family: str, variant: str) -> None:
    """Constrained output on a base kept prefix-stable (whole characters, no newline): the streamer
    prints exactly ``decode`` of the new ids."""
    tok, model = setup(family, variant)
    inputs = tok(["Pay $1,234.5 and"], return_tensors="pt")
    suppress = whole_character_ids(tok)
    for seed in range(3):
        torch.manual_seed(seed)
        streamer = transformers.TextIteratorStreamer(tok, skip_prompt=True)
        proc = TSTLogitsProcessor(tok, max_new_tokens=24)
        result: dict[str, Any] = {}

        def run(proc: TSTLogitsProcessor = proc, streamer: Any = streamer, result: dict[str, Any] = result) -> None:
            result["ids"] = model.generate(
                **inputs,
                max_new_tokens=24,
                do_sample=True,
                streamer=streamer,
                logits_processor=[proc],
                suppress_tokens=suppress,
            )

        thread = threading.Thread(target=run)
        thread.start()
        printed = "".join(streamer)
        thread.join()
        new = result["ids"][0, inputs["input_ids"].shape[1] :].tolist()
        assert printed == tok.decode(new)


@pytest.mark.parametrize(("family", "variant"), PARAMS)
def test_chat_template_then_generate(family: str, variant: str) -> None:
    tok, model = setup(family, variant)
    messages = [{"role": "user", "content": "What is 12,345.5 + 0.25?"}]
    rendered = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    assert rendered.endswith("<|assistant|>")
    inputs = tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    prompt = inputs["input_ids"][0].tolist()
    assert tok.decode(prompt) == rendered
    assert any(i in tok.tst_token_ids.values() for i in prompt)  # the numbers are TST units
    torch.manual_seed(0)
    proc = TSTLogitsProcessor(tok, max_new_tokens=16)
    out = model.generate(**inputs, max_new_tokens=16, do_sample=True, logits_processor=[proc])[0].tolist()
    assert out[: len(prompt)] == prompt
    assert decodes_strictly(tok, out)
    assert tok.decode(out).startswith(rendered)


@pytest.mark.parametrize("call", ["decode", "batch_decode"])
def test_a_strict_batch_decode_names_the_failing_sequence(call: str) -> None:
    """Batch errors carry their index (tst.errors): the third sequence is malformed TST."""
    tok = hf_support.wrapped("bpe", "vocab")
    good = tok("pay 1,234 now", add_special_tokens=False)["input_ids"]
    bad = tok.convert_tokens_to_ids(["\u27e612m\u27e7"]) + tok(" ok", add_special_tokens=False)["input_ids"]
    batch = [good, good, bad, good]
    with pytest.raises(tst.TSTDecodeError) as info:
        getattr(tok, call)(batch, strict=True)
    assert info.value.index == 2 and str(info.value).startswith("item 2:"), str(info.value)
    # Lenient (the default), the same batch decodes; tensors and arrays are batches too.
    texts = getattr(tok, call)(batch)
    assert texts[0] == "pay 1,234 now" and len(texts) == 4
    assert getattr(tok, call)(np.array([good, good])) == [texts[0], texts[0]]
    assert getattr(tok, call)(torch.tensor([good, good])) == [texts[0], texts[0]]
    assert getattr(tok, call)([torch.tensor(good), np.array(good)]) == [texts[0], texts[0]]
    # A list of numpy or torch scalars is one sequence, not a batch of one-id rows.
    assert tok.decode([np.int64(i) for i in good]) == texts[0]
    assert tok.decode([torch.tensor(i) for i in good]) == texts[0]
    assert tok.decode(good, strict=True) == "pay 1,234 now"


class _Script(transformers.LogitsProcessor):
    """Forces the model to write `ids`, one per step (a real model, its choice made for it)."""

    def __init__(self, ids: list[int], start: int) -> None:
        self.ids = ids
        self.start = start  # the prompt's length

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        step = input_ids.shape[1] - self.start
        forced = torch.full_like(scores, -float("inf"))
        forced[:, self.ids[min(step, len(self.ids) - 1)]] = 0.0
        return forced


@pytest.mark.parametrize(("family", "variant"), PARAMS)
def test_stop_strings_with_numbers_stop_where_the_decoded_text_holds_them(family: str, variant: str) -> None:
    """transformers' stop_strings read each unit's text alone: "1,000" never stopped, "1000" stopped on 1,000."""
    tok, model = setup(family, variant)
    script = tok(" 1,000 7 1,000,000 and 42.5 done", add_special_tokens=False)["input_ids"]
    prompt = tok("Total:", return_tensors="pt", add_special_tokens=False)

    def run(stop: list[str]) -> str:
        forcing = _Script(script, prompt["input_ids"].shape[1])
        criteria = transformers.StoppingCriteriaList([tst.hf.TSTStopStrings(tok, stop)])
        out = model.generate(
            **prompt,
            max_new_tokens=len(script),
            do_sample=False,
            logits_processor=[forcing],
            stopping_criteria=criteria,
        )
        return str(tok.decode(out[0][prompt["input_ids"].shape[1] :]))

    # (SentencePiece drops the leading space of a decode: compared without it)
    assert run(["1,000"]).lstrip() == "1,000"
    assert run(["1000"]).lstrip() == "1,000 7 1,000,000 and 42.5 done"  # never in the text: runs to the end
    assert run(["42.5"]).lstrip() == "1,000 7 1,000,000 and 42.5"
    assert run(["7 1,000,0"]).lstrip() == "1,000 7 1,000,000"  # seen when the number is settled


def test_stop_strings_early_in_the_text_across_calls_and_beams() -> None:
    """A stop string done before its own length of text was written (a tail sliced from the end lost it);
    one criterion serving two `generate` calls, the second prompt extending the first output; beams."""
    tok, model = setup("bpe", "vocab")
    script = tok(" 5 apples and 1,000 more", add_special_tokens=False)["input_ids"]
    stop = tst.hf.TSTStopStrings(tok, ["apples", "no such text at all"])

    def run(prompt_text: str, **kwargs: Any) -> str:
        prompt = tok(prompt_text, return_tensors="pt", add_special_tokens=False)
        n = prompt["input_ids"].shape[1]
        out = model.generate(
            **prompt,
            max_new_tokens=len(script),
            logits_processor=[_Script(script, n)],
            stopping_criteria=transformers.StoppingCriteriaList([stop]),
            **kwargs,
        )
        return str(tok.decode(out[0][n:]))

    first = run("Count:", do_sample=False)
    assert first == " 5 apples"
    assert run("Count:" + first + " and then", do_sample=False) == " 5 apples"  # afresh, not stopped at once
    assert run("Count:", num_beams=2, do_sample=False) == " 5 apples"


def test_stop_strings_start_afresh_after_every_sequence_stopped() -> None:
    """`generate` ends once every sequence has stopped, so the next call, even one id longer (its
    prompt is exactly the last output), is a new generation whose prompt text is not searched."""
    tok, _ = setup("bpe", "vocab")
    ids = tok("Total: 1,000 and more text here", add_special_tokens=False)["input_ids"]
    stop = tst.hf.TSTStopStrings(tok, ["1,000"])
    k = next(k for k in range(3, len(ids)) if stop(torch.tensor([ids[:k]]), None)[0])
    assert tok.decode(ids[:k]).endswith("1,000") or "1,000" in tok.decode(ids[:k])
    assert not stop(torch.tensor([ids[: k + 1]]), None)[0]
    assert not tst.hf.TSTStopStrings(tok, ["1,000"])(torch.tensor([ids[: k + 1]]), None)[0]


def test_stop_strings_refuse_an_empty_string() -> None:
    tok, _ = setup("bpe", "vocab")
    with pytest.raises(ValueError, match="non-empty"):
        tst.hf.TSTStopStrings(tok, ["ok", ""])


def test_stop_strings_refuse_a_plain_tokenizer_when_built() -> None:
    """Found by a new-user trial: a plain tokenizer was taken, and `generate` failed at its first step."""
    tok, _ = setup("bpe", "vocab")
    with pytest.raises(TypeError, match="TSTStopStrings needs a TST tokenizer"):
        tst.hf.TSTStopStrings(tok.tst_base_tokenizer(), ["1,000"])
