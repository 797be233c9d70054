"""The numeracy harness (benchmarks/numeracy) end to end on a toy size, and its pieces."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import torch

from benchmarks.numeracy import report, tokenizations
from benchmarks.numeracy.__main__ import main
from benchmarks.numeracy.configs import TOY
from benchmarks.numeracy.evaluate import digit_accuracy, greedy
from benchmarks.numeracy.model import EOS, build_model
from benchmarks.numeracy.tasks import TASKS, Ranges, eval_sets, training_stream

SAMPLE = "max(1234567.8901;12)=-1000"


def test_tasks_are_seeded_and_correct() -> None:
    a = training_stream(7, 200, Ranges(), set())
    assert a == training_stream(7, 200, Ranges(), set())
    assert a != training_stream(8, 200, Ranges(), set())
    assert {e.task for e in a} == set(TASKS)
    for e in a:
        expr = e.prompt[:-1]
        if e.task in ("add", "sub", "mul"):
            assert int(e.answer) == eval(expr)  # integers: Python's arithmetic is exact
        elif e.task == "dec_add":
            from decimal import Decimal

            x, y = expr.split("+")
            assert Decimal(e.answer) == Decimal(x) + Decimal(y)
            assert len(e.answer.split(".")[1]) == max(len(x.split(".")[1]), len(y.split(".")[1]))
        else:
            x, y = expr[4:-1].split(";")
            assert e.answer == max(x, y, key=float) and float(x) != float(y)


def test_held_out_sets_have_the_promised_lengths() -> None:
    sets = eval_sets(1, 50, Ranges(), (10, 12))
    for e in sets["add/gen"]:
        x, y = e.prompt[:-1].split("+")
        assert 10 <= max(len(x), len(y)) <= 12
    for e in sets["mul/in"]:
        x, y = e.prompt[:-1].split("*")
        assert len(x) <= 9 and len(y) <= 3
    held = {e.prompt for s in sets.values() for e in s}
    assert not held & {e.prompt for e in training_stream(0, 5000, Ranges(), held)}


@pytest.mark.parametrize(
    ("name", "pieces"),
    [
        ("digits", ["1", "2", "3", "4", "5", "6", "7", ".", "8", "9", "0", "1"]),
        ("chunks_l2r", ["123", "456", "7", ".", "890", "1"]),
        ("groups_r2l", ["1", "234", "567", ".", "890", "1"]),
    ],
)
def test_baseline_tokenizations_cut_numbers_as_named(name: str, pieces: list[str]) -> None:
    tok = tokenizations.build(name)
    ids = tok(SAMPLE, add_special_tokens=False)["input_ids"]
    assert tok.convert_ids_to_tokens(ids)[2 : 2 + len(pieces) + 1] == [*pieces, ";"]
    assert tokenizations.decode(tok, ids) == SAMPLE


@pytest.mark.parametrize("variant", ["vocab", "marker"])
def test_tst_tokenizations_use_the_package_wrapper(variant: str) -> None:
    import tst.hf

    tok = tokenizations.build(f"tst_{variant}")
    assert tst.hf.is_tst_tokenizer(tok)
    ids = tok("1234567+5=", add_special_tokens=False)["input_ids"]
    groups = [i for i in ids if i >= tok.tst_base_vocab_size]
    # vocab: one id per group (1m 234k 567, 5); marker: a group id and a marker id per group
    assert len(groups) == (4 if variant == "vocab" else 8)
    assert tokenizations.decode(tok, ids) == "1234567+5="


def test_digit_accuracy_aligns_place_values() -> None:
    assert digit_accuracy("579", "579") == 1.0
    assert digit_accuracy("578", "579") == pytest.approx(2 / 3)
    assert digit_accuracy("79", "579") == pytest.approx(2 / 3)  # a missing digit does not shift the rest
    assert digit_accuracy("1.50", "1.5") == pytest.approx(2 / 3)
    assert digit_accuracy("-5", "5") == 0.5
    assert digit_accuracy("=", "5") == 0.0


def test_greedy_with_cache_matches_full_recompute() -> None:
    torch.manual_seed(0)
    model = build_model(TOY.model, 40, seed=3).eval()
    prompts = [[1, 5, 6, 7], [1, 9, 9, 8], [1, 4]]
    got = greedy(model, prompts, max_new=5, batch_size=2, device=torch.device("cpu"))
    for prompt, out in zip(prompts, got):
        seq = list(prompt)
        want: list[int] = []
        with torch.no_grad():
            for _ in range(5):
                nxt = int(model(input_ids=torch.tensor([seq])).logits[0, -1].argmax())
                if nxt == EOS:
                    break
                want.append(nxt)
                seq.append(nxt)
        assert out == want


def test_whole_pipeline_on_toy_size(tmp_path: Path) -> None:
    assert main(["run", "--config", "toy", "--seed", "3", "--out", str(tmp_path)]) == 0
    files = sorted((tmp_path / "toy" / "seed3").glob("*.json"))
    assert [f.stem for f in files] == sorted(tokenizations.TOKENIZATIONS)
    records = [json.loads(f.read_text()) for f in files]
    totals = {r["parameters"]["total"] for r in records}
    assert len(totals) == 1, "every tokenization must have the same parameter count"
    assert {r["train"]["examples"] for r in records} == {TOY.schedule.steps * TOY.schedule.batch_size}
    for r in records:
        assert set(r["sets"]) == set(report.SETS)
        for s in r["sets"].values():
            assert 0.0 <= s["exact"] <= s["digit"] <= 1.0
            assert s["n"] == TOY.eval_examples
    tables = report.render_tables(report.load("toy", tmp_path))
    assert tables.count("| tst_vocab |") == 4 and "seeds 3" in tables
    by_name = {r["tokenization"]: r for r in records}
    assert by_name["digits"]["train"]["tokens"] > by_name["tst_vocab"]["train"]["tokens"]


def test_docs_tables_match_the_committed_results() -> None:
    assert report.check_docs(), "docs/numeracy.md is stale: run `python -m benchmarks.numeracy report`"


def test_same_seed_same_numbers(tmp_path: Path) -> None:
    random.seed(0)
    a = main(["run", "--config", "toy", "--seed", "1", "--tokenizations", "digits", "--out", str(tmp_path / "a")])
    b = main(["run", "--config", "toy", "--seed", "1", "--tokenizations", "digits", "--out", str(tmp_path / "b")])
    assert a == b == 0
    ra = json.loads((tmp_path / "a/toy/seed1/digits.json").read_text())
    rb = json.loads((tmp_path / "b/toy/seed1/digits.json").read_text())
    assert ra["sets"] == rb["sets"] and ra["train"]["losses"] == rb["train"]["losses"]


def test_gpu_config_shape_is_valid() -> None:
    """The CUDA configuration cannot run here; check that its model builds and takes a step on the CPU."""
    from benchmarks.numeracy.configs import GPU
    from benchmarks.numeracy.train import answer_loss

    model = build_model(GPU.model, 7000, seed=0)
    assert 9_000_000 < sum(p.numel() for p in model.parameters()) < 20_000_000
    x = torch.tensor([[1, 5, 6, 7, 8, 2], [1, 9, 9, 8, 2, 0]])
    target = torch.zeros_like(x, dtype=torch.bool)
    target[:, 2:4] = True
    answer_loss(model, x, target).backward()
    assert GPU.device == "cuda" and GPU.schedule.steps * GPU.schedule.batch_size >= 8 * 2000 * 64


def test_docs_examples_run() -> None:
    import doctest

    failures, tried = doctest.testfile(str(report.DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_parallel_encoding_equals_serial() -> None:
    """The GPU config encodes the five tokenizations in worker processes; the ids must not change."""
    import dataclasses

    from benchmarks.numeracy.run import prepare

    serial = prepare(TOY, 2)[2]
    parallel = prepare(dataclasses.replace(TOY, encode_workers=3), 2)[2]
    for a, b in zip(serial, parallel):
        assert (a.name, a.train, a.evals, a.id_map.to_tok) == (b.name, b.train, b.evals, b.id_map.to_tok)
