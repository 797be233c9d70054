"""Experiment sizes: ``cpu`` (the committed results), ``gpu`` (one H100-class card), ``toy`` (the unit test)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.numeracy.model import ModelSize
from benchmarks.numeracy.tasks import Ranges
from benchmarks.numeracy.train import Schedule


@dataclass(frozen=True)
class Config:
    """Everything that defines a run except the seed and the tokenization."""

    name: str
    model: ModelSize
    schedule: Schedule
    ranges: Ranges
    gen_digits: tuple[int, int]
    """Digits of the longest operand in the length-generalisation sets."""
    eval_examples: int
    """Examples per held-out set."""
    eval_batch: int
    device: str
    threads: int
    encode_workers: int = 1
    """Processes that tokenize the data (one per tokenization at most)."""
    eval_seed: int = 20261127
    """Held-out sets are the same for every training seed."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description, stored with every result."""
        return asdict(self)


CPU = Config(
    name="cpu",
    model=ModelSize(d_model=128, layers=3, heads=4, d_ff=384),
    schedule=Schedule(steps=2000, batch_size=64, lr=2e-3, warmup=100),
    ranges=Ranges(),
    gen_digits=(10, 12),
    eval_examples=200,
    eval_batch=200,
    device="cpu",
    threads=2,
)

GPU = Config(
    name="gpu",
    model=ModelSize(d_model=384, layers=6, heads=6, d_ff=1536),
    schedule=Schedule(steps=4000, batch_size=256, lr=1e-3, warmup=200, log_every=500),
    ranges=Ranges(),
    gen_digits=(10, 12),
    eval_examples=1000,
    eval_batch=500,
    device="cuda",
    threads=8,
    encode_workers=5,
)

TOY = Config(
    name="toy",
    model=ModelSize(d_model=32, layers=1, heads=2, d_ff=64, max_positions=64),
    schedule=Schedule(steps=6, batch_size=8, lr=3e-3, warmup=2, log_every=3),
    ranges=Ranges(int_digits=(1, 4), mul_digits=(1, 2), dec_int_digits=(1, 2), frac_digits=(1, 3)),
    gen_digits=(5, 6),
    eval_examples=6,
    eval_batch=4,
    device="cpu",
    threads=1,
)

CONFIGS = {c.name: c for c in (CPU, GPU, TOY)}
