#![no_main]
//! What a broken or hostile CRM can answer, and what a hostile page can put
//! in an identifier. Answers: any status, header and body end in customers
//! or a typed error, never a panic. Requests: whatever the identifier holds
//! (quotes, `&`, `#`, `%00`, `../`, another host), the request stays on the
//! connector's origin, the key goes only there, and the value arrives
//! encoded (THREATS.md, attacks 3 and 6; faults 1, 3 and 4).
use deskside_core::config::{ConnectorConfig, ConnectorKind};
use deskside_core::connector::{build_lookup, map_lookup, HttpResponse, Stamp};
use deskside_core::identify::{Candidate, IdKind, Source};
use deskside_core::secret::Secret;
use deskside_core::weburl::origin_of;
use libfuzzer_sys::fuzz_target;

const BASES: [&str; 3] = ["https://crm.example.com", "https://crm.example.com/api/v2/", "http://127.0.0.1:7000/base"];
const KEY: &str = "fuzz-canary-key-7f3a";

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, rest) = data.split_at(4);
    // The shipped presets (the generic connector's definitions are fuzzed
    // in the `definition` target).
    let cfg = ConnectorConfig::demo("c1", "CRM", BASES[usize::from(head[1]) % BASES.len()], KEY);
    let text = String::from_utf8_lossy(rest).into_owned();

    // The answer.
    let (retry_after, body) = match text.split_once('\n') {
        Some((h, b)) if head[3] & 1 == 1 => (Some(h.to_string()), b.to_string()),
        _ => (None, text.clone()),
    };
    let status = [200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503][usize::from(head[2]) % 13];
    let resp = HttpResponse { status, retry_after, body, redirected: head[3] & 2 == 2 };
    let asked = Candidate { kind: [IdKind::Email, IdKind::Phone, IdKind::CustomerId][usize::from(head[0]) % 3], value: "mia@x.test".into(), source: Source::Text, score: 1, sensitive: false, label: None };
    if let Ok(answer) = map_lookup(&cfg, 0, &asked, "https://crm.example.com/x", &resp) {
        assert!(answer.customers.len() + answer.near_misses <= 20);
        assert!((200..300).contains(&status) || status == 404, "{status} became customers");
        assert!(!resp.redirected || answer.customers.is_empty() || !(200..300).contains(&status));
    }

    // The request for an identifier the page chose.
    let id = Candidate {
        kind: IdKind::ALL[usize::from(head[3] >> 2) % IdKind::ALL.len()],
        value: text,
        source: Source::Text,
        score: 1,
        sensitive: false,
        label: None,
    };
    for req in build_lookup(&cfg, None, &id, &Stamp::new(1_763_424_000_000, "n0nce")).unwrap_or_default() {
        let origin = origin_of(&cfg.base_url).expect("a valid base");
        assert_eq!(origin_of(&req.url).as_deref(), Some(origin.as_str()), "left the origin: {}", req.url);
        let path_and_query = &req.url[origin.len()..];
        assert!(path_and_query.starts_with('/'), "{}", req.url);
        assert!(!path_and_query.contains('#'), "a fragment: {}", req.url);
        assert!(
            !path_and_query.split(['/', '?']).any(|seg| seg == ".." || seg.eq_ignore_ascii_case("%2e%2e")),
            "a step up: {}",
            req.url
        );
        assert!(req.url.bytes().all(|b| b.is_ascii_graphic()), "unencoded bytes: {:?}", req.url);
        assert!(req.headers.iter().any(|(_, v)| v.contains(KEY)), "no key on its own origin");
    }
});
