#![no_main]
//! What a hostile page can send: any fields, any sources, any bytes.
//! `identify` must rank them without panicking (a panic aborts the
//! background's wasm), and every candidate must be well formed: phones in
//! E.164, ID codes that pass their checksums, one candidate per (kind,
//! value), best first, and JSON exactly as serde writes it.
use deskside_core::cnid::find_cn_ids;
use deskside_core::config::IdPattern;
use deskside_core::identify::{candidates_to_json, identify, Field, IdKind, IdRule, PageSnapshot, ScanContext, Source};
use libfuzzer_sys::fuzz_target;

const SOURCES: [Source; 9] = [
    Source::Text,
    Source::RequesterField,
    Source::MailtoLink,
    Source::TelLink,
    Source::InputValue,
    Source::PageUrl,
    Source::AgentField,
    Source::TableText,
    Source::TeamText,
];
const REGIONS: [&str; 6] = ["CN", "US", "GB", "DE", "JP", "XX"];

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let team = head & 0x08 != 0;
    let ctx = ScanContext {
        team_domains: if team { vec!["example.com".into(), "例子.cn".into()] } else { Vec::new() },
        team_phones: if team { vec!["+8613800138000".into()] } else { Vec::new() },
        default_region: REGIONS[usize::from(head & 0x07) % REGIONS.len()].into(),
        id_patterns: if head & 0x10 != 0 {
            let p = IdPattern { kind: IdKind::OrderId, label: "Order".into(), pattern: r"(?i)ORD-\d{4}-(?<id>\d{2,8})".into() };
            vec![IdRule::compile(&p).expect("the pattern compiles")]
        } else {
            Vec::new()
        },
    };
    // Fields are separated by 0x00; each field's first byte picks its source.
    let fields = rest
        .split(|&b| b == 0)
        .filter_map(|f| f.split_first())
        .map(|(&s, text)| Field { source: SOURCES[usize::from(s) % SOURCES.len()], text: String::from_utf8_lossy(text).into_owned() })
        .collect();
    let list = identify(&PageSnapshot { fields }, &ctx);

    for pair in list.windows(2) {
        assert!(pair[0].score >= pair[1].score, "not best first: {list:?}");
    }
    for (i, c) in list.iter().enumerate() {
        assert!(!list[..i].iter().any(|d| d.kind == c.kind && d.value == c.value), "{c:?} twice");
        assert_eq!(c.sensitive, c.kind == IdKind::ResidentId, "{c:?}");
        match c.kind {
            IdKind::Phone => {
                let digits = c.value.strip_prefix('+').unwrap_or_else(|| panic!("{c:?} is not E.164"));
                assert!((7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()), "{c:?} is not E.164");
                assert!(!digits.starts_with('0'), "{c:?} has no country code");
                assert!(!ctx.team_phones.contains(&c.value), "the team's own number {c:?}");
            }
            IdKind::Email => {
                let (local, domain) = c.value.rsplit_once('@').unwrap_or_else(|| panic!("{c:?} has no @"));
                assert!(!local.is_empty() && domain.contains('.'), "{c:?}");
                // White space only inside a quoted local part ("john doe"@…).
                let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
                assert!(quoted || !c.value.chars().any(char::is_whitespace), "{c:?}");
                assert!(!domain.chars().any(char::is_whitespace), "{c:?}");
                let own = domain == "example.com" || domain.ends_with(".example.com");
                assert!(!(team && own), "the team's own address {c:?}");
            }
            IdKind::ResidentId | IdKind::CreditCode => {
                let found = find_cn_ids(&c.value);
                assert!(found.len() == 1 && found[0].value == c.value, "{c:?} fails its checksum");
            }
            _ => assert!(!c.value.is_empty(), "{c:?}"),
        }
    }
    assert_eq!(candidates_to_json(&list), serde_json::to_string(&list).expect("serialisable"));
});
