#![no_main]
//! What an admin can paste as a generic connector's definition, and what its
//! API can answer. Input: a definition (JSON text), a NUL byte, an answer.
//! Any definition parses or says why, never a panic; a valid one builds
//! requests that stay on the connector's origin with its secrets, and reads
//! any answer into customers or a typed error.
use deskside_core::connector::def::Definition;
use deskside_core::connector::engine::{build_requests, read_answer, Secrets};
use deskside_core::connector::HttpResponse;
use deskside_core::identify::{Candidate, IdKind, Source};
use deskside_core::secret::Secret;
use deskside_core::weburl::{origin_of, BaseUrl};
use libfuzzer_sys::fuzz_target;

const KEY: &str = "fuzz-canary-key-7f3a";

fuzz_target!(|data: &[u8]| {
    let (def, answer) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"{}"[..]),
    };
    let Ok(def) = Definition::parse(&String::from_utf8_lossy(def)) else { return };
    let base = BaseUrl::parse("https://crm.example.com/api").expect("a valid base");
    let secrets: Secrets = ["api_key", "client_id", "client_secret", "username", "password"].iter().map(|n| (n.to_string(), Secret::new(KEY))).collect();
    let token = Secret::new(KEY);
    let answer = String::from_utf8_lossy(answer).into_owned();
    for kind in [IdKind::Email, IdKind::Phone, IdKind::CustomerId] {
        let id = Candidate { kind, value: answer.chars().take(64).collect(), source: Source::Text, score: 1, sensitive: false, label: None };
        for req in build_requests(&def, &base, &secrets, Some(&token), &id).unwrap_or_default() {
            assert_eq!(origin_of(&req.url).as_deref(), Some("https://crm.example.com"), "left the origin: {}", req.url);
            assert!(req.url.bytes().all(|b| b.is_ascii_graphic()), "unencoded bytes: {:?}", req.url);
        }
        if let Some(request) = def.lookups_for(kind).first() {
            let resp = HttpResponse { status: 200, body: answer.clone(), ..Default::default() };
            if let Ok(a) = read_answer(&def, request, "CRM", &id, "https://crm.example.com/api/x", &resp) {
                assert!(a.customers.len() + a.near_misses <= def.limits.max_records);
            }
        }
    }
});
