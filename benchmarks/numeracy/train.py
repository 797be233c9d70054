"""Training loop: next-token loss on the answer tokens only, AdamW, warmup then cosine decay.

An optional callback evaluates the model every `eval_every` steps: the learning curve.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from transformers import LlamaForCausalLM

from benchmarks.numeracy.encoding import Rows
from benchmarks.numeracy.model import PAD


@dataclass(frozen=True)
class Schedule:
    """Optimisation settings; the same for every tokenization."""

    steps: int
    batch_size: int
    lr: float
    warmup: int
    weight_decay: float = 0.01
    log_every: int = 100


@dataclass
class TrainLog:
    """What the run measured while training."""

    seconds: float = 0.0
    """Wall time of the training steps (evaluations excluded)."""
    cpu_seconds: float = 0.0
    """CPU time of this process during the training steps, all threads (evaluations excluded)."""
    eval_seconds: float = 0.0
    """Wall time of the learning-curve evaluations."""
    examples: int = 0
    tokens: int = 0
    answer_tokens: int = 0
    losses: list[tuple[int, float]] = field(default_factory=list)
    curve: list[tuple[int, dict[str, float]]] = field(default_factory=list)
    """(step, scores) of every learning-curve evaluation."""


def batch_tensors(rows: Rows, start: int, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded input rows and a mask of the positions whose *next* token is an answer token (on the CPU)."""
    seqs = [p + a for p, a in zip(rows.prompts[start : start + size], rows.answers[start : start + size])]
    width = max(len(s) for s in seqs)
    x = torch.full((len(seqs), width), PAD, dtype=torch.long)
    target = torch.zeros((len(seqs), width), dtype=torch.bool)
    for k, (seq, prompt) in enumerate(zip(seqs, rows.prompts[start : start + size])):
        x[k, : len(seq)] = torch.tensor(seq)
        target[k, len(prompt) - 1 : len(seq) - 1] = True  # predicts answer tokens and EOS
    return x, target


def answer_loss(model: LlamaForCausalLM, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of the answer tokens; the output layer runs only at those positions."""
    # Right padding under a causal mask: real tokens never see the pads, so no attention mask is needed.
    hidden = model.model(input_ids=x).last_hidden_state
    logits = model.lm_head(hidden[target])
    return F.cross_entropy(logits.float(), x[:, 1:][target[:, :-1]])


def _lr_factor(step: int, s: Schedule) -> float:
    if step < s.warmup:
        return (step + 1) / s.warmup
    progress = (step - s.warmup) / max(1, s.steps - s.warmup)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))


def train(
    model: LlamaForCausalLM,
    rows: Rows,
    s: Schedule,
    device: torch.device,
    log: bool = False,
    evaluate: Callable[[], dict[str, float]] | None = None,
    eval_every: int = 0,
) -> TrainLog:
    """Train on ``steps * batch_size`` examples, in order, each seen once.

    Args:
        evaluate: called after every `eval_every` steps and after the last one (the model is put
            back in training mode afterwards); its scores form the learning curve.

    Raises:
        ValueError: if `rows` holds fewer examples than the schedule needs.
    """
    if len(rows.prompts) < s.steps * s.batch_size:
        raise ValueError(f"{len(rows.prompts)} examples cannot fill {s.steps} steps of {s.batch_size}")
    model.to(device).train()
    opt = torch.optim.AdamW(
        model.parameters(), lr=s.lr, betas=(0.9, 0.98), weight_decay=s.weight_decay, fused=device.type == "cuda"
    )
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: _lr_factor(k, s))
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda")
    out = TrainLog()
    running = torch.zeros((), device=device)  # summed on the device: no host sync per step
    start, cpu_start = time.perf_counter(), time.process_time()
    eval_wall = eval_cpu = 0.0
    for step in range(s.steps):
        x, target = batch_tensors(rows, step * s.batch_size, s.batch_size)
        out.examples += x.shape[0]
        out.tokens += int((x != PAD).sum())
        out.answer_tokens += int(target.sum())
        x, target = x.to(device, non_blocking=True), target.to(device, non_blocking=True)
        with autocast:
            loss = answer_loss(model, x, target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        running += loss.detach()
        done = step + 1
        if done % s.log_every == 0 or done == s.steps:
            mean = float(running) / ((step % s.log_every) + 1)
            out.losses.append((done, round(mean, 4)))
            running.zero_()
        if evaluate is not None and eval_every > 0 and (done % eval_every == 0 or done == s.steps):
            t0, c0 = time.perf_counter(), time.process_time()
            scores = evaluate()
            model.train()
            eval_wall += time.perf_counter() - t0
            eval_cpu += time.process_time() - c0
            out.curve.append((done, scores))
        if log and (done % s.log_every == 0 or done == s.steps):
            curve = out.curve[-1][1] if out.curve and out.curve[-1][0] == done else {}
            shown = "  ".join(f"{k} {v:.3f}" for k, v in curve.items())
            elapsed = time.perf_counter() - start - eval_wall
            print(f"  step {done:6d}  loss {out.losses[-1][1]:.4f}  {shown}  {elapsed:7.1f}s", flush=True)
    if device.type == "cuda":
        torch.cuda.synchronize()
    out.seconds = time.perf_counter() - start - eval_wall
    out.cpu_seconds = time.process_time() - cpu_start - eval_cpu
    out.eval_seconds = eval_wall
    return out
