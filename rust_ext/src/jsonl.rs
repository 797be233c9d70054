//! JSON Lines blocks through the engine: only the selected string literals of each record change.
//!
//! The fast path of `tst convert` on JSON Lines. The readable reference is the
//! data layer's Python code (`tst/data/jsonl.py`, `tst/data/json_sites.py`),
//! which this module follows rule for rule on the lines it takes: the same
//! strings are selected (a field's string or list of strings; every chat
//! message's `content`, as a string or as parts with `text`), in the same
//! order, and a changed string is written back as `json.dumps` writes it, in
//! the escaping style of its line. Any line this module does not take on
//! exactly that footing (malformed JSON, a selected value of the wrong type, a
//! missing field without `allow_missing`, a byte-order mark, `NaN`, a lone
//! surrogate in a selected string, a string the codec rejects, ...) is copied
//! unchanged and reported, so that the Python code converts it, or names what
//! is wrong with it, exactly as it does on its own. The tests compare both on
//! generated records.

use std::borrow::Cow;

use memchr::{memchr, memchr_iter};

use crate::batch;
use crate::encode::Tally;
use crate::engine::Error;

/// Which strings of a record to convert (names as UTF-8).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Top-level fields: a string, a list of strings, or null.
    pub fields: Vec<Vec<u8>>,
    /// The chat-messages field, if any.
    pub messages: Option<Vec<u8>>,
}

/// How lines are converted.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Records without a selected field are converted (and counted as missing) instead of reported.
    pub allow_missing: bool,
    /// Rewritten strings of pure-ASCII lines without `\u` escapes use `\u` escapes.
    pub ensure_ascii: bool,
    /// The block starts the file: a byte-order mark on its first line is left to the caller.
    pub at_start: bool,
}

/// What [`convert_block`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Block {
    /// The converted block; lines left to the caller are copied as they were.
    pub out: Vec<u8>,
    /// `(line index, start, end)` in `out` of every line left to the caller (newline excluded).
    pub left: Vec<(usize, usize, usize)>,
    /// Records converted.
    pub records: usize,
    /// Of those, records that lacked a selected field.
    pub missing: usize,
    /// Strings converted.
    pub strings: usize,
    /// Of those, strings that changed.
    pub changed: usize,
    /// Numbers in the converted strings, and numerals left as text for their range (as `convert`
    /// counts them).
    pub tally: Tally,
}

/// Lines per piece of work (about this many bytes).
const CHUNK_BYTES: usize = 64 * 1024;
/// Deepest nesting taken here (deeper lines are left to the caller).
const MAX_DEPTH: usize = 128;
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Convert the selected strings of every record of `data` (whole lines of UTF-8), or None when
/// `data` is not UTF-8 (the caller reads it, and reports its bad bytes).
///
/// `convert` appends a string's new value to a buffer (left as it was on an error) and gives what
/// it counted (numbers converted, numerals left as text), summed over the lines converted here.
pub fn convert_block<F>(data: &[u8], sel: &Selection, opts: &Options, threads: usize, convert: F) -> Option<Block>
where
    F: Fn(&[u8], &mut Vec<u8>) -> Result<Tally, Error> + Sync,
{
    std::str::from_utf8(data).ok()?;
    let lines = line_starts(data);
    let chunks = chunk_lines(&lines);
    let parts = batch::map(
        &chunks,
        |&(a, b)| line_end(&lines, b, data.len()) - lines[a],
        threads,
        |&(a, b)| {
            let bytes = line_end(&lines, b, data.len()) - lines[a];
            let mut part = Block { out: Vec::with_capacity(bytes + bytes / 2), ..Block::default() };
            let mut scratch = Scratch::default();
            for k in a..b {
                let start = lines[k];
                let end = if k + 1 < lines.len() { lines[k + 1] - 1 } else { data.len() };
                let line = &data[start..end];
                let at = part.out.len();
                match convert_line(line, k == 0 && opts.at_start, sel, opts, &convert, &mut part, &mut scratch) {
                    Some(()) => {}
                    None => {
                        part.out.truncate(at);
                        part.out.extend_from_slice(line);
                        part.left.push((k, at, at + line.len()));
                    }
                }
                if k + 1 < lines.len() {
                    part.out.push(b'\n');
                }
            }
            part
        },
    );
    let mut block = Block { out: Vec::with_capacity(data.len() + data.len() / 2), ..Block::default() };
    for part in parts {
        let base = block.out.len();
        block.out.extend_from_slice(&part.out);
        block.left.extend(part.left.into_iter().map(|(k, a, b)| (k, base + a, base + b)));
        block.records += part.records;
        block.missing += part.missing;
        block.strings += part.strings;
        block.changed += part.changed;
        block.tally += part.tally;
    }
    Some(block)
}

