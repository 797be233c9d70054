//! Count the numbers in exact-style encoded text from its units alone (port of `tst/data/counting.py`).
//!
//! Every number starts with exactly one unit that no unit touches on its left:
//! its grouping tag, its first integer group, or (for `.5`) its first
//! fractional group right after the decimal mark. This is a literal port of
//! `NumberCounter`'s regular expression (same matches on any text, not only on
//! encodings; the Python tests compare both on generated text):
//!
//! ```text
//! ⟦(?<![^⟦⟧]⟧⟦)(?:[^0-9⟦⟧][23]⟧ | INTEGER)  |  D⟦(?<![^⟦⟧]⟧D⟦)FRACTION
//! vocab:  INTEGER = [0-9]+(?:[kmbtq]|e[0-9]+)?⟧        FRACTION = [0-9]+p⟧
//! marker: INTEGER = [0-9]+⟧⟦(?:u|[kmbtq]|e[0-9]+)⟧     FRACTION = [0-9]+⟧⟦p⟧
//! ```

use crate::chars::seq_len;
use crate::settings::{Settings, Variant};
use crate::spelling::{close_at, open_at, EXPONENT, FRACTION, LETTERS, TAG_INDIAN, TAG_WESTERN, UNITS_MARKER};

/// Counts numbers in text encoded with one configuration (exact style).
#[derive(Clone, Copy, Debug)]
pub struct Counter {
    vocab: bool,
    decimal: u8,
}

impl Counter {
    /// A counter for `st`'s variant and decimal mark.
    pub fn new(st: &Settings) -> Counter {
        Counter { vocab: st.variant == Variant::Vocab, decimal: st.decimal }
    }

    /// Numbers in `s` (UTF-8; lone surrogates allowed).
    pub fn count(&self, s: &[u8]) -> usize {
        let lead = OPEN_LEAD;
        let mut n = 0;
        let mut i = 0;
        while let Some(k) = memchr::memchr2(lead, self.decimal, &s[i..]) {
            let p = i + k;
            let end = if s[p] == lead { self.number_at(s, p) } else { self.fraction_at(s, p) };
            match end {
                Some(e) => {
                    n += 1;
                    i = e;
                }
                None => i = p + 1,
            }
        }
        n
    }

    /// End of `⟦(?<!..)(?:TAG|INTEGER)` at `p`.
    fn number_at(&self, s: &[u8], p: usize) -> Option<usize> {
        if !open_at(s, p) || after_unit(s, p) {
            return None;
        }
        let q = p + 3;
        let first = *s.get(q)?;
        if first.is_ascii_digit() {
            return self.integer(s, q);
        }
        if open_at(s, q) || close_at(s, q) {
            return None;
        }
        let r = q + seq_len(first).max(1);
        let mark = *s.get(r)?;
        ((mark == TAG_WESTERN || mark == TAG_INDIAN) && close_at(s, r + 1)).then_some(r + 4)
    }

    /// End of `D⟦(?<!..)FRACTION` at `p`.
    fn fraction_at(&self, s: &[u8], p: usize) -> Option<usize> {
        if !open_at(s, p + 1) || after_unit(s, p) {
            return None;
        }
        let q = digits(s, p + 4)?;
        if self.vocab {
            (s.get(q) == Some(&FRACTION) && close_at(s, q + 1)).then_some(q + 4)
        } else {
            (close_at(s, q) && open_at(s, q + 3) && s.get(q + 6) == Some(&FRACTION) && close_at(s, q + 7))
                .then_some(q + 10)
        }
    }

    /// End of INTEGER, whose digits start at `q`.
    fn integer(&self, s: &[u8], q: usize) -> Option<usize> {
        let q = digits(s, q)?;
        if self.vocab {
            let r = int_name(s, q).unwrap_or(q);
            return close_at(s, r).then_some(r + 3);
        }
        if !(close_at(s, q) && open_at(s, q + 3)) {
            return None;
        }
        let m = q + 6;
        let r = if s[m..].starts_with(UNITS_MARKER) { Some(m + UNITS_MARKER.len()) } else { int_name(s, m) }?;
        close_at(s, r).then_some(r + 3)
    }
}

/// First byte of ⟦ (never a continuation byte, so every match is a character start).
const OPEN_LEAD: u8 = 0xE2;

/// End of `[0-9]+` at `q`, or None when there is no digit.
fn digits(s: &[u8], q: usize) -> Option<usize> {
    let n = s.get(q..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    (n > 0).then_some(q + n)
}

/// End of an integer magnitude name (`LETTERS`, or `EXPONENT` and digits) at `q`.
fn int_name(s: &[u8], q: usize) -> Option<usize> {
    let c = *s.get(q)?;
    if LETTERS.contains(&c) {
        return Some(q + 1);
    }
    if c == EXPONENT {
        return digits(s, q + 1);
    }
    None
}

/// True when the two characters before `p` are a non-bracket and ⟧ (the close of a unit).
fn after_unit(s: &[u8], p: usize) -> bool {
    if p < 3 || !close_at(s, p - 3) {
        return false;
    }
    let c = p - 3;
    c > 0 && !(c >= 3 && (open_at(s, c - 3) || close_at(s, c - 3)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn count(variant: &str, text: &str) -> usize {
        let st = Settings::default_exact(variant);
        let encoded = Engine::new(st.clone()).encode_str(text).unwrap();
        Counter::new(&st).count(encoded.as_bytes())
    }

    #[test]
    fn counts_numbers_of_encodings() {
        for variant in ["vocab", "marker"] {
            assert_eq!(count(variant, "1.5 and 2,000 or .25"), 3, "{variant}");
            assert_eq!(count(variant, "no numbers ⟦x⟧ ⟦⟧"), 0, "{variant}");
            assert_eq!(count(variant, "12,345,678 1e-7 v1.2.3 2024-01-15"), 6, "{variant}");
            assert_eq!(count(variant, "12,34,567"), 3, "{variant}"); // Indian grouping is off by default
            assert_eq!(count(variant, "1 2 3"), 3, "{variant}");
        }
    }

    #[test]
    fn literal_regex_cases() {
        let v = Counter::new(&Settings::default_exact("vocab"));
        assert_eq!(v.count("⟦1⟧⟦2⟧".as_bytes()), 1); // the second unit touches the first
        assert_eq!(v.count("⟦⟧⟧⟦2⟧".as_bytes()), 1); // after an escape a unit may start
        assert_eq!(v.count("⟦é3⟧⟦1k⟧".as_bytes()), 1); // a tag with any non-digit separator
        assert_eq!(v.count("⟦12e⟧ ⟦12e5⟧".as_bytes()), 1);
        assert_eq!(v.count("⟦.⟦5p⟧".as_bytes()), 1);
        assert_eq!(v.count("x⟧.⟦5p⟧ ⟧⟧.⟦5p⟧".as_bytes()), 1);
        let m = Counter::new(&Settings::default_exact("marker"));
        assert_eq!(m.count("⟦1⟧⟦u⟧ ⟦2⟧⟦e18⟧ ⟦3⟧⟦x⟧ .⟦5⟧⟦p⟧".as_bytes()), 3);
    }
}
