//! Fuzz the LRMX (任免审批表) reader: any bytes give a person or a clean error
//! naming the file — never a panic or a hang; a person read is written back
//! and read again to the same person.
#![no_main]

use ganshi::formats::lrmx;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(person) = lrmx::parse("fuzz.lrmx", data) {
        let again = lrmx::parse("again.lrmx", lrmx::write(&person).as_bytes()).expect("our own output reads back");
        assert_eq!(again.name, person.name);
        assert_eq!(again.birth, person.birth);
    }
});
