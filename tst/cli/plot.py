"""The ``--plot`` histogram of tokens per number (matplotlib, imported only when asked for)."""

from __future__ import annotations

from tst.cli.options import CLIError
from tst.data.token_stats import TokenStats


def plot_histogram(stats: TokenStats, path: str, title: str) -> None:
    """Write a PNG (or any format matplotlib infers from `path`) of tokens per number, before vs after."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise CLIError(f"--plot needs matplotlib (pip install 'tst-tokenizer[plot]'): {exc}") from None
    before = stats.number_before.histogram()
    after = stats.number_after.histogram()
    xs = sorted(set(before) | set(after))
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    width = 0.4
    ax.bar([x - width / 2 for x in xs], [before.get(x, 0) for x in xs], width, label="before (base tokenizer)")
    ax.bar([x + width / 2 for x in xs], [after.get(x, 0) for x in xs], width, label="after (TST)")
    ax.set_xlabel("tokens per number")
    ax.set_ylabel("numbers")
    ax.set_xticks(xs)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    try:
        fig.savefig(path)
    except (OSError, ValueError) as exc:
        raise CLIError(f"cannot write the plot {path}: {exc}") from None
    finally:
        plt.close(fig)
