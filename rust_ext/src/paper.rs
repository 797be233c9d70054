//! The paper's surface form (style "paper"): lossy, for reproduction and comparison.
//!
//! Port of `encode_paper` and `find_paper_numbers` of `tst/paper.py`: numbers
//! are found without the official converter's merging across newlines, lists
//! or dotted chains, and each is written as padded groups with magnitudes
//! (`12,345,678.1234` -> `12m 345k 678 . 123p 400pp`).

use std::borrow::Cow;

use crate::chars::is_script_word as is_word;
use crate::chars::script_word_at as word_at;
use crate::chars::script_word_end as word_end;
use crate::chars::{any_numeric, decode_at, decode_before, digit_at, digit_end, prev_boundary};
use crate::grammar::{exact_digits, is_hex_prefix, Numeral, Span};
use crate::spelling::{push_frac_name, push_int_name};

/// Currency symbols the paper style keeps in front of a number.
const CURRENCIES: [char; 5] = ['$', '€', '£', '¥', '₹'];

fn is_currency(cp: u32) -> bool {
    CURRENCIES.iter().any(|&c| c as u32 == cp)
}

/// End of the text word at `i`, with every glued `.word` after it (words of every script).
/// Mirrors `tst.paper.skip_text_word`.
fn skip_text_word(s: &[u8], i: usize) -> usize {
    let mut j = word_end(s, i);
    while j < s.len() && s[j] == b'.' && word_at(s, j + 1) {
        j = word_end(s, j + 1);
    }
    j
}

