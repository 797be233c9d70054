"""Does the initialisation of TST rows matter? random vs mean vs composed, measured.

A tiny GPT-2-style model is pre-trained on CPU on number-bearing text with a
plain byte-level BPE tokenizer, then switched to TST (`tst.hf.wrap` +
`tst.model.resize_embeddings`) and fine-tuned on fresh text of the same kind,
once per strategy, with the same seed, data order and hyper-parameters. The
held-out loss is reported per *character of the original text* (bits/char), so
it is comparable across strategies, across TST variants and with the
pre-trained model on plain tokens before the switch.

Run (a few minutes on one core):

    python benchmarks/bench_init.py
    python benchmarks/bench_init.py --quick        # smoke run, seconds

Printed: a Markdown table of held-out bits/char after each number of
fine-tuning steps, and the steps each strategy needs to reach the loss that
``random`` has at the end.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
from transformers.utils import logging as hf_logging

import tst
import tst.hf
import tst.model

EOS = "<|endoftext|>"
CITIES = ["Lyon", "Pune", "Osaka", "Quito", "Perth", "Oslo", "Accra", "Lima", "Hanoi", "Bern"]
ITEMS = ["steel", "wheat", "copper", "coffee", "cotton", "rice", "oil", "gold"]
SCALES = [(10**3, "thousand"), (10**6, "million"), (10**9, "billion")]


def sentence(rng: random.Random) -> str:
    """One line of number-bearing text: amounts with their magnitude words, sums, decimals, years."""
    kind = rng.randrange(6)
    if kind == 0:
        scale, word = rng.choice(SCALES)
        units = rng.randint(1, 999)
        n = units * scale + rng.randint(0, scale - 1)
        return f"In {rng.randint(1990, 2030)}, {rng.choice(CITIES)} had {n:,} people, about {units} {word}."
    if kind == 1:
        a, b = rng.randint(0, 99_999), rng.randint(0, 99_999)
        return f"Add {a:,} and {b:,}: the total is {a + b:,}."
    if kind == 2:
        price = rng.randint(1, 9_999) / 100
        qty = rng.randint(1, 999)
        return f"{qty} tonnes of {rng.choice(ITEMS)} at ${price:.2f} cost ${qty * price:,.2f}."
    if kind == 3:
        milli = rng.randint(1, 999)
        return f"A rate of 0.{milli:03d} is {milli} thousandths; {rng.randint(1, 99)}.5% of it is small."
    if kind == 4:
        n = rng.randint(1_000, 999_999_999)
        return f"The count went from {n:,} to {n + rng.randint(1, 999):,} in {rng.randint(1, 12)} months."
    x = rng.randint(1, 999)
    return f"{x} thousand is {x * 1000:,}, and {x} million is {x * 1_000_000:,}."


def corpus(n: int, seed: int) -> list[str]:
    """`n` lines from `sentence`, reproducibly."""
    rng = random.Random(seed)
    return [sentence(rng) for _ in range(n)]


def train_tokenizer(lines: Sequence[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """A GPT-2-style byte-level BPE trained on `lines` (digits merge as GPT-2's do)."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(lines, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token=EOS, bos_token=EOS, pad_token=EOS, clean_up_tokenization_spaces=False
    )


def token_stream(tokenizer: Any, lines: Sequence[str]) -> list[int]:
    """All lines tokenized and joined by EOS."""
    eos = int(tokenizer.convert_tokens_to_ids(EOS))
    out: list[int] = []
    for ids in tokenizer(list(lines))["input_ids"]:
        out.extend(ids)
        out.append(eos)
    return out


def blocks(stream: Sequence[int], length: int) -> torch.Tensor:
    """Cut a token stream into [n, length] training blocks."""
    n = len(stream) // length
    return torch.tensor(stream[: n * length], dtype=torch.long).view(n, length)


@dataclass
class Setup:
    """Everything one fine-tuning run needs."""

    pretrained: dict[str, torch.Tensor]
    base: PreTrainedTokenizerFast
    config: GPT2Config
    train_lines: list[str]
    eval_lines: list[str]


def build_model(config: GPT2Config, seed: int) -> GPT2LMHeadModel:
    """A fresh model (resizing edits its config, so each gets a copy)."""
    torch.manual_seed(seed)
    return GPT2LMHeadModel(copy.deepcopy(config))


def train_steps(model: GPT2LMHeadModel, data: torch.Tensor, steps: int, batch: int, lr: float, seed: int) -> None:
    """Plain AdamW with linear warm-up, batches drawn in a seeded order."""
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    model.train()
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = lr * min(1.0, (step + 1) / 50)
        idx = torch.randint(0, data.shape[0], (batch,), generator=gen)
        loss = model(input_ids=data[idx], labels=data[idx]).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def bits_per_char(model: GPT2LMHeadModel, tokenizer: Any, lines: Sequence[str], length: int) -> float:
    """Held-out loss in bits per character of the original lines (EOS counts as one character).

    The stream is cut into blocks (the last one padded and masked); the first
    token of each block has no context and is not scored, the same for every
    strategy of one variant.
    """
    stream = token_stream(tokenizer, lines)
    pad = -len(stream) % length
    ids = torch.tensor(stream + [0] * pad, dtype=torch.long).view(-1, length)
    labels = torch.tensor(stream + [-100] * pad, dtype=torch.long).view(-1, length)
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in zip(ids.split(32), labels.split(32)):
            logits = model(input_ids=x).logits[:, :-1]
            total += float(
                torch.nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), y[:, 1:].reshape(-1), ignore_index=-100, reduction="sum"
                )
            )
    model.train()
    chars = sum(len(line) + 1 for line in lines)
    return total / chars / math.log(2)


