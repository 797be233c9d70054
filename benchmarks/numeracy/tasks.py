"""Seeded arithmetic tasks: integer add/sub/mul, decimal addition, decimal comparison.

Every example is a prompt and the exact answer string the model must produce.
Operand sizes are counted in digits and drawn uniformly, so short and long
numbers are equally frequent. The same seed always gives the same examples.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

TASKS = ("add", "sub", "mul", "dec_add", "cmp")
"""Task names, in table order."""

LENGTH_GEN_TASKS = ("add", "sub", "mul")
"""Tasks that also get a length-generalisation test set (longer integer operands)."""


@dataclass(frozen=True)
class Example:
    """One task instance: `prompt` is given, `answer` is what the model must write."""

    task: str
    prompt: str
    answer: str


@dataclass(frozen=True)
class Ranges:
    """Operand sizes, in digits (inclusive ranges)."""

    int_digits: tuple[int, int] = (1, 9)
    """Integer operands of add, sub and the multi-digit factor of mul."""
    mul_digits: tuple[int, int] = (1, 3)
    """The small factor of mul."""
    dec_int_digits: tuple[int, int] = (1, 6)
    """Integer part of the decimals in dec_add and cmp."""
    frac_digits: tuple[int, int] = (1, 6)
    """Fractional part of the decimals in dec_add and cmp."""


def _integer(rng: random.Random, digits: tuple[int, int]) -> int:
    """An integer with a uniformly drawn number of digits, no leading zero."""
    n = rng.randint(*digits)
    return rng.randint(0, 9) if n == 1 else rng.randint(10 ** (n - 1), 10**n - 1)


def _decimal(rng: random.Random, ranges: Ranges, integer_part: int | None = None) -> str:
    """A decimal numeral with 1..6 fractional digits (trailing zeros allowed: they are written)."""
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
            return Example("cmp", f"max({a};{b})=", a if Decimal(a) > Decimal(b) else b)


_MAKERS = {"add": _add, "sub": _sub, "mul": _mul, "dec_add": _dec_add, "cmp": _cmp}


def make_example(task: str, rng: random.Random, ranges: Ranges) -> Example:
    """One example of `task` with operands drawn from `ranges`."""
    return _MAKERS[task](rng, ranges)


def length_gen_ranges(ranges: Ranges, digits: tuple[int, int]) -> Ranges:
    """`ranges` with the integer operands of add/sub/mul widened to `digits` (e.g. 10..12)."""
    return Ranges(digits, ranges.mul_digits, ranges.dec_int_digits, ranges.frac_digits)


def _length_gen_example(task: str, rng: random.Random, ranges: Ranges, digits: tuple[int, int]) -> Example:
    """An add/sub/mul example whose longest integer operand has a length in `digits`, never seen in training."""
    wide = length_gen_ranges(ranges, (ranges.int_digits[0], digits[1]))
    while True:
        ex = make_example(task, rng, wide)
        operands = ex.prompt[:-1].replace("+", " ").replace("-", " ").replace("*", " ").split()
        longest = len(operands[0]) if task == "mul" else max(len(o) for o in operands)
        if digits[0] <= longest <= digits[1]:
            return ex


def eval_sets(seed: int, n: int, ranges: Ranges, gen_digits: tuple[int, int]) -> dict[str, list[Example]]:
    """Held-out sets named ``task/in`` (training sizes) and ``task/gen`` (longer operands).

    Args:
        seed: test-set seed; fixed across training seeds so that only training varies.
        n: examples per set (prompts are unique within a set).
        ranges: the training operand sizes.
        gen_digits: digits of the longest operand in the length-generalisation sets.
    """
    rng = random.Random(seed)
    sets: dict[str, list[Example]] = {}
    for task in TASKS:
        sets[f"{task}/in"] = _unique(lambda t=task: make_example(t, rng, ranges), n)
    for task in LENGTH_GEN_TASKS:
        sets[f"{task}/gen"] = _unique(lambda t=task: _length_gen_example(t, rng, ranges, gen_digits), n)
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


def training_stream(seed: int, n: int, ranges: Ranges, exclude: set[str]) -> list[Example]:
    """`n` training examples, each of a uniformly drawn task, none whose prompt is in `exclude`."""
    rng = random.Random(seed)
    out: list[Example] = []
    while len(out) < n:
        ex = make_example(rng.choice(TASKS), rng, ranges)
        if ex.prompt not in exclude:
            out.append(ex)
    return out
