"""The ``tst`` command: encode/decode text, convert datasets, inspect tokenization.

``main(argv)`` parses, runs one subcommand and returns the exit status:
0 success, 2 bad input or usage (the message names file, line and column),
1 other failures (I/O), 130 interrupted, 141 broken pipe.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType

from tst import __version__
from tst.cli import cmd_convert, cmd_export, cmd_stats, cmd_text, cmd_vocab
from tst.cli.files import writes_in_place
from tst.cli.options import CLIError
from tst.errors import TSTError

EPILOG = """\
examples:
  tst encode examples/finance.txt
  tst encode --variant vocab report.txt -o report.tst && tst decode --variant vocab report.tst
  tst convert examples/chat.jsonl --messages -o chat.tst.jsonl
  tst convert train.parquet --field question --field answer -o train.tst.parquet
  tst stats examples/finance.txt --tokenizer ./my-tokenizer
  tst vocab --variant vocab --format json -o vocab.json

Run `tst COMMAND --help` for each command's options. Docs: docs/cli.md.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="tst",
        description="Triadic Suffix Tokenization: lossless, number-aware text encoding for language models.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action=_Version, help="print the version, the engine in use and the versions around it, then exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    cmd_text.add_parsers(sub)
    cmd_convert.add_parser(sub)
    cmd_stats.add_parser(sub)
    cmd_vocab.add_parser(sub)
    cmd_export.add_parser(sub)
    return parser


def version_text() -> str:
    """``tst --version``: tst, its engine, Python, and tokenizers/transformers when installed (not imported)."""
    from importlib import metadata

    from tst import _backend

    engine = _backend.BACKEND
    if engine == "python":
        forced = os.environ.get("TST_BACKEND", "").strip().lower() == "python"
        why = (
            "forced by TST_BACKEND=python"
            if forced
            else f"Rust extension not available: {_backend.rust_module_error()}"
        )
        engine = f"python ({why})"
    impl = sys.implementation.name
    lines = [
        f"tst {__version__}",
        f"engine: {engine}",
        f"python: {sys.version.split()[0]} ({'CPython' if impl == 'cpython' else impl}, {sys.platform})",
    ]
    for dist in ("tokenizers", "transformers"):
        with contextlib.suppress(metadata.PackageNotFoundError):  # not installed: not listed
            lines.append(f"{dist}: {metadata.version(dist)}")
    return "\n".join(lines)


class _Version(argparse.Action):
    """``--version``, computed only when asked for (package metadata lookups are not free)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        try:
            print(version_text(), flush=True)
        except BrokenPipeError:  # `tst --version | true`: the reader went away, as `main` handles it
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            parser.exit(141)
        parser.exit()


class _Terminated(BaseException):
    """SIGTERM arrived: unwind (removing partial outputs) and exit 143."""


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _nothing_written(args: argparse.Namespace) -> str:
    """What an interrupted command says of its output: files are written atomically, stdout as it goes."""
    output = getattr(args, "output", "-")
    if output in (None, "-") or writes_in_place(output):  # written as it goes: part of it may be there
        return ""
    return f"; {output} was not written"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tst`` command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    prog = f"tst {args.command}"
    try:
        with _sigterm_unwinds():
            status: int = args.run(args)
            return status
    except CLIError as exc:
        _error(prog, str(exc))
        return exc.status
    except TSTError as exc:  # DataError and codec errors: bad input
        _error(prog, _flags_for_settings(str(exc)))
        return 2
    except KeyboardInterrupt:
        _error(prog, "interrupted" + _nothing_written(args))
        return 130
    except _Terminated:
        _error(prog, "terminated" + _nothing_written(args))
        return 143
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as a killed-by-SIGPIPE tool would.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        _error(prog, f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}")
        return 1


#: The codec's settings hint ("decode with variant='vocab', group_size=4)"), see tst/_hints.py.
_SETTINGS_HINT = re.compile(r"decode with ((?:\w+=(?:'[^']+'|\d+|True)(?:, )?)+)\)")


def _flags_for_settings(message: str) -> str:
    """`message` with the codec's settings hint in command-line flags (``--variant vocab --indian``)."""

    def flag(key: str, value: str) -> str:
        name = "--" + key.replace("_", "-")
        return name if value == "True" else f"{name} {value.strip(chr(39))}"  # True: a store_true flag

    def flags(match: re.Match[str]) -> str:
        pairs = (item.split("=", 1) for item in match.group(1).split(", "))
        return "decode with " + " ".join(flag(k, v) for k, v in pairs) + ")"

    return _SETTINGS_HINT.sub(flags, message)


def _error(prog: str, message: str) -> None:
    print(f"{prog}: error: {message}", file=sys.stderr)