/// Call `sink(start, number, end)` for each number the paper style converts, in order.
///
/// `start` includes a sign and a currency symbol, `end` a `%`; `number` spans the
/// digits only. A mantissa with an exponent is followed by the exponent.
pub fn scan_paper<F>(s: &[u8], mut sink: F)
where
    F: FnMut(usize, &Numeral<'_>, usize),
{
    let n = s.len();
    let mut runs: Vec<Span> = Vec::new();
    let mut i = 0;
    while i < n {
        let b = s[i];
        let lead_dot =
            b == b'.' && digit_at(s, i + 1) && decode_before(s, i).is_none_or(|cp| !(is_word(cp) || cp == '.' as u32));
        if b.is_ascii_digit() || lead_dot {
            match paper_numeral(s, i, &mut runs, &mut sink) {
                Some(end) => i = end,
                None if b.is_ascii_digit() => i = skip_text_word(s, i),
                None => i += 1,
            }
        } else if word_at(s, i) {
            i = skip_text_word(s, i);
        } else {
            i += decode_at(s, i).1;
        }
    }
}

fn paper_numeral<F>(s: &[u8], i: usize, runs: &mut Vec<Span>, sink: &mut F) -> Option<usize>
where
    F: FnMut(usize, &Numeral<'_>, usize),
{
    let n = s.len();
    let euro = decode_before(s, i) == Some('€' as u32) && !(i >= 4 && s[i - 4] == b'-');
    let (mark, joiner) = if euro { (b',', b'.') } else { (b'.', b',') };
    runs.clear();
    let mut frac: Option<Span> = None;
    let mut j = i;
    if s[i] != mark {
        j = digit_end(s, i);
        runs.push((i, j));
        while j + 1 < n {
            let c = s[j];
            if (c == b' ' || c == b'\'') && exact_digits(s, j + 1, 3) {
                runs.push((j + 1, j + 4));
                j += 4;
            } else if c == joiner && (euro || digit_at(s, j + 2)) && digit_at(s, j + 1) {
                let end = digit_end(s, j + 1);
                runs.push((j + 1, end));
                j = end;
            } else {
                break;
            }
        }
    }
    let in_chain = !runs.is_empty() && i >= 2 && s[i - 1] == mark && s[i - 2].is_ascii_digit();
    if !in_chain && j < n && s[j] == mark && digit_at(s, j + 1) {
        let f1 = digit_end(s, j + 1);
        if !(f1 < n && s[f1] == mark && digit_at(s, f1 + 1)) {
            frac = Some((j + 1, f1));
            j = f1;
        } else if runs.is_empty() {
            return None;
        }
    }
    if runs.is_empty() && frac.is_none() {
        return None;
    }
    let mut exponent: Option<(usize, Span)> = None;
    if j + 1 < n && (s[j] == b'e' || s[j] == b'E') {
        let k = if s[j + 1] == b'+' || s[j + 1] == b'-' { j + 2 } else { j + 1 };
        if digit_at(s, k) {
            let e1 = digit_end(s, k);
            if !word_at(s, e1) {
                exponent = Some((if k > j + 1 { k - 1 } else { k }, (k, e1)));
            }
        }
    }
    if exponent.is_none() && word_at(s, j) {
        let w = word_end(s, j);
        if any_numeric(s, j, w) || (j - i == 1 && s[i] == b'0' && is_hex_prefix(s, j)) {
            return Some(skip_text_word(s, j)); // digits glued to a word: text up to its end
        }
    }
    let mut start = i;
    if decode_before(s, start).is_some_and(is_currency) {
        start = prev_boundary(s, start);
    }
    if start >= 1 && (s[start - 1] == b'+' || s[start - 1] == b'-') {
        start -= 1;
    }
    let end = if j < n && s[j] == b'%' { j + 1 } else { j };
    sink(start, &Numeral { start: i, end: j, chunks: runs, frac, sep: None, indian: false }, end);
    match exponent {
        Some((es, (k, e1))) => {
            sink(es, &Numeral { start: k, end: e1, chunks: &[(k, e1)], frac: None, sep: None, indian: false }, e1);
            Some(e1)
        }
        None => Some(end),
    }
}

/// Running text with every number in the paper's surface form (lossy).
pub fn encode_paper(s: &[u8], g: usize, compact: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + s.len() / 2);
    let mut pos = 0;
    scan_paper(s, |start, _, end| {
        if start > pos {
            out.extend_from_slice(&s[pos..start]);
        }
        format_number(&s[start..end], g, compact, &mut out);
        pos = end;
    });
    if pos < s.len() {
        out.extend_from_slice(&s[pos..]);
    }
    out
}

/// Append one number in the paper's surface form (port of `format_number`).
///
/// `s` is what `scan_paper` delimits: an optional sign and currency symbol,
/// digits joined by spaces, apostrophes and marks, and an optional `%`. It never
/// holds an exponent (the exponent is a number of its own), so the spec's
/// exponent expansion has no counterpart here and such input is kept as is.
fn format_number(s: &[u8], g: usize, compact: bool, out: &mut Vec<u8>) {
    let Ok(text) = std::str::from_utf8(s) else {
        out.extend_from_slice(s);
        return;
    };
    let mut body = text;
    let percent = body.ends_with('%');
    if percent {
        body = &body[..body.len() - 1];
    }
    let plus = body.starts_with('+');
    if plus {
        body = &body[1..];
    }
    let mut currency: Option<char> = None;
    if let Some(c) = body.chars().next().filter(|&c| CURRENCIES.contains(&c)) {
        currency = Some(c);
        body = &body[c.len_utf8()..];
    }
    let stripped =
        if body.contains([' ', '\'']) { Cow::Owned(body.replace([' ', '\''], "")) } else { Cow::Borrowed(body) };
    let normal = normalise_marks(&stripped, currency);
    let mut rest: &str = &normal;
    let minus = rest.starts_with('-');
    if minus {
        rest = &rest[1..];
    }
    let mut glued: Option<char> = None; // a currency after the minus sign stays glued to the digits
    if minus && currency.is_none() {
        if let Some(c) = rest.chars().next().filter(|&c| CURRENCIES.contains(&c)) {
            glued = Some(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let Some((int_part, frac_part)) = plain_digits(rest) else {
        out.extend_from_slice(s);
        return;
    };
    if plus || currency.is_some() {
        if plus {
            out.push(b'+');
        }
        if let Some(c) = currency {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
        out.push(b' ');
    }
    if minus {
        out.push(b'-');
        if let Some(c) = glued {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
    surface(int_part.as_bytes(), frac_part.as_bytes(), g, compact, out);
    if percent {
        out.extend_from_slice(b" %");
    }
}

/// Drop thousands marks and leave at most one `.` as the decimal point (a copy only when one is dropped).
fn normalise_marks(body: &str, currency: Option<char>) -> Cow<'_, str> {
    match currency {
        Some('€') if body.contains(',') => Cow::Owned(body.replace('.', "").replace(',', ".")),
        Some('€') => without(body, &['.']),
        Some('₹') => without(body, &[',']),
        _ => match body.rfind('.') {
            Some(k) if body[..k].contains(['.', ',']) => {
                Cow::Owned(format!("{}.{}", body[..k].replace(['.', ','], ""), &body[k + 1..]))
            }
            Some(_) => Cow::Borrowed(body),
            None => without(body, &[',']),
        },
    }
}

/// `body` without the characters `drop`.
fn without<'b>(body: &'b str, drop: &[char]) -> Cow<'b, str> {
    if body.contains(drop) {
        Cow::Owned(body.replace(drop, ""))
    } else {
        Cow::Borrowed(body)
    }
}

/// `(integer digits, fractional digits)` of a plain `ddd.ddd`, or None when `body` is no number.
fn plain_digits(body: &str) -> Option<(&str, &str)> {
    if body.contains(['e', 'E']) {
        return None; // never produced by `scan_paper`; see `format_number`
    }
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    let all = int_part.bytes().chain(frac_part.bytes());
    if int_part.is_empty() && frac_part.is_empty() || !all.clone().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((int_part, frac_part))
}

fn surface(int_part: &[u8], frac_part: &[u8], g: usize, compact: bool, out: &mut Vec<u8>) {
    let mut k = int_part.len();
    // The leading group is the shortest; walk from the left with its size.
    let mut size = if k % g == 0 { g } else { k % g };
    let mut power = k.saturating_sub(size);
    let mut first = true;
    let mut p = 0;
    while k > 0 {
        if !first {
            out.push(b' ');
        }
        first = false;
        out.extend_from_slice(&int_part[p..p + size]);
        if power > 0 {
            if !compact {
                out.push(b' ');
            }
            push_int_name(out, power, g);
        }
        p += size;
        k -= size;
        size = g;
        power = power.saturating_sub(g);
    }
    if frac_part.is_empty() {
        return;
    }
    if int_part.is_empty() {
        out.push(b'0');
    }
    out.extend_from_slice(b" . ");
    let mut depth = 1;
    let mut q = 0;
    while q < frac_part.len() {
        if depth > 1 {
            out.push(b' ');
        }
        let e = (q + g).min(frac_part.len());
        out.extend_from_slice(&frac_part[q..e]);
        out.resize(out.len() + (g - (e - q)), b'0');
        if !compact {
            out.push(b' ');
        }
        push_frac_name(out, depth);
        q = e;
        depth += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(s: &str, g: usize, compact: bool) -> String {
        String::from_utf8(encode_paper(s.as_bytes(), g, compact)).unwrap()
    }

    #[test]
    fn the_paper_surface() {
        assert_eq!(paper("12,345,678.1234", 3, true), "12m 345k 678 . 123p 400pp");
        assert_eq!(paper("12,345,678.1234", 3, false), "12 m 345 k 678 . 123 p 400 pp");
        assert_eq!(paper("cost $12,345.67 now", 3, true), "cost $ 12k 345 . 670p now");
        assert_eq!(paper("In 2019 42 people", 3, true), "In 2k 019 42 people");
        assert_eq!(paper("-€1.234,5 and .5%", 3, true), "-€1 . 234p,5 and 0 . 500p %");
        assert_eq!(paper("€1.234,5", 3, true), "€ 1k 234 . 500p");
        assert_eq!(paper("1e-7 x", 3, true), "1e-7 x");
        assert_eq!(paper("0.0045", 4, true), "0 . 0045p");
    }
}
