"""One task and seed of the experiment: the same data, model body and schedule under every tokenization."""

from __future__ import annotations

import functools
import json
import os
import platform
import subprocess
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import torch

from benchmarks.numeracy import tokenizations
from benchmarks.numeracy.configs import Config
from benchmarks.numeracy.encoding import Encoded, encode, to_rows
from benchmarks.numeracy.evaluate import evaluate
from benchmarks.numeracy.model import IdMap, build_model, parameter_counts
from benchmarks.numeracy.tasks import Example, eval_sets, length_grouped, training_stream
from benchmarks.numeracy.train import train

RESULTS = Path(__file__).parent / "results"


@dataclass
class Prepared:
    """One tokenization's tokenizer and encoded data."""

    name: str
    tokenizer: Any
    train: Encoded
    evals: dict[str, Encoded]
    id_map: IdMap


def _encode_all(
    name: str, examples: list[Example], evals: dict[str, list[Example]]
) -> tuple[Encoded, dict[str, Encoded]]:
    """Training and held-out data under one tokenization (a top-level function, so worker processes can run it)."""
    tok = tokenizations.build(name)
    rev = name in tokenizations.REVERSED
    return encode(tok, examples, rev), {k: encode(tok, v, rev) for k, v in evals.items()}


def prepare(
    cfg: Config, task: str, seed: int, names: tuple[str, ...]
) -> tuple[dict[str, list[Example]], Iterator[Prepared]]:
    """Generate one task's data once; its encoding under each of `names`, one at a time.

    Each tokenization's embedding table gets one row per id its own data (training or held-out)
    uses. Serially, each encoding is made only when the iterator reaches it (one in memory at a
    time); with ``cfg.encode_workers > 1`` all of them are made first, in parallel processes.
    """
    setup = cfg.setup(task)
    evals = eval_sets(cfg.eval_seed, task, cfg.eval_examples, setup.ranges, setup.gen_digits)
    held_out = {e.prompt for exs in evals.values() for e in exs}
    n = setup.schedule.steps * setup.schedule.batch_size
    examples = training_stream(seed, task, n, setup.ranges, held_out, setup.curriculum)
    if setup.length_window > 1:
        examples = length_grouped(examples, setup.schedule.batch_size, setup.length_window, seed)
    encoded: Iterable[tuple[Encoded, dict[str, Encoded]]]
    if cfg.encode_workers > 1 and len(names) > 1:
        with ProcessPoolExecutor(min(cfg.encode_workers, len(names))) as pool:
            encoded = list(pool.map(_encode_all, names, repeat(examples), repeat(evals)))
    else:
        encoded = (_encode_all(name, examples, evals) for name in names)

    def each() -> Iterator[Prepared]:
        for name, (enc_train, enc_evals) in zip(names, encoded):
            tok = tokenizations.build(name)
            used = enc_train.used_ids().union(*(e.used_ids() for e in enc_evals.values()))
            id_map = IdMap(tok.pad_token_id, tok.bos_token_id, tok.eos_token_id, used)
            yield Prepared(name, tok, enc_train, enc_evals, id_map)

    return evals, each()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@functools.cache
def _git_commit() -> str | None:
    """The commit of the harness when this process first asked (None outside a git checkout).

    Cached: a long background run keeps reporting the code it started with, even if the checkout
    moves on while it runs. A ``+dirty`` suffix says the harness had uncommitted changes.
    """
    here = Path(__file__).parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=here, capture_output=True, text=True)
    except OSError:
        return None
    commit = head.stdout.strip()
    if not commit:
        return None
    changed = [line for line in dirty.stdout.splitlines() if line[3:].endswith(".py")]
    return commit + ("+dirty" if changed else "")


