//! Fuzz the archive interchange importer: any bytes must give either a clean
//! import or a clean error, never a panic, a hang or a half-written archive.
//!
//! Building an archive's schema costs far more than most inputs, so one empty
//! archive is kept while imports are refused (a refused import must leave it
//! empty, which is what is asserted) and a new one is made after an import
//! that succeeded.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;

thread_local! {
    static EMPTY: RefCell<Option<ganshi::Archive>> = const { RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    EMPTY.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = ganshi::Archive::open_in_memory().ok();
        }
        let Some(archive) = slot.as_mut() else { return };
        if archive.import_json(text).is_ok() {
            *slot = None;
            return;
        }
        // A refused import must leave nothing behind.
        assert!(archive.units().map(|u| u.is_empty()).unwrap_or(false), "a failed import left units behind");
        assert!(archive.cadres(None, None).map(|c| c.is_empty()).unwrap_or(false), "a failed import left cadres behind");
        assert!(
            archive.audit_entries(&Default::default()).map(|e| e.is_empty()).unwrap_or(false),
            "a failed import left an audit entry behind"
        );
    });
});
