//! Code units the engine reads and writes: UTF-8 bytes or UTF-16 units.
//!
//! Python builds a `str` from UTF-16 and encodes an encoded (non-ASCII) `str`
//! to UTF-16 many times faster than to or from UTF-8, so the encoder can write
//! and the decoder can read either. UTF-16 text handed to the engine holds no
//! lone surrogate (the bindings check); UTF-8 text may hold them in the 3-byte
//! form of Python's `surrogatepass`.

use memchr::memchr_iter;

use crate::spelling::{CLOSE_BYTES, ESCAPED_CLOSE, ESCAPED_OPEN, OPEN_BYTES};

/// One code unit of a text encoding.
pub trait Unit: Copy + Default + Eq + Send + Sync + std::fmt::Debug + 'static {
    /// ⟦ in this encoding.
    const OPEN: &'static [Self];
    /// ⟧ in this encoding.
    const CLOSE: &'static [Self];
    /// The escape of a literal ⟦.
    const ESCAPED_OPEN: &'static [Self];
    /// The escape of a literal ⟧.
    const ESCAPED_CLOSE: &'static [Self];
    /// An ASCII byte as a unit.
    fn ascii(b: u8) -> Self;
    /// The unit's value (a byte, or a UTF-16 code unit).
    fn value(self) -> u32;
    /// Append UTF-8 text (whole code points; no lone surrogate for UTF-16).
    fn push_text(out: &mut Vec<Self>, text: &[u8]);
    /// The code point starting at unit `p` and its length in units.
    fn decode_at(t: &[Self], p: usize) -> (u32, usize);
    /// The first ⟦ or ⟧ at or after `p`: its offset and whether it is ⟧.
    fn find_bracket(t: &[Self], p: usize) -> Option<(usize, bool)>;
    /// Number of code points in `t`.
    fn count_chars(t: &[Self]) -> usize;
    /// `t` as UTF-8 (lone surrogates in their `surrogatepass` form).
    fn to_utf8(t: &[Self]) -> Vec<u8>;
    /// `t` as bytes when it is all ASCII (UTF-8 text is passed through as is).
    fn ascii_bytes<'b>(t: &'b [Self], buf: &'b mut Vec<u8>) -> Option<&'b [u8]>;
}

/// True when `t[p..]` starts with `pat`.
#[inline]
pub fn starts<U: Unit>(t: &[U], p: usize, pat: &[U]) -> bool {
    // Element by element: patterns are a few constant units, a slice compare would call memcmp.
    t.len() >= p + pat.len() && pat.iter().zip(&t[p..]).all(|(a, b)| a == b)
}

/// Append a short slice without a `memcpy` call (a few elements in a loop are cheaper).
#[inline]
pub fn push_short<U: Unit>(out: &mut Vec<U>, units: &[U]) {
    if units.len() <= 8 {
        out.extend(units.iter().copied());
    } else {
        out.extend_from_slice(units);
    }
}

impl Unit for u8 {
    const OPEN: &'static [u8] = OPEN_BYTES;
    const CLOSE: &'static [u8] = CLOSE_BYTES;
    const ESCAPED_OPEN: &'static [u8] = ESCAPED_OPEN.as_bytes();
    const ESCAPED_CLOSE: &'static [u8] = ESCAPED_CLOSE.as_bytes();
    #[inline]
    fn ascii(b: u8) -> u8 {
        b
    }
    #[inline]
    fn value(self) -> u32 {
        u32::from(self)
    }
    #[inline]
    fn push_text(out: &mut Vec<u8>, text: &[u8]) {
        out.extend_from_slice(text);
    }
    #[inline]
    fn decode_at(t: &[u8], p: usize) -> (u32, usize) {
        crate::chars::decode_at(t, p)
    }
    #[inline]
    fn find_bracket(t: &[u8], p: usize) -> Option<(usize, bool)> {
        let tail = t.get(p..)?;
        // Brackets are often close by (between units): look there before setting up memchr.
        for (k, &b) in tail.iter().take(8).enumerate() {
            if b == 0xE2 {
                match tail.get(k..k + 3) {
                    Some(x) if x == OPEN_BYTES => return Some((p + k, false)),
                    Some(x) if x == CLOSE_BYTES => return Some((p + k, true)),
                    _ => {}
                }
            }
        }
        if tail.len() <= 8 {
            return None;
        }
        for k in memchr_iter(0xE2, &tail[8..]).map(|k| k + 8) {
            match tail.get(k..k + 3) {
                Some(x) if x == OPEN_BYTES => return Some((p + k, false)),
                Some(x) if x == CLOSE_BYTES => return Some((p + k, true)),
                _ => {}
            }
        }
        None
    }
    #[inline]
    fn count_chars(t: &[u8]) -> usize {
        crate::chars::count_chars(t)
    }
    fn to_utf8(t: &[u8]) -> Vec<u8> {
        t.to_vec()
    }
    #[inline]
    fn ascii_bytes<'b>(t: &'b [u8], _buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
        Some(t)
    }
}

