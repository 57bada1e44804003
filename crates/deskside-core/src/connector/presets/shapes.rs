//! Each shipped preset's requests, exactly: the URL, headers and body of an
//! email and a phone lookup (every attempt), and the base URL its setup
//! values make. The vendors' own descriptions check the same requests in
//! `tests/contract/`; these pin them so a change is seen in review.

use super::definition;
use crate::config::ConnectorKind;
use crate::connector::engine::{build_requests, Secrets};
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
    build_requests(def, &base, &secrets(kind), None, id, &crate::connector::Stamp::default()).unwrap()
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
    assert!(q.starts_with(r"FIND {o\'brien\+x@acme.test} IN EMAIL FIELDS RETURNING Contact(Id, Name, Email,"), "{q}");
    assert!(q.contains("Lead(") && q.contains("WHERE IsConverted = false") && q.ends_with("LIMIT 20"), "{q}");
    assert_eq!(header(&rs[0], "Authorization"), Some("Bearer api_key-canary"));
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
    assert_eq!(header(&rs[0], "Authorization"), Some("Bearer api_key-canary"));
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
