use super::*;
use crate::identify::Source;
use crate::model::{Customer, VipTier};
use crate::secret::Secret;

fn cfg(url: &str) -> ConnectorConfig {
    ConnectorConfig {
        id: "c1".into(),
        kind: ConnectorKind::DemoCrm,
        label: "Demo".into(),
        base_url: url.into(),
        api_key: Secret::new("canary-key"),
        enabled: true,
        secrets: Default::default(),
        definition: None,
        pick: Default::default(),
        plain_http_host: None,
    }
}

/// The first request for `id` (the demo CRM has one per kind).
fn build(c: &ConnectorConfig, id: &Candidate) -> Result<HttpRequest, LookupError> {
    build_lookup(c, None, id, &Stamp::default()).map(|mut all| all.remove(0))
}

/// The customers in an answer to a lookup by customer id (no exact-match
/// filter: any record is the one asked for).
fn map(c: &ConnectorConfig, r: &HttpResponse) -> Result<Vec<Customer>, LookupError> {
    let id = Candidate { kind: IdKind::CustomerId, value: "cus_1".into(), source: Source::PageUrl, score: 1, sensitive: false, label: None };
    map_lookup(c, 0, &id, "https://crm.test/api/v1/customers/cus_1", r).map(|a| a.customers)
}

fn email(v: &str) -> Candidate {
    Candidate { kind: IdKind::Email, value: v.into(), source: Source::Text, score: 1, sensitive: false, label: None }
}

#[test]
fn lookup_request_encodes_and_authenticates() {
    let r = build(&cfg("http://127.0.0.1:7000/"), &email("a+b@x.test")).unwrap();
    assert_eq!(r.url, "http://127.0.0.1:7000/api/v1/customers?email=a%2Bb%40x.test");
    assert!(r.headers.contains(&("Authorization".into(), "Bearer canary-key".into())));
    assert!(!format!("{r:?}").contains("canary"));
}

#[test]
fn phones_are_looked_up_by_their_own_parameter() {
    let phone = Candidate { kind: IdKind::Phone, value: "+8613800138000".into(), source: Source::TelLink, score: 1, sensitive: false, label: None };
    let r = build(&cfg("https://crm.test"), &phone).unwrap();
    assert_eq!(r.url, "https://crm.test/api/v1/customers?phone=%2B8613800138000");
    let id = Candidate { kind: IdKind::ResidentId, value: "11010519491231002X".into(), source: Source::Text, score: 1, sensitive: true, label: None };
    assert!(matches!(build(&cfg("https://crm.test"), &id), Err(LookupError::Config { .. })));
}

#[test]
fn hostile_identifiers_stay_in_their_parameter() {
    for v in ["x@y.test&email=evil@z.test", "x@y.test#frag", "x@y.test/../../admin", "' OR 1=1 --@y.test", "a%00@y.test"] {
        let r = build(&cfg("https://crm.test/base"), &email(v)).unwrap();
        assert!(r.url.starts_with("https://crm.test/base/api/v1/customers?email="), "{}", r.url);
        let q = r.url.split_once('?').unwrap().1;
        assert_eq!(q.matches('=').count(), 1, "{q}");
        assert!(!q.contains(['&', '#', '/', '\'', ' ']), "{q}");
    }
}

#[test]
fn no_key_no_request() {
    let mut c = cfg("https://crm.test");
    c.api_key = Secret::default();
    assert!(matches!(build(&c, &email("a@b.test")), Err(LookupError::Config { .. })));
}

fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse { status, body: body.into(), ..Default::default() }
}

#[test]
fn maps_a_customer() {
    let body = r#"{"data":[{"id":"cus_1","name":"李娜","email":"li.na@example.cn","phone":"+8613800138000",
        "company":{"name":"上海云帆科技"},"tier":"gold","address":{"city":"上海","country":"CN"},
        "orders":[{"number":"ORD-2026-000123","status":"shipped","total_minor":129900,"currency":"CNY","placed_at":"2026-11-01"}]}]}"#;
    let c = map(&cfg("https://crm.test"), &resp(200, body)).unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].name, "李娜");
    assert_eq!(c[0].company.as_deref(), Some("上海云帆科技"));
    assert_eq!(c[0].tier, Some(VipTier::Gold));
    assert_eq!(c[0].emails, ["li.na@example.cn"]);
    assert_eq!(c[0].orders[0].total_minor, Some(129900));
    assert_eq!(c[0].source, "Demo");
}

