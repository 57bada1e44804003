//! "Apply priority" (`writes.priority`): the Zendesk and Freshdesk presets'
//! requests as the vendors describe them, and the definition's checks.
use super::*;
use crate::config::ConnectorKind;
use crate::connector::presets::definition;
use serde_json::json;

const OP: &str = "op-0123456789abcdef";

fn on_ticket(ticket_id: &str, priority: &str) -> WriteInput {
    WriteInput { record_id: ticket_id.into(), ticket_id: ticket_id.into(), priority: priority.into(), ticket_url: format!("https://acme.zendesk.com/agent/tickets/{ticket_id}"), ..Default::default() }
}

/// Zendesk's oas.yaml: UpdateTicket, `PUT /api/v2/tickets/{ticket_id}`, a
/// TicketUpdateRequest `{"ticket": {"priority": …}}` with priority one of
/// urgent, high, normal, low; the answer's `ticket.id`.
#[test]
fn zendesk_sets_the_tickets_priority_with_put() {
    let d = definition(ConnectorKind::Zendesk).unwrap();
    let wd = d.writes.priority.as_ref().expect("the Zendesk preset can apply priority");
    assert_eq!((wd.apply.as_deref(), wd.priorities.clone()), (Some("urgent"), vec!["urgent".to_string(), "high".into(), "normal".into(), "low".into()]));
    let base = BaseUrl::parse("https://acme.zendesk.com").unwrap();
    let secrets = BTreeMap::from([("username".to_string(), Secret::new("agent@acme.example/token")), ("password".to_string(), Secret::new("t-1"))]);
    let r = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Priority, &on_ticket("4711", "urgent"), OP).unwrap();
    assert_eq!((r.method, r.url.as_str()), (super::super::Method::Put, "https://acme.zendesk.com/api/v2/tickets/4711"));
    assert_eq!(serde_json::from_str::<Value>(r.body.as_deref().unwrap()).unwrap(), json!({ "ticket": { "priority": "urgent" } }));
    assert!(r.headers.iter().any(|(k, v)| k == "Authorization" && v.starts_with("Basic ")));
    assert!(r.headers.iter().all(|(k, _)| !k.eq_ignore_ascii_case("idempotency-key")), "idempotent by nature: no key");
    assert!(build_verify(d, &base, &secrets, None, &Stamp::default(), WriteKind::Priority, "4711", "", OP).is_none(), "sending again is the check");
    let created = read_created(d, WriteKind::Priority, "https://acme.zendesk.com", "4711", r#"{"audit":{},"ticket":{"id":4711,"priority":"urgent"}}"#);
    assert_eq!(created.link.as_deref(), Some("https://acme.zendesk.com/agent/tickets/4711"));
    // A ticket id is one path segment, never a step.
    for bad in ["..", "4711/../../users"] {
        let r = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Priority, &on_ticket(bad, "urgent"), OP);
        assert!(r.is_err() || r.unwrap().url == "https://acme.zendesk.com/api/v2/tickets/4711%2F..%2F..%2Fusers", "{bad}");
    }
}

