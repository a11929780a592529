//! Fuzz the exchange package reader (issue 19): the layout check that runs on
//! a file from a USB stick before any key is used, the split of opened
//! contents into manifest, changeset and audit entries, and the identity-card
//! reader. Any bytes give a value or a clean error — never a panic, a hang or
//! an allocation beyond the input's size.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(laid) = ganshi::exchange::package::parse(data) {
        assert!(laid.signed.len() + 64 == data.len());
        assert!(laid.aad.len() < laid.signed.len());
    }
    if let Ok(c) = ganshi::exchange::package::split(data) {
        assert!(c.parts.iter().map(|p| p.len() + 8).sum::<usize>() + c.audit.len() < data.len());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ganshi::exchange::SiteCard::parse(text, "card.json");
    }
});
