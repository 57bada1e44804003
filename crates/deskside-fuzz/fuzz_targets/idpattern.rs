#![no_main]
//! An admin's pattern and a page's text, both arbitrary: compiling either
//! works or says why, matching stays within its step budget, and every match
//! is a slice of the text on character boundaries.
use deskside_core::idpattern::Pattern;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (source, text) = input.split_once('\u{0}').unwrap_or((input.as_ref(), "ORD-2026-004211 CUST-42 x@y.cn 138 0013 8000"));
    let pattern = match Pattern::compile(source) {
        Ok(p) => p,
        Err(e) => {
            let _ = e.text(); // a message id: compiling says why
            return;
        }
    };
    let mut budget = 200_000;
    let found = pattern.find_all_limited(text, &mut budget);
    for m in &found {
        assert!(m.start <= m.value_start && m.value_start <= m.value_end && m.value_end <= m.end && m.end <= text.len(), "{m:?}");
        for i in [m.start, m.end, m.value_start, m.value_end] {
            assert!(text.is_char_boundary(i), "{m:?} in {text:?}");
        }
        let _ = m.value(text);
    }
    for pair in found.windows(2) {
        assert!(pair[0].end <= pair[1].start, "overlapping matches {pair:?}");
    }
});
