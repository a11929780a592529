//! Fuzz the key-file parser (the sidecar `<archive>.keys` is outside input:
//! anyone with the folder can edit it). Any bytes give a parsed, bounded key
//! file or a clean error — never a panic; a parsed file re-serializes and
//! parses back to the same value.
#![no_main]

use ganshi::archive::keys::KeyFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = KeyFile::parse(data) {
        let text = serde_json::to_vec(&file).expect("serialize");
        assert_eq!(KeyFile::parse(&text).expect("reparse"), file);
        // A wrong password against a (cheap) parsed slot is a clean "no".
        if file.slots.iter().all(|s| s.kdf.memory_kib <= 1024) {
            let _ = file.unlock_password("fuzz", "wrong-password-1");
        }
    }
});
