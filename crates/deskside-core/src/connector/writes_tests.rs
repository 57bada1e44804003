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
    assert!(build_verify(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Task, "42", "", OP).is_none(), "the key is the check");
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
    let r = build_verify(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Note, "42", "", OP).unwrap().unwrap();
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
    // A body per record type is checked like the body, named by its type.
    let e = def_with(json!({ "task": { "path": "/tasks", "body": { "s": "{subject}", "r": "{record_id}" }, "body_for": { "Leads": { "s": "{value}" } }, "idempotency_key": "Idempotency-Key" } })).unwrap_err();
    assert_eq!(e.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["writes.task.body_for.Leads.s"]);
    let e = def_with(json!({ "task": { "path": "/tasks", "body_for": ["Leads"], "idempotency_key": "Idempotency-Key" } })).unwrap_err();
    assert!(format!("{:?}", e[0].message).contains("body_for"), "{e:?}");
    // Not on "apply priority", which writes the page's ticket, never a record.
    assert!(def_with(json!({ "priority": { "method": "PUT", "path": "/tickets/{ticket_id}", "body": { "p": "{priority}" }, "body_for": { "Leads": {} }, "apply": "urgent" } })).is_err());
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
    let v = build_verify(&d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, "P-1001", "", OP).unwrap().unwrap();
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
    let v = build_verify(d, &base, &secrets, None, &Stamp::default(), WriteKind::Note, "501", "", OP).unwrap().unwrap();
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

fn preset(kind: crate::config::ConnectorKind) -> &'static Definition {
    crate::connector::presets::definition(kind).unwrap()
}

fn body_of(r: &HttpRequest) -> Value {
    serde_json::from_str(r.body.as_deref().unwrap()).unwrap()
}

fn answer(status: u16, body: Value) -> HttpResponse {
    HttpResponse { status, body: body.to_string(), ..Default::default() }
}

fn agent_note(record_id: &str) -> WriteInput {
    WriteInput { record_id: record_id.into(), ticket_url: "https://acme.zendesk.com/agent/tickets/7".into(), subject: "Parcel <missing>".into(), status: "open".into(), text: "Re-sent & \"tracked\"".into(), ..Default::default() }
}

fn agent_task(record_id: &str, owner: &str, priority: &str) -> WriteInput {
    WriteInput { record_id: record_id.into(), subject: "Call back".into(), due: "2026-12-15".into(), owner: owner.into(), priority: priority.into(), text: "ask about <b>ORD-1</b>".into(), ..Default::default() }
}

/// Salesforce (REST API, sObject Create `POST …/sobjects/Task`): a logged note
/// is a completed Task on the contact or lead (WhoId), its text in the plain
/// text Description; a follow-up is an open Task with ActivityDate, OwnerId and
/// Priority (the standard picklist High, Normal, Low). No idempotency key in
/// the REST API: a lost answer is checked by a SOQL query of the record's Tasks
/// for the marker, the record id a quoted SOQL literal.
#[test]
fn salesforce_writes_tasks_on_the_contact() {
    let d = preset(crate::config::ConnectorKind::Salesforce);
    let base = BaseUrl::parse("https://acme.my.salesforce.com/services/data/v62.0").unwrap();
    let secrets = BTreeMap::from([("client_id".to_string(), Secret::new("c")), ("client_secret".to_string(), Secret::new("s")), ("refresh_token".to_string(), Secret::new("r"))]);
    let token = Secret::new("00D!tok");
    let r = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, &agent_note("003Dn00000QX9fPIAT"), OP).unwrap();
    assert_eq!((r.method, r.url.as_str()), (super::super::Method::Post, "https://acme.my.salesforce.com/services/data/v62.0/sobjects/Task"));
    assert!(r.headers.iter().any(|(k, v)| k == "Authorization" && v == "Bearer 00D!tok"));
    let b = body_of(&r);
    assert_eq!(b["WhoId"], json!("003Dn00000QX9fPIAT"));
    assert_eq!(b["Status"], json!("Completed"));
    assert_eq!(b["Subject"], json!("Parcel <missing>"), "a JSON string: as typed");
    assert!(b["Description"].as_str().unwrap().ends_with("Re-sent & \"tracked\"\n\n[deskside:op-0123456789abcdef]"), "plain text: {b}");
    let t = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, &agent_task("003Dn00000QX9fPIAT", "005Dn000001AbCdIAK", "High"), OP).unwrap();
    assert_eq!(body_of(&t), json!({ "WhoId": "003Dn00000QX9fPIAT", "Subject": "Call back", "Description": "ask about <b>ORD-1</b>\n\n[deskside:op-0123456789abcdef]",
        "ActivityDate": "2026-12-15", "OwnerId": "005Dn000001AbCdIAK", "Priority": "High", "Status": "Not Started", "TaskSubtype": "Task" }));
    // Owner and priority are optional; a priority Salesforce does not have is refused before sending.
    let bare = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, &agent_task("003Dn00000QX9fPIAT", "", ""), OP).unwrap();
    assert!(body_of(&bare).get("OwnerId").is_none() && body_of(&bare).get("Priority").is_none());
    assert!(agent_task("003X", "", "Urgent").problem(WriteKind::Task, d.writes.task.as_ref().unwrap()).is_some());
    // The check: a SOQL literal, whatever the id holds.
    let v = build_verify(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, "003Dn'x", "", OP).unwrap().unwrap();
    assert_eq!(v.url, format!("https://acme.my.salesforce.com/services/data/v62.0/query/?q={}", encode_component("SELECT Id, Description FROM Task WHERE WhoId = '003Dn\\'x' ORDER BY CreatedDate DESC LIMIT 100")));
    let created = read_created(d, WriteKind::Note, "https://acme.my.salesforce.com", "003Dn00000QX9fPIAT", r#"{"id":"00TDn00000abcdEMAQ","success":true,"errors":[]}"#);
    assert_eq!((created.id.as_deref(), created.link.as_deref()), (Some("00TDn00000abcdEMAQ"), Some("https://acme.my.salesforce.com/00TDn00000abcdEMAQ")));
    let found = read_verify(d, WriteKind::Task, "https://acme.my.salesforce.com", "003X", OP, &v.url, &answer(200, json!({ "totalSize": 2, "done": true, "records": [
        { "attributes": { "type": "Task" }, "Id": "00T1", "Description": null },
        { "attributes": { "type": "Task" }, "Id": "00T2", "Description": format!("x\n\n[deskside:{OP}]") }] }))).unwrap();
    assert_eq!(found.unwrap().id.as_deref(), Some("00T2"));
}

