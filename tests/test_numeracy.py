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
from benchmarks.numeracy.configs import CONFIGS, TOY
from benchmarks.numeracy.encoding import encode
from benchmarks.numeracy.evaluate import digit_accuracy, greedy
from benchmarks.numeracy.model import EOS, build_model
from benchmarks.numeracy.tasks import TASKS, Example, Ranges, eval_sets, longest_operand, training_stream

SAMPLE = "max(1234567.8901;12)=-1000"


@pytest.mark.parametrize("task", TASKS)
def test_tasks_are_seeded_and_correct(task: str) -> None:
    a = training_stream(7, task, 200, Ranges(), set())
    assert a == training_stream(7, task, 200, Ranges(), set())
    assert a != training_stream(8, task, 200, Ranges(), set())
    assert {e.task for e in a} == {task}
    for e in a:
        expr = e.prompt[:-1]
        if task in ("add", "sub", "mul"):
            assert int(e.answer) == eval(expr)  # integers: Python's arithmetic is exact
        elif task == "dec_add":
            from decimal import Decimal

            x, y = expr.split("+")
            assert Decimal(e.answer) == Decimal(x) + Decimal(y)
            assert len(e.answer.split(".")[1]) == max(len(x.split(".")[1]), len(y.split(".")[1]))
        else:
            x, y = expr[4:-1].split(";")
            assert e.answer == max(x, y, key=float) and float(x) != float(y)


def test_held_out_sets_have_the_promised_lengths() -> None:
    ranges = Ranges(int_digits=(1, 6), mul_digits=(1, 1))
    add = eval_sets(1, "add", 50, ranges, (7, 8))
    for e in add["gen"]:
        x, y = e.prompt[:-1].split("+")
        assert 7 <= max(len(x), len(y)) <= 8
    mul = eval_sets(1, "mul", 50, ranges, (7, 8))
    for e in mul["in"]:
        x, y = e.prompt[:-1].split("*")
        assert len(x) <= 6 and len(y) == 1
    assert {len(e.prompt.split("*")[0]) for e in mul["gen"]} == {7, 8}
    assert set(eval_sets(1, "cmp", 50, ranges, (7, 8))) == {"in"}  # decimals get no length-generalisation set
    held = {e.prompt for s in add.values() for e in s}
    assert not held & {e.prompt for e in training_stream(0, "add", 5000, ranges, held)}


def test_curriculum_climbs_to_the_full_ranges() -> None:
    # 6000 examples, ramp over the first half: six stages of 500 examples, 1 digit, then up to 2, ..., up to 6
    lengths = [longest_operand(e) for e in training_stream(0, "add", 6000, Ranges(int_digits=(1, 6)), set(), 0.5)]
    for stage in range(6):
        assert max(lengths[500 * stage : 500 * (stage + 1)]) == stage + 1
    assert set(lengths[2500:3000]) == set(range(1, 7))  # a stage keeps drawing the shorter lengths
    plain = [longest_operand(e) for e in training_stream(0, "add", 600, Ranges(int_digits=(1, 6)), set())]
    assert set(plain[:100]) == set(range(1, 7))


def test_length_grouping_permutes_within_windows() -> None:
    from benchmarks.numeracy.tasks import length_grouped

    stream = training_stream(0, "add", 3200, Ranges(int_digits=(1, 6)), set(), 0.3)
    grouped = length_grouped(stream, 32, 10, seed=0)
    assert grouped == length_grouped(stream, 32, 10, seed=0)
    for w in range(0, 3200, 320):  # the same examples in every window: the curriculum order survives
        assert sorted(map(repr, grouped[w : w + 320])) == sorted(map(repr, stream[w : w + 320]))

    def padded(examples: list[Example]) -> int:
        sizes = [len(e.prompt) + len(e.answer) for e in examples]
        return sum(32 * max(sizes[k : k + 32]) - sum(sizes[k : k + 32]) for k in range(0, len(sizes), 32))

    assert padded(grouped) < padded(stream) / 3


def test_reversed_answers_round_trip() -> None:
    for text in ("0", "5458", "-120", "16.25", "-0.5", "x-1"):
        assert tokenizations.reverse_digits(tokenizations.reverse_digits(text)) == text
    assert tokenizations.reverse_digits("-120") == "-021"
    assert tokenizations.answer_text("digits_rev", "5458") == "8545"
    assert tokenizations.answer_text("digits", "5458") == "5458"
    tok = tokenizations.build("digits_rev")
    enc = encode(tok, [Example("add", "4567+891=", "5458")], reverse_answers=True)
    assert tok.convert_ids_to_tokens(enc.answers[0]) == ["8", "5", "4", "5"]
    assert tok.convert_ids_to_tokens(enc.prompts[0])[:4] == ["4", "5", "6", "7"]  # prompts keep their order


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
    model = build_model(TOY.tasks["add"].model, 40, seed=3).eval()
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


