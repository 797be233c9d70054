"""Concurrency: 8 Python threads give the serial results, and batches survive `fork`.

The Rust engine releases the GIL for every call, so threads really run at
once there; the batch calls share per-process rayon pools. A child made by
`fork` inherits those pools without their threads: the engine notices the new
process id and builds fresh pools, so batches in the child neither deadlock
nor touch the parent's. Every wait below has a timeout, so a deadlock fails
the test instead of hanging CI.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import tst
from tests.conftest import RUST

MakeCodec = Callable[..., tst.Codec]
THREADS = 8
TIMEOUT = 120

TEXTS = [
    f"row {k}: Pay ${k * 7919 % 100000:,}.{k % 100:02d} on 2024-01-{k % 28 + 1:02d}, v1.{k}.3 ⟦x⟧ é {k}e-{k % 9}\r\n"
    f"{'١٢٣ ' if k % 3 else ''}{k * 12345678901 % 10**15:,} and {k / 7:.6f} \ud800 {'1,' * (k % 13)}5"
    for k in range(96)
]
#: Big enough that batches run on the rayon pool (tst._tst_rs.PARALLEL_MIN_BYTES is 64 KiB).
BIG_BATCH = [t * 8 for t in TEXTS]


def work(codec: tst.Codec, text: str) -> tuple[Any, ...]:
    """Everything a caller does with one text."""
    encoded = codec.encode(text)
    return (
        encoded,
        codec.decode(encoded),
        codec.decode(encoded[: len(encoded) // 2] + "⟦k⟧⟦", strict=False),
        codec.encode_with_offsets(text),
        [(n.start, n.end, n.groups, n.separator) for n in codec.numbers(text)],
    )


def in_threads(fn: Callable[[int], Any], jobs: int) -> list[Any]:
    """Run fn(0..jobs) on 8 threads that start together."""
    start = threading.Barrier(THREADS)

    def task(k: int) -> Any:
        if k < THREADS:
            start.wait(timeout=TIMEOUT)
        return fn(k)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(task, range(jobs), timeout=TIMEOUT))


@pytest.mark.parametrize("variant", ["marker", "vocab"])
def test_one_codec_shared_by_8_threads(make_codec: MakeCodec, variant: str) -> None:
    codec = make_codec(variant=variant)
    serial = [work(codec, t) for t in TEXTS]
    assert in_threads(lambda k: work(codec, TEXTS[k % len(TEXTS)]), 4 * len(TEXTS)) == serial * 4


def runs_on_the_pool(batch: list[str]) -> bool:
    """True when the Rust engine spreads this batch over its pool (not when it stays on the caller)."""
    from tst import _tst_rs

    return sum(len(t.encode("utf-8", "surrogatepass")) for t in batch) >= int(_tst_rs.PARALLEL_MIN_BYTES)


def test_batches_from_8_threads(make_codec: MakeCodec, backend: str) -> None:
    codec = make_codec(variant="vocab")
    assert backend == "python" or runs_on_the_pool(BIG_BATCH)
    encoded = codec.encode_batch(BIG_BATCH, num_threads=1)
    assert encoded == [codec.encode(t) for t in BIG_BATCH]

    def batch(k: int) -> tuple[list[str], list[str]]:
        threads = [None, 1, 2, 3][k % 4]
        return codec.encode_batch(BIG_BATCH, num_threads=threads), codec.decode_batch(encoded, num_threads=threads)

    assert in_threads(batch, THREADS * 2) == [(encoded, BIG_BATCH)] * (THREADS * 2)


def _tiny_tokenizer() -> Any:
    """A byte-level BPE trained here in well under a second (no download)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=["<pad>"]
    )
    tok.train_from_iterator([t.replace("\ud800", "") for t in TEXTS] * 5, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>")


def test_hf_wrapped_tokenizer_shared_by_8_threads(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Calls that mix padding and truncation settings (transformers stores them on the shared backend)."""
    import tst.hf

    monkeypatch.setattr(tst._backend, "BACKEND", backend)
    tok = tst.hf.wrap(_tiny_tokenizer(), variant="marker")
    assert tok.tst_codec.backend == backend
    texts = [t.replace("\ud800", "") for t in TEXTS]  # the base tokenizer needs valid UTF-8

    def use(k: int) -> tuple[Any, ...]:
        k %= len(texts)
        enc = tok(texts[k], return_offsets_mapping=True)
        batch = tok(texts[k % 7 :: 7], padding=True, return_offsets_mapping=True)
        cut = tok(texts[k % 5 :: 5], truncation=True, max_length=16 + k % 9)
        ids = enc["input_ids"]
        offsets = enc["offset_mapping"], batch["offset_mapping"]
        return ids, tok.decode(ids), batch["input_ids"], cut["input_ids"], offsets

    serial = [use(k) for k in range(len(texts))]
    assert all(row[1] == t for row, t in zip(serial, texts))
    assert in_threads(use, 2 * len(texts)) == serial * 2


# -- fork -----------------------------------------------------------------------

_CHILD: dict[str, Any] = {}


def _child_batches(k: int) -> tuple[int, list[str], list[str]]:
    """In a forked child: the inherited codec's batches, on the pool and off it."""
    codec: tst.Codec = _CHILD["codec"]
    encoded = codec.encode_batch(BIG_BATCH, num_threads=2)
    return os.getpid(), encoded, codec.decode_batch(encoded, num_threads=[None, 2, 3][k % 3])


def _fork_and_check(codec: tst.Codec, children: int) -> None:
    expected = codec.encode_batch(BIG_BATCH, num_threads=1)
    _CHILD["codec"] = codec
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        results = pool.map_async(_child_batches, range(children)).get(timeout=TIMEOUT)
    for pid, encoded, decoded in results:
        assert pid != os.getpid()
        assert encoded == expected and decoded == BIG_BATCH


def test_batches_in_forked_children_after_the_parent_used_the_pool(make_codec: MakeCodec, backend: str) -> None:
    codec = make_codec(variant="marker")
    assert backend == "python" or runs_on_the_pool(BIG_BATCH)
    for threads in (None, 2, 3):  # the parent builds pools (Rust engine) before forking
        codec.encode_batch(BIG_BATCH, num_threads=threads)
    _fork_and_check(codec, children=6)
    assert codec.encode_batch(BIG_BATCH, num_threads=2) == codec.encode_batch(BIG_BATCH, num_threads=1)


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
def test_fork_while_other_threads_run_batches() -> None:
    """Forks land while parent threads are inside pool batches (the risky moment)."""
    codec = tst.Codec(variant="vocab", backend="rust")
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            codec.encode_batch(BIG_BATCH, num_threads=2)

    workers = [threading.Thread(target=busy, daemon=True) for _ in range(2)]
    for w in workers:
        w.start()
    try:
        for _ in range(3):
            _fork_and_check(codec, children=2)
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=TIMEOUT)


def _child_exit_code() -> None:
    """Process target in a forked child: exit 0 when a pool batch gives the serial result."""
    codec: tst.Codec = _CHILD["codec"]
    ok = codec.encode_batch(BIG_BATCH, num_threads=2) == _CHILD["expected"]
    os._exit(0 if ok else 3)


@pytest.mark.skipif(not RUST, reason="Rust extension tst._tst_rs is not built (pip install -e .)")
def test_fork_while_another_thread_builds_pools() -> None:
    """Forks land while a parent thread builds pools (new thread counts): the child must not wait for it.

    Before the pool cache stopped waiting on its lock, about one fork in four
    made a child that hung forever on the lock its parent's builder held.
    """
    codec = tst.Codec(variant="vocab", backend="rust")
    _CHILD.update(codec=codec, expected=codec.encode_batch(BIG_BATCH, num_threads=1))
    done = threading.Event()

    def build_pools() -> None:
        for threads in [*range(2, 40)] * 2:  # beyond the 8 cached pools: built again
            codec.encode_batch(BIG_BATCH, num_threads=threads)
        done.set()

    builder = threading.Thread(target=build_pools, daemon=True)
    builder.start()
    ctx = multiprocessing.get_context("fork")
    forks = 0
    while not done.is_set() or forks < 3:
        child = ctx.Process(target=_child_exit_code)
        child.start()
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
            pytest.fail("a child forked while pools were being built deadlocked")
        assert child.exitcode == 0
        forks += 1
    builder.join(timeout=TIMEOUT)