/// Start of every line (text split at `\n`: n newlines give n + 1 lines).
fn line_starts(data: &[u8]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(data.len() / 64 + 1);
    starts.push(0);
    starts.extend(memchr_iter(b'\n', data).map(|k| k + 1));
    starts
}

fn line_end(lines: &[usize], k: usize, len: usize) -> usize {
    if k < lines.len() {
        lines[k]
    } else {
        len
    }
}

/// Line ranges `[a, b)` of about `CHUNK_BYTES` bytes each.
fn chunk_lines(lines: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = 0;
    for k in 1..lines.len() {
        if lines[k] - lines[a] >= CHUNK_BYTES {
            out.push((a, k));
            a = k;
        }
    }
    out.push((a, lines.len()));
    out
}

/// Memory reused from line to line: the new values, end to end, and where each ends.
#[derive(Default)]
struct Scratch {
    values: Vec<u8>,
    ends: Vec<usize>,
}

/// Append the new text of one line to `part.out`, or return None to leave the line to the caller
/// (`part.out` may then hold a partial line: the caller cuts it). Counts go to `part`.
fn convert_line<F>(
    line: &[u8],
    first: bool,
    sel: &Selection,
    opts: &Options,
    convert: &F,
    part: &mut Block,
    scratch: &mut Scratch,
) -> Option<()>
where
    F: Fn(&[u8], &mut Vec<u8>) -> Result<Tally, Error>,
{
    if first && line.starts_with(BOM) {
        return None;
    }
    let start = skip_ws(line, 0);
    if start == line.len() {
        part.out.extend_from_slice(line); // a blank line: not a record
        return Some(());
    }
    let mut w = Walker { s: line, sel, sites: Vec::new(), present: vec![false; sel.fields.len() + 1] };
    let end = w.record(start)?;
    if skip_ws(line, end) != line.len() {
        return None;
    }
    let has_messages = sel.messages.is_some();
    let missing = w.present[..sel.fields.len()].iter().any(|p| !p) || (has_messages && !w.present[sel.fields.len()]);
    if missing && !opts.allow_missing {
        return None;
    }
    let Scratch { values, ends } = scratch;
    values.clear();
    ends.clear();
    let mut tally = Tally::default();
    for site in &w.sites {
        tally += convert(&site.value, values).ok()?;
        ends.push(values.len());
    }
    part.tally += tally;
    part.records += 1;
    part.missing += usize::from(missing);
    part.strings += w.sites.len();
    let new = |j: usize| &values[if j == 0 { 0 } else { ends[j - 1] }..ends[j]];
    let mut changed = false;
    for (j, site) in w.sites.iter().enumerate() {
        if new(j) != &*site.value {
            part.changed += 1;
            changed = true;
        }
    }
    if !changed {
        part.out.extend_from_slice(line);
        return Some(());
    }
    let ascii = ensure_ascii_style(line, opts.ensure_ascii);
    let mut last = 0;
    for (j, site) in w.sites.iter().enumerate() {
        if new(j) == &*site.value {
            continue;
        }
        part.out.extend_from_slice(&line[last..site.start]);
        let from = part.out.len();
        dump_string(&mut part.out, new(j), ascii);
        if escapes_solidus(&line[site.start..site.end]) {
            escape_solidus(&mut part.out, from);
        }
        last = site.end;
    }
    part.out.extend_from_slice(&line[last..]);
    Some(())
}

/// One selected string literal: `line[start..end]` (quotes included) and its value.
struct Site<'a> {
    start: usize,
    end: usize,
    value: Cow<'a, [u8]>,
}

