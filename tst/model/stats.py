"""Row-norm statistics of embedding matrices, reported before and after a resize."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class NormStats:
    """Summary of the L2 norms of a set of embedding rows.

    Example:
        >>> NormStats.of(torch.tensor([[3.0, 4.0], [0.0, 1.0]]))
        NormStats(count=2, mean=3, std=2.828, min=1, max=5)
    """

    count: int
    mean: float
    std: float
    min: float
    max: float

    @classmethod
    def of(cls, rows: torch.Tensor) -> NormStats:
        """Statistics of the norms of `rows` (a 2-D tensor, one row per token)."""
        if rows.dim() != 2:
            raise ValueError(f"expected a 2-D tensor of rows, got shape {tuple(rows.shape)}")
        if rows.shape[0] == 0:
            return cls(0, float("nan"), float("nan"), float("nan"), float("nan"))
        norms = rows.detach().to(torch.float64).norm(dim=1)
        std = float(norms.std()) if norms.numel() > 1 else 0.0
        return cls(int(norms.numel()), float(norms.mean()), std, float(norms.min()), float(norms.max()))

    def __repr__(self) -> str:
        return (
            f"NormStats(count={self.count}, mean={self.mean:.4g}, std={self.std:.4g}, "
            f"min={self.min:.4g}, max={self.max:.4g})"
        )
