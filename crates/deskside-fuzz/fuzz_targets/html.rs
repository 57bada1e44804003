#![no_main]
//! A saved page, as the command-line scanner and the corpus tests read it:
//! any bytes become a snapshot without panicking, and its fields stay within
//! what the input holds.
use deskside_core::html::{looks_like_html, snapshot_from_html, snapshot_from_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = looks_like_html(&input);
    let snap = snapshot_from_html(&input);
    for f in &snap.fields {
        // Entities decode to at most a few bytes per character of input.
        assert!(f.text.len() <= 4 * input.len() + 16, "a field longer than its page");
    }
    let plain = snapshot_from_text(&input);
    assert_eq!(plain.fields.iter().map(|f| f.text.len()).sum::<usize>(), input.len());
});