/// Walks one record like `tst.data.json_sites.RecordWalker`; None where that walker would raise,
/// or where this one does not follow it exactly (left to it).
struct Walker<'a, 's> {
    s: &'a [u8],
    sel: &'s Selection,
    sites: Vec<Site<'a>>,
    /// Fields seen, then the messages field.
    present: Vec<bool>,
}

#[derive(Clone, Copy)]
enum Role {
    Field,
    Messages,
    Message,
    Content,
    Part,
}

impl<'a> Walker<'a, '_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }

    /// The record (an object) at `i`; its end.
    fn record(&mut self, i: usize) -> Option<usize> {
        if self.at(i)? != b'{' {
            return None;
        }
        self.object(i, 0, |w, key, j| {
            if let Some(k) = w.sel.fields.iter().position(|f| f.as_slice() == key) {
                w.present[k] = true;
                return w.value(j, Role::Field, 1);
            }
            if w.sel.messages.as_deref() == Some(key) {
                let n = w.sel.fields.len();
                w.present[n] = true;
                return w.value(j, Role::Messages, 1);
            }
            skip_value(w.s, j, 1)
        })
    }

    /// An object at `i` (`{` checked), each member handed to `member(walker, key, value start)`.
    fn object<M>(&mut self, i: usize, depth: usize, mut member: M) -> Option<usize>
    where
        M: FnMut(&mut Self, &[u8], usize) -> Option<usize>,
    {
        let s = self.s;
        object(s, i, depth, true, |key, j| member(self, key, j))
    }

    /// An array at `i` (`[` checked), each item handed to `item(walker, item start)`.
    fn array<M>(&mut self, i: usize, mut item: M) -> Option<usize>
    where
        M: FnMut(&mut Self, usize) -> Option<usize>,
    {
        let s = self.s;
        array(s, i, |j| item(self, j))
    }

    /// A selected string literal at `i`.
    fn site(&mut self, i: usize) -> Option<usize> {
        let (value, end) = string(self.s, i)?;
        self.sites.push(Site { start: i, end, value });
        Some(end)
    }

    /// `null` at `i` (what the walker's `_null_or` accepts).
    fn null(&self, i: usize) -> Option<usize> {
        self.s[i..].starts_with(b"null").then_some(i + 4)
    }

    /// The value at `i` in the place `role` of the selection.
    fn value(&mut self, i: usize, role: Role, depth: usize) -> Option<usize> {
        let c = self.at(i)?;
        match role {
            // A field: a string, a list of strings and nulls, or null.
            Role::Field => match c {
                b'"' => self.site(i),
                b'[' => self.array(i, |w, j| if w.at(j)? == b'"' { w.site(j) } else { w.null(j) }),
                _ => self.null(i),
            },
            // Chat messages: a list of message objects, or null.
            Role::Messages => match c {
                b'[' => self.array(i, |w, j| w.value(j, Role::Message, depth + 1)),
                _ => self.null(i),
            },
            // A message without `content` (and not calling tools) is left to the Python walker,
            // which rejects it (tst.data.selection.missing_content).
            Role::Message => {
                if c != b'{' {
                    return None;
                }
                let mut has_content = false;
                let end = self.object(i, depth, |w, key, j| {
                    if matches!(key, b"content" | b"tool_calls" | b"function_call") {
                        has_content = true;
                    }
                    if key == b"content" {
                        w.value(j, Role::Content, depth + 1)
                    } else {
                        skip_value(w.s, j, depth + 1)
                    }
                })?;
                has_content.then_some(end)
            }
            // A message's content: a string, a list of parts, or null.
            Role::Content => match c {
                b'"' => self.site(i),
                b'[' => self.array(i, |w, j| w.value(j, Role::Part, depth + 1)),
                _ => self.null(i),
            },
            // A part: a string, an object whose `text` (a string, or null) is selected, or anything
            // else (kept). A `text` of another type is left to the Python walker, which rejects it.
            Role::Part => match c {
                b'"' => self.site(i),
                b'{' => self.object(i, depth, |w, key, j| match (key, w.at(j)) {
                    (b"text", Some(b'"')) => w.site(j),
                    (b"text", _) => w.null(j),
                    _ => skip_value(w.s, j, depth + 1),
                }),
                _ => skip_value(self.s, i, depth),
            },
        }
    }
}

