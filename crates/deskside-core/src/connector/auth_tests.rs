//! Every auth kind of the definition format: parsed, validated with paths,
//! the token requests and answers, the token where the API wants it, and
//! signed requests against known answers (computed independently with
//! Python's hashlib and hmac).

use super::def::{AuthDef, DefError, Definition, TokenEndpoint, TokenPlace};
use super::engine::{build_requests, read_token, token_request, Secrets, Stamp};
use super::trial::describe;
use super::{HttpRequest, HttpResponse, LookupError, Method};
use crate::i18n::{english, Msg};
use crate::identify::{Candidate, IdKind, Source};
use crate::secret::Secret;
use crate::weburl::BaseUrl;
use serde_json::{json, Value};

fn definition(auth: Value, lookups: Value) -> Result<Definition, Vec<DefError>> {
    let v = json!({
        "id": "t", "name": "T", "auth": auth, "lookups": lookups,
        "results": {"list": "/data"}, "map": {"id": "/id", "emails": ["/email"]}
    });
    Definition::parse(&v.to_string())
}

fn get_email() -> Value {
    json!({"email": [{"path": "/people", "query": {"email": "{value}"}}]})
}

fn def(auth: Value) -> Definition {
    definition(auth, get_email()).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The problems of a definition, as `path: English message`.
fn problems(auth: Value, lookups: Value) -> Vec<String> {
    match definition(auth, lookups) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| format!("{}: {}", e.path, english(&e.message))).collect(),
    }
}

fn secrets(pairs: &[(&str, &str)]) -> Secrets {
    pairs.iter().map(|(k, v)| (k.to_string(), Secret::new(*v))).collect()
}

fn email(v: &str) -> Candidate {
    Candidate { kind: IdKind::Email, value: v.into(), source: Source::Text, score: 1, sensitive: false, label: None }
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://api.crm.example/v2").unwrap()
}

fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse { status, body: body.into(), ..Default::default() }
}

/// What is printed of a request, Debug and *Test connection* alike.
fn printed(r: &HttpRequest) -> String {
    format!("{r:?}\n{}", describe(r))
}

const CANARIES: &[(&str, &str)] = &[
    ("client_id", "canary-cid-1"),
    ("client_secret", "canary-cs+2&x=y"),
    ("refresh_token", "canary-rt-3"),
    ("app_id", "canary-app-4"),
    ("app_secret", "canary-\"as5&"),
];

#[test]
fn every_kind_names_its_secrets() {
    assert_eq!(def(json!({"kind": "client_credentials", "token_url": "https://login.example/oauth2/token"})).auth.secrets(), ["client_id", "client_secret"]);
    assert_eq!(def(json!({"kind": "refresh_token", "token_path": "/oauth/token"})).auth.secrets(), ["client_id", "client_secret", "refresh_token"]);
    let app = json!({"kind": "app_token", "token_path": "/cgi-bin/gettoken", "query": {"corpid": "{app_id}", "corpsecret": "{app_secret}"}});
    assert_eq!(def(app).auth.secrets(), ["app_id", "app_secret"]);
    let udesk = json!({"kind": "signed", "sign": "{key_id}&{secret}&{timestamp}&{nonce}&v2", "hash": "sha256", "query": {"email": "{key_id}", "sign": "{sign}"}});
    assert_eq!(def(udesk).auth.secrets(), ["key_id", "secret"]);
    let no_id = json!({"kind": "signed", "sign": "{timestamp}{secret}", "hash": "md5", "headers": {"X-Sign": "{sign}", "X-Time": "{timestamp}"}});
    assert_eq!(def(no_id).auth.secrets(), ["secret"]);
    // Each secret has its own label on the options page, in both languages.
    let names = ["client_id", "client_secret", "refresh_token", "app_id", "app_secret", "key_id", "secret", "username", "password"];
    let labels: std::collections::BTreeSet<Msg> = names.iter().map(|n| crate::config::secret_label(n)).collect();
    assert_eq!(labels.len(), names.len());
    assert!(!labels.contains(&Msg::OptApiKey));
}

