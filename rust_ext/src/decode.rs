//! Exact-style decoding: units back to digits, with the structure checked.
//!
//! Port of `tst/_decode.py`. Strict mode fails at the first thing an encoder
//! could not have produced; the lenient mode never fails: it keeps what it
//! cannot read verbatim, drops orphan markers, and ignores ordering. The checks
//! run in the same order as in the spec, so the first error is the same one.

use crate::settings::{Settings, Variant};
use crate::spelling::{parse_name, Name, Power, ESCAPED_CLOSE, ESCAPED_OPEN, TAG_INDIAN, TAG_WESTERN, UNITS_MARKER};
use crate::units::{starts, CopyInto, Unit};

/// Why decoding failed, with what the message quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeReason {
    /// A `⟧` that is not part of a unit or an escape.
    UnescapedClose,
    /// A `⟦` with no `⟧` before the next `⟦`.
    Unclosed,
    /// `⟦⟧`.
    EmptyUnit,
    /// A marker-variant marker with no group before it.
    OrphanMarker { content: Vec<u8> },
    /// A marker-variant group with no marker after it.
    NoMarker { digits: Vec<u8> },
    /// A marker-variant group followed by a unit that is no marker.
    UnknownMarker { name: Vec<u8>, digits: Vec<u8> },
    /// More digits than the group size.
    TooLong { digits: Vec<u8>, group_size: usize },
    /// A unit that means nothing (`unit` includes its brackets).
    UnknownUnit { unit: Vec<u8> },
    /// An integer sequence that stops before its units group.
    CutShort { next: Power },
    /// A grouping tag with no number after it.
    TagWithoutNumber,
    /// An integer group that is not the one expected next.
    OutOfOrder { group_size: usize, next: Power, digits: Vec<u8>, level: Power },
    /// A number glued to the previous group.
    StartAfterGroup,
    /// An integer power that is not a multiple of the group size.
    NotMultiple { level: Power, group_size: usize },
    /// A first fractional group glued to the previous group.
    FracWithoutMark,
    /// A first fractional group not after the decimal mark.
    FracNotPreceded { decimal: u8 },
    /// A deeper fractional group not after a full group one level up.
    FracOutOfOrder { depth: usize },
    /// A grouping tag on a number too short to have separators.
    TagTooShort { len: usize, need: usize },
    /// A plain digit right after a number's last unit.
    DigitAfterNumber { digit: u8 },
    /// A number's first unit right after a plain digit.
    NumberAfterDigit { digit: u8 },
    /// A number's first fractional group after a plain digit and the decimal mark.
    FractionAfterDigit { digit: u8, decimal: u8 },
    /// A grouping tag on a number whose first digit is 0.
    TagOnZero,
}

impl DecodeReason {
    /// The reason as the Python spec words it; `repr` quotes text like Python's `repr`.
    pub fn message(&self, repr: &dyn Fn(&[u8]) -> String) -> String {
        let q = |s: &str| repr(s.as_bytes());
        match self {
            DecodeReason::UnescapedClose => {
                format!("unescaped {} (write it as {})", q("\u{27e7}"), q(ESCAPED_CLOSE))
            }
            DecodeReason::Unclosed => format!(
                "{} without its closing {} (write a literal one as {})",
                q("\u{27e6}"),
                q("\u{27e7}"),
                q(ESCAPED_OPEN)
            ),
            DecodeReason::EmptyUnit => "empty unit".to_string(),
            DecodeReason::OrphanMarker { content } => {
                format!("marker {} has no digit group before it", repr(content))
            }
            DecodeReason::NoMarker { digits } => {
                format!("digit group {} is not followed by its marker", repr(digits))
            }
            DecodeReason::UnknownMarker { name, digits } => {
                format!("unknown marker {} after digit group {}", repr(name), repr(digits))
            }
            DecodeReason::TooLong { digits, group_size } => {
                format!("digit group {} is longer than the group size {group_size}", repr(digits))
            }
            DecodeReason::UnknownUnit { unit } => format!("unknown unit {}", repr(unit)),
            DecodeReason::CutShort { next } => format!("number cut short: expected its group of 10^{next}"),
            DecodeReason::TagWithoutNumber => "grouping tag not followed by a number".to_string(),
            DecodeReason::OutOfOrder { group_size, next, digits, level } => format!(
                "group out of order: expected {group_size} digits of 10^{next}, got {} of 10^{level}",
                repr(digits)
            ),
            DecodeReason::StartAfterGroup => {
                "group out of order: a number cannot start right after another group".to_string()
            }
            DecodeReason::NotMultiple { level, group_size } => {
                format!("10^{level} is not a multiple of the group size {group_size}")
            }
            DecodeReason::FracWithoutMark => "fractional group without a decimal mark before it".to_string(),
            DecodeReason::FracNotPreceded { decimal } => {
                format!("fractional group not preceded by the decimal mark {}", repr(&[*decimal]))
            }
            DecodeReason::FracOutOfOrder { depth } => {
                format!("group out of order: depth-{depth} group must follow a full depth-{} group", *depth as i64 - 1)
            }
            DecodeReason::TagTooShort { len, need } => {
                format!("grouping tag on a number of {len} digits (needs at least {need})")
            }
            DecodeReason::DigitAfterNumber { digit } => {
                format!("digit {} glued after a number: a reader reads it as part of that number", repr(&[*digit]))
            }
            DecodeReason::NumberAfterDigit { digit } => {
                format!("number glued after the digit {}: a reader reads them as one number", repr(&[*digit]))
            }
            DecodeReason::FractionAfterDigit { digit, decimal } => format!(
                "fractional group after the digit {} and the decimal mark {}: a reader reads them as one number",
                repr(&[*digit]),
                repr(&[*decimal])
            ),
            DecodeReason::TagOnZero => {
                "grouping tag on a number whose first digit is 0 (a reader reads its groups apart)".to_string()
            }
        }
    }
}

