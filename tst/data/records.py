"""Apply a `Selection` to records held as Python objects (dicts, lists, strings).

Used by the `datasets` map function and as the per-record path for Arrow data.
Nothing is modified in place: containers on the way to a converted string are
copied, everything else is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tst.data.selection import Selection, missing_content

#: A place holding a selected string: ``container[key]``.
Slot = tuple[Any, Any]


class SelectionError(Exception):
    """A selected value has the wrong shape; `path` says where inside the record."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


def field_slots(container: Any, key: Any, path: str, slots: list[Slot], paths: list[str] | None = None) -> None:
    """List the strings of the field ``container[key]`` in `slots` (copying a list value);
    `paths`, when given, gets each slot's path (``"answer"``, ``"tags[2]"``) for messages."""
    value = container[key]
    if value is None:
        return
    if isinstance(value, str):
        _add(slots, paths, (container, key), path)
        return
    if not isinstance(value, (list, tuple)):
        raise SelectionError(path, f"must be a string, a list of strings or null, not {_kind(value)}")
    items = list(value)
    container[key] = items
    for k, item in enumerate(items):
        if isinstance(item, str):
            _add(slots, paths, (items, k), f"{path}[{k}]")
        elif item is not None:
            raise SelectionError(f"{path}[{k}]", f"must be a string or null, not {_kind(item)}")


def messages_slots(container: Any, key: Any, path: str, slots: list[Slot], paths: list[str] | None = None) -> None:
    """List every message content of the chat ``container[key]`` in `slots` (copying on the way);
    `paths` as for `field_slots` (``"messages[1].content"``)."""
    value = container[key]
    if value is None:
        return
    if not isinstance(value, (list, tuple)):
        raise SelectionError(path, f"must be a list of chat messages, not {_kind(value)}")
    messages: list[dict[str, Any] | None] = []
    for k, message in enumerate(value):
        if message is None:  # no message and no text: kept, as a null content is (and as Arrow and Spark keep it)
            messages.append(message)
            continue
        if not isinstance(message, dict):
            raise SelectionError(f"{path}[{k}]", f"must be a message object or null, not {_kind(message)}")
        message = dict(message)
        if "content" in message:
            _content_slots(message, f"{path}[{k}].content", slots, paths)
        elif (reason := missing_content(list(message))) is not None:
            raise SelectionError(f"{path}[{k}]", reason)
        messages.append(message)
    container[key] = messages


def _content_slots(message: dict[str, Any], path: str, slots: list[Slot], paths: list[str] | None) -> None:
    content = message["content"]
    if content is None:
        return
    if isinstance(content, str):
        _add(slots, paths, (message, "content"), path)
        return
    if not isinstance(content, (list, tuple)):
        raise SelectionError(path, f"must be a string, a list of parts or null, not {_kind(content)}")
    parts = list(content)
    message["content"] = parts
    for k, part in enumerate(parts):
        if isinstance(part, str):
            _add(slots, paths, (parts, k), f"{path}[{k}]")
        elif isinstance(part, dict) and part.get("text") is not None:
            # A part's text is selected like content itself: a string, or null (an image part has none).
            if not isinstance(part["text"], str):
                raise SelectionError(f"{path}[{k}].text", f"must be a string or null, not {_kind(part['text'])}")
            parts[k] = dict(part)
            _add(slots, paths, (parts[k], "text"), f"{path}[{k}].text")


def _add(slots: list[Slot], paths: list[str] | None, slot: Slot, path: str) -> None:
    slots.append(slot)
    if paths is not None:
        paths.append(path)


def record_slots(
    record: Any, selection: Selection, slots: list[Slot], paths: list[str] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """A copy of `record` whose selected strings are listed in `slots` (their paths in `paths`, when
    given), and the selected keys it lacks."""
    if not isinstance(record, dict):
        raise SelectionError("record", f"must be an object, not {_kind(record)}")
    out = dict(record)
    missing = [key for key in selection.keys if key not in record]
    for key in selection.fields:
        if key in out:
            field_slots(out, key, key, slots, paths)
    if selection.messages is not None and selection.messages in out:
        messages_slots(out, selection.messages, selection.messages, slots, paths)
    return out, missing


def fill(slots: Sequence[Slot], values: Sequence[str]) -> None:
    """Write `values` into `slots`, in order."""
    for (container, key), value in zip(slots, values):
        container[key] = value


def read(slots: Sequence[Slot]) -> list[str]:
    """The strings currently in `slots`."""
    return [container[key] for container, key in slots]
