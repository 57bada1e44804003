//! Write-back performed: the operations kept in `storage.local` (recorded
//! before each send), driven through the core's state machine
//! (`deskside_core::write`) with the connector's rate budget, resumed when
//! the service worker starts again or a panel opens, each finished one
//! appended to the audit trail.

use crate::background::{access_tokens, alone, append_audit, budget, env_clone, load_settings, stamp};
use crate::client::{read_entry, send, sleep};
use crate::env::Env;
use crate::{from_js, js_error_text, to_js};
use deskside_core::client::cache;
use deskside_core::client::retry::POLICY;
use deskside_core::config::Settings;
use deskside_core::connector::writes::{WriteInput, WriteKind};
use deskside_core::flow::{ticket_key, TabState};
use deskside_core::i18n::{data, Msg, Text};
use deskside_core::messages::{Response, WriteFields};
use deskside_core::write::{self as core, check_by, Event, Step, WriteOp, MAX_OPS, WRITES_KEY};
use std::cell::RefCell;
use std::collections::BTreeSet;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The operations, read from storage once per service-worker life, then
    /// changed here (one thread: no lost update) and written through.
    static OPS: RefCell<Option<Vec<WriteOp>>> = const { RefCell::new(None) };
    /// The operations this service worker is driving: never two drivers
    /// for one operation, and what is out is ours (not a stopped worker's).
    static RUNNING: RefCell<BTreeSet<String>> = RefCell::new(BTreeSet::new());
}

async fn ensure_loaded(env: &Env) {
    if OPS.with(|o| o.borrow().is_some()) {
        return;
    }
    let stored: Vec<WriteOp> = match env.local_get(WRITES_KEY).await {
        Ok(v) if !v.is_undefined() && !v.is_null() => from_js(v).unwrap_or_default(),
        _ => Vec::new(),
    };
    OPS.with(|o| {
        let mut o = o.borrow_mut();
        if o.is_none() {
            *o = Some(stored);
        }
    });
}

/// Changes the operations in memory and writes them through; the write is
/// awaited (an operation is in storage before its request goes out).
async fn update<R>(env: &Env, f: impl FnOnce(&mut Vec<WriteOp>) -> R) -> Result<R, String> {
    ensure_loaded(env).await;
    let (r, all) = OPS.with(|o| {
        let mut o = o.borrow_mut();
        let ops = o.get_or_insert_with(Vec::new);
        let r = f(ops);
        (r, ops.clone())
    });
    env.local_set(WRITES_KEY, to_js(&all)).await.map_err(|e| js_error_text(&e))?;
    Ok(r)
}

fn get(id: &str) -> Option<WriteOp> {
    OPS.with(|o| o.borrow().as_ref().and_then(|ops| ops.iter().find(|x| x.id == id).cloned()))
}

/// Applies an event to an operation and stores it.
async fn apply(env: &Env, id: &str, event: Event) -> Result<Option<WriteOp>, String> {
    let now = env.now().max(0.0) as u64;
    update(env, |ops| {
        let op = ops.iter_mut().find(|x| x.id == id)?;
        if let Err(ignored) = op.apply(event, &POLICY, now, crate::client::random()) {
            crate::log_detail(&format!("write {id}: event ignored in state {}", ignored.state));
        }
        Some(op.clone())
    })
    .await
}

/// The forms, the ticket's starting subject and status, and its writes;
/// anything unfinished that no driver of this worker holds is resumed.
pub async fn writes_state(env: &Env, settings: &Settings, tab_id: i64, tab_url: &str) -> Result<Response, String> {
    resume(env).await;
    let title = env.tab_title(tab_id as f64).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
    let tab = crate::background::load_tab(env, tab_id).await;
    let (subject, status) = core::note_start(tab.as_ref(), &title);
    let ticket = ticket_key(tab_url);
    let writes = OPS.with(|o| core::views_for(o.borrow().as_deref().unwrap_or_default(), &ticket));
    // On a CRM contact page shown as the helpdesk knows the contact there is
    // no ticket to log in the CRM: no write forms.
    let forms = match &tab {
        Some(t) if deskside_core::flow::helpdesk_view(settings, t) => Vec::new(),
        _ => core::forms(settings, tab.as_ref().map(|t| t.ticket_id.as_str())),
    };
    Ok(Response::Writes { forms, subject, status, ticket_url: tab_url.to_string(), writes })
}

/// The record whose handle (`flow::record_handle`, what the panel holds
/// for the record it shows) is `handle`, among the records a lookup of this
/// tab's identifiers found with this connector: its real id and the
/// `record_type` of the lookup that found it (empty where none). `None` for
/// anything else (a raw id, another ticket's or connector's handle).
async fn record_of_tab(env: &Env, cfg: &deskside_core::config::ConnectorConfig, tab: &TabState, handle: &str) -> Result<Option<(String, String)>, String> {
    let salt = crate::monitor::salt(env).await?;
    let resolve = |x: &deskside_core::model::Customer| {
        deskside_core::flow::record_for_handle(&salt, &tab.ticket, &cfg.id, handle, [x.id.as_str()]).map(|id| (id, x.refs.record_type.clone().unwrap_or_default()))
    };
    Ok(find_tab_record(env, cfg, tab, resolve).await)
}

