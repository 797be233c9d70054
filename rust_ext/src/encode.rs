//! Exact-style encoding: each number becomes units, all other text is kept (escaped).
//!
//! Port of `tst/_encode.py`. One pass: the grammar hands each number over as it
//! is found and the writer copies the text before it, so nothing is collected.

use memchr::memchr_iter;

use crate::chars::{count_chars, CharCursor};
use crate::grammar::{for_each_group, scan_numbers, Numeral, RangeError};
use crate::settings::{Settings, Variant};
use crate::spelling::{
    push_frac_name, push_int_name, CLOSE_BYTES, ESCAPED_CLOSE, ESCAPED_OPEN, OPEN_BYTES, TAG_INDIAN, TAG_WESTERN,
    UNITS_MARKER,
};

/// `(enc_start, enc_end, orig_start, orig_end)` of one unit or escape, in code points.
pub type Piece = (usize, usize, usize, usize);

/// Accumulates the encoded bytes and, when `OFFSETS`, the pieces that map them back.
struct Writer<'a, const OFFSETS: bool> {
    src: &'a [u8],
    out: Vec<u8>,
    pieces: Vec<Piece>,
    /// Encoded length so far, in code points (kept only with `OFFSETS`).
    enc_len: usize,
    cursor: CharCursor<'a>,
}

impl<'a, const OFFSETS: bool> Writer<'a, OFFSETS> {
    fn new(src: &'a [u8], capacity: usize) -> Self {
        Writer {
            src,
            out: Vec::with_capacity(capacity),
            pieces: Vec::new(),
            enc_len: 0,
            cursor: CharCursor::new(src),
        }
    }

    /// Copy `src[a..b]` verbatim, escaping literal brackets.
    #[inline]
    fn text(&mut self, a: usize, b: usize) {
        let chunk = &self.src[a..b];
        let mut k = 0;
        for p in memchr_iter(0xE2, chunk) {
            let esc = match chunk.get(p..p + 3) {
                Some(x) if x == OPEN_BYTES => ESCAPED_OPEN,
                Some(x) if x == CLOSE_BYTES => ESCAPED_CLOSE,
                _ => continue,
            };
            self.raw(&chunk[k..p]);
            if OFFSETS {
                let orig = self.cursor.at(a + p);
                self.pieces.push((self.enc_len, self.enc_len + 3, orig, orig + 1));
                self.enc_len += 3;
            }
            self.out.extend_from_slice(esc.as_bytes());
            k = p + 3;
        }
        self.raw(&chunk[k..]);
    }

    #[inline]
    fn raw(&mut self, bytes: &[u8]) {
        if OFFSETS {
            self.enc_len += count_chars(bytes);
        }
        self.out.extend_from_slice(bytes);
    }

    /// Open a unit that stands for `src[a..b]`; `close_unit` finishes it.
    #[inline]
    fn open_unit(&mut self) -> usize {
        self.out.extend_from_slice(OPEN_BYTES);
        self.out.len()
    }

    /// Close the unit whose content started at byte `content_start` of the output.
    #[inline]
    fn close_unit(&mut self, content_start: usize, a: usize, b: usize) {
        if OFFSETS {
            let chars = 2 + count_chars(&self.out[content_start..]);
            let orig_a = self.cursor.at(a);
            let orig_b = if b == a { orig_a } else { self.cursor.at(b) };
            self.pieces.push((self.enc_len, self.enc_len + chars, orig_a, orig_b));
            self.enc_len += chars;
        }
        self.out.extend_from_slice(CLOSE_BYTES);
    }

