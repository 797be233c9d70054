"""``tst export``: a plain tokenizer.json with TST built in (route 3 of the HF integration)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from tst._extras import install_hint
from tst.cli.options import CLIError, add_codec_options, codec_settings

EPILOG = """\
examples:
  tst export --tokenizer ./base-tokenizer -o ./tst-tokenizer --variant vocab
  python -c "from transformers import AutoTokenizer; print(AutoTokenizer.from_pretrained('./tst-tokenizer')('1,234.5'))"

The exported directory loads with stock `tokenizers` / `transformers` and no
`tst` import (what serving stacks need). What the tokenizer.json pipeline
cannot express is refused with an error; see docs/hf.md.
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``export``."""
    p = subparsers.add_parser(
        "export",
        help="write a plain tokenizer.json that applies TST with no tst import",
        description="Export a HuggingFace tokenizer with TST built into its tokenizer.json (tst.hf.export).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--tokenizer", required=True, metavar="DIR", help="base tokenizer directory (a fast tokenizer)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="directory to write")
    # A stock tokenizer can neither raise nor grow names: out-of-range numbers stay text.
    add_codec_options(p, overflows=("text",))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``export``."""
    try:
        import tst.hf as hf
    except ImportError as exc:
        raise CLIError(f"export needs the hf extra ({install_hint('hf')}): {exc}") from None
    export = getattr(hf, "export", None)
    if export is None:
        raise CLIError(
            "this build of tst has no native tokenizer.json export (tst.hf.export is missing); "
            "use tst.hf.wrap(...) and save_pretrained for now",
            status=1,
        )
    from tst.cli.tokenizers import load_base

    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise CLIError(f"-o {args.output} is a file: export writes a directory (tokenizer.json and its configs)")
    if os.path.isdir(args.tokenizer) and os.path.realpath(args.output) == os.path.realpath(args.tokenizer):
        raise CLIError(
            f"-o {args.output} is the --tokenizer directory: the export would overwrite its base; write elsewhere"
        )
    if _is_export(args.tokenizer):
        raise CLIError(
            f"{args.tokenizer} is a TST export already (its tokenizer_config.json holds tst_export): "
            "export the base tokenizer it was built from"
        )
    settings = codec_settings(args)
    if os.path.isfile(os.path.join(args.tokenizer, "tst_tokenizer.json")):
        # A saved route-1 tokenizer (save_pretrained of tst.hf.wrap): export its base with its codec.
        if settings:
            raise CLIError(
                f"{args.tokenizer} is a saved TST tokenizer with its own codec settings; drop the codec flags"
            )
        try:
            wrapped = hf.load(args.tokenizer)
        except Exception as exc:  # a broken directory raises whatever its loader raises
            raise CLIError(f"cannot load the TST tokenizer in {args.tokenizer}: {exc}") from None
        later = [t.content for i, t in sorted(wrapped.added_tokens_decoder.items()) if i >= wrapped.tst_base_vocab_size]
        later = [c for c in later if c not in wrapped.tst_token_ids]
        if later:
            # Their ids follow the TST units; an export puts units after the base's vocabulary, so it
            # could give these tokens neither their ids nor (left out) any id: refused, not dropped.
            shown = ", ".join(map(repr, later[:5])) + (", ..." if len(later) > 5 else "")
            raise CLIError(
                f"{args.tokenizer} holds {len(later)} token(s) added after wrapping ({shown}), whose ids follow "
                "the TST units: an export cannot keep those ids. Add them to the base before wrapping, then "
                "export that base"
            )
        base = wrapped.tst_base_tokenizer()
        settings = wrapped.tst_codec.config()
    else:
        base = load_base(args.tokenizer)
    variant = settings.pop("variant", "marker")
    try:
        written = export(base, args.output, variant=variant, **settings)
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise CLIError(f"cannot export: {exc}") from None
    print(f"tst export: wrote {written or os.path.join(args.output, 'tokenizer.json')}", file=sys.stderr)
    return 0


def _is_export(path: str) -> bool:
    """Whether `path` is a directory that `tst export` wrote (its tokenizer_config.json says so)."""
    try:
        with open(os.path.join(path, "tokenizer_config.json"), encoding="utf-8") as f:
            config = json.load(f)
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "tst_export" in config