impl Unit for u16 {
    const OPEN: &'static [u16] = &[0x27E6];
    const CLOSE: &'static [u16] = &[0x27E7];
    const ESCAPED_OPEN: &'static [u16] = &[0x27E6, 0x27E6, 0x27E7];
    const ESCAPED_CLOSE: &'static [u16] = &[0x27E6, 0x27E7, 0x27E7];
    #[inline]
    fn ascii(b: u8) -> u16 {
        u16::from(b)
    }
    #[inline]
    fn value(self) -> u32 {
        u32::from(self)
    }
    #[inline]
    fn push_text(out: &mut Vec<u16>, text: &[u8]) {
        push_utf16(out, text);
    }
    #[inline]
    fn decode_at(t: &[u16], p: usize) -> (u32, usize) {
        let u = t[p];
        if (0xD800..0xDC00).contains(&u) {
            if let Some(&low) = t.get(p + 1) {
                if (0xDC00..0xE000).contains(&low) {
                    return (0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00), 2);
                }
            }
        }
        (u32::from(u), 1)
    }
    #[inline]
    fn find_bracket(t: &[u16], p: usize) -> Option<(usize, bool)> {
        // Four units at a time: a unit equal to 0x27E6 or 0x27E7 (low bit ignored) becomes zero.
        const LO: u64 = 0x0001_0001_0001_0001;
        const HI: u64 = 0x8000_8000_8000_8000;
        const PAT: u64 = 0x27E6_27E6_27E6_27E6;
        let n = t.len();
        let mut i = p;
        while i + 4 <= n {
            let x = u64::from(t[i]) | u64::from(t[i + 1]) << 16 | u64::from(t[i + 2]) << 32 | u64::from(t[i + 3]) << 48;
            let v = (x ^ PAT) & !LO;
            let zero = v.wrapping_sub(LO) & !v & HI;
            if zero != 0 {
                let k = i + (zero.trailing_zeros() / 16) as usize;
                return Some((k, t[k] == 0x27E7));
            }
            i += 4;
        }
        while i < n {
            if t[i] & !1 == 0x27E6 {
                return Some((i, t[i] == 0x27E7));
            }
            i += 1;
        }
        None
    }
    #[inline]
    fn count_chars(t: &[u16]) -> usize {
        // No lone surrogates: every low surrogate ends a pair.
        t.len() - t.iter().filter(|&&u| (0xDC00..0xE000).contains(&u)).count()
    }
    fn to_utf8(t: &[u16]) -> Vec<u8> {
        String::from_utf16_lossy(t).into_bytes()
    }
    #[inline]
    fn ascii_bytes<'b>(t: &'b [u16], buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
        buf.clear();
        for &u in t {
            if u >= 0x80 {
                return None;
            }
            buf.push(u as u8);
        }
        Some(buf)
    }
}

/// Append UTF-8 `text` (no lone surrogates) as UTF-16.
pub fn push_utf16(out: &mut Vec<u16>, text: &[u8]) {
    if text.is_ascii() {
        out.extend(text.iter().map(|&b| u16::from(b)));
        return;
    }
    let mut i = 0;
    while i < text.len() {
        let (cp, len) = crate::chars::decode_at(text, i);
        if cp < 0x10000 {
            out.push(cp as u16);
        } else {
            let c = cp - 0x10000;
            out.push(0xD800 | (c >> 10) as u16);
            out.push(0xDC00 | (c & 0x3FF) as u16);
        }
        i += len;
    }
}

/// True when UTF-16 `t` reads back as exactly `code_points` code points with no lone
/// surrogate: then it is the faithful UTF-16 of a Python `str` of that length.
pub fn is_faithful_utf16(t: &[u16], code_points: usize) -> bool {
    if !t.iter().any(|&u| (0xD800..0xE000).contains(&u)) {
        return t.len() == code_points;
    }
    let mut pairs = 0;
    let mut i = 0;
    while i < t.len() {
        let u = t[i];
        if (0xD800..0xDC00).contains(&u) {
            if !t.get(i + 1).is_some_and(|&l| (0xDC00..0xE000).contains(&l)) {
                return false;
            }
            pairs += 1;
            i += 2;
        } else if (0xDC00..0xE000).contains(&u) {
            return false;
        } else {
            i += 1;
        }
    }
    t.len() - pairs == code_points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn brackets_are_found_in_both_encodings() {
        for text in ["abc", "abcdefgh⟦x", "ab⟧", "x😀y ⟦", "0123456789012⟧", "⟦"] {
            let want8 = u8::find_bracket(text.as_bytes(), 0).map(|(p, c)| (text[..p].chars().count(), c));
            let t = utf16(text);
            let want16 = u16::find_bracket(&t, 0).map(|(p, c)| (u16::count_chars(&t[..p]), c));
            assert_eq!(want8, want16, "{text}");
        }
        let t = utf16("⟦a⟦b⟧");
        assert_eq!(u16::find_bracket(&t, 1), Some((2, false)));
        assert_eq!(u16::find_bracket(&t, 3), Some((4, true)));
    }

    #[test]
    fn code_points_and_faithfulness() {
        let t = utf16("a😀é");
        assert_eq!(u16::count_chars(&t), 3);
        assert_eq!(u16::decode_at(&t, 1), ('😀' as u32, 2));
        assert!(is_faithful_utf16(&t, 3));
        // Two lone surrogates written next to each other look like one pair.
        assert!(!is_faithful_utf16(&t, 4));
        assert!(!is_faithful_utf16(&[0x61, 0xD800], 2));
        assert!(!is_faithful_utf16(&[0xDC00, 0x61], 2));
        let mut buf = Vec::new();
        assert_eq!(u16::ascii_bytes(&utf16("e18"), &mut buf), Some(&b"e18"[..]));
        assert_eq!(u16::ascii_bytes(&utf16("é"), &mut buf), None);
    }
}