/// Freshdesk (developers.freshdesk.com/api, "Update a ticket"; the
/// unofficial description's TicketUpdate): `PUT /api/v2/tickets/{id}`,
/// `priority` a number, 1 Low … 4 Urgent.
#[test]
fn freshdesk_sets_the_priority_as_a_number() {
    let d = definition(ConnectorKind::Freshdesk).unwrap();
    let wd = d.writes.priority.as_ref().unwrap();
    assert_eq!(wd.apply.as_deref(), Some("4"));
    // The panel's button names it as Freshdesk does, not by its number.
    assert_eq!(wd.apply_label.as_deref(), Some("Urgent"));
    let base = BaseUrl::parse("https://acme.freshdesk.com/api/v2").unwrap();
    let secrets = BTreeMap::from([("api_key".to_string(), Secret::new("fd-1"))]);
    let r = build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Priority, &on_ticket("52", "4"), OP).unwrap();
    assert_eq!((r.method, r.url.as_str()), (super::super::Method::Put, "https://acme.freshdesk.com/api/v2/tickets/52"));
    assert_eq!(serde_json::from_str::<Value>(r.body.as_deref().unwrap()).unwrap(), json!({ "priority": 4 }));
    // A priority that is not a number never goes out as text.
    assert!(build_write(d, &base, &secrets, None, &Stamp::default(), WriteKind::Priority, &on_ticket("52", "urgent"), OP).is_err());
    assert_eq!(read_created(d, WriteKind::Priority, "https://acme.freshdesk.com", "52", r#"{"id":52,"priority":4}"#).link.as_deref(), Some("https://acme.freshdesk.com/a/tickets/52"));
}

#[test]
fn the_agents_values_are_checked_before_anything_is_recorded() {
    let d = definition(ConnectorKind::Zendesk).unwrap();
    let wd = d.writes.priority.as_ref().unwrap();
    assert_eq!(on_ticket("4711", "urgent").problem(WriteKind::Priority, wd), None);
    assert_eq!(on_ticket("", "urgent").problem(WriteKind::Priority, wd), Some(Msg::WritePriorityNoTicket.into()));
    assert_eq!(on_ticket("4711", "asap").problem(WriteKind::Priority, wd), Some(Text::new(Msg::WriteBadPriority, [data("asap")])));
    assert_eq!(on_ticket("4711", "").problem(WriteKind::Priority, wd), Some(Text::new(Msg::WriteBadPriority, [data("")])));
}

fn def_with(priority: Value) -> Result<crate::connector::def::Definition, Vec<crate::connector::def::DefError>> {
    let v = json!({
        "id": "acme", "name": "Acme", "auth": { "kind": "bearer" },
        "lookups": { "email": [{ "path": "/people", "query": { "email": "{value}" } }] },
        "results": { "list": "/data" }, "map": { "id": "/id", "name": "/name" },
        "writes": { "priority": priority }
    });
    crate::connector::def::Definition::parse(&v.to_string())
}

/// The generic connector declares it the same way: a tag through the
/// helpdesk's API is a priority write too.
#[test]
fn a_generic_definition_can_set_a_tag_and_is_validated() {
    let ok = def_with(json!({ "method": "PUT", "path": "/tickets/{ticket_id}/tags", "body": { "tags": ["{priority}"] }, "apply": "vip" })).unwrap();
    let r = build_write(&ok, &BaseUrl::parse("https://help.acme.test").unwrap(), &BTreeMap::from([("api_key".to_string(), Secret::new("k"))]), None, &Stamp::default(), WriteKind::Priority, &on_ticket("9", "vip"), OP).unwrap();
    assert_eq!((r.url.as_str(), r.body.as_deref()), ("https://help.acme.test/tickets/9/tags", Some(r#"{"tags":["vip"]}"#)));
    let problems = |v: Value| -> Vec<String> {
        match def_with(v) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| format!("{} {:?}", e.path, e.message.id)).collect(),
        }
    };
    // The ticket is the page's: its id must be in the path.
    assert_eq!(problems(json!({ "method": "PUT", "path": "/tickets", "body": { "id": "{ticket_id}", "p": "{priority}" }, "apply": "vip" })), ["writes.priority.path write_def_unused"]);
    assert_eq!(problems(json!({ "method": "PUT", "path": "/tickets/{ticket_id}", "body": { "p": "high" }, "apply": "vip" })), ["writes.priority write_def_unused"]);
    assert_eq!(problems(json!({ "method": "PUT", "path": "/tickets/{ticket_id}", "body": { "p": "{priority}" } })), ["writes.priority.apply write_def_no_apply"]);
    assert!(problems(json!({ "method": "PUT", "path": "/tickets/{ticket_id}", "body": { "p": "{priority}" }, "apply": "9", "apply_label": 9 })).len() == 1, "apply_label is text");
    assert_eq!(problems(json!({ "method": "PUT", "path": "/tickets/{ticket_id}", "body": { "p": "{priority}" }, "priorities": ["low", "high"], "apply": "urgent" })), ["writes.priority.apply write_bad_priority"]);
    // Idempotent by nature: neither a key nor a verify request.
    let e = def_with(json!({ "method": "PUT", "path": "/tickets/{ticket_id}", "body": { "p": "{priority}" }, "apply": "x", "idempotency_key": "Idempotency-Key" })).unwrap_err();
    assert!(format!("{:?}", e[0].message).contains("unknown field writes.priority.idempotency_key"), "{e:?}");
    let e = def_with(json!({ "method": "DELETE", "path": "/tickets/{ticket_id}", "apply": "x" })).unwrap_err();
    assert!(format!("{:?}", e[0].message).contains("is not POST or PUT"), "{e:?}");
    // PUT stays a write's method: a lookup cannot use it.
    assert!(crate::connector::def::Definition::parse(&json!({
        "id": "acme", "name": "Acme", "auth": { "kind": "bearer" },
        "lookups": { "email": [{ "method": "PUT", "path": "/people", "query": { "email": "{value}" } }] },
        "results": { "list": "/data" }, "map": { "id": "/id", "name": "/name" }
    }).to_string()).is_err());
}
