//! Fuzz the Excel roster reader (calamine underneath): any bytes give rows,
//! row errors or a clean file error — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ganshi::formats::roster::read("fuzz.xlsx", data, &[]);
});
