//! The state machine's answers to a refused access token (renewed once,
//! then sent once), and "apply priority": idempotent by nature, offered for
//! a VIP customer's ticket only.
use super::*;
use crate::client::retry::POLICY;
use crate::config::{ConnectorConfig, ConnectorKind};
use crate::connector::HttpResponse;

fn op(kind: WriteKind) -> WriteOp {
    WriteOp::new("op-0123456789abcdef", "crm", kind, WriteInput { record_id: "1".into(), subject: "S".into(), ticket_id: "4711".into(), priority: "urgent".into(), ..Default::default() }, 1_000)
}

fn sent(kind: WriteKind) -> WriteOp {
    let mut o = op(kind);
    o.apply(Event::Send, &POLICY, 1_000, 0.5).unwrap();
    o
}

/// The generic test API's connector: client-credentials tokens.
fn oauth() -> ConnectorConfig {
    ConnectorConfig {
        kind: ConnectorKind::Generic,
        definition: Some(crate::connector::def::Definition::parse(include_str!("../../../tests/testapi/definition.json")).unwrap()),
        secrets: std::collections::BTreeMap::from([("client_id".into(), crate::secret::Secret::new("id")), ("client_secret".into(), crate::secret::Secret::new("s"))]),
        ..ConnectorConfig::demo("crm", "Test API", "http://127.0.0.1:8650", "")
    }
}

fn answer(status: u16) -> Result<HttpResponse, crate::connector::LookupError> {
    Ok(HttpResponse { status, body: "{}".into(), ..Default::default() })
}

#[test]
fn a_401_to_an_oauth_connector_renews_the_token_and_sends_once_more() {
    let cfg = oauth();
    let mut o = sent(WriteKind::Note);
    assert_eq!(send_event(&cfg, &o, &answer(401)), Event::TokenRefused);
    o.apply(Event::TokenRefused, &POLICY, 2_000, 0.5).unwrap();
    assert_eq!((o.state.clone(), o.renew_token, o.renewed), (WriteState::Resend, true, true));
    assert_eq!(o.next_step(CheckBy::Verify, 2_000), Step::Send, "at once: nothing was written");
    assert_eq!(o.view().shown, "sending");
    // The send after the renewal: the flag is spent with it.
    o.apply(Event::Send, &POLICY, 2_001, 0.5).unwrap();
    assert_eq!((o.sends, o.renew_token), (2, false));
    let mut done = o.clone();
    done.apply(Event::Answered { status: 201, retry_after_secs: None, created: Created::default() }, &POLICY, 2_002, 0.5).unwrap();
    assert_eq!((done.state.name(), done.sends), ("done", 2), "sent once after the renewal, not twice");
    // Refused again with the new token: it ends, never a third send.
    o.apply(Event::TokenRefused, &POLICY, 2_002, 0.5).unwrap();
    let WriteState::Failed { reason, retryable: false, unconfirmed: false } = &o.state else { panic!("{:?}", o.state) };
    assert_eq!(reason.id, crate::i18n::Msg::ErrUnauthorized);
    assert_eq!(o.next_step(CheckBy::Verify, u64::MAX), Step::Nothing);
}

#[test]
fn a_401_without_a_token_to_renew_is_a_refusal_and_403_never_renews() {
    let key = ConnectorConfig::demo("crm", "Demo", "http://127.0.0.1:8642", "k");
    let o = sent(WriteKind::Note);
    assert!(matches!(send_event(&key, &o, &answer(401)), Event::Answered { status: 401, .. }), "an API key: nothing to renew");
    assert!(matches!(send_event(&oauth(), &o, &answer(403)), Event::Answered { status: 403, .. }), "403: the token is fine, the right is missing");
    let mut o = sent(WriteKind::Note);
    o.apply(send_event(&key, &o, &answer(401)), &POLICY, 2_000, 0.5).unwrap();
    assert!(matches!(o.state, WriteState::Failed { retryable: false, .. }));
    // The event is only for a request that is out.
    for s in [WriteState::Queued, WriteState::Checking, WriteState::Resend] {
        let mut x = WriteOp { state: s, ..op(WriteKind::Note) };
        assert!(x.apply(Event::TokenRefused, &POLICY, 1, 0.5).is_err());
    }
}