/// Pipedrive: a note is v1 `POST /v1/notes` (`content` HTML, `person_id` a
/// number), a follow-up a v2 `POST /api/v2/activities` (type task, due_date,
/// owner_id a number, the note HTML). Checked by listing the person's notes
/// (v1) or activities (v2) for the marker.
#[test]
fn pipedrive_writes_notes_and_activities_on_the_person() {
    let d = preset(crate::config::ConnectorKind::Pipedrive);
    let base = BaseUrl::parse("https://api.pipedrive.com").unwrap();
    let secrets = BTreeMap::from([("api_key".to_string(), Secret::new("pd-1"))]);
    let r = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Note, &agent_note("1"), OP).unwrap();
    assert_eq!(r.url, "https://api.pipedrive.com/v1/notes");
    assert!(r.headers.iter().any(|(k, v)| k == "x-api-token" && v == "pd-1"));
    let b = body_of(&r);
    assert_eq!(b["person_id"], json!(1));
    assert_eq!(b["content"], json!("Parcel &lt;missing&gt; [open]<br>https://acme.zendesk.com/agent/tickets/7<br><br>Re-sent &amp; &quot;tracked&quot;<br><br>[deskside:op-0123456789abcdef]"));
    let t = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Task, &agent_task("1", "17", ""), OP).unwrap();
    assert_eq!(t.url, "https://api.pipedrive.com/api/v2/activities");
    assert_eq!(body_of(&t), json!({ "subject": "Call back", "type": "task", "due_date": "2026-12-15", "owner_id": 17, "person_id": 1, "note": "ask about &lt;b&gt;ORD-1&lt;/b&gt;<br><br>[deskside:op-0123456789abcdef]", "done": false }));
    // An owner is a user id: digits only.
    assert!(build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Task, &agent_task("1", "Ann", ""), OP).is_err());
    assert!(!d.writes.task.as_ref().unwrap().uses("priority"), "Pipedrive's priority is a number of the account's own list: not asked");
    let v = build_verify(d, &base, &secrets, None, &Stamp::default(), WriteKind::Note, "1", "", OP).unwrap().unwrap();
    assert_eq!(v.url, "https://api.pipedrive.com/v1/notes?limit=100&person_id=1&sort=add_time%20DESC");
    assert_eq!(read_created(d, WriteKind::Note, "https://api.pipedrive.com", "1", r#"{"success":true,"data":{"id":881,"content":"x"}}"#).id.as_deref(), Some("881"));
    let v = build_verify(d, &base, &secrets, None, &Stamp::default(), WriteKind::Task, "1", "", OP).unwrap().unwrap();
    let found = read_verify(d, WriteKind::Task, "https://api.pipedrive.com", "1", OP, &v.url, &answer(200, json!({ "success": true, "data": [{ "id": 5, "note": null }, { "id": 6, "note": format!("<p>x</p><br>[deskside:{OP}]") }] }))).unwrap();
    assert_eq!(found.unwrap().id.as_deref(), Some("6"));
}

/// Zoho CRM: a note is `POST /crm/v8/Notes` (Body_Wrapper, Parent_Id the
/// contact), a follow-up `POST /crm/v8/Tasks` (Who_Id the contact, Due_Date,
/// Priority from Zoho's picklist, Owner); the created id in
/// `data[0].details.id`. Checked by the contact's related Notes or Tasks; a
/// related list without records answers 204, which is "not there".
#[test]
fn zoho_writes_notes_and_tasks_on_the_contact_and_the_lead() {
    let d = preset(crate::config::ConnectorKind::ZohoCrm);
    let base = BaseUrl::parse("https://www.zohoapis.com/crm/v8").unwrap();
    let secrets = BTreeMap::from([("client_id".to_string(), Secret::new("c")), ("client_secret".to_string(), Secret::new("s")), ("refresh_token".to_string(), Secret::new("r"))]);
    let token = Secret::new("1000.tok");
    let contact = WriteInput { record_type: "Contacts".into(), ..agent_note("5725767000000412001") };
    let r = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, &contact, OP).unwrap();
    assert_eq!(r.url, "https://www.zohoapis.com/crm/v8/Notes");
    let b = body_of(&r);
    assert_eq!(b["data"][0]["Parent_Id"], json!({ "module": { "api_name": "Contacts" }, "id": "5725767000000412001" }));
    // A lead (found by the Leads search): the note goes to Leads, and is checked there.
    let lead = WriteInput { record_type: "Leads".into(), ..agent_note("5725767000000500002") };
    let l = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, &lead, OP).unwrap();
    assert_eq!(body_of(&l)["data"][0]["Parent_Id"], json!({ "module": { "api_name": "Leads" }, "id": "5725767000000500002" }));
    let lv = build_verify(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, "5725767000000500002", "Leads", OP).unwrap().unwrap();
    assert!(lv.url.starts_with("https://www.zohoapis.com/crm/v8/Leads/5725767000000500002/Notes?"), "{}", lv.url);
    // A record whose lookup named no type: refused with the reason before anything is recorded.
    let note = d.writes.get(WriteKind::Note).unwrap();
    assert_eq!(agent_note("5725767000000412001").problem(WriteKind::Note, note), Some(Msg::WriteNoRecordType.into()));
    assert_eq!(contact.problem(WriteKind::Note, note), None);
    assert_eq!(b["data"][0]["Note_Title"], json!("Parcel <missing>"));
    assert!(b["data"][0]["Note_Content"].as_str().unwrap().starts_with("Parcel &lt;missing&gt; [open]<br>"));
    let contact_task = |owner: &str, priority: &str| WriteInput { record_type: "Contacts".into(), ..agent_task("5725767000000412001", owner, priority) };
    let t = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, &contact_task("", "High"), OP).unwrap();
    assert_eq!(t.url, "https://www.zohoapis.com/crm/v8/Tasks");
    assert_eq!(body_of(&t), json!({ "data": [{ "Subject": "Call back", "Due_Date": "2026-12-15", "Priority": "High", "Status": "Not Started",
        "Description": "ask about <b>ORD-1</b>\n\n[deskside:op-0123456789abcdef]", "Who_Id": { "id": "5725767000000412001" } }] }), "no owner given: no Owner object");
    let t = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, &contact_task("5725767000000235011", "Low"), OP).unwrap();
    assert_eq!(body_of(&t)["data"][0]["Owner"], json!({ "id": "5725767000000235011" }));
    // A lead's task: Zoho takes a lead as What_Id with $se_module Leads (Who_Id is a contact's),
    // and it is checked in the lead's own related Tasks.
    let lead_task = WriteInput { record_type: "Leads".into(), ..agent_task("5725767000000500002", "", "High") };
    let lt = build_write(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, &lead_task, OP).unwrap();
    assert_eq!(lt.url, "https://www.zohoapis.com/crm/v8/Tasks");
    assert_eq!(body_of(&lt), json!({ "data": [{ "Subject": "Call back", "Due_Date": "2026-12-15", "Priority": "High", "Status": "Not Started",
        "Description": "ask about <b>ORD-1</b>\n\n[deskside:op-0123456789abcdef]", "What_Id": { "id": "5725767000000500002" }, "$se_module": "Leads" }] }));
    let ltv = build_verify(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, "5725767000000500002", "Leads", OP).unwrap().unwrap();
    assert!(ltv.url.starts_with("https://www.zohoapis.com/crm/v8/Leads/5725767000000500002/Tasks?"), "{}", ltv.url);
    let ctv = build_verify(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Task, "5725767000000412001", "Contacts", OP).unwrap().unwrap();
    assert!(ctv.url.starts_with("https://www.zohoapis.com/crm/v8/Contacts/5725767000000412001/Tasks?"), "{}", ctv.url);
    // Which body is sent depends on the type: a task on a record of no known type is refused.
    let task = d.writes.get(WriteKind::Task).unwrap();
    assert_eq!(agent_task("5725767000000412001", "", "High").problem(WriteKind::Task, task), Some(Msg::WriteNoRecordType.into()));
    assert_eq!(lead_task.problem(WriteKind::Task, task), None);
    let created = read_created(d, WriteKind::Task, "https://www.zohoapis.com", "1", r#"{"data":[{"code":"SUCCESS","details":{"id":"5725767000000640001"},"message":"record added","status":"success"}]}"#);
    assert_eq!(created.id.as_deref(), Some("5725767000000640001"));
    let v = build_verify(d, &base, &secrets, Some(&token), &Stamp::default(), WriteKind::Note, "5725767000000412001", "Contacts", OP).unwrap().unwrap();
    assert!(v.url.starts_with("https://www.zohoapis.com/crm/v8/Contacts/5725767000000412001/Notes?fields=Note_Content&"), "{}", v.url);
    assert_eq!(read_verify(d, WriteKind::Note, "", "1", OP, &v.url, &HttpResponse { status: 204, ..Default::default() }).unwrap(), None);
    let found = read_verify(d, WriteKind::Note, "", "1", OP, &v.url, &answer(200, json!({ "data": [{ "id": "9", "Note_Content": format!("a<br><br>[deskside:{OP}]") }], "info": { "more_records": false } }))).unwrap();
    assert_eq!(found.unwrap().id.as_deref(), Some("9"));
}

