//! Issue 19's additions to the definition format and the engine: `labels`
//! follow-ups, calendar days, record links made of setup values, and a key
//! that lacks a permission told apart from one that is refused.

use super::def::Definition;
use super::engine::{missing_permission, read_answer_with, read_related, related_requests, Secrets};
use super::*;
use crate::identify::Source;
use crate::model::Customer;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A generic definition with deals and tickets from follow-ups, the deals'
/// stages labelled by a follow-up, a record link of setup values.
fn base() -> Value {
    json!({
        "id": "crm", "name": "CRM",
        "base_url": "https://api.crm.test",
        "setup": [
            { "name": "account", "kind": "text", "label": { "en": "Account", "zh_CN": "账户" }, "pattern": "[a-z0-9 ]{1,20}", "example": "acme", "default": "" },
            { "name": "region", "kind": "choice", "label": { "en": "Region", "zh_CN": "区域" }, "default": "us",
              "choices": [{ "value": "us", "label": { "en": "US", "zh_CN": "美国" } }, { "value": "eu", "label": { "en": "EU", "zh_CN": "欧洲" } }] }
        ],
        "lookups": { "email": [{ "path": "/people", "query": { "email": "{value}" }, "record_type": "People" }] },
        "results": { "list": "/items" },
        "map": {
            "id": "/id", "emails": ["/email"],
            "url": { "template": "https://{setup:region}/{setup:account}/{record_type}/{id}", "setup": { "region": { "us": "app.crm.test", "eu": "app.eu.crm.test" } } },
            "deals": { "id": "/id", "name": "/title", "stage": { "path": "/stage", "map": { "s1": "Default one" } }, "close_date": { "path": "/close", "format": "day" } },
            "tickets": { "id": "/id", "subject": "/subject", "status": "/status" }
        },
        "related": [
            { "into": "labels", "field": "deals.stage", "path": "/stages", "list": "/pipelines/*/stages", "key": "/id", "label": "/name" },
            { "into": "deals", "path": "/people/{id}/deals", "list": "/deals" },
            { "into": "tickets", "path": "/people/{id}/tickets", "list": "/tickets" }
        ]
    })
}

fn parse(v: &Value) -> Result<Definition, Vec<String>> {
    Definition::parse(&v.to_string()).map_err(|e| e.into_iter().map(|e| e.path).collect())
}

fn problem(edit: &dyn Fn(&mut Value)) -> Option<Vec<String>> {
    let mut v = base();
    edit(&mut v);
    parse(&v).err()
}

fn mia() -> Candidate {
    Candidate { kind: IdKind::Email, value: "mia@shop.test".into(), source: Source::Text, score: 1, sensitive: false, label: None }
}

fn ok(body: Value) -> HttpResponse {
    HttpResponse { status: 200, body: body.to_string(), ..Default::default() }
}