#[test]
fn renewal_survives_a_stopped_worker_and_a_retry_may_renew_again() {
    let mut o = sent(WriteKind::Task);
    o.apply(Event::TokenRefused, &POLICY, 2_000, 0.5).unwrap();
    let back: WriteOp = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
    assert_eq!(back, o, "the flags are kept in storage");
    let mut r = back.clone();
    r.apply(Event::Resumed, &POLICY, 3_000, 0.5).unwrap();
    assert!(r.renew_token, "the next send still renews first");
    // An op stored before these fields existed reads as never renewed.
    let mut v = serde_json::to_value(&op(WriteKind::Note)).unwrap();
    v.as_object_mut().unwrap().retain(|k, _| k != "renewed" && k != "renew_token");
    let old: WriteOp = serde_json::from_value(v).unwrap();
    assert!(!old.renewed && !old.renew_token);
    // The agent's Retry after a retryable failure starts a fresh budget.
    let mut f = WriteOp { state: WriteState::Failed { reason: crate::i18n::Msg::WriteLostTimeout.into(), retryable: true, unconfirmed: false }, renewed: true, ..op(WriteKind::Note) };
    f.apply(Event::Retry, &POLICY, 4_000, 0.5).unwrap();
    assert!(!f.renewed);
}

#[test]
fn apply_priority_is_idempotent_by_nature_so_a_lost_answer_is_sent_again() {
    let mut zd = ConnectorConfig { kind: ConnectorKind::Zendesk, ..ConnectorConfig::demo("zd", "Zendesk", "https://acme.zendesk.com", "") };
    zd.secrets.insert("username".into(), crate::secret::Secret::new("a@acme.example/token"));
    assert_eq!(check_by(&zd, WriteKind::Priority), Some(CheckBy::IdempotencyKey));
    assert_eq!(check_by(&zd, WriteKind::Note), None, "Zendesk writes no note");
    let mut o = sent(WriteKind::Priority);
    o.apply(Event::Lost(Lost::Timeout), &POLICY, 2_000, 0.5).unwrap();
    assert_eq!(o.next_step(CheckBy::IdempotencyKey, o.next_ms), Step::Send, "setting it again is the check");
    o.apply(Event::Send, &POLICY, o.next_ms, 0.5).unwrap();
    o.apply(Event::Answered { status: 422, retry_after_secs: None, created: Created::default() }, &POLICY, 3_000, 0.5).unwrap();
    assert!(matches!(o.state, WriteState::Failed { retryable: false, .. }), "4xx: never retried");
    assert_eq!(o.view().summary, "urgent", "the list shows the value set");
    let done = WriteOp { state: WriteState::Done { created: Created::default() }, ..sent(WriteKind::Priority) };
    let entry = audit_entry(&done, "Zendesk", "salt", "agent", 1.0).unwrap();
    assert_eq!((entry.action.as_str(), entry.outcome.as_str()), ("write_priority", "done"));
}

#[test]
fn apply_priority_is_offered_for_a_vip_on_a_ticket_the_adapter_knows() {
    let zd = ConnectorConfig { kind: ConnectorKind::Zendesk, ..ConnectorConfig::demo("zd", "Zendesk", "https://acme.zendesk.com", "") };
    let hub = ConnectorConfig { kind: ConnectorKind::HubSpot, ..ConnectorConfig::demo("hub", "HubSpot", "https://api.hubapi.com", "") };
    let settings = Settings { connectors: vec![hub, zd], ..Settings::default() };
    let on_ticket = forms(&settings, Some("4711"));
    assert_eq!(on_ticket.iter().map(|f| f.apply_priority.as_deref()).collect::<Vec<_>>(), [None, Some("urgent")]);
    assert_eq!(priority_offers(&on_ticket, Some("Key accounts")), [PriorityOffer { connector: "zd".into(), label: "Zendesk".into(), value: "urgent".into(), shown: "urgent".into() }]);
    assert!(priority_offers(&on_ticket, None).is_empty(), "not a VIP: nothing to apply");
    assert!(priority_offers(&on_ticket, Some(" ")).is_empty());
    let elsewhere = forms(&settings, None);
    assert!(elsewhere.iter().all(|f| f.apply_priority.is_none()), "no ticket id from the page's adapter: nothing");
    assert!(priority_offers(&elsewhere, Some("Key accounts")).is_empty());
}

