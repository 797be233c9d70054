//! What the fuzz targets check, shared with the libFuzzer-free replay test.
//!
//! An input is three header bytes that pick a configuration (every knob of
//! `Settings`), then the text. The text is made *generalized UTF-8* by
//! [`wtf8`]: what Python's `surrogatepass` writes, the only bytes the Python
//! layer ever hands the engine. [`check_encode`], [`check_decode`] and
//! [`check_spans`] assert the engine's contract on it and panic (a finding)
//! when it is broken; the first two also run [`check_unit_paths`], which holds
//! the UTF-16 and code point entry points (what Python calls) to the UTF-8
//! ones. [`exercise_raw`] feeds raw, possibly ill-formed bytes
//! to every entry point and asserts only that nothing panics.

use _tst_rs::chars::decode_at;
use _tst_rs::settings::{Overflow, Style, Variant};
use _tst_rs::{Engine, Error, Settings};

/// Bytes of configuration at the start of every input.
pub const HEADER: usize = 3;

const SEPARATORS: [Option<&str>; 8] =
    [None, None, Some(" "), Some(",' "), Some("_"), Some("\u{a0}\u{2009}"), Some("'"), Some(".,'\u{2019}")];
const INT_DIGITS: [usize; 8] = [18, 1, 2, 3, 5, 30, 6, 18];
const FRAC_DIGITS: [usize; 4] = [15, 0, 3, 30];
const DEFAULT_SEPARATORS: &str = ",'\u{a0}\u{2009}\u{202f}\u{2019}_";
const DEFAULT_SEPARATORS_DECIMAL_COMMA: &str = ".'\u{a0}\u{2009}\u{202f}\u{2019}_";

/// The configuration picked by the header bytes (missing bytes read as 0: the defaults).
pub fn settings(header: &[u8]) -> Settings {
    let a = header.first().copied().unwrap_or(0);
    let b = header.get(1).copied().unwrap_or(0);
    let c = header.get(2).copied().unwrap_or(0);
    let variant = if a & 1 == 0 { "marker" } else { "vocab" };
    let group_size = match (a >> 1) & 7 {
        0 | 7 => 3,
        k => k as usize,
    };
    let decimal = if a & 0x10 == 0 { "." } else { "," };
    let indian = a & 0x20 != 0;
    let overflow = ["text", "extend", "error", "text"][(a >> 6) as usize];
    let separators: String = match SEPARATORS[(b & 7) as usize] {
        None if decimal == "." => DEFAULT_SEPARATORS.to_string(),
        None => DEFAULT_SEPARATORS_DECIMAL_COMMA.to_string(),
        Some(s) => s.chars().filter(|&ch| ch.to_string() != decimal).collect(),
    };
    let int_digits = INT_DIGITS[((b >> 3) & 7) as usize];
    let frac_digits = FRAC_DIGITS[(b >> 6) as usize];
    let style = if c & 1 == 0 { "exact" } else { "paper" };
    Settings::new(variant, group_size, style, decimal, &separators, indian, int_digits, frac_digits, overflow)
        .expect("every header picks valid settings")
}

/// Split an input into its settings and its text (made generalized UTF-8).
pub fn case(data: &[u8]) -> (Settings, Vec<u8>) {
    let cut = data.len().min(HEADER);
    (settings(&data[..cut]), wtf8(&data[cut..]))
}

/// Length of the well-formed sequence at `p` (lone surrogates allowed), or None.
fn sequence_at(s: &[u8], p: usize) -> Option<usize> {
    let cont = |k: usize| s.get(p + k).is_some_and(|&b| (0x80..=0xBF).contains(&b));
    let second = |lo: u8, hi: u8| s.get(p + 1).is_some_and(|&b| (lo..=hi).contains(&b));
    match s[p] {
        0x00..=0x7F => Some(1),
        0xC2..=0xDF if cont(1) => Some(2),
        0xE0 if second(0xA0, 0xBF) && cont(2) => Some(3),
        0xE1..=0xEF if cont(1) && cont(2) => Some(3), // 0xED: surrogates pass
        0xF0 if second(0x90, 0xBF) && cont(2) && cont(3) => Some(4),
        0xF1..=0xF3 if cont(1) && cont(2) && cont(3) => Some(4),
        0xF4 if second(0x80, 0x8F) && cont(2) && cont(3) => Some(4),
        _ => None,
    }
}

