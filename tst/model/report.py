"""`ResizeReport`: what `resize_embeddings` did, for logs and tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tst.model.stats import NormStats


@dataclass(frozen=True)
class ResizeReport:
    """Outcome of `tst.model.resize_embeddings`.

    Attributes:
        init: the strategy asked for (``"composed"``, ``"mean"`` or ``"random"``).
        base_vocab_size: ids below this are the base tokenizer's; their rows are untouched.
        tst_tokens: TST token ids the tokenizer adds.
        rows_before / rows_after: input embedding rows before and after.
        rows_added: ``rows_after - rows_before``.
        reused_rows: TST ids that landed on spare rows the model already had
            (a model padded beyond its tokenizer); they are initialised like new rows.
        padding_rows: rows added only to reach ``pad_to_multiple_of`` (no token has them).
        other_token_rows: rows added for tokens of the tokenizer that are not TST's (added to it
            after wrapping, such as tool or chat tokens); initialised as padding rows are (mean).
        rows_by_strategy: how many initialised rows (TST, other tokens and padding) started
            from each strategy; ``"composed"`` rows whose surfaces had no usable
            base piece fall back to ``"mean"``.
        tied: the output head shares the input embedding matrix.
        has_output_head: the model has an output head (`get_output_embeddings`).
        input_before: norms of the base rows of the input embedding.
        input_new: norms of the TST rows after initialisation.
        output_before / output_new: the same for an untied output head, else None.
    """

    init: str
    base_vocab_size: int
    tst_tokens: int
    rows_before: int
    rows_after: int
    rows_added: int
    reused_rows: int
    padding_rows: int
    other_token_rows: int
    rows_by_strategy: Mapping[str, int]
    tied: bool
    has_output_head: bool
    input_before: NormStats
    input_new: NormStats
    output_before: NormStats | None
    output_new: NormStats | None

    def summary(self) -> str:
        """A few human-readable lines."""
        head = "tied" if self.tied else ("untied" if self.has_output_head else "none")
        strategies = ", ".join(f"{k}={v}" for k, v in sorted(self.rows_by_strategy.items()))
        lines = [
            f"init={self.init}: rows {self.rows_before} -> {self.rows_after} (+{self.rows_added}; "
            f"{self.tst_tokens} TST tokens, {self.reused_rows} reused spare rows, {self.padding_rows} padding"
            + (f", {self.other_token_rows} other added tokens" if self.other_token_rows else "")
            + ")",
            f"rows by strategy: {strategies}; output head: {head}",
            f"input norms: base {self.input_before.mean:.4g}±{self.input_before.std:.4g}, "
            f"new {self.input_new.mean:.4g}±{self.input_new.std:.4g}",
        ]
        if self.output_before is not None and self.output_new is not None:
            lines.append(
                f"head norms: base {self.output_before.mean:.4g}±{self.output_before.std:.4g}, "
                f"new {self.output_new.mean:.4g}±{self.output_new.std:.4g}"
            )
        return "\n".join(lines)
