"""`tst.model.resize_embeddings` on real (tiny, random) GPT-2, Llama and T5 models and the real MiniLM BERT."""

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


from tst.model.surfaces import recipe  # noqa: E402

ARCHS: dict[str, tuple[Callable[[], Any], Callable[..., Any]]] = {
    "gpt2": (ms.gpt2_tokenizer, ms.gpt2_model),
    "llama": (ms.llama_tokenizer, ms.llama_model),
    "t5": (ms.t5_tokenizer, ms.t5_model),
}


@pytest.fixture(scope="module")
def bases() -> dict[str, Any]:
    return {name: make() for name, (make, _) in ARCHS.items()}


@pytest.fixture(scope="module")
def wrapped(bases: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {(name, v): tst.hf.wrap(base, variant=v) for name, base in bases.items() for v in ("marker", "vocab")}


def _rows(model: Any) -> Any:
    return model.get_input_embeddings().weight


def _surface_vector(weight: Any, base: Any, surface: str) -> tuple[Any, Any]:
    """(vector, norm) of `surface` as docs/model.md defines them: its base pieces without
    whitespace-only ones, averaged equally, or with weights 1, 1/2, 1/4... for digit strings."""
    ids = base(surface, add_special_tokens=False)["input_ids"]
    ids = [i for i in ids if i not in base.all_special_ids]
    ids = [i for i in ids if base.decode([i]).strip()] or ids
    w = torch.tensor([0.5**k if surface.isdigit() else 1.0 for k in range(len(ids))])
    w = w / w.sum()
    rows = weight[ids]
    return w @ rows, w @ rows.norm(dim=1)


@pytest.mark.parametrize("arch", list(ARCHS))
@pytest.mark.parametrize("variant", ["marker", "vocab"])
@pytest.mark.parametrize("init", ["composed", "mean", "random"])
def test_resize_keeps_base_rows_and_covers_every_tst_id(
    arch: str, variant: str, init: str, bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]
) -> None:
    base, tok = bases[arch], wrapped[(arch, variant)]
    model = ARCHS[arch][1](len(base))
    old_in = _rows(model).detach().clone()
    head = model.get_output_embeddings()
    old_head = head.weight.detach().clone()
    tied = head.weight is _rows(model)

    report = tst.model.resize_embeddings(model, tok, init=init)

    n = len(tok.tst_token_ids)
    assert report.rows_before == len(base) and report.rows_after == len(tok) == len(base) + n
    assert report.tst_tokens == n and report.rows_added == n and report.padding_rows == 0
    assert sum(report.rows_by_strategy.values()) == n and report.tied == tied
    assert torch.equal(_rows(model)[: len(base)], old_in)  # bit-identical
    new_head = model.get_output_embeddings()
    assert new_head.weight.shape[0] == len(tok)
    assert torch.equal(new_head.weight[: len(base)], old_head)
    assert (new_head.weight is _rows(model)) == tied
    assert model.config.vocab_size == len(tok)
    if arch == "t5":  # shared embeddings stay shared
        assert model.encoder.embed_tokens.weight is model.shared.weight
        assert model.decoder.embed_tokens.weight is model.shared.weight
    assert torch.isfinite(_rows(model)).all() and torch.isfinite(new_head.weight).all()
    assert report.input_before.count == len(base) and report.input_new.count == n
    assert (report.output_new is None) == tied

    enc = tok(["Revenue rose 12.5% to $1,234,567.89 in 2023.", "about 0.0045 units"], return_tensors="pt", padding=True)
    assert int(enc["input_ids"].max()) >= tok.tst_base_vocab_size  # the batch really uses TST ids
    with torch.no_grad():
        extra = {"decoder_input_ids": enc["input_ids"][:, :4]} if arch == "t5" else {}
        out = model(**enc, **extra)
    assert out.logits.shape[-1] == len(tok) and torch.isfinite(out.logits).all()