def test_body_initialisation_does_not_depend_on_the_table_size() -> None:
    small, large = build_model(TOY.tasks["add"].model, 20, seed=5), build_model(TOY.tasks["add"].model, 900, seed=5)
    body = [k for k in small.state_dict() if not k.startswith(("model.embed_tokens", "lm_head"))]
    assert body and all(torch.equal(small.state_dict()[k], large.state_dict()[k]) for k in body)
    other = build_model(TOY.tasks["add"].model, 20, seed=6)
    assert not all(torch.equal(small.state_dict()[k], other.state_dict()[k]) for k in body)


def test_whole_pipeline_on_toy_size(tmp_path: Path) -> None:
    assert main(["run", "--config", "toy", "--task", "add", "--seed", "3", "--out", str(tmp_path)]) == 0
    files = sorted((tmp_path / "toy" / "add" / "seed3").glob("*.json"))
    assert [f.stem for f in files] == sorted(tokenizations.TOKENIZATIONS)
    records = [json.loads(f.read_text()) for f in files]
    setup = TOY.tasks["add"]
    assert len({r["parameters"]["body"] for r in records}) == 1, "every tokenization must have the same body"
    assert {r["train"]["examples"] for r in records} == {setup.schedule.steps * setup.schedule.batch_size}
    for r in records:
        assert set(r["sets"]) == {"in", "gen"}
        for s in r["sets"].values():
            assert 0.0 <= s["exact"] <= s["digit"] <= 1.0
            assert s["n"] == TOY.eval_examples
        assert [p[0] for p in r["train"]["curve"]] == [3, 6]
        # the last point of the learning curve is the final in-distribution score
        assert r["train"]["curve"][-1][1:] == [round(r["sets"]["in"]["exact"], 4), round(r["sets"]["in"]["digit"], 4)]
        assert r["train"]["cpu_seconds"] > 0
    rev = next(r for r in records if r["tokenization"] == "digits_rev")
    for prompt, answer, _ in rev["sets"]["in"]["examples"]:
        assert answer == str(eval(prompt[:-1]))  # stored answers are in reading order, not reversed
    tables = report.render_task(report.load("toy", tmp_path))
    assert tables.count("| tst_vocab |") == 2 and "seeds 3" in tables
    by_name = {r["tokenization"]: r for r in records}
    assert by_name["digits"]["train"]["tokens"] > by_name["tst_vocab"]["train"]["tokens"]
    # skip-existing runs nothing when every file is there
    before = {f: f.stat().st_mtime_ns for f in files}
    assert (
        main(["run", "--config", "toy", "--task", "add", "--seed", "3", "--out", str(tmp_path), "--skip-existing"]) == 0
    )
    assert {f: f.stat().st_mtime_ns for f in files} == before


def test_report_marks_partial_results_and_pairs_seeds(tmp_path: Path) -> None:
    """Fake records (only the fields the report reads): partial coverage is declared, seeds are paired."""
    base = json.loads(json.dumps(_toy_record(tmp_path)))
    out = tmp_path / "fake"
    for seed, (tst_score, digit_score) in enumerate([(0.9, 0.5), (0.8, 0.45), (0.95, 0.52)]):
        for name, score in (("tst_vocab", tst_score), ("digits", digit_score)):
            r = json.loads(json.dumps(base))
            r.update(seed=seed, tokenization=name)
            r["sets"]["in"]["exact"] = score
            r["train"]["curve"] = [[10, score / 2, 0.5], [20, score, 0.9]]
            path = out / "toy" / "add" / f"seed{seed}" / f"{name}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(r))
    results = report.load("toy", out)
    status = report._status(results)
    assert status.startswith("**Partial results") and "`cmp` 0 of 3 seeds" in status and "`add` 0 of 3" in status
    table = report._paired_table(results, "in")
    row = next(line for line in table.splitlines() if line.startswith("| tst_vocab − digits"))
    assert "+39.3 (p=0.004)" in row  # mean of 0.40, 0.35, 0.43; a paired t-test on three seeds
    steps = report._steps_table(results)
    # tst_vocab reaches 90% on seeds 0 and 2 (0.9, 0.95), not 1 (0.8); digits reaches 50% on seeds 0 and 2.
    assert "| tst_vocab | 20 | 20 (2/3 seeds) |" in steps and "| digits | 20 (2/3 seeds) | never |" in steps


