use super::*;
use crate::connector::def::DefError;
use serde_json::json;

fn def_with(writes: Value) -> Result<Definition, Vec<DefError>> {
    let v = json!({
        "id": "acme", "name": "Acme", "auth": { "kind": "bearer" },
        "lookups": { "email": [{ "path": "/people", "query": { "email": "{value}" } }] },
        "results": { "list": "/data" }, "map": { "id": "/id", "name": "/name" },
        "writes": writes
    });
    Definition::parse(&v.to_string())
}

fn note_verify() -> Value {
    json!({
        "note": {
            "method": "POST", "path": "/people/{record_id}/notes",
            "body": { "person_id": "{record_id:number}", "html": "{note:html}", "plain": "{note}", "priority": "{priority}", "when": "{now}" },
            "id": "/data/id", "link": "https://app.acme.test/notes/{id}",
            "verify": { "path": "/people/{record_id}/notes", "query": { "q": "{marker}" }, "list": "/data", "text": "/plain" }
        },
        "task": {
            "path": "/tasks", "body": { "subject": "{subject}", "due": "{due}", "owner": "{owner}", "person": "{record_id}", "body": "{note}" },
            "id": "/id", "link": "{origin}/people/{record_id}/tasks/{id}", "priorities": ["low", "high"],
            "idempotency_key": "Idempotency-Key"
        }
    })
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://api.acme.test").unwrap()
}

fn secrets() -> Secrets {
    BTreeMap::from([("api_key".to_string(), Secret::new("k-1"))])
}

fn input() -> WriteInput {
    WriteInput { record_id: "42".into(), ticket_url: "https://help.acme.test/tickets/7".into(), subject: "Refund <b>now</b>".into(), status: "open".into(), text: "Called back & \"fixed\"\nline 2".into(), ..Default::default() }
}

const OP: &str = "op-0123456789abcdef";

#[test]
fn a_note_is_built_through_its_encoders() {
    let d = def_with(note_verify()).unwrap();
    let r = build_write(&d, &base(), &secrets(), None, &Stamp::new(1_764_482_400_000, "n"), WriteKind::Note, &input(), OP).unwrap();
    assert_eq!(r.url, "https://api.acme.test/people/42/notes");
    assert_eq!(r.method, super::super::Method::Post);
    let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["person_id"], json!(42), "{{record_id:number}} is a JSON number");
    let plain = body["plain"].as_str().unwrap();
    assert_eq!(plain, "Refund <b>now</b> [open]\nhttps://help.acme.test/tickets/7\n\nCalled back & \"fixed\"\nline 2\n\n[deskside:op-0123456789abcdef]");
    let html = body["html"].as_str().unwrap();
    assert!(html.starts_with("Refund &lt;b&gt;now&lt;/b&gt; [open]<br>"), "{html}");
    assert!(html.contains("Called back &amp; &quot;fixed&quot;<br>line 2"), "{html}");
    assert!(!html.contains('<') || !html.contains("<b>"));
    assert!(body.get("priority").is_none(), "a value left empty is left out");
    assert_eq!(body["when"], json!("2025-11-30T06:00:00Z"));
    assert!(r.headers.iter().any(|(k, v)| k == "Authorization" && v == "Bearer k-1"));
    assert!(!r.headers.iter().any(|(k, _)| k == "Idempotency-Key"), "the note is checked by verify");
}

#[test]
fn a_path_value_is_one_segment_and_never_a_step() {
    let d = def_with(note_verify()).unwrap();
    let mut i = input();
    i.record_id = "a/../b?x".into();
    let r = build_write(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Note, &i, OP);
    // Not a number: the body's {record_id:number} refuses it.
    assert!(matches!(r, Err(LookupError::Config { .. })));
    let mut d2 = d.clone();
    d2.writes.note.as_mut().unwrap().body = Some(json!({ "x": "{note}" }));
    let r = build_write(&d2, &base(), &secrets(), None, &Stamp::default(), WriteKind::Note, &i, OP).unwrap();
    assert_eq!(r.url, "https://api.acme.test/people/a%2F..%2Fb%3Fx/notes");
    i.record_id = "..".into();
    assert!(build_write(&d2, &base(), &secrets(), None, &Stamp::default(), WriteKind::Note, &i, OP).is_err());
}