#[test]
fn token_endpoints_and_places_are_read() {
    let d = def(json!({"kind": "refresh_token", "token_url": "https://accounts.zoho.com/oauth/v2/token", "place": {"name": "Authorization", "prefix": "Zoho-oauthtoken "}}));
    assert_eq!(d.auth.token_endpoint(), Some(&TokenEndpoint::Url("https://accounts.zoho.com/oauth/v2/token".into())));
    assert_eq!(d.auth.token_place(), Some(&TokenPlace::Header { name: "Authorization".into(), prefix: "Zoho-oauthtoken ".into() }));
    assert_eq!(d.auth.token_origin().as_deref(), Some("https://accounts.zoho.com"));
    assert_eq!(d.auth.token_permission().as_deref(), Some("https://accounts.zoho.com/*"));
    let d = def(json!({"kind": "client_credentials", "token_path": "/oauth/token"}));
    assert_eq!(d.auth.token_place(), Some(&TokenPlace::Header { name: "Authorization".into(), prefix: "Bearer ".into() }));
    assert_eq!(d.auth.token_origin(), None);
    // A header of the API's own takes the token as it is, unless a prefix is given.
    let d = def(json!({"kind": "client_credentials", "token_path": "/t", "place": {"in": "header", "name": "X-Access-Token"}}));
    assert_eq!(d.auth.token_place(), Some(&TokenPlace::Header { name: "X-Access-Token".into(), prefix: String::new() }));
    let d = def(json!({"kind": "client_credentials", "token_path": "/t", "place": {"in": "query", "name": "access_token"}}));
    assert_eq!(d.auth.token_place(), Some(&TokenPlace::Query { name: "access_token".into() }));
    assert!(matches!(def(json!({"kind": "bearer"})).auth, AuthDef::Bearer));
}