/// Invalid TST in strict mode: where (unit offset into the encoded text) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Offset (in code units) of the problem in the decoded input.
    pub position: usize,
    /// What is wrong there.
    pub reason: DecodeReason,
}

type Res<T> = Result<T, DecodeError>;

#[derive(Clone, Debug)]
enum Level {
    Int(Power),
    Frac(usize),
}

#[derive(Clone, Debug)]
struct Grp {
    digits: (usize, usize),
    level: Level,
    start: usize,
    end: usize,
    /// Lenient: kept verbatim, out of place (a group glued after it is out of place too).
    rejected: bool,
}

impl Grp {
    fn len(&self) -> usize {
        self.digits.1 - self.digits.0
    }
}

#[derive(Clone, Debug)]
struct Tag {
    sep: (usize, usize),
    indian: bool,
    start: usize,
    end: usize,
}

/// An integer part whose units group has not arrived yet.
#[derive(Clone, Debug)]
struct Num {
    /// Where its spelling starts (its tag, or its first group).
    start: usize,
    /// Its grouping tag; its digits then wait in `Decoder::tag_digits`.
    tag: Option<Tag>,
    /// Length of the first group and its power: the number has their sum of digits.
    first_len: usize,
    first_power: Power,
    /// Power of the group expected next.
    next: Power,
    /// Length of the output when it started (an untagged number writes its digits as they come).
    mark: usize,
}

enum Item {
    Tag(Tag),
    Group(Grp),
    /// Lenient: a unit (or group and marker) that cannot be read in place, kept verbatim;
    /// `pending` holds the digits of a marker-less group that ends the text.
    Reject {
        start: usize,
        end: usize,
        pending: Option<(usize, usize)>,
    },
}

/// Decode exact-style TST text (UTF-8) back to the original.
pub fn decode(t: &[u8], st: &Settings, strict: bool) -> Result<Vec<u8>, DecodeError> {
    decode_units(t, st, strict)
}

/// Decode exact-style TST text in UTF-8, UTF-16 or code point units; positions in errors are unit offsets.
pub fn decode_units<U: CopyInto<U>>(t: &[U], st: &Settings, strict: bool) -> Result<Vec<U>, DecodeError> {
    decode_units_into(t, st, strict, Vec::new())
}

/// `decode_units` writing into the memory of `out` (cleared first).
///
/// The output may use other units than the input (code points in, UTF-16 out).
pub fn decode_units_into<I: CopyInto<O>, O: Unit>(
    t: &[I],
    st: &Settings,
    strict: bool,
    mut out: Vec<O>,
) -> Result<Vec<O>, DecodeError> {
    out.clear();
    out.reserve(t.len());
    let mut d = Decoder {
        t,
        st,
        g: st.group_size,
        strict,
        out,
        num: None,
        tag: None,
        tag_digits: Vec::new(),
        last: None,
        name_buf: Vec::new(),
    };
    d.run()?;
    Ok(d.out)
}

struct Decoder<'a, I: CopyInto<O>, O: Unit> {
    t: &'a [I],
    st: &'a Settings,
    g: usize,
    strict: bool,
    out: Vec<O>,
    /// Open integer part.
    num: Option<Num>,
    /// Grouping tag waiting for its number's first group.
    tag: Option<Tag>,
    /// Digits of an open tagged number (written with their separators once it closes).
    tag_digits: Vec<I>,
    /// Last group read.
    last: Option<Grp>,
    /// Room for a unit's name as bytes (UTF-16 input).
    name_buf: Vec<u8>,
}