#[test]
fn a_task_carries_the_idempotency_key_and_its_optional_fields() {
    let d = def_with(note_verify()).unwrap();
    let i = WriteInput { record_id: "42".into(), ticket_url: "https://help.acme.test/tickets/7".into(), subject: "Call back".into(), due: "2026-12-01".into(), ..Default::default() };
    let r = build_write(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Task, &i, OP).unwrap();
    assert!(r.headers.iter().any(|(k, v)| k == "Idempotency-Key" && v == OP));
    let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["subject"], json!("Call back"));
    assert_eq!(body["due"], json!("2026-12-01"));
    assert!(body.get("owner").is_none());
    assert_eq!(body["body"], json!("https://help.acme.test/tickets/7\n\n[deskside:op-0123456789abcdef]"));
    assert!(build_verify(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Task, "42", OP).is_none(), "the key is the check");
    let task = d.writes.task.as_ref().unwrap();
    assert!(task.uses("owner") && task.uses("due") && !task.uses("priority"));
    assert_eq!(i.problem(WriteKind::Task, task), None);
    let bad = WriteInput { priority: "urgent".into(), ..i.clone() };
    assert_eq!(bad.problem(WriteKind::Task, task).unwrap().id, Msg::WriteBadPriority);
    let bad = WriteInput { due: "2026-02-30".into(), ..i.clone() };
    assert_eq!(bad.problem(WriteKind::Task, task).unwrap().id, Msg::WriteBadDue);
    let bad = WriteInput { subject: String::new(), ..i };
    assert_eq!(bad.problem(WriteKind::Task, task).unwrap().id, Msg::WriteNeedSubject);
}

#[test]
fn a_value_needed_inside_a_text_must_be_given() {
    let mut w = note_verify();
    w["task"]["body"]["due"] = json!("{due}T09:00:00Z");
    let d = def_with(w).unwrap();
    let i = WriteInput { record_id: "42".into(), subject: "Call back".into(), ..Default::default() };
    let e = build_write(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Task, &i, OP).unwrap_err();
    assert_eq!(e, LookupError::Config { message: Text::new(Msg::WriteMissingValue, [data("due")]) });
}

