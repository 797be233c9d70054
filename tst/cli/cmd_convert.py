"""``tst convert``: the text fields of JSONL, JSON, CSV/TSV and Parquet datasets."""

from __future__ import annotations

import argparse
import os
import sys

from tst._extras import install_hint
from tst.cli.files import atomic_output, input_size, open_input, refuse_compressed
from tst.cli.options import (
    CLIError,
    add_codec_options,
    add_io_options,
    byte_size,
    check_messages_key,
    display_name,
    jobs_and_threads,
    make_codec,
)
from tst.cli.progress import Progress, wants_progress
from tst.data.blocks import BLOCK_SIZE
from tst.data.converter import Counts, TextConverter
from tst.data.csv_format import convert_csv
from tst.data.json_array import convert_json
from tst.data.jsonl import convert_jsonl
from tst.data.selection import Selection

FORMATS = ("jsonl", "json", "csv", "tsv", "parquet")
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
}

EPILOG = """\
examples:
  tst convert examples/chat.jsonl --messages -o chat.tst.jsonl
  tst convert train.jsonl --field question --field answer -o train.tst.jsonl
  tst convert train.parquet --messages conversation --variant vocab -o train.tst.parquet
  tst convert table.csv --field text -o table.tst.csv
  tst convert chat.tst.jsonl --messages --decode -o chat.jsonl   # the inverse
  cat data.jsonl | tst convert --format jsonl --field text > data.tst.jsonl

The output has the input's format. Only the selected strings change: other
fields, key order, spacing and record order are kept (JSONL, JSON and CSV keep
every other byte; Parquet keeps schema, metadata, row groups and compression).
A field may hold a string, a list of strings or null. --messages converts the
"content" of every chat message (a string, or a list of parts with "text").
Counts (records, strings, numbers) are printed to stderr at the end.
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``convert``."""
    p = subparsers.add_parser(
        "convert",
        help="encode (or --decode) the text fields of a JSONL/JSON/CSV/Parquet dataset",
        description="Encode (or decode) the selected text fields of a dataset, keeping everything else as it is.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", nargs="?", default="-", help="dataset file (default: stdin, needs --format)")
    p.add_argument("--format", choices=FORMATS, help="input and output format (default: from the file extension)")
    p.add_argument(
        "--field",
        dest="fields",
        action="append",
        default=[],
        metavar="NAME",
        help="a text field or column to convert (repeat for several)",
    )
    p.add_argument(
        "--messages",
        nargs="?",
        const="messages",
        metavar="KEY",
        help="convert chat messages (OpenAI style) held in KEY (default: messages)",
    )
    p.add_argument("--decode", action="store_true", help="decode TST back to the original text instead")
    p.add_argument(
        "--lenient", action="store_true", help="with --decode: keep what cannot be decoded instead of failing"
    )
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="drop records that cannot be converted (malformed JSON, a field of the wrong type, a string the codec "
        "rejects; counted and named) instead of failing; CSV that does not parse still fails",
    )
    p.add_argument(
        "--allow-missing",
        action="store_true",
        help="records lacking a selected field: convert the fields they have instead of failing",
    )
    p.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default ',' for csv, tab for tsv)")
    p.add_argument(
        "--ensure-ascii",
        action="store_true",
        help="JSON: write \\u escapes in rewritten strings of pure-ASCII lines (lines that already use "
        "escapes, or raw UTF-8, keep their style either way)",
    )
    p.add_argument(
        "--block-size",
        type=byte_size,
        metavar="SIZE",
        help=f"JSONL/CSV: bytes read at a time, e.g. 2M (default: {BLOCK_SIZE // 2**20}M)",
    )
    add_io_options(p, output_help="output file, written atomically (default: stdout; required for Parquet)")
    add_codec_options(p)
    p.set_defaults(run=run)


#: Options that act on some formats only, with those formats: given for another, they are refused
#: rather than ignored (a user who asked for escapes or a delimiter would otherwise not get them).
_FORMAT_OPTIONS = {
    "delimiter": ("--delimiter", ("csv", "tsv")),
    "ensure_ascii": ("--ensure-ascii", ("jsonl", "json")),
    "block_size": ("--block-size", ("jsonl", "csv", "tsv")),
}


def check_format_options(args: argparse.Namespace, fmt: str) -> None:
    """Refuse an option given for a format it does not act on (CLIError, exit status 2)."""
    for attr, (flag, formats) in _FORMAT_OPTIONS.items():
        if getattr(args, attr) not in (None, False) and fmt not in formats:
            raise CLIError(f"{flag} applies to {'/'.join(formats).upper()} data, not {fmt}")