impl<I: CopyInto<O>, O: Unit> Decoder<'_, I, O> {
    #[inline]
    fn fail(&self, position: usize, reason: impl FnOnce() -> DecodeReason) -> Res<()> {
        if self.strict {
            return Err(DecodeError { position, reason: reason() });
        }
        Ok(())
    }

    /// Text of the input (as UTF-8), for messages.
    fn bytes(&self, r: (usize, usize)) -> Vec<u8> {
        I::to_utf8(&self.t[r.0..r.1])
    }

    fn run(&mut self) -> Res<()> {
        let t = self.t;
        let n = t.len();
        let w = I::OPEN.len();
        let mut i = 0;
        while i < n {
            if starts(t, i, I::OPEN) {
                if starts(t, i, I::ESCAPED_OPEN) || starts(t, i, I::ESCAPED_CLOSE) {
                    self.before_other(i)?;
                    self.out.extend_from_slice(if starts(t, i + w, I::OPEN) { O::OPEN } else { O::CLOSE });
                    i += 3 * w;
                    continue;
                }
                if !self.strict && n - i <= 2 * w {
                    // An escape cut off by the end: the bracket it can only become, nothing for a lone ⟦.
                    let rest = &t[i..];
                    if rest == I::OPEN || (rest.len() == 2 * w && starts(t, i + w, I::OPEN)) {
                        self.before_other(i)?;
                        if rest.len() == 2 * w {
                            self.out.extend_from_slice(O::OPEN);
                        }
                        break;
                    }
                    if rest.len() == 2 * w && starts(t, i + w, I::CLOSE) {
                        self.before_other(i)?;
                        self.out.extend_from_slice(O::CLOSE);
                        break;
                    }
                }
                if let Some(end) = self.fast_unit(i)? {
                    i = end;
                    continue;
                }
                match self.read_unit(i)? {
                    None => {
                        // lenient: keep the unreadable character
                        self.before_other(i)?;
                        self.out.extend_from_slice(O::OPEN);
                        i += w;
                    }
                    Some(Item::Tag(tag)) => {
                        i = tag.end;
                        self.on_tag(tag)?;
                    }
                    Some(Item::Group(grp)) => {
                        i = grp.end;
                        self.on_group(grp)?;
                    }
                    Some(Item::Reject { start, end, pending }) => {
                        i = end;
                        self.on_reject(start, end, pending)?;
                    }
                }
            } else if starts(t, i, I::CLOSE) {
                self.fail(i, || DecodeReason::UnescapedClose)?;
                self.before_other(i)?;
                self.out.extend_from_slice(O::CLOSE);
                i += w;
            } else {
                let end = I::find_bracket(t, i + 1).map_or(n, |(p, _)| p);
                if self.num.is_none() && matches!(&self.last, Some(last) if last.end == i) {
                    if let Some(digit) = ascii_digit(t[i].value()) {
                        self.fail(i, || DecodeReason::DigitAfterNumber { digit })?;
                    }
                }
                self.before_other(i)?;
                I::copy_into(&mut self.out, &t[i..end]);
                i = end;
            }
        }
        self.before_other(n)
    }

    // -- units -------------------------------------------------------------

    /// The common case, without the general path's allocations and re-scans: a
    /// well-formed group unit (digits and an ASCII name, closed right away) and,
    /// in the marker variant, its marker. Returns where decoding resumes, or None
    /// to let `read_unit` handle `i` (anything unusual, every error included).
    #[inline]
    fn fast_unit(&mut self, i: usize) -> Res<Option<usize>> {
        let t = self.t;
        let w = I::OPEN.len();
        let cs = i + w;
        let Some((de, ce)) = alnum_content(t, cs) else {
            return Ok(None);
        };
        if de == cs || de - cs > self.g {
            return Ok(None);
        }
        let end = ce + w;
        let mut name = [0u8; FAST_NAME];
        let name = ascii_into(&t[de..ce], &mut name);
        let level = if self.st.variant == Variant::Vocab {
            match parse_name(name, self.g) {
                Some(parsed) => parsed,
                None => return Ok(None),
            }
        } else {
            if de != ce || !starts(t, end, I::OPEN) {
                return Ok(None);
            }
            let Some((ms, me)) = alnum_content(t, end + w) else {
                return Ok(None);
            };
            if ms != end + w {
                return Ok(None); // a marker never starts with a digit
            }
            let mut marker = [0u8; FAST_NAME];
            let marker = ascii_into(&t[ms..me], &mut marker);
            let parsed =
                if marker == UNITS_MARKER { Some(Name::Int(Power::Small(0))) } else { parse_name(marker, self.g) };
            match parsed {
                Some(parsed) if !marker.is_empty() => {
                    let grp_end = me + w;
                    self.on_group(Grp {
                        digits: (cs, de),
                        level: level_of(parsed),
                        start: i,
                        end: grp_end,
                        rejected: false,
                    })?;
                    return Ok(Some(grp_end));
                }
                _ => return Ok(None),
            }
        };
        self.on_group(Grp { digits: (cs, de), level: level_of(level), start: i, end, rejected: false })?;
        Ok(Some(end))
    }

    /// Content (unit range) and end of the unit opening at `i`.
    #[inline]
    fn content_at(&self, i: usize) -> Res<Option<(usize, usize, usize)>> {
        let w = I::OPEN.len();
        match I::find_bracket(self.t, i + w) {
            Some((j, true)) => {
                if j == i + w {
                    self.fail(i, || DecodeReason::EmptyUnit)?;
                    return Ok(None);
                }
                Ok(Some((i + w, j, j + w)))
            }
            _ => {
                self.fail(i, || DecodeReason::Unclosed)?;
                Ok(None)
            }
        }
    }

    fn read_unit(&mut self, i: usize) -> Res<Option<Item>> {
        let t = self.t;
        let Some((cs, ce, end)) = self.content_at(i)? else {
            return Ok(None);
        };
        if let Some(tag) = self.as_tag(cs, ce, i, end) {
            return Ok(Some(Item::Tag(tag)));
        }
        let mut k = cs;
        while k < ce && (u32::from(b'0')..=u32::from(b'9')).contains(&t[k].value()) {
            k += 1;
        }
        let digits = (cs, k);
        let mut buf = std::mem::take(&mut self.name_buf);
        let result = self.read_named(i, cs, ce, end, digits, I::ascii_bytes(&t[k..ce], &mut buf));
        self.name_buf = buf;
        result
    }

    /// The rest of `read_unit` once the name (`None` when it is not ASCII) is known.
    fn read_named(
        &self,
        i: usize,
        cs: usize,
        ce: usize,
        end: usize,
        digits: (usize, usize),
        name: Option<&[u8]>,
    ) -> Res<Option<Item>> {
        let t = self.t;
        let parsed = name.and_then(|n| parse_name(n, self.g));
        if self.st.variant == Variant::Vocab {
            if digits.0 == digits.1 {
                return self.unknown(i, ce);
            }
            return match parsed {
                None => self.unknown(i, ce),
                Some(parsed) => self.group(digits, parsed, i, end),
            };
        }
        if digits.1 < ce {
            // marker variant: a marker must follow its group; digits fused with a name
            // (a vocab-variant unit) are unknown here, kept verbatim when lenient
            if digits.0 == digits.1 && (name == Some(UNITS_MARKER) || parsed.is_some()) {
                self.fail(i, || DecodeReason::OrphanMarker { content: self.bytes((cs, ce)) })?;
                return Ok(Some(Item::Reject { start: i, end, pending: None }));
            }
            return self.unknown(i, ce);
        }
        let marker = if starts(t, end, I::OPEN) { self.content_at(end)? } else { None };
        let Some((ns, ne, end2)) = marker else {
            self.fail(end, || DecodeReason::NoMarker { digits: self.bytes(digits) })?;
            // Lenient: at the end of the text the marker may still come (a prefix of a valid encoding).
            let pending = (end == t.len()).then_some(digits);
            return Ok(Some(Item::Reject { start: i, end, pending }));
        };
        let mut buf = Vec::new();
        let marker_name = I::ascii_bytes(&t[ns..ne], &mut buf);
        let parsed = match marker_name {
            Some(m) if m == UNITS_MARKER => Some(Name::Int(Power::Small(0))),
            Some(m) => parse_name(m, self.g),
            None => None,
        };
        match parsed {
            None => {
                self.fail(end, || DecodeReason::UnknownMarker {
                    name: self.bytes((ns, ne)),
                    digits: self.bytes(digits),
                })?;
                Ok(Some(Item::Reject { start: i, end, pending: None }))
            }
            Some(parsed) => self.group(digits, parsed, i, end2),
        }
    }

    #[inline]
    fn as_tag(&self, cs: usize, ce: usize, i: usize, end: usize) -> Option<Tag> {
        let (cp, w) = I::decode_at(self.t, cs);
        if ce - cs != w + 1 || !self.st.is_separator(cp) {
            return None;
        }
        let last = self.t[ce - 1].value();
        let indian = last == u32::from(TAG_INDIAN);
        if last == u32::from(TAG_WESTERN) || (indian && self.st.indian) {
            return Some(Tag { sep: (cs, cs + w), indian, start: i, end });
        }
        None
    }

    fn group(&self, digits: (usize, usize), parsed: Name, i: usize, end: usize) -> Res<Option<Item>> {
        if digits.1 - digits.0 > self.g {
            self.fail(i, || DecodeReason::TooLong { digits: self.bytes(digits), group_size: self.g })?;
            return Ok(Some(Item::Reject { start: i, end, pending: None }));
        }
        let level = match parsed {
            Name::Int(p) => Level::Int(p),
            Name::Frac(d) => Level::Frac(d),
        };
        Ok(Some(Item::Group(Grp { digits, level, start: i, end, rejected: false })))
    }

    /// An unknown unit opening at `i` whose content ends at `ce`.
    fn unknown(&self, i: usize, ce: usize) -> Res<Option<Item>> {
        self.fail(i, || DecodeReason::UnknownUnit { unit: self.bytes((i, ce + I::CLOSE.len())) })?;
        Ok(None)
    }

    // -- structure ---------------------------------------------------------

    /// Something that is not the next group of an open number starts at `i` (or the text ends there).
    #[inline]
    fn before_other(&mut self, i: usize) -> Res<()> {
        if let Some(num) = self.num.take() {
            if self.strict {
                return Err(DecodeError { position: i, reason: DecodeReason::CutShort { next: num.next } });
            }
            if i == self.t.len() {
                // the text ends: its digits so far, separators only before digits that are there
                if let Some(tag) = &num.tag {
                    let digits = std::mem::take(&mut self.tag_digits);
                    let sep = &self.t[tag.sep.0..tag.sep.1];
                    regroup_prefix(&mut self.out, &digits, sep, tag.indian, num.first_len, &num.first_power);
                }
            } else {
                // something else follows: its digits do not say its value, its units stay
                self.out.truncate(num.mark);
                self.tag_digits.clear();
                I::copy_into(&mut self.out, &self.t[num.start..i]);
            }
        }
        if let Some(tag) = self.tag.take() {
            self.fail(tag.start, || DecodeReason::TagWithoutNumber)?;
            if i < self.t.len() {
                I::copy_into(&mut self.out, &self.t[tag.start..tag.end]);
            }
        }
        Ok(())
    }

    /// Lenient: keep `t[start..end]` verbatim; a group glued after it is out of place too.
    fn reject(&mut self, start: usize, end: usize, level: Level, digits: (usize, usize)) {
        I::copy_into(&mut self.out, &self.t[start..end]);
        self.last = Some(Grp { digits, level, start, end, rejected: true });
    }

    fn on_reject(&mut self, start: usize, end: usize, pending: Option<(usize, usize)>) -> Res<()> {
        if let Some(digits) = pending {
            if self.pending_fits(start, digits.1 - digits.0, self.t[digits.0].value() == u32::from(b'0')) {
                match &self.num {
                    // rendered with the number, separators included, when the text ends
                    Some(num) if num.tag.is_some() => self.tag_digits.extend_from_slice(&self.t[digits.0..digits.1]),
                    Some(_) => I::copy_into(&mut self.out, &self.t[digits.0..digits.1]),
                    None => {
                        let tag = self.tag.take();
                        // After a tag, its separators may fall between these digits, at places the
                        // magnitude still to come sets; otherwise they come after them.
                        let split = tag.is_some_and(|t| digits.1 - digits.0 > 1 && (t.indian || 3 % self.g != 0));
                        if !split {
                            I::copy_into(&mut self.out, &self.t[digits.0..digits.1]);
                        }
                    }
                }
                return Ok(());
            }
        }
        self.before_other(start)?;
        self.reject(start, end, Level::Int(Power::Small(0)), (start, start));
        Ok(())
    }

    /// Whether a marker-less group of `len` digits (`lead_zero`: led by 0) ending the text can
    /// still become the group expected there.
    fn pending_fits(&self, start: usize, len: usize, lead_zero: bool) -> bool {
        if self.num.is_some() {
            return len == self.g;
        }
        if self.tag.is_some() {
            return len <= self.g && !lead_zero; // a grouping's first group
        }
        match &self.last {
            Some(last) if last.end == start => {
                matches!(last.level, Level::Frac(_)) && !last.rejected && last.len() == self.g
            }
            _ => true, // a number's first group, or a first fractional group
        }
    }

    fn on_tag(&mut self, tag: Tag) -> Res<()> {
        self.before_other(tag.start)?;
        if matches!(&self.last, Some(last) if last.end == tag.start) {
            self.fail(tag.start, || DecodeReason::StartAfterGroup)?;
            // lenient: the tag and the groups glued after it stay verbatim
            self.reject(tag.start, tag.end, Level::Int(Power::Small(0)), (tag.start, tag.start));
            return Ok(());
        }
        self.check_start(tag.start)?;
        self.tag = Some(tag);
        self.last = None;
        Ok(())
    }

    fn on_group(&mut self, grp: Grp) -> Res<()> {
        match grp.level.clone() {
            Level::Frac(depth) => self.on_fraction(grp, depth),
            Level::Int(level) => self.on_integer(grp, level),
        }
    }

    fn on_integer(&mut self, grp: Grp, level: Power) -> Res<()> {
        let g = self.g;
        let t = self.t;
        let digits = &t[grp.digits.0..grp.digits.1];
        if let Some(num) = &self.num {
            if level != num.next || grp.len() != g {
                self.fail(grp.start, || DecodeReason::OutOfOrder {
                    group_size: g,
                    next: num.next.clone(),
                    digits: self.bytes(grp.digits),
                    level: level.clone(),
                })?;
                // lenient: the open number is cut short here, and this group cannot start another
                self.before_other(grp.start)?;
                self.reject(grp.start, grp.end, Level::Int(level), grp.digits);
                return Ok(());
            }
            if num.tag.is_some() {
                self.tag_digits.extend_from_slice(digits);
            } else {
                I::copy_into(&mut self.out, digits);
            }
        } else {
            if matches!(&self.last, Some(last) if last.end == grp.start) {
                self.fail(grp.start, || DecodeReason::StartAfterGroup)?;
                self.before_other(grp.start)?;
                self.reject(grp.start, grp.end, Level::Int(level), grp.digits);
                return Ok(());
            }
            if self.tag.is_none() {
                self.check_start(grp.start)?;
            }
            let mut tag = self.tag.take();
            if let Some(tg) = &tag {
                let zero = digits.first().is_some_and(|d| d.value() == u32::from(b'0'));
                if zero {
                    self.fail(tg.start, || DecodeReason::TagOnZero)?;
                }
                let need: u64 = if tg.indian { 6 } else { 4 };
                let short = matches!(level, Power::Small(p) if (grp.len() as u64).saturating_add(p) < need);
                if (short || zero) && !self.strict {
                    // too short for separators: the tag stays verbatim
                    I::copy_into(&mut self.out, &t[tg.start..tg.end]);
                    tag = None;
                }
            }
            let start = tag.as_ref().map_or(grp.start, |tg| tg.start);
            let mark = self.out.len();
            if tag.is_some() {
                self.tag_digits.clear();
                self.tag_digits.extend_from_slice(digits);
            } else {
                I::copy_into(&mut self.out, digits);
            }
            self.num =
                Some(Num { start, tag, first_len: grp.len(), first_power: level.clone(), next: level.clone(), mark });
        }
        let (grp_start, grp_end) = (grp.start, grp.end);
        self.last = Some(grp);
        if level.is_zero() {
            return self.close_number();
        }
        match level.minus(g as u64) {
            Some(next) => {
                if let Some(num) = &mut self.num {
                    num.next = next;
                }
            }
            None => {
                self.fail(grp_start, || DecodeReason::NotMultiple { level: level.clone(), group_size: g })?;
                if let Some(num) = self.num.take() {
                    self.out.truncate(num.mark);
                    self.tag_digits.clear();
                    I::copy_into(&mut self.out, &t[num.start..grp_end]);
                }
            }
        }
        Ok(())
    }

    fn on_fraction(&mut self, grp: Grp, depth: usize) -> Res<()> {
        let g = self.g;
        self.before_other(grp.start)?;
        let glued = matches!(&self.last, Some(last) if last.end == grp.start);
        let mut ok = true;
        if depth == 1 {
            if glued {
                self.fail(grp.start, || DecodeReason::FracWithoutMark)?;
                ok = false;
            } else if grp.start == 0 || self.t[grp.start - 1].value() != u32::from(self.st.decimal) {
                self.fail(grp.start, || DecodeReason::FracNotPreceded { decimal: self.st.decimal })?;
                ok = false;
            }
        } else {
            let follows = match &self.last {
                Some(last) => {
                    glued && !last.rejected && matches!(last.level, Level::Frac(d) if d == depth - 1) && last.len() == g
                }
                None => false,
            };
            if !follows {
                self.fail(grp.start, || DecodeReason::FracOutOfOrder { depth })?;
                ok = false;
            }
        }
        if ok && depth == 1 && grp.start >= 2 {
            if let Some(digit) = ascii_digit(self.t[grp.start - 2].value()) {
                let decimal = self.st.decimal;
                self.fail(grp.start, || DecodeReason::FractionAfterDigit { digit, decimal })?;
            }
        }
        if ok {
            I::copy_into(&mut self.out, &self.t[grp.digits.0..grp.digits.1]);
            self.last = Some(grp);
        } else {
            self.reject(grp.start, grp.end, Level::Frac(depth), grp.digits);
        }
        Ok(())
    }

    /// A number's first unit at `i` (a tag or an integer group): no plain digit may come right
    /// before it (a reader joins them).
    fn check_start(&self, i: usize) -> Res<()> {
        if i > 0 {
            if let Some(digit) = ascii_digit(self.t[i - 1].value()) {
                return self.fail(i, || DecodeReason::NumberAfterDigit { digit });
            }
        }
        Ok(())
    }

    /// The units group arrived: write the digits, with the separators of a tagged number.
    fn close_number(&mut self) -> Res<()> {
        let Some(num) = self.num.take() else {
            return Ok(());
        };
        let Some(tag) = num.tag else {
            return Ok(()); // its digits are written already
        };
        let digits = std::mem::take(&mut self.tag_digits);
        let need = if tag.indian { 6 } else { 4 };
        if digits.len() < need {
            let len = digits.len();
            self.fail(tag.start, || DecodeReason::TagTooShort { len, need })?;
            I::copy_into(&mut self.out, &digits);
        } else {
            let sep = &self.t[tag.sep.0..tag.sep.1];
            regroup(&mut self.out, &digits, sep, tag.indian);
        }
        self.tag_digits = digits;
        self.tag_digits.clear();
        Ok(())
    }
}

