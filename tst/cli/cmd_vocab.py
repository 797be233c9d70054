"""``tst vocab``: the tokens a configuration adds, as lines or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from tst import __version__
from tst.cli.files import atomic_output
from tst.cli.options import add_codec_options, make_codec
from tst.vocabulary import vocabulary_size

EPILOG = """\
examples:
  tst vocab --variant marker                 # one token per line
  tst vocab --variant vocab --count          # just the number of tokens
  tst vocab --variant vocab --format json -o vocab.json
  tst encode --config vocab.json notes.txt   # the JSON file doubles as a codec config

The tokens are exactly the units the codec can emit (exact style) or the
paper's bare surface tokens (--style paper), in a stable order: add them to a
tokenizer in this order to get stable ids.
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``vocab``."""
    p = subparsers.add_parser(
        "vocab",
        help="print or export the tokens a configuration adds",
        description="Print or export the added vocabulary of a codec configuration.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="text: one token per line; json: settings + tokens"
    )
    p.add_argument("--count", action="store_true", help="print only the number of tokens")
    p.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="output file, written atomically (default: stdout)"
    )
    add_codec_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``vocab``."""
    codec = make_codec(args)
    if args.count:  # counted, not built: a wide range or group size means millions of tokens
        with atomic_output(args.output) as sink:
            sink.write(f"{vocabulary_size(codec.settings)}\n".encode())
        return 0
    tokens = codec.vocabulary()
    if args.format == "json":
        document = {"tst_version": __version__, "config": codec.config(), "size": len(tokens), "tokens": tokens}
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    else:
        text = "".join(t + "\n" for t in tokens)
    with atomic_output(args.output) as sink:
        sink.write(text.encode("utf-8"))
    if args.output != "-":
        print(f"tst vocab: {len(tokens):,} tokens written to {args.output}", file=sys.stderr)
    return 0