/// Index of the first non-whitespace byte at or after `i` (JSON whitespace).
fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = s.get(i) {
        i += 1;
    }
    i
}

/// The object at `i` (`{` there): each member's key (decoded when `keys`, else empty) and value
/// start handed to `member`, which gives the value's end; the object's end, or None.
fn object<M>(s: &[u8], i: usize, depth: usize, keys: bool, mut member: M) -> Option<usize>
where
    M: FnMut(&[u8], usize) -> Option<usize>,
{
    if depth > MAX_DEPTH {
        return None;
    }
    let mut i = skip_ws(s, i + 1);
    if s.get(i) == Some(&b'}') {
        return Some(i + 1);
    }
    loop {
        if s.get(i) != Some(&b'"') {
            return None;
        }
        let (key, end) = if keys { string(s, i)? } else { (Cow::Borrowed(&b""[..]), string_end(s, i)?) };
        i = skip_ws(s, end);
        if s.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(s, member(&key, skip_ws(s, i + 1))?);
        match s.get(i) {
            Some(b',') => i = skip_ws(s, i + 1),
            Some(b'}') => return Some(i + 1),
            _ => return None,
        }
    }
}

/// The array at `i` (`[` there): each item's start handed to `item`, which gives its end.
fn array<M>(s: &[u8], i: usize, mut item: M) -> Option<usize>
where
    M: FnMut(usize) -> Option<usize>,
{
    let mut i = skip_ws(s, i + 1);
    if s.get(i) == Some(&b']') {
        return Some(i + 1);
    }
    loop {
        i = skip_ws(s, item(i)?);
        match s.get(i) {
            Some(b',') => i = skip_ws(s, i + 1),
            Some(b']') => return Some(i + 1),
            _ => return None,
        }
    }
}

/// End of the JSON value at `i` (standard JSON only; None otherwise).
fn skip_value(s: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    match *s.get(i)? {
        b'"' => string_end(s, i),
        b'{' => object(s, i, depth, false, |_, j| skip_value(s, j, depth + 1)),
        b'[' => array(s, i, |j| skip_value(s, j, depth + 1)),
        b't' => s[i..].starts_with(b"true").then_some(i + 4),
        b'f' => s[i..].starts_with(b"false").then_some(i + 5),
        b'n' => s[i..].starts_with(b"null").then_some(i + 4),
        _ => number_end(s, i),
    }
}

/// End of `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?` at `i`; None if there is none, or if a
/// fraction or exponent is cut short (Python's scanner then stops before it, and fails after).
fn number_end(s: &[u8], mut i: usize) -> Option<usize> {
    let digits = |s: &[u8], i: usize| s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if s.get(i) == Some(&b'-') {
        i += 1;
    }
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(s, i),
        _ => return None,
    }
    if s.get(i) == Some(&b'.') {
        let n = digits(s, i + 1);
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    if let Some(b'e' | b'E') = s.get(i) {
        let mut j = i + 1;
        if let Some(b'+' | b'-') = s.get(j) {
            j += 1;
        }
        let n = digits(s, j);
        if n == 0 {
            return None;
        }
        i = j + n;
    }
    Some(i)
}

fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

fn hex4(s: &[u8], i: usize) -> Option<u32> {
    let h = s.get(i..i + 4)?;
    Some((hex(h[0])? << 12) | (hex(h[1])? << 8) | (hex(h[2])? << 4) | hex(h[3])?)
}

/// End of the string literal at `i` (`"` there), checked as Python's strict scanner checks it.
fn string_end(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        // The next `"`, `\` or control character (the bytes `json.dumps` escapes without ensure_ascii).
        let k = j + plain_run(&s[j..], false, &ESCAPE_UTF8);
        match *s.get(k)? {
            b'"' => return Some(k + 1),
            b'\\' => match *s.get(k + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j = k + 2,
                b'u' => {
                    hex4(s, k + 2)?;
                    j = k + 6;
                }
                _ => return None,
            },
            _ => return None, // a raw control character
        }
    }
}

