"""A new user's first hour: errors that say what to do, and commands that cost only what they use.

Each test pins one papercut of issue 15. None needs an optional extra, so they
also run in the bare environments of .ci/run (where the extras are really absent).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tst
from tests.cli_support import CLI, cli_fixture  # noqa: F401  (the `cli` fixture)
from tests.strategies import CONFIGS, numerals, tst_text
from tst._extras import EXTRAS

ROOT = Path(__file__).resolve().parent.parent
FINANCE = ROOT / "examples" / "finance.txt"
#: Libraries that cost seconds and hundreds of MB to import; the codec and the CLI need none of them.
HEAVY = ("torch", "transformers", "tokenizers", "numpy", "pyarrow", "datasets", "pandas", "pyspark", "matplotlib")
TEXT = "In 2023 we sold 1,234 units at 12.5 each; 0.0045 were returned.\n"


def run_python(
    code: str, *args: str, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter that imports this checkout's `tst`."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=None if stdin is None else stdin.decode("utf-8"),
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


#: Runs `tst` in-process with sys.argv[1:], then prints the heavy modules it imported as a JSON list.
CLI_THEN_MODULES = f"""
import json, sys
from tst.cli import main
status = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({list(HEAVY)!r}))), file=sys.stderr)
sys.exit(status)
"""


def heavy_imports(stderr: str) -> list[str]:
    """The JSON list CLI_THEN_MODULES printed last on stderr."""
    got: list[str] = json.loads(stderr.strip().splitlines()[-1])
    return got


# -- decode: text of another variant or group size ------------------------------------------


@pytest.mark.parametrize(
    ("encoded_with", "decode_flags", "hint"),
    [
        (["--variant", "vocab"], [], "(the text decodes as the vocab variant: decode with --variant vocab)"),
        ([], ["--variant", "vocab"], "(the text decodes as the marker variant: decode with --variant marker)"),
        (["--group-size", "4"], [], "(the text decodes as group size 4: decode with --group-size 4)"),
        (
            ["--variant", "vocab", "--group-size", "4"],
            [],
            "(the text decodes as the vocab variant with group size 4: decode with --variant vocab --group-size 4)",
        ),
    ],
)
def test_decode_names_the_settings_the_text_was_encoded_with(
    cli: CLI, encoded_with: list[str], decode_flags: list[str], hint: str
) -> None:
    encoded = cli("encode", *encoded_with, stdin=TEXT.encode()).out
    r = cli("decode", *decode_flags, stdin=encoded)
    assert r.status == 2 and r.out == b""
    assert r.err.startswith("tst decode: error: <stdin>:1:") and r.err.endswith(hint + "\n")
    assert len(r.err.splitlines()) == 1
    fixed = decode_flags[:-2] if decode_flags else []
    flags = hint.split("decode with ")[1].rstrip(")").split()
    assert cli("decode", *fixed, *flags, stdin=encoded).text == TEXT


@pytest.mark.parametrize(
    ("encoded_with", "hint"),
    [
        (["--indian"], "(the text decodes with Indian grouping: decode with --indian)"),
        (
            ["--indian", "--variant", "vocab"],
            "(the text decodes as the vocab variant with Indian grouping: decode with --variant vocab --indian)",
        ),
    ],
)
def test_decode_names_indian_grouping(cli: CLI, encoded_with: list[str], hint: str) -> None:
    """Text encoded with Indian grouping on (the default before issue 13) names the flag that reads it."""
    text = "Rs 12,34,567 and 1,234 units\n"
    encoded = cli("encode", *encoded_with, stdin=text.encode()).out
    assert "⟦,2⟧".encode() in encoded
    r = cli("decode", stdin=encoded)
    assert r.status == 2 and r.out == b""
    assert r.err == f"tst decode: error: <stdin>:1:4: invalid TST: unknown unit '⟦,2⟧' {hint}\n"
    assert cli("decode", *hint.split("decode with ")[1].rstrip(")").split(), stdin=encoded).text == text
    with pytest.raises(tst.TSTDecodeError, match=r"decode with indian=True\)$"):
        tst.Codec().decode(tst.Codec(indian=True).encode(text))


def test_decode_hint_reaches_dataset_conversion(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "rows.jsonl"
    src.write_text(json.dumps({"text": tst.Codec(variant="vocab").encode("Paid 1,234.5 in 2023")}) + "\n", "utf-8")
    r = cli("convert", str(src), "--field", "text", "--decode")
    assert r.status == 2 and r.out == b""
    assert "decode with --variant vocab)" in r.err


def test_decode_hint_in_the_api(make_codec: Callable[..., tst.Codec]) -> None:
    encoded = tst.Codec(variant="vocab").encode(TEXT)
    with pytest.raises(tst.TSTDecodeError) as info:
        make_codec(variant="marker").decode(encoded)
    assert info.value.position == 3
    assert info.value.reason == (
        "unknown unit '⟦2k⟧' (the text decodes as the vocab variant: decode with variant='vocab')"
    )
    with pytest.raises(tst.TSTDecodeError) as batch:
        make_codec(variant="marker").decode_batch(["fine", encoded])
    assert batch.value.index == 1 and str(batch.value) == f"item 1: {info.value}"  # the batch names its item
    # Garbage that no configuration reads gets no hint; lenient decoding never raises.
    with pytest.raises(tst.TSTDecodeError) as garbage:
        make_codec().decode("⟦5⟧ ⟦zz⟧")
    assert garbage.value.reason == "digit group '5' is not followed by its marker"
    assert make_codec().decode(encoded, strict=False) == make_codec().decode(encoded, strict=False)


@given(text=st.lists(st.one_of(numerals(), tst_text()), min_size=1, max_size=4).map(" ".join), config=CONFIGS)
def test_other_variant_is_always_named(make_codec: Callable[..., tst.Codec], text: str, config: dict[str, Any]) -> None:
    """The kind: text of one variant decoded as the other names the variant whenever a number is in it."""
    encoder = make_codec(**config)
    other = make_codec(**{**config, "variant": "vocab" if config["variant"] == "marker" else "marker"})
    encoded = encoder.encode(text)
    if not encoder.numbers(text):
        assert other.decode(encoded) == text  # no unit of either variant: nothing to tell apart
        return
    with pytest.raises(tst.TSTDecodeError) as info:
        other.decode(encoded)
    assert info.value.reason.endswith(f": decode with variant={config['variant']!r})"), info.value.reason


# -- convert: nothing on stdout before an error found in the header ------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("t.csv", "id,text\n1,In 2023\n"),
        ("t.tsv", "id\ttext\n1\tIn 2023\n"),
        ("t.jsonl", '{"text": "In 2023"}\n'),
        ("t.json", '[{"text": "In 2023"}]'),
    ],
)
def test_convert_missing_field_writes_nothing(cli: CLI, tmp_path: Path, name: str, content: str) -> None:
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    r = cli("convert", str(src), "--field", "nope")
    assert r.status == 2 and r.out == b""
    assert "'nope'" in r.err
    # Records may lack a field (--allow-missing passes them through); a CSV header lacking the
    # column is a typo or a delimiter, and the flag would pass the whole file through unconverted.
    assert ("--allow-missing" in r.err) == (name.endswith((".jsonl", ".json")))
    assert cli("convert", str(src), "--field", "text").status == 0


# -- stats: no tokenizer, an empty directory, a tokenizer.json file ------------------------


def test_stats_without_a_tokenizer_counts_numbers_and_units(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text("Pay $1,234.5 now.\n\nIn 2023 we sold 17 units.\n", encoding="utf-8")
    for variant, units in (("vocab", [4, 2, 1]), ("marker", [7, 4, 2])):
        r = cli("stats", str(src), "--variant", variant, "--json")
        assert r.status == 0, r.err
        got = json.loads(r.text)
        assert (got["documents"], got["numbers"], got["tokenizer"]) == (2, 3, None)
        assert got["digits_per_number"]["total"] == 5 + 4 + 2
        assert got["units_per_number"]["total"] == sum(units)
        assert got["histogram_units_per_number"] == {str(k): units.count(k) for k in sorted(set(units))}
    table = cli("stats", str(FINANCE)).text
    assert "no tokenizer" in table and "TST units (token ids)" in table


def test_stats_imports_heavy_libraries_only_for_a_tokenizer(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_python(CLI_THEN_MODULES, "stats", str(FINANCE))
    numbers = len(tst.Codec().numbers(FINANCE.read_text(encoding="utf-8")))
    assert r.returncode == 0 and f", {numbers} numbers\n" in r.stdout
    assert heavy_imports(r.stderr) == []
    r = run_python(CLI_THEN_MODULES, "stats", str(FINANCE), "--tokenizer", str(tmp_path / "empty"))
    assert r.returncode == 2 and heavy_imports(r.stderr) == []
    message = r.stderr.strip().splitlines()[0]
    assert message.startswith(
        f"tst stats: error: no tokenizer found in {tmp_path / 'empty'} (looked for tokenizer.json"
    )
    assert len(r.stderr.strip().splitlines()) == 2  # the one-line message, then this test's module list


def test_stats_on_a_tokenizer_json_imports_tokenizers_only(tmp_path: Path) -> None:
    tokenizers = pytest.importorskip("tokenizers")
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel({"[UNK]": 0, "In": 1}, unk_token="[UNK]"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    tok.save(str(tmp_path / "tokenizer.json"))
    r = run_python(CLI_THEN_MODULES, "stats", str(FINANCE), "--tokenizer", str(tmp_path / "tokenizer.json"))
    assert r.returncode == 0, r.stderr
    assert "tokens per number: mean" in r.stdout
    assert heavy_imports(r.stderr) == ["tokenizers"]


# -- import tst.hf (and the other extras) without them --------------------------------------

#: Makes the named top-level modules unimportable, as if not installed, then runs sys.argv[1].
BLOCKED = """
import sys
blocked = set(sys.argv[2].split(","))
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Blocker())
try:
    exec(sys.argv[1])
