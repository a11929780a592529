//! Fuzz the archive interchange importer: any bytes must give either a clean
//! import or a clean error, never a panic, a hang or a half-written archive.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(mut archive) = ganshi::Archive::open_in_memory() else { return };
    if archive.import_json(text).is_err() {
        // A refused import must leave nothing behind.
        assert!(archive.units().map(|u| u.is_empty()).unwrap_or(false), "a failed import left units behind");
        assert!(archive.cadres(None, None).map(|c| c.is_empty()).unwrap_or(false), "a failed import left cadres behind");
    }
});
