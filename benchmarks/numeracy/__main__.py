"""Command line: ``python -m benchmarks.numeracy {run,report,check}``.

Examples:
    python -m benchmarks.numeracy run --config cpu --task add --seed 0   # six tokenizations on addition
    python -m benchmarks.numeracy run --config cpu --task all --seed 0 1 2 --skip-existing  # the whole comparison
    python -m benchmarks.numeracy report        # regenerates docs/numeracy.md tables + plots
    python -m benchmarks.numeracy check         # exit 1 if the doc is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.numeracy import report
from benchmarks.numeracy.configs import CONFIGS
from benchmarks.numeracy.run import RESULTS, run_task
from benchmarks.numeracy.tasks import TASKS
from benchmarks.numeracy.tokenizations import TOKENIZATIONS


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.numeracy", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="train and evaluate; write result JSON; print the tables")
    run.add_argument("--config", choices=sorted(CONFIGS), default="cpu")
    run.add_argument(
        "--task",
        nargs="+",
        choices=[*TASKS, "all"],
        default=["all"],
        help="tasks to run, in this order (all: every one)",
    )
    run.add_argument("--seed", type=int, nargs="+", default=[0])
    run.add_argument("--tokenizations", nargs="+", choices=TOKENIZATIONS, default=list(TOKENIZATIONS))
    run.add_argument("--threads", type=int, help="torch threads (default: the config's)")
    run.add_argument("--out", type=Path, default=RESULTS, help="results directory (default: the committed one)")
    run.add_argument("--skip-existing", action="store_true", help="do not rerun a run whose result file exists")
    run.add_argument(
        "--seed-major", action="store_true", help="loop over seeds outside tasks (default: tasks outside seeds)"
    )
    sub.add_parser("report", help="regenerate the tables and plots in docs/numeracy.md from the result files")
    sub.add_parser("check", help="exit 1 if docs/numeracy.md does not match the result files")
    args = parser.parse_args(argv)

    if args.command == "run":
        cfg = CONFIGS[args.config]
        tasks = list(TASKS) if "all" in args.task else list(dict.fromkeys(args.task))
        order = (
            [(t, s) for s in args.seed for t in tasks]
            if args.seed_major
            else [(t, s) for t in tasks for s in args.seed]
        )
        for task, seed in order:
            results = run_task(
                cfg,
                task,
                seed,
                tuple(args.tokenizations),
                args.out,
                threads=args.threads,
                skip_existing=args.skip_existing,
            )
            if results:
                print()
                print(report.render_task(results))
        return 0
    if args.command == "report":
        report.write_docs()
        print(report.render_block())
        return 0
    ok = report.check_docs()
    print("docs/numeracy.md matches the result files" if ok else "docs/numeracy.md is stale: run the report command")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