@pytest.mark.parametrize("arch", ["gpt2", "llama"])
def test_composed_rows_come_from_the_base_pieces(
    arch: str, bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]
) -> None:
    base, tok = bases[arch], wrapped[(arch, "vocab")]
    model = ARCHS[arch][1](len(base))
    originals = [_rows(model).detach().clone()]
    head = model.get_output_embeddings()
    untied = head.weight is not _rows(model)
    if untied:
        originals.append(head.weight.detach().clone())
    report = tst.model.resize_embeddings(model, tok, init="composed")
    assert report.rows_by_strategy == {"composed": len(tok.tst_token_ids)}
    current = [_rows(model)] + ([model.get_output_embeddings().weight] if untied else [])
    for old, new in zip(originals, current):
        for token in ["⟦345k⟧", "⟦678⟧", "⟦5p⟧", "⟦,3⟧", "⟦12q⟧"]:
            parts = recipe(token, 3).parts
            vectors = [_surface_vector(old, base, surface) for surface, _ in parts]
            direction = sum(w * vec for (_, w), (vec, _) in zip(parts, vectors))
            norm = sum(w * n for (_, w), (_, n) in zip(parts, vectors))
            row = new[tok.tst_token_ids[token]].detach()
            cos = torch.nn.functional.cosine_similarity(row, direction, dim=0)
            assert cos > 0.9999, (token, float(cos))
            assert torch.isclose(row.norm(), norm, rtol=1e-4), token
    if untied:  # the head composes from its own rows, not from the input matrix
        k = tok.tst_token_ids["⟦345k⟧"]
        assert not torch.allclose(_rows(model)[k], model.get_output_embeddings().weight[k])


@pytest.mark.parametrize("arch", ["gpt2", "llama"])
def test_composed_rows_of_different_tokens_differ(
    arch: str, bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]
) -> None:
    """Even with digit-by-digit pieces (llama), 123/321 and 1/11/111 start as different rows."""
    base, tok = bases[arch], wrapped[(arch, "marker")]
    model = ARCHS[arch][1](len(base))
    tst.model.resize_embeddings(model, tok)
    for weight in {id(w): w for w in (_rows(model), model.get_output_embeddings().weight)}.values():
        rows = weight[sorted(tok.tst_token_ids.values())].detach()
        assert torch.unique(rows, dim=0).shape[0] == rows.shape[0]
        if arch == "llama":  # 1 and 111 are made of the same piece: told apart, but only slightly
            ids = tok.tst_token_ids
            cos = torch.nn.functional.cosine_similarity(weight[ids["⟦1⟧"]], weight[ids["⟦111⟧"]], dim=0)
            assert 0.99 < cos < 1


def test_mean_is_transformers_mean_resizing(bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]) -> None:
    base, tok = bases["llama"], wrapped[("llama", "marker")]
    model = ms.llama_model(len(base))
    means = [_rows(model).mean(dim=0).detach(), model.get_output_embeddings().weight.mean(dim=0).detach()]
    report = tst.model.resize_embeddings(model, tok, init="mean")
    new = slice(len(base), None)
    for mean, weight in zip(means, [_rows(model), model.get_output_embeddings().weight]):
        assert torch.allclose(weight[new], mean.expand_as(weight[new]), atol=1e-3)
    assert report.input_new.mean < 0.5 * report.input_before.mean  # the mean vector is short: the known weakness


def test_random_uses_the_model_initializer(bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]) -> None:
    base, tok = bases["gpt2"], wrapped[("gpt2", "vocab")]
    model = ms.gpt2_model(len(base), initializer_range=0.5)
    tst.model.resize_embeddings(model, tok, init="random")
    new = _rows(model)[len(base) :].detach()
    assert abs(float(new.std()) - 0.5) < 0.02 and abs(float(new.mean())) < 0.02