/// The first of the records a lookup of this tab's identifiers found with
/// this connector (in the cache) for which `pick` answers something.
pub(crate) async fn find_tab_record<T>(env: &Env, cfg: &deskside_core::config::ConnectorConfig, tab: &TabState, pick: impl Fn(&deskside_core::model::Customer) -> Option<T>) -> Option<T> {
    let config = cache::config_hash(cfg);
    for c in tab.candidates.iter().filter(|c| c.kind.lookupable()).take(20) {
        let found = read_entry(env, &cache::entry_key(&config, c)).await.filter(|e| e.config == config).and_then(|e| e.answer()).and_then(|a| a.customers.iter().find_map(&pick));
        if found.is_some() {
            return found;
        }
    }
    None
}

/// A new write: checked, recorded `queued`, then driven.
#[allow(clippy::too_many_arguments)]
pub async fn start(env: &Env, settings: &Settings, tab: Option<TabState>, tab_id: i64, tab_url: &str, connector: &str, record: &str, kind: WriteKind, fields: WriteFields) -> Result<Response, String> {
    let Some(cfg) = settings.connectors.iter().find(|c| c.enabled && c.id == connector) else {
        return Ok(Response::Rejected { reason: "no such connector".into() });
    };
    let Some(def) = cfg.definition().and_then(|d| d.writes.get(kind)) else {
        return Ok(Response::WriteInvalid { message: Text::new(Msg::WriteNotOffered, [data(&cfg.label)]) });
    };
    let Some(tab) = tab else {
        return Ok(Response::Rejected { reason: "no page scanned in this tab".into() });
    };
    if kind == WriteKind::Priority {
        // The panel offers it for a VIP only; the background checks again,
        // on the customer it showed for this tab itself (from its cache:
        // nothing looked up or audited again; no fresh answer, no write).
        let Some(state) = crate::background::tab_panel_state(env, settings, &tab).await? else {
            return Ok(Response::WriteInvalid { message: Msg::WritePriorityReload.into() });
        };
        if let Err(message) = core::priority_permitted(settings, &state) {
            return Ok(Response::WriteInvalid { message });
        }
    }
    let input = if kind == WriteKind::Priority {
        // The page's ticket, by its adapter from the URL the browser
        // reported: the record written is that ticket. The value is the
        // definition's own unless the agent picked one of its priorities.
        let priority = if fields.priority.trim().is_empty() { def.apply.clone().unwrap_or_default() } else { fields.priority };
        WriteInput { record_id: tab.ticket_id.clone(), ticket_id: tab.ticket_id.clone(), ticket_url: tab_url.into(), subject: tab.subject.clone(), status: tab.status.clone(), priority, ..Default::default() }.cleaned()
    } else {
        // The panel holds the shown record's handle, never its id: the
        // write (and its idempotency key) names the real record found here.
        let Some((record_id, record_type)) = record_of_tab(env, cfg, &tab, record).await? else {
            return Ok(Response::WriteInvalid { message: Msg::WriteRecordNotShown.into() });
        };
        WriteInput { record_id, record_type, ticket_url: tab_url.into(), subject: fields.subject, status: fields.status, text: fields.text, due: fields.due, owner: fields.owner, priority: fields.priority, ticket_id: tab.ticket_id.clone() }.cleaned()
    };
    if let Some(message) = input.problem(kind, def) {
        return Ok(Response::WriteInvalid { message });
    }
    let id = format!("op-{}", env.random_token().chars().filter(char::is_ascii_alphanumeric).take(32).collect::<String>());
    let op = WriteOp::new(&id, &cfg.id, kind, input, env.now().max(0.0) as u64);
    update(env, |ops| {
        ops.push(op);
        core::prune(ops, MAX_OPS);
    })
    .await?;
    spawn(env, &id);
    writes_state(env, settings, tab_id, tab_url).await
}

/// The agent's Retry on a failed write of this ticket.
pub async fn retry(env: &Env, settings: &Settings, tab_id: i64, tab_url: &str, id: &str) -> Result<Response, String> {
    ensure_loaded(env).await;
    let Some(op) = get(id).filter(|o| ticket_key(&o.input.ticket_url) == ticket_key(tab_url)) else {
        return Ok(Response::Rejected { reason: "not a write of this ticket".into() });
    };
    let _ = op;
    apply(env, id, Event::Retry).await?;
    spawn(env, id);
    writes_state(env, settings, tab_id, tab_url).await
}

