"""Find the selected strings of a JSON record *in its text*, to rewrite only those bytes.

`json` parses values but forgets where they were; this walker follows the
record's structure with the C scanner of the standard library and records the
span of every string literal the `Selection` picks. Everything else (other
keys, spacing, number spellings, key order) is skipped over untouched, so a
converted record differs from its input only inside the converted strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from tst.data.selection import Selection, missing_content

_WS = re.compile(r"[ \t\n\r]*")
_WS_CHARS = frozenset(" \t\n\r")
_scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_dump_ascii = json.encoder.encode_basestring_ascii
_dump_utf8 = json.encoder.encode_basestring
# A \u escape of a code point that only ensure_ascii escapes (DEL or non-ASCII): the text was written so.
_ASCII_ESCAPE = re.compile(r"\\u(?!00[0-6][0-9a-fA-F]|007[0-9a-eA-E])[0-9a-fA-F]{4}")


@dataclass(frozen=True)
class Site:
    """One selected JSON string: ``text[start:end]`` is its literal, quotes included."""

    start: int
    end: int
    value: str
    path: str


class JSONProblem(Exception):
    """The text at `position` is not what the selection needs (or not JSON)."""

    def __init__(self, position: int, reason: str, syntax: bool = False) -> None:
        super().__init__(reason)
        self.position = position
        self.reason = reason
        self.syntax = syntax


@dataclass
class RecordSites:
    """What `RecordWalker.record` found: where the record ends, its sites, the keys present."""

    end: int
    sites: list[Site]
    present: set[str]


def skip_ws(text: str, i: int) -> int:
    """Index of the first non-whitespace character at or after `i`."""
    if text[i : i + 1] not in _WS_CHARS:  # most often: no whitespace at all
        return i
    if text[i + 1 : i + 2] not in _WS_CHARS:  # or a single space (json.dumps' separators)
        return i + 1
    m = _WS.match(text, i)
    assert m is not None
    return m.end()


#: Python's `json` messages (without their dangling "at") in our words: what is wrong, and the fix.
_JSON_REASONS = {
    "Unterminated string starting": "unterminated string: no closing quote on this line",
    "Invalid control character": "a raw control character (tab, newline) inside a string: escape it (\\t, \\n)",
    "Invalid \\escape": 'invalid escape inside a string: a backslash takes one of " \\ / b f n r t u',
    "Invalid \\uXXXX escape": "invalid \\uXXXX escape inside a string: \\u takes four hexadecimal digits",
    "Expecting value": "expected a JSON value",
}


def json_reason(exc: json.JSONDecodeError) -> str:
    """`exc`'s message as one of ours: a whole sentence, without its dangling "at" (our prefix gives the place)."""
    msg = exc.msg.removesuffix(" at")
    if msg in _JSON_REASONS:
        return _JSON_REASONS[msg]
    return msg[:1].lower() + msg[1:]


def skip_value(text: str, i: int) -> int:
    """End of the JSON value starting at `i` (JSONProblem if there is none)."""
    try:
        return int(_scan_once(text, i)[1])
    except StopIteration:
        if text.startswith("\ufeff", i):  # one at a line start inside a file: files joined with `cat`
            raise JSONProblem(i, "a byte order mark (U+FEFF) where a JSON value should start", syntax=True) from None
        raise JSONProblem(i, "expected a JSON value", syntax=True) from None
    except json.JSONDecodeError as exc:
        raise JSONProblem(exc.pos, json_reason(exc), syntax=True) from None


def kind_at(text: str, i: int) -> str:
    """JSON type name of the value starting at `i`, for messages."""
    c = text[i : i + 1]
    return {"{": "object", "[": "array", '"': "string", "t": "boolean", "f": "boolean", "n": "null"}.get(c, "number")


def ensure_ascii_style(text: str, default: bool = False) -> bool:
    """Whether rewritten strings of `text` should be written with ``\\u`` escapes, as its writer did."""
    if not text.isascii() or "\x7f" in text:  # a raw DEL: written without ensure_ascii (with it, \u007f)
        return False
    if _ASCII_ESCAPE.search(text):
        return True
    return default


_ESCAPE_PAIR = re.compile(r"\\.")


def escapes_solidus(text: str) -> bool:
    """Whether `text` (JSON) escapes a ``/`` as ``\\/``, as pandas' ``to_json`` and PHP's
    ``json_encode`` write every one (``json.dumps`` never escapes it)."""
    return "\\/" in text and any(m.group() == "\\/" for m in _ESCAPE_PAIR.finditer(text))


def dump_string(value: str, ensure_ascii: bool, escape_solidus: bool = False) -> str:
    """A JSON string literal for `value` (what ``json.dumps`` writes, without its overhead); with
    `escape_solidus`, each ``/`` as ``\\/`` (in the literal ``json`` writes, every ``/`` is one)."""
    literal = str(_dump_ascii(value) if ensure_ascii else _dump_utf8(value))
    return literal.replace("/", "\\/") if escape_solidus else literal


def splice(text: str, sites: list[Site], values: list[str], ensure_ascii: bool) -> str:
    """`text` with each changed site's literal replaced by its new value, in `ensure_ascii`'s style
    and in its old literal's: a literal that escaped ``/`` (`escapes_solidus`) escapes every one
    (encoding and decoding keep each ``/`` of a value, so the literal comes back byte for byte)."""
    parts: list[str] = []
    last = 0
    for site, new in zip(sites, values):
        if new == site.value:
            continue
        parts.append(text[last : site.start])
        parts.append(dump_string(new, ensure_ascii, escapes_solidus(text[site.start : site.end])))
        last = site.end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


