"""Which strings of a record to convert: named fields, chat messages, or both."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Selection:
    """The strings of a record that TST converts.

    A *field* holds a string, null, or a list of strings (each converted).
    *messages* names a list of chat messages (OpenAI style): every message's
    ``content`` is converted, whether it is a string or a list of parts (each
    part's ``"text"``); roles, tool calls and every other key stay as they are.

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