/// The value and end of the string literal at `i`; None where Python's scanner raises, and for a
/// lone surrogate escape (its value is not UTF-8: the Python code decides what to do with it).
fn string(s: &[u8], i: usize) -> Option<(Cow<'_, [u8]>, usize)> {
    let end = string_end(s, i)?;
    let body = &s[i + 1..end - 1];
    if memchr(b'\\', body).is_none() {
        return Some((Cow::Borrowed(body), end));
    }
    let mut out = Vec::with_capacity(body.len());
    let mut k = 0;
    while k < body.len() {
        let b = body[k];
        if b != b'\\' {
            out.push(b);
            k += 1;
            continue;
        }
        let e = body[k + 1];
        k += 2;
        let c = match e {
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n' as u32,
            b'r' => b'\r' as u32,
            b't' => b'\t' as u32,
            b'u' => {
                let mut c = hex4(body, k)?;
                k += 4;
                if (0xD800..0xDC00).contains(&c) && body.get(k) == Some(&b'\\') && body.get(k + 1) == Some(&b'u') {
                    if let Some(lo) = hex4(body, k + 2).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                        k += 6;
                    }
                }
                c
            }
            other => other as u32,
        };
        match char::from_u32(c) {
            Some(ch) => out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes()),
            None => return None, // a lone surrogate
        }
    }
    Some((Cow::Owned(out), end))
}

/// Whether rewritten strings of `line` use `\u` escapes (`tst.data.json_sites.ensure_ascii_style`).
fn ensure_ascii_style(line: &[u8], default: bool) -> bool {
    // A raw DEL is what `json.dumps` writes without ensure_ascii (with it, `\u007f`).
    if !line.is_ascii() || memchr(0x7f, line).is_some() {
        return false;
    }
    // `\u` then four hexadecimal digits above 007e (what only ensure_ascii escapes) anywhere in the line.
    let found = memchr_iter(b'\\', line)
        .any(|k| line.get(k + 1) == Some(&b'u') && hex4(line, k + 2).is_some_and(|cp| cp > 0x7e));
    found || default
}

/// Whether a JSON string literal escapes a `/` as `\/` (`tst.data.json_sites.escapes_solidus`):
/// escapes are pairs read left to right, so `\\/` is an escaped backslash and a plain `/`.
fn escapes_solidus(literal: &[u8]) -> bool {
    let mut k = 0;
    while let Some(at) = memchr(b'\\', &literal[k..]) {
        if literal.get(k + at + 1) == Some(&b'/') {
            return true;
        }
        k += at + 2;
        if k >= literal.len() {
            break;
        }
    }
    false
}

/// Write each `/` of `out[from..]` (a literal `dump_string` wrote, where every `/` is one) as `\/`.
fn escape_solidus(out: &mut Vec<u8>, from: usize) {
    if memchr(b'/', &out[from..]).is_none() {
        return;
    }
    let tail = out.split_off(from);
    for b in tail {
        if b == b'/' {
            out.push(b'\\');
        }
        out.push(b);
    }
}

/// Append `value` (UTF-8) as a JSON string literal, as `json.dumps` writes it.
///
/// Runs of bytes that need no escape are copied at once: `"`, `\` and control characters are
/// escaped, and with `ensure_ascii` everything outside `' '..='~'` (`\u` escapes, surrogate
/// pairs above the BMP, lowercase hex as `json` writes them).
fn dump_string(out: &mut Vec<u8>, value: &[u8], ensure_ascii: bool) {
    out.push(b'"');
    let escape = if ensure_ascii { &ESCAPE_ASCII } else { &ESCAPE_UTF8 };
    let mut k = 0;
    while k < value.len() {
        let run = plain_run(&value[k..], ensure_ascii, escape);
        out.extend_from_slice(&value[k..k + run]);
        k += run;
        if k == value.len() {
            break;
        }
        let b = value[k];
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ if b < 0x20 || b == 0x7f => push_unit(out, u32::from(b)),
            _ => {
                // ensure_ascii and a non-ASCII character: its code point as one or two escapes.
                let (c, len) = crate::chars::decode_at(value, k);
                if c > 0xFFFF {
                    let v = c - 0x10000;
                    push_unit(out, 0xD800 + (v >> 10));
                    push_unit(out, 0xDC00 + (v & 0x3FF));
                } else {
                    push_unit(out, c);
                }
                k += len;
                continue;
            }
        }
        k += 1;
    }
    out.push(b'"');
}

