"""Regex rules that spell TST with stock `tokenizers` components (route 3).

`build_rules(settings)` returns the whole recipe of the exported tokenizer: the
`normalizers.Replace` steps that write the TST surface, the `decoders.Replace`
steps (after `Fuse`) that read it back, and the units to register as added
tokens. Everything is an Oniguruma regex and a constant replacement, so stock
`tokenizers` runs it with no `tst` import. docs/hf.md ("Route 3") explains the
design; `tst.hf.export.covers` says, per text, whether it matches route 1.

**What the normalizer writes.** Not the route-1 surface itself but the same
surface with every ``⟦`` that opens a digit group dropped (``⟦,3⟧12m⟧345k⟧678⟧``
for route 1's ``⟦,3⟧⟦12m⟧⟦345k⟧⟦678⟧``). `tokenizers` normalizes the content of
every ``normalized=True`` added token with the same normalizer before matching
it, and the last rule drops that ``⟦`` from a string that is one unit, so the
units match exactly there and the ids are route 1's. Each group is then closed
by one insertion and never opened: a mark holding every name its group could
have, which the last pass cuts down to the group's own name (one or two
deletions), so a number costs two or three regex matches per group whatever
the digit limits.

**How the passes find numbers.** One pass, the *lexer*, mirrors the scan of
`tst._grammar.find_numbers`: it walks the text token by token (text words with
their ``.word`` continuations, numerals that turn out to be text, single
punctuation) with ``\\G`` anchoring each search where the previous match ended,
and marks the end of the integer part of every number it accepts (range,
groupings judged as a whole, glued words, hexadecimal, chains). Every later
pass anchors on what an earlier one wrote (``⟧``, a tag, a depth marker), so it
needs only the local shape of the number. The lexer restarts after any
character that no token can contain (spaces, most punctuation); from ``\\G`` it
skips to the next cluster that holds a number within one match attempt
(`_Builder.skip`), where Oniguruma's search would call its matcher at every
position. It gives up inside a cluster after `LEXER_MAX_TOKENS` tokens without
a number, and skips a bounded stretch: Oniguruma
aborts a match attempt after 10^7 backtracking steps (`tokenizers` then
panics), so no attempt may scan an unbounded stretch.

**Invariants.** A string that is exactly one unit comes out as that unit with
its leading ``⟦`` dropped (digit units) or unchanged (tags, markers). No rule
uses ``\\d`` or ``\\w`` (Oniguruma's are Unicode-aware): word characters are the
frozen Unicode 14.0 tables of `tst._unicode_tables`, spelled out as classes (their characters
written as themselves, `_class_char`: each class about six times shorter than escaped).
Every quantifier that could meet an unbounded run is possessive or bounded,
which keeps each pass linear in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tst._grammar import HEX_WORD_MIN
from tst._unicode_tables import NUMERIC_RANGES, UNSPACED_RANGES, WORD_RANGES
from tst.settings import Settings
from tst.spelling import CLOSE as C
from tst.spelling import (
    EXPONENT,
    FRACTION,
    TAG_INDIAN,
    TAG_WESTERN,
    UNITS_MARKER,
    frac_name,
    frac_name_pattern,
    int_name,
    int_name_pattern,
    tag_mark_pattern,
    unit_content_pattern,
)
from tst.spelling import OPEN as O

#: Tokens the lexer walks inside one cluster (no space or other hard character) before giving up.
LEXER_MAX_TOKENS = 200
#: Clusters the lexer's skip (see `_Builder.skip`) passes in one match attempt: digit-free ones per
#: stretch, and stretches (each ending at a cluster with a digit but no number).
SKIP_PLAIN_CLUSTERS = 1024
SKIP_DIGIT_CLUSTERS = 256
#: Separator-joined groups a grouping is checked over; longer runs stay text in route 3.
MAX_GROUPS = 40
#: Oniguruma's largest repetition count (ONIG_MAX_REPEAT_NUM).
_MAX_REPEAT = 100_000
#: The exponent letter, written so that Oniguruma's search optimizer takes no start hint from
#: it. Measured (docs/DECISIONS.md 40): with a plain ``[eE]`` in the lexer's exponent branches
#: the lexer took twice the time on English prose (``e`` is its most frequent letter) for the
#: same matches; an alternative that can never match, ``(?!)``, leaves the optimizer no class
#: to build a hint from. Same language: ``(?:[eE]|(?!))`` matches exactly what ``[eE]`` does.
_EXP_LETTER = "(?:[eE]|(?!))"

#: What separates the names in a mark not yet named (`_Builder.int_mark`, `_Builder.frac_mark`),
#: written ␟ in docstrings; the names pass deletes every one. The unit separator (U+001F): one
#: byte, which measured cheaper than a three-byte noncharacter (each mark is copied by every later
#: pass), and rare in text, which Oniguruma's search for it alone skips. Text that holds it is
#: safe: the names pass deletes only inside a mark's exact shape, after a digit and before ``⟧``,
#: which an escaped bracket never gives.
_NAME_JOIN = "\x1f"

#: A hexadecimal digit, and the widths of a UUID's parts (RFC 9562; `tst._grammar.uuid_end`).
_HEX = "[0-9A-Fa-f]"
_UUID_WIDTHS = (8, 4, 4, 4, 12)

Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Rule:
    """One `Replace` step: every match of `pattern` (Oniguruma syntax) becomes `content`."""

    name: str
    pattern: str
    content: str


@dataclass(frozen=True)
class NativeRules:
    """The route-3 recipe for one codec configuration.

    Attributes:
        normalizer: `normalizers.Replace` steps, in order (after the base normalizer).
        decoder: `decoders.Replace` steps, in order (after the base decoder and `Fuse`).
    """

    normalizer: tuple[Rule, ...]
    decoder: tuple[Rule, ...]


@dataclass(frozen=True)
class Grammar:
    """Which revision of the number grammar the rules follow (docs/SPEC.md 2.4-2.5).

    The default is the grammar of `tst.Codec` today; the switches exist so the rules
    can be diffed against an engine of the earlier revision (before issue 13).

    Attributes:
        whole_runs: groupings are judged on the whole separator-joined run: a run
            never starts a grouping after its separator and a digit, inside a chain
            or with a leading ``0``.
        iso_datetime: the ``T`` of ``2024-01-15T10:30`` does not glue the day and the hour.
    """

    whole_runs: bool = True
    iso_datetime: bool = True


def normalized_unit(unit: str) -> str:
    """How a unit reads after the route-3 normalizer: a digit group loses its opening bracket.

    Example:
        >>> normalized_unit("⟦12k⟧"), normalized_unit("⟦,3⟧"), normalized_unit("⟦k⟧")
        ('12k⟧', '⟦,3⟧', '⟦k⟧')
    """
    return unit[1:] if unit[:1] == O and unit[1:2].isdigit() else unit


def normalized_surface(surface: str) -> str:
    """Route 1's surface as the route-3 normalizer writes it (every digit unit without its ``⟦``).

    Example:
        >>> normalized_surface("⟦,3⟧⟦1k⟧⟦234⟧ and ⟦⟦⟧5")
        '⟦,3⟧1k⟧234⟧ and ⟦⟦⟧5'
    """
    out = []
    k = 0
    n = len(surface)
    while k < n:
        c = surface[k]
        if c == O and k + 1 < n and "0" <= surface[k + 1] <= "9":
            k += 1
            continue
        out.append(c)
        k += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Character classes


def _hex(cp: int) -> str:
    return f"\\x{{{cp:x}}}"


def _lit(text: str) -> str:
    """`text` as an Oniguruma literal (every character but ASCII letters and digits escaped)."""
    return "".join(c if c.isascii() and c.isalnum() else _hex(ord(c)) for c in text)


#: Code points a class writes escaped though they are not ASCII: C1 controls and the no-break
#: space, the soft hyphen, spaces, zero-width and bidirectional formats, line and paragraph
#: separators, the byte order mark, surrogates, private use, the specials block, and everything
#: from plane 14 on (tags, variation selectors, supplementary private use).
_ESCAPED_IN_CLASS: Ranges = (
    (0x80, 0xA0),
    (0xAD, 0xAD),
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x206F),
    (0x3000, 0x3000),
    (0xD800, 0xF8FF),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFF0, 0xFFFF),
    (0xE0000, 0x10FFFF),
)


def _class_char(cp: int) -> str:
    """One end of a class range: a visible non-ASCII character as itself, anything else escaped.

    The word classes hold about 700 ranges and the lexer about 400 classes: written as
    themselves, their characters take 2-4 bytes where ``\\x{...}`` takes 7-9, which keeps the
    pattern (and a saved tokenizer.json) several times smaller and quicker to load. Inside a
    class only ASCII characters are special to Oniguruma; controls, spaces, formats and the
    like (`_ESCAPED_IN_CLASS`, a fixed list, so the pattern is the same on every Python) stay
    escaped so the pattern reads and copies safely.
    """
    if cp < 0x80 or any(a <= cp <= b for a, b in _ESCAPED_IN_CLASS):
        return _hex(cp)
    return chr(cp)


def _ranges_body(ranges: Ranges) -> str:
    return "".join(_class_char(a) if a == b else f"{_class_char(a)}-{_class_char(b)}" for a, b in ranges)


def _merge(ranges: list[tuple[int, int]]) -> Ranges:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _minus(ranges: Ranges, remove: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        pieces = [(a, b)]
        for x, y in remove:
            nxt = []
            for p, q in pieces:
                if y < p or x > q:
                    nxt.append((p, q))
                    continue
                if p < x:
                    nxt.append((p, x - 1))
                if y < q:
                    nxt.append((y + 1, q))
            pieces = nxt
        out.extend(pieces)
    return _merge(out)


def _chars(chars: str) -> Ranges:
    return _merge([(ord(c), ord(c)) for c in chars])


def _cls(ranges: Ranges, negate: bool = False) -> str:
    return ("[^" if negate else "[") + _ranges_body(ranges) + "]"


_DIGITS: Ranges = ((0x30, 0x39),)


# ---------------------------------------------------------------------------------------------
# The normalizer


def _after_run(before: str, longest: int, negate: bool = False) -> str:
    """The lookbehind ``(?<=before[0-9]{1,longest})`` (``(?<!...)`` with `negate`), cheap on short runs.

    `before` must end with a character that is no ASCII digit, so the digits it looks back
    over are the whole digit run before the position and the run's length picks the one
    length that can match. Oniguruma tries a variable-length lookbehind at every length up to
    the longest: about 330 ns per test at 18 digits where it fails, against 180 ns for this
    form on runs of 1-3 digits (most numbers' integer parts; measured 2026-12-01).
    """
    short = "|".join(f"{before}[0-9]{{{k}}}" for k in range(1, min(3, longest) + 1))
    sign = "!" if negate else "="
    if longest <= 3:
        return f"(?<{sign}{short})"
    return f"(?:(?<![0-9]{{4}})(?<{sign}{short})|(?<=[0-9]{{4}})(?<{sign}{before}[0-9]{{4,{longest}}}))"


class _Builder:
    """Regex fragments for one configuration; each method mirrors a part of tst._grammar."""

    def __init__(self, st: Settings, grammar: Grammar) -> None:
        self.st = st
        self.gr = grammar
        self.g = st.group_size
        self.vocab = st.variant == "vocab"
        self.seps = st.resolved_separators
        self.imax = st.int_digits
        self.fmax = st.frac_digits
        self.depths = -(-st.frac_digits // st.group_size)
        self.dec = _lit(st.decimal)
        self.word = _cls(WORD_RANGES)
        self.nonword = _cls(WORD_RANGES, negate=True)
        self.word_nodigit = _cls(_minus(WORD_RANGES, _DIGITS))
        self.word_nonnum = _cls(_minus(WORD_RANGES, NUMERIC_RANGES))
        self.numeric = _cls(NUMERIC_RANGES)
        # Non-word characters a token may contain: the decimal mark, the continuation dot,
        # separators, exponent signs, and the opening bracket of a unit string.
        cluster = st.decimal + "." + self.seps + "+-" + O
        self.cluster_punct = _cls(_minus(_chars(cluster), WORD_RANGES + _chars(O)))
        self.hard = _cls(_merge([*WORD_RANGES, *_chars(cluster)]), negate=True)
        self.cluster_char = _cls(_merge([*WORD_RANGES, *_chars(cluster)]))
        # Characters of a cluster other than digits: the lexer's walk needs a digit after a run of these.
        self.cluster_nondigit = _cls(_minus(_merge([*WORD_RANGES, *_chars(cluster)]), _DIGITS))
        # A leading decimal mark starts a number only after none of these (SPEC 2.3): letters of any
        # script (an abbreviation's dot in Thai or Han, พ.ศ.2567, is no mark), digits, dots.
        blockers = _merge([*WORD_RANGES, *UNSPACED_RANGES, *_chars("." + st.decimal)])
        self.lead_blockers = _cls(blockers)
        self.lead_after = _cls(blockers, negate=True)
        self.sep_cls = _cls(_chars(self.seps)) if self.seps else ""
        # What the lexer writes at the end of an integer part, and its regex.
        self.int_end = C if self.vocab else C + O + UNITS_MARKER + C
        self.int_end_re = _lit(self.int_end)

    # -- contents ------------------------------------------------------------------------------

    def group_end(self, name: str) -> str:
        """What closes a digit group whose magnitude or depth is `name`."""
        return name + C if self.vocab else C + O + name + C

    # -- grammar fragments -----------------------------------------------------------------------

    def exp(self) -> str:
        """An exponent after a mantissa: ``e``/``E``, an optional sign, digits, no word after."""
        return f"{_EXP_LETTER}[+\\x{{2d}}]?[0-9]++(?!{self.word})"

    def glued_numeric(self) -> str:
        """The word glued after a numeral holds a number character: the numeral is text."""
        return f"{self.word_nonnum}*+{self.numeric}"

    def word_chain(self) -> str:
        """A word with every ``.word`` and glued grouping after it (`tst._grammar.skip_text_word`)."""
        return f"{self.word}++{self.text_rest()}"

    def text_rest(self) -> str:
        """What a text word takes after its first word: ``.word`` chains and glued groupings, in turn."""
        chain = f"(?:\\.{self.word}++)*+"
        ext = self.glued_grouping()
        # Led by one character back and one ahead: most words do not end in a digit, and most that
        # do (x86, u32, utf-8) have no separator or decimal mark and a digit next, which every
        # alternative needs (each then looks back further: 1.7 us a word such as x12 without it).
        follow = _cls(_chars(self.seps + self.st.decimal))
        return f"{chain}(?:(?<=[0-9])(?={follow}[0-9])(?:{ext}){self.word}*+{chain})*+" if ext else chain

    def glued_grouping(self) -> str:
        """A whole grouping whose first group ends a text word, with its fraction (`_glued_grouping_end`).

        After 1-3 digits (not led by ``0``) that follow another word character. Bounded by
        `MAX_GROUPS` as every grouping of the rules is.
        """
        head = f"(?:{self.word_nodigit}|\\.)"  # after a letter, or a dot of the word (Rs.12,999)
        alts = []
        for sep in self.seps:
            x = _lit(sep)
            threes = f"(?>(?:{x}[0-9]{{3}}(?![0-9])){{1,{MAX_GROUPS}}})"
            alts.append(f"(?<={head}[1-9][0-9]{{0,2}}){threes}(?!{x}[0-9])")
            if self.st.indian:
                twos = f"(?>(?:{x}[0-9]{{2}}(?![0-9])){{1,{MAX_GROUPS}}})"
                alts.append(f"(?<={head}[1-9][0-9]?){twos}{x}[0-9]{{3}}(?![0-9])(?!{x}[0-9])")
        grouping = f"(?:{'|'.join(alts)})(?:{self.dec}[0-9]++)?+" if alts else ""
        # A decimal comma's fraction after the word's digits (EUR12,99); a dot's is the .word chain.
        fraction = f"(?<=[0-9]){self.dec}[0-9]++" if self.st.decimal != "." else ""
        return "|".join(x for x in (grouping, fraction) if x)

    def iso_before(self) -> str:
        """Lookbehind: an extended date ``YYYY-MM-DD`` whose year is not glued to a word."""
        date = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
        return f"(?<=\\A{date}|{self.nonword}{date})"

    def iso_t(self) -> str:
        """The ``T`` of an ISO 8601 date-time right after the day, before a two-digit hour."""
        return f"(?=[Tt][0-9]{{2}}(?![0-9])){self.iso_before()}"

    def gstart(self, sep: str) -> str:
        """Conditions for a grouping to start here (the numeral's first digit) with `sep`."""
        if not self.gr.whole_runs:
            return ""
        d, x = self.dec, _lit(sep)
        chain = (
            f"(?<![0-9]{d})"
            "(?!(?<=[0-9]:)[0-9]{2}(?![0-9]))"
            "(?<![0-9]\\x{2d}[0-9]\\x{2d}|[0-9]\\x{2d}[0-9]{2}\\x{2d})"
            "(?<![0-9]/[0-9]/|[0-9]/[0-9]{2}/)"
        )
        if self.gr.iso_datetime:
            # The hour of an ISO 8601 date-time continues the date's chain (SPEC 2.4).
            date = "[0-9]{4}\\x{2d}[0-9]{2}\\x{2d}[0-9]{2}[Tt]"
            chain += f"(?!(?<=\\A{date}|{self.nonword}{date})[0-9]{{2}}(?![0-9]))"
        return f"(?!0)(?<![0-9]{x}){chain}"

    def western(self, sep: str, limit: int | None) -> str:
        """A whole Western grouping with `sep`; with `limit`, only one of at most `limit` digits."""
        return self._grouping(sep, 3, f"(?!{_lit(sep)}[0-9])", 0, limit)

    def indian(self, sep: str, limit: int | None) -> str:
        """A whole Indian grouping (``12,34,567``) with `sep`; with `limit`, within `limit` digits."""
        x = _lit(sep)
        return self._grouping(sep, 2, f"{x}[0-9]{{3}}(?![0-9])(?!{x}[0-9])", 3, limit)

    def _grouping(self, sep: str, width: int, tail: str, tail_digits: int, limit: int | None) -> str:
        """1..`width` digits, then groups of `width` digits after `sep`, then `tail` (`tail_digits` digits)."""
        grp = f"{_lit(sep)}[0-9]{{{width}}}(?![0-9])"
        tail += f"(?!{self.glued_text()})"
        if limit is None:
            return f"(?>[0-9]{{1,{width}}})(?>(?:{grp}){{1,{MAX_GROUPS}}}){tail}"
        alts = []
        for first in range(1, width + 1):
            k = min((limit - first - tail_digits) // width, MAX_GROUPS)
            if k >= 1:
                alts.append(f"[0-9]{{{first}}}(?>(?:{grp}){{1,{k}}})")
        # The tail once, after the alternatives ((?:a|b)c tries what ac|bc tries): it holds the
        # word classes of `glued_text`, and the lexer holds each grouping several times.
        return f"(?:{'|'.join(alts)}){tail}" if alts else ""

    def glued_text(self) -> str:
        """After a grouping's last group (3 digits): what makes that group start text, and the run no
        grouping (`tst._grammar._glued_text`): a hexadecimal word, a UUID, a glued numeric word."""
        uuid_rest = "\\x{2d}".join([f"{_HEX}{{5}}", *(f"{_HEX}{{{k}}}" for k in _UUID_WIDTHS[1:])])
        return f"{self.hex_exponent()}|(?<=[0-9]{{3}}){uuid_rest}(?!{self.word})|(?!{self.exp()}){self.glued_numeric()}"

    def groupings(self, sep: str, limit: int | None) -> list[tuple[str, str]]:
        """(any-length grouping, in-range grouping) with `sep`, per style, in parse order.

        Each starts with the cheap test (the first run and this separator), then the
        lookbehinds of `gstart`: most numerals fail at the first character.
        """
        start = f"(?=(?>[0-9]{{1,3}}){_lit(sep)}[0-9])" + self.gstart(sep)
        out = [(start + self.western(sep, None), start + self.western(sep, limit) if limit else "")]
        if self.st.indian:
            out.append((start + self.indian(sep, None), start + self.indian(sep, limit) if limit else ""))
        return out

    def sep_follows(self) -> str:
        """A run of at most three digits, then a separator and a digit: a grouping may start here."""
        return f"(?>[0-9]{{1,3}}){self.sep_cls}[0-9]" if self.seps else ""

    def int_number(self) -> str:
        """The integer part of a numeral that is a number: a whole grouping in range, or a digit run.

        Dispatched on the separator after the first run: only that separator's groupings are
        tried (twice: in range, then none at all). Trying every separator's in turn cost about
        180 ns per comma-separated number with the seven default separators (CSV cells).
        """
        plain = f"(?>[0-9]{{1,{self.imax}}})(?![0-9])(?!{self.hex_exponent()})"
        if not self.seps:
            return plain
        branches = []
        for sep in self.seps:
            pairs = self.groupings(sep, self.imax)
            alts = [f"(?={a}){r}" for a, r in pairs if r]
            alts.append(f"(?!{'|'.join(a for a, _ in pairs)}){plain}")
            branches.append(f"(?=(?>[0-9]{{1,3}}){_lit(sep)})(?:{'|'.join(alts)})")
        # Most numerals have no separator after their first digits: they go straight to the run.
        return f"(?:(?={self.sep_follows()})(?:{'|'.join(branches)})|(?!{self.sep_follows()}){plain})"

    def int_text(self) -> str:
        """The integer part of any numeral, as far as the scan takes it."""
        alts = [a for sep in self.seps for a, _ in self.groupings(sep, None)]
        if not alts:
            return "[0-9]++"
        return f"(?>(?={self.sep_follows()})(?>{'|'.join(alts)})|[0-9]++)"

    def frac_after_int(self) -> str:
        """After an integer part (not inside a chain): a fraction in range, or none at all."""
        d = self.dec
        present = f"{d}[0-9]++(?!{d}[0-9])"
        if self.fmax == 0:
            return f"(?!{present})"
        return f"(?:(?={present}){d}(?>[0-9]{{1,{self.fmax}}})(?![0-9])|(?!{present}))"

    def after_mantissa(self) -> str:
        """What may follow a number's mantissa: an exponent, no word, an ISO ``T``, or a plain suffix word."""
        alts = [self.exp()]
        if self.gr.iso_datetime:
            alts.append(self.iso_t())
        alts.append(f"(?!{self.glued_numeric()})")
        return "(?:" + "|".join(alts) + ")"

    def number(self) -> str:
        """A number starting here: its integer part, then ``\\K`` (the insertion point) and its checks."""
        d = self.dec
        intp = self.int_number()
        hexa = "(?!0[xX][0-9A-Fa-f])"
        in_chain = f"(?<=[0-9]{d}){intp}\\K(?={self.after_mantissa()})"
        plain = f"(?<![0-9]{d}){intp}\\K(?={self.frac_after_int()}{self.after_mantissa()})"
        return (
            f"(?=[0-9]){hexa}(?!{self.code_point()})(?!{self.utc_offset()})(?!{self.percent_escape()})"
            f"(?!{self.uuid_part()})(?!{self.mac_part()})(?:{in_chain}|{plain})"
        )

    def percent_escape(self, marked: bool = False) -> str:
        """Digits of a percent-encoded byte after a URL character: text (`tst._grammar.percent_escape`).

        `marked`: in a pass after the lexer, where a number right before the ``%`` ends in a unit's
        closing bracket (``5⟧%20``), not in its digit; a literal bracket's escape (``⟦⟧⟧``) does not.
        """
        glue = "A-Za-z0-9%:=?&#._~@!$*;"
        unit_end = f"|[^{_lit(O)}{_lit(C)}]{_lit(C)}%" if marked else ""
        return f"(?<=%)(?<=[{glue}]%{unit_end})[0-9][0-9A-Fa-f]"

    def utc_offset(self) -> str:
        """Four digits of a UTC offset after a time: text (`tst._grammar.utc_offset`).

        Led by a one-character test (a sign before) and the four digits' shape, so almost every
        numeral pays one or two steps and the lookbehinds run only before four digits. The
        time before the sign is one of eleven fixed shapes (``dd:dd``, with a fraction of 1-9
        digits, or an ISO hour ``-15T10``), right before it, before a space, or before a space, a
        year and a space, or ``GMT``/``UTC`` right before the sign: 35 fixed-length lookbehinds,
        which Oniguruma takes as one alternation.
        """
        clock = "[0-9]{2}:[0-9]{2}"
        iso_hour = "\\x{2d}[0-9]{2}[Tt][0-9]{2}"  # the hour alone of an ISO 8601 date-time
        times = [clock, iso_hour] + [f"{clock}[.,][0-9]{{{k}}}" for k in range(1, 10)]
        before = [f"{t}{gap}[+\\x{{2d}}]" for gap in ("", " ", " [0-9]{4} ") for t in times]
        before += ["GMT[+\\x{2d}]", "UTC[+\\x{2d}]"]  # a zone's offset, time or not
        digits = f"(?:0[0-9]|1[0-4])[0-5][0-9](?![0-9])(?!{self.word})"
        return f"(?<=[+\\x{{2d}}])(?={digits})(?<={'|'.join(before)})"

    def uuid_part(self) -> str:
        """A numeral that starts a part of a UUID not glued to a word: text (`tst._grammar.uuid_end`).

        One alternative per part, each looking back over the parts before it (at most 24
        characters). Led by a four-character test, which most numerals fail (dates, times).
        """
        h, w, nw = _HEX, self.word, self.nonword
        parts = [f"{h}{{{k}}}" for k in _UUID_WIDTHS]
        alts = []
        for n in range(len(_UUID_WIDTHS)):
            before, rest = "\\x{2d}".join(parts[:n]), "\\x{2d}".join(parts[n:])
            if n == 0:
                alts.append(f"(?<!{w}){rest}(?!{w})")
            else:
                alts.append(f"(?<=\\A{before}\\x{{2d}}|{nw}{before}\\x{{2d}}){rest}(?!{w})")
        return f"(?={h}{{4}})(?:{alts[0]}|(?<=\\x{{2d}})(?:{'|'.join(alts[1:])}))"

    def mac_part(self) -> str:
        """A numeral that starts a pair of a MAC address: text (`tst._grammar.mac_end`).

        Per separator (``:``, ``-``) one alternative per pair, each looking back over the pairs
        before it (at most 15 characters), then for a hexadecimal letter among the pairs. Led by a
        test that three pairs follow or precede this one, which dates and times fail.
        """
        h, w, nw = _HEX, self.word, self.nonword
        alts = []
        for x in (":", "\\x{2d}"):
            pair = f"{h}{{2}}"
            for k in range(6):
                before = f"{pair}{x}" * k
                rest = x.join([pair] * (6 - k))
                left = f"(?<!{h}{x}{before})" + (f"(?<!{w})" if k == 0 else f"(?<=\\A{before}|{nw}{before})")
                # A hexadecimal letter among the six pairs (six pairs of decimal digits are a list, a
                # lottery draw): at one of the 2k places before this pair (each a fixed-length
                # lookbehind), or from here to the address's end (a lookahead within its length).
                behind = []
                for q in range(2 * k):
                    places = ["[A-Fa-f]" if p == q else h for p in range(2 * k)]
                    behind.append("".join(c + (x if p % 2 else "") for p, c in enumerate(places)))
                letter = f"(?=[0-9A-Fa-f:\\x{{2d}}]{{0,{3 * (6 - k) - 2}}}[A-Fa-f])"
                if behind:
                    letter = f"(?:{letter}|(?<={'|'.join(behind)}))"
                alts.append(f"{left}(?={rest}(?!{w})(?!{x}{h})){letter}")
        # Every pair of six has three pairs after it or three before it: dates and times (three
        # parts) fail this at once.
        sep = "[:\\x{2d}]"
        guard = f"(?:(?=[0-9]{h}(?:{sep}{h}{{2}}){{3}})|(?<=(?:{h}{{2}}{sep}){{3}}))"
        return f"{guard}(?:{'|'.join(alts)})"

    def uuid_shape(self) -> str:
        """A UUID's text form: 8-4-4-4-12 hexadecimal digits joined by ``-`` (no context)."""
        return "\\x{2d}".join(f"{_HEX}{{{k}}}" for k in _UUID_WIDTHS)

    def code_point(self) -> str:
        """The hexadecimal digits of a code point after ``U+`` not glued to a word: text (`tst._grammar.hex_word`).

        Led by a one-character test, so it costs one step before almost every numeral.
        """
        return f"(?<=\\+)(?<=\\A[Uu]\\+|{self.nonword}[Uu]\\+)[0-9A-Fa-f]++(?!{self.word})"

    def hex_exponent(self) -> str:
        """After a plain digit run from a numeral's start: what makes the word a hexadecimal identifier
        (`tst._grammar.hex_word`: `HEX_WORD_MIN` characters or more, not after a dot or the decimal
        mark): an unsigned exponent, or lowercase ``a``-``f`` to the word's end. Led by a
        one-character test (``(?=[eE][0-9]|[a-f])``): no cost where neither follows."""
        w, imax, n = self.word, self.imax, HEX_WORD_MIN
        before = _cls(_merge([*_DIGITS, *_chars("." + self.st.decimal)]), negate=True)

        def run(d: str) -> str:  # the run from a numeral's start (after two dots too: a git range)
            return f"(?<=\\A[0-9]{{{d}}}|{before}[0-9]{{{d}}}|\\.\\.[0-9]{{{d}}})"

        # A run of d digits needs n - 1 - d exponent digits (n - d letters); from n - 2 (n - 1)
        # digits on, one is enough.
        alts = [f"{run(str(d))}[eE][0-9]{{{n - 1 - d},}}+" for d in range(1, min(n - 2, imax + 1))]
        if imax >= n - 2:
            alts.append(f"{run(f'{n - 2},{imax}')}[eE][0-9]++")
        # Not a signed exponent (1234567e-3 is a number).
        letters = "(?!e[+\\x{2d}][0-9])[a-f]"
        alts += [f"{run(str(d))}{letters}{{{n - d},}}+" for d in range(1, min(n - 1, imax + 1))]
        if imax >= n - 1:
            alts.append(f"{run(f'{n - 1},{imax}')}{letters}++")
        # The word test is written once after the alternatives, not in each: (?:a|b)c tries what
        # ac|bc tries, and the class has about 700 ranges (the lexer holds this test about 70 times).
        return f"(?=[eE][0-9]|[a-f])(?:{'|'.join(alts)})(?!{w})"

    def hex_token(self) -> str:
        """A hexadecimal identifier the lexer walks over as text, with its ``.word`` chain (`skip_text_word`)."""
        after_dot = _cls(_chars("." + self.st.decimal))
        not_fraction = f"(?:(?<!{after_dot})|(?<=\\.\\.))"  # a fraction's digits are no hash; a git range's are
        shaped = f"{not_fraction}(?=[0-9eE]{{{HEX_WORD_MIN}}})[0-9]++[eE][0-9]++(?!{self.word})"
        return f"(?:{self.code_point()}|{shaped}){self.text_rest()}"

    def lead(self) -> str:
        """A number written with a leading decimal mark (``.5``): the insertion goes after the mark."""
        d = self.dec
        if self.fmax == 0:
            return ""
        after = f"(?:{self.exp()}|(?!{self.glued_numeric()}))"
        digits = f"(?>[0-9]{{1,{self.fmax}}})(?![0-9])(?!{d}[0-9])"
        return f"(?<!{self.lead_blockers}){d}\\K(?!{self.uuid_part()})(?={digits}{after})"

    def lexer(self) -> str:
        """The pass that marks the end of every number's integer part (see the module docstring).

        Three kinds of match, all inserting the integer-end mark:

        * after a number's integer part (found by the previous match, ``\\G``), its fraction
          and an exponent in range: the exponent is a number of its own;
        * a number found by walking the tokens of the scan from ``\\G`` or from just after a
          hard character (one no token can contain), at most `LEXER_MAX_TOKENS` tokens;
        * its leading-decimal variant, which marks the position after the mark.
        """
        d, exp, imax = self.dec, self.exp(), self.imax
        # Where the previous match leaves the scan: after an exponent (nothing of the numeral
        # is left), after an integer part (its fraction, exponent or ISO T follow), or after a
        # leading decimal mark (its digits and exponent follow). A chain part (after a digit
        # and the mark) takes no fraction.
        # A mantissa is not glued to a word or a dot before it (x1e-5 is the text word x1e, then 5).
        mant_start = f"(?:\\A|{_cls(_merge([*WORD_RANGES, *_chars('.' + self.st.decimal)]), negate=True)})"
        mantissa = f"[0-9]{{1,{imax}}}(?:{d}[0-9]{{1,{self.fmax}}})?" if self.fmax else f"[0-9]{{1,{imax}}}"
        # The first lookbehind is implied by the second and only guards it: it looks back over the
        # digit run alone and fails at once before most runs, where the second tries every
        # mantissa length (the lexer spent two thirds of its time there without the guard).
        guard = _after_run("[eE+\\x{2d}]", imax)
        # Every mantissa the grammar reads before an exponent (docs/DECISIONS.md 71): a numeral
        # after a character that starts one, after a dot or the decimal mark that follows such a
        # character (..5e3; with a decimal comma the dot is punctuation: .3e5 reads 3e5), with a
        # decimal comma after a word and the mark (x,89e3: no digit ends the word, so no glued
        # fraction), or after a chain of up to three numbers that starts so (1.2e5, 0.3e5 with a
        # decimal comma); a leading decimal mark's fraction (.5e3); and one level deep, a numeral
        # after another exponent, a dot or the decimal mark and such a chain (1e6.4e5 reads 1, 6,
        # 4 and 5). Not after a text word's .word chain (x.1e-5, a.1.5e+12: its digits are text).
        # The lookbehind runs only where a match of this pass ended, after digits the lexer took
        # for a number. Where it missed the exponent, the digits after the exponent's own decimal
        # mark were read as its fraction (.5e3.25: the 25 is a number of its own).
        after_mark = f"(?:\\A|{self.nonword})[.{d}]"
        firsts = [mant_start, after_mark] + ([f"{self.word_nodigit}{d}"] if self.st.decimal != "." else [])
        chain = f"(?:[0-9]{{1,{imax}}}[.{d}]){{1,3}}"
        starts = [*firsts, f"(?:{'|'.join(firsts)}){chain}"]
        exp_tail = f"[eE][+\\x{{2d}}]?[0-9]{{1,{imax}}}"
        mantissas = [f"(?:{'|'.join(starts)}){mantissa}"]
        if self.fmax:
            mantissas.append(f"(?:\\A|{self.lead_after}){d}[0-9]{{1,{self.fmax}}}")
        mantissas.append(f"(?:{'|'.join(mantissas)}){exp_tail}[.{d}](?:[0-9]{{1,{imax}}}[.{d}]){{0,3}}{mantissa}")
        exponent = f"(?:{'|'.join(mantissas)}){exp_tail}"
        after_exp = f"{guard}(?<={exponent})(?!{self.word})"
        frac = f"(?:(?={d}[0-9]){_after_run(f'[0-9]{d}', imax, negate=True)}{d}[0-9]++(?!{d}[0-9]))?+"
        iso = f"|(?=[Tt][0-9]{{2}}(?![0-9])){self.iso_before()}[Tt]" if self.gr.iso_datetime else ""
        after_int = f"(?<=[0-9]){frac}(?:{exp}{iso})?+"
        after_lead = f"(?<={d})[0-9]++(?:{exp})?+"
        exponent_number = f"{_EXP_LETTER}[+\\x{{2d}}]?(?>[0-9]{{1,{imax}}})\\K(?![0-9])(?!{self.word})"
        # The lookahead (an exponent follows, maybe after a fraction) is tested before the lookbehinds.
        exponents = [
            f"\\G(?<=[0-9])(?=(?:{d}[0-9]++)?+{_EXP_LETTER})(?!{after_exp}){frac}{exponent_number}",
            f"\\G(?<={d})[0-9]++{exponent_number}",
        ]
        tail = f"(?:{exp}|{self.word_chain()})?+"
        tokens = [
            # A UUID is one text token with its .word chain (tst._grammar resumes after it so).
            f"(?<!{self.word})(?={_HEX}{{8}}\\x{{2d}}){self.uuid_shape()}(?!{self.word}){self.text_rest()}",
            f"{self.word_nodigit}{self.word}*+{self.text_rest()}",
            # A percent-encoded byte's word: text as far as a text word goes (its digits take no grouping).
            f"(?={self.percent_escape()}){self.word_chain()}",
            # Before the numeral token, which would read a hash's e and digits as an exponent.
            self.hex_token(),
            f"(?<!{self.lead_blockers}){d}[0-9]++(?!{d}[0-9]){tail}",
            self.cluster_punct,
            f"(?:(?<=[0-9]{d}){self.int_text()}|{self.int_text()}(?:{d}[0-9]++(?!{d}[0-9]))?+){tail}",
            f"{_lit(O)}[^{_lit(O)}{_lit(C)}]*+",
        ]
        token = "(?>" + "|".join(tokens) + ")"
        finals = [self.number()]
        if self.lead():
            finals.append(self.lead())
        final = "(?:" + "|".join(finals) + ")"
        # First, the common case: after a digit with no fraction, exponent or ISO T next, every
        # alternative after it consumes nothing, so the costly lookbehind of after_exp is skipped.
        nothing_next = f"(?<=[0-9])(?![{d}eETt])"
        # A walk starts where the previous match ended (\\G), after a hard character, which it
        # consumes (\\K: the match then starts there), or at the first cluster after \\G that
        # holds a number (`skip`).
        start = f"(?:\\G(?>{nothing_next}|{after_exp}|{after_int}|{after_lead}|)|{self.skip()}|{self.hard}\\K)"
        # Every number the walk can reach starts with a digit inside this cluster: a cluster
        # (or what is left of it) with no digit is given up at once, not token by token.
        has_digit = f"(?={self.cluster_nondigit}*+[0-9])"
        walk = f"{start}{has_digit}{token}{{0,{LEXER_MAX_TOKENS}}}?{final}"
        return "|".join([*exponents, walk])

    def skip(self) -> str:
        """From ``\\G``, past the rest of its cluster and a hard character, to each later cluster start in turn.

        Finds, within one match attempt, the cluster start that the search would otherwise
        reach by trying the lexer at every position in between. Oniguruma's search cannot skip
        ahead for the lexer (its ``\\G`` branches may start at any character, and the digit it
        requires may be any distance away), so every position cost a full match attempt,
        about 45 ns, whether a number followed or not (docs/DECISIONS.md 48). The same cluster
        starts are tried in the same order, so the matches are the search's own: digit-free
        clusters are passed possessively (no walk can start there: it needs a digit in its
        cluster), the others one at a time, lazily, the walk tried at each. Bounded
        (`SKIP_PLAIN_CLUSTERS`, `SKIP_DIGIT_CLUSTERS`) to keep an attempt far below
        Oniguruma's 10^7 backtracking steps; past the bound the search goes on position by
        position, as without the skip.
        """
        rest, h = f"{self.cluster_char}*+", self.hard
        plain = f"(?>(?:{self.cluster_nondigit}*+{h}){{0,{SKIP_PLAIN_CLUSTERS}}})"
        return f"\\G{rest}{h}{plain}(?:{rest}{h}{plain}){{0,{SKIP_DIGIT_CLUSTERS}}}?"

    def not_exponent_digits(self) -> str:
        """Lookbehind: not the digits of an exponent (after a mantissa not glued to a word or dot, e, a sign)."""
        d, imax = self.dec, self.imax
        start = f"(?:\\A|{_cls(_merge([*WORD_RANGES, *_chars('.' + self.st.decimal)]), negate=True)})"
        mantissa = f"[0-9]{{1,{imax}}}(?:{d}[0-9]{{1,{self.fmax}}})?" if self.fmax else f"[0-9]{{1,{imax}}}"
        # Guarded by the sign it must end with: the long lookbehind runs only after a sign.
        return f"(?:(?<![+\\x{{2d}}])|(?<!{start}{mantissa}[eE][+\\x{{2d}}]))"

    def grouped_start(self, style: str) -> str:
        """The start of a grouped number (`style` ``"3"`` Western, ``"2"`` Indian), after the lexer.

        The lexer decided which runs are groupings: a grouped number has one integer-end
        mark, after its last group, where separate numbers have one each. What is left to
        check is that the run starts here.
        """
        ie, d, w = self.int_end_re, self.dec, self.word
        # A numeral start: not inside a word or its .word chain, not a fraction or chain part
        # (after a digit and the mark), not the digits of a leading decimal mark.
        lead_mark = f"{self.lead_after}{d}|\\A{d}"
        # Nor the digits of an exponent (or of a text word ending in e: 1e-5,000 and x1e-1,234 alike).
        # Nor the hexadecimal digits of a code point (U+661,123: the 123 is a number of its own); a
        # U after a number's end mark was glued to its digits (123U+1,234 is no code point). Nor a
        # percent-encoded byte's digits, a UTC offset or a MAC address's pair (=%20,000, +0200,512,
        # c4:85:08:45:06:41,512: the last group is a number of its own).
        before = (
            f"(?<!{w})(?<!{w}\\.)(?<![0-9]{d})(?<!{lead_mark})(?<!{d}{ie}){self.not_exponent_digits()}"
            f"(?!(?<![0-9]{ie}[Uu]\\+){self.code_point()})(?!{self.percent_escape(marked=True)})"
            f"(?!{self.utc_offset()})(?!{self.mac_part()})"
        )
        alts = []
        for sep in self.seps:
            x = _lit(sep)
            # Dispatched on the separator after the first run before the common lookbehinds: a
            # CSV cell after a comma-joined one then fails one character back, where those
            # lookbehinds first cost about 200 ns a cell (docs/DECISIONS.md 67).
            first_run = f"(?=(?>[0-9]{{1,3}}){x}[0-9])"
            if style == TAG_WESTERN:
                shape = f"[0-9]{{1,3}}(?:{x}[0-9]{{3}}){{1,{MAX_GROUPS}}}{ie}"
            else:
                shape = f"[0-9]{{1,2}}(?:{x}[0-9]{{2}}){{1,{MAX_GROUPS}}}{x}[0-9]{{3}}{ie}"
            if self.gr.whole_runs:
                # A grouping never starts after its own separator and a digit (inside a run). After a
                # digit and another separator it may (1\u00a02,345), unless these digits end a whole
                # grouping with that separator which is out of range (text, so no mark tells).
                # Tested in order of cost: the separator, one character back, the numeral's start,
                # the shape ahead (up to MAX_GROUPS groups: inside a long run of this separator the
                # test one character back spares it), then the guarded lookbehind over the other
                # separators.
                alts.append(
                    f"{first_run}(?<![0-9]{x}){before}(?={shape}){self.text_grouping_before(sep)}{self.not_glued_tail()}"
                )
            else:
                # Old grammar: a run starts a grouping unless its previous part could (1-3 digits at a start).
                alts.append(f"{first_run}{before}(?={shape})(?<!\\A[0-9]{{1,3}}{x}|{self.nonword}[0-9]{{1,3}}{x})")
        # Led by a lookahead whose first character is a digit, which Oniguruma's search then looks
        # for alone: only digits are tried. Consuming the non-word character before the number
        # (``(?:\A|[^word]\K)``, as before) left it no character to look for once ``\A`` was an
        # alternative, so every position was tried: on CSV rows, whose cells are all numbers after
        # a comma, twice the time of this form (docs/DECISIONS.md 69).
        return f"(?<!{self.word})(?={self.sep_follows()})(?:{'|'.join(alts)})"

    def not_glued_tail(self) -> str:
        """Not a group of a grouping glued to a text word (`glued_grouping`), which is text.

        Its digits carry no mark, so the tag pass would read them with a number after another
        separator (``USD1,234'000``) as one grouping. Each alternative is led by a lookahead of
        the group's own shape, then looks back over the head and the groups before it.
        """
        w, alts = f"(?:{self.word_nodigit}|\\.)", []
        for x in map(_lit, self.seps):
            alts.append(
                f"(?=[0-9]{{3}}(?![0-9])(?>(?:{x}[0-9]{{3}}(?![0-9]))*)(?!{x}[0-9]))"
                f"(?<={w}[1-9][0-9]{{0,2}}(?:{x}[0-9]{{3}}){{0,{MAX_GROUPS}}}{x})"
            )
            if self.st.indian:
                end = f"[0-9]{{3}}(?![0-9])(?!{x}[0-9])"
                alts.append(
                    f"(?=[0-9]{{2}}{x}(?:[0-9]{{2}}{x}){{0,{MAX_GROUPS}}}{end})(?<={w}[1-9][0-9]?(?:{x}[0-9]{{2}}){{0,{MAX_GROUPS}}}{x})"
                )
                alts.append(f"(?={end})(?<={w}[1-9][0-9]?(?:{x}[0-9]{{2}}){{1,{MAX_GROUPS}}}{x})")
        return f"(?:(?<![0-9]{self.sep_cls})|(?!{'|'.join(alts)}))"

    def text_grouping_before(self, sep: str) -> str:
        """Not right after a Western grouping with another separator that is too long to be a number."""
        alts = []
        for other in self.seps:
            if other == sep:
                continue
            y = _lit(other)
            for first in (1, 2, 3):
                # first + 3 * (k + 1) digits, counting the run's last group (just before here), > int_digits
                k = max(0, (self.imax - first) // 3)
                if k + 1 > MAX_GROUPS:
                    continue
                run = f"{first and f'[0-9]{{{first}}}'}(?:{y}[0-9]{{3}}){{{k},{MAX_GROUPS}}}{y}"
                alts.append(f"\\A{run}|[^0-9{y}]{run}")
        if not alts:
            return ""
        # Every run above ends with a digit and another separator: test that first (one character
        # back), so the long variable-length lookbehind runs only where it can match. Oniguruma
        # tries a variable-length lookbehind at every length up to its maximum (here up to
        # 4 * MAX_GROUPS characters, for each alternative); unguarded, this one took 95% of the
        # normalizer's time on number-dense text.
        others = _cls(_chars("".join(o for o in self.seps if o != sep)))
        return f"(?:(?<![0-9]{others})|(?<!{'|'.join(alts)}))"

    def tag_superset(self) -> str:
        """Every tag at once: the separators in settings order, then both style digits."""
        return O + self.seps + TAG_INDIAN + TAG_WESTERN + C

    def tag_trim(self) -> list[str]:
        """Deletes what the superset holds beyond the number's own tag: one to three matches a number.

        The superset is ``⟦`` + separators + ``23⟧``; the number keeps ``⟦`` + its separator +
        ``3`` (Western) or ``2`` (Indian) + ``⟧``. The first deletion is found from the ``⟦``;
        each later one starts where the previous match ended (``\\G``), so no alternative is
        tried away from a superset. Returns the alternatives, each led by ``⟦`` or ``\\G``.
        """
        o, c, sup = _lit(O), _lit(C), self.seps
        two, three = TAG_INDIAN, TAG_WESTERN
        alts = []
        for k, sep in enumerate(sup):
            x = _lit(sep)
            before, after = _lit(sup[:k]), _lit(sup[k + 1 :])
            western = f"[0-9]{{1,3}}{x}[0-9]{{3}}(?![0-9])"
            indian = f"[0-9]{{1,2}}{x}[0-9]{{2}}(?![0-9])"
            at_x = f"\\G{x}" if before else f"{o}{x}"
            if before:
                alts.append(f"{o}\\K{before}(?={x}{after}{two}{three}{c}[0-9]{{1,3}}{x})")
            alts.append(f"{at_x}\\K{after}{two}(?={three}{c}{western})")
            if self.st.indian:
                if after:
                    alts.append(f"{at_x}\\K{after}(?={two}{three}{c}{indian})")
                else:
                    alts.append(f"{at_x}{two}\\K{three}(?={c}{indian})")
        if self.st.indian and len(sup) > 1:
            # The "3" of an Indian tag, once the separators after its own are gone (any separator).
            s = self.sep_cls
            alts.append(f"\\G{two}\\K{three}(?={c}[0-9]{{1,2}}{s}[0-9]{{2}}(?![0-9]))")
        if self.st.indian or self.g != 3:
            alts.append(self.inner_separators())
        return alts

    def inner_separators(self) -> str:
        """A separator of a tagged number that does not fall between two groups (Indian, or g != 3).

        Separators on a group boundary stay: the integer-group passes replace them with the
        boundary's name. Found by walking the number from where the tag trim (or the previous
        deletion) ended.
        """
        s, ie, g = self.sep_cls, self.int_end_re, self.g
        on_boundary = f"(?:(?:[0-9]{s}?){{{g}}}){{1,{-(-self.imax // g)}}}{ie}"
        walk = f"(?:[0-9]|{s}(?={on_boundary}))*?"
        two, three, c = TAG_INDIAN, TAG_WESTERN, _lit(C)
        # Where the previous match ended: after a deleted separator, or inside the tag after its trim.
        resume = f"(?:(?<=[0-9]{s})|(?<={two}){three}{c}|(?<={three}){c})"
        return f"\\G{resume}{walk}[0-9]\\K{s}(?=[0-9])(?!{on_boundary})"

    def boundaries(self) -> str:
        """Every integer group boundary of every marked number at once, where `int_mark` goes.

        A boundary is a position inside an integer part with a positive multiple of g digits
        between it and the integer-end mark. In a plain run every digit is tested (a
        possessive lookahead of at most int_digits digits). In a grouped number the
        separators left by the tag trim all sit on boundaries and are replaced; the first
        boundary is found from the tag, each later one from the previous (``\\G``: one search
        resumes where the last match ended, also after an empty match), so a separator
        counts only inside a tagged number (``x1,234`` keeps its comma).
        """
        s, ie, g = self.sep_cls, self.int_end_re, self.g
        groups = -(-self.imax // g)
        plain = f"[0-9]\\K{self.not_in_unit_name()}(?=(?>(?:[0-9]{{{g}}}){{1,{groups}}}){ie})"
        if not self.seps:
            return plain
        rest = f"(?=[0-9]{{{g}}}(?:{s}?[0-9]{{{g}}}){{0,{groups}}}{ie})"
        tag = f"{_lit(O)}{s}{tag_mark_pattern()}{_lit(C)}"
        first = f"(?<={tag})[0-9]{{1,{g}}}\\K(?:{s}(?=[0-9]))?{rest}"
        later = f"\\G(?<!\\A)[0-9]{{{g}}}\\K(?:{s}(?=[0-9]))?{rest}"
        return f"{plain}|{first}|{later}"

    def not_in_unit_name(self) -> str:
        """Not inside the digits of the magnitude name of a string that is exactly one vocab unit.

        `tokenizers` normalizes every added token's content alone; the digits of a name such
        as ``e10`` (group size 1) then end before the unit's ``⟧`` as an integer's digits end
        before its mark, and a boundary written there kept ``⟦1e10⟧`` from matching its own
        unit (a new-user trial, docs/DECISIONS.md 76). Such a string is the whole text.
        """
        if not self.vocab or not any(ch.isdigit() for ch in "".join(self.int_names())):
            return ""
        digits = max(len(str(p)) for p in range(self.g, self.imax, self.g))
        return f"(?!(?<=\\A[0-9]{{1,{self.g}}}{EXPONENT}[0-9]{{1,{digits}}})(?=[0-9]*{_lit(C)}\\z))"

    def int_names(self) -> list[str]:
        """The names of the integer groups above the units, lowest first (``k m b t q``)."""
        return [int_name(p, self.g) for p in range(self.g, self.imax, self.g)]

    def int_mark(self) -> str:
        """What the boundaries pass writes at every integer group boundary.

        With one magnitude above the units, that group's end (``k⟧``, or ``⟧⟦k⟧`` in the
        marker variant). With more, the group end with every name, highest first, each after
        `_NAME_JOIN` (``␟q␟t␟b␟m␟k⟧``), which the names pass (`name_trim`)
        cuts down to the boundary's own name: one pass for all magnitudes instead of one per
        magnitude (each pass costs about 1% of the base's `encode_batch` on prose lines,
        docs/DECISIONS.md 49 and 75). No earlier pass writes this string before a digit
        (escapes are ``⟦⟦⟧``, ``⟦⟧⟧``; a literal ``k⟧`` is escaped first).
        """
        names = self.int_names()
        return self.group_end(names[0] if len(names) == 1 else "".join(_NAME_JOIN + n for n in reversed(names)))

    def frac_mark(self) -> str:
        """What the fraction pass writes at the end of every fractional group.

        With one depth, its end (``p⟧``, ``⟧⟦p⟧``). With more, `_NAME_JOIN` and the deepest
        depth's letters (``␟ppppp⟧``): the names pass deletes the join and all letters
        beyond the group's own depth, so every depth is named in the same two passes.
        """
        name = frac_name(self.depths)
        return self.group_end(name if self.depths == 1 else _NAME_JOIN + name)

    def name_trim(self) -> str:
        """The names pass: what to delete from every `int_mark` and `frac_mark`, so that its own name is left.

        One pass sees the text as the earlier passes left it, every mark unnamed. The
        boundary of 10**(g*i) has i-1 marks and then the integer-end mark to its right, and
        keeps its name by two deletions: from the first join to the join before its name,
        and from the join after it to the end (none for the highest). The end of fractional
        depth d has d-1 whole groups, each with its mark, between it and the decimal mark,
        and keeps the last d letters by one deletion from the join. Every span starts with
        `_NAME_JOIN`, which text never holds where the lookbehinds check, so Oniguruma
        searches for that character alone and the pass costs prose no match attempt. The
        commonest marks are tried first. Empty when no mark needs a name.
        """
        ints, g, ie, j = self.int_names(), self.g, self.int_end_re, _NAME_JOIN
        head = "" if self.vocab else C + O
        fracs = []
        if self.depths > 1:
            mark = _lit(self.frac_mark())
            for depth in range(1, self.depths + 1):
                span = j + FRACTION * (self.depths - depth)
                lead = f"{self.dec}(?:[0-9]{{{g}}}{mark}){{{depth - 1}}}"
                behind = "|".join(f"{lead}[0-9]{{{t}}}{_lit(head + span)}" for t in range(1, g + 1))
                fracs.append(f"{_lit(span[1:])}(?<={behind})(?={_lit(FRACTION * depth + C)})")
        integers = []
        if len(ints) > 1:
            mark = _lit(self.int_mark())
            # Highest first in the mark, so the lowest, the commonest, keeps its name with one deletion.
            order = list(reversed(ints))
            for r, name in enumerate(order):
                prefix = "".join(j + n for n in order[:r]) + j
                suffix = "".join(j + n for n in order[r + 1 :])
                right = f"[0-9]{{{g}}}(?:{mark}[0-9]{{{g}}}){{{len(ints) - 1 - r}}}{ie}"
                ahead = f"(?={_lit(name + suffix + C)}{right})"
                integers.append(f"{_lit(prefix[1:])}(?<=[0-9]{_lit(head + prefix)}){ahead}")
                if suffix:
                    behind = _lit(head + prefix + name + suffix)
                    integers.append(f"{_lit(suffix[1:])}(?<=[0-9]{behind})(?={_lit(C)}{right})")
        alts = fracs[:2] + integers[::-1] + fracs[2:]
        return f"{_lit(j)}(?:{'|'.join(alts)})" if alts else ""

    def frac_group(self) -> str:
        """Every fractional group's end (all depths in one pass; `frac_mark` at each).

        What follows the mark is this number's fraction unless it is a chain part or text:
        digits ended by a mark of the lexer (a number), by the mark and a digit (a chain), by
        a word holding a number character (1.2.3x4), or more digits than a fraction holds.
        The first group's end is found from the mark; each later one from where the previous
        match ended (``\\G``), while the digits since the mark are whole groups. Every group
        ends with its mark before the tag pass, which reads those marks as it read each
        depth's own mark when each depth had its own pass.
        """
        d, ie, g = self.dec, self.int_end_re, self.g
        glued = f"(?!{self.exp()}){self.glued_numeric()}"
        not_fraction = f"[0-9]++(?:{_lit(C)}|{d}[0-9]|{glued})|[0-9]{{{self.fmax + 1}}}"
        # Both alternatives start with the mark, so Oniguruma looks for it alone (``.`` first
        # in the second cost a match attempt at every full stop of prose: docs/DECISIONS.md 49).
        anchor = f"{ie}(?:(?<=[0-9]{ie}){d}|(?<={d}{ie}))(?!{not_fraction})"
        first = f"{anchor}(?>[0-9]{{1,{g}}})\\K"
        if self.depths < 2:
            return first
        # The chain costs Oniguruma's search little here (measured on real CSV lines: the pass
        # takes 1.4 times the first depth's alone, against five passes before, DECISIONS 75).
        behind = "|".join(f"[0-9]{ie}{d}[0-9]{{{g * k}}}|{d}{ie}[0-9]{{{g * k}}}" for k in range(1, self.depths))
        return f"{first}|\\G(?<={behind})(?>[0-9]{{1,{g}}})\\K"

    def cleanup(self) -> list[str]:
        """Deletes the leading-mark placeholder and the ``⟦`` of a string that is one digit unit (two alternatives)."""
        d, ie = self.dec, self.int_end_re
        return [f"{d}\\K{ie}(?=[0-9])", f"{_lit(O)}(?=[0-9])"]


def _factored(alternatives: list[str], prefixes: tuple[str, ...]) -> str:
    """`alternatives` joined with ``|``, those led by one of `prefixes` grouped behind it once.

    ``⟦(?:a|b)`` instead of ``⟦a|⟦b``: Oniguruma tries every alternative at every position it
    searches, so fewer top-level alternatives is a cheaper search (the tag trim and cleanup,
    15 alternatives: half the time on CSV rows). A group takes the place of its first member;
    members keep their order. Only for alternatives of which no two in different groups can
    match at one position (here: each group starts with a different character after the prefix).
    """
    groups: dict[str, list[str]] = {}
    order: list[str | tuple[str]] = []
    for alt in alternatives:
        prefix = next((p for p in prefixes if alt.startswith(p)), None)
        if prefix is None:
            order.append(alt)
            continue
        if prefix not in groups:
            groups[prefix] = []
            order.append((prefix,))
        groups[prefix].append(alt[len(prefix) :])
    out = []
    for item in order:
        if isinstance(item, tuple):
            members = groups[item[0]]
            out.append(item[0] + (members[0] if len(members) == 1 else f"(?:{'|'.join(members)})"))
        else:
            out.append(item)
    return "|".join(out)


def escape_rules() -> list[Rule]:
    """Escape literal brackets, except in a string that is exactly one unit (an added token's content).

    `tokenizers` normalizes each added token's content with the normalizer, so a unit must come
    out of it unchanged; any other bracketed string is escaped as route 1 escapes it (a segment
    that is exactly ``⟦1,234⟧`` or ``⟦3 apples⟧`` was left as it was: a new-user trial).
    """
    o, c = _lit(O), _lit(C)
    content = unit_content_pattern()
    return [
        Rule("escape ⟦", f"{o}(?!(?<=\\A{o}){content}{c}\\z)", O + O + C),
        # A "⟧" not just written by the rule above, and not closing a one-unit string.
        Rule("escape ⟧", f"{c}(?<!{o}{c})(?!\\z(?<=\\A{o}{content}{c}))", O + C + C),
    ]


@lru_cache(maxsize=32)
def build_rules(settings: Settings, grammar: Grammar | None = None) -> NativeRules:
    """The route-3 normalizer and decoder steps for `settings` (style exact, overflow text).

    Raises:
        ValueError: for settings the regex pipeline cannot express (paper style,
            overflow other than ``"text"``, ranges beyond Oniguruma's repetition limit).
    """
    gr = grammar if grammar is not None else Grammar()
    st = settings
    if st.style != "exact":
        raise ValueError("the native rules need style='exact'")
    if st.overflow != "text":
        raise ValueError(f"the native rules support overflow='text' only, not {st.overflow!r}")
    if st.int_digits > _MAX_REPEAT or st.frac_digits > _MAX_REPEAT:
        raise ValueError(f"int_digits and frac_digits must be at most {_MAX_REPEAT} for the native rules")
    b = _Builder(st, gr)
    rules = escape_rules()
    rules.append(Rule("lexer: integer ends", b.lexer(), b.int_end))
    # Fractions before integer groups: a chain part is then told from a fraction by the mark
    # that ends each group (digits then ⟧), before any magnitude name sits in between.
    if b.depths:
        rules.append(Rule("fraction groups", b.frac_group(), b.frac_mark()))
    cleanup = b.cleanup()
    if st.resolved_separators:
        starts = [b.grouped_start(TAG_WESTERN)] + ([b.grouped_start(TAG_INDIAN)] if st.indian else [])
        rules.append(Rule("tag superset", "|".join(starts), b.tag_superset()))
        # Cleanup first: the two start at different characters, so the order changes no match, but
        # Oniguruma searches this order about ten times faster on prose (measured: 1.2 ms against
        # 12 ms per 100k characters).
        cleanup = cleanup + b.tag_trim()
    rules.append(Rule("tag trim, cleanup", _factored(cleanup, (_lit(O), "\\G")), ""))
    if b.int_names():
        rules.append(Rule("integer group boundaries", b.boundaries(), b.int_mark()))
    if b.name_trim():
        rules.append(Rule("group names", b.name_trim(), ""))
    return NativeRules(tuple(rules), tuple(decode_rules(st)))


#: Beyond this many magnitude names the decoder matches them by their pattern, not one by one.
_LISTED_NAMES = 256


def unit_names(st: Settings, depths: bool = True) -> str:
    """Regex of the magnitude (and with `depths`, depth) names that units have under `st` (overflow ``"text"``).

    Listed one by one where they are few (always with groups of three up to ``q``): a vocab
    unit's token string has no opening bracket (``5⟧``), so after text ending in a digit and
    ``e`` (``x1e``) the generic ``e<power>`` pattern read ``e5⟧`` as a name and dropped it.
    """
    g = st.group_size
    names = [int_name(p, g) for p in range(g, st.int_digits, g)]
    if depths:
        names += [frac_name(d) for d in range(1, -(-st.frac_digits // g) + 1)]
    if len(names) > _LISTED_NAMES:
        return f"(?:{int_name_pattern()}|{frac_name_pattern()})" if depths else int_name_pattern()
    if not names:
        return "(?!)"
    return "(?:" + "|".join(_lit(n) for n in sorted(names, key=len, reverse=True)) + ")"


def decode_rules(st: Settings) -> list[Rule]:
    """Rules that turn a route-1 or route-3 surface back into text (strict input assumed valid)."""
    o, c = _lit(O), _lit(C)
    names = unit_names(st)
    seps = st.resolved_separators
    s = _cls(_chars(seps)) if seps else ""
    tag = f"{o}{s}{tag_mark_pattern()}{c}" if seps else ""
    not_tag = f"(?<!{o}{s}{tag_mark_pattern()})" if seps else ""
    if st.variant == "vocab":
        close = f"(?<=[0-9]){not_tag}{names}?{c}"
    else:
        close = f"(?<=[0-9]){not_tag}{c}(?:{o}(?:{UNITS_MARKER}|{names}){c})?"
    rules = [Rule("units", f"{o}(?=[0-9])|{close}", "")]
    imax = st.int_digits
    for sep in seps:
        x = _lit(sep)
        rules.append(
            Rule(
                f"separators {sep!r} Western",
                f"[0-9](?<={o}{x}{TAG_WESTERN}{c}[0-9]{{1,{imax - 1}}})\\K(?=(?:[0-9]{{3}})+(?![0-9]))",
                sep,
            )
        )
        if st.indian:
            rules.append(
                Rule(
                    f"separators {sep!r} Indian",
                    f"[0-9](?<={o}{x}{TAG_INDIAN}{c}[0-9]{{1,{imax - 1}}})\\K(?=(?:[0-9]{{2}})*[0-9]{{3}}(?![0-9]))",
                    sep,
                )
            )
    escapes = f"{o}(?=[{o}{c}]{c})|(?<={o}[{o}{c}]){c}"
    # A tag at the very end (a prefix cut right after it: streaming, a length limit) renders as
    # nothing, as route 1's lenient decoding renders it: its number has not begun.
    rules.append(Rule("tags and escapes", f"{tag}(?=[0-9]|\\z)|{escapes}" if tag else escapes, ""))
    return rules


def wordpiece_glue_rules(st: Settings) -> list[Rule]:
    """Decoder rules that remove the spaces a WordPiece decoder puts inside one number (before `decode_rules`).

    WordPiece keeps no whitespace and joins tokens with spaces, so ``⟦,3⟧⟦1k⟧⟦234⟧`` decodes as
    ``⟦,3⟧ 1k⟧ 234⟧``. The units say which neighbours belong to one number, as in route 1's
    `tst.hf._glue` (a Python pass): after a grouping tag, after an integer group above the units
    (vocab) or its marker (marker), between a group and its marker, around the decimal mark
    between the units group and the first fractional group, and between fractional groups of
    consecutive depths. Digit units may come with or without their opening bracket (tokenizers
    hands the decoder the normalized form of an added token, ``1k⟧``, since 0.22).
    """
    o, c, d = _lit(O), _lit(C), _lit(st.decimal)
    seps = st.resolved_separators
    names = unit_names(st, depths=False)
    digit_unit = f"{o}?[0-9]+"
    alts = []
    if seps:
        alts.append(f"(?<={o}{_cls(_chars(seps))}{tag_mark_pattern()}{c}) (?={o}?[0-9])")
    depths = -(-st.frac_digits // st.group_size)
    # With no magnitude above the units (int_digits <= group size) `names` is a pattern that never
    # matches, which Oniguruma refuses inside a lookbehind: those alternatives are left out.
    has_names = st.int_digits > st.group_size
    if st.variant == "vocab":
        if has_names:
            alts.append(f"(?<=[0-9]{names}{c}) (?={o}?[0-9])")
        first = f"{digit_unit}p{c}"
        alts.append(f"(?<=[0-9]{c}) (?={d} ?{first})")
        alts.append(f"(?<={d}) (?={first})")  # a first fractional group follows its mark directly
        for depth in range(1, depths):
            alts.append(f"(?<=[0-9]{'p' * depth}{c}) (?={digit_unit}{'p' * (depth + 1)}{c})")
    else:
        alts.append(f"(?<=[0-9]{c}) (?={o}(?:{UNITS_MARKER}|{names}|{frac_name_pattern()}){c})")
        if has_names:
            alts.append(f"(?<={o}{names}{c}) (?={o}?[0-9])")
        first = f"{digit_unit}{c} ?{o}p{c}"
        alts.append(f"(?<={o}{UNITS_MARKER}{c}) (?={d} ?{first})")
        alts.append(f"(?<={d}) (?={first})")
        for depth in range(1, depths):
            alts.append(f"(?<={o}{'p' * depth}{c}) (?={digit_unit}{c} ?{o}{'p' * (depth + 1)}{c})")
    # A literal bracket's escape (⟦⟦⟧, ⟦⟧⟧): WordPiece splits it into three punctuation tokens. The
    # matches are found on the spaced text, so the second space is told by the first one.
    alts.append(f"(?<={o}) (?=[{o}{c}] {c})|(?<={o} [{o}{c}]) (?={c})")
    return [Rule("WordPiece: spaces inside numbers and escapes", "|".join(alts), "")]