/// Intercom: notes only (`POST /contacts/{id}/notes`, body HTML); Intercom has
/// no tasks, so the panel offers none.
#[test]
fn intercom_writes_notes_and_no_tasks() {
    let d = preset(crate::config::ConnectorKind::Intercom);
    let base = BaseUrl::parse("https://api.intercom.io").unwrap();
    let secrets = BTreeMap::from([("api_key".to_string(), Secret::new("ic-1"))]);
    let r = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Note, &agent_note("6762f0d01bb69f9f2193bb7d"), OP).unwrap();
    assert_eq!(r.url, "https://api.intercom.io/contacts/6762f0d01bb69f9f2193bb7d/notes");
    assert!(r.headers.iter().any(|(k, v)| k == "Intercom-Version" && v == "2.14"));
    assert!(body_of(&r)["body"].as_str().unwrap().contains("Re-sent &amp; &quot;tracked&quot;"));
    assert!(d.writes.task.is_none());
    assert_eq!(build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Task, &agent_task("1", "", ""), OP).unwrap_err(), LookupError::Config { message: Text::new(Msg::WriteNotDefined, [data("task")]) });
    let v = build_verify(d, &base, &secrets, None, &Stamp::default(), WriteKind::Note, "6762f0d01bb69f9f2193bb7d", "", OP).unwrap().unwrap();
    let found = read_verify(d, WriteKind::Note, "", "x", OP, &v.url, &answer(200, json!({ "type": "list", "data": [{ "type": "note", "id": "31", "body": format!("<p>Hello</p>[deskside:{OP}]") }] }))).unwrap();
    assert_eq!(found.unwrap().id.as_deref(), Some("31"));
}

#[test]
fn an_object_whose_members_are_all_left_out_is_left_out() {
    let d = def_with(json!({ "task": { "path": "/tasks", "body": { "who": { "id": "{record_id}" }, "owner": { "id": "{owner}" }, "keep": {}, "list": [{ "o": "{owner}" }] }, "idempotency_key": "Idempotency-Key" } })).unwrap();
    let r = build_write(&d, &base(), &secrets(), None, &Stamp::default(), WriteKind::Task, &WriteInput { record_id: "42".into(), subject: "s".into(), ..Default::default() }, OP).unwrap();
    assert_eq!(body_of(&r), json!({ "who": { "id": "42" }, "keep": {}, "list": [] }));
}
