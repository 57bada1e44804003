#![no_main]
//! The speed-built scanners against their plainer selves, on any text: the
//! one walk finds exactly the phones, ID codes and `@` signs that each
//! scanner finds alone; the byte-level email path decides every `@` it takes
//! as the general path does; a number normalised once stays the same when
//! normalised again; and no match starts or ends inside a character.
use deskside_core::cnid::find_cn_ids;
use deskside_core::phone::{find_phones, normalize_phone, normalize_phone_typed, scan_text};
use libfuzzer_sys::fuzz_target;

const REGIONS: [&str; 6] = ["CN", "US", "GB", "IN", "AU", ""];

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let region = REGIONS[usize::from(head) % REGIONS.len()];
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();

    let scan = scan_text(text, region);
    assert_eq!(scan.phones, find_phones(text, region));
    assert_eq!(scan.cn_ids, find_cn_ids(text));
    let at_signs: Vec<usize> = text.match_indices('@').map(|(i, _)| i).collect();
    assert_eq!(scan.at_signs, at_signs);
    let wide: Vec<usize> = text.match_indices('＠').map(|(i, _)| i).collect();
    assert_eq!(scan.wide_at_signs, wide);
    let closers = text.match_indices([']', ')', '}']).map(|(i, _)| i);
    let bracket_ats: Vec<usize> = closers.filter(|&i| deskside_detect::email::closes_bracketed_at(text.as_bytes(), i)).collect();
    assert_eq!(scan.bracket_ats, bracket_ats);

    for p in &scan.phones {
        assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end) && p.start < p.end);
        assert_eq!(normalize_phone(&p.e164, region).as_deref(), Some(p.e164.as_str()), "{p:?} in {text:?}");
    }
    for id in &scan.cn_ids {
        assert!(text.is_char_boundary(id.start) && text.is_char_boundary(id.end) && id.start < id.end);
    }
    if let Err(e) = deskside_core::identify::email_paths_agree(text) {
        panic!("{e} in {text:?}");
    }
    // The whole input as one number, as a `tel:` link or a form gives it.
    if let Some(e164) = normalize_phone(text, region) {
        assert_eq!(normalize_phone(&e164, region).as_deref(), Some(e164.as_str()), "{text:?}");
    }
    // Typed to look up: never refuses what the strict reading takes, and reads its own output back.
    match (normalize_phone(text, region), normalize_phone_typed(text, region)) {
        (Some(a), b) => assert_eq!(b.as_deref(), Some(a.as_str()), "{text:?}"),
        (None, Some(e164)) => assert_eq!(normalize_phone_typed(&e164, region).as_deref(), Some(e164.as_str()), "{text:?}"),
        (None, None) => {}
    }
});