/// `c` as an ASCII digit byte, if it is one.
#[inline]
fn ascii_digit(c: u32) -> Option<u8> {
    u8::try_from(c).ok().filter(u8::is_ascii_digit)
}

/// Longest name the fast path reads.
const FAST_NAME: usize = 24;

/// The content of a unit starting at `cs` when it is ASCII digits then ASCII letters or
/// digits (at most `FAST_NAME` of them) closed right after: (end of the digits, end of the content).
#[inline]
fn alnum_content<U: Unit>(t: &[U], cs: usize) -> Option<(usize, usize)> {
    let n = t.len();
    let mut k = cs;
    while k < n && (u32::from(b'0')..=u32::from(b'9')).contains(&t[k].value()) {
        k += 1;
    }
    let de = k;
    while k < n && k - de <= FAST_NAME {
        let v = t[k].value();
        if v >= 0x80 || !(v as u8).is_ascii_alphanumeric() {
            break;
        }
        k += 1;
    }
    (k > cs && k - de <= FAST_NAME && starts(t, k, U::CLOSE)).then_some((de, k))
}

/// ASCII units as bytes in `buf` (they are all ASCII and at most `FAST_NAME`).
#[inline]
fn ascii_into<'b, U: Unit>(t: &[U], buf: &'b mut [u8; FAST_NAME]) -> &'b [u8] {
    for (b, u) in buf.iter_mut().zip(t) {
        *b = u.value() as u8;
    }
    &buf[..t.len()]
}