#[test]
fn faults_become_typed_errors() {
    let c = cfg("https://crm.test");
    assert_eq!(map(&c, &resp(401, "")), Err(LookupError::Unauthorized { status: 401 }));
    assert_eq!(map(&c, &resp(503, "")), Err(LookupError::Server { status: 503 }));
    let limited = HttpResponse { status: 429, retry_after: Some("120".into()), ..Default::default() };
    assert_eq!(map(&c, &limited), Err(LookupError::RateLimited { retry_after_secs: Some(120) }));
    for body in ["{\"data\": [", "{\"data\": 5}"] {
        assert!(matches!(map(&c, &resp(200, body)), Err(LookupError::BadResponse { .. })), "{body}");
    }
    for body in ["", "\u{feff}{\"data\":[]}", "{\"data\": null}"] {
        assert_eq!(map(&c, &resp(200, body)), Ok(vec![]), "{body:?}");
    }
    // Not the shape the definition expects: the connector is set up wrong,
    // never "not found" (a login page, another API, a wrong path).
    for body in ["<html>login</html>", "{}", "null", "{\"items\": []}"] {
        assert!(matches!(map(&c, &resp(200, body)), Err(LookupError::Config { .. })), "{body:?}");
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(map(&c, &resp(200, &deep)), Err(LookupError::BadResponse { .. })));
    let big = format!("{{\"data\":[],\"pad\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES));
    assert!(matches!(map(&c, &resp(200, &big)), Err(LookupError::BadResponse { .. })));
    let redirected = HttpResponse { status: 200, body: "{}".into(), redirected: true, ..Default::default() };
    assert!(matches!(map(&c, &redirected), Err(LookupError::BadResponse { .. })));
}

#[test]
fn retry_after_is_capped_and_strict() {
    assert_eq!(parse_retry_after("120"), Some(120));
    assert_eq!(parse_retry_after("99999999"), Some(600));
    assert_eq!(parse_retry_after("99999999999999999999999"), Some(600));
    for junk in ["-5", "abc", "", "Wed, 21 Oct 2026 07:28:00 GMT", "1.5"] {
        assert_eq!(parse_retry_after(junk), None, "{junk}");
    }
}

#[test]
fn record_links_are_parsed_not_prefixed() {
    let link = |u: &str| {
        let body = serde_json::json!({"data": [{"id": "1", "name": "x", "url": u}]}).to_string();
        map(&cfg("http://127.0.0.1:7000"), &resp(200, &body)).unwrap()[0].url.clone()
    };
    // The hostile-page suite's look-alikes passed the old `starts_with` check.
    assert_eq!(link("http://127.0.0.1.evil.test:7000/crm/1"), None);
    assert_eq!(link("http://127.0.0.1@evil.test/crm/1"), None);
    assert_eq!(link("http://127.0.0.1:7000/api/v1/customers/1").as_deref(), Some("http://127.0.0.1:7000/api/v1/customers/1"));
    assert_eq!(link("https://crm.example.com/c/1").as_deref(), Some("https://crm.example.com/c/1"));
}

#[test]
fn xss_data_is_kept_as_text_and_links_filtered() {
    let body = r#"{"data":[{"id":"1","name":"<img src=x onerror=alert(1)>","url":"javascript:alert(1)"}]}"#;
    let c = map(&cfg("https://crm.test"), &resp(200, body)).unwrap();
    assert_eq!(c[0].name, "<img src=x onerror=alert(1)>");
    assert_eq!(c[0].url, None);
}

#[test]
fn customer_ids_are_looked_up_as_one_path_segment() {
    let id = |v: &str| Candidate { kind: IdKind::CustomerId, value: v.into(), source: Source::PageUrl, score: 1, sensitive: false, label: None };
    let r = build(&cfg("http://127.0.0.1:7000/"), &id("cus_1001")).unwrap();
    assert_eq!(r.url, "http://127.0.0.1:7000/api/v1/customers/cus_1001");
    assert!(r.headers.contains(&("Authorization".into(), "Bearer canary-key".into())));
    for (hostile, encoded) in [("../admin", "..%2Fadmin"), ("a/b?c#d", "a%2Fb%3Fc%23d"), ("%2e%2e", "%252e%252e"), ("x y", "x%20y")] {
        let r = build(&cfg("https://crm.test/base"), &id(hostile)).unwrap();
        assert_eq!(r.url, format!("https://crm.test/base/api/v1/customers/{encoded}"));
    }
    for dots in ["..", ".", "", "  "] {
        assert!(matches!(build(&cfg("https://crm.test"), &id(dots)), Err(LookupError::Config { .. })), "{dots:?}");
    }
    // Order numbers are not searchable in the demo CRM.
    let order = Candidate { kind: IdKind::OrderId, ..id("ORD-2026-004211") };
    let e = build(&cfg("https://crm.test"), &order).unwrap_err();
    assert_eq!(crate::i18n::english(&e.user_message()), "The connector is not set up correctly: this CRM cannot be searched by order number. Ask your admin to check the options page.");
}

#[test]
fn which_kinds_each_connector_supports() {
    assert!(supports(ConnectorKind::DemoCrm, IdKind::CustomerId));
    assert!(!supports(ConnectorKind::DemoCrm, IdKind::TicketId));
    assert!(IdKind::Email.lookupable() && IdKind::Phone.lookupable() && IdKind::CustomerId.lookupable());
    for k in [IdKind::OrderId, IdKind::AccountId, IdKind::TicketId, IdKind::ResidentId, IdKind::CreditCode] {
        assert!(!k.lookupable(), "{k:?}");
    }
}

#[test]
fn a_single_record_maps_too() {
    let c = cfg("https://crm.test");
    let one = map(&c, &resp(200, r#"{"data":{"id":"cus_1001","name":"Mia Fischer"}}"#)).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].id, "cus_1001");
    assert_eq!(map(&c, &resp(404, r#"{"error":"not_found"}"#)), Ok(vec![]));
    assert!(matches!(map(&c, &resp(200, r#"{"data":{"error":"x"}}"#)), Err(LookupError::BadResponse { .. })));
}

#[test]
fn a_wrong_url_is_a_configuration_error_never_not_found() {
    // A base URL one path segment off: the search answers 404 with an HTML page.
    let c = cfg("https://crm.test/wrong");
    let r = build(&c, &email("mia@x.test")).unwrap();
    let e = map_lookup(&c, 0, &email("mia@x.test"), &r.url, &resp(404, "<html><body>Not Found</body></html>")).unwrap_err();
    assert!(matches!(e, LookupError::Config { .. }), "{e:?}");
    let words = crate::i18n::english(&e.user_message());
    assert!(words.contains("https://crm.test/wrong/api/v1/customers") && !words.contains("mia"), "{words}");
    let e = map_lookup(&c, 0, &email("mia@x.test"), &r.url, &resp(200, "<!doctype html><html>Sign in</html>")).unwrap_err();
    assert!(matches!(e, LookupError::Config { .. }), "{e:?}");
}

/// A generic connector whose record embeds its tags and lifetime value and
/// whose deals and tickets come from follow-up requests by the record's id.
fn with_related() -> ConnectorConfig {
    let def = serde_json::json!({
        "id": "people", "name": "People",
        "lookups": {"email": [{"path": "/people", "query": {"email": "{value}"}}]},
        "results": {"list": "/items"},
        "map": {
            "id": "/key", "name": "/name", "emails": ["/email"],
            "tags": ["/labels/*/name"], "created": {"path": "/created", "format": "epoch_seconds"},
            "lifetime_value": {"decimal": "/ltv/amount", "currency": "/ltv/currency"},
            "deals": {"name": "/title", "stage": {"path": "/stage", "map": {"won": "Won"}}, "amount": {"decimal": "/value"}, "currency": "/cur", "close_date": "/close", "url": "/link"},
            "tickets": {"each": "/recent_tickets", "id": "/id", "subject": "/subject", "status": "/status", "updated": {"path": "/at", "format": "epoch_millis"}},
            "notes": {"text": "/body", "date": "/at", "author": "/by"}
        },
        "related": [
            {"into": "deals", "path": "/people/{id}/deals", "query": {"status": "open"}, "list": "/data"},
            {"into": "notes", "method": "POST", "path": "/notes/search", "body": {"person": "{id}"}, "list": "/notes"}
        ]
    });
    ConnectorConfig { kind: ConnectorKind::Generic, definition: Some(crate::connector::def::Definition::parse(&def.to_string()).unwrap()), ..cfg("https://api.people.test") }
}

#[test]
fn records_carry_lists_tags_and_lifetime_value_and_related_requests_fill_the_rest() {
    let c = with_related();
    let id = Candidate { kind: IdKind::Email, value: "mia@shop.test".into(), source: Source::Text, score: 1, sensitive: false, label: None };
    let body = r#"{"items":[{"key":"p 1/x","name":"Mia","email":"mia@shop.test","labels":[{"name":"VIP"},{"name":"B2B"}],"created":1763424000,
        "ltv":{"amount":"1899.50","currency":"eur"},"recent_tickets":[{"id":7,"subject":"Refund","status":"open","at":1763424000000}]}]}"#;
    let a = map_lookup(&c, 0, &id, "https://api.people.test/people", &HttpResponse { status: 200, body: body.into(), ..Default::default() }).unwrap();
    let mut mia = a.customers.into_iter().next().unwrap();
    assert_eq!(mia.tags, ["VIP", "B2B"]);
    assert_eq!((mia.lifetime_value_minor, mia.lifetime_currency.as_deref(), mia.created.as_deref()), (Some(189_950), Some("EUR"), Some("2025-11-18")));
    assert_eq!((mia.tickets[0].id.as_str(), mia.tickets[0].updated.as_deref()), ("7", Some("2025-11-18")));
    // The record's id goes into the follow-ups through the same encoders.
    let reqs = related_requests(&c, None, &mia, &Stamp::new(0, "n")).unwrap();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].url, "https://api.people.test/people/p%201%2Fx/deals?status=open");
    assert_eq!(reqs[1].body.as_deref(), Some(r#"{"person":"p 1/x"}"#));
    assert!(reqs.iter().all(|r| r.headers.iter().any(|(k, v)| k == "Authorization" && v == "Bearer canary-key")));
    let deals = r#"{"data":[{"title":"Renewal","stage":"won","value":"12000","cur":"usd","close":"2026-12-01","link":"javascript:alert(1)"}]}"#;
    map_related(&c, 0, &reqs[0].url, &HttpResponse { status: 200, body: deals.into(), ..Default::default() }, &mut mia).unwrap();
    assert_eq!((mia.deals[0].name.as_str(), mia.deals[0].stage.as_str(), mia.deals[0].amount_minor), ("Renewal", "Won", Some(1_200_000)));
    assert_eq!((mia.deals[0].currency.as_deref(), mia.deals[0].url.as_deref()), (Some("USD"), None), "no script link");
    map_related(&c, 1, &reqs[1].url, &HttpResponse { status: 200, body: r#"{"notes":[{"body":"Called back","at":"2026-11-02T10:00:00Z","by":"Wang"}]}"#.into(), ..Default::default() }, &mut mia).unwrap();
    assert_eq!((mia.notes[0].text.as_str(), mia.notes[0].author.as_deref(), mia.notes[0].date.as_deref()), ("Called back", Some("Wang"), Some("2026-11-02T10:00:00Z")));
    // A follow-up answer without its list is a configuration error, never "no deals".
    let e = map_related(&c, 0, &reqs[0].url, &HttpResponse { status: 200, body: r#"{"rows":[]}"#.into(), ..Default::default() }, &mut mia).unwrap_err();
    assert!(matches!(e, LookupError::Config { .. }), "{e:?}");
    // No id, no follow-up.
    assert!(related_requests(&c, None, &Customer::default(), &Stamp::new(0, "n")).unwrap().is_empty());
}

#[test]
fn related_requests_use_the_records_id_only() {
    let mut v: serde_json::Value = serde_json::from_str(&with_related().definition.unwrap().source).unwrap();
    v["related"][0]["path"] = "/people/{value}/deals".into();
    let e = crate::connector::def::Definition::parse(&v.to_string()).unwrap_err();
    assert!(format!("{e:?}").contains("{id}"), "{e:?}");
    v["related"][0]["path"] = "/people/deals".into();
    let e = crate::connector::def::Definition::parse(&v.to_string()).unwrap_err();
    assert_eq!(e[0].path, "related.0");
    v["related"][0]["path"] = "/people/{id}/deals".into();
    v["related"][0]["into"] = "invoices".into();
    assert!(crate::connector::def::Definition::parse(&v.to_string()).is_err());
    // Items with no mapping of their own would be empty rows: refused.
    v["related"][0]["into"] = "orders".into();
    let e = crate::connector::def::Definition::parse(&v.to_string()).unwrap_err();
    assert_eq!(e[0].path, "related.0.into");
}

#[test]
fn plain_http_goes_only_to_the_one_host_the_admin_accepted() {
    let s = crate::config::Settings::default();
    let input = |url: &str, plain_http: bool| crate::config::ConnectorInput { kind: "demo_crm".into(), base_url: url.into(), api_key: Some(Secret::new("k")), enabled: true, plain_http, ..Default::default() };
    // Not ticked: refused, with a message that says how to accept it.
    let e = s.connector_from_input(0, input("http://crm.intranet.example", false)).unwrap_err();
    assert_eq!((e[0].field.as_str(), e[0].message.id), ("connectors.0.base_url", crate::i18n::Msg::CfgInsecureNotAccepted));
    // Ticked: that host, and requests go there over http.
    let c = s.connector_from_input(0, input("http://crm.intranet.example/base", true)).unwrap();
    assert_eq!(c.plain_http_host.as_deref(), Some("crm.intranet.example"));
    let id = Candidate { kind: IdKind::Email, value: "a@b.test".into(), source: Source::Text, score: 1, sensitive: false, label: None };
    assert!(build(&c, &id).unwrap().url.starts_with("http://crm.intranet.example/base/api/v1/customers?"));
    // The acceptance does not follow the URL to another host.
    let moved = ConnectorConfig { base_url: "http://evil.example".into(), ..c.clone() };
    assert!(matches!(build(&moved, &id), Err(LookupError::Config { .. })));
    // https and loopback never needed it.
    assert_eq!(s.connector_from_input(0, input("https://crm.example.com", false)).unwrap().plain_http_host, None);
    assert_eq!(s.connector_from_input(0, input("http://127.0.0.1:7000", true)).unwrap().plain_http_host, None);
}

#[test]
fn a_request_limit_is_a_rate_limit_not_a_rejected_key() {
    let c = cfg("https://crm.example");
    let sf = r#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#;
    assert_eq!(map(&c, &resp(403, sf)), Err(LookupError::RateLimited { retry_after_secs: None }));
    assert_eq!(map(&c, &resp(403, r#"[{"errorCode":"INSUFFICIENT_ACCESS"}]"#)), Err(LookupError::Unauthorized { status: 403 }));
    // 4xx other than 408 and 429: not worth another try.
    assert!(!LookupError::Server { status: 422 }.retryable());
    assert!(LookupError::Server { status: 408 }.retryable());
    assert!(LookupError::Server { status: 503 }.retryable());
}

#[test]
fn definitions_name_their_rate_limit() {
    use crate::client::bucket::Rate;
    let base = serde_json::json!({"id": "t", "name": "T", "lookups": {"email": [{"path": "/p", "query": {"e": "{value}"}}]}, "results": {"list": "/d"}, "map": {"id": "/id"}});
    let with = |rate: serde_json::Value| {
        let mut d = base.clone();
        d["rate"] = rate;
        def::Definition::parse(&d.to_string())
    };
    assert_eq!(def::Definition::parse(&base.to_string()).unwrap().rate, None);
    assert_eq!(with(serde_json::json!({"requests": 10, "per_secs": 2})).unwrap().rate, Some(Rate { requests: 10, per_secs: 2 }));
    for bad in [serde_json::json!({"requests": 0, "per_secs": 2}), serde_json::json!({"requests": 10}), serde_json::json!({"requests": 10, "per_secs": -1}), serde_json::json!({"requests": 10, "per_secs": 2, "burst": 3}), serde_json::json!("10/2s")] {
        assert!(with(bad.clone()).is_err(), "{bad}");
    }
    // Every shipped preset names its vendor's published limit.
    for kind in crate::config::ConnectorKind::ALL.into_iter().filter(|k| *k != crate::config::ConnectorKind::Generic) {
        let rate = presets::definition(kind).and_then(|d| d.rate);
        assert!(rate.is_some(), "{kind:?} has no rate");
    }
    assert_eq!(presets::definition(crate::config::ConnectorKind::Pipedrive).unwrap().rate, Some(Rate { requests: 10, per_secs: 2 }));
}
