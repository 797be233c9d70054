"""Make the pure-Python fallback wheel (``py3-none-any``) from a release wheel built by maturin.

Usage: ``python scripts/pure_wheel.py dist/tst_tokenizer-<version>-cp310-abi3-<platform>.whl [-o dist]``

The result is the same package without the compiled engine: pip installs it only
where no binary wheel fits (an installer prefers the most specific tag it
supports, and any wheel over the sdist), and `tst` then runs its pure-Python
engine, which is the specification (docs/DECISIONS.md, "Installing where no
wheel fits"). Metadata, entry points and every Python file are the release
wheel's own; only the extension, the SBOM of its Rust dependencies and the
tags change. The `wheel` tool's ``unpack`` / ``pack`` do the archive work
(``pack`` rewrites RECORD).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXTENSION_SUFFIXES = (".so", ".pyd", ".dylib")


def make_pure_wheel(binary: Path, out_dir: Path) -> Path:
    """Write the ``py3-none-any`` twin of `binary` into `out_dir` and return its path."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "wheel", "unpack", "-d", str(work), str(binary)], check=True)
        (root,) = [p for p in work.iterdir() if p.is_dir()]
        package = root / "tst"
        removed = [p for p in package.iterdir() if p.name.startswith("_tst_rs.") and p.suffix in EXTENSION_SUFFIXES]
        if not removed:
            raise SystemExit(f"{binary.name} holds no compiled tst._tst_rs: is it a binary wheel?")
        for path in removed:
            path.unlink()
        (dist_info,) = root.glob("*.dist-info")
        shutil.rmtree(dist_info / "sboms", ignore_errors=True)  # describes the Rust crates just removed
        wheel_file = dist_info / "WHEEL"
        kept = [
            line
            for line in wheel_file.read_text(encoding="utf-8").splitlines()
            if not line.startswith(("Tag:", "Root-Is-Purelib:"))
        ]
        wheel_file.write_text("\n".join([*kept, "Root-Is-Purelib: true", "Tag: py3-none-any", ""]), encoding="utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "wheel", "pack", "-d", str(out_dir), str(root)], check=True)
    name, version = binary.name.split("-")[:2]  # {distribution}-{version}-{tags}.whl
    made = out_dir / f"{name}-{version}-py3-none-any.whl"
    if not made.is_file():
        raise SystemExit(f"wheel pack did not write {made}")
    return made


def main(argv: list[str] | None = None) -> int:
    """Command line: the binary wheel in, the pure wheel's path printed."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("wheel", type=Path, help="a binary wheel of tst-tokenizer built by maturin")
    p.add_argument("-o", "--out-dir", type=Path, default=None, help="where to write (default: beside the input)")
    args = p.parse_args(argv)
    print(make_pure_wheel(args.wheel, args.out_dir or args.wheel.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
