//! Fuzz the .xls record scan that bounds every sheet before calamine opens the
//! workbook (`formats::biff`): any bytes give spans or a clean error — never a
//! panic, a hang or an allocation beyond the input's size.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(spans) = ganshi::formats::biff::sheet_spans(data) {
        for s in spans {
            let (rows, cols) = s.size();
            assert!(rows >= 1 && cols >= 1);
        }
    }
});
