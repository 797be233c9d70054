"""A/B throughput of two builds of the Rust engine in one process, on bench_codec.py's corpora.

Run: ``python benchmarks/bench_codec_ab.py OLD_SO [--new NEW_SO] [--size-mb 10] [--repeat 7]``.

For a change to the grammar or the encoder: build the old commit beside this one, e.g.
``git archive <base> | tar -x -C /tmp/old && (cd /tmp/old/rust_ext && cargo build --release
--features python)``, then pass ``/tmp/old/rust_ext/target/release/lib_tst_rs.so``. NEW_SO
defaults to this tree's ``tst/_tst_rs.abi3.so``.

Both extension modules are loaded side by side (each under its own package name, so each keeps
its own state) and driven through their ``Engine`` class with the same settings, so only the
compiled code differs. Each configuration is timed alternately, old then new then new then old,
best of --repeat runs in process CPU seconds (as bench_codec.py), so load on a shared machine
hits both alike. Each engine decodes its own encoding. The table gives MB of original text per
second and the ratio new/old; 1.00 means equal.
"""

from __future__ import annotations

import argparse
import gc
import importlib.machinery
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_codec import CORPORA, corpus  # noqa: E402
from tst.settings import Settings  # noqa: E402


def load(path: Path, package: str) -> ModuleType:
    """The extension module at `path`, as ``<package>._tst_rs`` (its init function is ``PyInit__tst_rs``)."""
    name = f"{package}._tst_rs"
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, str(path), loader=loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def engine(module: ModuleType, **kwargs: Any) -> Any:
    st = Settings(**kwargs)
    return module.Engine(
        st.variant,
        st.group_size,
        st.style,
        st.decimal,
        st.resolved_separators,
        st.indian,
        st.int_digits,
        st.frac_digits,
        st.overflow,
    )


def cpu_time(fn: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()
    try:
        t0 = time.process_time()
        fn()
        return time.process_time() - t0
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("old", type=Path, help="the old build's extension module (.so)")
    parser.add_argument("--new", type=Path, default=ROOT / "tst" / "_tst_rs.abi3.so")
    parser.add_argument("--size-mb", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--variants", default="marker,vocab")
    parser.add_argument("--indian", default="false,true", help="settings of `indian` to measure")
    parser.add_argument("--ops", default="encode,decode")
    parser.add_argument("--corpora", default=",".join(CORPORA), help="names of bench_codec.py's corpora")
    args = parser.parse_args(argv)
    mods = {"old": load(args.old, "ab_old"), "new": load(args.new, "ab_new")}
    size = int(args.size_mb * 1e6)
    print(f"{'corpus':<18} {'variant':<7} {'indian':<6} {'op':<7} {'old MB/s':>9} {'new MB/s':>9} {'new/old':>8}")
    ops = args.ops.split(",")
    for name in args.corpora.split(","):
        text = corpus(name, size)
        mb = len(text.encode("utf-8")) / 1e6
        for variant in args.variants.split(","):
            for indian in (x.strip() == "true" for x in args.indian.split(",")):
                engines = {k: engine(m, variant=variant, indian=indian) for k, m in mods.items()}
                encoded = {k: e.encode(text) for k, e in engines.items()}
                for k, e in engines.items():
                    assert e.decode(encoded[k]) == text
                best: dict[tuple[str, str], float] = {}
                order = ["old", "new", "new", "old"]
                for r in range(args.repeat):
                    for k in order[(r % 2) * 2 :] + order[: (r % 2) * 2]:
                        e = engines[k]
                        if "encode" in ops:
                            t = cpu_time(lambda e=e, t=text: e.encode(t))
                            best[(k, "encode")] = min(best.get((k, "encode"), float("inf")), t)
                        if "decode" in ops:
                            t = cpu_time(lambda e=e, t=encoded[k]: e.decode(t))
                            best[(k, "decode")] = min(best.get((k, "decode"), float("inf")), t)
                for op in ops:
                    old, new = mb / best[("old", op)], mb / best[("new", op)]
                    print(f"{name:<18} {variant:<7} {indian!s:<6} {op:<7} {old:9.1f} {new:9.1f} {new / old:8.3f}")
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