fn setup(values: &[(&str, &str)]) -> BTreeMap<String, String> {
    values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn record(def: &Definition, values: &[(&str, &str)]) -> Customer {
    let answer = ok(json!({"items": [{"id": "p 7", "email": "mia@shop.test"}]}));
    read_answer_with(def, &def.lookups_for(IdKind::Email)[0], "CRM", &mia(), "https://api.crm.test/people", &answer, &setup(values)).unwrap().customers.remove(0)
}

#[test]
fn a_labels_follow_up_names_the_ids_of_the_lists_read_after_it() {
    let def = parse(&base()).unwrap();
    let mut c = record(&def, &[]);
    let reqs = related_requests(&def, &crate::weburl::BaseUrl::parse("https://api.crm.test").unwrap(), &Secrets::new(), None, &c, &Stamp::default()).unwrap();
    assert_eq!(reqs.iter().map(|r| r.url.as_str()).collect::<Vec<_>>(), ["https://api.crm.test/stages", "https://api.crm.test/people/p%207/deals", "https://api.crm.test/people/p%207/tickets"]);
    assert_eq!(engine::related_kinds(&def, &c), ["labels", "deals", "tickets"]);
    let stages = json!({"pipelines": [{"stages": [{"id": "s1", "name": "Qualified"}, {"id": 2, "name": "Proposal"}]}, {"stages": [{"id": "s3", "name": "Won"}, {"id": "s4"}]}]});
    read_related(&def, 0, &reqs[0].url, &ok(stages), &mut c).unwrap();
    read_related(&def, 1, &reqs[1].url, &ok(json!({"deals": [
        {"id": "d1", "title": "A", "stage": "s1", "close": "2026-12-01T00:00:00+08:00"},
        {"id": "d2", "title": "B", "stage": 2, "close": "2026-12-02"},
        {"id": "d3", "title": "C", "stage": "s4", "close": 1796083200000u64},
        {"id": "d4", "title": "D", "stage": "s9", "close": "2026-13-01"}
    ]})), &mut c).unwrap();
    // The API's label wins over the value map; a number is its text; no label: the map, else the id.
    assert_eq!(c.deals.iter().map(|d| d.stage.as_str()).collect::<Vec<_>>(), ["Qualified", "Proposal", "s4", "s9"]);
    // A calendar day as written (not moved to UTC), from epoch milliseconds, or none when not a date.
    assert_eq!(c.deals.iter().map(|d| d.close_date.as_deref()).collect::<Vec<_>>(), [Some("2026-12-01"), Some("2026-12-02"), Some("2026-12-01"), None]);
    // The labels are for the deals' stage only.
    read_related(&def, 2, &reqs[2].url, &ok(json!({"tickets": [{"id": "t1", "subject": "S", "status": "s1"}]})), &mut c).unwrap();
    assert_eq!(c.tickets[0].status, "s1");
    // Labels that arrive after items embedded in the record relabel them too.
    let mut later = Customer { deals: vec![crate::model::Deal { stage: "s3".into(), ..Default::default() }], ..record(&def, &[]) };
    read_related(&def, 0, &reqs[0].url, &ok(json!({"pipelines": [{"stages": [{"id": "s3", "name": "Won"}]}]})), &mut later).unwrap();
    assert_eq!(later.deals[0].stage, "Won");
    // The labels travel with the record (the cache), and not into what is shown.
    assert_eq!(later.refs.labels["deals.stage"]["s3"], "Won");
    // An answer without its list is a configuration error naming the path, as for any follow-up.
    let e = read_related(&def, 0, &reqs[0].url, &ok(json!({"results": []})), &mut later).unwrap_err();
    assert!(matches!(e, LookupError::Config { .. }), "{e:?}");
}

#[test]
fn a_labels_follow_up_is_checked_with_its_path() {
    assert_eq!(problem(&|_| {}), None);
    // After the follow-up that fills its list, the labels would come too late.
    assert_eq!(problem(&|v| {
        let labels = v["related"][0].clone();
        v["related"].as_array_mut().unwrap().remove(0);
        v["related"].as_array_mut().unwrap().push(labels);
    }), Some(vec!["related.2.into".to_string()]));
    for (field, _why) in [("deals.amount", "money"), ("deals.id", "the id"), ("deals.url", "the link"), ("people.stage", "no such list"), ("stage", "no list")] {
        assert!(problem(&|v| v["related"][0]["field"] = field.into()).is_some(), "{field}");
    }
    assert!(problem(&|v| v["related"][0].as_object_mut().unwrap().remove("key").map(drop).unwrap_or(())).is_some(), "a key path is needed");
    assert_eq!(problem(&|v| v["related"][0]["label"] = "/a/*/name".into()), Some(vec!["related.0.label".to_string()]));
    // A list the map does not read cannot be labelled.
    assert_eq!(problem(&|v| v["related"][0]["field"] = "orders.status".into()), Some(vec!["related.0.field".to_string()]));
    // No {id} is needed (the labels are the same for every record); other follow-ups still need one.
    assert_eq!(problem(&|v| v["related"][1]["path"] = "/deals".into()), Some(vec!["related.1".to_string()]));
    assert!(problem(&|v| v["map"]["deals"]["close_date"]["format"] = "days".into()).is_some());
}

#[test]
fn record_links_use_setup_values_and_the_record_type() {
    let def = parse(&base()).unwrap();
    // The choice's value mapped onto a host, a typed value as one path segment; a default fills a value not given.
    assert_eq!(record(&def, &[("account", "acme")]).url.as_deref(), Some("https://app.crm.test/acme/People/p%207"));
    assert_eq!(record(&def, &[("account", "a b"), ("region", "eu")]).url.as_deref(), Some("https://app.eu.crm.test/a%20b/People/p%207"));
    // Without the value (an optional field left empty): no link.
    assert_eq!(record(&def, &[]).url, None);
    assert_eq!(record(&def, &[("account", "")]).url, None);
    // A link-only setup field does not make the base URL depend on it.
    assert_eq!(def.base_url_from(&setup(&[("account", "acme")])).unwrap().to_string(), "https://api.crm.test");
    assert_eq!(def.link_setup_from(&setup(&[("account", "acme"), ("region", "eu")])).unwrap(), setup(&[("account", "acme"), ("region", "eu")]));
    assert_eq!(def.link_setup_from(&setup(&[("account", "ACME!")])).unwrap_err()[0].field, "account");
}

#[test]
fn record_link_templates_name_setup_fields_and_keep_a_fixed_host() {
    assert_eq!(problem(&|v| v["map"]["url"]["template"] = "https://{setup:region}/{setup:account}/{setup:nope}/{id}".into()), Some(vec!["map.url".to_string()]));
    // A typed value may not make the host: only a choice, whose values the definition fixes.
    assert_eq!(problem(&|v| v["map"]["url"] = json!({"template": "https://{setup:account}.crm.test/{setup:region}/{id}"})), Some(vec!["map.url".to_string()]));
    // Every choice mapped, onto a host.
    assert_eq!(problem(&|v| v["map"]["url"]["setup"]["region"] = json!({"us": "app.crm.test"})), Some(vec!["map.url.setup.region".to_string()]));
    assert_eq!(problem(&|v| v["map"]["url"]["setup"]["region"]["eu"] = "evil.test/x".into()), Some(vec!["map.url.setup.region".to_string()]));
    assert_eq!(problem(&|v| v["map"]["url"]["setup"]["account"] = json!({"a": "b"})), Some(vec!["map.url.setup.account".to_string()]));
    assert!(problem(&|v| v["map"]["url"]["setup"] = json!(["region"])).is_some());
    assert_eq!(problem(&|v| v["map"]["url"]["template"] = "https://{setup:region}/{record_type}/{id}".into()), Some(vec!["setup.0.name".to_string()]), "a setup field used nowhere");
    assert!(problem(&|v| v["map"]["url"]["template"] = "https://{setup:Region}/{setup:account}/{id}".into()).is_some_and(|p| p.contains(&"map.url".to_string())));
}

#[test]
fn a_missing_permission_is_told_apart_from_a_refused_key() {
    let e = |status: u16, body: &str| missing_permission(status, body);
    // HubSpot: the category, and the scopes it names.
    let hubspot = r#"{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["tickets","crm.objects.companies.read"]}}]}"#;
    let LookupError::MissingPermission { status, scopes, detail } = e(403, hubspot).unwrap() else { panic!() };
    assert_eq!((status, scopes.as_slice(), detail.as_str()), (403, &["tickets".to_string(), "crm.objects.companies.read".to_string()][..], "This app hasn't been granted all required scopes to make this call."));
    // Zoho's scope mismatch comes as a 401; its expired token stays a refused key.
    assert!(matches!(e(401, r#"{"code":"OAUTH_SCOPE_MISMATCH","details":{},"message":"invalid oauth scope to access this URL","status":"error"}"#), Some(LookupError::MissingPermission { status: 401, .. })));
    assert_eq!(e(401, r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#), None);
    // The others' 403s: Salesforce, Freshdesk, Zendesk, Pipedrive's and Intercom's words.
    for body in [
        r#"[{"message":"insufficient access rights on object id","errorCode":"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"}]"#,
        r#"[{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}]"#,
        r#"{"code":"access_denied","message":"You are not authorized to perform this action."}"#,
        r#"{"error":"Forbidden","description":"You do not have access to this page. Please contact the account owner of this help desk for further help."}"#,
        r#"{"success":false,"error":"You do not have permissions to view this person","errorCode":403}"#,
        r#"{"type":"error.list","request_id":"x","errors":[{"code":"token_unauthorized","message":"Token does not have the required scope"}]}"#,
    ] {
        assert!(matches!(e(403, body), Some(LookupError::MissingPermission { status: 403, .. })), "{body}");
    }
    // A bare refusal, a wrong key, an answer that is not JSON: the key was refused.
    for (status, body) in [(403, ""), (403, "<html>Forbidden</html>"), (401, r#"{"error":"Couldn't authenticate you"}"#), (403, r#"{"message":"Invalid API key"}"#), (401, r#"{"category":"INVALID_AUTHENTICATION"}"#)] {
        assert_eq!(e(status, body), None, "{status} {body}");
    }
    assert_eq!(e(500, hubspot), None);
    // Through a lookup: the vendor's words (shortened), and what the agent reads in both cases.
    let c = ConnectorConfig::demo("c1", "Demo", "https://crm.test", "k");
    let map = |status: u16, body: &str| map_lookup(&c, 0, &mia(), "https://crm.test/api/v1/customers", &HttpResponse { status, body: body.into(), ..Default::default() });
    let scoped = map(403, hubspot).unwrap_err();
    assert_eq!(crate::i18n::english(&scoped.user_message()), "The CRM accepted the API key, but it lacks a permission this request needs: grant tickets, crm.objects.companies.read to the key (or its app) in the CRM's settings.");
    let long = format!(r#"{{"code":"access_denied","message":"{}"}}"#, "x".repeat(500));
    let LookupError::MissingPermission { detail, .. } = map(403, &long).unwrap_err() else { panic!() };
    assert_eq!(detail.len(), 200);
    let zendesk = map(403, r#"{"error":"Forbidden","description":"You do not have access to this page."}"#).unwrap_err();
    assert_eq!(crate::i18n::english(&zendesk.user_message()), "The CRM accepted the API key, but it lacks a permission this request needs (HTTP 403: You do not have access to this page.). Grant the read permissions listed on the connector's page.");
    assert_eq!(map(401, "").unwrap_err(), LookupError::Unauthorized { status: 401 });
    // Neither is worth another try; both are for the admin.
    assert!(!scoped.retryable());
    let err = crate::panel::SourceError::new("CRM", &scoped);
    assert!(err.needs_admin && !err.retryable);
    // The error crosses the message boundary whole.
    let back: LookupError = serde_json::from_str(&serde_json::to_string(&scoped).unwrap()).unwrap();
    assert_eq!(back, scoped);
}

#[test]
fn setup_values_for_links_are_kept_when_a_base_url_is_typed() {
    let s = crate::config::Settings::default();
    let input = |setup: &[(&str, &str)]| crate::config::ConnectorInput {
        kind: "hubspot".into(),
        base_url: "http://127.0.0.1:4010".into(),
        api_key: Some(crate::secret::Secret::new("pat-1")),
        enabled: true,
        setup: setup.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    let c = s.connector_from_input(0, input(&[("portal_id", "4711")])).unwrap();
    assert_eq!(c.base_url, "http://127.0.0.1:4010");
    assert_eq!(c.setup_values().get("portal_id").map(String::as_str), Some("4711"));
    let errors = s.connector_from_input(0, input(&[("portal_id", "47-11")])).unwrap_err();
    assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["connectors.0.setup.portal_id"]);
    // The link is made from them.
    let answer = HttpResponse { status: 200, body: json!({"total": 1, "results": [{"id": "501", "properties": {"email": "mia@shop.test"}}]}).to_string(), ..Default::default() };
    let found = map_lookup(&c, 0, &mia(), "http://127.0.0.1:4010/crm/v3/objects/contacts/search", &answer).unwrap();
    assert_eq!(found.customers[0].url.as_deref(), Some("https://app.hubspot.com/contacts/4711/record/0-1/501"));
}
