"""Save and reload a resized model with its TST tokenizer; generate number text through TST tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

import tst.hf  # noqa: E402
import tst.model  # noqa: E402
from tests import model_support as ms  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Iterator[None]:
    yield from ms.one_torch_thread()


PROMPTS = [
    "Revenue rose 12.5% to $1,234,567.89 in Q4 2023.",
    "0.0045 and 12,345,678.1234 and 12,34,567",
    "Call 555-0199 at 10:30, room 7",
    "x",
]


def _models() -> dict[str, tuple[Any, Any, Any]]:
    return {
        "gpt2": (ms.gpt2_tokenizer, ms.gpt2_model, transformers.AutoModelForCausalLM),
        "llama": (ms.llama_tokenizer, ms.llama_model, transformers.AutoModelForCausalLM),
        "t5": (ms.t5_tokenizer, ms.t5_model, transformers.AutoModelForSeq2SeqLM),
    }


def _logits(model: Any, tok: Any, t5: bool) -> Any:
    enc = tok(PROMPTS, return_tensors="pt", padding=True)
    extra = {"decoder_input_ids": enc["input_ids"][:, :6]} if t5 else {}
    with torch.no_grad():
        return model(**enc, **extra).logits


@pytest.mark.parametrize("arch", ["gpt2", "llama", "t5"])
@pytest.mark.parametrize("variant", ["marker", "vocab"])
def test_save_and_reload_give_identical_logits(arch: str, variant: str, tmp_path: Path) -> None:
    make_tok, make_model, auto = _models()[arch]
    base = make_tok()
    tok = tst.hf.wrap(base, variant=variant)
    model = make_model(len(base))
    tst.model.resize_embeddings(model, tok, pad_to_multiple_of=8)
    before = _logits(model, tok, arch == "t5")

    model.save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    reloaded = auto.from_pretrained(tmp_path).eval()
    for tok2 in (tst.hf.load(tmp_path), transformers.AutoTokenizer.from_pretrained(tmp_path)):
        assert tst.hf.is_tst_tokenizer(tok2) and tok2.tst_token_ids == tok.tst_token_ids
        assert torch.equal(tok2(PROMPTS, padding=True, return_tensors="pt")["input_ids"],
                           tok(PROMPTS, padding=True, return_tensors="pt")["input_ids"])  # fmt: skip
        assert torch.equal(_logits(reloaded, tok2, arch == "t5"), before)
    assert reloaded.config.vocab_size == model.get_input_embeddings().weight.shape[0]
    head, emb = reloaded.get_output_embeddings(), reloaded.get_input_embeddings()
    assert (head.weight is emb.weight) == (model.get_output_embeddings().weight is model.get_input_embeddings().weight)


def test_bert_save_and_reload(tmp_path: Path) -> None:
    model, base = ms.bert()
    tok = tst.hf.wrap(base, variant="vocab")
    tst.model.resize_embeddings(model, tok)
    enc = tok(PROMPTS, return_tensors="pt", padding=True)
    with torch.no_grad():
        before = model(**enc).last_hidden_state
    model.save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    reloaded = transformers.AutoModel.from_pretrained(tmp_path).eval()
    tok2 = tst.hf.load(tmp_path)
    enc2 = tok2(PROMPTS, return_tensors="pt", padding=True)
    assert torch.equal(enc2["input_ids"], enc["input_ids"])
    with torch.no_grad():
        assert torch.equal(reloaded(**enc2).last_hidden_state, before)


ECHO = "Total: $1,234,567.89 in 2023, up 4.5% to 0.0045."


def test_generate_decodes_back_to_number_text(tmp_path: Path) -> None:
    """A tiny GPT-2 learns one number-heavy line in TST tokens; greedy generation decodes to the plain line."""
    base = ms.gpt2_tokenizer()
    tok = tst.hf.wrap(base)
    model = ms.gpt2_model(len(base))
    tst.model.resize_embeddings(model, tok)
    ids = tok([ECHO])["input_ids"][0] + [base.eos_token_id]
    assert sum(i >= tok.tst_base_vocab_size for i in ids) >= 10  # the line is mostly TST units
    batch = torch.tensor([ids])
    torch.manual_seed(0)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for _ in range(150):
        loss = model(input_ids=batch, labels=batch).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        if loss.item() < 0.02:
            break
    model.eval()
    prompt = tok(["Total:"], return_tensors="pt")
    n_prompt = prompt["input_ids"].shape[1]

    def generate(m: Any) -> list[int]:
        out = m.generate(**prompt, max_new_tokens=len(ids), do_sample=False, pad_token_id=base.eos_token_id)
        return [int(i) for i in out[0]]

    generated = generate(model)
    assert generated[n_prompt:] == ids[n_prompt:]  # the TST unit ids themselves, then EOS
    assert tok.decode(generated, skip_special_tokens=True) == ECHO

    model.save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    reloaded = transformers.AutoModelForCausalLM.from_pretrained(tmp_path).eval()
    assert tst.hf.load(tmp_path).decode(generate(reloaded), skip_special_tokens=True) == ECHO