def test_pad_to_multiple_of(bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]) -> None:
    base, tok = bases["llama"], wrapped[("llama", "marker")]
    model = ms.llama_model(len(base))
    report = tst.model.resize_embeddings(model, tok, pad_to_multiple_of=64)
    assert report.rows_after % 64 == 0 and report.rows_after >= len(tok) > report.rows_after - 64
    assert report.padding_rows == report.rows_after - len(tok)
    assert report.rows_by_strategy == {"composed": len(tok.tst_token_ids), "mean": report.padding_rows}
    assert _rows(model).shape[0] == model.get_output_embeddings().weight.shape[0] == report.rows_after
    padding = _rows(model)[len(tok) :].detach()
    assert torch.allclose(padding, _rows(model)[: len(base)].mean(dim=0).expand_as(padding))


def test_tokens_added_after_wrapping_are_no_padding(bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]) -> None:
    """A tool or chat token the user adds to the wrapped tokenizer is produced by it: not padding."""
    import copy

    base = bases["llama"]
    tok = copy.deepcopy(wrapped[("llama", "marker")])
    tok.add_tokens(["<tool7>", "item42"])
    tok.add_special_tokens({"additional_special_tokens": ["<|sep9|>"]})
    report = tst.model.resize_embeddings(ms.llama_model(len(base)), tok, pad_to_multiple_of=64)
    assert report.other_token_rows == 3 and report.padding_rows == report.rows_after - len(tok)
    assert ", 3 other added tokens)" in report.summary()


@pytest.mark.parametrize("init", ["composed", "mean", "random"])
def test_model_with_spare_rows_reuses_them(
    init: str, bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]
) -> None:
    """A model padded beyond its tokenizer keeps its base rows; TST ids overwrite unreachable spare rows."""
    base, tok = bases["gpt2"], wrapped[("gpt2", "marker")]
    spare = 100
    model = ms.gpt2_model(len(base) + spare)
    old = _rows(model).detach().clone()
    report = tst.model.resize_embeddings(model, tok, init=init)
    assert report.reused_rows == spare and report.rows_added == len(tok.tst_token_ids) - spare
    assert report.rows_after == len(tok)
    assert torch.equal(_rows(model)[: len(base)], old[: len(base)])
    assert not torch.equal(_rows(model)[len(base) : len(base) + spare], old[len(base) :])


def test_model_already_large_enough_is_not_grown(bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]) -> None:
    tok = wrapped[("gpt2", "marker")]
    model = ms.gpt2_model(len(tok) + 8)
    with pytest.warns(UserWarning, match="every TST id already has a row"):  # a second call would lose trained rows
        report = tst.model.resize_embeddings(model, tok)
    assert report.rows_added == 0 and report.rows_after == len(tok) + 8 and report.reused_rows == report.tst_tokens


def test_report_summary_mentions_the_numbers(bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]) -> None:
    base, tok = bases["llama"], wrapped[("llama", "marker")]
    report = tst.model.resize_embeddings(ms.llama_model(len(base)), tok)
    text = report.summary()
    assert f"+{len(tok.tst_token_ids)}" in text and "untied" in text and "head norms" in text


# -- errors -------------------------------------------------------------------


def test_plain_tokenizer_is_refused(bases: dict[str, Any]) -> None:
    base = bases["gpt2"]
    with pytest.raises(tst.model.NotATSTTokenizerError, match=r"tst\.hf\.wrap"):
        tst.model.resize_embeddings(ms.gpt2_model(len(base)), base)
    with pytest.raises(TypeError):
        tst.model.train_only_new_tokens(ms.gpt2_model(len(base)), base)


