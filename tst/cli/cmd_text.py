"""``tst encode`` and ``tst decode``: plain text, streamed in constant memory."""

from __future__ import annotations

import argparse
import os
import sys

from tst.cli.files import atomic_output, input_size, open_input
from tst.cli.options import (
    CLIError,
    add_codec_options,
    add_io_options,
    byte_size,
    display_name,
    jobs_and_threads,
    make_codec,
)
from tst.cli.progress import Progress, wants_progress
from tst.data.blocks import BLOCK_SIZE
from tst.data.converter import TextConverter, counted
from tst.data.text import convert_text, convert_text_parallel

ENCODE_EPILOG = """\
examples:
  tst encode examples/finance.txt                   # to stdout
  tst encode --variant vocab notes.txt -o notes.tst # atomic write
  cat notes.txt | tst encode --group-size 4 > out.txt
  tst encode --decimal , --errors surrogateescape legacy.txt -o legacy.tst

Every number becomes units such as ⟦,3⟧⟦1m⟧⟦234k⟧⟦567⟧ (vocab variant) and
all other text is kept; `tst decode` with the same settings gives the input
back byte for byte.
"""

DECODE_EPILOG = """\
examples:
  tst decode notes.tst -o notes.txt
  tst encode --variant vocab in.txt | tst decode --variant vocab
  tst decode --lenient model_output.txt     # keep what cannot be read

Use the settings the text was encoded with (or --config FILE).
"""


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``encode`` and ``decode``."""
    for direction, epilog in (("encode", ENCODE_EPILOG), ("decode", DECODE_EPILOG)):
        verb = "Encode the numbers of" if direction == "encode" else "Decode TST text back to"
        p = subparsers.add_parser(
            direction,
            help="encode the numbers of plain text"
            if direction == "encode"
            else "decode TST text back to the original",
            description=f"{verb} plain text (a file or stdin), streaming in constant memory.",
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("input", nargs="?", default="-", help="input file (default: stdin, also '-')")
        add_io_options(p, output_help="output file, written atomically (default: stdout)")
        if direction == "decode":
            p.add_argument("--lenient", action="store_true", help="never fail: keep what cannot be decoded verbatim")
        p.add_argument(
            "--block-size",
            type=byte_size,
            default=BLOCK_SIZE,
            metavar="SIZE",
            help="bytes read at a time, e.g. 2M (default; memory is a few blocks plus the longest line)",
        )
        p.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="count lines and numbers (and those left as text, out of range), print the counts",
        )
        add_codec_options(p)
        p.set_defaults(run=run, direction=direction)


def refuse_parquet(path: str, direction: str) -> None:
    """A Parquet file (magic bytes ``PAR1``) is a dataset, not text: point to ``tst convert``."""
    if path == "-" or not os.path.isfile(path):
        return
    with open(path, "rb") as f:
        if f.read(4) != b"PAR1":
            return
    flag = " --decode" if direction == "decode" else ""
    raise CLIError(f"{path} is a Parquet file, not text: use tst convert {path} --field COLUMN{flag} -o OUT.parquet")


def run(args: argparse.Namespace) -> int:
    """Run ``encode`` / ``decode``."""
    codec = make_codec(args)
    jobs, threads = jobs_and_threads(args)
    try:
        converter = TextConverter(
            codec,
            args.direction,
            strict=not getattr(args, "lenient", False),
            num_threads=threads,
            count_numbers=args.verbose,
        )
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    name = display_name(args.input)
    refuse_parquet(args.input, args.direction)
    size = input_size(args.input)
    progress = Progress(name, size, wants_progress(args.progress, size, args.quiet))
    with open_input(args.input) as source, atomic_output(args.output) as sink:
        try:
            common = {"name": name, "errors": args.errors, "block_size": args.block_size, "on_read": progress.update}
            if jobs > 1:
                counts = convert_text_parallel(source, sink, converter, jobs, **common)
            else:
                counts = convert_text(source, sink, converter, **common)
        finally:
            progress.close()
    if args.verbose and not args.quiet:
        verb = "encoded" if args.direction == "encode" else "decoded"
        line = f"tst {args.direction}: {counted(counts.records, 'line')}, {counted(counts.numbers, 'number')} {verb}"
        if counts.out_of_range_summary():
            line += "; " + counts.out_of_range_summary()
        print(line, file=sys.stderr)
    return 0