#[inline]
fn level_of(parsed: Name) -> Level {
    match parsed {
        Name::Int(p) => Level::Int(p),
        Name::Frac(d) => Level::Frac(d),
    }
}

/// Append `digits` with `sep` between thousands (Western) or lakhs and crores (Indian).
pub fn regroup<I: CopyInto<O>, O: Unit>(out: &mut Vec<O>, digits: &[I], sep: &[I], indian: bool) {
    let head = &digits[..digits.len() - 3];
    let tail = &digits[digits.len() - 3..];
    let step = if indian { 2 } else { 3 };
    if !head.is_empty() {
        let first = if head.len() % step == 0 { step } else { head.len() % step };
        I::copy_into(out, &head[..first]);
        let mut k = first;
        while k < head.len() {
            I::copy_into(out, sep);
            I::copy_into(out, &head[k..k + step]);
            k += step;
        }
        I::copy_into(out, sep);
    }
    I::copy_into(out, tail);
}

/// Append the first digits of a tagged number, with `sep` where it stands in the whole number.
///
/// The number has `first_len + first_power` digits; a separator is written only
/// before a digit that is there (the lenient rendering of a number cut off by the
/// end of the text, `tst/_decode.py: regroup`).
pub fn regroup_prefix<I: CopyInto<O>, O: Unit>(
    out: &mut Vec<O>,
    digits: &[I],
    sep: &[I],
    indian: bool,
    first_len: usize,
    first_power: &Power,
) {
    let mut start = 0;
    for i in 1..digits.len() {
        if separator_before(first_len, first_power, i, indian) {
            I::copy_into(out, &digits[start..i]);
            I::copy_into(out, sep);
            start = i;
        }
    }
    I::copy_into(out, &digits[start..]);
}

