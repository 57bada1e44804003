use super::*;
use crate::identify::Source;
use crate::model::{Customer, VipTier};
use crate::secret::Secret;

fn cfg(url: &str) -> ConnectorConfig {
    ConnectorConfig::demo("c1", "Demo", url, "canary-key")
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
fn a_presets_address_is_built_from_its_setup_values_unless_a_url_is_typed() {
    let s = crate::config::Settings::default();
    let zendesk = |setup: &[(&str, &str)], url: &str| crate::config::ConnectorInput {
        kind: "zendesk".into(),
        base_url: url.into(),
        setup: setup.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        secrets: [("username".to_string(), Some(Secret::new("agent@acme.example/token"))), ("password".to_string(), Some(Secret::new("t")))].into_iter().collect(),
        api_key: Some(Secret::new("t")),
        enabled: true,
        ..Default::default()
    };
    let field = crate::connector::presets::definition(ConnectorKind::Zendesk).unwrap().setup()[0].name.clone();
    let c = s.connector_from_input(0, zendesk(&[(&field, "acme")], "")).unwrap();
    assert_eq!(c.base_url, "https://acme.zendesk.com");
    assert_eq!(c.setup.get(&field).map(String::as_str), Some("acme"));
    assert_eq!(zendesk(&[(&field, "acme")], "").base().map(|b| b.origin()), Ok("https://acme.zendesk.com".into()));
    // A bad value is named by its field; nothing is built.
    let e = s.connector_from_input(0, zendesk(&[(&field, "acme.evil.test/x")], "")).unwrap_err();
    assert_eq!(e[0].field, format!("connectors.0.setup.{field}"));
    // A typed address wins (a test server, a proxy), and no setup is kept.
    let c = s.connector_from_input(0, zendesk(&[(&field, "acme")], "http://127.0.0.1:9000")).unwrap();
    assert_eq!((c.base_url.as_str(), c.setup.is_empty()), ("http://127.0.0.1:9000", true));
}

#[test]
fn an_admins_definition_whose_sample_does_not_map_as_it_says_is_not_saved() {
    let s = crate::config::Settings::default();
    let mut def: serde_json::Value = serde_json::from_str(&with_related().definition.unwrap().source).unwrap();
    def["samples"] = serde_json::json!([{ "identifier": {"kind": "email", "value": "mia@shop.test"},
        "answer": {"items": [{"key": "p1", "name": "Mia", "email": "mia@shop.test"}]},
        "expect": [{"id": "p1", "name": "Mia Fischer"}] }]);
    let input = |d: &serde_json::Value| crate::config::ConnectorInput { kind: "generic".into(), base_url: "https://api.people.test".into(), api_key: Some(Secret::new("k")), enabled: true, definition: d.to_string(), ..Default::default() };
    let e = s.connector_from_input(0, input(&def)).unwrap_err();
    assert_eq!(e[0].field, "connectors.0.definition");
    let words = crate::i18n::english(&e[0].message);
    assert!(words.contains("samples.0") && words.contains("/0/name: expected \"Mia Fischer\", got \"Mia\""), "{words}");
    def["samples"][0]["expect"][0]["name"] = "Mia".into();
    assert!(s.connector_from_input(0, input(&def)).is_ok());
}

#[test]
fn test_connection_says_where_each_value_came_from() {
    let def = crate::connector::def::Definition::parse(include_str!("../../../../tests/testapi/definition.json")).unwrap();
    let record: serde_json::Value = def.samples[0].answer["result"]["items"][0].clone();
    let p = crate::connector::engine::provenance(&def, &record);
    let find = |f: &str| p.iter().find(|x| x.field == f).map(|x| (x.value.as_str(), x.path.as_str()));
    assert_eq!(find("name"), Some(("Mia Fischer", "/given_name + /family_name")));
    assert_eq!(find("company"), Some(("Globex GmbH", "/org/display_name")));
    assert_eq!(find("tier"), Some(("platinum", "/segment (mapped)")));
    assert_eq!(find("Seats"), Some(("42", "/attributes/seats")));
    assert!(p.iter().any(|x| x.field == "emails" && x.value == "mia.fischer@globex.example" && x.path == "/contact/emails/*/address"));
}

#[test]
fn provenance_is_computed_for_test_connection_only() {
    let c = with_related();
    let id = email("mia@shop.test");
    let body = r#"{"items":[{"key":"p1","name":"Mia","email":"mia@shop.test"}]}"#;
    let resp = HttpResponse { status: 200, body: body.into(), ..Default::default() };
    let panel = map_lookup(&c, 0, &id, "https://api.people.test/people", &resp).unwrap();
    assert_eq!(panel.customers.len(), 1);
    assert!(panel.provenance.is_empty(), "a panel's lookup does not trace where values came from");
    let traced = map_lookup_traced(&c, 0, &id, "https://api.people.test/people", &resp).unwrap();
    assert_eq!(traced.customers, panel.customers);
    assert_eq!(traced.provenance.len(), 1);
    assert!(traced.provenance[0].iter().any(|f| f.field == "name" && f.value == "Mia"));
}

/// A generic connector whose follow-ups need fields of the record other
/// than its id, are for some record types only, and fill the company.
fn with_record_values() -> ConnectorConfig {
    let def = serde_json::json!({
        "id": "crm", "name": "CRM",
        "lookups": {
            "email": [{"path": "/contacts", "query": {"email": "{value}"}, "record_type": "Contact"},
                      {"path": "/leads", "query": {"email": "{value}"}, "record_type": "Lead"}],
            "customer_id": [{"path": "/contacts/{value}"}]
        },
        "results": {"list": "/items", "record": ""},
        "map": {
            "id": "/id", "name": "/name", "emails": ["/email"],
            "url": {"template": "{origin}/app/people/{id}"},
            "deals": {"id": "/id", "name": "/title"},
            "tickets": {"id": "/id", "subject": "/subject", "updated": "/at"}
        },
        "related": [
            {"into": "deals", "path": "/query", "query": {"q": "SELECT Id FROM Opportunity WHERE AccountId = {record:/account/id:soql} AND X = {id:soql}"}, "list": "/records"},
            {"into": "company", "path": "/orgs/{record:/org_id}", "list": "/org", "name": "/display_name"},
            {"into": "tickets", "for": ["Contact"], "method": "POST", "path": "/tickets/search", "body": {"requester": "{id}", "account": "{record:/account/id}"}, "list": ""}
        ]
    });
    ConnectorConfig { kind: ConnectorKind::Generic, definition: Some(crate::connector::def::Definition::parse(&def.to_string()).unwrap()), ..cfg("https://api.crm.test/v1") }
}

fn found(c: &ConnectorConfig, attempt: usize, body: &str) -> Customer {
    let id = Candidate { kind: IdKind::Email, value: "mia@shop.test".into(), source: Source::Text, score: 1, sensitive: false, label: None };
    let a = map_lookup(c, attempt, &id, "https://api.crm.test/v1/contacts?email=x", &resp(200, body)).unwrap();
    a.customers.into_iter().next().unwrap()
}

#[test]
fn follow_ups_take_values_of_the_record_through_the_same_encoders() {
    let c = with_record_values();
    let mut mia = found(&c, 0, r#"{"items":[{"id":"003x","name":"Mia","email":"mia@shop.test","account":{"id":"001'; DROP"},"org_id":"o/../1"}]}"#);
    assert_eq!(mia.url.as_deref(), Some("https://api.crm.test/app/people/003x"));
    let reqs = related_requests(&c, None, &mia, &Stamp::new(0, "n")).unwrap();
    assert_eq!(reqs.len(), 3);
    let q = reqs[0].url.split_once("?q=").unwrap().1;
    assert_eq!(q, "SELECT%20Id%20FROM%20Opportunity%20WHERE%20AccountId%20%3D%20%27001%5C%27%3B%20DROP%27%20AND%20X%20%3D%20%27003x%27");
    // A value is one path segment, whatever it holds.
    assert_eq!(reqs[1].url, "https://api.crm.test/v1/orgs/o%2F..%2F1");
    assert_eq!(reqs[2].body.as_deref(), Some(r#"{"account":"001'; DROP","requester":"003x"}"#));
    // The company fills the record's when it has none; a root array is a list ("").
    map_related(&c, 1, &reqs[1].url, &resp(200, r#"{"org":{"id":1,"display_name":"Shop GmbH"}}"#), &mut mia).unwrap();
    assert_eq!(mia.company.as_deref(), Some("Shop GmbH"));
    map_related(&c, 2, &reqs[2].url, &resp(200, r#"[{"id":7,"subject":"Refund","at":"2026-11-02T09:30:00.000+0000"}]"#), &mut mia).unwrap();
    assert_eq!((mia.tickets[0].subject.as_str(), mia.tickets[0].updated.as_deref()), ("Refund", Some("2026-11-02T09:30:00Z")));
    map_related(&c, 1, &reqs[1].url, &resp(200, r#"{"org":{"display_name":"Other"}}"#), &mut mia).unwrap();
    assert_eq!(mia.company.as_deref(), Some("Shop GmbH"), "a known company is kept");
}

#[test]
fn a_follow_up_whose_value_is_absent_or_whose_type_differs_is_not_sent() {
    let c = with_record_values();
    // A lead without an account or organisation: only... nothing (tickets are for contacts).
    let lead = found(&c, 1, r#"{"items":[{"id":"00Q1","email":"mia@shop.test","account":null}]}"#);
    assert!(related_requests(&c, None, &lead, &Stamp::new(0, "n")).unwrap().is_empty());
    // A contact with an organisation but no account: the company, then the tickets? No: the
    // tickets need the account too. Numbering follows what is sent, for reading back.
    let mut mia = found(&c, 0, r#"{"items":[{"id":"003y","email":"mia@shop.test","org_id":42}]}"#);
    let reqs = related_requests(&c, None, &mia, &Stamp::new(0, "n")).unwrap();
    assert_eq!(reqs.iter().map(|r| r.url.as_str()).collect::<Vec<_>>(), ["https://api.crm.test/v1/orgs/42"]);
    map_related(&c, 0, &reqs[0].url, &resp(200, r#"{"org":{"display_name":"Org 42"}}"#), &mut mia).unwrap();
    assert_eq!(mia.company.as_deref(), Some("Org 42"));
    // The record values are never shown…
    let shown = serde_json::to_string(&crate::panel::CustomerView::from_customer(&mia)).unwrap();
    assert!(!shown.contains("refs") && !shown.contains("org_id"), "{shown}");
    // …but they stay with the record through the request layer's cache and a
    // lookup job's answer (JSON both): a record chosen later among several
    // still gets the follow-ups made of them.
    let kept: crate::model::Customer = serde_json::from_str(&serde_json::to_string(&mia).unwrap()).unwrap();
    assert_eq!(kept.refs, mia.refs);
    assert_eq!(related_requests(&c, None, &kept, &Stamp::new(0, "n")).unwrap().iter().map(|r| r.url.as_str()).collect::<Vec<_>>(), ["https://api.crm.test/v1/orgs/42"]);
    // A record without any has nothing more in its JSON.
    let plain = crate::model::Customer { id: "1".into(), ..Default::default() };
    assert!(!serde_json::to_string(&plain).unwrap().contains("refs"));
}

#[test]
fn the_answer_itself_may_be_the_record() {
    let c = with_record_values();
    let id = Candidate { kind: IdKind::CustomerId, value: "003x".into(), source: Source::PageUrl, score: 1, sensitive: false, label: None };
    // A get-by-id endpoint answers the record at the top level (`"record": ""`).
    let a = map_lookup(&c, 0, &id, "https://api.crm.test/v1/contacts/003x", &resp(200, r#"{"id":"003x","name":"Mia"}"#)).unwrap();
    assert_eq!(a.customers.len(), 1);
    assert_eq!((a.customers[0].id.as_str(), a.customers[0].name.as_str()), ("003x", "Mia"));
    // Without an id it is not a record, never "not found"; a missing list with no record path is a configuration error.
    assert!(map_lookup(&c, 0, &id, "https://api.crm.test/v1/contacts/003x", &resp(200, r#"{"error":"x"}"#)).is_err());
    let e = map(&cfg("https://crm.test"), &resp(200, r#"{"id":"1"}"#)).unwrap_err();
    assert!(matches!(e, LookupError::Config { .. }), "{e:?}");
}

#[test]
fn related_placeholders_are_checked() {
    let base: serde_json::Value = serde_json::from_str(&with_record_values().definition.unwrap().source).unwrap();
    let problem = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = base.clone();
        edit(&mut v);
        crate::connector::def::Definition::parse(&v.to_string()).err().map(|e| e.into_iter().map(|e| e.path).collect::<Vec<_>>())
    };
    assert_eq!(problem(&|_| {}), None);
    assert_eq!(problem(&|v| v["related"][1]["path"] = "/orgs/{record:org_id}".into()), Some(vec!["related.1.path".to_string()]));
    assert_eq!(problem(&|v| v["related"][1]["path"] = "/orgs/{record:/a/*/b}".into()), Some(vec!["related.1.path".to_string()]));
    assert_eq!(problem(&|v| v["lookups"]["email"][0]["query"]["email"] = "{record:/x}".into()), Some(vec!["lookups.email.0.query.email".to_string(), "lookups.email.0".to_string()]));
    assert_eq!(problem(&|v| v["lookups"]["email"][0]["record_type"] = "Bad Type".into()), Some(vec!["lookups.email.0.record_type".to_string()]));
    assert_eq!(problem(&|v| v["related"][2]["for"] = serde_json::json!(["a b"])), Some(vec!["related.2.for".to_string()]));
    // A link template: https or the API's origin first, only the record's values.
    assert_eq!(problem(&|v| v["map"]["url"] = serde_json::json!({"template": "http://x.test/{id}"})), Some(vec!["map.url".to_string()]));
    assert_eq!(problem(&|v| v["map"]["url"] = serde_json::json!({"template": "https://{id}.evil.test/"})), Some(vec!["map.url".to_string()]));
    assert_eq!(problem(&|v| v["map"]["url"] = serde_json::json!({"template": "https://x.test/{value}"})), Some(vec!["map.url".to_string()]));
    assert_eq!(problem(&|v| v["map"]["name"] = serde_json::json!({"template": "https://x.test/{id}"})), Some(vec!["map.name".to_string()]));
    // `name` is for a company; a company needs one.
    let mut v = base.clone();
    v["related"][1].as_object_mut().unwrap().remove("name");
    assert!(crate::connector::def::Definition::parse(&v.to_string()).is_err());
    let mut v = base.clone();
    v["related"][0]["name"] = "/x".into();
    assert!(crate::connector::def::Definition::parse(&v.to_string()).is_err());
}

#[test]
fn record_links_from_templates_are_outside_links_only() {
    let c = with_record_values();
    let link = |id: &str| found(&c, 0, &serde_json::json!({"items": [{"id": id, "email": "mia@shop.test"}]}).to_string()).url;
    assert_eq!(link("a b/c").as_deref(), Some("https://api.crm.test/app/people/a%20b%2Fc"));
    assert_eq!(link(".."), None);
}

#[test]
fn iso_dates_are_written_one_way() {
    use crate::connector::engine::iso_normalize as n;
    assert_eq!(n("2026-11-02T09:30:00.000+0000").as_deref(), Some("2026-11-02T09:30:00Z"));
    assert_eq!(n("2026-11-02T10:15:42+05:30").as_deref(), Some("2026-11-02T04:45:42Z"));
    assert_eq!(n("2026-01-01T01:00:00-0230").as_deref(), Some("2026-01-01T03:30:00Z"));
    assert_eq!(n("2026-01-01T01:00:00+02").as_deref(), Some("2025-12-31T23:00:00Z"));
    assert_eq!(n("2026-10-02T14:03:11.512Z").as_deref(), Some("2026-10-02T14:03:11Z"));
    assert_eq!(n("2024-02-29").as_deref(), Some("2024-02-29"));
    assert_eq!(n("2020-09-01 10:00:00").as_deref(), Some("2020-09-01T10:00:00"));
    assert_eq!(n("2026-11-02T09:30").as_deref(), Some("2026-11-02T09:30:00"));
    for bad in ["2025-02-29", "2026-13-01", "2026-11-02T24:00:00Z", "2026-11-02T09:30:00+2", "20261102", "2026-11-02T09:30:00.Z", "2026-11-02 later", "x"] {
        assert_eq!(n(bad), None, "{bad}");
    }
}

#[test]
fn national_numbers_are_read_in_the_identifiers_own_country() {
    use crate::connector::engine::is_identifier_of;
    let phone = |v: &str| Candidate { kind: IdKind::Phone, value: v.into(), source: Source::Text, score: 1, sensitive: false, label: None };
    let with = |p: &str| Customer { phones: vec![p.into()], ..Customer::default() };
    for (stored, id) in [("098450 12345", "+919845012345"), ("030 1234567", "+49301234567"), ("020 7946 0958", "+442079460958"), ("(415) 555-0132", "+14155550132"), ("139 1234 5678", "+8613912345678")] {
        assert!(is_identifier_of(&with(stored), &phone(id)), "{stored} is {id}");
    }
    // The same national digits in another country are another number.
    assert!(!is_identifier_of(&with("030 1234567"), &phone("+441301234567")));
}

#[test]
fn a_token_url_made_from_setup_values_is_asked_for_and_used() {
    let s = crate::config::Settings::default();
    let secrets = ["client_id", "client_secret", "refresh_token"].iter().map(|n| (n.to_string(), Some(Secret::new(format!("s-{n}"))))).collect();
    let zoho = crate::config::ConnectorInput { kind: "zoho_crm".into(), setup: [("dc".to_string(), ".eu".to_string())].into_iter().collect(), secrets, enabled: true, ..Default::default() };
    let wanted = crate::config::SettingsInput { connectors: vec![zoho.clone()], ..Default::default() }.requested_origins();
    assert!(wanted.iter().any(|o| o == "https://accounts.zoho.eu/*"), "{wanted:?}");
    let c = s.connector_from_input(0, zoho).unwrap();
    let settings = crate::config::Settings { connectors: vec![c.clone()], ..Default::default() };
    assert!(settings.required_origins().iter().any(|o| o == "https://accounts.zoho.eu/*"), "{:?}", settings.required_origins());
    let req = token_request(&c).unwrap().unwrap();
    assert!(req.url.starts_with("https://accounts.zoho.eu/oauth/v2/token"), "{}", req.url);
}

#[test]
fn a_request_limit_is_a_rate_limit_not_a_rejected_key() {
    let c = cfg("https://crm.example");
    let sf = r#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#;
    assert_eq!(map(&c, &resp(403, sf)), Err(LookupError::RateLimited { retry_after_secs: None }));
    // Salesforce's own word for a user without access: a permission, not the key.
    assert_eq!(map(&c, &resp(403, r#"[{"errorCode":"INSUFFICIENT_ACCESS"}]"#)), Err(LookupError::MissingPermission { status: 403, scopes: vec![], detail: String::new() }));
    assert_eq!(map(&c, &resp(403, "")), Err(LookupError::Unauthorized { status: 403 }));
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

#[test]
fn the_helpdesk_presets_link_each_ticket_to_the_agents_view_of_it() {
    use crate::config::ConnectorKind;
    let resp = |body: &str| HttpResponse { status: 200, body: body.into(), ..Default::default() };
    let mut zendesk = ConnectorConfig::demo("z", "Zendesk", "https://acme.zendesk.com", "k");
    zendesk.kind = ConnectorKind::Zendesk;
    let mut mia = crate::model::Customer { id: "381001".into(), ..Default::default() };
    let reqs = related_requests(&zendesk, None, &mia, &Stamp::default()).unwrap();
    map_related(&zendesk, 0, &reqs[0].url, &resp(r#"{"results":[{"id":4521,"subject":"Late","status":"open","priority":"high","updated_at":"2026-11-21T10:15:00Z"}],"count":1}"#), &mut mia).unwrap();
    assert_eq!(mia.tickets[0].url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/4521"));
    let mut freshdesk = ConnectorConfig::demo("f", "Freshdesk", "https://acme.freshdesk.com/api/v2", "k");
    freshdesk.kind = ConnectorKind::Freshdesk;
    let mut james = crate::model::Customer { id: "52".into(), ..Default::default() };
    let reqs = related_requests(&freshdesk, None, &james, &Stamp::default()).unwrap();
    map_related(&freshdesk, 0, &reqs[0].url, &resp(r#"[{"id":17,"subject":"VAT","status":2,"priority":3,"updated_at":"2026-11-02T09:30:00Z"}]"#), &mut james).unwrap();
    let t = &james.tickets[0];
    assert_eq!((t.status.as_str(), t.priority.as_str(), t.url.as_deref()), ("Open", "High", Some("https://acme.freshdesk.com/a/tickets/17")));
}

#[test]
fn an_item_link_template_is_checked_like_a_record_link() {
    let def = |url: serde_json::Value| {
        serde_json::json!({"id": "d", "name": "D", "lookups": {"email": [{"path": "/u", "query": {"e": "{value}"}}]}, "results": {"list": "/d"},
            "map": {"id": "/id", "tickets": {"each": "/tickets", "id": "/id", "subject": "/s", "url": url}}})
        .to_string()
    };
    assert!(crate::connector::def::Definition::parse(&def(serde_json::json!({"template": "{origin}/t/{id}"}))).is_ok());
    assert!(crate::connector::def::Definition::parse(&def(serde_json::json!({"template": "javascript:{id}"}))).is_err());
    let bad = serde_json::json!({"id": "d", "name": "D", "lookups": {"email": [{"path": "/u", "query": {"e": "{value}"}}]}, "results": {"list": "/d"},
        "map": {"id": "/id", "tickets": {"each": "/tickets", "id": "/id", "subject": {"template": "https://x.example/{id}"}}}});
    assert!(crate::connector::def::Definition::parse(&bad.to_string()).is_err(), "only the link may be a template");
}

/// Cache entries keep a failure in the internally tagged form earlier
/// versions wrote; the flat reader (issue 23) reads each variant as before,
/// writes the same text, and refuses what the derived reader refused.
#[test]
fn stored_lookup_errors_read_as_written_before() {
    let stored = [
        (r#"{"kind":"config","message":{"id":"cfg_enter_definition"}}"#, LookupError::Config { message: Msg::CfgEnterDefinition.into() }),
        (r#"{"kind":"unauthorized","status":401}"#, LookupError::Unauthorized { status: 401 }),
        (r#"{"kind":"missing_permission","status":403,"scopes":["crm.objects.contacts.read"],"detail":"MISSING_SCOPES"}"#, LookupError::MissingPermission { status: 403, scopes: vec!["crm.objects.contacts.read".into()], detail: "MISSING_SCOPES".into() }),
        (r#"{"kind":"missing_permission","status":403,"detail":""}"#, LookupError::MissingPermission { status: 403, scopes: vec![], detail: String::new() }),
        (r#"{"kind":"rate_limited","retry_after_secs":30}"#, LookupError::RateLimited { retry_after_secs: Some(30) }),
        (r#"{"kind":"rate_limited","retry_after_secs":null}"#, LookupError::RateLimited { retry_after_secs: None }),
        (r#"{"kind":"server","status":503}"#, LookupError::Server { status: 503 }),
        (r#"{"kind":"bad_response","message":{"id":"cfg_enter_definition"}}"#, LookupError::BadResponse { message: Msg::CfgEnterDefinition.into() }),
        (r#"{"kind":"timeout"}"#, LookupError::Timeout),
        (r#"{"kind":"network","message":{"id":"cfg_enter_definition"}}"#, LookupError::Network { message: Msg::CfgEnterDefinition.into() }),
    ];
    for (text, want) in stored {
        assert_eq!(serde_json::from_str::<LookupError>(text).unwrap(), want, "{text}");
        assert_eq!(serde_json::to_string(&want).unwrap(), text);
    }
    // Fields in another order, and an older one that no longer exists.
    assert_eq!(serde_json::from_str::<LookupError>(r#"{"status":500,"old":1,"kind":"server"}"#).unwrap(), LookupError::Server { status: 500 });
    assert_eq!(serde_json::from_str::<LookupError>(r#"{"kind":"rate_limited"}"#).unwrap(), LookupError::RateLimited { retry_after_secs: None });
    for bad in [r#"{"kind":"server"}"#, r#"{"kind":"config"}"#, r#"{"kind":"teapot","status":418}"#, r#"{"status":500}"#, r#"{"kind":"server","status":"x"}"#, r#""timeout""#] {
        assert!(serde_json::from_str::<LookupError>(bad).is_err(), "{bad}");
    }
}