/// True for UTF-8 in which lone surrogates may appear (Python's `surrogatepass`).
pub fn is_wtf8(s: &[u8]) -> bool {
    let mut p = 0;
    while p < s.len() {
        match sequence_at(s, p) {
            Some(len) => p += len,
            None => return false,
        }
    }
    true
}

/// Any bytes as generalized UTF-8: well-formed sequences (lone surrogates
/// included) are kept, every other byte becomes the code point of equal value.
/// Identity on inputs that already are generalized UTF-8, so mutations of the
/// seed corpus stay close to text.
pub fn wtf8(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 2);
    let mut p = 0;
    while p < data.len() {
        match sequence_at(data, p) {
            Some(len) => {
                out.extend_from_slice(&data[p..p + len]);
                p += len;
            }
            None => {
                let b = data[p];
                out.extend_from_slice(&[0xC0 | (b >> 6), 0x80 | (b & 0x3F)]);
                p += 1;
            }
        }
    }
    out
}

/// The code points of generalized UTF-8 text.
pub fn code_points(s: &[u8]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    let mut p = 0;
    while p < s.len() {
        let (cp, len) = decode_at(s, p);
        out.push(cp);
        p += len;
    }
    out
}

/// UTF-16 code units of surrogate-free text.
pub fn utf16(s: &[u8]) -> Vec<u16> {
    let mut out = Vec::with_capacity(s.len());
    for cp in code_points(s) {
        let mut buf = [0u16; 2];
        out.extend_from_slice(char::from_u32(cp).expect("no surrogates").encode_utf16(&mut buf));
    }
    out
}

/// A reused output buffer that still holds an earlier result.
fn stale_buffer() -> Vec<u16> {
    vec![0x41; 37]
}

/// The UTF-16 and code point paths (what Python calls for surrogate-free text)
/// give what the UTF-8 path gives: outputs, offsets and errors, buffers reused or not.
pub fn check_unit_paths(st: &Settings, text: &[u8]) {
    if _tst_rs::chars::has_surrogates(text) {
        return;
    }
    let engine = Engine::new(st.clone());
    let as16 = |r: Result<Vec<u8>, Error>| r.map(|v| utf16(&v));
    let encoded = as16(engine.encode(text));
    assert_eq!(engine.encode_utf16(text), encoded, "encode_utf16 differs from encode");
    assert_eq!(engine.encode_utf16_into(text, stale_buffer()), encoded, "encode_utf16_into differs");
    if st.style == Style::Exact {
        let offsets = engine.encode_with_offsets(text).map(|(v, p)| (utf16(&v), p));
        assert_eq!(engine.encode_with_offsets_utf16(text), offsets, "encode_with_offsets_utf16 differs");
    }
    let units = utf16(text);
    let points = code_points(text);
    for strict in [true, false] {
        let decoded = as16(engine.decode(text, strict));
        assert_eq!(engine.decode_utf16(&units, strict), decoded, "decode_utf16 differs (strict={strict})");
        assert_eq!(
            engine.decode_utf16_into(&units, strict, stale_buffer()),
            decoded,
            "decode_utf16_into differs (strict={strict})"
        );
        assert_eq!(
            engine.decode_ucs4_into(&points, strict, stale_buffer()),
            decoded,
            "decode_ucs4_into differs (strict={strict})"
        );
    }
}

const OPEN: u32 = 0x27E6;
const CLOSE: u32 = 0x27E7;

/// Encoding succeeds (or, with `overflow = "error"`, fails with a range error
/// inside the text), gives generalized UTF-8, agrees with the offsets form, and
/// decodes back to the text in both decoding modes (exact style).
pub fn check_encode(st: &Settings, text: &[u8]) {
    check_unit_paths(st, text);
    let engine = Engine::new(st.clone());
    let chars = code_points(text).len();
    let out = match engine.encode(text) {
        Ok(out) => out,
        Err(Error::Range { position, .. }) => {
            assert_eq!(st.overflow, Overflow::Error, "range error without overflow='error'");
            assert!(position < chars, "range error at {position}, past the text ({chars})");
            if st.style == Style::Exact {
                assert!(matches!(engine.encode_with_offsets(text), Err(Error::Range { .. })));
            }
            assert!(matches!(engine.numbers(text), Err(Error::Range { .. })));
            return;
        }
        Err(e) => panic!("encode failed with {e:?}"),
    };
    assert!(is_wtf8(&out), "encoded text is not generalized UTF-8");
    if st.style == Style::Paper {
        assert_eq!(engine.decode(&out, true).unwrap_err(), Error::Unsupported(_tst_rs::engine::PAPER_NO_DECODE));
        return;
    }
    let (with_offsets, _) = engine.encode_with_offsets(text).expect("offsets fail where encode succeeds");
    assert_eq!(with_offsets, out, "encode and encode_with_offsets disagree");
    match engine.decode(&out, true) {
        Ok(back) => assert_eq!(back, text, "strict decode(encode(x)) != x"),
        Err(e) => panic!("strict decode of an encoding failed: {e}"),
    }
    assert_eq!(engine.decode(&out, false).expect("lenient decode never fails"), text, "lenient decode(encode(x)) != x");
}

