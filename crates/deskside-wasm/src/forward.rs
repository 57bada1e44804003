//! The background's side of audit forwarding (`deskside_core::forward`):
//! new audit entries are queued in `storage.local` (only while the admin
//! has set an endpoint), and a flush sends the due batches one after
//! another. Nothing here is awaited by a panel: [`queue`] spawns the work.
//! A failed batch stays queued; the flush is tried again after the core's
//! backoff (a timer while the service worker lives, and the periodic alarm,
//! [`crate::background_tick`], after it was stopped).

use crate::env::Env;
use crate::http::perform;
use crate::{from_js, js_error_text, to_js};
use deskside_core::audit::AuditEntry;
use deskside_core::config::Settings;
use deskside_core::forward::{self, Queue, FORWARD_KEY};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The queue, read from storage once after the service worker starts,
    /// then kept here (one thread: no lost update) and written through.
    static QUEUE: RefCell<Option<Queue>> = const { RefCell::new(None) };
    /// A flush is under way (one at a time: batches go in order).
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    /// A retry timer is set.
    static TIMER: Cell<bool> = const { Cell::new(false) };
}

fn env_clone(env: &Env) -> Env {
    AsRef::<JsValue>::as_ref(env).clone().unchecked_into::<Env>()
}

async fn load(env: &Env) -> Queue {
    if QUEUE.with(|q| q.borrow().is_none()) {
        let stored: Queue = match env.local_get(FORWARD_KEY).await {
            Ok(v) if !v.is_undefined() && !v.is_null() => from_js(v).unwrap_or_default(),
            _ => Queue::default(),
        };
        QUEUE.with(|q| {
            q.borrow_mut().get_or_insert(stored);
        });
    }
    QUEUE.with(|q| q.borrow().clone().unwrap_or_default())
}

async fn change<R>(env: &Env, f: impl FnOnce(&mut Queue) -> R) -> R {
    load(env).await;
    let (r, q) = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let q = q.get_or_insert_with(Queue::default);
        (f(q), q.clone())
    });
    if let Err(e) = env.local_set(FORWARD_KEY, to_js(&q)).await {
        crate::log_detail(&format!("audit forwarding: {}", js_error_text(&e)));
    }
    r
}

async fn settings(env: &Env) -> Option<Settings> {
    // The worker's kept settings (issue 23): a panel view queues entries.
    crate::background::load_settings(env).await.ok()
}

/// Queues new audit entries for the admin's endpoint (if one is set) and
/// starts a flush, all in the background: the caller does not wait.
pub fn queue(env: &Env, entries: &[AuditEntry]) {
    if entries.is_empty() {
        return;
    }
    let (env, entries) = (env_clone(env), entries.to_vec());
    wasm_bindgen_futures::spawn_local(async move {
        if settings(&env).await.is_some_and(|s| !s.audit_forward_url.is_empty()) {
            change(&env, |q| q.enqueue(entries)).await;
            flush(env).await;
        }
    });
}

/// Starts a flush if none is running (the periodic alarm, a retry timer).
pub fn kick(env: &Env) {
    let env = env_clone(env);
    wasm_bindgen_futures::spawn_local(flush(env));
}

/// Sends the due batches in order until the queue is empty, the endpoint
/// fails (then a retry is timed), or forwarding is switched off.
async fn flush(env: Env) {
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    loop {
        let Some(s) = settings(&env).await.filter(|s| !s.audit_forward_url.is_empty()) else { break };
        let q = load(&env).await;
        let Some(batch) = q.due(env.now()) else {
            if !q.pending.is_empty() {
                retry_later(&env, (q.next_try_ms - env.now()).max(0.0) as u64);
            }
            break;
        };
        let Ok(salt) = crate::monitor::salt(&env).await else { break };
        let install = forward::install_id(&salt);
        let Some(req) = forward::request(&s.audit_forward_url, &q, batch, &install) else { break };
        let result = perform(&req).await;
        let now = env.now();
        match result {
            Ok(r) if forward::accepted(r.status, r.redirected) => change(&env, |q| q.delivered(batch, now)).await,
            outcome => {
                let (why, retry_after) = match outcome {
                    Ok(r) if r.redirected => ("redirected".to_string(), None),
                    Ok(r) => (format!("HTTP {}", r.status), r.retry_after.as_deref().and_then(|v| v.trim().parse::<u32>().ok())),
                    Err(e) => (format!("{e:?}"), None),
                };
                let wait = change(&env, |q| q.failed(now, js_sys::Math::random(), why, retry_after)).await;
                retry_later(&env, wait);
                break;
            }
        }
    }
    FLUSHING.with(|f| f.set(false));
}

/// A flush after `ms` while the service worker lives (one timer at a time).
fn retry_later(env: &Env, ms: u64) {
    if TIMER.with(|t| t.replace(true)) {
        return;
    }
    let env = env_clone(env);
    wasm_bindgen_futures::spawn_local(async move {
        crate::client::sleep(ms.max(50)).await;
        TIMER.with(|t| t.set(false));
        flush(env).await;
    });
}

/// How forwarding goes, for the options page, when an endpoint is set.
pub async fn status(env: &Env, settings: &Settings) -> Option<forward::ForwardStatus> {
    if settings.audit_forward_url.is_empty() {
        return None;
    }
    Some(load(env).await.status())
}

/// The periodic alarm (`alarms`, every minute, surviving a stopped service
/// worker): the toolbar badge is decided again without waiting for a
/// request, and queued audit entries are sent if due.
#[wasm_bindgen]
pub async fn background_tick(env: Env) {
    let Some(s) = settings(&env).await else { return };
    crate::monitor::reevaluate(&env, &s).await;
    if !s.audit_forward_url.is_empty() {
        flush(env).await;
    }
}
