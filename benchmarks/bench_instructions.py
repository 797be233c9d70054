"""Route 2 against the bare base counted in CPU instructions (valgrind's callgrind), one thread.

Run: ``python benchmarks/bench_instructions.py [--kb 200] [--export FAMILY]``. Needs ``valgrind`` on
the PATH. With ``--export`` it counts route 3 (`tst.hf.export` of a family of `bench_export.py`, e.g.
``spm``) against that family's bare base instead of route 2 on tekken.

Why instructions: on a shared 2-core VM the wall and CPU clocks of one run move route 2's ratio by
up to 0.2 (docs/hf.md, "Route 2"); an instruction count moves far less, so a change of a few
percent shows. It is not exact either: malloc's work depends on the heap's layout, which Python's
hash seed changes (fixed here to 0) and Rust's randomly seeded hash maps change too: three
callgrind runs of route 2 on the real prose (inside `encode_batch` only, seed fixed; 217,033
characters, before the corpora were cut to `--kb`) gave 927.5, 926.0 and 928.5 M, and the same code
measured between 0.822x and 0.864x on generated prose in three runs before the seed was fixed (and
before the count was confined to `encode_batch`). Nor is it time: memory traffic (each `Replace` pass copies the string
and its alignments) costs more per instruction than the base's work, so wall-clock ratios come out
lower.

Every count is taken in a child process under callgrind with ``RAYON_NUM_THREADS=1``: the same
texts through ``encode_batch`` (batches of 1,000) of the bare tekken base (mistral-common's file)
and of route 2 installed on it (vocab variant). Callgrind counts inside ``encode_batch`` only
(`ENCODE_BATCH`), so interpreter start, imports, loading the tokenizer and compiling its patterns
are left out and the ratio compares encoding work only. (Until 2026-12-01 the script counted whole
processes less a run on no text; that subtraction added the heap noise above twice.)

Corpora: the real prose and CSV lines of `bench_export.py` (CPython's idlelib NEWS and installed
METADATA; scikit-learn's and matplotlib's data sets) and the generated prose and number-dense text
of `bench_hf.py`, each cut to the first lines that make `--kb` thousand characters; and the real
prose again as texts of about 2 kB (`bench_hf.documents`), where a pass's fixed cost per text
weighs less.

The column "route 2 / bare" is route 2's speed as a share of the base's, the convention of
the wall-clock ratios of `bench_hf.py`: the base's count divided by route 2's (0.8x: route 2 does
1.25 times the base's work). The last column counts the floor of `benchmarks/pipeline_floor.py`
that no rule set passes, the units' split with one `Replace` match per unit, on the same texts
made ready beforehand (`ready_texts`), as the same share of the base's. At the default `--kb 200`
a run takes four to five minutes on a 2-core machine (fifteen callgrind runs, each a fresh
interpreter); much of that is fixed cost, so `--kb 40` still takes over three minutes. Rows print
as they are counted, the whole table again at the end.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_CHILD = """
import pickle, sys
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
texts = pickle.load(open(sys.argv[2], "rb"))
for k in range(0, len(texts), 1000):
    tok.encode_batch(texts[k : k + 1000])
