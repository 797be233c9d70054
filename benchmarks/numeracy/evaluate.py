"""Greedy decoding of held-out sets and the metrics: exact match and digit-level accuracy."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import torch
from transformers import LlamaForCausalLM

from benchmarks.numeracy.model import EOS

_NUMERAL = re.compile(r"(-?)(\d+)(?:\.(\d+))?")


@torch.no_grad()
def greedy(
    model: LlamaForCausalLM, prompts: list[list[int]], max_new: int, batch_size: int, device: torch.device
) -> list[list[int]]:
    """Greedy continuation of each prompt (model rows), cut before the first EOS.

    Prompts are batched by length, so no batch needs padding and positions are exact.
    """
    model.to(device).eval()
    by_length: dict[int, list[int]] = defaultdict(list)
    for k, p in enumerate(prompts):
        by_length[len(p)].append(k)
    out: list[list[int]] = [[] for _ in prompts]
    for members in by_length.values():
        for start in range(0, len(members), batch_size):
            chunk = members[start : start + batch_size]
            x = torch.tensor([prompts[k] for k in chunk], device=device)
            step = model(input_ids=x, use_cache=True)
            generated = []
            for _ in range(max_new):
                nxt = step.logits[:, -1].argmax(-1, keepdim=True)
                generated.append(nxt)
                step = model(input_ids=nxt, use_cache=True, **_cache_of(step))
            rows = torch.cat(generated, dim=1).tolist()
            for k, seq in zip(chunk, rows):
                out[k] = seq[: seq.index(EOS)] if EOS in seq else seq
    return out


def _places(text: str) -> dict[object, str] | None:
    """A numeral as {power of ten: digit} plus its sign; None if `text` is not one numeral."""
    m = _NUMERAL.fullmatch(text)
    if m is None:
        return None
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    places: dict[object, str] = {"sign": "-"} if sign else {}
    places.update({len(whole) - 1 - k: d for k, d in enumerate(whole)})
    places.update({-1 - k: d for k, d in enumerate(frac)})
    return places


def digit_accuracy(predicted: str, expected: str) -> float:
    """Share of place values (and the minus sign) right, over the places either numeral has.

    Digits are aligned by place value (at the decimal point), so a missing or
    extra digit costs one place and does not shift the rest; text that is not
    a numeral scores 0.
    """
    want, got = _places(expected), _places(predicted)
    if want is None:
        raise ValueError(f"expected answer {expected!r} is not a numeral")
    if got is None:
        return 0.0
    keys = set(want) | set(got)
    return sum(want.get(k) == got.get(k) for k in keys) / len(keys)


def score(predictions: list[str], answers: list[str]) -> dict[str, float]:
    """Exact match and mean digit accuracy of predictions against answers."""
    n = len(answers)
    exact = sum(p == a for p, a in zip(predictions, answers)) / n
    digits = sum(digit_accuracy(p, a) for p, a in zip(predictions, answers)) / n
    return {"exact": exact, "digit": digits}


def evaluate(
    model: LlamaForCausalLM,
    prompts: list[list[int]],
    answers: list[str],
    to_text: Callable[[list[int]], str],
    max_new: int,
    batch_size: int,
    device: torch.device,
) -> tuple[dict[str, float], list[str]]:
    """Scores on one held-out set and the decoded predictions."""
    generated = greedy(model, prompts, max_new, batch_size, device)
    predictions = [to_text(g) for g in generated]
    return score(predictions, answers), predictions


def _cache_of(step: Any) -> dict[str, Any]:
    """The key-value cache of a forward pass, as the next call takes it.

    transformers 5.21 renamed ``past_key_values`` to ``cache`` (output field and
    argument); Python 3.10 stops at 5.20, so both spellings are supported.
    """
    if getattr(step, "cache", None) is not None:
        return {"cache": step.cache}
    return {"past_key_values": step.past_key_values}
