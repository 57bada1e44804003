//! Each shipped preset's requests, exactly: the URL, headers and body of an
//! email and a phone lookup (every attempt), and the base URL its setup
//! values make. The vendors' own descriptions check the same requests in
//! `tests/contract/`; these pin them so a change is seen in review.

use super::definition;
use crate::config::ConnectorKind;
use crate::connector::engine::{build_requests, map_record, read_answer, read_related, related_requests, token_request, Secrets};
use crate::connector::{HttpResponse, Stamp};
use crate::model::Customer;
use crate::connector::{HttpRequest, Method};
use crate::i18n::Lang;
use crate::identify::{Candidate, IdKind, Source};
use crate::secret::Secret;
use crate::weburl::BaseUrl;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn cand(kind: IdKind, v: &str) -> Candidate {
    Candidate { kind, value: v.into(), source: Source::Text, score: 1, sensitive: false, label: None }
}

fn secrets(kind: ConnectorKind) -> Secrets {
    let def = definition(kind).unwrap();
    def.auth.secrets().iter().map(|n| (n.to_string(), Secret::new(format!("{n}-canary")))).collect()
}

fn setup(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The requests for `id`, with the base URL the setup values make.
fn requests(kind: ConnectorKind, values: &[(&str, &str)], id: &Candidate) -> Vec<HttpRequest> {
    let def = definition(kind).unwrap();
    let base = def.base_url_from(&setup(values)).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
    let token = def.auth.token_endpoint().map(|_| Secret::new("token-canary"));
    build_requests(def, &base, &secrets(kind), token.as_ref(), id, &crate::connector::Stamp::default()).unwrap()
}

/// A percent-encoded query value, decoded (ASCII and UTF-8).
fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn header<'a>(r: &'a HttpRequest, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn body(r: &HttpRequest) -> Value {
    serde_json::from_str(r.body.as_deref().unwrap()).unwrap()
}

fn urls(rs: &[HttpRequest]) -> Vec<&str> {
    rs.iter().map(|r| r.url.as_str()).collect()
}

const EMAIL: &str = "a+b@x.test";
const PHONE: &str = "+14155550132";

#[test]
fn every_preset_has_help_and_labels_in_both_languages() {
    for (kind, file, _) in super::SOURCES {
        let def = definition(*kind).unwrap();
        if *kind == ConnectorKind::DemoCrm {
            continue;
        }
        let help = def.help.as_ref().unwrap_or_else(|| panic!("{file}: no help"));
        assert!(help.get(Lang::En).is_ascii(), "{file}");
        assert!(help.get(Lang::ZhCn).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{file}: the Chinese help is not Chinese");
        assert!(def.base_url.is_some(), "{file}: the admin should not have to type a base URL");
        for f in def.setup() {
            assert!(f.label.get(Lang::ZhCn).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{file}: {}", f.name);
        }
        // The name shown in the kind list is the definition's.
        assert_eq!(kind.display_name(), def.name, "{file}");
        assert_eq!(kind.id(), def.id, "{file}");
    }
}

#[test]
fn hubspot() {
    let rs = requests(ConnectorKind::HubSpot, &[], &cand(IdKind::Email, EMAIL));
    assert_eq!(urls(&rs), ["https://api.hubapi.com/crm/v3/objects/contacts/search"]);
    assert_eq!(rs[0].method, Method::Post);
    assert_eq!(header(&rs[0], "Authorization"), Some("Bearer api_key-canary"));
    let b = body(&rs[0]);
    assert_eq!(b["filterGroups"], json!([{"filters": [{"propertyName": "email", "operator": "EQ", "value": EMAIL}]}]));
    assert_eq!((b["limit"].clone(), b["after"].clone(), b["sorts"].clone()), (json!(20), json!("0"), json!([])));
    let rs = requests(ConnectorKind::HubSpot, &[], &cand(IdKind::Phone, PHONE));
    let values: Vec<Value> = rs.iter().map(|r| body(r)["filterGroups"].clone()).collect();
    let groups = |v: &str| json!([{"filters": [{"propertyName": "phone", "operator": "EQ", "value": v}]}, {"filters": [{"propertyName": "mobilephone", "operator": "EQ", "value": v}]}]);
    assert_eq!(values, [groups("+14155550132"), groups("4155550132"), groups("14155550132")]);
    let rs = requests(ConnectorKind::HubSpot, &[], &cand(IdKind::CustomerId, "51201"));
    assert_eq!(body(&rs[0])["filterGroups"][0]["filters"][0], json!({"propertyName": "hs_object_id", "operator": "EQ", "value": "51201"}));
}

#[test]
fn salesforce() {
    let s = [("instance_url", "https://acme.my.salesforce.com/")];
    let rs = requests(ConnectorKind::Salesforce, &s, &cand(IdKind::Email, "o'brien+x@acme.test"));
    assert_eq!(rs.len(), 1);
    let (path, q) = rs[0].url.split_once("?q=").unwrap();
    assert_eq!(path, "https://acme.my.salesforce.com/services/data/v62.0/search");
    let q = decode(q).unwrap();
    assert!(q.starts_with(r"FIND {o\'brien\+x@acme.test} IN EMAIL FIELDS RETURNING Contact(Id, AccountId, Name, Email,"), "{q}");
    assert!(q.contains("Lead(") && q.contains("WHERE IsConverted = false") && q.ends_with("LIMIT 20"), "{q}");
    assert_eq!(header(&rs[0], "Authorization"), Some("Bearer token-canary"));
    // The refresh-token grant at the instance's own token endpoint (no other origin to allow).
    let def = definition(ConnectorKind::Salesforce).unwrap();
    assert_eq!(def.auth.secrets(), ["client_id", "client_secret", "refresh_token"]);
    let base = def.base_url_from(&setup(&s)).unwrap();
    let t = token_request(def, &base, &setup(&s), &secrets(ConnectorKind::Salesforce)).unwrap().unwrap();
    assert_eq!(t.url, "https://acme.my.salesforce.com/services/oauth2/token");
    assert_eq!(t.body.as_deref(), Some("grant_type=refresh_token&refresh_token=refresh_token-canary&client_id=client_id-canary&client_secret=client_secret-canary"));
    assert_eq!(def.token_origin_from(&setup(&s)).as_deref(), Some("https://acme.my.salesforce.com"));
    assert_eq!(def.setup_from_base(&base), setup(&[("instance_url", "https://acme.my.salesforce.com")]));
    let rs = requests(ConnectorKind::Salesforce, &s, &cand(IdKind::Phone, PHONE));
    let terms: Vec<String> = rs.iter().map(|r| decode(r.url.split_once("?q=").unwrap().1).unwrap()).collect();
    assert!(terms[0].starts_with("FIND {4155550132} IN PHONE FIELDS") && terms[1].starts_with("FIND {14155550132} IN PHONE FIELDS"), "{terms:?}");
    // The instance URL is a Salesforce one, and says which field is wrong.
    let def = definition(ConnectorKind::Salesforce).unwrap();
    for bad in ["https://evil.test", "http://acme.my.salesforce.com", "https://acme.my.salesforce.com.evil.test", "acme", "https://acme.my.salesforce.com/x"] {
        let e = def.base_url_from(&setup(&[("instance_url", bad)])).unwrap_err();
        assert_eq!(e[0].field, "instance_url", "{bad}");
    }
    assert_eq!(def.base_url_from(&setup(&[("instance_url", "https://acme--uat.sandbox.my.salesforce.com")])).unwrap().to_string(), "https://acme--uat.sandbox.my.salesforce.com/services/data/v62.0");
}

#[test]
fn zendesk() {
    let s = [("subdomain", "acme")];
    let rs = requests(ConnectorKind::Zendesk, &s, &cand(IdKind::Email, EMAIL));
    assert_eq!(urls(&rs), ["https://acme.zendesk.com/api/v2/users/search?query=email%3Aa%2Bb%40x.test"]);
    // Basic auth: the user name is the agent's address with /token, the password the API token.
    assert_eq!(definition(ConnectorKind::Zendesk).unwrap().auth.secrets(), ["username", "password"]);
    assert_eq!(header(&rs[0], "Authorization"), Some("Basic dXNlcm5hbWUtY2FuYXJ5OnBhc3N3b3JkLWNhbmFyeQ=="));
    let rs = requests(ConnectorKind::Zendesk, &s, &cand(IdKind::Phone, PHONE));
    assert_eq!(
        urls(&rs),
        [
            "https://acme.zendesk.com/api/v2/users/search?query=phone%3A%2B14155550132",
            "https://acme.zendesk.com/api/v2/users/search?query=phone%3A4155550132",
            "https://acme.zendesk.com/api/v2/users/search?query=phone%3A14155550132"
        ]
    );
    let rs = requests(ConnectorKind::Zendesk, &s, &cand(IdKind::CustomerId, "35436"));
    assert_eq!(urls(&rs), ["https://acme.zendesk.com/api/v2/users/35436"]);
}

#[test]
fn freshdesk() {
    let s = [("domain", "Acme-Support")];
    let rs = requests(ConnectorKind::Freshdesk, &s, &cand(IdKind::Email, EMAIL));
    assert_eq!(urls(&rs), ["https://acme-support.freshdesk.com/api/v2/contacts?email=a%2Bb%40x.test"]);
    // The key as the user, X as the password.
    assert_eq!(header(&rs[0], "Authorization"), Some("Basic YXBpX2tleS1jYW5hcnk6WA=="));
    let rs = requests(ConnectorKind::Freshdesk, &s, &cand(IdKind::Phone, "+8613912345678"));
    assert_eq!(
        urls(&rs),
        [
            "https://acme-support.freshdesk.com/api/v2/contacts?phone=%2B8613912345678",
            "https://acme-support.freshdesk.com/api/v2/contacts?mobile=%2B8613912345678",
            "https://acme-support.freshdesk.com/api/v2/contacts?phone=13912345678",
            "https://acme-support.freshdesk.com/api/v2/contacts?mobile=13912345678"
        ]
    );
    let e = definition(ConnectorKind::Freshdesk).unwrap().base_url_from(&setup(&[("domain", "acme.freshdesk.com")])).unwrap_err();
    assert_eq!(e[0].field, "domain");
}

#[test]
fn pipedrive() {
    let rs = requests(ConnectorKind::Pipedrive, &[], &cand(IdKind::Email, EMAIL));
    assert_eq!(urls(&rs), ["https://api.pipedrive.com/api/v2/persons/search?exact_match=true&fields=email&limit=20&term=a%2Bb%40x.test"]);
    assert_eq!(header(&rs[0], "x-api-token"), Some("api_key-canary"));
    assert_eq!(header(&rs[0], "Authorization"), None);
    let rs = requests(ConnectorKind::Pipedrive, &[], &cand(IdKind::Phone, PHONE));
    assert_eq!(
        urls(&rs),
        [
            "https://api.pipedrive.com/api/v2/persons/search?exact_match=true&fields=phone&limit=20&term=%2B14155550132",
            "https://api.pipedrive.com/api/v2/persons/search?exact_match=true&fields=phone&limit=20&term=4155550132",
            "https://api.pipedrive.com/api/v2/persons/search?exact_match=false&fields=phone&limit=20&term=4155550132"
        ]
    );
    let rs = requests(ConnectorKind::Pipedrive, &[], &cand(IdKind::CustomerId, "1"));
    assert_eq!(urls(&rs), ["https://api.pipedrive.com/api/v2/persons/1"]);
}

#[test]
fn zoho_crm() {
    let rs = requests(ConnectorKind::ZohoCrm, &[("dc", ".eu")], &cand(IdKind::Email, EMAIL));
    let paths: Vec<&str> = rs.iter().map(|r| r.url.split_once('?').unwrap().0).collect();
    assert_eq!(paths, ["https://www.zohoapis.eu/crm/v8/Contacts/search", "https://www.zohoapis.eu/crm/v8/Leads/search"]);
    assert_eq!(rs[0].url, "https://www.zohoapis.eu/crm/v8/Contacts/search?email=a%2Bb%40x.test&fields=Full_Name%2CFirst_Name%2CLast_Name%2CEmail%2CSecondary_Email%2CPhone%2CMobile%2CTitle%2CAccount_Name%2CMailing_City%2CMailing_Country%2CModified_Time&per_page=20");
    assert!(rs[1].url.contains("Company") && !rs[1].url.contains("Account_Name"), "{}", rs[1].url);
    assert_eq!(header(&rs[0], "Authorization"), Some("Zoho-oauthtoken token-canary"));
    // The token comes from the accounts server of the data centre picked; its origin is known before Save asks.
    let def = definition(ConnectorKind::ZohoCrm).unwrap();
    let tokens: Vec<String> = [".com", ".eu", ".com.cn"].iter().map(|dc| {
        let base = def.base_url_from(&setup(&[("dc", dc)])).unwrap();
        token_request(def, &base, &setup(&[("dc", dc)]), &secrets(ConnectorKind::ZohoCrm)).unwrap().unwrap().url
    }).collect();
    assert_eq!(tokens, ["https://accounts.zoho.com/oauth/v2/token", "https://accounts.zoho.eu/oauth/v2/token", "https://accounts.zoho.com.cn/oauth/v2/token"]);
    assert_eq!(def.token_permission_from(&setup(&[("dc", ".in")])).as_deref(), Some("https://accounts.zoho.in/*"));
    assert_eq!(def.token_url_from(&setup(&[("dc", ".evil.test")])).unwrap_err()[0].field, "dc");
    // The data centre read back from the base URL, for the token request of a stored connector.
    assert_eq!(def.setup_from_base(&BaseUrl::parse("https://www.zohoapis.com.au/crm/v8").unwrap()), setup(&[("dc", ".com.au")]));
    assert!(def.setup_from_base(&BaseUrl::parse("https://www.zohoapis.evil.test/crm/v8").unwrap()).is_empty());
    let rs = requests(ConnectorKind::ZohoCrm, &[], &cand(IdKind::Phone, "+919845012345"));
    let got: Vec<(&str, &str)> = rs.iter().map(|r| (r.url.split_once('?').unwrap().0, r.url.split("phone=").nth(1).unwrap().split('&').next().unwrap())).collect();
    assert_eq!(
        got,
        [
            ("https://www.zohoapis.com/crm/v8/Contacts/search", "%2B919845012345"),
            ("https://www.zohoapis.com/crm/v8/Contacts/search", "09845012345"),
            ("https://www.zohoapis.com/crm/v8/Leads/search", "%2B919845012345"),
            ("https://www.zohoapis.com/crm/v8/Leads/search", "09845012345")
        ]
    );
    let def = definition(ConnectorKind::ZohoCrm).unwrap();
    let hosts: Vec<String> = [".com", ".eu", ".in", ".com.au", ".com.cn", ".jp"].iter().map(|dc| def.base_url_from(&setup(&[("dc", dc)])).unwrap().origin()).collect();
    assert_eq!(hosts, ["https://www.zohoapis.com", "https://www.zohoapis.eu", "https://www.zohoapis.in", "https://www.zohoapis.com.au", "https://www.zohoapis.com.cn", "https://www.zohoapis.jp"]);
    assert_eq!(def.base_url_from(&setup(&[("dc", ".ru")])).unwrap_err()[0].field, "dc");
}

#[test]
fn intercom() {
    let rs = requests(ConnectorKind::Intercom, &[("region", "api.eu.intercom.io")], &cand(IdKind::Email, EMAIL));
    assert_eq!(urls(&rs), ["https://api.eu.intercom.io/contacts/search"]);
    assert_eq!(header(&rs[0], "Intercom-Version"), Some("2.14"));
    assert_eq!(header(&rs[0], "Authorization"), Some("Bearer api_key-canary"));
    assert_eq!(body(&rs[0]), json!({"query": {"field": "email", "operator": "=", "value": EMAIL}, "pagination": {"per_page": 20}}));
    let rs = requests(ConnectorKind::Intercom, &[], &cand(IdKind::Phone, PHONE));
    assert_eq!(urls(&rs)[0], "https://api.intercom.io/contacts/search");
    let values: Vec<Value> = rs.iter().map(|r| body(r)["query"].clone()).collect();
    assert_eq!(values, [json!({"field": "phone", "operator": "=", "value": "+14155550132"}), json!({"field": "phone", "operator": "=", "value": "4155550132"}), json!({"field": "phone", "operator": "=", "value": "14155550132"})]);
    let rs = requests(ConnectorKind::Intercom, &[], &cand(IdKind::CustomerId, "cus_8841"));
    assert_eq!(body(&rs[0])["query"], json!({"operator": "OR", "value": [{"field": "id", "operator": "=", "value": "cus_8841"}, {"field": "external_id", "operator": "=", "value": "cus_8841"}]}));
}

#[test]
fn a_loopback_base_url_still_works_for_tests() {
    // The contract suite points each preset at a mock on this computer.
    let def = definition(ConnectorKind::Zendesk).unwrap();
    let base = BaseUrl::parse("http://127.0.0.1:4010").unwrap();
    let rs = build_requests(def, &base, &secrets(ConnectorKind::Zendesk), None, &cand(IdKind::Email, EMAIL), &crate::connector::Stamp::default()).unwrap();
    assert_eq!(rs[0].url, "http://127.0.0.1:4010/api/v2/users/search?query=email%3Aa%2Bb%40x.test");
}

/// The record a lookup answer maps to (the first), as the background keeps it.
fn found(kind: ConnectorKind, attempt: usize, id: &Candidate, answer: Value) -> Customer {
    let def = definition(kind).unwrap();
    let request = &def.lookups_for(id.kind)[attempt];
    let resp = HttpResponse { status: 200, body: answer.to_string(), ..Default::default() };
    read_answer(def, request, "t", id, "https://api.example.test/x", &resp).unwrap().customers.into_iter().next().unwrap_or_else(|| panic!("{kind:?}: nobody"))
}

/// The follow-ups for `record`, and the record once each answer (in order)
/// is read back.
fn follow_ups(kind: ConnectorKind, values: &[(&str, &str)], record: &mut Customer, answers: &[Value]) -> Vec<HttpRequest> {
    let def = definition(kind).unwrap();
    let base = def.base_url_from(&setup(values)).unwrap();
    let token = def.auth.token_endpoint().map(|_| Secret::new("token-canary"));
    let reqs = related_requests(def, &base, &secrets(kind), token.as_ref(), record, &Stamp::default()).unwrap();
    assert_eq!(reqs.len(), answers.len(), "{kind:?}: {:?}", urls(&reqs));
    for (k, (r, a)) in reqs.iter().zip(answers).enumerate() {
        let resp = HttpResponse { status: 200, body: a.to_string(), ..Default::default() };
        read_related(def, k, &r.url, &resp, record).unwrap_or_else(|e| panic!("{kind:?} follow-up {k}: {e:?}"));
    }
    reqs
}

fn q(r: &HttpRequest, name: &str) -> String {
    r.url.split_once('?').unwrap().1.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).map(|v| decode(v).unwrap()).unwrap_or_default()
}

#[test]
fn hubspot_follow_ups_search_each_type_by_association() {
    let mut c = found(ConnectorKind::HubSpot, 0, &cand(IdKind::Email, "maria.garcia@northwind.example"), definition(ConnectorKind::HubSpot).unwrap().samples[0].answer.clone());
    // The contact's own `company` property is not read: the company is the associated one.
    assert_eq!(c.company, None);
    // Shapes: CollectionResponseWithTotalSimplePublicObject (SOURCES.md section 1) with each type's
    // properties; the pipelines' CollectionResponsePipelineNoPaging (results[].stages[].{id, label}).
    let reqs = follow_ups(ConnectorKind::HubSpot, &[], &mut c, &[
        json!({"total": 1, "results": [{"id": "3101", "properties": {"name": "Northwind Traders Inc.", "domain": "northwind.example", "hs_object_id": "3101"}, "archived": false}]}),
        json!({"results": [{"id": "default", "label": "Sales Pipeline", "displayOrder": 0, "archived": false, "stages": [
            {"id": "contractsent", "label": "Contract sent (legal)", "displayOrder": 4, "metadata": {"isClosed": "false", "probability": "0.9"}, "archived": false}]}]}),
        json!({"results": [{"id": "0", "label": "Support Pipeline", "displayOrder": 0, "stages": [{"id": "1", "label": "New", "metadata": {"ticketState": "OPEN"}}, {"id": "4", "label": "Closed", "metadata": {"ticketState": "CLOSED"}}]}]}),
        json!({"total": 2, "results": [
            {"id": "9001", "properties": {"dealname": "Northwind renewal", "dealstage": "contractsent", "amount": "12500.50", "deal_currency_code": "USD", "closedate": "2026-12-15T00:00:00Z"}, "archived": false},
            {"id": "9002", "properties": {"dealname": "Northwind add-on", "dealstage": "qualifiedtobuy", "amount": "100", "deal_currency_code": "USD", "closedate": "2027-01-31T00:00:00.000Z"}, "archived": false}]}),
        json!({"total": 1, "results": [{"id": "7001", "properties": {"subject": "Invoice copy", "hs_pipeline_stage": "1", "hs_ticket_priority": "HIGH", "hs_lastmodifieddate": "2026-11-20T08:00:00.000Z"}}]}),
        json!({"total": 0, "results": []}),
    ]);
    assert_eq!(urls(&reqs), ["https://api.hubapi.com/crm/v3/objects/companies/search", "https://api.hubapi.com/crm/v3/pipelines/deals", "https://api.hubapi.com/crm/v3/pipelines/tickets",
        "https://api.hubapi.com/crm/v3/objects/deals/search", "https://api.hubapi.com/crm/v3/objects/tickets/search", "https://api.hubapi.com/crm/v3/objects/notes/search"]);
    for r in reqs.iter().filter(|r| r.method == Method::Post) {
        assert_eq!(body(r)["filterGroups"], json!([{"filters": [{"propertyName": "associations.contact", "operator": "EQ", "value": "51201"}]}]));
    }
    for r in &reqs {
        assert_eq!(header(r, "Authorization"), Some("Bearer api_key-canary"));
    }
    assert_eq!(reqs[1].method, Method::Get);
    assert_eq!(c.company.as_deref(), Some("Northwind Traders Inc."));
    // The portal's own stage label wins; a stage the pipelines did not name takes HubSpot's default label.
    assert_eq!((c.deals[0].name.as_str(), c.deals[0].stage.as_str(), c.deals[0].amount_minor, c.deals[0].currency.as_deref(), c.deals[0].close_date.as_deref()),
        ("Northwind renewal", "Contract sent (legal)", Some(1_250_050), Some("USD"), Some("2026-12-15")));
    assert_eq!((c.deals[1].stage.as_str(), c.deals[1].close_date.as_deref()), ("Qualified To Buy", Some("2027-01-31")));
    assert_eq!((c.tickets[0].subject.as_str(), c.tickets[0].status.as_str(), c.tickets[0].priority.as_str(), c.tickets[0].updated.as_deref()), ("Invoice copy", "New", "High", Some("2026-11-20T08:00:00Z")));
    assert!(c.notes.is_empty());
}

#[test]
fn hubspot_labels_fall_back_to_the_default_pipelines_and_links_need_the_account_id() {
    let def = definition(ConnectorKind::HubSpot).unwrap();
    let mut c = found(ConnectorKind::HubSpot, 0, &cand(IdKind::Email, "maria.garcia@northwind.example"), def.samples[0].answer.clone());
    // No link without the account id (an optional setup value).
    assert_eq!(c.url, None);
    let base = def.base_url_from(&setup(&[])).unwrap();
    let reqs = related_requests(def, &base, &secrets(ConnectorKind::HubSpot), None, &c, &Stamp::default()).unwrap();
    // The pipelines requests fail (a 403 without the scope): the default labels stand.
    for (k, r) in reqs.iter().enumerate() {
        let resp = match k {
            1 | 2 => HttpResponse { status: 403, body: r#"{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.deals.read"]}}]}"#.into(), ..Default::default() },
            3 => HttpResponse { status: 200, body: json!({"results": [{"id": "9001", "properties": {"dealstage": "closedwon", "closedate": "2026-12-01"}}]}).to_string(), ..Default::default() },
            4 => HttpResponse { status: 200, body: json!({"results": [{"id": "7001", "properties": {"hs_pipeline_stage": "3", "hs_ticket_priority": "URGENT"}}, {"id": "7002", "properties": {"hs_pipeline_stage": "98765", "hs_ticket_priority": "LOW"}}]}).to_string(), ..Default::default() },
            _ => HttpResponse { status: 200, body: r#"{"results":[]}"#.into(), ..Default::default() },
        };
        let read = read_related(def, k, &r.url, &resp, &mut c);
        if k == 1 || k == 2 {
            assert_eq!(read, Err(crate::connector::LookupError::MissingPermission { status: 403, scopes: vec!["crm.objects.deals.read".into()], detail: "This app hasn't been granted all required scopes to make this call.".into() }));
        } else {
            read.unwrap();
        }
    }
    assert_eq!((c.deals[0].stage.as_str(), c.deals[0].close_date.as_deref()), ("Closed Won", Some("2026-12-01")));
    // A custom pipeline's stage id the defaults do not know stays as it came.
    assert_eq!(c.tickets.iter().map(|t| (t.status.as_str(), t.priority.as_str())).collect::<Vec<_>>(), [("Waiting on us", "Urgent"), ("98765", "Low")]);
    // With the account id (and the EU data centre) the record links to the contact in HubSpot.
    let link = |values: &[(&str, &str)]| {
        let answer = HttpResponse { status: 200, body: def.samples[0].answer.to_string(), ..Default::default() };
        crate::connector::engine::read_answer_with(def, &def.lookups_for(IdKind::Email)[0], "t", &cand(IdKind::Email, "maria.garcia@northwind.example"), "https://api.hubapi.com/x", &answer, &setup(values))
            .unwrap().customers[0].url.clone()
    };
    assert_eq!(link(&[("portal_id", "12345678")]).as_deref(), Some("https://app.hubspot.com/contacts/12345678/record/0-1/51201"));
    assert_eq!(link(&[("portal_id", "12345678"), ("app_host", "app-eu1.hubspot.com")]).as_deref(), Some("https://app-eu1.hubspot.com/contacts/12345678/record/0-1/51201"));
    assert_eq!(link(&[("portal_id", "")]), None);
    assert!(def.base_url_from(&setup(&[("portal_id", "12ab")])).is_err(), "an account id is digits");
}

#[test]
fn salesforce_follow_ups_by_soql() {
    let s = [("instance_url", "https://acme.my.salesforce.com")];
    let sample = definition(ConnectorKind::Salesforce).unwrap().samples[0].answer.clone();
    let mut c = found(ConnectorKind::Salesforce, 0, &cand(IdKind::Email, "emily.chen@brightpath.example"), sample.clone());
    // The classic record link on the instance.
    let def = definition(ConnectorKind::Salesforce).unwrap();
    assert_eq!(map_record(def, "t", "https://acme.my.salesforce.com", &sample["searchRecords"][0]).url.as_deref(), Some("https://acme.my.salesforce.com/003Dn00000QX9fPIAT"));
    // Shapes: the query resource's {totalSize, done, records[]}.
    let reqs = follow_ups(ConnectorKind::Salesforce, &s, &mut c, &[
        json!({"totalSize": 1, "done": true, "records": [{"attributes": {"type": "Opportunity"}, "Id": "006A", "Name": "BrightPath expansion", "StageName": "Negotiation/Review", "Amount": 48000.0, "CloseDate": "2026-12-31"}]}),
        json!({"totalSize": 1, "done": true, "records": [{"attributes": {"type": "Case"}, "Id": "500A", "CaseNumber": "00001026", "Subject": "Login fails", "Status": "New", "Priority": "High", "LastModifiedDate": "2026-11-02T09:30:00.000+0000"}]}),
    ]);
    assert_eq!(q(&reqs[0], "q"), "SELECT Id, Name, StageName, Amount, CloseDate FROM Opportunity WHERE AccountId = '001Dn00000Ab12cIAB' AND IsClosed = false ORDER BY CloseDate LIMIT 20");
    assert_eq!(q(&reqs[1], "q"), "SELECT Id, CaseNumber, Subject, Status, Priority, LastModifiedDate FROM Case WHERE ContactId = '003Dn00000QX9fPIAT' ORDER BY CreatedDate DESC LIMIT 20");
    assert!(reqs.iter().all(|r| r.url.starts_with("https://acme.my.salesforce.com/services/data/v62.0/query/?q=")));
    assert_eq!((c.deals[0].name.as_str(), c.deals[0].amount_minor, c.deals[0].close_date.as_deref()), ("BrightPath expansion", Some(4_800_000), Some("2026-12-31")));
    assert_eq!((c.tickets[0].id.as_str(), c.tickets[0].updated.as_deref()), ("00001026", Some("2026-11-02T09:30:00Z")));
    // A lead has no account: its opportunities are not asked for.
    let lead = found(ConnectorKind::Salesforce, 0, &cand(IdKind::Email, "emily.chen@brightpath.example"), json!({"searchRecords": [sample["searchRecords"][1].clone()]}));
    let base = def.base_url_from(&setup(&s)).unwrap();
    let reqs = related_requests(def, &base, &secrets(ConnectorKind::Salesforce), Some(&Secret::new("t")), &lead, &Stamp::default()).unwrap();
    assert_eq!(reqs.len(), 1);
    assert!(q(&reqs[0], "q").contains("FROM Case WHERE ContactId = '00QDn00000Lk3aBMAR'"));
}

#[test]
fn zendesk_follow_ups_tickets_by_search_and_the_organization() {
    let s = [("subdomain", "acme")];
    let mut c = found(ConnectorKind::Zendesk, 0, &cand(IdKind::Email, "dana.kim@harbor-logistics.example"), definition(ConnectorKind::Zendesk).unwrap().samples[0].answer.clone());
    assert_eq!(c.url.as_deref(), Some("https://api.example.test/agent/users/9873843"));
    // Shapes: the oas.yaml's SearchResponse (results[] with result_type) and OrganizationResponse.
    let reqs = follow_ups(ConnectorKind::Zendesk, &s, &mut c, &[
        json!({"results": [{"id": 35436, "result_type": "ticket", "subject": "Pallet missing", "status": "open", "priority": "high", "updated_at": "2026-11-19T10:00:00Z"}], "count": 1, "next_page": null}),
        json!({"organization": {"id": 57542, "name": "Harbor Logistics"}}),
    ]);
    assert_eq!(urls(&reqs), ["https://acme.zendesk.com/api/v2/search?query=type%3Aticket%20requester%3A9873843&sort_by=created_at&sort_order=desc", "https://acme.zendesk.com/api/v2/organizations/57542"]);
    // Zendesk's status and priority words, as its agents' views name them.
    assert_eq!((c.tickets[0].subject.as_str(), c.tickets[0].status.as_str(), c.tickets[0].priority.as_str()), ("Pallet missing", "Open", "High"));
    assert_eq!(c.company.as_deref(), Some("Harbor Logistics"));
}

#[test]
fn freshdesk_follow_ups_tickets_at_the_top_level_and_the_company() {
    let s = [("domain", "acme")];
    let mut c = found(ConnectorKind::Freshdesk, 0, &cand(IdKind::Email, "wang.fang@lianhe-trade.example"), definition(ConnectorKind::Freshdesk).unwrap().samples[0].answer.clone());
    let reqs = follow_ups(ConnectorKind::Freshdesk, &s, &mut c, &[
        json!([{"id": 1042, "subject": "发票抬头错误", "status": 2, "priority": 3, "requester_id": 43000551234i64, "updated_at": "2026-11-18T06:30:00Z"}]),
        json!({"id": 43000112233i64, "name": "联合贸易有限公司", "domains": ["lianhe-trade.example"]}),
    ]);
    assert_eq!(urls(&reqs), ["https://acme.freshdesk.com/api/v2/tickets?order_by=created_at&order_type=desc&requester_id=43000551234", "https://acme.freshdesk.com/api/v2/companies/43000112233"]);
    assert_eq!((c.tickets[0].subject.as_str(), c.tickets[0].status.as_str(), c.tickets[0].priority.as_str()), ("发票抬头错误", "Open", "High"));
    assert_eq!(c.company.as_deref(), Some("联合贸易有限公司"));
    assert_eq!(c.url.as_deref(), Some("https://api.example.test/a/contacts/43000551234"));
}

#[test]
fn pipedrive_follow_ups_deals_notes_activities_and_the_organization() {
    // A person read by id: its org_id is a number, so its organization is asked for.
    let mut c = found(ConnectorKind::Pipedrive, 0, &cand(IdKind::CustomerId, "1"), json!({"success": true, "data": {"id": 1, "name": "Jane Doe", "org_id": 5, "emails": [{"value": "jane@pipedrive.com", "primary": true}]}}));
    // Shapes: openapi-v2.yaml getStages, getDeals, getActivities, getOrganization; v1 getNotes.
    let reqs = follow_ups(ConnectorKind::Pipedrive, &[], &mut c, &[
        json!({"success": true, "data": [{"id": 1, "name": "Lead In", "pipeline_id": 1, "order_nr": 1}, {"id": 2, "name": "Proposal Made", "pipeline_id": 1, "order_nr": 3}], "additional_data": {"next_cursor": null}}),
        json!({"success": true, "data": [{"id": 77, "title": "Jane's deal", "value": 1500, "currency": "EUR", "expected_close_date": "2026-12-01", "stage_id": 2}, {"id": 78, "title": "Other", "stage_id": 9}]}),
        json!({"success": true, "data": [{"id": 3, "content": "Prefers calls after 3pm", "add_time": "2026-10-01 12:00:00", "user": {"name": "Aino"}}]}),
        json!({"success": true, "data": [{"id": 8, "subject": "Follow-up call", "add_time": "2026-11-01T09:00:00Z", "done": false}]}),
        json!({"success": true, "data": {"id": 5, "name": "Pipedrive OÜ"}}),
    ]);
    assert_eq!(urls(&reqs), [
        "https://api.pipedrive.com/api/v2/stages?limit=500",
        "https://api.pipedrive.com/api/v2/deals?limit=20&person_id=1&sort_by=update_time&sort_direction=desc&status=open",
        "https://api.pipedrive.com/v1/notes?limit=20&person_id=1&sort=add_time%20DESC",
        "https://api.pipedrive.com/api/v2/activities?done=false&limit=20&person_id=1",
        "https://api.pipedrive.com/api/v2/organizations/5"
    ]);
    assert!(reqs.iter().all(|r| header(r, "x-api-token") == Some("api_key-canary")));
    assert_eq!((c.deals[0].amount_minor, c.deals[0].currency.as_deref(), c.deals[0].close_date.as_deref()), (Some(150_000), Some("EUR"), Some("2026-12-01")));
    // The stage by its name in the company's pipelines; an id the stages did not name stays an id.
    assert_eq!(c.deals.iter().map(|d| d.stage.as_str()).collect::<Vec<_>>(), ["Proposal Made", "9"]);
    let notes: Vec<(&str, Option<&str>)> = c.notes.iter().map(|n| (n.text.as_str(), n.date.as_deref())).collect();
    assert_eq!(notes, [("Prefers calls after 3pm", Some("2026-10-01T12:00:00")), ("Follow-up call", Some("2026-11-01T09:00:00Z"))]);
    assert_eq!(c.company.as_deref(), Some("Pipedrive OÜ"));
    // A search hit names its organization already: no organization request.
    let mut hit = found(ConnectorKind::Pipedrive, 0, &cand(IdKind::Email, "jane@pipedrive.com"), definition(ConnectorKind::Pipedrive).unwrap().samples[0].answer.clone());
    let ok = json!({"success": true, "data": []});
    assert_eq!(follow_ups(ConnectorKind::Pipedrive, &[], &mut hit, &[ok.clone(), ok.clone(), ok.clone(), ok]).len(), 4);
}

#[test]
fn zoho_follow_ups_depend_on_the_module_the_record_was_found_in() {
    let sample = definition(ConnectorKind::ZohoCrm).unwrap().samples[0].answer.clone();
    let mut contact = found(ConnectorKind::ZohoCrm, 0, &cand(IdKind::Email, "ananya.iyer@kaveri-foods.example"), sample.clone());
    // Shapes: related_records.json Get Related Records (data[], info), fields of the v8 guide.
    let reqs = follow_ups(ConnectorKind::ZohoCrm, &[("dc", ".in")], &mut contact, &[
        json!({"data": [{"id": "5725767000000600001", "Deal_Name": "Kaveri Q4 supply", "Stage": "Negotiation", "Amount": 250000, "Currency": "INR", "Closing_Date": "2026-12-20"}], "info": {"count": 1, "more_records": false}}),
        json!({"data": [{"id": "5725767000000700001", "Note_Title": "Call", "Note_Content": "Wants a volume discount", "Created_Time": "2026-11-02T10:15:42+05:30", "Owner": {"name": "Ravi", "id": "1"}}], "info": {"count": 1}}),
    ]);
    let paths: Vec<&str> = reqs.iter().map(|r| r.url.split_once('?').unwrap().0).collect();
    assert_eq!(paths, ["https://www.zohoapis.in/crm/v8/Contacts/5725767000000412001/Deals", "https://www.zohoapis.in/crm/v8/Contacts/5725767000000412001/Notes"]);
    assert!(reqs.iter().all(|r| header(r, "Authorization") == Some("Zoho-oauthtoken token-canary")));
    assert_eq!((contact.deals[0].name.as_str(), contact.deals[0].amount_minor, contact.deals[0].currency.as_deref()), ("Kaveri Q4 supply", Some(25_000_000), Some("INR")));
    assert_eq!((contact.notes[0].text.as_str(), contact.notes[0].author.as_deref(), contact.notes[0].date.as_deref()), ("Wants a volume discount", Some("Ravi"), Some("2026-11-02T04:45:42Z")));
    // A lead (found by the Leads search) has notes, and no deals; "no content" (204) is none.
    let mut lead = found(ConnectorKind::ZohoCrm, 1, &cand(IdKind::Email, "ananya.iyer@kaveri-foods.example"), sample);
    let def = definition(ConnectorKind::ZohoCrm).unwrap();
    let base = def.base_url_from(&setup(&[])).unwrap();
    let reqs = related_requests(def, &base, &secrets(ConnectorKind::ZohoCrm), Some(&Secret::new("t")), &lead, &Stamp::default()).unwrap();
    assert_eq!(reqs.iter().map(|r| r.url.split_once('?').unwrap().0).collect::<Vec<_>>(), ["https://www.zohoapis.com/crm/v8/Leads/5725767000000412001/Notes"]);
    read_related(def, 0, &reqs[0].url, &HttpResponse { status: 204, ..Default::default() }, &mut lead).unwrap();
    assert!(lead.notes.is_empty());
}

#[test]
fn intercom_follow_ups_companies_conversations_notes() {
    let mut c = found(ConnectorKind::Intercom, 0, &cand(IdKind::Email, "joe@bloggs.com"), json!({"type": "list", "data": [{"type": "contact", "id": "6762f0d01bb69f9f2193bb7d", "email": "joe@bloggs.com", "name": "Joe Bloggs"}], "total_count": 1}));
    // Shapes and examples: api.intercom.io.yaml company_attached_contacts?, conversation_list, note_list.
    let reqs = follow_ups(ConnectorKind::Intercom, &[], &mut c, &[
        json!({"type": "list", "data": [{"type": "company", "id": "6762f0d51bb69f9f2193bb80", "name": "Bloggs Ltd"}], "total_count": 1}),
        json!({"type": "conversation.list", "conversations": [{"type": "conversation", "id": "147", "title": null, "source": {"subject": "Refund please"}, "state": "open", "priority": "priority", "updated_at": 1763424000}], "total_count": 1}),
        json!({"type": "list", "data": [{"type": "note", "id": "17495962", "created_at": 1763424000, "body": "<p>VIP since 2024</p>", "author": {"name": "Ciaran"}}], "total_count": 1}),
    ]);
    assert_eq!(urls(&reqs), ["https://api.intercom.io/contacts/6762f0d01bb69f9f2193bb7d/companies", "https://api.intercom.io/conversations/search", "https://api.intercom.io/contacts/6762f0d01bb69f9f2193bb7d/notes"]);
    assert_eq!(body(&reqs[1]), json!({"query": {"field": "contact_ids", "operator": "=", "value": "6762f0d01bb69f9f2193bb7d"}, "pagination": {"per_page": 20}}));
    assert!(reqs.iter().all(|r| header(r, "Intercom-Version") == Some("2.14")));
    assert_eq!(c.company.as_deref(), Some("Bloggs Ltd"));
    assert_eq!((c.tickets[0].subject.as_str(), c.tickets[0].status.as_str(), c.tickets[0].priority.as_str(), c.tickets[0].updated.as_deref()), ("Refund please", "Open", "Priority", Some("2025-11-18")));
    assert_eq!((c.notes[0].author.as_deref(), c.notes[0].date.as_deref()), (Some("Ciaran"), Some("2025-11-18")));
}

/// A record link made of the connector's setup values and the record's own.
fn link_with(kind: ConnectorKind, attempt: usize, id: &Candidate, answer: Value, values: &[(&str, &str)]) -> Option<String> {
    let def = definition(kind).unwrap();
    let resp = HttpResponse { status: 200, body: answer.to_string(), ..Default::default() };
    crate::connector::engine::read_answer_with(def, &def.lookups_for(id.kind)[attempt], "t", id, "https://api.example.test/x", &resp, &setup(values)).unwrap().customers[0].url.clone()
}

#[test]
fn intercom_and_zoho_records_link_to_the_workspace_and_organization() {
    // Intercom: the contact's workspace id (in the record) and the app host of the region the admin picked.
    let contact = json!({"type": "list", "data": [{"type": "contact", "id": "6762f0d01bb69f9f2193bb7d", "workspace_id": "ecahpwf5", "email": "joe@bloggs.com"}], "total_count": 1});
    let joe = cand(IdKind::Email, "joe@bloggs.com");
    assert_eq!(link_with(ConnectorKind::Intercom, 0, &joe, contact.clone(), &[]).as_deref(), Some("https://app.intercom.com/a/apps/ecahpwf5/users/6762f0d01bb69f9f2193bb7d/all-conversations"));
    assert_eq!(link_with(ConnectorKind::Intercom, 0, &joe, contact.clone(), &[("region", "api.eu.intercom.io")]).as_deref(), Some("https://app.eu.intercom.com/a/apps/ecahpwf5/users/6762f0d01bb69f9f2193bb7d/all-conversations"));
    assert_eq!(link_with(ConnectorKind::Intercom, 0, &joe, contact, &[("region", "api.au.intercom.io")]).as_deref(), Some("https://app.au.intercom.com/a/apps/ecahpwf5/users/6762f0d01bb69f9f2193bb7d/all-conversations"));
    // Zoho: the data centre's CRM host, the organization (optional), and the module the lookup searched.
    let sample = definition(ConnectorKind::ZohoCrm).unwrap().samples[0].answer.clone();
    let ananya = cand(IdKind::Email, "ananya.iyer@kaveri-foods.example");
    assert_eq!(link_with(ConnectorKind::ZohoCrm, 0, &ananya, sample.clone(), &[("dc", ".in")]), None, "no organization, no link");
    assert_eq!(link_with(ConnectorKind::ZohoCrm, 0, &ananya, sample.clone(), &[("dc", ".in"), ("org", "org60012345")]).as_deref(), Some("https://crm.zoho.in/crm/org60012345/tab/Contacts/5725767000000412001"));
    assert_eq!(link_with(ConnectorKind::ZohoCrm, 1, &ananya, sample, &[("dc", ".com.cn"), ("org", "org60012345")]).as_deref(), Some("https://crm.zoho.com.cn/crm/org60012345/tab/Leads/5725767000000412001"));
    // The organization is checked like every setup value; the base URL does not depend on it.
    let def = definition(ConnectorKind::ZohoCrm).unwrap();
    assert!(def.base_url_from(&setup(&[("org", "org/../x")])).is_err());
    assert_eq!(def.setup_from_base(&BaseUrl::parse("https://www.zohoapis.eu/crm/v8").unwrap()).get("dc").map(String::as_str), Some(".eu"));
}
