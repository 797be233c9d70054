"""Generation with a TST tokenizer: constrained sampling, the processor's cost, streaming decode.

Run: ``nice python benchmarks/bench_generation.py [--generations 500] [--quick]`` (a few minutes
on 2 cores). Every figure is measured in this run; timings are best of N, interleaved.

1. Strict-decode failures of sampled generations (32 new tokens) from an untrained model
   resized for TST (tiny Llama, random init), with and without `TSTLogitsProcessor`.
   Target: 0 with the processor.
2. The processor's time per generation step at batch 8 on a 130k-row vocabulary (Mistral's
   tekken, shipped in mistral-common), against one forward pass (one new token per row, KV
   cache of the prompt) of a 6-layer, d=384 Llama on CPU. Target: at most 10%.
3. `DecodeStream` time per token over 1,000 and 10,000 tokens (target: flat), against
   decoding the whole prefix at each step, as `TextStreamer` does.

Writes the table to stdout and to ``benchmarks/out/generation.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tokenizers
import torch
import transformers

import tst
import tst.hf
import tst.model
from tests.hf_support import base
from tst.hf import DecodeStream, TSTLogitsProcessor

PROMPTS = ["The total was", "Revenue rose 12.4% to", "Pay $1,234.5 and", "In 2026 the rate was 0.0", "Shares: 1,2"]


def llama(vocab: int, layers: int, width: int, tok: Any, seed: int = 0) -> Any:
    torch.manual_seed(seed)
    config = transformers.LlamaConfig(
        vocab_size=vocab,
        hidden_size=width,
        intermediate_size=width * 4,
        num_hidden_layers=layers,
        num_attention_heads=max(1, width // 64),
        num_key_value_heads=max(1, width // 64),
        max_position_embeddings=512,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    model = transformers.LlamaForCausalLM(config).eval()
    tst.model.resize_embeddings(model, tok, init="random")
    model.generation_config.pad_token_id = tok.pad_token_id
    return model


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def strict_failures(tok: Any, rows: list[list[int]]) -> int:
    bad = 0
    for row in rows:
        try:
            for skip in (False, True):
                tok.decode(row, skip_special_tokens=skip, strict=True)
        except tst.TSTDecodeError:
            bad += 1
    return bad


def sampled(tok: Any, model: Any, n: int, constrained: bool, seed: int) -> list[list[int]]:
    """`n` sampled generations of 32 new tokens (batches of 50 prompts, left padding)."""
    tok.padding_side = "left"
    rows: list[list[int]] = []
    torch.manual_seed(seed)
    for start in range(0, n, 50):
        prompts = [PROMPTS[(start + k) % len(PROMPTS)] for k in range(min(50, n - start))]
        batch = tok(prompts, return_tensors="pt", padding=True)
        procs = [TSTLogitsProcessor(tok, max_new_tokens=32)] if constrained else []
        with torch.no_grad():
            out = model.generate(**batch, max_new_tokens=32, do_sample=True, logits_processor=procs)
        for row, mask in zip(out.tolist(), batch["attention_mask"].tolist()):
            rows.append(row[len(mask) - sum(mask) :])  # without the left padding
    return rows


def part1(n: int) -> list[str]:
    lines = []
    for variant in ("vocab", "marker"):
        tok = tst.hf.wrap(base("bpe"), variant=variant)
        model = llama(len(base("bpe")), layers=2, width=64, tok=tok)
        free = strict_failures(tok, sampled(tok, model, n, constrained=False, seed=1))
        held = strict_failures(tok, sampled(tok, model, n, constrained=True, seed=1))
        lines.append(
            f"| sampled generations, {variant} (byte-level BPE, {len(tok):,} ids) | {n} x 32 new tokens "
            f"| strict-decode failures: {free} ({free / n:.1%}) without the processor, **{held}** with it |"
        )
    return lines


def part2(repeat: int) -> list[str]:
    return [processor_row(variant, repeat) for variant in ("vocab", "marker")]


def processor_row(variant: str, repeat: int) -> str:
    tok = tst.hf.wrap(base("tekken"), variant=variant)
    model = llama(len(base("tekken")), layers=6, width=384, tok=tok)
    t0 = time.perf_counter()
    proc = TSTLogitsProcessor(tok)  # builds and caches the tables
    build = time.perf_counter() - t0
    text = "The total was $1,234,567.89 and the rate 0.0045 in 2026; shares rose 12.5%"
    ids = tok([text] * 8, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        out = model(input_ids=ids, use_cache=True)
    past = out.past_key_values
    nxt = out.logits[:, -1:].argmax(-1)
    full = torch.cat([ids, nxt], dim=1)
    scores = out.logits[:, -1].clone()

    def forward() -> None:
        with torch.no_grad():
            model(input_ids=nxt, past_key_values=past, use_cache=True)  # one new token per row

    def step() -> float:
        proc(ids, scores)  # the previous step: rows one id shorter (not timed)
        t0 = time.perf_counter()
        proc(full, scores)  # a step: rows extended by one id, as in `generate`
        return time.perf_counter() - t0

    f_times, p_times = [], []
    for _ in range(repeat):  # interleaved, best of N
        f_times.append(best(forward, 1))
        p_times.append(step())
    f, p = min(f_times), min(p_times)
    return (
        f"| processor step, {variant} (tekken, {scores.shape[-1]:,} ids), batch 8 | forward pass 6 x d=384: "
        f"{f * 1e3:.1f} ms | processor {p * 1e3:.2f} ms = **{p / f:.1%}** of a forward pass "
        f"(tables built once in {build:.1f} s) |"
    )


def part3(repeat: int) -> list[str]:
    lines = []
    tok = tst.hf.wrap(base("tekken"), variant="marker")
    text = " ".join(
        f"Row {k}: paid ${k * 1234.56:,.2f} for {k % 97} units (up {k % 13}.{k % 7}%)." for k in range(3000)
    )
    ids = tok(text, add_special_tokens=False)["input_ids"][:10_000]
    assert len(ids) == 10_000

    def stream(n: int) -> None:
        s = DecodeStream()
        for i in ids[:n]:
            s.step(tok, i)
        s.flush(tok)

    def whole_prefix(n: int) -> None:  # what TextStreamer does: decode the growing prefix at every step
        for k in range(1, n + 1):
            tok.decode(ids[:k])

    per = {}
    for n in (1_000, 10_000):
        per[n] = best(lambda n=n: stream(n), repeat) / n
    naive = best(lambda: whole_prefix(1_000), 1) / 1_000
    lines.append(
        f"| `DecodeStream` (tekken, marker) | 1k tokens: {per[1_000] * 1e3:.3f} ms/token, 10k tokens: "
        f"{per[10_000] * 1e3:.3f} ms/token (ratio **{per[10_000] / per[1_000]:.2f}**) "
        f"| decoding the whole prefix at each step: {naive * 1e3:.3f} ms/token at 1k tokens |"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="100 generations, fewer repeats")
    args = parser.parse_args()
    if args.quick:
        args.generations, args.repeat = 100, 3
    lines = [
        "| what | measured | result |",
        "|---|---|---|",
        *part1(args.generations),
        *part2(args.repeat),
        *part3(args.repeat),
    ]
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), transformers {transformers.__version__}, "
        f"tokenizers {tokenizers.__version__}, engine {tst.Codec().backend}"
    )
    table = "\n".join(lines) + f"\n\n{machine}\n"
    print(table)
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "generation.md").write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
