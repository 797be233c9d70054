"""Route 3 (`tst.hf.export`) on real text: coverage against route 1, speed against the bare base, adversarial inputs.

Run: ``python benchmarks/bench_export.py [--families bpe,spm,mistral_v3,bert,tekken] [--max-kb 400]``
(a family may be any of tests/hf_support.py's or of the matrix in tests/hf_families.py); writes
``benchmarks/out/export.md``. Everything is read offline from files already on the machine:

* **prose**: the release notes shipped with CPython (``idlelib/NEWS*.txt``, ``idlelib/News3.txt``) and
  the long descriptions (README text) in the ``METADATA`` of installed distributions;
* **CSV**: the data sets shipped in scikit-learn (``sklearn/datasets/data/*.csv[.gz]``) and matplotlib
  (``mpl-data/sample_data/*.csv``);
* **changelogs**: ``CHANGELOG*``/``RELEASES*``/``NEWS*`` files of the crates in the cargo registry cache
  (``~/.cargo/registry/src``), or, without one, of installed Python packages.

Coverage is measured per line with `tst.hf.covers` (exact: the exported normalizer's output equals
route 1's surface, and the exported decoder gives route 1's decode). A number counts as covered when
its line is covered, so the number share is a lower bound. Uncovered lines are put in classes, with
the reason. Speed: `tokenizers.Tokenizer.encode_batch` of the exported tokenizer.json against the bare
base, on the same texts, interleaved, best of N, one run, with three floors measured beside it
(`benchmarks/pipeline_floor.py`: the units' split alone, the split with one `Replace` match per
unit, and the bare base with as many no-op passes as the export runs), so a ratio can be read
against what stock components allow.
Adversarial: 1 MB single texts (long digit runs, long separator chains) through the exported
normalizer at 0.25 and 1 MB; a linear rule set takes about 4x as long for 4x the input.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tokenizers import Regex, Tokenizer, normalizers
from transformers import PreTrainedTokenizerFast

import tst
import tst.hf
from benchmarks.pipeline_floor import floor_takes, passes_floor, ready_texts, tst_pass_count, units_floor
from tests.hf_support import base
from tst.hf.export import tst_normalizer
from tst.spelling import CLOSE, OPEN

OUT = Path(__file__).resolve().parent / "out" / "export.md"


# -- corpora -------------------------------------------------------------------------------------


def _site_packages() -> list[Path]:
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return [Path(p) for p in sorted(paths) if Path(p).is_dir()]


def _read(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def _take(files: Iterator[Path], max_chars: int) -> tuple[list[str], list[str]]:
    """Lines of `files` (in order) up to `max_chars` characters, and the names of the files read."""
    lines: list[str] = []
    names: list[str] = []
    total = 0
    for f in files:
        try:
            text = _read(f)
        except OSError:
            continue
        names.append(f"{f.parent.name}/{f.name}" if len(names) < 6 else "")
        for line in text.splitlines():
            if line.strip():
                lines.append(line)
                total += len(line) + 1
        if total >= max_chars:
            break
    return lines, [n for n in names if n]


def prose_files() -> Iterator[Path]:
    idle = Path(sysconfig.get_paths()["stdlib"]) / "idlelib"
    yield from sorted(p for p in idle.glob("*") if p.name.lower().startswith("news"))
    for sp in _site_packages():
        yield from sorted(sp.glob("*.dist-info/METADATA"), key=lambda p: -p.stat().st_size)


def csv_files() -> Iterator[Path]:
    for sp in _site_packages():
        yield from sorted((sp / "sklearn" / "datasets" / "data").glob("*.csv*"))
        yield from sorted((sp / "matplotlib" / "mpl-data" / "sample_data").glob("*.csv"))


def changelog_files() -> Iterator[Path]:
    prefixes = ("changelog", "releases", "news", "changes", "history")

    def is_log(p: Path) -> bool:
        return p.is_file() and p.name.lower().startswith(prefixes) and p.suffix.lower() in ("", ".md", ".rst", ".txt")

    cargo = Path.home() / ".cargo" / "registry" / "src"
    found = [p for p in cargo.glob("*/*/*") if is_log(p)] if cargo.is_dir() else []
    if not found:
        found = [p for sp in _site_packages() for p in sp.glob("*/*") if is_log(p)]
    yield from sorted(set(found), key=lambda p: (-p.stat().st_size, str(p)))


KINDS: dict[str, Callable[[], Iterator[Path]]] = {
    "prose": prose_files,
    "CSV": csv_files,
    "changelogs": changelog_files,
}


# -- coverage ------------------------------------------------------------------------------------


def _classify(line: str) -> str:
    """Why route 3 leaves a line alone: the classes docs/hf.md lists."""
    if OPEN in line or CLOSE in line:
        return "literal unit bracket in the text (a one-unit segment would match the unit)"
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return "lone surrogate (tokenizers takes UTF-8 only)"
    return "other (rule gap; example printed)"


def coverage(lines: list[str], codec: tst.Codec) -> dict[str, object]:
    n_lines = n_covered_lines = n_numbers = n_covered_numbers = 0
    classes: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for line in lines:
        count = len(codec.numbers(line))
        n_lines += 1
        n_numbers += count
        if tst.hf.covers(line, codec):
            n_covered_lines += 1
            n_covered_numbers += count
        else:
            why = _classify(line)
            classes[why] += count
            examples.setdefault(why, [])
            if len(examples[why]) < 3:
                examples[why].append(line[:120])
    return {
        "lines": n_lines,
        "lines_covered": n_covered_lines,
        "numbers": n_numbers,
        "numbers_covered": n_covered_numbers,
        "classes": classes,
        "examples": examples,
    }


# -- speed ---------------------------------------------------------------------------------------


def _batches(lines: list[str], size: int = 1000) -> list[list[str]]:
    return [lines[k : k + size] for k in range(0, len(lines), size)]


def family_tokenizer(family: str) -> PreTrainedTokenizerFast:
    """The base of `family`: tests/hf_support.py's (bpe, spm, bert, tekken) or a family of the matrix.

    The matrix (tests/hf_families.py) adds the SentencePiece layouts route 3 takes since
    docs/DECISIONS.md 55, e.g. ``mistral_v3`` (mistral-common's real v3 file through
    transformers' generic conversion: ``Replace`` normalizer steps, ``Metaspace(always)``).
    """
    if family in ("bpe", "spm", "bert", "tekken"):
        return base(family)
    from tests.hf_families import family_base

    return family_base(family)


def speed(family: str, lines: list[str], repeats: int) -> dict[str, float]:
    """Seconds of `encode_batch` over `lines` (best of `repeats`, interleaved): the bare base, the export,
    and the export's floors (`benchmarks/pipeline_floor.py`): its units alone on ready-made TST
    text (``units``), the same with one `Replace` match per unit (``matches``), and the bare base
    with as many no-op `Replace` passes as the export runs (``passes``, their count under ``"N"``).
    The unit floors' ids are checked against the export's."""
    b = family_tokenizer(family)
    bare = Tokenizer.from_str(b.backend_tokenizer.to_str())
    with tempfile.TemporaryDirectory() as d:
        path = tst.hf.export(b, d, variant="vocab")
        exported = Tokenizer.from_file(str(path))
    for t in (bare, exported):
        t.no_padding()
        t.no_truncation()
    lines = floor_takes(exported, lines, family)
    units = tst.Codec(variant="vocab").vocabulary()
    passes = tst_pass_count(exported, bare)
    units_only = units_floor(exported, units)
    unit_matches = units_floor(exported, units, one_match_per_unit=True)
    batches = _batches(lines)
    ready = _batches(ready_texts(exported, lines))
    want = [[e.ids for e in exported.encode_batch(b, add_special_tokens=False)] for b in batches]
    for floor in (units_only, unit_matches):
        if [[e.ids for e in floor.encode_batch(r, add_special_tokens=False)] for r in ready] != want:
            raise AssertionError(f"{family}: a units floor does not give the export's ids")
    cases = [
        ("bare", bare, batches),
        ("export", exported, batches),
        ("units", units_only, ready),
        ("matches", unit_matches, ready),
        ("passes", passes_floor(bare, passes), batches),
    ]
    best = {name: float("inf") for name, _, _ in cases}
    cpu = dict(best)
    for _ in range(repeats):
        for name, tok, texts in cases:
            t0, c0 = time.perf_counter(), time.process_time()
            for batch in texts:
                tok.encode_batch(batch, add_special_tokens=False)
            best[name] = min(best[name], time.perf_counter() - t0)
            cpu[name] = min(cpu[name], time.process_time() - c0)
    best["N"] = passes
    # CPU time (all threads) moves less than wall time on a shared machine: a second reading of the ratio.
    best["cpu ratio"] = cpu["bare"] / cpu["export"]
    return best


def serving_file(family: str, repeats: int) -> tuple[int, int, float, float]:
    """The exported tokenizer.json against the bare base's: (bare bytes, export bytes, bare load s,
    export load s), a load being `Tokenizer.from_file` (parse, build the added-token matcher,
    compile the rules), best of `repeats`, interleaved."""
    b = family_tokenizer(family)
    with tempfile.TemporaryDirectory() as d:
        bare_path = Path(d) / "bare.json"
        b.backend_tokenizer.save(str(bare_path))
        path = tst.hf.export(b, Path(d) / "export", variant="vocab")
        sizes = bare_path.stat().st_size, Path(path).stat().st_size
        loads = [float("inf"), float("inf")]
        for _ in range(repeats):
            for k, f in enumerate((bare_path, Path(path))):
                t0 = time.perf_counter()
                Tokenizer.from_file(str(f))
                loads[k] = min(loads[k], time.perf_counter() - t0)
    return sizes[0], sizes[1], loads[0], loads[1]


# -- adversarial ---------------------------------------------------------------------------------

ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "one digit run": lambda n: "7" * n,
    "digit runs of 18": lambda n: ("123456789012345678 " * (n // 19 + 1))[:n],
    "comma chain 1,1,1": lambda n: ("1," * (n // 2 + 1))[:n],
    "grouping 1,234,234": lambda n: "1" + ",234" * (n // 4),
    "dot chain 1.2.3": lambda n: ("1." * (n // 2 + 1))[:n],
    "fraction digits": lambda n: "0." + "5" * (n - 2),
    "fractions of 15 digits": lambda n: ("0.123456789012345 " * (n // 18 + 1))[:n],
    "grouped with fractions": lambda n: ("123,456,789,012.123456 " * (n // 23 + 1))[:n],
    "dates 2024-01-15T10:": lambda n: ("2024-01-15T10:" * (n // 14 + 1))[:n],
    "exponents 1e1e1": lambda n: ("1e1" * (n // 3 + 1))[:n],
    "word digits a1a1": lambda n: ("a1" * (n // 2 + 1))[:n],
}


def adversarial(codec: tst.Codec) -> list[tuple[str, float, float, float]]:
    """(shape, seconds at 0.25 MB, seconds at 1 MB, the same ratio for one no-op `Replace` pass).

    The no-op pass is the baseline: `tokenizers` rebuilds the string and its alignments (16 bytes
    per byte) in every pass, and at these sizes the allocator alone can make that grow by more
    than 4x for 4x the text.
    """
    norm = tst_normalizer(codec)
    noop = normalizers.Replace(Regex("\\x{10FFFF}\\x{10FFFE}"), "")
    rows = []
    for name, make in ADVERSARIAL.items():
        times: dict[object, list[float]] = {norm: [], noop: []}
        for size in (250_000, 1_000_000):
            text = make(size)
            for n in (norm, noop):
                best = float("inf")
                for _ in range(2):
                    t0 = time.process_time()
                    n.normalize_str(text)
                    best = min(best, time.process_time() - t0)
                times[n].append(best)
        rows.append((name, times[norm][0], times[norm][1], times[noop][1] / max(times[noop][0], 1e-6)))
    return rows


# -- report --------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--families", default="bpe,spm,mistral_v3,bert,tekken")
    ap.add_argument("--max-kb", type=int, default=400, help="characters read per kind, in thousands")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-adversarial", action="store_true")
    args = ap.parse_args()

    corpora = {kind: _take(files(), args.max_kb * 1000) for kind, files in KINDS.items()}
    out = ["# Route 3 export: coverage, speed, adversarial inputs", "", f"Run: `{' '.join(sys.argv)}`", ""]
    out += ["## Coverage against route 1 (default settings)", ""]
    out += ["| kind | files (first) | lines | numbers | lines covered | numbers covered (lower bound) |"]
    out += ["|---|---|---:|---:|---:|---:|"]
    details = []
    for variant in ("vocab",):  # the rules differ per variant only in what they write, not in what they cover
        codec = tst.Codec(variant=variant)
        for kind, (lines, names) in corpora.items():
            c = coverage(lines, codec)
            ln, lc, nn, nc = c["lines"], c["lines_covered"], c["numbers"], c["numbers_covered"]
            assert isinstance(ln, int) and isinstance(lc, int) and isinstance(nn, int) and isinstance(nc, int)
            out.append(
                f"| {kind} | {', '.join(names[:3])} | {ln:,} | {nn:,} | {100 * lc / max(ln, 1):.2f}% "
                f"| {100 * nc / max(nn, 1):.2f}% |"
            )
            classes = c["classes"]
            examples = c["examples"]
            assert isinstance(classes, Counter) and isinstance(examples, dict)
            for why, count in classes.most_common():
                details.append(
                    f"- {kind}: {count} numbers: {why}; e.g. " + " / ".join(f"`{e!r}`" for e in examples[why])
                )
            print(out[-1], flush=True)
    out += ["", "Uncovered, by class:", "", *(details or ["- none"]), ""]

    out += ["## Speed: `encode_batch`, exported tokenizer.json vs the bare base (vocab variant)", ""]
    out += [
        "Floors (`benchmarks/pipeline_floor.py`), as ratios bare / floor: the export's units on ready-made",
        "TST text with no normalizer; the same with one `Replace` match per unit (every unit's closing",
        "bracket is written by a match: no rule set reaches more), and the bare base with N `Replace`",
        "passes that match nothing, N the export's pass count (no rules with N passes reach more).",
        "",
        "The CPU ratio is the same run's bare / export CPU time (all threads): steadier than wall time",
        "on a shared machine, where wall-clock ratios move by up to 0.2 between runs.",
        "",
        "| family | kind | bare s | export s | ratio | CPU ratio | floor: units only "
        "| floor: units + a match each | floor: N no-op passes | N |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for family in args.families.split(","):
        for kind, (lines, _) in corpora.items():
            t = speed(family, lines, args.repeats)
            b = t["bare"]
            out.append(
                f"| {family} | {kind} | {b:.3f} | {t['export']:.3f} | {b / t['export']:.2f} | {t['cpu ratio']:.2f} "
                f"| {b / t['units']:.2f} | {b / t['matches']:.2f} | {b / t['passes']:.2f} | {t['N']:.0f} |"
            )
            print(out[-1], flush=True)
    out.append("")

    out += ["## The served file: tokenizer.json size and load time (vocab variant)", ""]
    out += [
        "| family | bare MB | export MB | bare load s | export load s |",
        "|---|---:|---:|---:|---:|",
    ]
    for family in args.families.split(","):
        bb, eb, bl, el = serving_file(family, args.repeats)
        out.append(f"| {family} | {bb / 1e6:.1f} | {eb / 1e6:.1f} | {bl:.2f} | {el:.2f} |")
        print(out[-1], flush=True)
    out.append("")

    if not args.no_adversarial:
        out += ["## Adversarial single texts through the exported normalizer (vocab variant)", ""]
        out += [
            "| shape | 0.25 MB CPU s | 1 MB CPU s | ratio (linear: about 4) | no-op pass ratio |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, t1, t4, base_ratio in adversarial(tst.Codec(variant="vocab")):
            out.append(f"| {name} | {t1:.3f} | {t4:.3f} | {t4 / t1:.1f} | {base_ratio:.1f} |")
            print(out[-1], flush=True)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print("\n".join(out))


if __name__ == "__main__":
    main()
