//! The fuzz checks without libFuzzer, for CI: every committed seed, then
//! seeded random mutations of the seeds and random fragment soups (a fixed
//! xorshift stream, so a failure names a reproducible case index).
//!
//! `TST_FUZZ_CASES` sets how many random cases run (default 3000).

use std::fs;
use std::path::PathBuf;

const FRAGMENTS: &[&str] = &[
    "⟦",
    "⟧",
    "⟦k⟧",
    "⟦u⟧",
    "⟦1k⟧",
    "⟦,3⟧",
    "⟦,2⟧",
    "⟦⟦⟧",
    "⟦⟧⟧",
    "⟦p⟧",
    "⟦12⟧",
    "⟦⟧",
    "⟦5pp⟧",
    "⟦e18⟧",
    "⟦123e18⟧",
    "1",
    "12",
    "123",
    "1234",
    "0",
    "007",
    "9999999999999999999999",
    ".",
    ",",
    "'",
    "\u{a0}",
    "\u{2009}",
    "_",
    " ",
    "e",
    "E",
    "e-",
    "+",
    "-",
    "x",
    "0x",
    "0X1F",
    "v",
    "km",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\0",
    "é",
    "١٢٣",
    "１２",
    "²",
    "½",
    "🙂",
    "\u{2028}",
    "\u{feff}",
];

fn seed_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus").join("seed")
}

fn seeds() -> Vec<Vec<u8>> {
    files(seed_dir()).into_iter().map(|(_, data)| data).collect()
}

/// The files of a directory, sorted by name.
fn files(dir: PathBuf) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("the directory is committed")
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = tst_fuzz::HEADER.min(data.len()) + rng.below(data.len().saturating_sub(2));
        let at = at.min(data.len());
        match rng.below(5) {
            0 if at < data.len() => {
                let end = (at + 1 + rng.below(6)).min(data.len());
                data.drain(at..end);
            }
            1 => {
                let frag = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                data.splice(at..at, frag.iter().copied());
            }
            2 if at < data.len() => data[at] = rng.next() as u8,
            3 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let end = (from + 1 + rng.below(12)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let h = tst_fuzz::HEADER.min(data.len());
                let bits = rng.next().to_le_bytes();
                data[..h].copy_from_slice(&bits[..h]);
            }
        }
    }
    data
}

fn soup(rng: &mut Rng) -> Vec<u8> {
    let mut data: Vec<u8> = (0..tst_fuzz::HEADER).map(|_| rng.next() as u8).collect();
    for _ in 0..rng.below(16) {
        data.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes());
    }
    data
}

/// Every input a fuzzer once crashed on (`regressions/<target>-<what>`), replayed through its target.
#[test]
fn pinned_findings_stay_fixed() {
    let found = files(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions"));
    assert!(!found.is_empty());
    for (name, data) in found {
        let cut = data.len().min(tst_fuzz::HEADER);
        let st = tst_fuzz::settings(&data[..cut]);
        match name.split('-').next() {
            Some("raw_bytes") => tst_fuzz::exercise_raw(&st, &data[cut..]),
            Some("encode") => tst_fuzz::check_encode(&st, &tst_fuzz::wtf8(&data[cut..])),
            Some("decode") => tst_fuzz::check_decode(&st, &tst_fuzz::wtf8(&data[cut..])),
            Some("spans") => tst_fuzz::check_spans(&st, &tst_fuzz::wtf8(&data[cut..])),
            _ => panic!("regression file {name} does not name its target"),
        }
    }
}

#[test]
fn seed_corpus_passes_every_check() {
    let seeds = seeds();
    assert!(seeds.len() >= 100, "seed corpus missing: run `python -m benchmarks.fuzz.make_seeds`");
    for data in &seeds {
        tst_fuzz::check_all(data);
        let cut = data.len().min(tst_fuzz::HEADER);
        tst_fuzz::exercise_raw(&tst_fuzz::settings(&data[..cut]), &data[cut..]);
    }
}

#[test]
fn random_mutations_pass_every_check() {
    let cases: usize = std::env::var("TST_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for k in 0..cases {
        let data = if k % 3 == 2 { soup(&mut rng) } else { mutate(&mut rng, &seeds) };
        let run = std::panic::catch_unwind(|| tst_fuzz::check_all(&data));
        assert!(run.is_ok(), "case {k} failed; input bytes: {data:?}");
    }
}