def _toy_record(tmp_path: Path) -> dict[str, object]:
    main(
        ["run", "--config", "toy", "--task", "add", "--seed", "0", "--tokenizations", "digits", "--out", str(tmp_path)]
    )
    record: dict[str, object] = json.loads((tmp_path / "toy/add/seed0/digits.json").read_text())
    return record


def test_paired_test_and_steps_to() -> None:
    diff, p = report.paired([0.9, 0.8, 0.95], [0.5, 0.45, 0.52])
    assert diff == pytest.approx(0.3933, abs=1e-4) and p is not None and 0 < p < 0.01
    assert report.paired([0.5, 0.6], [0.5, 0.6]) == (0.0, None)  # no spread: no test
    assert report.paired([0.7], [0.5])[1] is None
    assert report.steps_to([[100, 0.2, 0.5], [200, 0.55, 0.8], [300, 0.4, 0.8]], 0.5) == 200
    assert report.steps_to([[100, 0.2, 0.5]], 0.9) is None


def test_docs_tables_match_the_committed_results() -> None:
    assert report.check_docs(), "docs/numeracy.md is stale: run `python -m benchmarks.numeracy report`"


def test_same_seed_same_numbers(tmp_path: Path) -> None:
    random.seed(0)
    args = ["run", "--config", "toy", "--task", "sub", "--seed", "1", "--tokenizations", "digits", "--out"]
    assert main([*args, str(tmp_path / "a")]) == main([*args, str(tmp_path / "b")]) == 0
    ra = json.loads((tmp_path / "a/toy/sub/seed1/digits.json").read_text())
    rb = json.loads((tmp_path / "b/toy/sub/seed1/digits.json").read_text())
    assert ra["sets"] == rb["sets"] and ra["train"]["losses"] == rb["train"]["losses"]
    assert ra["train"]["curve"] == rb["train"]["curve"]


def test_configs_cover_every_task_with_the_same_design() -> None:
    for cfg in CONFIGS.values():
        assert set(cfg.tasks) == set(TASKS)
        for task, setup in cfg.tasks.items():
            assert setup.eval_every > 0 and 0 <= setup.curriculum < 1
            assert cfg.as_dict(task)["task"] == task
    cpu, gpu = CONFIGS["cpu"], CONFIGS["gpu"]
    assert cpu.threads == 1 and cpu.tasks["add"].ranges.int_digits == (1, 6)
    assert {t: s.ranges for t, s in gpu.tasks.items()} == {t: s.ranges for t, s in cpu.tasks.items()}


def test_gpu_config_shape_is_valid() -> None:
    """The CUDA configuration cannot run here; check that its model builds and takes a step on the CPU."""
    from benchmarks.numeracy.configs import GPU
    from benchmarks.numeracy.train import answer_loss

    model = build_model(GPU.tasks["add"].model, 3000, seed=0)
    assert 4_000_000 < sum(p.numel() for p in model.parameters()) < 20_000_000
    x = torch.tensor([[1, 5, 6, 7, 8, 2], [1, 9, 9, 8, 2, 0]])
    target = torch.zeros_like(x, dtype=torch.bool)
    target[:, 2:4] = True
    answer_loss(model, x, target).backward()
    cpu_add, gpu_add = CONFIGS["cpu"].tasks["add"].schedule, GPU.tasks["add"].schedule
    assert GPU.device == "cuda" and gpu_add.steps * gpu_add.batch_size >= 4 * cpu_add.steps * cpu_add.batch_size


def test_docs_examples_run() -> None:
    import doctest

    failures, tried = doctest.testfile(str(report.DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_parallel_encoding_equals_serial() -> None:
    """The GPU config encodes the tokenizations in worker processes; the ids must not change."""
    import dataclasses

    from benchmarks.numeracy.run import prepare

    names = tokenizations.TOKENIZATIONS
    serial = list(prepare(TOY, "dec_add", 2, names)[1])
    parallel = list(prepare(dataclasses.replace(TOY, encode_workers=3), "dec_add", 2, names)[1])
    assert [p.name for p in serial] == list(names)
    for a, b in zip(serial, parallel):
        assert (a.name, a.train, a.evals, a.id_map.to_tok) == (b.name, b.train, b.evals, b.id_map.to_tok)


def test_findings_with_only_the_reference_row() -> None:
    """A comparison whose first run is the reversed reference reports it, not a crash or a leader."""
    record = {"task": "add", "seed": 0, "tokenization": "digits_rev", "sets": {"in": {"exact": 0.364}}}
    text = report._findings([record])
    assert "- `add`: no tokenization run yet; reference digits_rev 36.4% [seeds 0]." in text
    assert "- `sub`: no results yet." in text