    fn number(&mut self, num: &Numeral<'_>, st: &Settings) {
        let g = st.group_size;
        let vocab = st.variant == Variant::Vocab;
        if let Some(sep) = num.sep {
            let c = self.open_unit();
            let ch = char::from_u32(sep).unwrap_or(char::REPLACEMENT_CHARACTER);
            let mut buf = [0u8; 4];
            self.out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            self.out.push(if num.indian { TAG_INDIAN } else { TAG_WESTERN });
            self.close_unit(c, num.start, num.start);
        }
        let src = self.src;
        let mut first_frac = true;
        for_each_group(src, num, g, |grp| {
            if grp.depth > 0 && first_frac {
                self.text(grp.start - 1, grp.start); // the decimal mark
                first_frac = false;
            }
            let c = self.open_unit();
            self.out.extend_from_slice(grp.digits());
            if vocab {
                push_name(&mut self.out, grp.power, grp.depth, g);
                self.close_unit(c, grp.start, grp.end);
            } else {
                self.close_unit(c, grp.start, grp.end);
                let c = self.open_unit();
                if grp.depth == 0 && grp.power == 0 {
                    self.out.extend_from_slice(UNITS_MARKER);
                } else {
                    push_name(&mut self.out, grp.power, grp.depth, g);
                }
                self.close_unit(c, grp.end, grp.end);
            }
        });
    }
}

#[inline]
fn push_name(out: &mut Vec<u8>, power: i64, depth: usize, g: usize) {
    if depth > 0 {
        push_frac_name(out, depth);
    } else {
        push_int_name(out, power as usize, g);
    }
}

fn run<const OFFSETS: bool>(s: &[u8], st: &Settings) -> Result<(Vec<u8>, Vec<Piece>), RangeError> {
    let mut w: Writer<'_, OFFSETS> = Writer::new(s, s.len() + s.len() / 4 + 16);
    let mut pos = 0;
    scan_numbers(s, st, |num| {
        w.text(pos, num.start);
        w.number(num, st);
        pos = num.end;
    })?;
    w.text(pos, s.len());
    Ok((w.out, w.pieces))
}

/// Encode `s` (UTF-8, lone surrogates allowed) in the exact style.
pub fn encode(s: &[u8], st: &Settings) -> Result<Vec<u8>, RangeError> {
    run::<false>(s, st).map(|(out, _)| out)
}

/// Encode `s` and list where every unit and escape came from (code point offsets).
///
/// Text between two pieces is either copied verbatim (same length on both
/// sides) or, inside a number, dropped separators (empty in the encoding).
/// Inserted units (grouping tags, marker-variant markers) are zero-width in the original.
pub fn encode_with_offsets(s: &[u8], st: &Settings) -> Result<(Vec<u8>, Vec<Piece>), RangeError> {
    run::<true>(s, st)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(text: &str, st: &Settings) -> String {
        String::from_utf8(encode(text.as_bytes(), st).unwrap()).unwrap()
    }

    #[test]
    fn vocab_and_marker_surfaces() {
        let v = Settings::default_exact("vocab");
        assert_eq!(enc("Pay $1,234.5", &v), "Pay $⟦,3⟧⟦1k⟧⟦234⟧.⟦5p⟧");
        assert_eq!(enc("12,345,678.1234", &v), "⟦,3⟧⟦12m⟧⟦345k⟧⟦678⟧.⟦123p⟧⟦4pp⟧");
        let m = Settings::default_exact("marker");
        assert_eq!(
            enc("12,345,678.1234", &m),
            "⟦,3⟧⟦12⟧⟦m⟧⟦345⟧⟦k⟧⟦678⟧⟦u⟧.⟦123⟧⟦p⟧⟦4⟧⟦pp⟧"
        );
        assert_eq!(enc("a ⟦b⟧ 7", &m), "a ⟦⟦⟧b⟦⟧⟧ ⟦7⟧⟦u⟧");
        assert_eq!(enc("1234567890123456789", &v), "1234567890123456789");
        let mut x = Settings::default_exact("vocab");
        x.overflow = crate::settings::Overflow::Extend;
        assert_eq!(
            enc("1234567890123456789", &x),
            "⟦1e18⟧⟦234q⟧⟦567t⟧⟦890b⟧⟦123m⟧⟦456k⟧⟦789⟧"
        );
    }

    #[test]
    fn offsets_point_into_the_original() {
        let v = Settings::default_exact("vocab");
        let (out, pieces) = encode_with_offsets("é ⟦ 1,234".as_bytes(), &v).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "é ⟦⟦⟧ ⟦,3⟧⟦1k⟧⟦234⟧");
        assert_eq!(pieces, [(2, 5, 2, 3), (6, 10, 4, 4), (10, 14, 4, 5), (14, 19, 6, 9)]);
    }
}