/// Whether a separator precedes digit `i` of a number of `first_len + first_power` digits.
fn separator_before(first_len: usize, first_power: &Power, i: usize, indian: bool) -> bool {
    // rest = first_len + first_power - i: digits from digit i to the end, itself included (>= 1)
    let rest_small = match first_power {
        Power::Small(p) => (first_len as u64).checked_add(*p).and_then(|x| x.checked_sub(i as u64)),
        Power::Big(_) => None, // far more than 3
    };
    let rest_mod6 = (first_len as i64 - i as i64 + first_power.rem(6) as i64).rem_euclid(6);
    if indian {
        rest_small == Some(3) || (rest_small.is_none_or(|r| r > 3) && rest_mod6 % 2 == 1)
    } else {
        rest_mod6 % 3 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::encode;

    fn dec(text: &str, st: &Settings, strict: bool) -> Result<String, DecodeError> {
        decode(text.as_bytes(), st, strict).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn round_trips() {
        for variant in ["vocab", "marker"] {
            let st = Settings::default_exact(variant);
            for text in ["Pay $1,234.5", "12,34,567.0001 and ⟦x⟧ 1e-7", "0.50 .5 1.2.3 \r\n\0", "12 345 678 9"] {
                let enc = String::from_utf8(encode(text.as_bytes(), &st).unwrap()).unwrap();
                assert_eq!(dec(&enc, &st, true).unwrap(), text);
            }
        }
    }

    #[test]
    fn strict_errors_name_the_first_problem() {
        let st = Settings::default_exact("vocab");
        let e = dec("ab⟧", &st, true).unwrap_err();
        assert_eq!((e.position, &e.reason), (2, &DecodeReason::UnescapedClose));
        let e = dec("⟦12k⟧ x", &st, true).unwrap_err();
        assert_eq!(e.reason, DecodeReason::CutShort { next: Power::Small(0) });
        assert_eq!(dec("⟦12k⟧ x", &st, false).unwrap(), "⟦12k⟧ x");
        let e = dec("⟦⟧", &st, true).unwrap_err();
        assert_eq!(e.reason, DecodeReason::EmptyUnit);
        let e = dec("⟦,3⟧⟦12⟧", &st, true).unwrap_err();
        assert_eq!(e.reason, DecodeReason::TagTooShort { len: 2, need: 4 });
        assert_eq!(dec("⟦,3⟧⟦12⟧", &st, false).unwrap(), "⟦,3⟧12");
        let e = dec("⟦5pp⟧", &st, true).unwrap_err();
        assert_eq!(e.reason, DecodeReason::FracOutOfOrder { depth: 2 });
    }

    #[test]
    fn a_digit_glued_to_a_number_fails_strict_only() {
        let st = Settings::default_exact("vocab");
        for (text, position, reason, lenient) in [
            // position in bytes
            ("⟦12⟧3", 8, DecodeReason::DigitAfterNumber { digit: b'3' }, "123"),
            ("1⟦234⟧", 1, DecodeReason::NumberAfterDigit { digit: b'1' }, "1234"),
            ("3.⟦14p⟧", 2, DecodeReason::FractionAfterDigit { digit: b'3', decimal: b'.' }, "3.14"),
        ] {
            let e = dec(text, &st, true).unwrap_err();
            assert_eq!((e.position, e.reason), (position, reason), "{text}");
            assert_eq!(dec(text, &st, false).unwrap(), lenient);
        }
        // A mark between a number and plain digits is the encoder's context (a chain part may be text).
        assert_eq!(dec("⟦1⟧.⟦2⟧.3f5", &st, true).unwrap(), "1.2.3f5");
    }

    #[test]
    fn numbers_that_read_otherwise_fail_strict_only() {
        let st = Settings::default_exact("vocab");
        for (text, position, reason, lenient) in [
            // positions in bytes
            ("⟦12⟧⟦,3⟧⟦1k⟧⟦000⟧", 8, DecodeReason::StartAfterGroup, "12⟦,3⟧⟦1k⟧⟦000⟧"),
            ("⟦,3⟧⟦0k⟧⟦234⟧", 0, DecodeReason::TagOnZero, "⟦,3⟧0234"),
        ] {
            let e = dec(text, &st, true).unwrap_err();
            assert_eq!((e.position, e.reason), (position, reason), "{text}");
            assert_eq!(dec(text, &st, false).unwrap(), lenient);
        }
        // Not checked: the encoder writes an integer after a mark where a fraction or chain part
        // follows it (`.0.000` is text `.` then the number 0.000), or after a word or a dot.
        for text in [".⟦0⟧.⟦000p⟧", "Pay .⟦5⟧", "é.⟦5⟧", "..⟦5⟧", "⟦1⟧.⟦2⟧"] {
            assert!(dec(text, &st, true).is_ok(), "{text}");
        }
    }

    #[test]
    fn messages_match_the_spec_wording() {
        let repr = |b: &[u8]| format!("'{}'", String::from_utf8_lossy(b));
        let r = DecodeReason::OutOfOrder {
            group_size: 3,
            next: Power::Small(3),
            digits: b"12".to_vec(),
            level: Power::Small(0),
        };
        assert_eq!(r.message(&repr), "group out of order: expected 3 digits of 10^3, got '12' of 10^0");
        assert_eq!(DecodeReason::UnescapedClose.message(&repr), "unescaped '⟧' (write it as '⟦⟧⟧')");
    }

    #[test]
    fn lenient_mode_keeps_what_it_cannot_read() {
        let st = Settings::default_exact("marker");
        assert_eq!(dec("⟦12⟧ ⟦u⟧ ⟦ ⟦zz⟧ ⟧", &st, false).unwrap(), "⟦12⟧ ⟦u⟧ ⟦ ⟦zz⟧ ⟧");
        assert_eq!(dec("⟦1⟧⟦k⟧⟦2⟧⟦m⟧⟦345⟧⟦u⟧ x", &st, false).unwrap(), "⟦1⟧⟦k⟧⟦2⟧⟦m⟧⟦345⟧⟦u⟧ x");
        let st = Settings::default_exact("vocab");
        assert_eq!(dec("⟦3⟧.⟦14p⟧⟦15p⟧", &st, false).unwrap(), "3.14⟦15p⟧");
        assert_eq!(dec("⟦,3⟧ and", &st, false).unwrap(), "⟦,3⟧ and");
    }

    #[test]
    fn lenient_end_of_text_renders_what_has_arrived() {
        let st = Settings::default_exact("vocab");
        assert_eq!(dec("x ⟦,3⟧⟦1m⟧⟦234k⟧", &st, false).unwrap(), "x 1,234");
        assert_eq!(dec("x ⟦,3⟧", &st, false).unwrap(), "x ");
        assert_eq!(dec("x ⟦", &st, false).unwrap(), "x ");
        assert_eq!(dec("x ⟦⟦", &st, false).unwrap(), "x ⟦");
        assert_eq!(dec("x ⟦⟧", &st, false).unwrap(), "x ⟧");
        let st = Settings::default_exact("marker");
        assert_eq!(dec("⟦,3⟧⟦1⟧⟦m⟧⟦234⟧", &st, false).unwrap(), "1,234");
        let mut indian = Settings::default_exact("marker");
        indian.indian = true; // Indian grouping is off by default (DECISIONS 13)
        let wide: Vec<u16> = "⟦,2⟧⟦1⟧⟦m⟧⟦234⟧".encode_utf16().collect();
        let out = decode_units(&wide, &indian, false).unwrap();
        assert_eq!(String::from_utf16(&out).unwrap(), "12,34");
    }

    #[test]
    fn separators_of_a_number_prefix() {
        let mut out: Vec<u8> = Vec::new();
        regroup_prefix(&mut out, b"1234", b",", false, 1, &Power::Small(6));
        assert_eq!(out, b"1,234");
        out.clear();
        regroup_prefix(&mut out, b"12345", b",", false, 1, &Power::Small(8));
        assert_eq!(out, b"123,45");
        out.clear();
        regroup_prefix(&mut out, b"12345", b",", true, 1, &Power::Small(6));
        assert_eq!(out, b"12,34,5");
        for (digits, indian) in [(&b"1234567"[..], false), (&b"1234567"[..], true), (&b"12"[..], false)] {
            let (mut a, mut b): (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
            regroup_prefix(&mut a, digits, b",", indian, 1, &Power::Small(digits.len() as u64 - 1));
            if digits.len() >= 3 {
                regroup(&mut b, digits, b",", indian);
            } else {
                b = digits.to_vec();
            }
            assert_eq!(a, b);
        }
    }

    #[test]
    fn utf16_input_decodes_the_same() {
        for variant in ["vocab", "marker"] {
            let st = Settings::default_exact(variant);
            let text = "é 12,34,567.0001 😀 ⟦x⟧ 1e-7 1\u{a0}234";
            let enc = String::from_utf8(encode(text.as_bytes(), &st).unwrap()).unwrap();
            let wide: Vec<u16> = enc.encode_utf16().collect();
            let out = decode_units(&wide, &st, true).unwrap();
            assert_eq!(String::from_utf16(&out).unwrap(), text);
            for bad in ["⟦12k⟧ ⟦u⟧ ⟦ ⟦zz⟧ ⟧", "⟦,3⟧⟦12⟧", "⟦é⟧", "⟦12⟧⟦é⟧", "⟦1234⟧"]
            {
                let wide: Vec<u16> = bad.encode_utf16().collect();
                let lenient = decode_units(&wide, &st, false).unwrap();
                assert_eq!(String::from_utf16(&lenient).unwrap(), dec(bad, &st, false).unwrap());
                let e8 = dec(bad, &st, true).unwrap_err();
                let e16 = decode_units(&wide, &st, true).unwrap_err();
                assert_eq!(e8.reason, e16.reason, "{bad}");
            }
        }
    }

    #[test]
    fn regroups() {
        let mut out: Vec<u8> = Vec::new();
        regroup(&mut out, b"1234567", b",", false);
        assert_eq!(out, b"1,234,567");
        out.clear();
        regroup(&mut out, b"1234567", b",", true);
        assert_eq!(out, b"12,34,567");
    }
}
