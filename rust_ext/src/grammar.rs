//! The number grammar of the exact style: where numbers are (port of `tst/_grammar.py`).
//!
//! One left-to-right pass over UTF-8 bytes. Words (runs of letters, marks,
//! numbers and `_`) are consumed whole: a word that starts with an ASCII digit
//! may begin a numeral, any other word is text, and so is every `.word` glued
//! after a text word. Every condition below mirrors one of the Python spec;
//! byte offsets stand in for its code point indices.

use crate::chars::{any_numeric, decode_at, decode_before, digit_at, digit_end, seq_len, word_at, word_end};
use crate::settings::{Overflow, Settings};

/// A half-open byte range `(start, end)`.
pub type Span = (usize, usize);

/// A number found in text, as byte offsets.
#[derive(Clone, Copy, Debug)]
pub struct Numeral<'a> {
    /// First byte of the numeral (a digit or a leading decimal mark).
    pub start: usize,
    /// Byte just past its last digit.
    pub end: usize,
    /// The integer digit runs (separators between them are not part of any run).
    pub chunks: &'a [Span],
    /// The fractional digits, if any.
    pub frac: Option<Span>,
    /// The thousands separator it was written with.
    pub sep: Option<u32>,
    /// True for Indian grouping.
    pub indian: bool,
}

/// A number outside the configured range under `overflow = "error"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeError {
    /// Byte offset of the number's first digit.
    pub position: usize,
    /// Which limit it exceeds.
    pub reason: String,
}

/// Hex digits that make `0x...` a hexadecimal literal.
#[inline]
pub fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// The shortest hexadecimal word that is text (SPEC 2.2): git abbreviates hashes to 7 characters.
const HEX_WORD_MIN: usize = 7;

/// Whether the last group `s[a..b]` of a grouping starts text (a hexadecimal word, a UUID, a glued
/// word holding a number character): then the run is no grouping. Mirrors `tst._grammar._glued_text`.
fn glued_text(s: &[u8], a: usize, b: usize, dec: u8) -> bool {
    if hex_word(s, a, b, dec) || uuid_end(s, a).is_some() {
        return true;
    }
    if !word_at(s, b) {
        return false;
    }
    if s[b] == b'e' || s[b] == b'E' {
        let k = if b + 1 < s.len() && (s[b + 1] == b'+' || s[b + 1] == b'-') { b + 2 } else { b + 1 };
        if digit_at(s, k) && !word_at(s, digit_end(s, k)) {
            return false;
        }
    }
    any_numeric(s, b, word_end(s, b))
}

/// Whether the word at `i`, whose digits end at `j`, is a hexadecimal identifier: text (SPEC 2.2).
///
/// The code point after `U+`/`u+` (not glued to a word before it), or a word of at least
/// `HEX_WORD_MIN` characters, not after a dot or the decimal mark, shaped as an unsigned
/// exponent (digits, `e`, digits: `55807e6`) or as digits then lowercase `a`-`f` only
/// (`535fced`). Mirrors `tst._grammar.hex_word`.
#[inline]
fn hex_word(s: &[u8], i: usize, j: usize, dec: u8) -> bool {
    if i >= 2 && s[i - 1] == b'+' && (s[i - 2] == b'U' || s[i - 2] == b'u') {
        let glued = decode_before(s, i - 2).is_some_and(crate::chars::is_word);
        if !glued {
            let mut h = i;
            while h < s.len() && is_hex(s[h]) {
                h += 1;
            }
            return !word_at(s, h);
        }
    }
    // Not after a dot or the decimal mark (a fraction's digits), but after two dots (a git range).
    let after_mark =
        i > 0 && (s[i - 1] == b'.' || s[i - 1] == dec) && !(i >= 2 && s[i - 1] == b'.' && s[i - 2] == b'.');
    if j >= s.len() || after_mark {
        return false;
    }
    let k = if (s[j] == b'e' || s[j] == b'E') && digit_at(s, j + 1) {
        digit_end(s, j + 1)
    } else if s[j] == b'e' && j + 1 < s.len() && (s[j + 1] == b'+' || s[j + 1] == b'-') && digit_at(s, j + 2) {
        return false; // a signed exponent (2.7)
    } else {
        let mut k = j;
        while k < s.len() && (b'a'..=b'f').contains(&s[k]) {
            k += 1;
        }
        if k == j {
            return false;
        }
        k
    };
    k - i >= HEX_WORD_MIN && !word_at(s, k)
}

/// A MAC address as written (IEEE 802 EUI-48): six pairs of hexadecimal digits joined by `:` or `-`.
const MAC_LEN: usize = 17;