#[test]
fn the_created_id_and_link_are_read_from_the_answer() {
    let d = def_with(note_verify()).unwrap();
    let c = read_created(&d, WriteKind::Note, "https://api.acme.test", "42", r#"{"data":{"id":9001}}"#);
    assert_eq!(c, Created { id: Some("9001".into()), link: Some("https://app.acme.test/notes/9001".into()) });
    let c = read_created(&d, WriteKind::Task, "https://api.acme.test", "42", r#"{"id":"t 1"}"#);
    assert_eq!(c.link.as_deref(), Some("https://api.acme.test/people/42/tasks/t%201"));
    // Landed, but the answer does not say what: no id, no link.
    assert_eq!(read_created(&d, WriteKind::Note, "https://api.acme.test", "42", "<html>"), Created::default());
}

#[test]
fn verify_finds_the_marker_or_says_it_is_not_there() {
    let d = def_with(note_verify()).unwrap();
    let r = build_verify(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Note, "42", OP).unwrap().unwrap();
    assert_eq!(r.url, "https://api.acme.test/people/42/notes?q=%5Bdeskside%3Aop-0123456789abcdef%5D");
    let long = format!("{}\n\n[deskside:{OP}]", "x".repeat(2000));
    let ok = |body: Value| HttpResponse { status: 200, body: body.to_string(), ..Default::default() };
    let found = read_verify(&d, WriteKind::Note, "https://api.acme.test", "42", OP, &r.url, &ok(json!({"data": [{"id": 1, "plain": "other"}, {"id": 2, "plain": long}]}))).unwrap();
    assert_eq!(found, Some(Created { id: Some("2".into()), link: Some("https://app.acme.test/notes/2".into()) }));
    let other_op = read_verify(&d, WriteKind::Note, "https://api.acme.test", "42", "op-ffffffffffffffff", &r.url, &ok(json!({"data": [{"id": 2, "plain": long}]}))).unwrap();
    assert_eq!(other_op, None);
    assert_eq!(read_verify(&d, WriteKind::Note, "o", "42", OP, &r.url, &ok(json!({"data": []}))).unwrap(), None);
    // Never "not there" from an answer that is not the list.
    assert!(read_verify(&d, WriteKind::Note, "o", "42", OP, &r.url, &ok(json!({"error": "x"}))).is_err());
    assert!(read_verify(&d, WriteKind::Note, "o", "42", OP, &r.url, &HttpResponse { status: 503, ..Default::default() }).is_err());
    assert!(read_verify(&d, WriteKind::Note, "o", "42", OP, &r.url, &HttpResponse { status: 200, body: "<html>".into(), ..Default::default() }).is_err());
}

#[test]
fn problems_are_named_by_path() {
    let w = json!({
        "note": {
            "path": "/notes/../x", "query": { "q": "{value}" }, "headers": { "Authorization": "x" },
            "body": { "n": "{text:number}", "m": "{note:soql}" }, "id": "data", "link": "http://evil.test/{id}",
            "verify": { "method": "GET", "path": "/notes", "body": { "x": "{text}" }, "list": "/data", "text": "plain" }
        },
        "task": { "path": "/tasks", "body": { "s": "{subject}" }, "idempotency_key": "Cookie" }
    });
    let errors = def_with(w).unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    for p in ["writes.note.path", "writes.note.query.q", "writes.note.headers.Authorization", "writes.note.body.n", "writes.note.body.m", "writes.note.id", "writes.note.link", "writes.note.verify.body", "writes.note.verify.body.x", "writes.note.verify.text", "writes.task", "writes.task.idempotency_key"] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    // A write that cannot be checked is refused when read.
    let e = def_with(json!({ "note": { "path": "/notes", "body": { "x": "{note} {record_id}" } } })).unwrap_err();
    assert!(e[0].path.is_empty() && format!("{:?}", e[0].message).contains("idempotency_key"));
    let e = def_with(json!({ "comment": {} })).unwrap_err();
    assert!(format!("{:?}", e[0].message).contains("unknown field writes.comment"));
}

#[test]
fn html_text_escapes_markup() {
    assert_eq!(html_text("<script>alert('x')</script>\r\nok & done"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;<br>ok &amp; done");
}

#[test]
fn compose_and_dates() {
    let i = WriteInput { ticket_url: "https://h.test/t/1".into(), ..Default::default() };
    assert_eq!(compose(WriteKind::Note, &i, ""), "https://h.test/t/1");
    assert!(valid_date("2028-02-29") && !valid_date("2027-02-29") && !valid_date("2026-13-01") && !valid_date("2026-1-01") && !valid_date("２０２６-01-01"));
    assert!(op_id_ok(OP) && !op_id_ok("op-short") && !op_id_ok("op-0123456789abcdef]") && !op_id_ok("0123456789abcdef"));
    let c = WriteInput { text: " a\u{0}b\n\u{202e}c ".into(), subject: "s\nt".into(), ..Default::default() }.cleaned();
    assert_eq!((c.text.as_str(), c.subject.as_str()), ("ab\n\u{202e}c", "st"));
}

#[test]
fn the_test_apis_definition_writes_notes_and_tasks() {
    let d = Definition::parse(include_str!("../../../../tests/testapi/definition.json")).unwrap();
    let base = BaseUrl::parse("http://127.0.0.1:8650").unwrap();
    let token = Secret::new("tok");
    let secrets = BTreeMap::from([("client_id".to_string(), Secret::new("id")), ("client_secret".to_string(), Secret::new("s"))]);
    let i = WriteInput { record_id: "P-1001".into(), ticket_url: "http://127.0.0.1:8600/tickets/1".into(), subject: "<b>Refund</b>".into(), status: "open".into(), text: "a & b".into(), ..Default::default() };
    let r = build_write(&d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, &i, OP).unwrap();
    assert_eq!(r.url, "http://127.0.0.1:8650/v2/people/P-1001/notes");
    assert!(r.headers.iter().any(|(k, v)| k == "Authorization" && v == "Bearer tok"));
    let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["body_html"], json!("&lt;b&gt;Refund&lt;/b&gt; [open]<br>http://127.0.0.1:8600/tickets/1<br><br>a &amp; b<br><br>[deskside:op-0123456789abcdef]"));
    assert_eq!(body["subject"], json!("<b>Refund</b>"), "a JSON string field: as typed");
    let v = build_verify(&d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, "P-1001", OP).unwrap().unwrap();
    assert_eq!(v.url, "http://127.0.0.1:8650/v2/people/P-1001/notes?contains=%5Bdeskside%3Aop-0123456789abcdef%5D");
    let t = WriteInput { record_id: "P-1001".into(), subject: "Call back".into(), due: "2026-12-01".into(), priority: "high".into(), ..Default::default() };
    let r = build_write(&d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, &t, OP).unwrap();
    assert!(r.headers.iter().any(|(k, v)| k == "Idempotency-Key" && v == OP));
    let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({ "person_id": "P-1001", "title": "Call back", "due_on": "2026-12-01", "priority": "high", "details": "[deskside:op-0123456789abcdef]" }));
    assert_eq!(read_created(&d, WriteKind::Task, "http://127.0.0.1:8650", "P-1001", r#"{"result":{"task":{"task_id":"T-1"}}}"#).link.as_deref(), Some("https://crm.testapi.example/tasks/T-1"));
}

/// HubSpot's facts (CRM v3 objects API): a note or task is created with
/// `properties` and `associations` to the contact (note→contact type 202,
/// task→contact 204, HUBSPOT_DEFINED), `hs_timestamp` required, the note
/// body HTML; task status, type and priority from HubSpot's enumerations.
#[test]
fn hubspot_writes_notes_and_tasks_associated_with_the_contact() {
    let d = crate::connector::presets::definition(crate::config::ConnectorKind::HubSpot).unwrap();
    let base = BaseUrl::parse("https://api.hubapi.com").unwrap();
    let secrets = BTreeMap::from([("api_key".to_string(), Secret::new("pat-1"))]);
    let i = WriteInput { record_id: "501".into(), ticket_url: "https://acme.zendesk.com/agent/tickets/7".into(), subject: "Parcel <missing>".into(), status: "open".into(), text: "Re-sent".into(), ..Default::default() };
    let r = build_write(d, &base, &secrets, None, &Stamp::new(1_764_482_400_000, "n"), WriteKind::Note, &i, OP).unwrap();
    assert_eq!((r.method, r.url.as_str()), (super::super::Method::Post, "https://api.hubapi.com/crm/v3/objects/notes"));
    let b: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(b["properties"]["hs_timestamp"], json!("2025-11-30T06:00:00Z"));
    assert!(b["properties"]["hs_note_body"].as_str().unwrap().starts_with("Parcel &lt;missing&gt; [open]<br>https://acme.zendesk.com/agent/tickets/7"));
    assert_eq!(b["associations"], json!([{ "to": { "id": "501" }, "types": [{ "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202 }] }]));
    let v = build_verify(d, &base, &secrets, None, &Stamp::default(), WriteKind::Note, "501", OP).unwrap().unwrap();
    assert_eq!(v.url, "https://api.hubapi.com/crm/v3/objects/notes/search");
    let vb: Value = serde_json::from_str(v.body.as_deref().unwrap()).unwrap();
    assert_eq!(vb["filterGroups"][0]["filters"][0]["value"], json!("501"));
    let t = WriteInput { record_id: "501".into(), subject: "Call back".into(), due: "2026-12-15".into(), priority: "HIGH".into(), ..Default::default() };
    let r = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Task, &t, OP).unwrap();
    let b: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(r.url, "https://api.hubapi.com/crm/v3/objects/tasks");
    assert_eq!(b["properties"], json!({ "hs_timestamp": "2026-12-15T09:00:00Z", "hs_task_subject": "Call back", "hs_task_body": "[deskside:op-0123456789abcdef]", "hs_task_status": "NOT_STARTED", "hs_task_type": "TODO", "hs_task_priority": "HIGH" }));
    assert_eq!(b["associations"][0]["types"][0]["associationTypeId"], json!(204));
    // HubSpot's task needs its due date (hs_timestamp).
    let e = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Task, &WriteInput { due: String::new(), ..t }, OP).unwrap_err();
    assert_eq!(e, LookupError::Config { message: Text::new(Msg::WriteMissingValue, [data("due")]) });
    let found = read_verify(d, WriteKind::Note, "https://api.hubapi.com", "501", OP, &v.url, &HttpResponse { status: 200, body: json!({ "total": 1, "results": [{ "id": "7777", "properties": { "hs_note_body": format!("x<br><br>[deskside:{OP}]") } }] }).to_string(), ..Default::default() }).unwrap();
    assert_eq!(found.unwrap().id.as_deref(), Some("7777"));
}
