"""Which strings of a record to convert: named fields, chat messages, or both."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

#: Keys that let a chat message go without ``content``: an OpenAI assistant message that calls tools.
CONTENT_OPTIONAL = ("tool_calls", "function_call")


def missing_content(keys: Collection[str]) -> str | None:
    """Why a chat message with these keys is rejected for having no ``content``; None when it may lack one.

    Every message of a selected chat has a ``content`` (null when it has no text), except one
    that calls tools. A chat whose messages spell their text otherwise (ShareGPT's
    ``from``/``value``) would otherwise pass through unconverted, reported as 0 strings.
    """
    if "content" in keys or any(k in keys for k in CONTENT_OPTIONAL):
        return None
    hint = " (ShareGPT-style 'from'/'value' messages: rename 'value' to 'content')" if "value" in keys else ""
    listed = ", ".join(map(repr, keys)) or "none"
    return f"has no 'content' (keys: {listed}): a message needs one, null for no text{hint}"


@dataclass(frozen=True)
class Selection:
    """The strings of a record that TST converts.

    A *field* holds a string, null, or a list of strings (each converted).
    *messages* names a list of chat messages (OpenAI style): every message's
    ``content`` is converted, whether it is a string or a list of parts (each
    part's ``"text"``); roles, tool calls and every other key stay as they are.
    A message without a ``content`` key is an error (`missing_content`), except
    one with ``tool_calls`` or ``function_call``.

    Args:
        fields: names of top-level text fields (or columns).
        messages: name of the chat-messages field, or None.

    Example:
        >>> Selection(fields=("question", "answer")).keys
        ('question', 'answer')
        >>> Selection(messages="messages").keys
        ('messages',)
    """

    fields: tuple[str, ...] = ()
    messages: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.fields, str):
            raise TypeError("fields must be a sequence of names, not a single str")
        object.__setattr__(self, "fields", tuple(self.fields))
        if not self.fields and self.messages is None:
            raise ValueError("select at least one field or a messages field")
        if self.messages is not None and self.messages in self.fields:
            raise ValueError(f"{self.messages!r} is named both as a field and as the messages field")

    @property
    def keys(self) -> tuple[str, ...]:
        """Every top-level key the selection reads, fields first."""
        return self.fields + ((self.messages,) if self.messages is not None else ())

    def describe(self) -> str:
        """Human description for messages, e.g. ``"fields 'a', 'b' and messages 'm'"``."""
        parts = []
        if self.fields:
            parts.append(("field " if len(self.fields) == 1 else "fields ") + ", ".join(map(repr, self.fields)))
        if self.messages is not None:
            parts.append(f"messages {self.messages!r}")
        return " and ".join(parts)
