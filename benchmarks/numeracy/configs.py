"""Experiment sizes: ``cpu`` (the committed results), ``gpu`` (one H100-class card), ``toy`` (the unit test).

Each configuration trains one model per task, tokenization and seed; `TaskSetup` holds what may
differ between tasks (model size, schedule, operand sizes, curriculum). Within a task everything
is the same for every tokenization.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.numeracy.model import ModelSize
from benchmarks.numeracy.tasks import TASKS, Ranges
from benchmarks.numeracy.train import Schedule


@dataclass(frozen=True)
class TaskSetup:
    """How one task is trained and tested."""

    model: ModelSize
    schedule: Schedule
    ranges: Ranges
    curriculum: float
    """Share of the training steps over which the longest operand climbs from 1 digit to the full ranges."""
    gen_digits: tuple[int, int] | None
    """Digits of the longest operand in the length-generalisation set (add, sub, mul); None: no such set."""
    eval_every: int
    """Steps between two evaluations of the in-distribution set (the learning curve)."""
    length_window: int = 1
    """Batches whose examples are grouped by length (`tasks.length_grouped`); 1: the stream's own order.

    Grouping saves padding but makes every batch a single length pattern; on 1-3 digit addition it
    slowed learning several-fold (docs/numeracy.md, "Calibration"), so every config keeps 1.
    """


@dataclass(frozen=True)
class Config:
    """Everything that defines a run except the task, the seed and the tokenization."""

    name: str
    tasks: dict[str, TaskSetup]
    eval_examples: int
    """Examples per held-out set."""
    eval_batch: int
    device: str
    threads: int
    encode_workers: int = 1
    """Processes that tokenize the data (one per tokenization at most)."""
    eval_seed: int = 20261127
    """Held-out sets are the same for every training seed."""

    def setup(self, task: str) -> TaskSetup:
        """The setup of `task`.

        Raises:
            ValueError: if this configuration has no such task.
        """
        if task not in self.tasks:
            raise ValueError(f"config {self.name!r} has no task {task!r}; it has {', '.join(self.tasks)}")
        return self.tasks[task]

    def as_dict(self, task: str) -> dict[str, Any]:
        """JSON-ready description of one task's run, stored with every result."""
        out = {k: v for k, v in asdict(self).items() if k != "tasks"}
        out["task"] = task
        out.update(asdict(self.setup(task)))
        return out


def _same_for_all(setup: TaskSetup, **overrides: TaskSetup) -> dict[str, TaskSetup]:
    return {task: overrides.get(task, setup) for task in TASKS}


# Calibrated on this machine (docs/numeracy.md, "Calibration"): one torch thread; lr 1e-3 and batches in
# stream order (grouping batches by length and lr 3e-3 both slowed learning several-fold). Addition gets the
# budget (operands of 1-6 digits, about 30 minutes of one loaded thread per tokenization and seed); the
# other tasks use shorter operands and half the steps.
_CPU_MODEL = ModelSize(d_model=128, layers=3, heads=4, d_ff=512, max_positions=64)
_CPU_SCHEDULE = Schedule(steps=3000, batch_size=32, lr=1e-3, warmup=100, log_every=250)
_CPU_SHORT = Ranges(int_digits=(1, 4), mul_digits=(1, 1), dec_int_digits=(1, 3), frac_digits=(1, 3))
_CPU_OTHER = TaskSetup(
    model=_CPU_MODEL,
    schedule=_CPU_SCHEDULE,
    ranges=_CPU_SHORT,
    curriculum=0.2,
    gen_digits=(5, 6),
    eval_every=250,
    length_window=1,
)
_CPU_ADD = TaskSetup(
    model=_CPU_MODEL,
    schedule=Schedule(steps=6000, batch_size=32, lr=1e-3, warmup=100, log_every=250),
    ranges=Ranges(int_digits=(1, 6), mul_digits=(1, 1), dec_int_digits=(1, 3), frac_digits=(1, 3)),
    curriculum=0.2,
    gen_digits=(7, 8),
    eval_every=250,
    length_window=1,
)

CPU = Config(
    name="cpu",
    tasks=_same_for_all(_CPU_OTHER, add=_CPU_ADD),
    eval_examples=500,
    eval_batch=500,
    device="cpu",
    threads=1,
)

_GPU_MODEL = ModelSize(d_model=256, layers=6, heads=8, d_ff=1024, max_positions=64)
_GPU_SCHEDULE = Schedule(steps=20000, batch_size=128, lr=1e-3, warmup=500, log_every=500)

GPU = Config(
    name="gpu",
    # The CPU design (tasks, operand ranges, curriculum, held-out sets) with a larger model and budget.
    tasks={
        task: TaskSetup(
            model=_GPU_MODEL,
            schedule=_GPU_SCHEDULE,
            ranges=setup.ranges,
            curriculum=setup.curriculum,
            gen_digits=setup.gen_digits,
            eval_every=500,
            length_window=setup.length_window,
        )
        for task, setup in CPU.tasks.items()
    },
    eval_examples=2000,
    eval_batch=1000,
    device="cuda",
    threads=8,
    encode_workers=6,
)

_TOY_SETUP = TaskSetup(
    model=ModelSize(d_model=32, layers=1, heads=2, d_ff=64, max_positions=64),
    schedule=Schedule(steps=6, batch_size=8, lr=3e-3, warmup=2, log_every=3),
    ranges=Ranges(int_digits=(1, 4), mul_digits=(1, 2), dec_int_digits=(1, 2), frac_digits=(1, 3)),
    curriculum=0.5,
    gen_digits=(5, 6),
    eval_every=3,
)

TOY = Config(
    name="toy",
    tasks=_same_for_all(_TOY_SETUP),
    eval_examples=6,
    eval_batch=4,
    device="cpu",
    threads=1,
)

CONFIGS = {c.name: c for c in (CPU, GPU, TOY)}
