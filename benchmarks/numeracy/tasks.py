"""Seeded arithmetic tasks: integer add/sub/mul, decimal addition, decimal comparison.

Every example is a prompt and the exact answer string the model must produce.
Operand sizes are counted in digits and drawn uniformly, so short and long
numbers are equally frequent. Each model learns one task (`training_stream`);
the held-out sets of a task (`eval_sets`) are the same for every training seed.
The same seed always gives the same examples.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

TASKS = ("add", "sub", "mul", "dec_add", "cmp")
"""Task names, in table order."""

LENGTH_GEN_TASKS = ("add", "sub", "mul")
"""Tasks that also get a length-generalisation test set (longer integer operands)."""

_OPERAND = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Example:
    """One task instance: `prompt` is given, `answer` is what the model must write."""

    task: str
    prompt: str
    answer: str


def _cap(r: tuple[int, int], digits: int) -> tuple[int, int]:
    return (r[0], max(r[0], min(r[1], digits)))


@dataclass(frozen=True)
class Ranges:
    """Operand sizes, in digits (inclusive ranges)."""

    int_digits: tuple[int, int] = (1, 6)
    """Integer operands of add and sub, and the long factor of mul."""
    mul_digits: tuple[int, int] = (1, 1)
    """The short factor (multiplier) of mul."""
    dec_int_digits: tuple[int, int] = (1, 4)
    """Integer part of the decimals in dec_add and cmp."""
    frac_digits: tuple[int, int] = (1, 4)
    """Fractional part of the decimals in dec_add and cmp."""

    def capped(self, digits: int) -> Ranges:
        """These ranges with every upper bound lowered to `digits` (never below its lower bound).

        A curriculum stage: ``Ranges().capped(2)`` draws 1-2 digit operands only.
        """
        return Ranges(
            *(_cap(r, digits) for r in (self.int_digits, self.mul_digits, self.dec_int_digits, self.frac_digits))
        )

    def max_digits(self) -> int:
        """The largest upper bound: the last curriculum stage."""
        return max(self.int_digits[1], self.mul_digits[1], self.dec_int_digits[1], self.frac_digits[1])


def _integer(rng: random.Random, digits: tuple[int, int]) -> int:
    """An integer with a uniformly drawn number of digits, no leading zero."""
    n = rng.randint(*digits)
    return rng.randint(0, 9) if n == 1 else rng.randint(10 ** (n - 1), 10**n - 1)


def _decimal(rng: random.Random, ranges: Ranges, integer_part: int | None = None) -> str:
    """A decimal numeral with a uniformly drawn number of fractional digits (trailing zeros are written)."""
    whole = _integer(rng, ranges.dec_int_digits) if integer_part is None else integer_part
    frac = "".join(rng.choice("0123456789") for _ in range(rng.randint(*ranges.frac_digits)))
    return f"{whole}.{frac}"


def _add(rng: random.Random, r: Ranges) -> Example:
    a, b = _integer(rng, r.int_digits), _integer(rng, r.int_digits)
    return Example("add", f"{a}+{b}=", str(a + b))


def _sub(rng: random.Random, r: Ranges) -> Example:
    a, b = _integer(rng, r.int_digits), _integer(rng, r.int_digits)
    return Example("sub", f"{a}-{b}=", str(a - b))


def _mul(rng: random.Random, r: Ranges) -> Example:
    a, b = _integer(rng, r.int_digits), _integer(rng, r.mul_digits)
    return Example("mul", f"{a}*{b}=", str(a * b))


def _dec_add(rng: random.Random, r: Ranges) -> Example:
    a, b = _decimal(rng, r), _decimal(rng, r)
    places = max(len(a.split(".")[1]), len(b.split(".")[1]))
    # Column addition keeps the longer operand's fractional digits: 1.25+2.75=4.00.
    total = (Decimal(a) + Decimal(b)).quantize(Decimal(1).scaleb(-places))
    return Example("dec_add", f"{a}+{b}=", str(total))


def _cmp(rng: random.Random, r: Ranges) -> Example:
    while True:
        # Half the pairs share their integer part: only the fractions decide (9.11 vs 9.9).
        shared = _integer(rng, r.dec_int_digits) if rng.random() < 0.5 else None
        a, b = _decimal(rng, r, shared), _decimal(rng, r, shared)
        if Decimal(a) != Decimal(b):
            # `;` separates the operands: `max(1,234)` would be one grouped number for TST (docs/SPEC.md 2.5).
            return Example("cmp", f"max({a};{b})=", a if Decimal(a) > Decimal(b) else b)


_MAKERS = {"add": _add, "sub": _sub, "mul": _mul, "dec_add": _dec_add, "cmp": _cmp}


def make_example(task: str, rng: random.Random, ranges: Ranges) -> Example:
    """One example of `task` with operands drawn from `ranges`.

    Raises:
        ValueError: for an unknown task name.
    """
    if task not in _MAKERS:
        raise ValueError(f"unknown task {task!r}; choose from {', '.join(TASKS)}")
    return _MAKERS[task](rng, ranges)


def operands(prompt: str) -> list[str]:
    """The numerals of a prompt, in order: ``operands("12*3=") == ["12", "3"]``."""
    return _OPERAND.findall(prompt)


def longest_operand(ex: Example) -> int:
    """Digits of the operand whose length the task's ranges control (the long factor for mul)."""
    ops = operands(ex.prompt)
    if ex.task == "mul":
        return len(ops[0])
    return max(len(o.replace(".", "")) for o in ops)


