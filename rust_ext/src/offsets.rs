//! Token offsets on TST surfaces mapped back to the original texts.
//!
//! Each source text has its pieces `(enc_start, enc_end, orig_start, orig_end)`, sorted and
//! disjoint (see [`crate::encode::encode_with_offsets`]). Between pieces the surface is the
//! original shifted by a constant, so a position in a gap moves by the shift of the last piece
//! ending at or before it; a token edge inside a piece snaps to the piece's original span:
//! starts to its start, ends to its end. `tst/hf/_offsets.py` is the same rule in NumPy.

use crate::encode::Piece;

/// The pieces of many sources, laid end to end.
#[derive(Debug, Default, Clone)]
pub struct OffsetTable {
    pieces: Vec<Piece>,
    /// `pieces[bounds[k]..bounds[k + 1]]` belong to source `k`.
    bounds: Vec<usize>,
}

impl OffsetTable {
    /// A table over `per_source` pieces, one list per source in order.
    pub fn new<I: IntoIterator<Item = Vec<Piece>>>(per_source: I) -> Self {
        let mut table = OffsetTable { pieces: Vec::new(), bounds: vec![0] };
        for p in per_source {
            table.pieces.extend(p);
            table.bounds.push(table.pieces.len());
        }
        table
    }

    /// How many sources the table holds.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    /// Whether the table holds no source.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pieces of source `src` (which must be below [`Self::len`]).
    pub fn pieces(&self, src: usize) -> &[Piece] {
        &self.pieces[self.bounds[src]..self.bounds[src + 1]]
    }

    /// Where a token starting at surface position `s` of source `src` starts in the original.
    pub fn start(&self, src: usize, s: usize) -> usize {
        let p = self.pieces(src);
        let k = p.partition_point(|x| x.1 <= s); // first piece ending after s
        if k < p.len() && p[k].0 <= s {
            return p[k].2;
        }
        shifted(s, k.checked_sub(1).map(|j| p[j]))
    }

    /// Where a token ending at surface position `e` of source `src` ends in the original.
    pub fn end(&self, src: usize, e: usize) -> usize {
        let p = self.pieces(src);
        let k = p.partition_point(|x| x.1 < e); // first piece ending at or after e
        if k < p.len() && p[k].0 < e {
            return p[k].3;
        }
        let j = p.partition_point(|x| x.1 <= e);
        shifted(e, j.checked_sub(1).map(|j| p[j]))
    }
}

/// `pos` moved by the shift of the piece before it (none before: no shift).
fn shifted(pos: usize, before: Option<Piece>) -> usize {
    match before {
        Some((_, enc_end, _, orig_end)) => (pos + orig_end).saturating_sub(enc_end),
        None => pos,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Settings};

    /// One edge pair mapped by scanning every piece: the rule stated plainly.
    fn reference(p: &[Piece], s: usize, e: usize) -> (usize, usize) {
        let (mut new_s, mut new_e) = (None, None);
        let (mut shift_s, mut shift_e) = (0isize, 0isize);
        for &(es, ee, os, oe) in p {
            if es <= s && s < ee {
                new_s = Some(os);
            }
            if ee <= s {
                shift_s = oe as isize - ee as isize;
            }
            if es < e && e <= ee {
                new_e = Some(oe);
            }
            if ee <= e {
                shift_e = oe as isize - ee as isize;
            }
        }
        (new_s.unwrap_or((s as isize + shift_s) as usize), new_e.unwrap_or((e as isize + shift_e) as usize))
    }

    #[test]
    fn every_edge_matches_the_scan() {
        let engine = Engine::new(Settings::default_exact("marker"));
        let texts = ["", "abc", "x 1,234.5 y", "12⟦3 ⟧ 4.5e6", "1 2 3", "⟦⟧9"];
        let table = OffsetTable::new(texts.iter().map(|t| engine.encode_with_offsets(t.as_bytes()).unwrap().1));
        assert_eq!(table.len(), texts.len());
        for (k, t) in texts.iter().enumerate() {
            let enc = engine.encode_str(t).unwrap();
            let n = enc.chars().count();
            for s in 0..=n {
                for e in s..=n {
                    let want = reference(table.pieces(k), s, e);
                    assert_eq!((table.start(k, s), table.end(k, e)), want, "{t:?} {s}..{e}");
                }
            }
        }
    }

    #[test]
    fn a_unit_maps_to_its_number_span() {
        let engine = Engine::new(Settings::default_exact("vocab"));
        let (_, pieces) = engine.encode_with_offsets("a 1234".as_bytes()).unwrap();
        let table = OffsetTable::new([pieces]);
        // 'a ⟦1k⟧⟦234⟧': the units cover 2..6 and 6..11 of the surface.
        assert_eq!((table.start(0, 2), table.end(0, 6)), (2, 3));
        assert_eq!((table.start(0, 6), table.end(0, 11)), (3, 6));
        assert_eq!((table.start(0, 0), table.end(0, 1)), (0, 1));
    }
}
