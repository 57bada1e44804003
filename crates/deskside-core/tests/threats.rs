//! Rows of THREATS.md proved at the core (SECURITY.md maps every row to its
//! defence and its tests): the key goes only to the configured origin (A3),
//! look-alike hosts never become another origin (A3), identifiers cannot
//! change a query's shape (A6), bad and oversized answers end in typed
//! errors (F3, F4), and the manifest asks for what it asks for and no more
//! (A7).

use deskside_core::config::{ConnectorConfig, ConnectorKind, Settings, SettingsInput, ConnectorInput};
use deskside_core::connector::engine::soql_literal;
use deskside_core::connector::{build_lookup, map_lookup, related_requests, token_request, HttpRequest, HttpResponse, LookupError, Stamp};
use deskside_core::identify::{Candidate, IdKind, Source};
use deskside_core::model::Customer;
use deskside_core::secret::Secret;
use deskside_core::weburl::{origin_of, BaseUrl};
use std::path::Path;

/// A deterministic stream of numbers (xorshift), for the property loops.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// Pieces hostile identifiers are made of: URL syntax, query syntax, SOQL
/// and SOSL syntax, NUL, look-alike hosts, other scripts.
const PIECES: &[&str] = &[
    "@", "evil.test", "/", "//", "..", "?", "#", "&", "=", "%", "%00", "%2F", "\\", "'", "\"", " OR Name LIKE '%", "}", "{", "(", ")",
    "+", "-", "*", ":", "@evil.test", "acme.zendesk.com.evil.test", "https://evil.test/", "\u{0430}", "\u{202e}", "\u{200b}", "\n", "\0", "mia", "x", "1",
];

fn hostile(rng: &mut Rng) -> String {
    let n = 1 + rng.next() % 6;
    (0..n).map(|_| *rng.pick(PIECES)).collect()
}

fn candidate(kind: IdKind, value: &str) -> Candidate {
    Candidate { kind, value: value.into(), source: Source::Text, score: 1, sensitive: false, label: None }
}

const KINDS: &[ConnectorKind] = &[
    ConnectorKind::DemoCrm, ConnectorKind::HubSpot, ConnectorKind::Salesforce, ConnectorKind::Zendesk, ConnectorKind::Freshdesk,
    ConnectorKind::Pipedrive, ConnectorKind::ZohoCrm, ConnectorKind::Intercom,
];

/// A preset with every secret it needs set to a unique canary.
fn preset(kind: ConnectorKind, base: &str) -> ConnectorConfig {
    let mut c = ConnectorConfig::demo("c1", "CRM", base, "canary-api-key-0001");
    c.kind = kind;
    for name in kind.secrets_needed("") {
        c.secrets.insert(name.to_string(), Secret::new(format!("canary-{name}-0001")));
    }
    c
}

fn carries(r: &HttpRequest, secret: &str) -> bool {
    r.url.contains(secret) || r.headers.iter().any(|(_, v)| v.contains(secret)) || r.body.as_deref().is_some_and(|b| b.contains(secret))
}

#[test]
fn a3_a_key_is_attached_only_where_the_origin_is_the_configured_one() {
    let mut rng = Rng(0x5eed_1234_dead_beef);
    let token = Secret::new("canary-access-token-0001");
    let stamp = Stamp::new(1_700_000_000_000, "nonce0001");
    let mut checked = 0;
    for &kind in KINDS {
        for base in ["https://acme.crm.example", "https://acme.crm.example:8443/api", "http://127.0.0.1:7000"] {
            let cfg = preset(kind, base);
            let Ok(b) = cfg.base() else { continue };
            let origin = b.origin();
            let secrets: Vec<String> = cfg.all_secrets().values().map(|s| s.expose().to_string()).chain([token.expose().to_string()]).collect();
            for _ in 0..150 {
                let value = hostile(&mut rng);
                for id_kind in [IdKind::Email, IdKind::Phone, IdKind::CustomerId, IdKind::OrderId, IdKind::AccountId] {
                    let id = candidate(id_kind, &value);
                    let mut requests = build_lookup(&cfg, Some(&token), &id, &stamp).unwrap_or_default();
                    // Follow-ups of a record whose id and values are hostile.
                    let record = Customer { id: value.clone(), source: "c1".into(), ..Customer::default() };
                    requests.extend(related_requests(&cfg, Some(&token), &record, &stamp).unwrap_or_default());
                    for r in &requests {
                        checked += 1;
                        assert_eq!(origin_of(&r.url).as_deref(), Some(origin.as_str()), "{kind:?} {value:?}: {}", r.url);
                        for s in &secrets {
                            assert!(!carries(r, s) || origin_of(&r.url).as_deref() == Some(origin.as_str()), "{kind:?}: a secret went to {}", r.url);
                        }
                    }
                }
            }
            // The token exchange goes to the API's origin or the definition's token URL only.
            // (The options page asks the browser for exactly those: required_origins.)
            if let Some(Ok(t)) = token_request(&cfg) {
                let to = origin_of(&t.url).unwrap_or_default();
                let allowed = Settings { connectors: vec![cfg.clone()], ..Settings::default() }.required_origins();
                let pattern = BaseUrl::parse_any(&to).unwrap().permission_pattern();
                assert!(to == origin || allowed.contains(&pattern), "{kind:?}: token to {} ({allowed:?})", t.url);
            }
        }
    }
    assert!(checked > 10_000, "the property ran on {checked} requests");
}

