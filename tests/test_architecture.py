"""The import directions of docs/ARCHITECTURE.md, checked by import-linter over the installed tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

import tst

ROOT = Path(__file__).resolve().parent.parent


def test_layers_and_forbidden_imports_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    # The contracts live in pyproject.toml ([tool.importlinter]); `tst` must be the checkout's.
    assert Path(tst.__file__).resolve().parent == ROOT / "tst"
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_every_layer_of_the_contract_is_a_module_that_exists() -> None:
    # A renamed module must not silently drop out of the contract.
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest's own dependency
        import tomli as tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    names = [n.strip() for layer in config["contracts"][0]["layers"] for n in layer.split("|")]
    for name in names:
        path = ROOT / Path(*name.split("."))
        assert path.is_dir() or path.with_suffix(".py").is_file() or os.path.exists(f"{path}.py"), name
