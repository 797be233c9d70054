"""Run the `tst` command in-process with bytes on stdin and captured stdout/stderr."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import pytest

from tst.cli import main


@dataclass
class Result:
    """Exit status and captured streams of one `main([...])` call."""

    status: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")


class CLI:
    """Calls `tst.cli.main` with the given arguments and stdin bytes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[bytes]) -> None:
        self.monkeypatch = monkeypatch
        self.capfd = capfd

    def __call__(self, *args: str, stdin: bytes = b"") -> Result:
        self.capfd.readouterr()
        self.monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        status = main(list(args))
        sys.stdout.flush()
        captured = self.capfd.readouterr()
        return Result(status, captured.out, captured.err.decode("utf-8", "replace"))


@pytest.fixture(name="cli")
def cli_fixture(monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]) -> CLI:
    """The `tst` command, in-process."""
    return CLI(monkeypatch, capfdbinary)