#[test]
fn bad_auth_definitions_are_named_with_their_path() {
    let unreadable = |auth: Value| match definition(auth, get_email()) {
        Err(e) if e.len() == 1 && e[0].message.id == Msg::DefUnreadable => english(&e[0].message),
        other => panic!("{other:?}"),
    };
    // Shapes (read before validation): the place in the message.
    assert!(unreadable(json!({"kind": "client_credentials", "token_path": "/t", "place": {"in": "cookie", "name": "t"}})).contains("auth.place.in: 'cookie' is not header, query or body"));
    assert!(unreadable(json!({"kind": "client_credentials", "token_path": "/t", "place": {"in": "query"}})).contains("auth.place.name is required"));
    assert!(unreadable(json!({"kind": "client_credentials", "token_path": "/t", "place": {"in": "query", "name": "t", "prefix": "Bearer "}})).contains("auth.place.prefix"));
    assert!(unreadable(json!({"kind": "client_credentials", "token_path": "/t", "place": {"where": "query"}})).contains("unknown field auth.place.where"));
    assert!(unreadable(json!({"kind": "refresh_token"})).contains("auth.token_path (on the API's origin) or auth.token_url (another origin) is required"));
    assert!(unreadable(json!({"kind": "refresh_token", "token_path": "/t", "token_url": "https://x.example/t"})).contains("not both"));
    assert!(unreadable(json!({"kind": "signed", "sign": "{secret}", "hash": "sha512", "query": {"s": "{sign}"}})).contains("auth.hash: 'sha512' is not sha1"));
    assert!(unreadable(json!({"kind": "signed", "sign": "{secret}", "hash": "sha1", "timestamp": "minutes", "query": {"s": "{sign}"}})).contains("auth.timestamp"));
    assert!(unreadable(json!({"kind": "signed", "hash": "sha1", "query": {"s": "{sign}"}})).contains("auth.sign is required"));
    assert!(unreadable(json!({"kind": "app_token", "token_path": "/t", "method": "PUT"})).contains("auth.method: 'PUT' is not GET or POST"));
    assert!(unreadable(json!({"kind": "app_token", "token_path": "/t", "query": {"a": 1}})).contains("auth.query.a must be text"));
    assert!(unreadable(json!({"kind": "app_token", "token_path": "/t", "scope": "x"})).contains("unknown field auth.scope"));

    // Validation: every problem with its path.
    let cases: Vec<(Value, Value, Vec<&str>)> = vec![
        (json!({"kind": "client_credentials", "token_url": "http://login.example/token"}), get_email(), vec!["auth.token_url: 'http://login.example/token' is not a token URL"]),
        (json!({"kind": "client_credentials", "token_url": "https://login.example/"}), get_email(), vec!["auth.token_url"]),
        (json!({"kind": "client_credentials", "token_url": "https://login.example/token?x=1"}), get_email(), vec!["auth.token_url"]),
        (json!({"kind": "client_credentials", "token_url": "https://u@login.example/token"}), get_email(), vec!["auth.token_url"]),
        (json!({"kind": "refresh_token", "token_path": "//evil.example/t"}), get_email(), vec!["auth.token_path"]),
        (json!({"kind": "refresh_token", "token_path": "/t", "place": {"name": "X Token"}}), get_email(), vec!["auth.place.name: 'X Token' is not a header or parameter name"]),
        (json!({"kind": "refresh_token", "token_path": "/t", "place": {"prefix": "Bearer\r\nX-Evil: 1 "}}), get_email(), vec!["auth.place.prefix"]),
        (json!({"kind": "client_credentials", "token_path": "/t", "place": {"in": "body", "name": "access_token"}}), get_email(), vec!["auth.place.in: the token goes in the JSON body, but lookups.email.0 is not a POST with a JSON object body"]),
        (
            json!({"kind": "app_token", "token_path": "/gettoken", "query": {"corpid": "{app_id}", "corpsecret": "{secret}"}}),
            get_email(),
            vec!["auth.query.corpsecret: '{secret}' may hold only {app_id}, {app_secret}", "auth: {app_secret} is not used"],
        ),
        (json!({"kind": "app_token", "token_path": "/t", "body": {"appId": "{app_id}", "appSecret": "{app_secret}"}}), get_email(), vec!["auth.body: "]),
        (json!({"kind": "app_token", "token_path": "/t", "method": "POST", "body": {"id": "{app_id}", "s": "{app_secret}"}, "token": "data/token"}), get_email(), vec!["auth.token: 'data/token'"]),
        (json!({"kind": "app_token", "token_path": "/t", "query": {"a": "{app_id}{app_secret}"}, "token": ""}), get_email(), vec!["auth.token"]),
        (json!({"kind": "signed", "sign": "{key_id}{timestamp}", "hash": "sha1", "query": {"sign": "{sign}"}}), get_email(), vec!["auth.sign: {secret} is not used"]),
        (json!({"kind": "signed", "sign": "{secret}{path}", "hash": "sha1", "query": {"sign": "{sign}"}}), get_email(), vec!["auth.sign: '{secret}{path}' may hold only {key_id}, {secret}"]),
        (json!({"kind": "signed", "sign": "{secret}", "hash": "sha1", "query": {"key": "{secret}", "sign": "{sign}"}}), get_email(), vec!["auth.query.key: '{secret}' may hold only {key_id}, {timestamp}"]),
        (json!({"kind": "signed", "sign": "{secret}", "hash": "sha1", "query": {"t": "{timestamp}"}}), get_email(), vec!["auth.query: the signature is not sent"]),
        (json!({"kind": "signed", "sign": "{secret}", "hash": "sha1", "headers": {"X Sign": "{sign}"}}), get_email(), vec!["auth.headers.X Sign"]),
    ];
    for (auth, lookups, want) in cases {
        let got = problems(auth.clone(), lookups);
        assert_eq!(got.len(), want.len(), "{auth}: {got:?}");
        for (g, w) in got.iter().zip(&want) {
            assert!(g.starts_with(w), "{auth}: {g:?} does not start with {w:?}");
        }
    }
    // An HMAC is keyed with the secret: the text need not hold it.
    assert_eq!(problems(json!({"kind": "signed", "sign": "{timestamp}", "hash": "hmac_sha256", "headers": {"X-Sign": "{sign}"}}), get_email()), Vec::<String>::new());
}