#[test]
fn the_note_starts_from_the_subject_and_status_the_adapter_read_else_the_title() {
    let url = "https://acme.zendesk.com/agent/tickets/4711";
    let (id, subject, status) = page_ticket(url, Some("zendesk"), "  Parcel\n  missing \u{7}", " Open ");
    assert_eq!((id.as_str(), subject.as_str(), status.as_str()), ("4711", "Parcel missing", "Open"));
    let long = "x".repeat(500);
    assert_eq!(page_ticket(url, Some("zendesk"), &long, "").1.chars().count(), crate::connector::writes::MAX_FIELD_CHARS);
    // Only from an adapter that applies to the URL the browser reported.
    assert_eq!(page_ticket(url, Some("freshdesk"), "S", "Open"), (String::new(), String::new(), String::new()));
    assert_eq!(page_ticket(url, None, "S", "Open"), (String::new(), String::new(), String::new()));
    let tab = crate::flow::TabState { subject: subject.clone(), status: status.clone(), ticket_id: id, ..Default::default() };
    assert_eq!(note_start(Some(&tab), "Page title"), ("Parcel missing".to_string(), "Open".to_string()));
    let bare = crate::flow::TabState::default();
    assert_eq!(note_start(Some(&bare), "Page title"), ("Page title".to_string(), String::new()));
    assert_eq!(note_start(None, "Page title"), ("Page title".to_string(), String::new()));
}

/// The background's own VIP check before a priority write: the customer it
/// shows for the tab now (the same `finish_panel` as the panel's), never the
/// panel's word.
#[test]
fn a_priority_write_is_permitted_only_for_a_customer_matching_a_current_vip_rule() {
    use crate::config::Settings;
    use crate::flow::{finish_panel, page_scanned, SourceOutcome};
    use crate::identify::{Field, PageSnapshot, Source};
    use crate::merge::Selection;
    use crate::model::{Customer, VipTier};
    use crate::panel::PanelState;
    let rule = |name: &str, tier: &str| crate::vip::VipRule { name: name.into(), tiers: vec![tier.into()], min_lifetime_value: None, min_open_tickets: None, min_complaints: None, tag: None };
    let mut s = Settings { connectors: vec![ConnectorConfig::demo("crm", "CRM", "http://127.0.0.1:7000", "k")], sites: vec!["http://127.0.0.1/*".into()], ..Settings::default() };
    s.vip_rules = vec![rule("Key account", "platinum")];
    let snap = PageSnapshot { fields: vec![Field { source: Source::MailtoLink, text: "mailto:mia@example.de".into() }] };
    let tab = page_scanned(&s, "http://127.0.0.1:8000/agent/tickets/4711", None, snap, &[]).0;
    let id = tab.candidates[0].clone();
    let shown = |s: &Settings, tier: &str| {
        let record = Customer { id: "381001".into(), tier: VipTier::from_label(tier), ..Customer::default() };
        let one = SourceOutcome { index: 0, result: Ok(Selection::One { record, by: None, of: 1, others: Vec::new() }), near_misses: 0, related: 0, related_errors: Vec::new() };
        finish_panel(s, &tab, &id, vec![one], 1.0, "salt").0
    };
    let refused = Err(Text::from(Msg::WritePriorityNotVip));
    assert_eq!(priority_permitted(&s, &shown(&s, "platinum")), Ok(()));
    // Another customer on the ticket: refused, though a panel might have offered it.
    assert_eq!(priority_permitted(&s, &shown(&s, "silver")), refused);
    // No customer shown (not found, nothing looked up yet, several to choose from).
    assert_eq!(priority_permitted(&s, &PanelState::NoIdentifier), refused);
    assert_eq!(priority_permitted(&s, &PanelState::NotConfigured), refused);
    // The rule was removed since: the state shown before no longer counts.
    let before = shown(&s, "platinum");
    let mut now = s.clone();
    now.vip_rules.clear();
    assert_eq!(priority_permitted(&now, &before), refused);
    assert_eq!(priority_permitted(&now, &shown(&now, "platinum")), refused);
}