#[test]
fn a3_look_alike_hosts_are_refused_or_stay_their_own_origin() {
    let save = |url: &str| {
        let input = SettingsInput {
            connectors: vec![ConnectorInput { id: "crm".into(), kind: "demo_crm".into(), base_url: url.into(), api_key: Some(Secret::new("k")), enabled: true, ..Default::default() }],
            ..Default::default()
        };
        Settings::default().apply(input)
    };
    // Refused outright: user info, other scripts, a trailing dot, backslashes, plain http to a remote host, other schemes.
    for bad in [
        "https://acme.zendesk.com@evil.test", "https://user:pw@acme.zendesk.com", "https://\u{0430}cme.zendesk.com", "https://acme.zendesk.com.",
        "https://acme.zendesk.com\\@evil.test", "http://acme.zendesk.com", "javascript:alert(1)", "https://acme.zendesk.com/api?next=https://evil.test",
        "https://acme.zendesk.com#@evil.test", "ftp://acme.zendesk.com",
    ] {
        assert!(save(bad).is_err(), "accepted {bad}");
    }
    // Accepted, but as exactly what was typed: the key goes there and nowhere else.
    for (typed, origin) in [
        ("https://acme.zendesk.com.evil.test", "https://acme.zendesk.com.evil.test"),
        ("https://acme.zendesk.com:8443", "https://acme.zendesk.com:8443"),
        ("https://ACME.zendesk.com/", "https://acme.zendesk.com"),
    ] {
        let s = save(typed).unwrap();
        let r = build_lookup(&s.connectors[0], None, &candidate(IdKind::Email, "mia@x.test"), &Stamp::new(0, "n")).unwrap();
        assert!(r.iter().all(|r| origin_of(&r.url).as_deref() == Some(origin)), "{typed}: {:?}", r.iter().map(|r| &r.url).collect::<Vec<_>>());
    }
}