class RecordWalker:
    """Walks JSON records and lists the string literals a `Selection` picks.

    Example:
        >>> w = RecordWalker(Selection(fields=("q",)))
        >>> found = w.record('{"id": 7, "q": "2+2?"}', 0)
        >>> [(s.start, s.end, s.value) for s in found.sites]
        [(15, 21, '2+2?')]
    """

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self._fields = frozenset(selection.fields)
        self.text = ""
        self.sites: list[Site] = []

    def record(self, text: str, i: int) -> RecordSites:
        """Walk the record (a JSON object) at `text[i]`."""
        self.text = text
        self.sites = []
        present: set[str] = set()
        if text[i : i + 1] != "{":
            if i >= len(text):
                raise JSONProblem(i, "expected a JSON value", syntax=True)
            skip_value(text, i)  # a syntax error wins over a type error
            raise JSONProblem(i, f"a record must be a JSON object, not {_a(kind_at(text, i))}")

        def visit(key: str, j: int) -> int:
            if key in self._fields:
                present.add(key)
                return self._field(j, key)
            if key == self.selection.messages:
                present.add(key)
                return self._messages(j, key)
            return skip_value(self.text, j)

        end = self._object(i, visit)
        return RecordSites(end, self.sites, present)

    # -- containers ---------------------------------------------------------

    def _object(self, i: int, visit: Callable[[str, int], int]) -> int:
        s = self.text
        i = skip_ws(s, i + 1)
        if s[i : i + 1] == "}":
            return i + 1
        while True:
            if s[i : i + 1] != '"':
                raise JSONProblem(i, "expected a property name in double quotes", syntax=True)
            key, i = self._string(i)
            i = skip_ws(s, i)
            if s[i : i + 1] != ":":
                raise JSONProblem(i, "expected ':' after a property name", syntax=True)
            i = visit(key, skip_ws(s, i + 1))
            i = skip_ws(s, i)
            c = s[i : i + 1]
            if c == ",":
                i = skip_ws(s, i + 1)
            elif c == "}":
                return i + 1
            else:
                raise JSONProblem(i, "expected ',' or '}' in an object", syntax=True)

    def _array(self, i: int, visit: Callable[[int, int], int]) -> int:
        s = self.text
        i = skip_ws(s, i + 1)
        if s[i : i + 1] == "]":
            return i + 1
        k = 0
        while True:
            i = skip_ws(s, visit(k, i))
            c = s[i : i + 1]
            if c == ",":
                i = skip_ws(s, i + 1)
                k += 1
            elif c == "]":
                return i + 1
            else:
                raise JSONProblem(i, "expected ',' or ']' in an array", syntax=True)

    def _string(self, i: int) -> tuple[str, int]:
        try:
            value, end = _scanstring(self.text, i + 1)
        except json.JSONDecodeError as exc:
            raise JSONProblem(exc.pos, json_reason(exc), syntax=True) from None
        return value, end

    def _site(self, i: int, path: str) -> int:
        value, end = self._string(i)
        self.sites.append(Site(i, end, value, path))
        return end

    # -- what the selection reads ------------------------------------------

    def _field(self, i: int, key: str) -> int:
        s = self.text
        c = s[i : i + 1]
        if c == '"':
            return self._site(i, key)
        if c == "[":

            def item(k: int, j: int) -> int:
                if s[j : j + 1] == '"':
                    return self._site(j, f"{key}[{k}]")
                return self._null_or(j, f"field {key!r}[{k}] must be a string or null")

            return self._array(i, item)
        return self._null_or(i, f"field {key!r} must be a string, a list of strings or null")

    def _messages(self, i: int, key: str) -> int:
        s = self.text
        if s[i : i + 1] != "[":
            return self._null_or(i, f"field {key!r} must be a list of chat messages")

        def message(k: int, j: int) -> int:
            if s[j : j + 1] != "{":  # null is no message and holds no text: kept, as a null content is
                return self._null_or(j, f"{key}[{k}] must be a message object or null")

            names: list[str] = []

            def member(name: str, m: int) -> int:
                names.append(name)
                if name == "content":
                    return self._content(m, f"{key}[{k}].content")
                return skip_value(s, m)

            end = self._object(j, member)
            reason = missing_content(names)
            if reason is not None:
                raise JSONProblem(j, f"{key}[{k}] {reason}")
            return end

        return self._array(i, message)

    def _content(self, i: int, path: str) -> int:
        s = self.text
        c = s[i : i + 1]
        if c == '"':
            return self._site(i, path)
        if c != "[":
            return self._null_or(i, f"{path} must be a string, a list of parts or null")

        def part(k: int, j: int) -> int:
            if s[j : j + 1] == '"':
                return self._site(j, f"{path}[{k}]")
            if s[j : j + 1] != "{":
                return skip_value(s, j)

            def member(name: str, m: int) -> int:
                if name != "text":
                    return skip_value(s, m)
                if s[m : m + 1] == '"':
                    return self._site(m, f"{path}[{k}].text")
                return self._null_or(m, f"{path}[{k}].text must be a string or null")

            return self._object(j, member)

        return self._array(i, part)

    def _null_or(self, i: int, reason: str) -> int:
        end = skip_value(self.text, i)
        if self.text.startswith("null", i):
            return end
        raise JSONProblem(i, f"{reason}, not {_a(kind_at(self.text, i))}")


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind
