"""`resize_embeddings`: give every TST token a row, initialised by a chosen strategy."""

from __future__ import annotations

import warnings
from typing import Any

import torch
from torch import nn

from tst.model._layout import Layout, inspect, weight_of
from tst.model.compose import compose, tokenize_surfaces
from tst.model.report import ResizeReport
from tst.model.stats import NormStats
from tst.model.surfaces import recipe

#: Initialisation strategies for new rows.
INITS = ("composed", "mean", "random")


def resize_embeddings(
    model: Any, tokenizer: Any, init: str = "composed", pad_to_multiple_of: int | None = None
) -> ResizeReport:
    """Grow `model`'s embeddings (and output head) to `tokenizer`'s TST vocabulary.

    Every row a base-tokenizer id addresses stays bit-identical. The rows of the
    TST ids start from `init`:

    * ``"composed"`` (default): from the base tokenizer's own pieces of the
      token's surface (``⟦345k⟧`` from ``"345"`` and ``" thousand"``), rescaled
      to the norms of the rows they come from; an untied head composes its rows
      from its own rows (see docs/model.md for every surface);
    * ``"mean"``: transformers' own mean resizing (the baseline);
    * ``"random"``: the model's own initializer (transformers with ``mean_resizing=False``).

    Rows added only to reach `pad_to_multiple_of` start at the mean of the base
    rows (``"composed"``/``"mean"``) or random (``"random"``). A model that already
    has spare rows beyond its tokenizer (padded vocabularies) keeps its size if
    the TST ids fit; the spare rows they land on were unreachable and are
    initialised like new rows.

    Args:
        model: a `transformers.PreTrainedModel` (decoder-only, encoder-only or encoder-decoder).
        tokenizer: a TST tokenizer (`tst.hf.wrap` / `tst.hf.load`) built on this model's tokenizer.
        init: ``"composed"``, ``"mean"`` or ``"random"``.
        pad_to_multiple_of: round the new row count up to a multiple of this.

    Returns:
        A `ResizeReport`.

    Raises:
        NotATSTTokenizerError, UnsupportedModelError, VocabularyMismatchError,
        ValueError (bad `init` or `pad_to_multiple_of`).

    Example:
        >>> report = resize_embeddings(model, tok)  # doctest: +SKIP
        >>> report.rows_by_strategy  # doctest: +SKIP
        {'composed': 1128}
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {', '.join(map(repr, INITS))}, not {init!r}")
    if pad_to_multiple_of is not None and (
        not isinstance(pad_to_multiple_of, int) or isinstance(pad_to_multiple_of, bool) or pad_to_multiple_of < 1
    ):
        raise ValueError(f"pad_to_multiple_of must be a positive int or None, not {pad_to_multiple_of!r}")
    layout = inspect(model, tokenizer)
    base = layout.base_size
    rows_before = layout.rows
    target = max(rows_before, layout.needed_rows)
    if pad_to_multiple_of is not None:
        target = -(-target // pad_to_multiple_of) * pad_to_multiple_of
    input_before = NormStats.of(layout.input_weight[:base])
    untied = layout.output is not None and not layout.tied
    output_before = NormStats.of(_weight(layout.output)[:base]) if untied else None

    if target > rows_before:
        model.resize_token_embeddings(target, mean_resizing=(init == "mean"))
        layout = inspect(model, tokenizer)  # the modules may have been replaced

    ordered = sorted(layout.token_ids.items(), key=lambda kv: kv[1])
    ids = [i for _, i in ordered]
    tst_ids = set(ids)
    reused = [i for i in ids if i < rows_before]
    if ids and len(reused) == len(ids):
        warnings.warn(
            f"every TST id already has a row in this model ({rows_before} rows): resize_embeddings "
            f"initialises those rows again ({init!r}); if they were trained (a second call after "
            "fine-tuning), that is lost. For tokens added since, model.resize_token_embeddings(len(tokenizer)) "
            "keeps the rows there are",
            stacklevel=2,
        )
    filler = [r for r in range(rows_before, target) if r not in tst_ids]
    # Rows of tokens the tokenizer has beyond TST's (added after wrapping): initialised like padding.
    other = sum(1 for r in filler if r < len(tokenizer))
    counts: dict[str, int] = {}
    with torch.no_grad():
        if init == "composed":
            group_size = int(tokenizer.tst_codec.settings.group_size)
            recipes = [recipe(token, group_size) for token, _ in ordered]
            pieces = tokenize_surfaces(tokenizer.tst_base_tokenizer(), recipes, base)
            ok = _compose_into(layout, base, ids, filler, recipes, pieces)
            counts = {"composed": int(ok.sum()), "mean": int((~ok).sum()) + len(filler)}
        elif init == "mean":
            _fill_mean(layout, rows_before, reused)
            counts = {"mean": len(ids) + len(filler)}
        else:
            _fill_random(model, layout, reused)
            counts = {"random": len(ids) + len(filler)}

    index = torch.tensor(ids, dtype=torch.long, device=layout.input_weight.device)
    rows_after = layout.rows
    return ResizeReport(
        init=init,
        base_vocab_size=base,
        tst_tokens=len(ids),
        rows_before=rows_before,
        rows_after=rows_after,
        rows_added=rows_after - rows_before,
        reused_rows=len(reused),
        padding_rows=len(filler) - other,
        other_token_rows=other,
        rows_by_strategy={k: v for k, v in counts.items() if v},
        tied=layout.tied,
        has_output_head=layout.output is not None,
        input_before=input_before,
        input_new=NormStats.of(layout.input_weight[index]),
        output_before=output_before,
        output_new=NormStats.of(_weight(layout.output)[index]) if untied else None,
    )


def _weight(module: nn.Module | None) -> torch.Tensor:
    assert module is not None
    return weight_of(module)


def _bias(module: nn.Module | None) -> torch.Tensor | None:
    bias = getattr(module, "bias", None) if module is not None else None
    return bias if isinstance(bias, torch.Tensor) else None


def _matrices(layout: Layout) -> list[torch.Tensor]:
    """The row matrices to initialise: the input embedding, and an untied head."""
    out = [_weight(layout.input)]
    if layout.output is not None and not layout.tied:
        out.append(_weight(layout.output))
    return out


def _compose_into(
    layout: Layout, base: int, ids: list[int], filler: list[int], recipes: list[Any], pieces: Any
) -> torch.Tensor:
    """Write composed rows (and mean rows for fallbacks and padding); return the ok mask."""
    ok_all: torch.Tensor | None = None
    for weight in _matrices(layout):
        rows, ok = compose(weight[:base], recipes, pieces)
        mean = weight[:base].to(torch.float32).mean(dim=0).to(weight.dtype)
        rows[~ok] = mean
        index = torch.tensor(ids, dtype=torch.long, device=weight.device)
        weight[index] = rows
        if filler:
            weight[torch.tensor(filler, dtype=torch.long, device=weight.device)] = mean
        ok_all = ok if ok_all is None else ok_all & ok
    bias = _bias(layout.output)
    if bias is not None:
        b_rows, b_ok = compose(bias[:base, None], recipes, pieces, rescale=False)
        b_mean = bias[:base].to(torch.float32).mean().to(bias.dtype)
        b_rows[~b_ok] = b_mean
        bias[torch.tensor(ids, dtype=torch.long, device=bias.device)] = b_rows[:, 0]
        if filler:
            bias[torch.tensor(filler, dtype=torch.long, device=bias.device)] = b_mean
    assert ok_all is not None
    return ok_all.cpu()


def _fill_mean(layout: Layout, rows_before: int, reused: list[int]) -> None:
    """Spare rows reused by TST ids get the mean of the old rows, as transformers gives new ones."""
    if not reused:
        return
    for weight in _matrices(layout):
        index = torch.tensor(reused, dtype=torch.long, device=weight.device)
        weight[index] = weight[:rows_before].to(torch.float32).mean(dim=0).to(weight.dtype)
    bias = _bias(layout.output)
    if bias is not None:
        mean = bias[:rows_before].to(torch.float32).mean().to(bias.dtype)
        bias[torch.tensor(reused, dtype=torch.long, device=bias.device)] = mean


def _fill_random(model: Any, layout: Layout, reused: list[int]) -> None:
    """Spare rows reused by TST ids get fresh rows from the model's own initializer."""
    if not reused:
        return
    for k, weight in enumerate(_matrices(layout)):
        dim = weight.shape[1]
        fresh: nn.Module
        if k == 0:
            fresh = nn.Embedding(len(reused), dim, device=weight.device, dtype=weight.dtype)
        else:
            fresh = nn.Linear(dim, len(reused), bias=False, device=weight.device, dtype=weight.dtype)
        model._init_weights(fresh)
        weight[torch.tensor(reused, dtype=torch.long, device=weight.device)] = _weight(fresh)
    bias = _bias(layout.output)
    if bias is not None:
        bias[torch.tensor(reused, dtype=torch.long, device=bias.device)] = 0
