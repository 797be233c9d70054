"""Compose new embedding rows from the rows of the base tokenizer's own pieces.

For each new token, `tst.model.surfaces.recipe` names plain surfaces (``"345"``,
``" thousand"``) with weights. Each surface is tokenized by the *base*
tokenizer; its vector is the mean of its pieces' rows, except for digit
strings, whose pieces weigh 1, 1/2, 1/4, ... from the left (the leading digits
carry most of the value, and ``123`` must not equal ``321`` when a tokenizer
splits digits one by one). The token's row is the
weighted sum of its surfaces' vectors, rescaled to the weighted mean norm of the
rows it was built from: averaging shrinks a vector (its parts are far from
parallel), and rows much shorter than their peers get little attention and, in
a tied head, are rarely predicted. Tokens that still compose to the same row
(``1``, ``11`` and ``111`` with a digit-by-digit tokenizer) are told apart by a
small seeded perturbation, so that no two new tokens start identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from tst.model.surfaces import Recipe


@dataclass(frozen=True)
class Pieces:
    """Base-tokenizer ids of every distinct surface the recipes use.

    Attributes:
        surfaces: the distinct surfaces, in first-use order.
        ids: for each surface, the ids its vector averages (empty: unusable).
        weights: for each surface, the weight of each id (summing to 1).
    """

    surfaces: tuple[str, ...]
    ids: tuple[tuple[int, ...], ...]
    weights: tuple[tuple[float, ...], ...]

    def index(self) -> dict[str, int]:
        """Surface -> position in `surfaces`."""
        return {s: k for k, s in enumerate(self.surfaces)}


def tokenize_surfaces(base_tokenizer: Any, recipes: Sequence[Recipe], rows: int) -> Pieces:
    """Tokenize every surface once with the base tokenizer.

    Special tokens (``[UNK]`` included) carry no meaning of the surface and are
    dropped; pieces that are only whitespace (a SentencePiece ``▁`` before a
    word) are dropped when other pieces remain. Ids at or above `rows` are
    dropped too (they have no row to read).
    """
    surfaces = tuple(dict.fromkeys(s for r in recipes for s, _ in r.parts))
    if not surfaces:
        return Pieces((), (), ())
    encoded = base_tokenizer(list(surfaces), add_special_tokens=False)["input_ids"]
    special = {int(i) for i in base_tokenizer.all_special_ids}
    unique = sorted({int(i) for ids in encoded for i in ids} - special)
    blank = {i for i in unique if not base_tokenizer.decode([i]).strip()}
    out: list[tuple[int, ...]] = []
    weights: list[tuple[float, ...]] = []
    for surface, ids in zip(surfaces, encoded):
        kept = [int(i) for i in ids if int(i) not in special and int(i) < rows]
        solid = [i for i in kept if i not in blank] or kept
        out.append(tuple(solid))
        weights.append(piece_weights(len(solid), surface.isascii() and surface.isdigit()))
    return Pieces(surfaces, tuple(out), tuple(weights))


def piece_weights(n: int, digits: bool) -> tuple[float, ...]:
    """Weights of a surface's `n` pieces: equal, or halving from the left for digit strings."""
    raw = [0.5**k if digits else 1.0 for k in range(n)]
    total = sum(raw)
    return tuple(w / total for w in raw)


def compose(
    weight: torch.Tensor, recipes: Sequence[Recipe], pieces: Pieces, *, rescale: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows for `recipes` composed from `weight` (one row per base id).

    Args:
        weight: ``[rows, dim]`` matrix to read base rows from (input
            embeddings, an untied head, or a bias as ``[rows, 1]``).
        recipes: one per new token.
        pieces: `tokenize_surfaces` output for those recipes.
        rescale: set each composed row's norm to the weighted mean norm of
            the rows it averages (False for biases).

    Returns:
        ``(rows, ok)``: ``[len(recipes), dim]`` in `weight`'s dtype, and a bool
        mask of the recipes that had at least one usable piece (the others are
        zero rows; the caller fills them).
    """
    dim = weight.shape[1]
    device = weight.device
    src = weight.detach().to(torch.float32)
    n_surf = len(pieces.surfaces)
    surf_vec = torch.zeros(n_surf, dim, dtype=torch.float32, device=device)
    surf_norm = torch.zeros(n_surf, dtype=torch.float32, device=device)
    usable = torch.zeros(n_surf, dtype=torch.bool, device=device)
    for k, (ids, ws) in enumerate(zip(pieces.ids, pieces.weights)):
        if ids:
            rows = src[torch.tensor(ids, device=device)]
            piece_w = torch.tensor(ws, dtype=torch.float32, device=device)
            surf_vec[k] = piece_w @ rows
            surf_norm[k] = piece_w @ rows.norm(dim=1)
            usable[k] = True

    where = pieces.index()
    tok_idx: list[int] = []
    surf_idx: list[int] = []
    weights: list[float] = []
    for t, r in enumerate(recipes):
        for surface, part_w in r.parts:
            tok_idx.append(t)
            surf_idx.append(where[surface])
            weights.append(part_w)
    n_tok = len(recipes)
    ti = torch.tensor(tok_idx, dtype=torch.long, device=device)
    si = torch.tensor(surf_idx, dtype=torch.long, device=device)
    w_all = torch.tensor(weights, dtype=torch.float32, device=device) * usable[si].to(torch.float32)
    total = torch.zeros(n_tok, dtype=torch.float32, device=device).index_add_(0, ti, w_all)
    ok = total > 0
    w_norm = w_all / total[ti].clamp_min(1e-12)
    vec = torch.zeros(n_tok, dim, dtype=torch.float32, device=device)
    vec.index_add_(0, ti, surf_vec[si] * w_norm[:, None])
    if rescale:
        target = torch.zeros(n_tok, dtype=torch.float32, device=device).index_add_(0, ti, surf_norm[si] * w_norm)
        vec = vec * (target / vec.norm(dim=1).clamp_min(1e-12))[:, None]
    vec[~ok] = 0.0
    if rescale:
        vec = separate_duplicates(vec, ok)
    return vec.to(weight.dtype), ok


def separate_duplicates(rows: torch.Tensor, ok: torch.Tensor, scale: float = 0.02, seed: int = 0) -> torch.Tensor:
    """Perturb every row parallel to an earlier one by seeded noise of `scale` times its norm.

    Rows count as equal when their directions agree to about 1e-4 (float
    rounding makes ``1`` and ``1/2+1/4+1/4`` differ in the last bit). Uses its
    own generator, so the global torch RNG is untouched and every run agrees.
    """
    if rows.shape[0] < 2:
        return rows
    direction = rows / rows.norm(dim=1, keepdim=True).clamp_min(1e-12)
    _, inverse = torch.unique(torch.round(direction * 1e4), dim=0, return_inverse=True)
    first = torch.full((int(inverse.max()) + 1,), rows.shape[0], dtype=torch.long, device=rows.device)
    first.scatter_reduce_(0, inverse, torch.arange(rows.shape[0], device=rows.device), reduce="amin")
    dup = (first[inverse] != torch.arange(rows.shape[0], device=rows.device)) & ok
    if not bool(dup.any()):
        return rows
    gen = torch.Generator(device="cpu").manual_seed(seed)
    noise = torch.randn(rows.shape, generator=gen, dtype=torch.float32).to(rows.device)
    noise = noise / noise.norm(dim=1, keepdim=True) * rows.norm(dim=1, keepdim=True) * scale
    out = rows.clone()
    out[dup] = rows[dup] + noise[dup]
    return out
