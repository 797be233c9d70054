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

/// Units that can be copied into an output of units `O` (the same units, or code points into UTF-16).
pub trait CopyInto<O: Unit>: Unit {
    /// Append `src` to `out`, converted.
    fn copy_into(out: &mut Vec<O>, src: &[Self]);
}

impl CopyInto<u8> for u8 {
    #[inline]
    fn copy_into(out: &mut Vec<u8>, src: &[u8]) {
        push_short(out, src);
    }
}

impl CopyInto<u16> for u16 {
    #[inline]
    fn copy_into(out: &mut Vec<u16>, src: &[u16]) {
        push_short(out, src);
    }
}

impl CopyInto<u16> for u32 {
    /// Code points (no surrogates among them) as UTF-16.
    #[inline]
    fn copy_into(out: &mut Vec<u16>, src: &[u32]) {
        if src.iter().fold(true, |bmp, &c| bmp & (c < 0x10000)) {
            out.extend(src.iter().map(|&c| c as u16));
            return;
        }
        for &c in src {
            if c < 0x10000 {
                out.push(c as u16);
            } else {
                let c = c - 0x10000;
                out.push(0xD800 | (c >> 10) as u16);
                out.push(0xDC00 | (c & 0x3FF) as u16);
            }
        }
    }
}

impl CopyInto<u32> for u32 {
    #[inline]
    fn copy_into(out: &mut Vec<u32>, src: &[u32]) {
        push_short(out, src);
    }
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

impl Unit for u32 {
    const OPEN: &'static [u32] = &[0x27E6];
    const CLOSE: &'static [u32] = &[0x27E7];
    const ESCAPED_OPEN: &'static [u32] = &[0x27E6, 0x27E6, 0x27E7];
    const ESCAPED_CLOSE: &'static [u32] = &[0x27E6, 0x27E7, 0x27E7];
    #[inline]
    fn ascii(b: u8) -> u32 {
        u32::from(b)
    }
    #[inline]
    fn value(self) -> u32 {
        self
    }
    fn push_text(out: &mut Vec<u32>, text: &[u8]) {
        let mut i = 0;
        while i < text.len() {
            let (cp, len) = crate::chars::decode_at(text, i);
            out.push(cp);
            i += len;
        }
    }
    #[inline]
    fn decode_at(t: &[u32], p: usize) -> (u32, usize) {
        (t[p], 1)
    }
    #[inline]
    fn find_bracket(t: &[u32], p: usize) -> Option<(usize, bool)> {
        let tail = t.get(p..)?;
        let mut base = 0;
        // Sixteen at a time with a branch-free test (vectorised), then the exact spot.
        for chunk in tail.chunks_exact(16) {
            if chunk.iter().fold(false, |hit, &c| hit | (c & !1 == 0x27E6)) {
                break;
            }
            base += 16;
        }
        let k = base + tail[base..].iter().position(|&c| c & !1 == 0x27E6)?;
        Some((p + k, tail[k] == 0x27E7))
    }
    #[inline]
    fn count_chars(t: &[u32]) -> usize {
        t.len()
    }
    fn to_utf8(t: &[u32]) -> Vec<u8> {
        let mut out = Vec::with_capacity(t.len());
        for &c in t {
            // Lone surrogates in their `surrogatepass` form, like every other code point.
            let mut buf = [0u8; 4];
            let n = match c {
                0..=0x7F => {
                    buf[0] = c as u8;
                    1
                }
                0x80..=0x7FF => {
                    buf[0] = 0xC0 | (c >> 6) as u8;
                    buf[1] = 0x80 | (c & 0x3F) as u8;
                    2
                }
                0x800..=0xFFFF => {
                    buf[0] = 0xE0 | (c >> 12) as u8;
                    buf[1] = 0x80 | ((c >> 6) & 0x3F) as u8;
                    buf[2] = 0x80 | (c & 0x3F) as u8;
                    3
                }
                _ => {
                    buf[0] = 0xF0 | (c >> 18) as u8;
                    buf[1] = 0x80 | ((c >> 12) & 0x3F) as u8;
                    buf[2] = 0x80 | ((c >> 6) & 0x3F) as u8;
                    buf[3] = 0x80 | (c & 0x3F) as u8;
                    4
                }
            };
            out.extend_from_slice(&buf[..n]);
        }
        out
    }
    #[inline]
    fn ascii_bytes<'b>(t: &'b [u32], buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
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
    fn code_points_and_conversions() {
        let t = utf16("a😀é");
        assert_eq!(u16::count_chars(&t), 3);
        assert_eq!(u16::decode_at(&t, 1), ('😀' as u32, 2));
        let points: Vec<u32> = "a😀é".chars().map(|c| c as u32).collect();
        let mut out: Vec<u16> = Vec::new();
        u32::copy_into(&mut out, &points);
        assert_eq!(out, t);
        assert_eq!(u32::to_utf8(&[0x61, 0xD800, 0x1F600]), [0x61, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98, 0x80]);
        assert_eq!(u32::find_bracket(&points, 0), None);
        assert_eq!(u32::find_bracket(&[0x61, 0x27E7], 0), Some((1, true)));
        let mut buf = Vec::new();
        assert_eq!(u16::ascii_bytes(&utf16("e18"), &mut buf), Some(&b"e18"[..]));
        assert_eq!(u16::ascii_bytes(&utf16("é"), &mut buf), None);
    }
}
