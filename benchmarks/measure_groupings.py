"""How often the grammar's thousands groupings are lists in real CSV and real numbers in real prose.

Run: ``python benchmarks/measure_groupings.py [--statsmodels DIR] [--show 20] [--json FILE]``.

The figures behind the default of ``indian`` (docs/DECISIONS.md: "Indian grouping is off by
default") and behind the whole-run rule. Everything is read from files already on the machine,
offline:

* **CSV**: the data files that scikit-learn, statsmodels, matplotlib and numpy ship inside their
  packages, and /usr/share/distro-info. statsmodels need not be installed: ``pip download
  statsmodels --no-deps`` and unzip the wheel, then pass the folder with ``--statsmodels``.
* **Prose**: CHANGELOG / NEWS / CHANGES / HISTORY files of the installed Python packages and of the
  crates in the cargo registry (``~/.cargo/registry/src``), the crates' Markdown files, the
  packages' METADATA (their long descriptions), scikit-learn's dataset descriptions and the Debian
  changelogs under /usr/share/doc.

Every file is read line by line (no grouping or chain spans a line end, so this equals reading the
whole file). A line is parsed by the codec only when a cheap regular expression says it might hold
a grouping (digits, a separator, two or three digits), which keeps the 100+ MB of changelogs fast.

In a CSV line a grouping that contains a field delimiter (a comma outside double quotes) is a list
the grammar misreads as one number; one inside a single field (``"1,234"``) is a number. In prose
every Indian grouping found is printed with its line, to be judged by a reader; the script counts
them and shows the first ``--show``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import site
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tst  # noqa: E402

SITE = Path(site.getsitepackages()[0])
CARGO = Path.home() / ".cargo" / "registry" / "src"
SEPARATORS = ",'\u00a0\u2009\u202f\u2019_"
#: A line that may hold a grouping: 1-3 digits, a separator, 2 or 3 digits.
MAYBE_GROUPED = re.compile(f"[0-9][{SEPARATORS}][0-9]{{2}}")
CHANGELOG_NAMES = re.compile(r"^(CHANGELOG|CHANGES|NEWS|HISTORY|RELEASE[-_ ]?NOTES)", re.IGNORECASE)


@dataclass
class Figures:
    """Counts for one corpus."""

    files: int = 0
    bytes: int = 0
    lines: int = 0
    indian: int = 0  # Indian groupings found (indian=True)
    indian_lists: int = 0  # ... that contain a CSV field delimiter
    western: int = 0  # Western groupings found
    western_lists: int = 0
    by_file: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


def _read_lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as f:
            yield from f
    except (OSError, EOFError):
        return


def csv_files(statsmodels: Path | None) -> list[Path]:
    """The CSV files shipped inside installed packages (and statsmodels' wheel, if given)."""
    roots = [SITE / "sklearn", SITE / "matplotlib", SITE / "numpy", SITE / "pandas", SITE / "statsmodels"]
    if statsmodels is not None:
        roots.append(statsmodels)
    roots.append(Path("/usr/share/distro-info"))
    out: set[Path] = set()
    for root in roots:
        if root.is_dir():
            out.update(p for pattern in ("*.csv", "*.csv.gz") for p in root.rglob(pattern))
    return sorted(out)


def prose_files() -> list[Path]:
    """Changelogs, crate Markdown, package long descriptions and Debian changelogs."""
    out: set[Path] = set()
    for root in (SITE, CARGO):
        if root.is_dir():
            out.update(p for p in root.rglob("*") if p.is_file() and CHANGELOG_NAMES.match(p.name))
    if CARGO.is_dir():
        out.update(CARGO.rglob("*.md"))
    out.update(SITE.glob("*.dist-info/METADATA"))
    out.update((SITE / "sklearn" / "datasets" / "descr").glob("*.rst"))
    doc = Path("/usr/share/doc")
    if doc.is_dir():
        out.update(p for p in doc.glob("*/changelog*") if p.is_file())
    return sorted(out)


def delimiters(line: str) -> set[int]:
    """Positions of the commas that separate CSV fields (outside double quotes).

    Hand-written because the csv module parses fields but does not report where they are.
    """
    found = set()
    quoted = False
    for k, c in enumerate(line):
        if c == '"':
            quoted = not quoted
        elif c == "," and not quoted:
            found.add(k)
    return found


def measure(files: list[Path], codec: tst.Codec, is_csv: bool, show: int) -> Figures:
    fig = Figures()
    for path in files:
        fig.files += 1
        try:
            fig.bytes += path.stat().st_size
        except OSError:
            continue
        for line in _read_lines(path):
            fig.lines += 1
            if not MAYBE_GROUPED.search(line):
                continue
            seps = delimiters(line) if is_csv else set()
            for num in codec.numbers(line):
                if num.separator is None:
                    continue
                is_list = any(num.start < k < num.end for k in seps)
                if num.indian:
                    fig.indian += 1
                    fig.indian_lists += is_list
                    fig.by_file[str(path)] += 1
                    if len(fig.examples) < show:
                        fig.examples.append(f"{path.name}: {line.strip()[:160]!r} -> {line[num.start : num.end]!r}")
                else:
                    fig.western += 1
                    fig.western_lists += is_list
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--statsmodels", type=Path, help="an unzipped statsmodels wheel (if not installed)")
    parser.add_argument("--show", type=int, default=20, help="Indian groupings to print per corpus, with their line")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    codec = tst.Codec(indian=True)
    report = {}
    for name, files, is_csv in (("csv", csv_files(args.statsmodels), True), ("prose", prose_files(), False)):
        fig = measure(files, codec, is_csv, args.show)
        report[name] = {k: v for k, v in asdict(fig).items() if k not in ("by_file", "examples")}
        report[name]["top_files"] = fig.by_file.most_common(10)
        print(
            f"{name}: {fig.files:,} files, {fig.bytes / 1e6:.1f} MB on disk, {fig.lines:,} lines; "
            f"Indian groupings {fig.indian:,} ({fig.indian_lists:,} contain a CSV delimiter); "
            f"Western groupings {fig.western:,} ({fig.western_lists:,} contain a CSV delimiter)"
        )
        for path, count in fig.by_file.most_common(10):
            print(f"  {count:6,}  {path}")
        for ex in fig.examples:
            print(f"  e.g. {ex}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
