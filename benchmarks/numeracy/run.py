"""One seed of the experiment: the same data, model and schedule under every tokenization."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
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
from benchmarks.numeracy.tasks import Example, eval_sets, training_stream
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
    return encode(tok, examples), {k: encode(tok, v) for k, v in evals.items()}


def prepare(cfg: Config, seed: int) -> tuple[list[Example], dict[str, list[Example]], list[Prepared]]:
    """Generate the data once and encode it under all five tokenizations.

    All five are encoded even when fewer are trained: the common embedding size
    (the largest number of ids any of them uses) must not depend on which ones run.
    With ``cfg.encode_workers > 1`` the five encodings run in parallel processes.
    """
    evals = eval_sets(cfg.eval_seed, cfg.eval_examples, cfg.ranges, cfg.gen_digits)
    held_out = {e.prompt for exs in evals.values() for e in exs}
    examples = training_stream(seed, cfg.schedule.steps * cfg.schedule.batch_size, cfg.ranges, held_out)
    names = tokenizations.TOKENIZATIONS
    if cfg.encode_workers > 1:
        with ProcessPoolExecutor(min(cfg.encode_workers, len(names))) as pool:
            encoded = list(pool.map(_encode_all, names, repeat(examples), repeat(evals)))
    else:
        encoded = [_encode_all(name, examples, evals) for name in names]
    prepared = []
    for name, (enc_train, enc_evals) in zip(names, encoded):
        tok = tokenizations.build(name)
        used = enc_train.used_ids().union(*(e.used_ids() for e in enc_evals.values()))
        id_map = IdMap(tok.pad_token_id, tok.bos_token_id, tok.eos_token_id, used)
        prepared.append(Prepared(name, tok, enc_train, enc_evals, id_map))
    return examples, evals, prepared


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git_commit() -> str | None:
    """The commit of the harness that produced a result (None outside a git checkout)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() or None


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


def run_one(
    cfg: Config, seed: int, p: Prepared, evals: dict[str, list[Example]], rows: int, log: bool
) -> dict[str, Any]:
    """Train and evaluate one tokenization; the result record written to JSON."""
    device = torch.device(cfg.device)
    model = build_model(cfg.model, rows, seed)
    train_log = train(model, to_rows(p.train, p.id_map), cfg.schedule, device, log=log)

    def to_text(generated: list[int]) -> str:
        return tokenizations.decode(p.tokenizer, p.id_map.ids(generated))

    sets: dict[str, Any] = {}
    start = time.perf_counter()
    for key, enc in p.evals.items():
        answers = [e.answer for e in evals[key]]
        eval_rows = to_rows(enc, p.id_map)
        max_new = max(len(a) for a in eval_rows.answers) + 2
        scores, predictions = evaluate(model, eval_rows.prompts, answers, to_text, max_new, cfg.eval_batch, device)
        sets[key] = {
            **scores,
            "n": len(answers),
            "tokens_per_example": round(enc.tokens_per_example(), 3),
            "answer_tokens": round(sum(len(a) for a in enc.answers) / len(answers), 3),
            "examples": [[e.prompt, e.answer, pr] for e, pr in zip(evals[key], predictions)],
        }
    return {
        "config": cfg.as_dict(),
        "seed": seed,
        "tokenization": p.name,
        "parameters": parameter_counts(model, len(p.id_map)),
        "train": {
            "seconds": round(train_log.seconds, 2),
            "steps": cfg.schedule.steps,
            "examples": train_log.examples,
            "tokens": train_log.tokens,
            "answer_tokens": train_log.answer_tokens,
            "tokens_per_example": round(p.train.tokens_per_example(), 3),
            "losses": train_log.losses,
        },
        "eval_seconds": round(time.perf_counter() - start, 2),
        "sets": sets,
        "machine": machine(device),
    }


def run_seed(
    cfg: Config,
    seed: int,
    names: tuple[str, ...],
    out_dir: Path | None = RESULTS,
    log: bool = True,
    threads: int | None = None,
) -> list[dict[str, Any]]:
    """Run `names` for one seed; write ``<out_dir>/<config>/seed<seed>/<name>.json`` unless out_dir is None.

    `threads` overrides the config's torch thread count (it is recorded with the results).
    """
    torch.set_num_threads(threads or cfg.threads)
    unknown = set(names) - set(tokenizations.TOKENIZATIONS)
    if unknown:
        raise ValueError(f"unknown tokenizations: {sorted(unknown)}")
    start = time.perf_counter()
    _, evals, prepared = prepare(cfg, seed)
    rows = max(len(p.id_map) for p in prepared)
    if log:
        sizes = ", ".join(f"{p.name} {len(p.id_map)}" for p in prepared)
        print(f"[{cfg.name} seed {seed}] data ready in {time.perf_counter() - start:.1f}s; ids used: {sizes}")
    results = []
    for p in prepared:
        if p.name not in names:
            continue
        if log:
            print(f"[{cfg.name} seed {seed}] {p.name}", flush=True)
        result = run_one(cfg, seed, p, evals, rows, log)
        results.append(result)
        if out_dir is not None:
            path = out_dir / cfg.name / f"seed{seed}" / f"{p.name}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(result, indent=1) + "\n")
    return results