def test_an_exported_tokenizer_is_refused_with_the_way_to_resize(bases: dict[str, Any], tmp_path: Any) -> None:
    """A route-3 directory loaded with stock code holds the units but no base to compose from:
    the error says to resize with the route-1 tokenizer of the same base (same ids)."""
    from transformers import AutoTokenizer

    base = bases["gpt2"]
    tst.hf.export(base, tmp_path, variant="vocab")
    stock = AutoTokenizer.from_pretrained(str(tmp_path))
    with pytest.raises(tst.model.NotATSTTokenizerError, match=r"exported.*tst\.hf\.wrap\(base"):
        tst.model.resize_embeddings(ms.gpt2_model(len(base)), stock)
    wrapped = tst.hf.wrap(base, variant="vocab")
    units = ["⟦,3⟧", "⟦12k⟧"]
    assert [stock.convert_tokens_to_ids(t) for t in units] == wrapped.convert_tokens_to_ids(units)


def test_model_smaller_than_the_base_vocabulary_is_refused(
    bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]
) -> None:
    tok = wrapped[("gpt2", "marker")]
    with pytest.raises(tst.model.VocabularyMismatchError, match=r"has 100 input embedding rows .* 600 tokens"):
        tst.model.resize_embeddings(ms.gpt2_model(100), tok)


def test_model_without_embeddings_is_refused(wrapped: dict[tuple[str, str], Any]) -> None:
    tok = wrapped[("gpt2", "marker")]
    with pytest.raises(tst.model.UnsupportedModelError, match="Linear has no get_input_embeddings"):
        tst.model.resize_embeddings(torch.nn.Linear(2, 2), tok)

    class NoEmbeddings(torch.nn.Module):
        def get_input_embeddings(self) -> Any:
            raise NotImplementedError("no token embeddings here")

    with pytest.raises(tst.model.UnsupportedModelError, match="not implemented: no token embeddings here"):
        tst.model.resize_embeddings(NoEmbeddings(), tok)


@pytest.mark.parametrize(("kwargs", "match"), [({"init": "zeros"}, "init must be one of"),
                                               ({"pad_to_multiple_of": 0}, "pad_to_multiple_of"),
                                               ({"pad_to_multiple_of": True}, "pad_to_multiple_of")])  # fmt: skip
def test_bad_arguments(
    kwargs: dict[str, Any], match: str, bases: dict[str, Any], wrapped: dict[tuple[str, str], Any]
) -> None:
    with pytest.raises(ValueError, match=match):
        tst.model.resize_embeddings(ms.gpt2_model(len(bases["gpt2"])), wrapped[("gpt2", "marker")], **kwargs)


# -- the real BERT (MiniLM-L6) ------------------------------------------------


def _pooled(model: Any, tok: Any, texts: list[str]) -> Any:
    enc = tok(texts, return_tensors="pt", padding=True)
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"][..., None].to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1)


BERT_TEXTS = [
    "It costs 1,234 dollars.",
    "The population grew to 12,345,678 people in 2021.",
    "Pi is about 3.14159.",
    "We sold 250 units for $4.5 million.",
]


@pytest.mark.parametrize("variant", ["marker", "vocab"])
def test_bert_composed_keeps_sentence_meaning_better_than_baselines(variant: str) -> None:
    """On the real MiniLM encoder, TST text with composed rows embeds closest to the plain text."""
    model, base = ms.bert()
    tok = tst.hf.wrap(base, variant=variant)
    reference = _pooled(model, base, BERT_TEXTS)
    shipped = _rows(model).detach().clone()
    similarity = {}
    for init in ("composed", "mean", "random"):
        model, _ = ms.bert()
        torch.manual_seed(0)
        report = tst.model.resize_embeddings(model, tok, init=init)
        assert report.rows_before == 30522 and not report.has_output_head and report.output_new is None
        assert torch.equal(_rows(model)[:30522], shipped)
        similarity[init] = torch.nn.functional.cosine_similarity(reference, _pooled(model, tok, BERT_TEXTS)).mean()
    assert similarity["composed"] > similarity["mean"] + 0.2
    assert similarity["composed"] > similarity["random"] + 0.2
    assert similarity["composed"] > 0.75
