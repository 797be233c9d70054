"""``tst stats``: tokens per number and per document, before and after TST.

Without ``--tokenizer`` it counts what the codec alone knows (digits and TST
units per number) and imports neither `tokenizers` nor `transformers`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator

from tst.cli.cmd_convert import EXTENSIONS
from tst.cli.files import refuse_compressed
from tst.cli.options import CLIError, add_codec_options, check_messages_key, codec_settings
from tst.codec import Codec
from tst.data.blocks import ERRORS
from tst.data.reading import iter_documents
from tst.data.selection import Selection

EPILOG = """\
examples:
  tst stats examples/finance.txt                    # numbers, digits and TST units; no tokenizer
  tst stats examples/finance.txt --tokenizer ./my-tokenizer
  tst stats examples/finance.txt --tokenizer ./my-tokenizer/tokenizer.json   # the file alone, no transformers
  tst stats examples/chat.jsonl --messages --tokenizer ./my-tokenizer --variant vocab --plot numbers.png
  tst stats train.parquet --field text --tokenizer ./tok --limit 10000 --json

A text file gives one document per non-empty line; a dataset one document per
record (its selected strings). "before" is the base tokenizer on the text;
"after" is the same tokenizer with the codec's units added as tokens (one id
each, as tst.hf.wrap does) on the encoded text. No special tokens are added.
A token counts for a number when its offsets overlap the number. Without
--tokenizer: digits and TST units per number (each unit is one token id).
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``stats``."""
    p = subparsers.add_parser(
        "stats",
        help="tokens per number and per document before/after TST for a tokenizer",
        description=(
            "Count tokens per number and per document with a HF tokenizer, before and after TST; "
            "without a tokenizer, digits and TST units per number."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", nargs="?", help="a text file, or a JSONL/JSON/CSV/TSV/Parquet dataset")
    p.add_argument(
        "--tokenizer",
        metavar="PATH",
        help="HF tokenizer directory (loaded as AutoTokenizer does, offline) or a tokenizer.json file (loaded as is)",
    )
    p.add_argument(
        "--format", choices=("text", "jsonl", "json", "csv", "tsv", "parquet"), help="default: from the extension"
    )
    p.add_argument(
        "--field", dest="fields", action="append", default=[], metavar="NAME", help="dataset text field (repeatable)"
    )
    p.add_argument(
        "--messages", nargs="?", const="messages", metavar="KEY", help="chat messages field (default: messages)"
    )
    p.add_argument(
        "--allow-missing", action="store_true", help="records lacking a selected field count with what they have"
    )
    p.add_argument(
        "--errors",
        choices=ERRORS,
        default="strict",
        help="invalid UTF-8 in a text format: stop with an error naming the line (strict, default), "
        "or read the bytes as lone surrogates (surrogateescape), as tst convert carries them",
    )
    p.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default ',' for csv, tab for tsv)")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N documents")
    p.add_argument("--json", action="store_true", help="print the statistics as JSON instead of a table")
    p.add_argument("--plot", metavar="FILE.png", help="write a histogram of tokens per number (needs matplotlib)")
    add_codec_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``stats``."""
    check_messages_key(args, "stats")
    if args.input is None:
        raise CLIError("stats needs an input file")
    if args.input == "-":
        raise CLIError("stats reads a file, not stdin: save the input to a file first")
    if not os.path.isfile(args.input):
        raise CLIError(f"cannot read {args.input}: no such file")
    refuse_compressed(args.input)
    fmt = args.format or EXTENSIONS.get(os.path.splitext(args.input)[1].lower(), "text")
    fmt = "text" if fmt is None else fmt
    selection = None
    if fmt != "text":
        try:
            selection = Selection(fields=tuple(args.fields), messages=args.messages)
        except ValueError as exc:
            raise CLIError(f"{fmt} data needs --field NAME and/or --messages ({exc})") from None
    elif args.fields or args.messages:
        raise CLIError("--field/--messages apply to datasets; a text file gives one document per line")
    if args.limit is not None and args.limit < 1:
        raise CLIError("--limit must be positive")
    if args.delimiter is not None and (fmt not in ("csv", "tsv") or len(args.delimiter) != 1):
        raise CLIError(f"--delimiter takes one character and applies to CSV/TSV, not {args.delimiter!r} on {fmt}")
    docs = iter_documents(
        args.input, fmt, selection, allow_missing=args.allow_missing, errors=args.errors, delimiter=args.delimiter
    )
    if args.limit is not None:
        docs = (d for k, d in enumerate(docs) if k < args.limit)
    if args.tokenizer is None:
        return _numbers_only(args, docs)
    from tst.cli.tokenizers import load_for_stats  # tokenizers and transformers: only when asked for
    from tst.data.token_stats import TokenCounter, format_table

    base, codec = load_for_stats(args.tokenizer, codec_settings(args))
    if args.errors == "surrogateescape":
        # A tokenizer takes valid text only: undecodable bytes count as U+FFFD, as `replace` decodes them.
        docs = ([_replaced(s) for s in doc] for doc in docs)
    stats = TokenCounter(base, codec).add(docs)
    title = f"{args.input} with {args.tokenizer} ({_described(codec)})"
    if args.json:
        print(
            json.dumps({"input": args.input, "tokenizer": args.tokenizer, "config": codec.config(), **stats.as_dict()})
        )
    else:
        sys.stdout.write(format_table(stats, title))
    if args.plot:
        series = {
            "before (base tokenizer)": stats.number_before.histogram(),
            "after (TST)": stats.number_after.histogram(),
        }
        _plot(args, series, "Tokens per number", "tokens per number")
    return 0


def _described(codec: Codec) -> str:
    """The variant, the group size and every other setting that is not its default (``decimal=','``)."""
    st = codec.settings
    config, default = codec.config(), Codec(variant=st.variant, decimal=st.decimal).config()
    others = [f"{k}={v!r}" for k, v in config.items() if k not in ("variant", "group_size") and v != default.get(k)]
    if st.decimal != ".":
        others.insert(0, f"decimal={st.decimal!r}")
    return ", ".join([f"{st.variant} variant", f"group size {st.group_size}", *others])


def _replaced(text: str) -> str:
    """`text` read with ``surrogateescape``, its undecodable bytes as U+FFFD (Python's ``replace``)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _numbers_only(args: argparse.Namespace, docs: Iterator[list[str]]) -> int:
    """``stats`` without a tokenizer: numbers, digits and TST units per number."""
    from tst.data.token_stats import NumberCounter, format_numbers_table

    try:
        codec = Codec(**codec_settings(args))
        counter = NumberCounter(codec)
    except (ValueError, TypeError) as exc:
        raise CLIError(f"invalid codec settings: {exc}") from None
    stats = counter.add(docs)
    if args.json:
        print(json.dumps({"input": args.input, "tokenizer": None, "config": codec.config(), **stats.as_dict()}))
    else:
        sys.stdout.write(format_numbers_table(stats, f"{args.input} ({_described(codec)}; no tokenizer)"))
    if args.plot:
        _plot(args, {"TST units": stats.units.histogram()}, "TST units per number", "TST units (token ids) per number")
    return 0


def _plot(args: argparse.Namespace, series: dict[str, dict[int, int]], title: str, xlabel: str) -> None:
    from tst.cli.plot import plot_histogram

    plot_histogram(series, args.plot, f"{title}: {os.path.basename(args.input)}", xlabel)
    print(f"tst stats: histogram written to {args.plot}", file=sys.stderr)