/// If the numeral at `i` starts a pair of a MAC address (a hexadecimal letter among the pairs, one
/// separator throughout, not glued to a word, not continued by the separator and a hexadecimal
/// digit), where it ends (SPEC 2.2).
/// Mirrors `tst._grammar.mac_end`.
#[inline]
fn mac_end(s: &[u8], i: usize) -> Option<usize> {
    let n = s.len();
    for off in (0..MAC_LEN).step_by(3) {
        let u = i.checked_sub(off)?;
        let e = u + MAC_LEN;
        if e > n || !(s[u + 2] == b':' || s[u + 2] == b'-') {
            continue;
        }
        let sep = s[u + 2];
        if decode_before(s, u).is_some_and(crate::chars::is_word) || word_at(s, e) {
            continue;
        }
        if (u >= 2 && s[u - 1] == sep && is_hex(s[u - 2])) || (e + 1 < n && s[e] == sep && is_hex(s[e + 1])) {
            continue;
        }
        let shape = (0..MAC_LEN).all(|p| if p % 3 == 2 { s[u + p] == sep } else { is_hex(s[u + p]) });
        if shape && s[u..e].iter().any(|b| b.is_ascii_hexdigit() && !b.is_ascii_digit()) {
            return Some(e);
        }
    }
    None
}

/// Whether the digit at `i` starts the two hexadecimal digits of a percent-encoded byte glued on
/// its left to a URL character (`a%20b`): text (SPEC 2.2). Mirrors `tst._grammar.percent_escape`.
#[inline]
fn percent_escape(s: &[u8], i: usize) -> bool {
    i >= 2 && s[i - 1] == b'%' && is_url_glue(s[i - 2]) && i + 1 < s.len() && is_hex(s[i + 1])
}

/// `tst._grammar.URL_GLUE`: ASCII letters, digits and `%:=?&#._~@!$*;`.
#[inline]
fn is_url_glue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"%:=?&#._~@!$*;".contains(&b)
}

/// Whether the digit run `s[i..j]` is a UTC offset after a time: text (SPEC 2.4). Four digits
/// (hours 00-14, minutes 00-59) after `+` or `-`, not glued to a word, the sign after a time
/// directly or after a space, or after a time, a space, a four-digit year and a space
/// (`13:26:17 +0200`, `13:26:17 2014 -0700`, `10:30:00+0530`), or the sign after `GMT` or `UTC`,
/// time or not (`GMT+0200`). Mirrors `tst._grammar.utc_offset`.
#[inline]
fn utc_offset(s: &[u8], i: usize, j: usize) -> bool {
    if j - i != 4 || i < 4 || !(s[i - 1] == b'+' || s[i - 1] == b'-') || word_at(s, j) {
        return false;
    }
    if &s[i..i + 2] > b"14".as_slice() || s[i + 2] > b'5' {
        return false;
    }
    let t = i - 1; // where the text before the sign ends
    if &s[t - 3..t] == b"GMT" || &s[t - 3..t] == b"UTC" {
        return true; // a zone's offset, time or not (JavaScript's `GMT+0200`)
    }
    if i < 6 {
        return false;
    }
    if time_ends_at(s, t) {
        return true;
    }
    if s[t - 1] != b' ' {
        return false;
    }
    if time_ends_at(s, t - 1) {
        return true;
    }
    // A year between the time and the offset (git, asctime): `17 2014 -0700`.
    t >= 11 && s[t - 6] == b' ' && s[t - 5..t - 1].iter().all(u8::is_ascii_digit) && time_ends_at(s, t - 6)
}

/// Whether a time's last field ends at `e`: `dd:dd`, `dd:dd` then `.`/`,` and 1-9 digits, or the
/// hour alone of an ISO 8601 date-time (`-15T10`).
#[inline]
fn time_ends_at(s: &[u8], e: usize) -> bool {
    let iso_hour = e >= 6
        && (s[e - 3] == b'T' || s[e - 3] == b't')
        && s[e - 6] == b'-'
        && s[e - 5..e - 3].iter().all(u8::is_ascii_digit)
        && s[e - 2..e].iter().all(u8::is_ascii_digit);
    if clock(s, e) || iso_hour {
        return true;
    }
    let mut k = e;
    while k > 0 && s[k - 1].is_ascii_digit() && e - k < 10 {
        k -= 1;
    }
    (1..=9).contains(&(e - k)) && k >= 1 && (s[k - 1] == b'.' || s[k - 1] == b',') && clock(s, k - 1)
}

/// `dd:dd` ends at `e` (hours and minutes, or minutes and seconds).
#[inline]
fn clock(s: &[u8], e: usize) -> bool {
    e >= 5
        && s[e - 1].is_ascii_digit()
        && s[e - 2].is_ascii_digit()
        && s[e - 3] == b':'
        && s[e - 4].is_ascii_digit()
        && s[e - 5].is_ascii_digit()
}

/// A UUID's text form (RFC 9562, section 4): 8-4-4-4-12 hexadecimal digits joined by hyphens.
const UUID_LEN: usize = 36;
/// Where each of a UUID's five parts starts, counted from its first character.
const UUID_PARTS: [usize; 5] = [0, 9, 14, 19, 24];