#[test]
fn client_credentials_at_a_token_url_on_another_origin() {
    let d = def(json!({"kind": "client_credentials", "token_url": "https://login.salesforce.com/services/oauth2/token", "scope": "api"}));
    let r = token_request(&d, &base(), &Default::default(), &secrets(CANARIES)).unwrap().unwrap();
    assert_eq!((r.method, r.url.as_str()), (Method::Post, "https://login.salesforce.com/services/oauth2/token"));
    assert_eq!(r.body.as_deref(), Some("grant_type=client_credentials&client_id=canary-cid-1&client_secret=canary-cs%2B2%26x%3Dy&scope=api"));
    assert!(r.headers.contains(&("Content-Type".into(), "application/x-www-form-urlencoded".into())));
    let shown = printed(&r);
    assert!(!shown.contains("canary") && shown.contains("client_secret=<redacted>") && shown.contains("grant_type=client_credentials"), "{shown}");
    // The access token itself goes only to the API's origin.
    let lookups = build_requests(&d, &base(), &secrets(CANARIES), Some(&Secret::new("tok-1")), &email("a@b.example"), &Stamp::default()).unwrap();
    assert_eq!(lookups[0].url, "https://api.crm.example/v2/people?email=a%40b.example");
    assert!(lookups[0].headers.contains(&("Authorization".into(), "Bearer tok-1".into())));
    // Missing a secret: no request, the secret named.
    let e = token_request(&d, &base(), &Default::default(), &secrets(&[("client_id", "x")])).unwrap().unwrap_err();
    assert_eq!(english(&e.user_message()), english(&LookupError::Config { message: crate::i18n::Text::new(Msg::LookupNoSecret, [crate::i18n::data("client_secret")]) }.user_message()));
}