/// Decoding any text: strict succeeds or raises a decode error inside the text;
/// lenient never fails, and equals strict wherever strict succeeds.
pub fn check_decode(st: &Settings, text: &[u8]) {
    check_unit_paths(st, text);
    let engine = Engine::new(st.clone());
    if st.style == Style::Paper {
        for strict in [true, false] {
            assert_eq!(engine.decode(text, strict).unwrap_err(), Error::Unsupported(_tst_rs::engine::PAPER_NO_DECODE));
        }
        return;
    }
    let chars = code_points(text).len();
    let strict = engine.decode(text, true);
    let lenient = engine.decode(text, false).expect("lenient decode never fails");
    assert!(is_wtf8(&lenient), "decoded text is not generalized UTF-8");
    match strict {
        Ok(out) => assert_eq!(out, lenient, "lenient differs from a successful strict decode"),
        Err(Error::Decode { position, reason }) => {
            assert!(position <= chars, "decode error at {position}, past the text ({chars}): {reason:?}");
        }
        Err(e) => panic!("strict decode failed with {e:?}"),
    }
}

/// Number spans and groups, and the offset pieces, describe the text exactly.
pub fn check_spans(st: &Settings, text: &[u8]) {
    let engine = Engine::new(st.clone());
    let orig = code_points(text);
    let numbers = match engine.numbers(text) {
        Ok(found) => found,
        Err(Error::Range { .. }) => {
            assert_eq!(st.overflow, Overflow::Error);
            return;
        }
        Err(e) => panic!("numbers failed with {e:?}"),
    };
    let g = st.group_size;
    let mut prev_end = 0;
    for num in &numbers {
        assert!(prev_end <= num.start && num.start < num.end && num.end <= orig.len(), "bad span {num:?}");
        prev_end = num.end;
        if let Some(sep) = num.separator {
            assert!(st.is_separator(sep as u32), "separator {sep:?} is not configured");
        }
        assert!(!num.groups.is_empty(), "number without groups");
        let ints = num.groups.iter().filter(|grp| grp.power >= 0).count();
        let mut frac_len = 0i64;
        for (k, grp) in num.groups.iter().enumerate() {
            assert!(num.start <= grp.start && grp.start < grp.end && grp.end <= num.end, "group outside {num:?}");
            // A group may straddle its number's separators (`1,234` in groups of 2: `1`, `2,3`, `4`).
            // Paper style reads separators as the official converter does, without reporting them.
            let sep = num.separator.map(|c| c as u32);
            let paper = st.style == Style::Paper;
            let written: String = orig[grp.start..grp.end]
                .iter()
                .filter(|&&c| Some(c) != sep && (!paper || (0x30..=0x39).contains(&c)))
                .filter_map(|&c| char::from_u32(c))
                .collect();
            assert_eq!(written, grp.digits, "group digits differ from the text");
            assert!(
                Some(orig[grp.start]) != sep && Some(orig[grp.end - 1]) != sep,
                "group span starts or ends on a separator"
            );
            assert!(grp.digits.bytes().all(|b| b.is_ascii_digit()) && grp.digits.len() <= g);
            if st.style == Style::Paper {
                continue;
            }
            if k < ints {
                let expected = ((ints - 1 - k) * g) as i64;
                assert_eq!(grp.power, expected, "integer group power");
                assert!(k == 0 || grp.digits.len() == g, "inner integer group shorter than the group size");
            } else {
                frac_len += grp.digits.len() as i64;
                assert_eq!(grp.power, -frac_len, "fractional group power");
                assert!(k + 1 == num.groups.len() || grp.digits.len() == g, "inner fractional group too short");
            }
        }
    }
    if st.style == Style::Exact {
        check_offsets(st, &engine, text, &orig);
    }
}