def machine(device: torch.device) -> dict[str, Any]:
    """Where the numbers came from."""
    info: dict[str, Any] = {
        "cpu": _cpu_model(),
        "harness_commit": _git_commit(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "device": str(device),
    }
    if device.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(device)
    return info


def result_path(out_dir: Path, config: str, task: str, seed: int, name: str) -> Path:
    """Where one run's record lives: ``<out_dir>/<config>/<task>/seed<seed>/<name>.json``."""
    return out_dir / config / task / f"seed{seed}" / f"{name}.json"


def run_one(
    cfg: Config, task: str, seed: int, p: Prepared, evals: dict[str, list[Example]], log: bool
) -> dict[str, Any]:
    """Train and evaluate one tokenization on one task; the result record written to JSON."""
    setup = cfg.setup(task)
    device = torch.device(cfg.device)
    load_start = os.getloadavg()[0]
    model = build_model(setup.model, len(p.id_map), seed)

    def to_text(generated: list[int]) -> str:
        return tokenizations.answer_text(p.name, tokenizations.decode(p.tokenizer, p.id_map.ids(generated)))

    rows = {key: to_rows(enc, p.id_map) for key, enc in p.evals.items()}
    answers = {key: [e.answer for e in evals[key]] for key in evals}
    max_new = {key: max(len(a) for a in r.answers) + 2 for key, r in rows.items()}

    def score(key: str) -> tuple[dict[str, float], list[str]]:
        return evaluate(model, rows[key].prompts, answers[key], to_text, max_new[key], cfg.eval_batch, device)

    train_log = train(
        model,
        to_rows(p.train, p.id_map),
        setup.schedule,
        device,
        log=log,
        evaluate=lambda: score("in")[0],
        eval_every=setup.eval_every,
    )
    sets: dict[str, Any] = {}
    start = time.perf_counter()
    for key, enc in p.evals.items():
        scores, predictions = score(key)
        sets[key] = {
            **scores,
            "n": len(answers[key]),
            "tokens_per_example": round(enc.tokens_per_example(), 3),
            "answer_tokens": round(sum(len(a) for a in enc.answers) / len(answers[key]), 3),
            "examples": [[e.prompt, e.answer, pr] for e, pr in zip(evals[key], predictions)],
        }
    return {
        "config": cfg.as_dict(task),
        "task": task,
        "seed": seed,
        "tokenization": p.name,
        "parameters": parameter_counts(model, len(p.id_map)),
        "train": {
            "seconds": round(train_log.seconds, 2),
            "cpu_seconds": round(train_log.cpu_seconds, 2),
            "curve_eval_seconds": round(train_log.eval_seconds, 2),
            "steps": setup.schedule.steps,
            "examples": train_log.examples,
            "tokens": train_log.tokens,
            "answer_tokens": train_log.answer_tokens,
            "tokens_per_example": round(p.train.tokens_per_example(), 3),
            "losses": train_log.losses,
            "curve": [[step, round(sc["exact"], 4), round(sc["digit"], 4)] for step, sc in train_log.curve],
        },
        "eval_seconds": round(time.perf_counter() - start, 2),
        "sets": sets,
        "machine": {**machine(device), "loadavg_1min_at_start": round(load_start, 2)},
    }


def run_task(
    cfg: Config,
    task: str,
    seed: int,
    names: tuple[str, ...],
    out_dir: Path | None = RESULTS,
    log: bool = True,
    threads: int | None = None,
    skip_existing: bool = False,
) -> list[dict[str, Any]]:
    """Run `names` on one task and seed; write each record to `result_path` unless out_dir is None.

    `threads` overrides the config's torch thread count (it is recorded with the results).
    With `skip_existing`, tokenizations whose record already exists are not run again.

    Raises:
        ValueError: for an unknown tokenization or task.
    """
    torch.set_num_threads(threads or cfg.threads)
    unknown = set(names) - set(tokenizations.TOKENIZATIONS)
    if unknown:
        raise ValueError(f"unknown tokenizations: {sorted(unknown)}")
    cfg.setup(task)
    if skip_existing and out_dir is not None:
        names = tuple(n for n in names if not result_path(out_dir, cfg.name, task, seed, n).exists())
    if not names:
        return []
    start = time.perf_counter()
    evals, prepared = prepare(cfg, task, seed, names)
    results = []
    for p in prepared:
        if log:
            took = time.perf_counter() - start
            print(
                f"[{cfg.name} {task} seed {seed}] {p.name}: data ready in {took:.1f}s, {len(p.id_map)} rows", flush=True
            )
        result = run_one(cfg, task, seed, p, evals, log)
        results.append(result)
        if out_dir is not None:
            path = result_path(out_dir, cfg.name, task, seed, p.name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(result, indent=1) + "\n")
        start = time.perf_counter()
    return results