/// Bytes `json.dumps` escapes: `"`, `\` and control characters (`ensure_ascii=False`).
static ESCAPE_UTF8: [bool; 256] = escapes(false);
/// The same with `ensure_ascii=True`: also DEL and every byte of a non-ASCII character.
static ESCAPE_ASCII: [bool; 256] = escapes(true);

const fn escapes(ensure_ascii: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize || (ensure_ascii && b >= 0x7f);
        b += 1;
    }
    t
}

/// Length of the run of bytes at the start of `s` that need no escape: eight bytes at a time
/// while none of them does (a flag per byte in its high bit), then byte by byte.
fn plain_run(s: &[u8], ensure_ascii: bool, escape: &[bool; 256]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let mut k = 0;
    while k + 8 <= s.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&s[k..k + 8]);
        let x = u64::from_le_bytes(word);
        let mut flags =
            (x.wrapping_sub(LO * 0x20) & !x & HI) | zero(x ^ (LO * b'"' as u64)) | zero(x ^ (LO * b'\\' as u64));
        if ensure_ascii {
            flags |= (x & HI) | zero(x ^ (LO * 0x7f));
        }
        if flags != 0 {
            break;
        }
        k += 8;
    }
    k + s[k..].iter().position(|&b| escape[b as usize]).unwrap_or(s.len() - k)
}