def pretrain(args: argparse.Namespace) -> tuple[Setup, float, float]:
    """Pre-train the base model; return the setup, its held-out bits/char and the seconds spent."""
    lines = corpus(args.pretrain_lines, seed=1)
    base = train_tokenizer(lines, args.vocab)
    config = GPT2Config(
        vocab_size=len(base),
        n_embd=args.dim,
        n_layer=args.layers,
        n_head=args.heads,
        n_positions=args.length,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=0,
        eos_token_id=0,
    )
    model = build_model(config, args.seed)
    data = blocks(token_stream(base, lines), args.length)
    eval_lines = corpus(args.eval_lines, seed=3)
    start = time.perf_counter()
    train_steps(model, data, args.pretrain_steps, args.batch, args.pretrain_lr, args.seed)
    seconds = time.perf_counter() - start
    bpc = bits_per_char(model, base, eval_lines, args.length)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return Setup(state, base, config, corpus(args.finetune_lines, seed=2), eval_lines), bpc, seconds


def finetune(setup: Setup, variant: str, init: str, args: argparse.Namespace) -> tuple[list[float], str]:
    """Switch the pre-trained model to TST with `init`, fine-tune, and return bits/char at each checkpoint."""
    model = build_model(setup.config, args.seed)
    model.load_state_dict(setup.pretrained)
    tok = tst.hf.wrap(setup.base, variant=variant)
    torch.manual_seed(args.seed)
    report = tst.model.resize_embeddings(model, tok, init=init)
    data = blocks(token_stream(tok, setup.train_lines), args.length)
    curve = [bits_per_char(model, tok, setup.eval_lines, args.length)]
    done = 0
    for target in args.checkpoints:
        train_steps(model, data, target - done, args.batch, args.finetune_lr, args.seed + target)
        done = target
        curve.append(bits_per_char(model, tok, setup.eval_lines, args.length))
    return curve, report.summary()


def steps_to_reach(curve: Sequence[float], steps: Sequence[int], goal: float) -> str:
    """First checkpoint at which `curve` is at or below `goal` ('>N' if never)."""
    for value, step in zip(curve, steps):
        if value <= goal:
            return str(step)
    return f">{steps[-1]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (seconds)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", default="marker,vocab")
    parser.add_argument("--vocab", type=int, default=1200, help="base BPE vocabulary size")
    parser.add_argument("--dim", type=int, default=96)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--length", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--pretrain-lines", type=int, default=30_000)
    parser.add_argument("--pretrain-steps", type=int, default=1_500)
    parser.add_argument("--pretrain-lr", type=float, default=2e-3)
    parser.add_argument("--finetune-lines", type=int, default=10_000)
    parser.add_argument("--finetune-lr", type=float, default=1e-3)
    parser.add_argument("--eval-lines", type=int, default=400)
    parser.add_argument("--checkpoints", default="25,50,100,200,300")
    args = parser.parse_args(argv)
    if args.quick:
        args.pretrain_lines, args.pretrain_steps, args.finetune_lines, args.eval_lines = 2_000, 60, 1_000, 100
        args.checkpoints, args.dim, args.layers = "10,20", 64, 2
    args.checkpoints = [int(s) for s in str(args.checkpoints).split(",")]
    torch.set_num_threads(args.threads)
    hf_logging.set_verbosity_error()

    print(f"tst {tst.__version__} (backend {tst.backend()}), torch {torch.__version__}, {args.threads} thread(s)")
    setup, base_bpc, seconds = pretrain(args)
    print(
        f"pre-trained GPT-2 {args.layers}x{args.dim} on {args.pretrain_lines} lines, {args.pretrain_steps} steps "
        f"in {seconds:.0f} s; base vocabulary {len(setup.base)}; held-out {base_bpc:.4f} bits/char on plain tokens"
    )
    steps = [0, *args.checkpoints]
    for variant in args.variants.split(","):
        curves: dict[str, list[float]] = {}
        for init in tst.model.INITS[::-1]:  # random, mean, composed
            start = time.perf_counter()
            curves[init], summary = finetune(setup, variant, init, args)
            print(f"\n[{variant}/{init}] {time.perf_counter() - start:.0f} s\n{summary}", file=sys.stderr)
        goal = curves["random"][-1]
        print(f"\n### variant={variant}: held-out bits/char after N fine-tuning steps (lower is better)\n")
        print("| init | " + " | ".join(f"N={s}" for s in steps) + f" | steps to reach random@{steps[-1]} |")
        print("|---|" + "---:|" * (len(steps) + 1))
        for init, curve in curves.items():
            cells = " | ".join(f"{v:.4f}" for v in curve)
            print(f"| {init} | {cells} | {steps_to_reach(curve, steps, goal)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