"""


#: Where callgrind counts: inside `Tokenizer.encode_batch` only (pyo3's name for the method's
#: wrapper in the `tokenizers` extension), so loading and pickling cost nothing.
ENCODE_BATCH = "*__pymethod_encode_batch__*"


def instructions(tokenizer_json: Path, texts_pickle: Path, child: Path) -> int:
    """Instructions callgrind counts inside `encode_batch` for one child encoding the pickled texts.

    Raises:
        RuntimeError: when callgrind fails, or counts nothing (a `tokenizers` build without
            symbols names no `ENCODE_BATCH` function).
    """
    threads = {"RAYON_NUM_THREADS": "1", "RAYON_RS_NUM_CPUS": "1", "TOKENIZERS_PARALLELISM": "false"}
    env = dict(os.environ, **threads, PYTHONHASHSEED="0")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--collect-atstart=no"]
    cmd += [f"--toggle-collect={ENCODE_BATCH}", sys.executable, str(child)]
    out = subprocess.run([*cmd, str(tokenizer_json), str(texts_pickle)], env=env, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if out.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind run failed: {out.stderr[-2000:]}")
    if int(found.group(1)) == 0:
        raise RuntimeError(f"callgrind counted nothing inside {ENCODE_BATCH}: is this tokenizers build stripped?")
    return int(found.group(1))


def corpora(size: int) -> dict[str, list[str]]:
    """Each kind of text as a list of texts: the first that reach `size` characters (one text more at most)."""
    from benchmarks.bench_export import _take, csv_files, prose_files
    from benchmarks.bench_hf import documents, number_dense, prose

    found = {
        "real prose": _take(prose_files(), size)[0],
        "real CSV": _take(csv_files(), size)[0],
        "prose": prose(size, random.Random(0)),
        "number-dense": number_dense(size, random.Random(0)),
    }
    out = {name: first_chars(texts, size) for name, texts in found.items()}
    out["real prose, 2 kB texts"] = documents(out["real prose"])
    return out


def first_chars(texts: list[str], size: int) -> list[str]:
    """The shortest prefix of `texts` holding at least `size` characters (`_take` reads whole files)."""
    total = 0
    for k, text in enumerate(texts):
        total += len(text)
        if total >= size:
            return texts[: k + 1]
    return texts


def export_pair(family: str) -> tuple[Tokenizer, Tokenizer]:
    """The bare base of `family` (`bench_export.family_tokenizer`) and its route-3 export (vocab)."""
    import tst.hf
    from benchmarks.bench_export import family_tokenizer

    b = family_tokenizer(family)
    with tempfile.TemporaryDirectory() as d:
        exported = Tokenizer.from_file(str(tst.hf.export(b, d, variant="vocab")))
    bare = Tokenizer.from_str(b.backend_tokenizer.to_str())
    for tok in (bare, exported):  # as bench_export.speed: a base's padding (BERT's) would be counted too
        tok.no_padding()
        tok.no_truncation()
    return bare, exported


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=200, help="characters of each corpus, in thousands")
    ap.add_argument("--export", metavar="FAMILY", help="count route 3 on this family instead of route 2 on tekken")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing to count", file=sys.stderr)
        return 2
    import tst
    from benchmarks.bench_hf import route2_pair
    from benchmarks.pipeline_floor import floor_takes, ready_texts, units_floor

    started = time.monotonic()
    bare, plug = route2_pair() if args.export is None else export_pair(args.export)
    floor = units_floor(plug, tst.Codec(variant="vocab").vocabulary(), one_match_per_unit=True)
    route = "route 2" if args.export is None else f"route 3 ({args.export})"
    rows = [
        f"| corpus | characters | bare base (M instr.) | {route} (M instr.) "
        f"| {route} / bare (throughput: bare ÷ {route} instructions) | floor: units + a match each / bare |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(rows), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        child = d / "child.py"
        child.write_text(_CHILD)
        paths = {"bare": d / "bare.json", "route 2": d / "route2.json", "floor": d / "floor.json"}
        bare.save(str(paths["bare"]))
        plug.save(str(paths["route 2"]))
        floor.save(str(paths["floor"]))
        for name, texts in corpora(args.kb * 1000).items():
            if not texts:  # the real corpora need scikit-learn, matplotlib and their files
                print(f"| {name} | 0 | no text found: skipped |", flush=True)
                continue
            texts = floor_takes(plug, texts, name)
            data, ready = d / "texts.pkl", d / "ready.pkl"
            data.write_bytes(pickle.dumps(texts))
            made = ready_texts(plug, texts)
            if [e.ids for e in floor.encode_batch(made)] != [e.ids for e in plug.encode_batch(texts)]:
                raise AssertionError(f"{name}: the floor does not give {route}'s ids")
            ready.write_bytes(pickle.dumps(made))
            work = {k: instructions(p, ready if k == "floor" else data, child) for k, p in paths.items()}
            chars = sum(map(len, texts))
            rows.append(
                f"| {name} | {chars:,} | {work['bare'] / 1e6:,.0f} | {work['route 2'] / 1e6:,.0f} "
                f"| {work['bare'] / work['route 2']:.3f}x | {work['bare'] / work['floor']:.3f}x |"
            )
            print(rows[-1], flush=True)
    out = ROOT / "benchmarks" / "out" / f"instructions{'' if args.export is None else '-' + args.export}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(rows) + "\n")
    print("\n".join(rows))
    print(f"{time.monotonic() - started:.0f} s in all", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