/// Append `\uXXXX` (lowercase hex, as `json` writes it).
fn push_unit(out: &mut Vec<u8>, u: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((u >> shift) & 0xF) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Settings};

    fn run(data: &str, fields: &[&str], messages: Option<&str>, opts: &Options) -> Block {
        let engine = Engine::new(Settings::default_exact("vocab"));
        let sel = Selection {
            fields: fields.iter().map(|f| f.as_bytes().to_vec()).collect(),
            messages: messages.map(|m| m.as_bytes().to_vec()),
        };
        convert_block(data.as_bytes(), &sel, opts, 1, |v: &[u8], out: &mut Vec<u8>| engine.encode_append(v, out))
            .unwrap()
    }

    fn text(b: &Block) -> &str {
        std::str::from_utf8(&b.out).unwrap()
    }

    #[test]
    fn converts_fields_and_messages_in_place() {
        let data = "{\"id\": 1, \"q\": \"1,000 + 2\", \"a\": [\"3\", null]}\n\n {\"q\":\"x\",\"a\":null}\r\n";
        let b = run(data, &["q", "a"], None, &Options::default());
        assert_eq!(
            text(&b),
            "{\"id\": 1, \"q\": \"⟦,3⟧⟦1k⟧⟦000⟧ + ⟦2⟧\", \"a\": [\"⟦3⟧\", null]}\n\n {\"q\":\"x\",\"a\":null}\r\n"
        );
        assert_eq!((b.records, b.strings, b.changed, b.missing), (2, 3, 2, 0));
        assert!(b.left.is_empty());
        let chat =
            "{\"messages\": [{\"role\": \"u\", \"content\": [{\"type\": \"text\", \"text\": \"7 \\u00e9\"}, 5]}]}";
        let b = run(chat, &[], Some("messages"), &Options::default());
        // An ASCII line with `\u` escapes keeps its style.
        let want = "{\"messages\": [{\"role\": \"u\", \"content\": [{\"type\": \"text\", \"text\": \"\\u27e67\\u27e7 \\u00e9\"}, 5]}]}";
        assert_eq!(text(&b), want);
    }

    #[test]
    fn leaves_what_the_python_code_must_judge() {
        let data = "{\"q\": 5}\n{\"q\": \"1\",}\n{\"r\": \"1\"}\n[1]\n{\"q\": \"\\ud800\"}\n{\"q\": NaN, \"x\": 1}\n{\"q\": \"2\"}";
        let b = run(data, &["q"], None, &Options::default());
        let left: Vec<usize> = b.left.iter().map(|l| l.0).collect();
        assert_eq!(left, [0, 1, 2, 3, 4, 5]);
        assert!(text(&b).ends_with("{\"q\": \"⟦2⟧\"}"));
        let b = run("{\"r\": \"1\"}", &["q"], None, &Options { allow_missing: true, ..Options::default() });
        assert_eq!((b.records, b.missing, b.left.len()), (1, 1, 0));
        let b = run("\u{feff}{\"q\": \"1\"}", &["q"], None, &Options { at_start: true, ..Options::default() });
        assert_eq!(b.left.len(), 1);
        // A message with no content (ShareGPT's from/value) is the Python code's to reject; one
        // calling tools may lack it.
        let chat =
            "{\"m\": [{\"from\": \"h\", \"value\": \"1\"}]}\n{\"m\": [{\"tool_calls\": []}, {\"content\": \"2\"}]}";
        let b = run(chat, &[], Some("m"), &Options::default());
        let left: Vec<usize> = b.left.iter().map(|l| l.0).collect();
        assert_eq!(left, [0]);
        assert!(text(&b).ends_with("{\"content\": \"⟦2⟧\"}]}"));
    }

    #[test]
    fn strings_are_written_as_json_dumps_writes_them() {
        let mut out = Vec::new();
        dump_string(&mut out, "a\"\\\n\u{1}\u{7f}é😀".as_bytes(), false);
        assert_eq!(String::from_utf8(out).unwrap(), "\"a\\\"\\\\\\n\\u0001\u{7f}é😀\"");
        let mut out = Vec::new();
        dump_string(&mut out, "\u{7f}é😀".as_bytes(), true);
        assert_eq!(String::from_utf8(out).unwrap(), "\"\\u007f\\u00e9\\ud83d\\ude00\"");
        assert!(ensure_ascii_style(b"{\"a\": \"\\u00e9\"}", false));
        assert!(!ensure_ascii_style(b"{\"a\": \"\\u001f\"}", false));
        assert!(ensure_ascii_style(b"{\"a\": \"\\u007f\"}", false));
        assert!(!ensure_ascii_style(b"{\"a\": \"\\u007e\"}", false));
        assert!(!ensure_ascii_style(b"{\"a\": \"\x7f\"}", true));
        assert!(ensure_ascii_style(b"{}", true));
        assert!(!ensure_ascii_style("{\"a\": \"é\\u00e9\"}".as_bytes(), true));
    }

    #[test]
    fn escaped_solidus_is_found_as_an_escape_pair() {
        assert!(escapes_solidus(br#""a\/b""#));
        assert!(!escapes_solidus(br#""a\\/b""#)); // an escaped backslash, then a plain slash
        assert!(escapes_solidus(br#""a\\\/b""#));
        assert!(!escapes_solidus(br#""a/b\n""#));
        let mut out = b"x".to_vec();
        dump_string(&mut out, b"1/2 \\/", false);
        escape_solidus(&mut out, 1);
        assert_eq!(out, br#"x"1\/2 \\\/""#.to_vec());
    }

    #[test]
    fn plain_runs_stop_at_the_first_escape() {
        for ascii in [false, true] {
            let table = if ascii { &ESCAPE_ASCII } else { &ESCAPE_UTF8 };
            for bad in [0u8, 0x1f, b'"', b'\\', 0x7f, 0x80, 0xff, b' ', b'a'] {
                for at in 0..20 {
                    let mut s = vec![b'x'; 20];
                    s[at] = bad;
                    let want = s.iter().position(|&b| table[b as usize]).unwrap_or(20);
                    assert_eq!(plain_run(&s, ascii, table), want, "{bad:#x} at {at}, ascii {ascii}");
                }
            }
        }
    }

    #[test]
    fn escapes_decode_like_python() {
        let (v, end) = string(b"\"a\\u00e9\\ud83d\\ude00\\/\\n\"x", 0).unwrap();
        assert_eq!(std::str::from_utf8(&v).unwrap(), "aé😀/\n");
        assert_eq!(end, 25);
        assert!(string(b"\"\\ud800x\"", 0).is_none());
        assert!(string(b"\"\\x\"", 0).is_none());
        assert!(string(b"\"a\tb\"", 0).is_none());
        assert_eq!(number_end(b"-0.5e+3,", 0), Some(7));
        assert_eq!(number_end(b"1.", 0), None);
        assert_eq!(number_end(b"01", 0), Some(1));
    }
}
