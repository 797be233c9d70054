"""`tst.model.train_only_new_tokens` and `peft_config_for_new_tokens`: one step moves only the TST rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

import tst.hf  # noqa: E402
import tst.model  # noqa: E402
from tests import model_support as ms  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Iterator[None]:
    yield from ms.one_torch_thread()


ARCHS: dict[str, tuple[Callable[[], Any], Callable[..., Any]]] = {
    "gpt2": (ms.gpt2_tokenizer, ms.gpt2_model),
    "llama": (ms.llama_tokenizer, ms.llama_model),
    "t5": (ms.t5_tokenizer, ms.t5_model),
}
TEXTS = ["Revenue rose 12.5% to $1,234,567.89 in 2023.", "We paid 0.0045 and 12,34,567 units"]


@pytest.fixture(scope="module")
def tokenizers() -> dict[str, tuple[Any, Any]]:
    out = {}
    for name, (make, _) in ARCHS.items():
        base = make()
        out[name] = (base, tst.hf.wrap(base))
    return out


def _loss(arch: str, model: Any, tok: Any) -> Any:
    enc = tok(TEXTS, return_tensors="pt", padding=True)
    labels = enc["input_ids"].masked_fill(enc["attention_mask"] == 0, -100)
    return model(**enc, labels=labels).loss


def _changed_rows(before: Any, after: Any) -> Any:
    diff = (before != after).reshape(before.shape[0], -1).any(dim=1)
    return diff.nonzero().flatten()


@pytest.mark.parametrize("arch", list(ARCHS))
@pytest.mark.parametrize("optimizer", ["adamw", "sgd"])
def test_one_step_changes_only_new_rows(arch: str, optimizer: str, tokenizers: dict[str, tuple[Any, Any]]) -> None:
    base, tok = tokenizers[arch]
    model = ARCHS[arch][1](len(base))
    tst.model.resize_embeddings(model, tok)
    model.train()
    handle = tst.model.train_only_new_tokens(model, tok)
    new_ids = torch.tensor(sorted(tok.tst_token_ids.values()))
    assert handle.token_ids == tuple(new_ids.tolist())
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    head = model.get_output_embeddings()
    expected = 1 if head.weight is model.get_input_embeddings().weight else 2
    assert len(trainable) == len(handle.parameters) == expected

    if optimizer == "adamw":
        opt = torch.optim.AdamW(handle.param_groups(lr=1e-2))
        assert opt.param_groups[0]["weight_decay"] == 0.0
    else:
        opt = torch.optim.SGD(handle.parameters, lr=1.0, momentum=0.9)
    loss = _loss(arch, model, tok)
    loss.backward()
    opt.step()

    changed = {}
    for name, p in model.named_parameters():
        if not torch.equal(p.detach(), before[name]):
            changed[name] = _changed_rows(before[name], p.detach())
    assert changed, "the step changed nothing"
    assert set(changed) <= set(trainable)
    for name, rows in changed.items():
        assert torch.isin(rows, new_ids).all(), f"{name}: base rows changed"
    # the TST ids the batch used did move
    used = torch.tensor([i for i in tok(TEXTS)["input_ids"][0] if i >= tok.tst_base_vocab_size])
    moved = changed[trainable[0]]
    assert torch.isin(used, moved).all()
    for name, p in model.named_parameters():
        assert p.grad is None or name in trainable

    handle.remove()
    assert all(p.requires_grad for p in model.parameters())
    loss = _loss(arch, model, tok)
    loss.backward()  # no mask any more: base rows get gradient again
    grad = model.get_input_embeddings().weight.grad
    assert grad is not None and grad[: tok.tst_base_vocab_size].abs().sum() > 0


def test_remove_restores_previous_requires_grad(tokenizers: dict[str, tuple[Any, Any]]) -> None:
    base, tok = tokenizers["gpt2"]
    model = ms.gpt2_model(len(base))
    tst.model.resize_embeddings(model, tok)
    model.transformer.h[0].attn.c_attn.weight.requires_grad_(False)
    handle = tst.model.train_only_new_tokens(model, tok)
    handle.remove()
    assert not model.transformer.h[0].attn.c_attn.weight.requires_grad
    assert model.transformer.h[1].attn.c_attn.weight.requires_grad


def test_requires_a_resized_model(tokenizers: dict[str, tuple[Any, Any]]) -> None:
    base, tok = tokenizers["gpt2"]
    with pytest.raises(tst.model.VocabularyMismatchError, match=r"call tst\.model\.resize_embeddings"):
        tst.model.train_only_new_tokens(ms.gpt2_model(len(base)), tok)


def test_peft_trainable_tokens_change_only_new_rows(tokenizers: dict[str, tuple[Any, Any]]) -> None:
    """PEFT keeps a separate delta, so even weight decay leaves the base rows alone."""
    peft = pytest.importorskip("peft")
    base, tok = tokenizers["gpt2"]
    model = ms.gpt2_model(len(base))
    tst.model.resize_embeddings(model, tok)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    config = tst.model.peft_config_for_new_tokens(model, tok)
    assert config.token_indices == sorted(tok.tst_token_ids.values())
    peft_model = peft.get_peft_model(model, config)
    peft_model.train()
    opt = torch.optim.AdamW([p for p in peft_model.parameters() if p.requires_grad], lr=1e-2, weight_decay=0.1)
    _loss("gpt2", peft_model, tok).backward()
    opt.step()
    merged = peft_model.merge_and_unload()
    after = dict(merged.named_parameters())
    assert set(after) == set(before)
    for name, p in after.items():
        if name != "transformer.wte.weight":
            assert torch.equal(p.detach(), before[name]), name
    rows = _changed_rows(before["transformer.wte.weight"], after["transformer.wte.weight"].detach())
    assert len(rows) > 0 and torch.isin(rows, torch.tensor(config.token_indices)).all()
    assert merged.lm_head.weight is merged.get_input_embeddings().weight


def test_peft_refuses_untied_heads(tokenizers: dict[str, tuple[Any, Any]]) -> None:
    pytest.importorskip("peft")
    base, tok = tokenizers["llama"]
    model = ms.llama_model(len(base))
    tst.model.resize_embeddings(model, tok)
    with pytest.raises(tst.model.VocabularyMismatchError, match="untied output head"):
        tst.model.peft_config_for_new_tokens(model, tok)
