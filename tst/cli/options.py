"""Command-line options shared by several subcommands, and the codec they describe."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from typing import Any

from tst.codec import Codec
from tst.data.blocks import ERRORS
from tst.settings import OVERFLOWS, STYLES, VARIANTS


class CLIError(Exception):
    """A problem to report in one line, with the exit status to return."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


#: Codec keyword -> its option's default (None means "the codec's default").
CODEC_OPTIONS = (
    "variant",
    "style",
    "group_size",
    "decimal",
    "separators",
    "indian",
    "int_digits",
    "frac_digits",
    "overflow",
)


def add_codec_options(parser: argparse.ArgumentParser, overflows: tuple[str, ...] = OVERFLOWS) -> None:
    """The codec settings, as flags (defaults are the codec's; ``--config`` can supply them).

    `overflows`: the ``--overflow`` choices the command takes (``tst export`` takes ``text`` only).
    """
    g = parser.add_argument_group("codec settings (defaults: the Codec defaults, or --config)")
    g.add_argument("--variant", choices=VARIANTS, help="marker: ⟦345⟧⟦k⟧ (default); vocab: fused ⟦345k⟧")
    g.add_argument("--style", choices=STYLES, help="exact (lossless, default) or paper (the paper's surface, lossy)")
    g.add_argument("--group-size", type=int, metavar="N", help="digits per group, 1..6 (default 3)")
    g.add_argument("--decimal", choices=(".", ","), help="decimal mark (default '.')")
    g.add_argument(
        "--separators",
        metavar="CHARS",
        help="thousands separators to recognise ('' for none; default depends on --decimal)",
    )
    g.add_argument(
        "--indian",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="recognise Indian grouping 12,34,567 (default: --no-indian)",
    )
    g.add_argument("--int-digits", type=int, metavar="N", help="integer digits in range (default 18)")
    g.add_argument("--frac-digits", type=int, metavar="N", help="fractional digits in range (default 15)")
    names = {"text": "text (default)", "extend": "extend", "error": "error"}
    g.add_argument(
        "--overflow", choices=overflows, help="numbers out of range: " + ", ".join(names[o] for o in overflows)
    )
    g.add_argument(
        "--config",
        metavar="FILE",
        help="JSON file of codec settings (e.g. from `tst vocab --format json`); flags override it",
    )


def codec_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Codec keyword arguments from ``--config`` and the flags given."""
    settings: dict[str, Any] = {}
    if getattr(args, "config", None):
        settings.update(read_config(args.config))
    for key in CODEC_OPTIONS:
        value = getattr(args, key, None)
        if value is not None:
            settings[key] = value
    return settings


def read_config(path: str) -> dict[str, Any]:
    """Codec settings from a JSON file: the settings object itself, or one under ``"config"``."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise CLIError(f"cannot read --config {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CLIError(f"--config {path} is not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        data = data["config"]
    if not isinstance(data, dict):
        raise CLIError(f"--config {path} must hold a JSON object of codec settings")
    unknown = sorted(set(data) - set(CODEC_OPTIONS))
    if unknown:
        raise CLIError(
            f"--config {path}: unknown codec settings {', '.join(unknown)} (known: {', '.join(CODEC_OPTIONS)})"
        )
    return dict(data)


def make_codec(args: argparse.Namespace) -> Codec:
    """The codec the options describe, or CLIError naming the bad setting."""
    try:
        return Codec(**codec_settings(args))
    except (ValueError, TypeError) as exc:
        raise CLIError(f"invalid codec settings: {exc}") from None


def add_io_options(parser: argparse.ArgumentParser, *, output_help: str) -> None:
    """``-o``, ``--errors``, ``--progress``, ``--threads``, ``--jobs`` and ``-q``."""
    parser.add_argument("-o", "--output", metavar="FILE", default="-", help=output_help)
    parser.add_argument(
        "--errors",
        choices=ERRORS,
        default="strict",
        help="invalid UTF-8 in the input: stop with an error naming the line (strict, default), "
        "or carry the bytes through unchanged (surrogateescape)",
    )
    parser.add_argument(
        "--progress",
        choices=("auto", "on", "off"),
        default="auto",
        help="progress bar on stderr: auto shows it for a file input when stderr is a terminal",
    )
    parser.add_argument(
        "--threads",
        type=_positive,
        metavar="N",
        help="threads of the Rust engine (default: all cores; 1 per job with --jobs)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_non_negative,
        default=1,
        metavar="N",
        help="worker processes for plain text and JSONL (default 1; 0: one per CPU); the output is the same",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def _int_at_least(minimum: int, what: str, low: str) -> Callable[[str], int]:
    """An argparse type: an int of at least `minimum`; errors say `what` was expected (`low` if too small)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, not {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {low}, not {value}")
        return value

    return parse


_positive = _int_at_least(1, "a positive integer", "a positive integer")
_non_negative = _int_at_least(0, "a number of jobs", "0 or more jobs")


def jobs_and_threads(args: argparse.Namespace) -> tuple[int, int | None]:
    """Worker processes and engine threads per process (one thread each when several jobs run)."""
    from tst.data.parallel import resolve_jobs

    jobs = resolve_jobs(args.jobs)
    threads: int | None = args.threads
    if jobs > 1 and threads is None:
        threads = 1
    return jobs, threads


def byte_size(text: str) -> int:
    """``4194304``, ``4M``, ``512k`` or ``1G`` as a byte count (argparse type)."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    t = text.strip().lower().removesuffix("ib").removesuffix("b")
    scale = units.get(t[-1:], 1)
    number = t[:-1] if t[-1:] in units else t
    try:
        value = int(float(number) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 4M or 65536, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"size must be positive, not {text!r}")
    return value


def display_name(path: str) -> str:
    """How a path appears in messages (``<stdin>`` for ``-``)."""
    return "<stdin>" if path == "-" else os.fspath(path)


def check_messages_key(args: argparse.Namespace, command: str) -> None:
    """Refuse a ``--messages`` KEY that is the input file, read as KEY because it came right after the flag.

    ``tst convert --messages chat.jsonl`` gives argparse no positional input (``-``, stdin) and the
    key ``chat.jsonl``; the errors that follow (stdin needs --format, no field 'chat.jsonl') do not
    say why.

    Raises:
        CLIError: when the input is missing and KEY names an existing file.
    """
    key = getattr(args, "messages", None)
    if key and args.input in (None, "-") and os.path.isfile(key):
        raise CLIError(
            f"--messages took {key!r} as the messages field: put the input first "
            f"(tst {command} {key} --messages ...) or write --messages=KEY"
        )