/// What is left of a SOSL/SOQL text once every literal (`{…}` terms with
/// backslash escapes, `'…'` strings) is replaced by a marker: an identifier
/// that changed this changed the query.
fn skeleton(q: &str) -> String {
    let mut out = String::new();
    let mut chars = q.chars();
    while let Some(c) = chars.next() {
        let close = match c {
            '{' => '}',
            '\'' => '\'',
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str("<literal>");
        while let Some(d) = chars.next() {
            if d == '\\' {
                chars.next();
            } else if d == close {
                break;
            }
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 0 && i + 2 <= b.len() - 1 {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn a6_identifiers_cannot_change_a_salesforce_query_or_a_query_string() {
    let cfg = preset(ConnectorKind::Salesforce, "https://acme.my.salesforce.com");
    let token = Secret::new("tok");
    let stamp = Stamp::new(0, "n");
    let q_of = |r: &HttpRequest| r.url.split_once("?q=").map(|(_, q)| percent_decode(q.split('&').next().unwrap_or_default()));
    let benign: Vec<String> = build_lookup(&cfg, Some(&token), &candidate(IdKind::Email, "mia@x.test"), &stamp).unwrap().iter().filter_map(q_of).map(|q| skeleton(&q)).collect();
    assert!(!benign.is_empty() && benign[0].starts_with("FIND <literal> IN EMAIL FIELDS RETURNING"), "{benign:?}");
    let mut rng = Rng(42);
    let mut named = vec!["' OR Name LIKE '%".to_string(), "x} IN ALL FIELDS RETURNING User(Password) {".into(), "a\\'}@x.test".into(), "%00'--".into(), "a&q=FIND {x}#".into()];
    named.extend((0..2_000).map(|_| hostile(&mut rng)));
    for v in &named {
        let requests = build_lookup(&cfg, Some(&token), &candidate(IdKind::Email, v), &stamp).unwrap();
        let shapes: Vec<String> = requests.iter().filter_map(q_of).map(|q| skeleton(&q)).collect();
        assert_eq!(shapes, benign, "{v:?} changed the query");
        for r in &requests {
            // One query parameter; nothing of the identifier outside it.
            let query = r.url.split_once('?').map_or("", |(_, q)| q);
            assert_eq!(query.matches('=').count(), 1, "{v:?}: {}", r.url);
            assert!(!query.contains(['#', '&', ' ', '\'']), "{v:?}: {}", r.url);
        }
    }
    // SOQL literals (follow-ups): any text is one literal, read back as typed (controls dropped).
    for v in named.iter().chain([&"o'brien\\".to_string()]) {
        let lit = soql_literal(v);
        assert_eq!(skeleton(&lit), "<literal>", "{v:?} → {lit}");
        let mut back = String::new();
        let mut chars = lit[1..lit.len() - 1].chars();
        while let Some(c) = chars.next() {
            back.push(if c == '\\' { match chars.next().unwrap() { 'n' => '\n', 'r' => '\r', 't' => '\t', e => e } } else { c });
        }
        let expected: String = v.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')).collect();
        assert_eq!(back, expected);
    }
}

fn demo() -> ConnectorConfig {
    ConnectorConfig::demo("c1", "Demo", "https://crm.test", "k")
}

fn answer(status: u16, body: &str) -> Result<Vec<Customer>, LookupError> {
    let id = candidate(IdKind::Email, "mia@x.test");
    map_lookup(&demo(), 0, &id, "https://crm.test/api/v1/customers?email=mia%40x.test", &HttpResponse { status, body: body.into(), ..Default::default() }).map(|a| a.customers)
}

#[test]
fn f3_f4_bad_and_oversized_answers_end_in_typed_errors_quickly() {
    let ok = r#"{"data":[{"id":"cus_1","name":"Mia","email":"mia@x.test"}]}"#;
    assert_eq!(answer(200, ok).unwrap().len(), 1);
    let started = std::time::Instant::now();
    let bad: Vec<(&str, String)> = vec![
        ("truncated", ok[..ok.len() - 5].to_string()),
        ("html login", "<!doctype html><html><form action=/login>Sign in</form></html>".into()),
        ("wrong types", r#"{"data":"five"}"#.into()),
        ("no list where the definition says", r#"{"items":[]}"#.into()),
        ("deep nesting", format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))),
        ("deep objects", format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000))),
        ("oversized", format!(r#"{{"data":[{{"id":"x","name":"{}"}}]}}"#, "a".repeat(12 * 1024 * 1024))),
    ];
    for (what, body) in &bad {
        match answer(200, body) {
            Err(e) => assert!(!format!("{:?}", e.user_message()).is_empty(), "{what}"),
            Ok(c) => panic!("{what}: read as {} customers", c.len()),
        }
    }
    // Read as "nobody", or as what they hold, never a panic.
    for (what, body) in [
        ("empty", String::new()),
        ("null", "null".into()),
        ("a record of wrong types (a near miss)", r#"{"data":{"id":5,"name":["a"]}}"#.into()),
        ("BOM", format!("\u{feff}{ok}")),
        ("duplicate keys", format!(r#"{{"data":[],"data":{}}}"#, &ok[8..ok.len() - 1])),
        ("lone surrogate", r#"{"data":[{"id":"s","name":"Lone \ud800","email":"mia@x.test"}]}"#.into()),
        ("number past 2^64", r#"{"data":[{"id":"b","name":"Big","email":"mia@x.test","total_minor":184467440737095516160000}]}"#.into()),
        ("a million elements", format!(r#"{{"data":[{}1]}}"#, "1,".repeat(999_999))),
    ] {
        let r = answer(200, &body);
        assert!(r.is_ok() || r.is_err(), "{what}");
        if what == "BOM" {
            assert_eq!(r.unwrap().len(), 1, "a BOM is not an error");
        }
    }
    assert!(matches!(answer(204, ""), Ok(c) if c.is_empty()));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "the core stayed responsive: {:?}", started.elapsed());
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a7_the_manifest_asks_for_exactly_these_permissions() {
    let m: serde_json::Value = serde_json::from_str(&read("manifest.json")).unwrap();
    let list = |k: &str| -> Vec<String> { m[k].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default() };
    // A snapshot: a change here is a change to SECURITY.md's promise.
    assert_eq!(list("permissions"), ["storage", "scripting", "sidePanel", "alarms"]);
    assert_eq!(list("host_permissions"), ["http://127.0.0.1/*", "http://localhost/*"]);
    assert_eq!(list("optional_host_permissions"), ["https://*/*", "http://*/*"], "sites and CRMs are asked for on Save");
    assert!(m.get("optional_permissions").is_none());
    assert!(m.get("content_scripts").is_none(), "registered only for configured, granted sites");
    assert!(m.get("externally_connectable").is_none(), "no web page may message the extension");
    assert_eq!(m["web_accessible_resources"], serde_json::json!([{ "resources": ["panel.html"], "matches": ["http://*/*", "https://*/*"] }]));
    assert_eq!(m["content_security_policy"], serde_json::json!({ "extension_pages": "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" }));
    // Other extensions: the background listens to our own contexts only.
    let bg = read("extension/background.js");
    for external in ["onMessageExternal", "onConnectExternal", "storage.sync"] {
        assert!(!bg.contains(external), "background.js uses {external}");
    }
    for f in ["extension/content.js", "extension/panel.js", "extension/options.js", "extension/pages.js", "extension/sidepanel.js"] {
        assert!(!read(f).contains("storage.sync"), "{f} uses storage.sync");
    }
}