/// Resumes every unfinished operation no driver of this worker holds: what
/// was out when a worker stopped is unknown, and is checked first.
async fn resume(env: &Env) {
    ensure_loaded(env).await;
    let idle: Vec<String> = OPS.with(|o| o.borrow().as_deref().unwrap_or_default().iter().filter(|x| !x.state.finished()).map(|x| x.id.clone()).collect());
    for id in idle {
        if RUNNING.with(|r| r.borrow().contains(&id)) {
            continue;
        }
        let _ = apply(env, &id, Event::Resumed).await;
        spawn(env, &id);
    }
}

/// The service worker (or event page) started: unfinished writes go on.
#[wasm_bindgen]
pub async fn resume_writes(env: Env) {
    resume(&env).await;
}

fn spawn(env: &Env, id: &str) {
    if !RUNNING.with(|r| r.borrow_mut().insert(id.to_string())) {
        return;
    }
    let (env, id) = (env_clone(env), id.to_string());
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = drive(&env, &id).await {
            crate::log_detail(&format!("write {id}: {e}"));
        }
        RUNNING.with(|r| r.borrow_mut().remove(&id));
    });
}

/// A wait longer than this is not slept through: the operation is picked
/// up again when a panel asks or the worker starts.
const INLINE_WAIT_MS: u64 = 30_000;

async fn drive(env: &Env, id: &str) -> Result<(), String> {
    loop {
        let settings = load_settings(env).await?;
        let Some(op) = get(id) else { return Ok(()) };
        let Some(cfg) = settings.connectors.iter().find(|c| c.id == op.connector) else {
            finish(env, &settings, apply(env, id, Event::Unsendable(Msg::WriteConnectorGone.into())).await?).await;
            return Ok(());
        };
        let Some(check) = check_by(cfg, op.kind) else {
            finish(env, &settings, apply(env, id, Event::Unsendable(Text::new(Msg::WriteNotOffered, [data(&cfg.label)]))).await?).await;
            return Ok(());
        };
        let now = env.now().max(0.0) as u64;
        let solo = alone(&settings, cfg);
        match op.next_step(check, now) {
            Step::Nothing => {
                finish(env, &settings, Some(op)).await;
                return Ok(());
            }
            Step::GiveUp => {
                apply(env, id, Event::GiveUp).await?;
            }
            Step::WaitUntil(t) => {
                if t - now > INLINE_WAIT_MS {
                    return Ok(());
                }
                sleep(t - now).await;
            }
            Step::Send => {
                // After a 401 the token is renewed first (once: the op says).
                let tokens = access_tokens(env, &solo, op.renew_token).await;
                let req = match core::send_request(cfg, tokens.get(&cfg.id), &op, &stamp(env)) {
                    Ok(r) => r,
                    Err(e) => {
                        apply(env, id, Event::Unsendable(e.user_message())).await?;
                        continue;
                    }
                };
                // Recorded as out before it goes: a worker that stops now
                // leaves an operation that is checked, never sent blind.
                let sending = apply(env, id, Event::Send).await?;
                if !sending.is_some_and(|o| o.state == core::WriteState::Sending) {
                    continue;
                }
                let result = send(env, &budget(&settings, cfg, true, env.now()), &req).await;
                let event = core::send_event(cfg, &op, &result);
                apply(env, id, event).await?;
            }
            Step::Check => {
                let tokens = access_tokens(env, &solo, false).await;
                let req = match core::check_request(cfg, tokens.get(&cfg.id), &op, &stamp(env)) {
                    Some(Ok(r)) => r,
                    Some(Err(e)) => {
                        apply(env, id, Event::Unsendable(e.user_message())).await?;
                        continue;
                    }
                    None => {
                        apply(env, id, Event::Unsendable(Msg::WriteBadOp.into())).await?;
                        continue;
                    }
                };
                apply(env, id, Event::Check).await?;
                let result = send(env, &budget(&settings, cfg, true, env.now()), &req).await;
                let event = core::check_event(cfg, &op, &req.url, result);
                apply(env, id, event).await?;
            }
        }
        if let Some(op) = get(id).filter(|o| o.state.finished()) {
            finish(env, &settings, Some(op)).await;
            return Ok(());
        }
    }
}

/// A finished write goes into the audit trail (once).
async fn finish(env: &Env, settings: &Settings, op: Option<WriteOp>) {
    let Some(op) = op.filter(|o| o.state.finished() && !o.audited) else { return };
    let label = settings.connectors.iter().find(|c| c.id == op.connector).map_or(op.connector.clone(), |c| c.label.clone());
    let Ok(salt) = crate::monitor::salt(env).await else { return };
    if let Some(entry) = core::audit_entry(&op, &label, &salt, &settings.active_profile().id, env.now()) {
        if append_audit(env, vec![entry]).await.is_ok() {
            let _ = update(env, |ops| ops.iter_mut().filter(|x| x.id == op.id).for_each(|x| x.audited = true)).await;
        }
    }
}