#[test]
fn refresh_token_grant() {
    let d = def(json!({"kind": "refresh_token", "token_url": "https://accounts.zoho.com/oauth/v2/token", "place": {"prefix": "Zoho-oauthtoken "}}));
    let r = token_request(&d, &base(), &Default::default(), &secrets(CANARIES)).unwrap().unwrap();
    assert_eq!(r.url, "https://accounts.zoho.com/oauth/v2/token");
    assert_eq!(r.body.as_deref(), Some("grant_type=refresh_token&refresh_token=canary-rt-3&client_id=canary-cid-1&client_secret=canary-cs%2B2%26x%3Dy"));
    assert!(!printed(&r).contains("canary"), "{}", printed(&r));
    // The answer's new refresh token is not taken: only the access token is.
    let (token, secs) = read_token(&d.auth, &resp(200, r#"{"access_token":"1000.abc","refresh_token":"1000.new","expires_in":3600,"api_domain":"https://www.zohoapis.com"}"#)).unwrap();
    assert_eq!((token.expose(), secs), ("1000.abc", 3600));
    let lookups = build_requests(&d, &base(), &secrets(CANARIES), Some(&token), &email("a@b.example"), &Stamp::default()).unwrap();
    assert!(lookups[0].headers.contains(&("Authorization".into(), "Zoho-oauthtoken 1000.abc".into())));
    // Salesforce says no lifetime: an hour. An OAuth error inside a 200 is one.
    assert_eq!(read_token(&d.auth, &resp(200, r#"{"access_token":"00D!x","instance_url":"https://x.my.salesforce.com"}"#)).unwrap().1, 3600);
    let e = read_token(&d.auth, &resp(200, r#"{"error":"invalid_code","error_description":"refresh token revoked"}"#)).unwrap_err();
    assert!(english(&e.user_message()).contains("(code invalid_code): refresh token revoked"), "{}", english(&e.user_message()));
    assert_eq!(read_token(&d.auth, &resp(400, r#"{"error":"invalid_grant"}"#)), Err(LookupError::Unauthorized { status: 400 }));
    assert!(matches!(read_token(&d.auth, &resp(429, "")), Err(LookupError::RateLimited { .. })));
}

#[test]
fn app_token_wecom_style_get_with_the_token_in_the_query() {
    let d = def(json!({
        "kind": "app_token", "token_path": "/cgi-bin/gettoken", "query": {"corpid": "{app_id}", "corpsecret": "{app_secret}"},
        "success": {"path": "/errcode", "ok": [0], "message": "/errmsg"},
        "place": {"in": "query", "name": "access_token"}
    }));
    let r = token_request(&d, &base(), &Default::default(), &secrets(CANARIES)).unwrap().unwrap();
    assert_eq!(r.method, Method::Get);
    // The same encoder as {value}: the secret stays inside its parameter.
    assert_eq!(r.url, "https://api.crm.example/v2/cgi-bin/gettoken?corpid=canary-app-4&corpsecret=canary-%22as5%26");
    assert_eq!(r.body, None);
    assert!(!printed(&r).contains("canary"), "{}", printed(&r));
    let (token, secs) = read_token(&d.auth, &resp(200, r#"{"errcode":0,"errmsg":"ok","access_token":"wecom-tok","expires_in":7200}"#)).unwrap();
    assert_eq!((token.expose(), secs), ("wecom-tok", 7200));
    // WeCom answers a wrong secret with 200 and a code.
    let e = read_token(&d.auth, &resp(200, r#"{"errcode":40001,"errmsg":"invalid credential"}"#)).unwrap_err();
    assert!(matches!(e, LookupError::BadResponse { .. }));
    assert!(english(&e.user_message()).contains("(code 40001): invalid credential"), "{}", english(&e.user_message()));
    let lookups = build_requests(&d, &base(), &secrets(CANARIES), Some(&token), &email("a@b.example"), &Stamp::default()).unwrap();
    assert_eq!(lookups[0].url, "https://api.crm.example/v2/people?email=a%40b.example&access_token=wecom-tok");
    assert!(!lookups[0].headers.iter().any(|(k, _)| k == "Authorization"));
    let shown = printed(&lookups[0]);
    assert!(!shown.contains("wecom-tok") && shown.contains("access_token=<redacted>"), "{shown}");
    // No token yet: no request.
    let e = build_requests(&d, &base(), &secrets(CANARIES), None, &email("a@b.example"), &Stamp::default()).unwrap_err();
    assert_eq!(e, LookupError::Config { message: Msg::LookupNoToken.into() });
}

#[test]
fn app_token_post_json_with_the_token_in_a_header_of_its_own() {
    let d = def(json!({
        "kind": "app_token", "token_url": "https://open.feishu.example/open-apis/auth/v3/tenant_access_token/internal", "method": "POST",
        "body": {"app_id": "{app_id}", "app_secret": "{app_secret}", "nested": ["x{app_id}"]},
        "token": "/data/tenant_access_token", "expires_in": "/data/expire",
        "success": {"path": "/code", "ok": [0], "message": "/msg"},
        "place": {"in": "header", "name": "X-Tenant-Token"}
    }));
    let r = token_request(&d, &base(), &Default::default(), &secrets(CANARIES)).unwrap().unwrap();
    assert_eq!((r.method, r.url.as_str()), (Method::Post, "https://open.feishu.example/open-apis/auth/v3/tenant_access_token/internal"));
    // Built as JSON: the quote in the secret stays inside its string.
    let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"app_id": "canary-app-4", "app_secret": "canary-\"as5&", "nested": ["xcanary-app-4"]}));
    assert!(r.headers.contains(&("Content-Type".into(), "application/json".into())));
    assert!(!printed(&r).contains("canary"), "{}", printed(&r));
    let (token, secs) = read_token(&d.auth, &resp(200, r#"{"code":0,"msg":"ok","data":{"tenant_access_token":"t-feishu","expire":"5400"}}"#)).unwrap();
    assert_eq!((token.expose(), secs), ("t-feishu", 5400));
    let e = read_token(&d.auth, &resp(200, r#"{"code":0,"msg":"ok","data":{}}"#)).unwrap_err();
    assert!(english(&e.user_message()).contains("/data/tenant_access_token"), "{}", english(&e.user_message()));
    let lookups = build_requests(&d, &base(), &secrets(CANARIES), Some(&token), &email("a@b.example"), &Stamp::default()).unwrap();
    assert!(lookups[0].headers.contains(&("X-Tenant-Token".into(), "t-feishu".into())));
    assert!(!printed(&lookups[0]).contains("t-feishu"), "{}", printed(&lookups[0]));
}

#[test]
fn the_token_in_every_json_body() {
    let search = json!({"email": [{"method": "POST", "path": "/search", "body": {"filter": {"email": "{value}"}}}, {"method": "POST", "path": "/search2", "body": {"q": "{value}"}}]});
    let d = definition(json!({"kind": "client_credentials", "token_path": "/oauth/token", "place": {"in": "body", "name": "access_token"}}), search).unwrap();
    let lookups = build_requests(&d, &base(), &secrets(CANARIES), Some(&Secret::new("tok-body-9")), &email("a\"b@c.example"), &Stamp::default()).unwrap();
    assert_eq!(lookups.len(), 2);
    let body: Value = serde_json::from_str(lookups[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"access_token": "tok-body-9", "filter": {"email": "a\"b@c.example"}}));
    let body: Value = serde_json::from_str(lookups[1].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["access_token"], "tok-body-9");
    for r in &lookups {
        assert!(!r.headers.iter().any(|(k, _)| k == "Authorization"));
        let shown = printed(r);
        assert!(!shown.contains("tok-body-9") && shown.contains("\"access_token\":\"<redacted>\""), "{shown}");
    }
}

/// Udesk's open API (v2): `sign = SHA256(email&open_api_token&timestamp&nonce&sign_version)`,
/// sent with the admin's email, the timestamp (seconds), the nonce and `sign_version=v2` in the query.
fn udesk() -> Definition {
    let v: Value = serde_json::from_str(include_str!("../../../../docs/examples/udesk.json")).unwrap();
    Definition::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn udesk_signature_known_answer() {
    let d = udesk();
    assert_eq!(d.auth.secrets(), ["key_id", "secret"]);
    let s = secrets(&[("key_id", "admin@acme.example"), ("secret", "7a1c9e0b5d3f4e2a8c6b1d0f9e8a7b6c")]);
    let stamp = Stamp::new(1_763_424_000_123, "2f7d0c1e9a8b4c3d");
    let base = BaseUrl::parse("https://acme.udesk.cn/open_api_v1").unwrap();
    let r = build_requests(&d, &base, &s, None, &email("li.na@yunfan-tech.example"), &stamp).unwrap().remove(0);
    // sha256("admin@acme.example&7a1c9e0b5d3f4e2a8c6b1d0f9e8a7b6c&1763424000&2f7d0c1e9a8b4c3d&v2")
    assert_eq!(
        r.url,
        "https://acme.udesk.cn/open_api_v1/customers/get_customer?content=li.na%40yunfan-tech.example&type=email\
         &email=admin%40acme.example&nonce=2f7d0c1e9a8b4c3d&sign=2afb740d0a4c45f91d75168c302332e4f6b2b9829b7cf2f08c65278d9784e688&sign_version=v2&timestamp=1763424000"
    );
    assert!(!r.url.contains("7a1c9e0b"));
    let shown = printed(&r);
    assert!(shown.contains("email=<redacted>") && !shown.contains("admin%40acme") && !shown.contains("7a1c9e0b"), "{shown}");
    // Each attempt of a lookup has a nonce of its own; a new stamp, a new signature.
    let again = build_requests(&d, &base, &s, None, &email("li.na@yunfan-tech.example"), &Stamp::new(1_763_424_001_000, "aa")).unwrap().remove(0);
    assert!(again.url.contains("&nonce=aa&") && again.url.contains("&timestamp=1763424001") && !again.url.contains("2afb740d"), "{}", again.url);
}

/// NetEase Qiyu: `checksum = SHA1(appSecret + MD5(body) + time)`, with appKey, time and checksum in the query.
#[test]
fn qiyu_checksum_known_answer() {
    let v: Value = serde_json::from_str(include_str!("../../../../docs/examples/qiyu.json")).unwrap();
    let d = Definition::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.auth.secrets(), ["key_id", "secret"]);
    let s = secrets(&[("key_id", "qiyu-app-key-1"), ("secret", "QIYU-SECRET-0815")]);
    let base = BaseUrl::parse("https://qiyukf.com").unwrap();
    let r = build_requests(&d, &base, &s, None, &email("li.na@yunfan-tech.example"), &Stamp::new(1_763_424_000_999, "unused")).unwrap().remove(0);
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.body.as_deref(), Some(r#"{"email":"li.na@yunfan-tech.example"}"#));
    // md5(body) = 381f060e628f4858caee5b156be234be; sha1("QIYU-SECRET-0815" + md5 + "1763424000")
    assert_eq!(r.url, "https://qiyukf.com/openapi/crm/customer/query?appKey=qiyu-app-key-1&checksum=a6371289fe8cc2d0055b34232932391e9ee8c49f&time=1763424000");
    assert!(!printed(&r).contains("QIYU-SECRET") && !printed(&r).contains("qiyu-app-key-1"), "{}", printed(&r));
}

#[test]
fn signed_in_headers_hmac_base64_millis() {
    let d = def(json!({
        "kind": "signed", "sign": "{timestamp}\n{nonce}", "hash": "hmac_sha256", "output": "base64", "timestamp": "millis",
        "headers": {"X-Timestamp": "{timestamp}", "X-Nonce": "{nonce}", "X-Signature": "{sign}"}
    }));
    assert_eq!(d.auth.secrets(), ["secret"]);
    let r = build_requests(&d, &base(), &secrets(&[("secret", "key-9")]), None, &email("a@b.example"), &Stamp::new(1_763_424_000_123, "n0nce")).unwrap().remove(0);
    assert_eq!(r.url, "https://api.crm.example/v2/people?email=a%40b.example");
    for h in [("X-Timestamp", "1763424000123"), ("X-Nonce", "n0nce"), ("X-Signature", "JbcuFOHpFMM3kqHuDmciM92GOZKJnMV1UDpcCCgB3kI=")] {
        assert!(r.headers.contains(&(h.0.into(), h.1.into())), "{h:?} in {:?}", r.headers);
    }
    // Upper-case hex of an HMAC-SHA1 over the same text.
    let d = def(json!({"kind": "signed", "sign": "{timestamp}\n{nonce}", "hash": "hmac_sha1", "output": "hex_upper", "timestamp": "millis", "query": {"sig": "{sign}"}}));
    let r = build_requests(&d, &base(), &secrets(&[("secret", "key-9")]), None, &email("a@b.example"), &Stamp::new(1_763_424_000_123, "n0nce")).unwrap().remove(0);
    assert!(r.url.ends_with("&sig=7F717D9116B0F5121F70E43275A6278E2F3C6A85"), "{}", r.url);
    // md5 over concatenated parts, body digest of an empty GET body.
    let d = def(json!({"kind": "signed", "sign": "{timestamp}{nonce}{secret}", "hash": "md5", "timestamp": "millis", "query": {"sig": "{sign}", "md": "{body_md5}"}}));
    let r = build_requests(&d, &base(), &secrets(&[("secret", "key-9")]), None, &email("a@b.example"), &Stamp::new(1_763_424_000_123, "n0nce")).unwrap().remove(0);
    assert!(r.url.ends_with("&md=d41d8cd98f00b204e9800998ecf8427e&sig=61368e70adbb90ef1aa05e97626adfc5"), "{}", r.url);
}

#[test]
fn stamps_keep_only_letters_and_digits() {
    assert_eq!(Stamp::new(5, "1b4e28ba-2fa1-11d2-883f-0016d3cca427").nonce, "1b4e28ba2fa111d2883f0016d3cca427");
    assert_eq!(Stamp::new(5, "a&b=c{sign}").nonce, "abcsign");
}