/// If the numeral at `i` starts a part of a UUID not glued to a word on either side, where the
/// UUID ends (SPEC 2.2): an identifier, of which no part is a number. Mirrors `tst._grammar.uuid_end`.
#[inline]
fn uuid_end(s: &[u8], i: usize) -> Option<usize> {
    for off in UUID_PARTS {
        let u = i.checked_sub(off)?;
        if off > 0 && s[i - 1] != b'-' {
            return None;
        }
        let e = u + UUID_LEN;
        if e > s.len() || decode_before(s, u).is_some_and(crate::chars::is_word) || word_at(s, e) {
            continue;
        }
        let shaped =
            s[u..e].iter().enumerate().all(|(p, &b)| if matches!(p, 8 | 13 | 18 | 23) { b == b'-' } else { is_hex(b) });
        if shaped {
            return Some(e);
        }
    }
    None
}

/// Call `sink` with every number of `s`, in order.
pub fn scan_numbers<F>(s: &[u8], st: &Settings, sink: F) -> Result<(), RangeError>
where
    F: FnMut(&Numeral<'_>),
{
    scan(s, st, sink, |_| {})
}

/// A numeral outside the configured range (the spec's `OutOfRange`), as byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange {
    /// First byte of the numeral.
    pub start: usize,
    /// Byte just past its last digit.
    pub end: usize,
    /// True when its integer digits exceed `int_digits`, false for its fractional digits.
    pub integer: bool,
    /// How many digits that part has.
    pub digits: usize,
}