def _length_gen_example(task: str, rng: random.Random, ranges: Ranges, digits: tuple[int, int]) -> Example:
    """An add/sub/mul example whose longest integer operand has a length in `digits`, never seen in training."""
    wide = Ranges((ranges.int_digits[0], digits[1]), ranges.mul_digits, ranges.dec_int_digits, ranges.frac_digits)
    while True:
        ex = make_example(task, rng, wide)
        if digits[0] <= longest_operand(ex) <= digits[1]:
            return ex


def eval_sets(
    seed: int, task: str, n: int, ranges: Ranges, gen_digits: tuple[int, int] | None
) -> dict[str, list[Example]]:
    """Held-out sets of one task: ``in`` (training sizes) and, for add/sub/mul, ``gen`` (longer operands).

    Args:
        seed: test-set seed; fixed across training seeds so that only training varies (combined with
            the task name, so every task has its own sets).
        task: one of `TASKS`.
        n: examples per set (prompts are unique within a set).
        ranges: the training operand sizes.
        gen_digits: digits of the longest operand in the length-generalisation set; None for no such set.

    Raises:
        ValueError: if `n` distinct prompts cannot be drawn.
    """
    rng = random.Random(f"{seed}/{task}")
    sets = {"in": _unique(lambda: make_example(task, rng, ranges), n)}
    if task in LENGTH_GEN_TASKS and gen_digits is not None:
        sets["gen"] = _unique(lambda: _length_gen_example(task, rng, ranges, gen_digits), n)
    return sets


def _unique(draw: Callable[[], Example], n: int) -> list[Example]:
    seen: set[str] = set()
    out: list[Example] = []
    for _ in range(100 * n):
        ex = draw()
        if ex.prompt not in seen:
            seen.add(ex.prompt)
            out.append(ex)
            if len(out) == n:
                return out
    raise ValueError(f"could not draw {n} distinct examples; widen the operand ranges")


def curriculum_digits(index: int, n: int, ramp: float, top: int) -> int:
    """The largest operand length allowed for example `index` of `n` under a linear curriculum.

    The first ``ramp * n`` examples climb from 1 digit to `top` digits in equal stages; the rest
    use every length. ``ramp == 0`` means no curriculum.
    """
    if ramp <= 0:
        return top
    return min(top, 1 + int(top * index / (ramp * n)))


def training_stream(
    seed: int, task: str, n: int, ranges: Ranges, exclude: set[str], curriculum: float = 0.0
) -> list[Example]:
    """`n` training examples of `task`, none whose prompt is in `exclude`.

    Args:
        curriculum: share of the stream over which the largest operand length climbs from 1 digit
            to the full ranges (`curriculum_digits`); 0 draws every example from the full ranges.
    """
    rng = random.Random(seed)
    top = ranges.max_digits()
    out: list[Example] = []
    while len(out) < n:
        ex = make_example(task, rng, ranges.capped(curriculum_digits(len(out), n, curriculum, top)))
        if ex.prompt not in exclude:
            out.append(ex)
    return out


def length_grouped(examples: list[Example], batch_size: int, window: int, seed: int) -> list[Example]:
    """`examples` reordered so that each batch holds examples of similar length; nothing added or lost.

    Within each run of ``window * batch_size`` consecutive examples, the examples are sorted by the
    characters of prompt plus answer, cut into batches, and the batches shuffled (seeded). Padding
    to the longest example of a batch then wastes little compute, the curriculum keeps its order
    at the scale of a window, and, since characters are counted, every tokenization gets exactly
    the same batches (HF's length-grouped sampler does the same with token counts).
    """
    rng = random.Random(f"{seed}/batches")
    span = window * batch_size
    out: list[Example] = []
    for start in range(0, len(examples), span):
        chunk = sorted(examples[start : start + span], key=lambda e: len(e.prompt) + len(e.answer))
        batches = [chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size)]
        rng.shuffle(batches)
        out.extend(e for b in batches for e in b)
    return out