fn check_offsets(st: &Settings, engine: &Engine, text: &[u8], orig: &[u32]) {
    let (out, pieces) = engine.encode_with_offsets(text).expect("numbers succeeded");
    let enc = code_points(&out);
    let (mut e, mut o) = (0, 0);
    let gap = |e: usize, o: usize, e2: usize, o2: usize| {
        assert!(e <= e2 && o <= o2, "pieces out of order");
        if e2 - e == o2 - o {
            assert_eq!(enc[e..e2], orig[o..o2], "text between pieces is not verbatim");
        } else {
            assert_eq!(e2, e, "gap of unequal length that is not dropped separators");
            assert!(o2 - o == 1 && st.is_separator(orig[o]), "dropped text that is not one separator");
        }
    };
    for &(es, ee, os, oe) in &pieces {
        gap(e, o, es, os);
        assert!(es + 3 <= ee && ee <= enc.len() && oe <= orig.len(), "piece out of bounds");
        let unit = &enc[es..ee];
        assert!(unit[0] == OPEN && unit[unit.len() - 1] == CLOSE, "piece is not a unit");
        let content = &unit[1..unit.len() - 1];
        if content.len() == 1 && (content[0] == OPEN || content[0] == CLOSE) {
            assert_eq!(&orig[os..oe], &[if content[0] == OPEN { OPEN } else { CLOSE }], "escape");
        } else {
            assert!(!content.contains(&OPEN) && !content.contains(&CLOSE), "unit holds a bracket");
            // A group straddles its number's separators when the group size is not 3.
            let span = &orig[os..oe];
            let digits: Vec<u32> = span.iter().copied().filter(|&c| !st.is_separator(c)).collect();
            assert!(
                span.iter().all(|&c| (0x30..=0x39).contains(&c) || st.is_separator(c))
                    && span.first().is_none_or(|&c| !st.is_separator(c))
                    && span.last().is_none_or(|&c| !st.is_separator(c)),
                "unit {:?} stands for text that is not a digit group",
                content
            );
            assert_eq!(&content[..digits.len()], &digits[..], "unit does not start with its digits");
            if st.variant == Variant::Marker {
                let tail = &content[digits.len()..];
                assert!(digits.is_empty() || tail.is_empty(), "marker-variant group unit with a name");
            }
        }
        e = ee;
        o = oe;
    }
    gap(e, o, enc.len(), orig.len());
}

/// Every entry point on raw bytes (ill-formed UTF-8 too): results are not
/// checked, only that nothing panics.
pub fn exercise_raw(st: &Settings, data: &[u8]) {
    let engine = Engine::new(st.clone());
    let _ = engine.encode(data);
    let _ = engine.encode_with_offsets(data);
    let _ = engine.numbers(data);
    let _ = engine.decode(data, true);
    let _ = engine.decode(data, false);
}

/// Every check on one fuzz input (what the replay test runs).
pub fn check_all(data: &[u8]) {
    let (st, text) = case(data);
    check_encode(&st, &text);
    check_decode(&st, &text);
    check_spans(&st, &text);
    if let Ok(enc) = Engine::new(st.clone()).encode(&text) {
        check_decode(&st, &enc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wtf8_keeps_text_and_surrogates() {
        let text = "a€😀 ⟦1k⟧".as_bytes();
        assert_eq!(wtf8(text), text);
        assert_eq!(wtf8(&[0xED, 0xA0, 0x80]), [0xED, 0xA0, 0x80]);
        assert_eq!(wtf8(&[0xFF, b'1', 0xE2, 0x9F]), "ÿ1\u{e2}\u{9f}".as_bytes());
        assert!(is_wtf8(&wtf8(&[0xF4, 0x90, 0x80, 0x80, 0xC0, 0x80])));
    }

    #[test]
    fn headers_cover_the_knobs() {
        assert_eq!(settings(&[]), Settings::default_exact("marker"));
        let st = settings(&[0xFF, 0xFF, 0xFF]);
        assert_eq!((st.variant, st.group_size, st.decimal), (Variant::Vocab, 3, b','));
        assert_eq!((st.style, st.overflow, st.indian), (Style::Paper, Overflow::Text, true));
        assert_eq!(settings(&[0b0100_1010, 0, 0]).group_size, 5);
        assert_eq!(settings(&[0b1000_0000, 0, 0]).overflow, Overflow::Error);
    }
}