/// `scan_numbers`, also calling `skipped` with every numeral outside the range
/// (left as text with `overflow = "text"`, encoded with extended magnitudes with `"extend"`).
pub fn scan_with_out_of_range<F, O>(s: &[u8], st: &Settings, sink: F, skipped: O) -> Result<(), RangeError>
where
    F: FnMut(&Numeral<'_>),
    O: FnMut(OutOfRange),
{
    scan(s, st, sink, skipped)
}

#[inline(always)]
fn scan<F, O>(s: &[u8], st: &Settings, mut sink: F, mut skipped: O) -> Result<(), RangeError>
where
    F: FnMut(&Numeral<'_>),
    O: FnMut(OutOfRange),
{
    let n = s.len();
    let dec = st.decimal;
    let mut chunks: Vec<Span> = Vec::new();
    let mut i = 0;
    while i < n {
        // The spec's loop only walks through plain ASCII (no digit, no decimal mark):
        // jump to the next byte that can matter, and work out whether the loop would
        // be inside a text word there (a word, or a `.` glued after one, runs into it).
        let q = next_candidate(s, i, dec);
        if q >= n {
            break;
        }
        if q > i && (ascii_word(s[q - 1]) || (q >= i + 2 && s[q - 1] == b'.' && ascii_word(s[q - 2]))) {
            i = skip_text_word(s, q, st);
            continue;
        }
        i = q;
        let b = s[i];
        if b.is_ascii_digit() {
            i = match numeral(s, i, false, st, &mut chunks, &mut sink, &mut skipped)? {
                Some(end) => end,
                None => skip_text_word(s, i, st),
            };
        } else if b < 0x80 {
            // the decimal mark
            if digit_at(s, i + 1) && lead_allowed(s, i, dec) {
                i = match numeral(s, i, true, st, &mut chunks, &mut sink, &mut skipped)? {
                    Some(end) => end,
                    None => i + 1,
                };
            } else {
                i += 1;
            }
        } else {
            let (cp, len) = decode_at(s, i);
            if crate::chars::is_word(cp) {
                i = skip_text_word(s, i, st);
            } else {
                i += len;
            }
        }
    }
    Ok(())
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// First offset `>= i` holding an ASCII digit, the decimal mark or a non-ASCII byte (`s.len()` if none).
///
/// Eight bytes at a time: a flag per byte in its high bit, the first flag wins.
#[inline]
pub fn next_candidate(s: &[u8], mut i: usize, dec: u8) -> usize {
    let n = s.len();
    let decs = LO * dec as u64;
    while i + 8 <= n {
        let mut word = [0u8; 8];
        word.copy_from_slice(&s[i..i + 8]);
        let x = u64::from_le_bytes(word);
        let y = x & !HI; // low seven bits: no carries below
        let digit = y.wrapping_add(LO * 0x50) & !y.wrapping_add(LO * 0x46);
        let z = y ^ decs;
        let is_dec = z.wrapping_sub(LO) & !z;
        let flags = (x | digit | is_dec) & HI;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n {
        let b = s[i];
        if b >= 0x80 || b.is_ascii_digit() || b == dec {
            return i;
        }
        i += 1;
    }
    n
}

#[inline]
fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A decimal mark at `i` may lead a numeral (`.5`) unless glued to a word, a `.` or a mark.
#[inline]
fn lead_allowed(s: &[u8], i: usize, dec: u8) -> bool {
    match decode_before(s, i) {
        None => true,
        // Not after a letter of any script: in Thai or Han an abbreviation's dot (พ.ศ.2567) is no mark.
        Some(cp) => !(crate::chars::is_script_word(cp) || cp == '.' as u32 || cp == dec as u32),
    }
}

/// End of the text word at `i`, with every glued `.word` and glued grouping after it (SPEC 2.2).
/// Mirrors `tst._grammar.skip_text_word`.
#[inline]
pub fn skip_text_word(s: &[u8], i: usize, st: &Settings) -> usize {
    let mut j = word_end(s, i);
    loop {
        while j < s.len() && s[j] == b'.' && word_at(s, j + 1) {
            j = word_end(s, j + 1);
        }
        match glued_grouping_end(s, j, st) {
            Some(k) => j = word_end(s, k),
            None => return j,
        }
    }
}

/// Where a number glued to the end `j` of a text word ends, if one does: a whole grouping on the
/// word's last digits (`USD2,000,000`, `Rs.12,999`) with its fraction, or a decimal comma's
/// fraction (`EUR12,99`). Mirrors `tst._grammar._glued_grouping_end`.
fn glued_grouping_end(s: &[u8], j: usize, st: &Settings) -> Option<usize> {
    let n = s.len();
    if j == 0 || j >= n || !s[j - 1].is_ascii_digit() {
        return None;
    }
    if s[j] == st.decimal {
        return if st.decimal != b'.' && digit_at(s, j + 1) { Some(digit_end(s, j + 1)) } else { None };
    }
    let mut h = j;
    while h > 0 && s[h - 1].is_ascii_digit() && j - h < 4 {
        h -= 1;
    }
    if j - h > 3 || h == 0 || s[h - 1].is_ascii_digit() || s[h] == b'0' {
        return None;
    }
    if !(s[h - 1] == b'.' || decode_before(s, h).is_some_and(crate::chars::is_word)) {
        return None;
    }
    let (cp, w) = decode_at(s, j);
    if !st.is_separator(cp) || !digit_at(s, j + w) {
        return None;
    }
    // The numeral's own test of a whole grouping, on a scratch list (this path is rare).
    let (mut chunks, mut end, mut sep, mut indian) = (Vec::new(), j, None, false);
    let sp = &s[j..j + w];
    grouping(s, h, None, j, sp, cp, st.indian, &mut chunks, &mut end, &mut sep, &mut indian);
    sep?;
    if end < n && s[end] == st.decimal && digit_at(s, end + 1) {
        end = digit_end(s, end + 1);
    }
    Some(end)
}

/// `size` ASCII digits at `k`, not followed by another digit.
#[inline]
pub fn exact_digits(s: &[u8], k: usize, size: usize) -> bool {
    let end = k + size;
    end <= s.len() && s[k..end].iter().all(u8::is_ascii_digit) && !digit_at(s, end)
}

/// True when `s[k..]` starts with the code point `sep`, whose encoding is `sep_bytes`.
#[inline]
fn starts_with(s: &[u8], k: usize, sep_bytes: &[u8]) -> bool {
    s.len() >= k + sep_bytes.len() && &s[k..k + sep_bytes.len()] == sep_bytes
}

/// Consume `sep` + exactly `size` digits as often as possible from `j`, pushing the digit runs.
fn separated_run(s: &[u8], mut j: usize, sep: &[u8], size: usize, chunks: &mut Vec<Span>) -> usize {
    let w = sep.len();
    while starts_with(s, j, sep) && exact_digits(s, j + w, size) {
        chunks.push((j + w, j + w + size));
        j += w + size;
    }
    j
}

/// True when a grouping ending at `k` is followed by its separator and a digit.
#[inline]
fn continues(s: &[u8], k: usize, sep: &[u8]) -> bool {
    starts_with(s, k, sep) && digit_at(s, k + sep.len())
}

/// True when the digit run at `i` follows `sep` after a digit: it is inside a longer run.
#[inline]
fn joined_left(s: &[u8], i: usize, sep: &[u8]) -> bool {
    let w = sep.len();
    i > w && &s[i - w..i] == sep && s[i - w - 1].is_ascii_digit()
}

/// True when the digit run `s[i..j]` continues a chain of integers (the spec's `continues_chain`).
///
/// It follows the decimal mark after a digit, or a colon after a digit with
/// exactly two digits (a time field), or it is the third part of a date
/// joined by `-` or `/` whose middle part has one or two digits, or the hour
/// of an ISO 8601 date-time.
#[inline]
pub fn continues_chain(s: &[u8], i: usize, j: usize, dec: u8) -> bool {
    if i < 2 || !s[i - 2].is_ascii_digit() {
        return false;
    }
    let mark = s[i - 1];
    if mark == b'T' || mark == b't' {
        return i >= 11 && iso_date_time(s, i - 3, i - 1);
    }
    if mark == dec {
        return true;
    }
    if mark == b':' {
        return j - i == 2;
    }
    if mark != b'-' && mark != b'/' {
        return false;
    }
    let middle = if i >= 3 && s[i - 3].is_ascii_digit() { i - 3 } else { i - 2 };
    middle >= 2 && s[middle - 1] == mark && s[middle - 2].is_ascii_digit()
}

/// True when `s[j]` is the `T` of an ISO 8601 / RFC 3339 date-time (the spec's `iso_date_time`).
///
/// `s[i..j]` is the day of `YYYY-MM-DD` (the year not glued to a word) and
/// the `T` or `t` is followed by exactly two digits (the hour).
#[inline]
pub fn iso_date_time(s: &[u8], i: usize, j: usize) -> bool {
    let n = s.len();
    j - i == 2
        && j + 2 < n
        && (s[j] == b'T' || s[j] == b't')
        && s[j + 1].is_ascii_digit()
        && s[j + 2].is_ascii_digit()
        && !digit_at(s, j + 3)
        && i >= 8
        && s[i - 1] == b'-'
        && s[i - 3..i - 1].iter().all(u8::is_ascii_digit)
        && s[i - 4] == b'-'
        && s[i - 8..i - 4].iter().all(u8::is_ascii_digit)
        && decode_before(s, i - 8).is_none_or(|cp| !crate::chars::is_word(cp))
}

/// `x` followed by a hex digit at `j`: with a lone `0` before, a hexadecimal literal.
#[inline]
pub fn is_hex_prefix(s: &[u8], j: usize) -> bool {
    (s[j] == b'x' || s[j] == b'X') && j + 1 < s.len() && is_hex(s[j + 1])
}

/// Try the Western, then the Indian grouping of the run that starts with `s[i..j0]`.
///
/// The caller checked that the run starts there (the spec's conditions); both
/// attempts read only the run, so a failed run is never read again.
///
/// With `text_tail` (the decimal mark), a run whose last group starts text (`glued_text`) is no
/// grouping; the glued-word rule, whose grouping is text anyway, passes None.
#[allow(clippy::too_many_arguments)]
fn grouping(
    s: &[u8],
    i: usize,
    text_tail: Option<u8>,
    j0: usize,
    sp: &[u8],
    cp: u32,
    allow_indian: bool,
    chunks: &mut Vec<Span>,
    j: &mut usize,
    sep: &mut Option<u32>,
    indian: &mut bool,
) {
    let n = s.len();
    let w = sp.len();
    let base = chunks.len();
    let k = separated_run(s, j0, sp, 3, chunks);
    let more = chunks.len() > base;
    if more && !continues(s, k, sp) && !text_tail.is_some_and(|dec| glued_text(s, k - 3, k, dec)) {
        *j = k;
        *sep = Some(cp);
        return;
    }
    chunks.truncate(base);
    if allow_indian && j0 - i <= 2 {
        let k = separated_run(s, j0, sp, 2, chunks);
        let twos = chunks.len() > base;
        if twos
            && k < n
            && starts_with(s, k, sp)
            && exact_digits(s, k + w, 3)
            && !continues(s, k + w + 3, sp)
            && !text_tail.is_some_and(|dec| glued_text(s, k + w, k + w + 3, dec))
        {
            chunks.push((k + w, k + w + 3));
            *j = k + w + 3;
            *sep = Some(cp);
            *indian = true;
            return;
        }
        chunks.truncate(base);
    }
}

/// Parse a numeral at `i`, hand its number(s) to `sink`, and return where scanning resumes.
///
/// Returns where scanning resumes: after the numeral (after the `T` of a
/// date-time), or after the text it turned out to be part of (digits glued to
/// a word, out of range with `overflow = "text"`). None when a leading decimal
/// mark starts no numeral. `lead` means `i` is a leading decimal mark.
#[allow(clippy::too_many_arguments)]
fn numeral<F, O>(
    s: &[u8],
    i: usize,
    lead: bool,
    st: &Settings,
    chunks: &mut Vec<Span>,
    sink: &mut F,
    skipped: &mut O,
) -> Result<Option<usize>, RangeError>
where
    F: FnMut(&Numeral<'_>),
    O: FnMut(OutOfRange),
{
    let n = s.len();
    let dec = st.decimal;
    chunks.clear();
    let mut sep: Option<u32> = None;
    let mut indian = false;
    let mut j = i;
    if lead {
        if let Some(e) = uuid_end(s, i + 1) {
            return Ok(Some(skip_text_word(s, e - 12, st))); // a mark before a UUID (.550e8400-...)
        }
    }
    if !lead {
        j = digit_end(s, i);
        if hex_word(s, i, j, dec) {
            return Ok(Some(skip_text_word(s, i, st)));
        }
        if utc_offset(s, i, j) {
            return Ok(Some(j));
        }
        if percent_escape(s, i) {
            return Ok(Some(skip_text_word(s, i, st)));
        }
        if let Some(e) = uuid_end(s, i) {
            return Ok(Some(skip_text_word(s, e - 12, st)));
        }
        if let Some(e) = mac_end(s, i) {
            return Ok(Some(skip_text_word(s, e - 2, st)));
        }
        chunks.push((i, j));
        // A grouping is judged on the whole run of digit groups joined by its separator.
        if j - i <= 3 && j < n && s[j] != dec && s[i] != b'0' {
            let w = seq_len(s[j]);
            if j + w < n {
                let (cp, _) = decode_at(s, j);
                if st.is_separator(cp) {
                    let sp = &s[j..j + w];
                    if !joined_left(s, i, sp) && !continues_chain(s, i, j, dec) {
                        grouping(s, i, Some(dec), j, sp, cp, st.indian, chunks, &mut j, &mut sep, &mut indian);
                    }
                }
            }
        }
    }
    let mut frac: Option<Span> = None;
    // Inside a chain (the 2 of 1.2.3) a numeral never takes a fraction.
    let in_chain = !lead && i >= 2 && s[i - 1] == dec && s[i - 2].is_ascii_digit();
    if !in_chain && j < n && s[j] == dec && digit_at(s, j + 1) {
        let f1 = digit_end(s, j + 1);
        if f1 < n && s[f1] == dec && digit_at(s, f1 + 1) {
            // A chain such as 1.2.3 (versions, IPs, dates): integers joined by text.
            if lead {
                return Ok(None);
            }
        } else {
            frac = Some((j + 1, f1));
            j = f1;
        }
    }
    let mant_end = j;
    let mut exp: Option<Span> = None;
    if j + 1 < n && (s[j] == b'e' || s[j] == b'E') {
        let mut k = j + 1;
        if s[k] == b'+' || s[k] == b'-' {
            k += 1;
        }
        if digit_at(s, k) {
            let e1 = digit_end(s, k);
            if !word_at(s, e1) {
                exp = Some((k, e1));
                j = e1;
            }
        }
    }
    let mut resume = j;
    if exp.is_none() && word_at(s, j) {
        if !lead && iso_date_time(s, i, j) {
            resume = j + 1; // the T is text; the hour after it starts the next numeral
        } else {
            let w = word_end(s, j);
            // Digits glued to a word with more digits (3f5e9b1, 1e5x) or a hexadecimal
            // literal (0x1F): all text, up to the end of that word.
            if any_numeric(s, j, w) || (mant_end - i == 1 && s[i] == b'0' && is_hex_prefix(s, j)) {
                return Ok(Some(skip_text_word(s, j, st)));
            }
        }
    }
    let int_len: usize = chunks.iter().map(|&(a, b)| b - a).sum();
    let frac_len = frac.map_or(0, |(a, b)| b - a);
    if int_len > st.int_digits || frac_len > st.frac_digits {
        if st.overflow == Overflow::Error {
            return Err(RangeError { position: i, reason: range_reason(int_len, frac_len, st) });
        }
        let integer = int_len > st.int_digits;
        skipped(OutOfRange { start: i, end: mant_end, integer, digits: if integer { int_len } else { frac_len } });
        if st.overflow == Overflow::Text {
            return Ok(Some(resume));
        }
    }
    sink(&Numeral { start: i, end: mant_end, chunks, frac, sep, indian });
    if let Some((e0, e1)) = exp {
        let e_len = e1 - e0;
        if e_len > st.int_digits {
            if st.overflow == Overflow::Error {
                return Err(RangeError { position: e0, reason: range_reason(e_len, 0, st) });
            }
            skipped(OutOfRange { start: e0, end: e1, integer: true, digits: e_len });
            if st.overflow == Overflow::Text {
                return Ok(Some(resume));
            }
        }
        sink(&Numeral { start: e0, end: e1, chunks: &[(e0, e1)], frac: None, sep: None, indian: false });
    }
    Ok(Some(resume))
}

fn range_reason(int_len: usize, frac_len: usize, st: &Settings) -> String {
    if int_len > st.int_digits {
        format!("{int_len} integer digits, more than int_digits={}", st.int_digits)
    } else {
        format!("{frac_len} fractional digits, more than frac_digits={}", st.frac_digits)
    }
}

/// Room for the digits of one group (at most six, padded to eight).
pub const DIGITS_MAX: usize = 8;

/// One digit group of a number (at most six digits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    digits: [u8; DIGITS_MAX],
    len: u8,
    /// Exponent of the least significant digit (negative for fractional groups).
    pub power: i64,
    /// Depth of a fractional group (1 = first after the mark), 0 for integer groups.
    pub depth: usize,
    /// Byte offset of the first digit.
    pub start: usize,
    /// Byte offset just past the last digit.
    pub end: usize,
}

impl Group {
    /// The group's ASCII digits.
    #[inline]
    pub fn digits(&self) -> &[u8] {
        &self.digits[..self.len as usize]
    }

    /// The digits followed by padding, for fixed-size copies.
    #[inline]
    pub fn digits_padded(&self) -> &[u8; DIGITS_MAX] {
        &self.digits
    }
}

/// Call `f` with the groups of `num`: integers cut from the right, then fractions from the left.
pub fn for_each_group<F: FnMut(&Group)>(s: &[u8], num: &Numeral<'_>, g: usize, mut f: F) {
    let total: usize = num.chunks.iter().map(|&(a, b)| b - a).sum();
    let mut k = 0;
    let mut size = if total % g == 0 { g } else { total % g };
    let mut ci = 0;
    let mut pos = num.chunks.first().map_or(0, |c| c.0);
    while k < total {
        let mut grp = Group {
            digits: [0; DIGITS_MAX],
            len: size as u8,
            power: (total - k - size) as i64,
            depth: 0,
            start: 0,
            end: 0,
        };
        while pos >= num.chunks[ci].1 {
            ci += 1;
            pos = num.chunks[ci].0;
        }
        grp.start = pos;
        if pos + size <= num.chunks[ci].1 {
            // the whole group inside one run of digits
            fill(&mut grp.digits, s, pos, size);
            pos += size;
        } else {
            for d in 0..size {
                while pos >= num.chunks[ci].1 {
                    ci += 1;
                    pos = num.chunks[ci].0;
                }
                grp.digits[d] = s[pos];
                pos += 1;
            }
        }
        grp.end = pos;
        f(&grp);
        k += size;
        size = g;
    }
    if let Some((f0, f1)) = num.frac {
        let mut k = f0;
        let mut depth = 1;
        while k < f1 {
            let e = (k + g).min(f1);
            let mut grp = Group {
                digits: [0; DIGITS_MAX],
                len: (e - k) as u8,
                power: -((e - f0) as i64),
                depth,
                start: k,
                end: e,
            };
            fill(&mut grp.digits, s, k, e - k);
            f(&grp);
            k = e;
            depth += 1;
        }
    }
}

/// Copy the `len` (at most `DIGITS_MAX`) bytes at `s[k..]`, with a fixed-size copy when the text allows.
#[inline]
fn fill(digits: &mut [u8; DIGITS_MAX], s: &[u8], k: usize, len: usize) {
    match s.get(k..k + DIGITS_MAX) {
        Some(window) => digits.copy_from_slice(window),
        None => digits[..len].copy_from_slice(&s[k..k + len]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, st: &Settings) -> Vec<String> {
        let mut out = Vec::new();
        scan_numbers(text.as_bytes(), st, |num| out.push(text[num.start..num.end].to_string())).unwrap();
        out
    }

    #[test]
    fn numbers_as_a_reader_sees_them() {
        let st = Settings::default_exact("vocab");
        assert_eq!(spans("Pay $1,234.5 now", &st), ["1,234.5"]);
        assert_eq!(spans("In 2019 42 people", &st), ["2019", "42"]);
        assert_eq!(spans("192.168.0.1", &st), ["192", "168", "0", "1"]);
        assert_eq!(spans("2024-01-15", &st), ["2024", "01", "15"]);
        assert_eq!(spans("6.02E23 and 1e-7", &st), ["6.02", "23", "1", "7"]);
        assert_eq!(spans("H2O 3f5e9b1 0x1F v1.2 .5 x.5", &st), [".5"]);
        // Hexadecimal words: a hash, a UUID part, code points; a short exponent form and a fraction stay numbers.
        assert_eq!(spans("55807e6 123e4567-e89b U+1E78 u+0041 1e6 2.0221409e23", &st), ["1", "6", "2.0221409", "23"]);
        assert_eq!(spans("IU+0041 x.1234567e8", &st), ["0041"]);
        // Digits then lowercase a-f only, 7 characters or more: a hash; shorter or uppercase: a suffix word.
        assert_eq!(spans("535fced 61dcaaa 12345fe 535fc 82801AA 1234567g", &st), ["535", "82801", "1234567"]);
        assert_eq!(spans("1234567e-3 1234567e+3", &st), ["1234567", "3", "1234567", "3"]);
        // A grouping glued to the end of a text word is text; a CSV cell after one is not a grouping.
        assert_eq!(spans("USD2,000,000 0m12,014s CHF1'000.50 x0,500 Q4,150,3", &st), ["500", "150", "3"]);
        // UUIDs are text as a whole, also all digits; glued to a word, their parts are numerals again.
        assert_eq!(spans("550e8400-e29b-41d4-a716-446655440000 00000000-0000-0000-0000-000000000000.", &st), [""; 0]);
        assert_eq!(
            spans("x12345678-1234-1234-1234-123456789012 7", &st),
            ["1234", "1234", "1234", "123456789012", "7"]
        );
        assert_eq!(spans("12,34,567 1,23", &st), ["12", "34", "567", "1", "23"]);
        assert_eq!(spans("5kg 1\u{a0}000", &st), ["5", "1\u{a0}000"]);
        let mut indian = Settings::default_exact("vocab");
        indian.indian = true;
        assert_eq!(spans("12,34,567 1,23", &indian), ["12,34,567", "1", "23"]);
    }

    #[test]
    fn groupings_are_judged_on_the_whole_run() {
        let st = Settings::default_exact("vocab");
        assert_eq!(spans("1,2,345", &st), ["1", "2", "345"]);
        assert_eq!(spans("7,8,910,112", &st), ["7", "8", "910", "112"]);
        assert_eq!(spans("0,123,456 1,234", &st), ["0", "123", "456", "1,234"]);
        assert_eq!(spans("2019-07-21,480 Main", &st), ["2019", "07", "21", "480"]);
        assert_eq!(spans("12:30,450 people", &st), ["12", "30", "450"]);
        assert_eq!(spans("1,000-2,000 and 10-20,000", &st), ["1,000", "2,000", "10", "20,000"]);
        assert_eq!(spans("1.2.3,456", &st), ["1", "2", "3", "456"]);
        assert_eq!(spans("1\u{a0}2\u{a0}345 9\u{a0}999", &st), ["1", "2", "345", "9\u{a0}999"]);
        let mut indian = Settings::default_exact("vocab");
        indian.indian = true;
        assert_eq!(spans("1,2,34,567 1,23,45,678", &indian), ["1", "2", "34", "567", "1,23,45,678"]);
    }

    #[test]
    fn iso_date_times() {
        let st = Settings::default_exact("vocab");
        assert_eq!(spans("2024-01-15T10:30:00Z", &st), ["2024", "01", "15", "10", "30", "00"]);
        assert_eq!(spans("2024-01-15t10:30:00.5+05:30", &st), ["2024", "01", "15", "10", "30", "00.5", "05", "30"]);
        assert_eq!(spans("20240115T103000Z 2024-01-15T1030 x2024-01-15T10", &st), ["2024", "01", "01"]);
        assert_eq!(spans("é2024-01-15T10", &st), ["01"]);
        assert_eq!(spans("·2024-01-15T10", &st), ["2024", "01", "15", "10"]);
        assert_eq!(spans("2024-01-15T10,480,123", &st)[4..], ["480", "123"]);
        assert_eq!(spans("2024-01-15T10Z,480,123", &st)[4..], ["480,123"]);
    }

    #[test]
    fn candidates_are_digits_marks_and_non_ascii() {
        let text = b"abcdefgh ijklmnop, qrstuvw.xyz 9 \xc3\xa9";
        assert_eq!(next_candidate(text, 0, b'.'), 26);
        assert_eq!(next_candidate(text, 0, b','), 17);
        assert_eq!(next_candidate(text, 27, b'.'), 31);
        assert_eq!(next_candidate(text, 32, b'.'), 33);
        assert_eq!(next_candidate(b"abc", 0, b'.'), 3);
        for k in 0..=255u8 {
            let mut t = [b'a'; 11];
            t[9] = k;
            let want = if k >= 0x80 || k.is_ascii_digit() || k == b'.' { 9 } else { 11 };
            assert_eq!(next_candidate(&t, 0, b'.'), want, "byte {k}");
            assert_eq!(next_candidate(&t, 2, b'.'), want, "byte {k}");
        }
    }

    #[test]
    fn jumps_keep_the_word_state() {
        let st = Settings::default_exact("vocab");
        assert_eq!(spans("abcdefghij12 klmnopqrs.34 tuvwxyz 56 _7 x.y.8 a..9", &st), ["56", "9"]);
        let mut c = Settings::default_exact("vocab");
        c.decimal = b',';
        c.separators = vec!['.'];
        assert_eq!(spans("abcdefghij.12 abcdefgh,12 abc 1.234,5", &c), ["12", "1.234,5"]);
    }

    #[test]
    fn range_policies() {
        let mut st = Settings::default_exact("vocab");
        st.int_digits = 3;
        assert_eq!(spans("1234 123", &st), ["123"]);
        st.overflow = Overflow::Extend;
        assert_eq!(spans("1234 123", &st), ["1234", "123"]);
        st.overflow = Overflow::Error;
        let err = scan_numbers(b"ab 1234", &st, |_| {}).unwrap_err();
        assert_eq!(err.position, 3);
        assert_eq!(err.reason, "4 integer digits, more than int_digits=3");
    }

    #[test]
    fn out_of_range_numerals_are_reported() {
        let mut st = Settings::default_exact("vocab");
        st.int_digits = 3;
        st.frac_digits = 2;
        let text = b"1234 1.234 12 1e1234 1,234";
        let mut found = Vec::new();
        let mut nums = Vec::new();
        scan_with_out_of_range(text, &st, |n| nums.push((n.start, n.end)), |r| found.push(r)).unwrap();
        let want = [(0, 4, true, 4), (5, 10, false, 3), (16, 20, true, 4), (21, 26, true, 4)];
        let got: Vec<_> = found.iter().map(|r| (r.start, r.end, r.integer, r.digits)).collect();
        assert_eq!(got, want);
        assert_eq!(nums, [(11, 13), (14, 15)]);
    }

    #[test]
    fn groups_span_separators() {
        let st = Settings::default_exact("vocab");
        let text = b"1,234,567.1234";
        let mut got = Vec::new();
        scan_numbers(text, &st, |num| {
            for_each_group(text, num, 2, |g| {
                got.push((String::from_utf8(g.digits().to_vec()).unwrap(), g.power, g.start, g.end))
            })
        })
        .unwrap();
        let want =
            [("1", 6, 0, 1), ("23", 4, 2, 4), ("45", 2, 4, 7), ("67", 0, 7, 9), ("12", -2, 10, 12), ("34", -4, 12, 14)];
        let want: Vec<_> = want.iter().map(|&(d, p, a, b)| (d.to_string(), p, a, b)).collect();
        assert_eq!(got, want);
    }
}