def detect_format(path: str, given: str | None) -> str:
    """The dataset format: `given`, else from the extension."""
    if given:
        return given
    if path == "-":
        raise CLIError("reading stdin needs --format (jsonl, json, csv, tsv or parquet)")
    ext = os.path.splitext(path)[1].lower()
    if ext not in EXTENSIONS:
        raise CLIError(f"cannot tell the format of {path} from its extension; pass --format")
    return EXTENSIONS[ext]


#: Formats an output name may carry for each input format (JSON Lines are often named .json).
_SAME_KIND = {"jsonl": {"jsonl", "json"}, "json": {"json", "jsonl"}}


def check_output_name(path: str | None, fmt: str) -> None:
    """Refuse an output name whose extension names another format: convert keeps the input's."""
    if path in (None, "-"):
        return
    named = EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if named is not None and named not in _SAME_KIND.get(fmt, {fmt}):
        raise CLIError(
            f"-o {path} names a {named} file, but convert writes the input's format ({fmt}); "
            f"name the output with a {fmt} extension"
        )


def run(args: argparse.Namespace) -> int:
    """Run ``convert``."""
    check_messages_key(args, "convert")
    if args.input != "-" and os.path.isfile(args.input):
        refuse_compressed(args.input)  # before the extension (.gz) is reported as unknown
    fmt = detect_format(args.input, args.format)
    check_output_name(args.output, fmt)
    check_format_options(args, fmt)
    try:
        selection = Selection(fields=tuple(args.fields), messages=args.messages)
    except ValueError as exc:
        raise CLIError(f"{exc} (use --field NAME and/or --messages)") from None
    if fmt in ("csv", "tsv") and selection.messages is not None:
        raise CLIError("--messages needs JSONL, JSON or Parquet data; CSV cells are plain strings (use --field)")
    if args.lenient and not args.decode:
        raise CLIError("--lenient only applies with --decode")
    codec = make_codec(args)
    direction = "decode" if args.decode else "encode"
    jobs, threads = jobs_and_threads(args)
    if jobs > 1 and fmt != "jsonl":
        raise CLIError(f"--jobs applies to JSONL (records are lines); {fmt} is converted in one process")
    try:
        converter = TextConverter(codec, direction, strict=not args.lenient, num_threads=threads)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    name = display_name(args.input)
    if fmt == "parquet":
        counts = _parquet(args, converter, selection, name)
    else:
        counts = _text_format(args, fmt, converter, selection, name, jobs)
    if not args.quiet:
        print(f"tst convert: {name}: {counts.summary(direction)}", file=sys.stderr)
    return 0


def _text_format(
    args: argparse.Namespace, fmt: str, converter: TextConverter, selection: Selection, name: str, jobs: int
) -> Counts:
    size = input_size(args.input)
    progress = Progress(name, size, wants_progress(args.progress, size, args.quiet))
    common = {"name": name, "errors": args.errors, "skip_bad": args.skip_bad, "allow_missing": args.allow_missing}
    with open_input(args.input) as source, atomic_output(args.output) as sink:
        try:
            if fmt == "jsonl":
                return convert_jsonl(
                    source,
                    sink,
                    converter,
                    selection,
                    ensure_ascii=args.ensure_ascii,
                    on_read=progress.update,
                    jobs=jobs,
                    block_size=args.block_size or BLOCK_SIZE,
                    **common,
                )
            if fmt == "json":
                counts = convert_json(source, sink, converter, selection, ensure_ascii=args.ensure_ascii, **common)
                progress.update(size or 0)
                return counts
            delimiter = args.delimiter or ("\t" if fmt == "tsv" else ",")
            if len(delimiter) != 1:
                raise CLIError(f"--delimiter must be one character, not {delimiter!r}")
            return convert_csv(
                source,
                sink,
                converter,
                selection.fields,
                delimiter=delimiter,
                on_read=progress.update,
                block_size=args.block_size or BLOCK_SIZE,
                **common,
            )
        finally:
            progress.close()


def _parquet(args: argparse.Namespace, converter: TextConverter, selection: Selection, name: str) -> Counts:
    try:
        from tst.data.parquet import convert_parquet, parquet_size
    except ImportError:
        raise CLIError(f"Parquet needs pyarrow, from the data extra: {install_hint('data')}") from None

    if args.input == "-" or args.output == "-":
        raise CLIError("Parquet needs a file on both sides: give an input path and -o FILE")
    if args.errors != "strict":
        raise CLIError("--errors applies to text formats; Parquet strings are always valid UTF-8")
    if not os.path.isfile(args.input):
        raise CLIError(f"cannot read {args.input}: no such file")
    total = parquet_size(args.input) if args.progress != "off" else None
    progress = Progress(name, total, wants_progress(args.progress, total, args.quiet))
    with atomic_output(args.output) as sink:
        try:
            return convert_parquet(
                args.input,
                sink,
                converter,
                selection,
                name=name,
                skip_bad=args.skip_bad,
                allow_missing=args.allow_missing,
                on_read=progress.update,
            )
        finally:
            progress.close()
