//! Raw bytes, ill-formed UTF-8 included, into every entry point: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cut = data.len().min(tst_fuzz::HEADER);
    let st = tst_fuzz::settings(&data[..cut]);
    tst_fuzz::exercise_raw(&st, &data[cut..]);
});
