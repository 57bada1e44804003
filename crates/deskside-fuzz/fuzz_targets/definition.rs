#![no_main]
//! What an admin can paste as a generic connector's definition, and what its
//! API can answer. Input: a definition (JSON text), a NUL byte, an answer.
//! Any definition parses or says why, never a panic; a valid one builds
//! requests that stay on the connector's origin with its secrets (a token
//! request on the API's origin or its own token URL's), never shows a
//! secret in what it prints of a request, and reads any answer (a token
//! endpoint's too) into customers, a token or a typed error.
use deskside_core::connector::def::{Definition, TokenEndpoint};
use deskside_core::connector::engine::{build_requests, read_answer, read_related, read_token, related_requests, token_request, Secrets, Stamp};
use deskside_core::model::Customer;
use deskside_core::connector::{HttpRequest, HttpResponse};
use deskside_core::connector::trial::describe;
use deskside_core::identify::{Candidate, IdKind, Source};
use deskside_core::secret::Secret;
use deskside_core::weburl::{origin_of, BaseUrl};
use libfuzzer_sys::fuzz_target;

const KEY: &str = "fuzz-canary-key-7f3a";
const SECRETS: [&str; 10] = ["api_key", "client_id", "client_secret", "username", "password", "refresh_token", "app_id", "app_secret", "key_id", "secret"];

/// Nothing printed of a request shows a secret (every secret is KEY plus
/// its own name, so each one is told apart).
fn shown_without_secrets(req: &HttpRequest, input_has_key: bool) {
    if input_has_key {
        // The input itself wrote the canary into a template or the identifier.
        return;
    }
    let shown = format!("{req:?}\n{}", describe(req));
    for name in SECRETS {
        let value = format!("{KEY}-{name}");
        assert!(!shown.contains(&value), "{name} shown: {shown}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (def, answer) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"{}"[..]),
    };
    let input_has_key = String::from_utf8_lossy(data).contains(KEY);
    let Ok(def) = Definition::parse(&String::from_utf8_lossy(def)) else { return };
    let base = BaseUrl::parse("https://crm.example.com/api").expect("a valid base");
    let secrets: Secrets = SECRETS.iter().map(|n| (n.to_string(), Secret::new(format!("{KEY}-{n}")))).collect();
    let token = Secret::new(format!("{KEY}-token"));
    let answer = String::from_utf8_lossy(answer).into_owned();
    let stamp = Stamp::new(1_763_424_000_000 + answer.len() as u64, &answer.chars().take(16).collect::<String>());
    if let Some(req) = token_request(&def, &base, &Default::default(), &secrets) {
        if let Ok(req) = req {
            let expected = match def.auth.token_endpoint() {
                // A token URL may be a template of the setup values (Zoho's data centre).
                Some(TokenEndpoint::Url(_)) => def.token_origin_from(&Default::default()).expect("the token URL the request was built from"),
                _ => base.origin(),
            };
            assert_eq!(origin_of(&req.url), Some(expected), "the token request left its origin: {}", req.url);
            assert!(req.url.bytes().all(|b| b.is_ascii_graphic()), "unencoded bytes: {:?}", req.url);
            shown_without_secrets(&req, input_has_key);
        }
        let resp = HttpResponse { status: 200, body: answer.clone(), ..Default::default() };
        if let Ok((t, secs)) = read_token(&def.auth, &resp) {
            assert!(!t.is_empty() && (60..=86_400).contains(&secs));
        }
    }
    for kind in [IdKind::Email, IdKind::Phone, IdKind::CustomerId] {
        let id = Candidate { kind, value: answer.chars().take(64).collect(), source: Source::Text, score: 1, sensitive: false, label: None };
        for req in build_requests(&def, &base, &secrets, Some(&token), &id, &stamp).unwrap_or_default() {
            assert_eq!(origin_of(&req.url).as_deref(), Some("https://crm.example.com"), "left the origin: {}", req.url);
            assert!(req.url.bytes().all(|b| b.is_ascii_graphic()), "unencoded bytes: {:?}", req.url);
            assert!(req.headers.iter().all(|(k, v)| !k.is_empty() && !v.chars().any(char::is_control)), "a header breaks: {:?}", req.headers);
            shown_without_secrets(&req, input_has_key);
        }
        if kind == IdKind::CustomerId {
            // Follow-up requests by a found record's id, whatever the id.
            let mut record = Customer { id: id.value.clone(), ..Customer::default() };
            for req in related_requests(&def, &base, &secrets, Some(&token), &record, &stamp).unwrap_or_default() {
                assert_eq!(origin_of(&req.url).as_deref(), Some("https://crm.example.com"), "a follow-up left the origin: {}", req.url);
                assert!(req.url.bytes().all(|b| b.is_ascii_graphic()), "unencoded bytes: {:?}", req.url);
                shown_without_secrets(&req, input_has_key);
            }
            let resp = HttpResponse { status: 200, body: answer.clone(), ..Default::default() };
            for k in 0..def.related.len() {
                let _ = read_related(&def, k, "https://crm.example.com/api/x", &resp, &mut record);
            }
            let cap = 20 * def.related.len().max(1);
            assert!(record.orders.len() <= cap && record.deals.len() <= cap && record.tickets.len() <= cap && record.notes.len() <= cap);
        }
        if let Some(request) = def.lookups_for(kind).first() {
            let resp = HttpResponse { status: 200, body: answer.clone(), ..Default::default() };
            if let Ok(a) = read_answer(&def, request, "CRM", &id, "https://crm.example.com/api/x", &resp) {
                assert!(a.customers.len() + a.near_misses <= def.limits.max_records);
            }
        }
    }
});
