"""The real `tst` process: entry point, `python -m tst`, SIGTERM mid-write, broken pipe."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import tst

ROOT = Path(__file__).resolve().parent.parent
FINANCE = ROOT / "examples" / "finance.txt"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def test_python_dash_m_tst_encodes_the_example() -> None:
    p = subprocess.run(
        [sys.executable, "-m", "tst", "encode", "--variant", "vocab", str(FINANCE)],
        capture_output=True,
        env=env(),
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == tst.Codec(variant="vocab").encode(FINANCE.read_text(encoding="utf-8"))


def test_console_script_target_runs() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '\n[project.scripts]\ntst = "tst.cli:main"\n' in pyproject
    code = "import sys; from tst.cli import main; sys.exit(main())"
    p = subprocess.run(
        [sys.executable, "-c", code, "decode", "--variant", "vocab"],
        input="⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧\n".encode(),
        capture_output=True,
        env=env(),
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"1,234.5\n"
    installed = shutil.which("tst")
    if installed:  # CI installs the package: the generated script must behave the same
        p = subprocess.run([installed, "vocab", "--count"], capture_output=True, timeout=120)
        assert p.returncode == 0 and p.stdout == f"{len(tst.Codec().vocabulary())}\n".encode()


def test_sigterm_mid_write_leaves_no_output(tmp_path: Path) -> None:
    fifo = tmp_path / "input.fifo"
    os.mkfifo(fifo)
    out = tmp_path / "out.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tst", "encode", str(fifo), "-o", str(out), "--block-size", "64"],
        stderr=subprocess.PIPE,
        env=env(),
    )
    with open(fifo, "wb") as writer:
        writer.write(b"price 1,234.5\n" * 100)
        writer.flush()
        deadline = time.monotonic() + 60
        # Wait until the command is writing its temporary file, then stop it.
        while time.monotonic() < deadline:
            temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tst-partial")]
            if temps and temps[0].stat().st_size > 0:
                break
            time.sleep(0.05)
        else:
            proc.kill()
            pytest.fail("the command never started writing")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert f"terminated; {out} was not written".encode() in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.fifo"]


def test_broken_pipe_exits_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(FINANCE.read_bytes() * 2000)
    p = subprocess.run(
        f"{sys.executable} -m tst encode {big} | {sys.executable} -c 'import sys; sys.stdin.buffer.read(100)';"
        " echo ${PIPESTATUS[0]}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        env=env(),
        timeout=120,
    )
    assert p.stdout.strip() == b"141"
    assert b"Traceback" not in p.stderr and b"Broken pipe" not in p.stderr