except ImportError as exc:
    print(type(exc).__name__, exc.name, str(exc), sep="|")
else:
    print("imported")
"""


@pytest.mark.parametrize(
    ("statement", "blocked", "extra", "missing"),
    [
        ("import tst.hf", "tokenizers", "hf", "tokenizers"),
        ("import tst.hf", "transformers", "hf", "transformers"),
        ("import tst.model; tst.model.resize_embeddings", "torch", "model", "torch"),
        ("import tst.data.spark", "pyspark,pandas", "spark", None),
        ("import tst.data.arrow", "pyarrow", "data", "pyarrow"),
        ("import tst; tst.Codec().encode_arrow(['1'])", "pyarrow", "data", "pyarrow"),
    ],
)
def test_missing_extra_names_the_install_command(statement: str, blocked: str, extra: str, missing: str | None) -> None:
    r = run_python(BLOCKED, statement, blocked)
    kind, name, message = r.stdout.strip().split("|")
    assert kind == "ModuleNotFoundError", r.stdout + r.stderr
    top = name.split(".")[0]
    really_absent = importlib.util.find_spec(top) is None  # the bare environments of .ci/run lack them all
    assert top in EXTRAS[extra] and (top in blocked.split(",") or really_absent), name
    assert missing is None or top == missing or really_absent
    assert message.endswith(f'needs the {extra!r} extra ({top} is not installed): pip install "tst-tokenizer[{extra}]"')


def test_extras_in_step_with_pyproject() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the dev extra installs tomli on 3.10
        import tomli as tomllib
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    for extra, modules in EXTRAS.items():
        names = {req.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip() for req in declared[extra]}
        assert names == set(modules), extra
    assert set(declared) - {"dev"} == set(EXTRAS)


# -- tst --version -----------------------------------------------------------------------


def test_version_names_engine_and_versions() -> None:
    from importlib import metadata

    r = run_python(CLI_THEN_MODULES, "--version")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == f"tst {tst.__version__}"
    assert lines[1] == f"engine: {tst.backend()}" or lines[1].startswith("engine: python (")
    assert lines[2].startswith(f"python: {sys.version.split()[0]} (")
    expected = []
    for dist in ("tokenizers", "transformers"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            expected.append(f"{dist}: {metadata.version(dist)}")
    assert lines[3:] == expected
    assert heavy_imports(r.stderr) == []  # versions come from package metadata, not imports
    forced = subprocess.run(
        [sys.executable, "-m", "tst", "--version"],
        capture_output=True,
        text=True,
        env=dict(os.environ, TST_BACKEND="python", PYTHONPATH=str(ROOT)),
        timeout=60,
    )
    assert forced.stdout.splitlines()[1] == "engine: python (forced by TST_BACKEND=python)"


# -- a failing decode from a pipe exits cleanly -----------------------------------------


def test_error_while_reading_a_pipe_exits_with_status_2() -> None:
    """A reader thread blocked on stdin used to make CPython abort at exit (SIGABRT, status 134)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tst", "decode", "--block-size", "64"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stderr is not None
    line = ("⟦2k⟧ " + "a" * 54 + "\n").encode("utf-8")
    assert len(line) == 64  # exactly one block: the next read blocks while the writer stays open
    proc.stdin.write(line)
    proc.stdin.flush()
    try:
        status = proc.wait(timeout=60)
    finally:
        proc.stdin.close()
        err = proc.stderr.read().decode("utf-8")
    assert status == 2, err
    assert "Fatal Python error" not in err and "unknown unit '⟦2k⟧'" in err


@given(
    number=st.tuples(st.integers(1, 10**9), st.integers(0, 999)).map(
        lambda p: f"{p[0]:,}".replace(",", ".") + f",{p[1]}"
    )
)
def test_the_other_decimal_mark_is_named(make_codec: Callable[..., tst.Codec], number: str) -> None:
    """The kind: text encoded with the decimal comma and decoded with the default mark names the mark."""
    encoded = make_codec(variant="vocab", decimal=",").encode(f"Preis {number} EUR")
    with pytest.raises(tst.TSTDecodeError) as info:
        make_codec(variant="vocab").decode(encoded)
    assert info.value.reason.endswith("decode with decimal=',')")
