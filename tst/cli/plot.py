"""The ``--plot`` histogram of tokens per number (matplotlib, imported only when asked for)."""

from __future__ import annotations

from tst._extras import install_hint
from tst.cli.options import CLIError


def plot_histogram(series: dict[str, dict[int, int]], path: str, title: str, xlabel: str) -> None:
    """Write a PNG (or any format matplotlib infers from `path`): one bar per series at each count.

    Args:
        series: label -> histogram (count -> how many numbers had it), e.g. before and after TST.
        path: the image file.
        title: the chart title.
        xlabel: what the counts are.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise CLIError(f"--plot needs matplotlib ({install_hint('plot')}): {exc}") from None
    xs = sorted({x for h in series.values() for x in h})
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    width = 0.8 / max(1, len(series))
    for k, (label, histogram) in enumerate(series.items()):
        shift = (k - (len(series) - 1) / 2) * width
        ax.bar([x + shift for x in xs], [histogram.get(x, 0) for x in xs], width, label=label)
    ax.set_xlabel(xlabel)
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
