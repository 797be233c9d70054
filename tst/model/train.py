"""Train only the TST rows: gradient masks on the embedding matrices, or a PEFT config."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.utils.hooks import RemovableHandle

from tst.model._layout import Layout, inspect, weight_of
from tst.model.errors import VocabularyMismatchError


@dataclass
class NewTokenTraining:
    """Handle returned by `train_only_new_tokens`; `remove()` undoes it.

    Attributes:
        token_ids: the ids whose rows receive gradient.
        parameters: the only parameters left trainable (input embedding, and an
            untied head's weight and bias).
    """

    token_ids: tuple[int, ...]
    parameters: list[nn.Parameter]
    _hooks: list[RemovableHandle] = field(default_factory=list, repr=False)
    _requires_grad: list[tuple[nn.Parameter, bool]] = field(default_factory=list, repr=False)

    def param_groups(self, **options: Any) -> list[dict[str, Any]]:
        """Optimizer parameter groups with ``weight_decay=0``.

        The masks zero the gradient of every other row, which keeps them fixed
        under SGD and Adam(W), but decoupled weight decay would still shrink
        them: build the optimizer from these groups (extra `options`, such as
        ``lr``, are copied into the group).

        Example:
            >>> opt = torch.optim.AdamW(handle.param_groups(lr=1e-3))  # doctest: +SKIP
        """
        return [{**options, "params": list(self.parameters), "weight_decay": 0.0}]

    def remove(self) -> None:
        """Remove the gradient masks and restore every parameter's ``requires_grad``."""
        for hook in self._hooks:
            hook.remove()
        self._hooks.clear()
        for param, flag in self._requires_grad:
            param.requires_grad_(flag)
        self._requires_grad.clear()


def train_only_new_tokens(model: Any, tokenizer: Any) -> NewTokenTraining:
    """Freeze `model` except the rows of `tokenizer`'s TST tokens.

    Every parameter is frozen except the input embedding matrix and an untied
    output head (weight and bias); a gradient hook on each of those zeroes the
    gradient of every row that is not a TST id. Tied heads share one matrix, so
    one hook covers both uses. Call `resize_embeddings` first.

    Args:
        model: a `transformers.PreTrainedModel` already resized for `tokenizer`.
        tokenizer: a TST tokenizer (`tst.hf.wrap` / `tst.hf.load`).

    Returns:
        A `NewTokenTraining` handle (its `param_groups()` builds a safe optimizer).

    Raises:
        NotATSTTokenizerError, UnsupportedModelError, VocabularyMismatchError
        (the model has no rows for the TST ids yet).

    Example:
        >>> handle = train_only_new_tokens(model, tok)  # doctest: +SKIP
        >>> opt = torch.optim.AdamW(handle.param_groups(lr=1e-3))  # doctest: +SKIP
    """
    layout = _resized_layout(model, tokenizer)
    ids = tuple(sorted(layout.token_ids.values()))
    handle = NewTokenTraining(token_ids=ids, parameters=[])
    for param in model.parameters():
        handle._requires_grad.append((param, param.requires_grad))
        param.requires_grad_(False)
    trainable: list[torch.Tensor] = [layout.input_weight]
    head = layout.output
    if head is not None and not layout.tied:
        trainable.append(weight_of(head))
    bias = getattr(head, "bias", None) if head is not None else None
    if isinstance(bias, nn.Parameter):
        trainable.append(bias)
    for param in trainable:
        assert isinstance(param, nn.Parameter)
        mask = torch.zeros(param.shape[0], dtype=param.dtype, device=param.device)
        mask[torch.tensor(ids, dtype=torch.long, device=param.device)] = 1
        shape = (-1,) + (1,) * (param.dim() - 1)
        param.requires_grad_(True)
        handle._hooks.append(param.register_hook(_masker(mask.view(shape))))  # type: ignore[no-untyped-call]
        handle.parameters.append(param)
    return handle


def _masker(mask: torch.Tensor) -> Any:
    def hook(grad: torch.Tensor) -> torch.Tensor:
        if grad.is_sparse:
            raise TypeError("train_only_new_tokens does not support sparse embedding gradients")
        return grad * mask

    return hook


def peft_config_for_new_tokens(model: Any, tokenizer: Any) -> Any:
    """A PEFT ``TrainableTokensConfig`` that trains only the TST rows.

    PEFT keeps a separate delta for the chosen rows, so weight decay cannot
    touch the others, and the adapter saves as a few rows. It covers the input
    embedding and heads tied to it; for an untied output head, use
    `train_only_new_tokens` (PEFT would leave the head's new rows untrained).

    Example:
        >>> from peft import get_peft_model  # doctest: +SKIP
        >>> peft_model = get_peft_model(model, peft_config_for_new_tokens(model, tok))  # doctest: +SKIP

    Raises:
        ImportError: peft is not installed.
        VocabularyMismatchError: the model is not resized, or its head is untied.
    """
    from peft import TrainableTokensConfig

    layout = _resized_layout(model, tokenizer)
    if layout.output is not None and not layout.tied:
        raise VocabularyMismatchError(
            f"{type(model).__name__} has an untied output head; PEFT's trainable tokens would train only the input "
            "rows. Use tst.model.train_only_new_tokens(model, tokenizer) instead"
        )
    name = next(n for n, m in model.named_modules() if m is layout.input)
    return TrainableTokensConfig(token_indices=sorted(layout.token_ids.values()), target_modules=[name])


def _resized_layout(model: Any, tokenizer: Any) -> Layout:
    layout = inspect(model, tokenizer)
    if layout.rows < layout.needed_rows:
        raise VocabularyMismatchError(
            f"{type(model).__name__} has {layout.rows} embedding rows but the TST tokenizer needs "
            f"{layout.needed_rows}; call tst.model.resize_embeddings(model, tokenizer) first"
        )
    return layout
