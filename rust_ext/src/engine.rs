//! One codec configuration and its operations, with code point positions.
//!
//! The core modules work in byte offsets; this facade dispatches on the style
//! and turns every position it hands out (numbers, errors) into code point
//! indices, as Python's `str` counts them.

use std::fmt;

use crate::chars::{count_chars, CharCursor};
use crate::decode::{decode, decode_units_into, DecodeReason};
use crate::encode::{encode, encode_utf16, encode_utf16_into, encode_with_offsets, encode_with_offsets_utf16, Piece};
use crate::grammar::{for_each_group, scan_numbers, scan_with_out_of_range, Numeral, RangeError};
use crate::paper::{encode_paper, scan_paper};
use crate::settings::{Settings, Style, Variant};
use crate::units::Unit;

/// Message of `encode_with_offsets` in the paper style.
pub const PAPER_NO_OFFSETS: &str = "style='paper' is lossy and has no offsets; use style='exact'";
/// Message of `decode` in the paper style.
pub const PAPER_NO_DECODE: &str = "style='paper' is lossy and cannot be decoded; use style='exact'";

/// Everything that can go wrong, as the Python exceptions of `tst.errors` carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// `TSTDecodeError(position, reason)`; position in code points of the decoded input.
    Decode { position: usize, reason: DecodeReason },
    /// `TSTRangeError(position, reason)`; position in code points of the encoded input.
    Range { position: usize, reason: String },
    /// `TSTError(message)`.
    Unsupported(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Decode { position, reason } => {
                write!(f, "invalid TST at position {position}: {}", reason.message(&repr))
            }
            Error::Range { position, reason } => {
                write!(f, "number at position {position} is out of range: {reason}")
            }
            Error::Unsupported(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {}

/// Python's `repr` of a string, for messages outside Python.
///
/// Exact for ASCII; other code points are kept as they are (Python escapes the
/// non-printable ones; the binding layer asks Python itself instead).
pub fn repr(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// One digit group, positions in code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupInfo {
    /// The group's digits as written.
    pub digits: String,
    /// Exponent of its least significant digit.
    pub power: i64,
    /// Index of its first digit.
    pub start: usize,
    /// Index just past its last digit.
    pub end: usize,
}

/// One number, positions in code points (what `Codec.numbers` reports).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberInfo {
    /// Index of the numeral's first character.
    pub start: usize,
    /// Index just past its last digit.
    pub end: usize,
    /// Integer groups, then fractional groups.
    pub groups: Vec<GroupInfo>,
    /// The thousands separator it was written with.
    pub separator: Option<char>,
    /// True for Indian grouping.
    pub indian: bool,
}

/// An immutable codec: safe to share between threads.
#[derive(Clone, Debug)]
pub struct Engine {
    settings: Settings,
}

impl Engine {
    /// An engine for validated settings.
    pub fn new(settings: Settings) -> Engine {
        Engine { settings }
    }

    /// Its settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Encode UTF-8 text (lone surrogates allowed, as `surrogatepass` writes them).
    pub fn encode(&self, s: &[u8]) -> Result<Vec<u8>, Error> {
        let st = &self.settings;
        match st.style {
            Style::Paper => Ok(encode_paper(s, st.group_size, st.variant == Variant::Vocab)),
            Style::Exact => encode(s, st).map_err(|e| range_error(s, e)),
        }
    }

    /// `encode` straight to UTF-16; `s` must hold no lone surrogate (see [`crate::chars::has_surrogates`]).
    pub fn encode_utf16(&self, s: &[u8]) -> Result<Vec<u16>, Error> {
        let st = &self.settings;
        match st.style {
            Style::Paper => Ok(utf16(&encode_paper(s, st.group_size, st.variant == Variant::Vocab))),
            Style::Exact => encode_utf16(s, st).map_err(|e| range_error(s, e)),
        }
    }

    /// `encode_utf16` reusing the memory of `buf` for the result.
    pub fn encode_utf16_into(&self, s: &[u8], buf: Vec<u16>) -> Result<Vec<u16>, Error> {
        let st = &self.settings;
        match st.style {
            Style::Paper => self.encode_utf16(s),
            Style::Exact => encode_utf16_into(s, st, buf).map_err(|e| range_error(s, e)),
        }
    }

    /// `encode_with_offsets` straight to UTF-16; `s` must hold no lone surrogate.
    pub fn encode_with_offsets_utf16(&self, s: &[u8]) -> Result<(Vec<u16>, Vec<Piece>), Error> {
        if self.settings.style == Style::Paper {
            return Err(Error::Unsupported(PAPER_NO_OFFSETS));
        }
        encode_with_offsets_utf16(s, &self.settings).map_err(|e| range_error(s, e))
    }

    /// Decode exact-style text; `strict` fails at the first invalid spot, lenient never fails.
    pub fn decode(&self, s: &[u8], strict: bool) -> Result<Vec<u8>, Error> {
        if self.settings.style == Style::Paper {
            return Err(Error::Unsupported(PAPER_NO_DECODE));
        }
        decode(s, &self.settings, strict)
            .map_err(|e| Error::Decode { position: count_chars(&s[..e.position]), reason: e.reason })
    }

    /// `decode` on UTF-16 text without lone surrogates, to UTF-16.
    pub fn decode_utf16(&self, s: &[u16], strict: bool) -> Result<Vec<u16>, Error> {
        self.decode_utf16_into(s, strict, Vec::new())
    }

    /// `decode` on code points without surrogates (what `PyUnicode_AsUCS4` gives), to UTF-16,
    /// reusing the memory of `buf`; error positions are code point indices.
    pub fn decode_ucs4_into(&self, s: &[u32], strict: bool, buf: Vec<u16>) -> Result<Vec<u16>, Error> {
        if self.settings.style == Style::Paper {
            return Err(Error::Unsupported(PAPER_NO_DECODE));
        }
        decode_units_into(s, &self.settings, strict, buf)
            .map_err(|e| Error::Decode { position: e.position, reason: e.reason })
    }

    /// `decode_utf16` reusing the memory of `buf` for the result.
    pub fn decode_utf16_into(&self, s: &[u16], strict: bool, buf: Vec<u16>) -> Result<Vec<u16>, Error> {
        if self.settings.style == Style::Paper {
            return Err(Error::Unsupported(PAPER_NO_DECODE));
        }
        decode_units_into(s, &self.settings, strict, buf)
            .map_err(|e| Error::Decode { position: u16::count_chars(&s[..e.position]), reason: e.reason })
    }

    /// Encode and list `(enc_start, enc_end, orig_start, orig_end)` per unit and escape.
    pub fn encode_with_offsets(&self, s: &[u8]) -> Result<(Vec<u8>, Vec<Piece>), Error> {
        if self.settings.style == Style::Paper {
            return Err(Error::Unsupported(PAPER_NO_OFFSETS));
        }
        encode_with_offsets(s, &self.settings).map_err(|e| range_error(s, e))
    }

    /// Every number of `s`, in order.
    pub fn numbers(&self, s: &[u8]) -> Result<Vec<NumberInfo>, Error> {
        let st = &self.settings;
        let mut out = Vec::new();
        let mut cur = CharCursor::new(s);
        let mut add = |num: &Numeral<'_>| out.push(number_info(s, num, st.group_size, &mut cur));
        match st.style {
            Style::Paper => scan_paper(s, |_, num, _| add(num)),
            Style::Exact => scan_numbers(s, st, add).map_err(|e| range_error(s, e))?,
        }
        Ok(out)
    }

    /// The numerals of `s` outside the range, in order: `(start, end, integer, digits)` in code points,
    /// `integer` false when the fractional digits are the excess (empty in the paper style).
    pub fn out_of_range(&self, s: &[u8]) -> Result<Vec<(usize, usize, bool, usize)>, Error> {
        let st = &self.settings;
        let mut out = Vec::new();
        if st.style == Style::Exact {
            let mut cur = CharCursor::new(s);
            scan_with_out_of_range(s, st, |_| {}, |r| out.push((cur.at(r.start), cur.at(r.end), r.integer, r.digits)))
                .map_err(|e| range_error(s, e))?;
        }
        Ok(out)
    }

    /// `encode` on a Rust string.
    pub fn encode_str(&self, s: &str) -> Result<String, Error> {
        self.encode(s.as_bytes()).map(utf8)
    }

    /// `decode` on a Rust string.
    pub fn decode_str(&self, s: &str, strict: bool) -> Result<String, Error> {
        self.decode(s.as_bytes(), strict).map(utf8)
    }
}

/// UTF-16 of surrogate-free UTF-8.
fn utf16(v: &[u8]) -> Vec<u16> {
    let mut out = Vec::with_capacity(v.len());
    crate::units::push_utf16(&mut out, v);
    out
}

/// Output made from valid UTF-8 input is valid UTF-8.
fn utf8(v: Vec<u8>) -> String {
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn range_error(s: &[u8], e: RangeError) -> Error {
    Error::Range { position: count_chars(&s[..e.position]), reason: e.reason }
}

fn number_info(s: &[u8], num: &Numeral<'_>, g: usize, cur: &mut CharCursor<'_>) -> NumberInfo {
    let start = cur.at(num.start);
    let mut groups = Vec::new();
    for_each_group(s, num, g, |grp| {
        let a = cur.at(grp.start);
        let b = cur.at(grp.end);
        let digits = String::from_utf8_lossy(grp.digits()).into_owned();
        groups.push(GroupInfo { digits, power: grp.power, start: a, end: b });
    });
    let end = cur.at(num.end);
    NumberInfo { start, end, groups, separator: num.sep.and_then(char::from_u32), indian: num.indian }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_code_points() {
        let e = Engine::new(Settings::default_exact("vocab"));
        let nums = e.numbers("€ 1,234.5 é 7".as_bytes()).unwrap();
        assert_eq!(nums.len(), 2);
        assert_eq!((nums[0].start, nums[0].end, nums[0].separator), (2, 9, Some(',')));
        assert_eq!(nums[0].groups[1], GroupInfo { digits: "234".into(), power: 0, start: 4, end: 7 });
        assert_eq!(nums[0].groups[2], GroupInfo { digits: "5".into(), power: -1, start: 8, end: 9 });
        assert_eq!((nums[1].start, nums[1].end), (12, 13));
    }

    #[test]
    fn errors_read_like_python() {
        let e = Engine::new(Settings::default_exact("vocab"));
        let err = e.decode_str("é⟧", true).unwrap_err();
        assert_eq!(err.to_string(), "invalid TST at position 1: unescaped '⟧' (write it as '⟦⟧⟧')");
        let points: Vec<u32> = "😀é⟦1k⟧x".chars().map(|c| c as u32).collect();
        assert_eq!(
            e.decode_ucs4_into(&points, true, Vec::new()).unwrap_err(),
            e.decode_str("😀é⟦1k⟧x", true).unwrap_err()
        );
        let ok: Vec<u32> = "😀 ⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧".chars().map(|c| c as u32).collect();
        assert_eq!(String::from_utf16(&e.decode_ucs4_into(&ok, true, Vec::new()).unwrap()).unwrap(), "😀 1,234.5");
        let wide: Vec<u16> = "😀é⟦1k⟧x".encode_utf16().collect();
        let err16 = e.decode_utf16(&wide, true).unwrap_err();
        assert_eq!(err16, e.decode_str("😀é⟦1k⟧x", true).unwrap_err());
        assert_eq!(err16.to_string(), "invalid TST at position 6: number cut short: expected its group of 10^0");
        let mut st = Settings::default_exact("vocab");
        st.int_digits = 2;
        st.overflow = crate::settings::Overflow::Error;
        let err = Engine::new(st).encode_str("é 123").unwrap_err();
        assert_eq!(err.to_string(), "number at position 2 is out of range: 3 integer digits, more than int_digits=2");
        let mut st = Settings::default_exact("vocab");
        st.style = Style::Paper;
        assert_eq!(Engine::new(st).decode_str("x", true).unwrap_err(), Error::Unsupported(PAPER_NO_DECODE));
        assert_eq!(repr(b"it's"), "\"it's\"");
        assert_eq!(repr(b"a\nb'\""), "'a\\nb\\'\"'");
    }
}
