//! Performs the request layer's decisions (`deskside_core::client`): waits
//! for the connector's rate budget (kept in `storage.session`, one per
//! connector for every tab), sends with the per-attempt timeout, reads
//! `Retry-After`, lets a 429 slow the whole connector, runs each lookup once
//! for every tab asking the same, and keeps answers in `storage.local`.

use crate::env::Env;
use crate::http::perform_within;
use crate::{from_js, js_error_text, to_js};
use deskside_core::client::bucket::{next_in_line, Bucket, BucketSize, Waiter};
use deskside_core::client::cache::{self, Entry, Index, INDEX_KEY, LIMITS};
use deskside_core::client::retry::{self, POLICY};
use deskside_core::client::bucket_key;
use deskside_core::connector::{HttpRequest, HttpResponse, LookupError, ATTEMPT_TIMEOUT_MS};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn present<T: serde::de::DeserializeOwned>(raw: JsValue) -> Option<T> {
    if raw.is_undefined() || raw.is_null() {
        return None;
    }
    from_js(raw).ok()
}

// `timer` and `sleep` live in lib.rs: the panel waits with them too, and is
// built without this module (the `pages` module).
pub(crate) use crate::{sleep, timer};

/// A number in [0, 1) for the backoff's jitter.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// How a connector's request is sent: within its connector's budget and
/// its lookup's deadline (lookups, follow-ups, token exchanges and *Test
/// connection* alike).
#[derive(Clone)]
pub enum Via {
    Budget(Budget),
}

#[derive(Clone)]
pub struct Budget {
    pub connector: String,
    pub size: BucketSize,
    pub visible: bool,
    /// When the lookup started (its deadline counts from here).
    pub started_ms: f64,
    /// Whom each request is counted for (monitoring, the badge).
    pub watch: crate::monitor::Watch,
}

thread_local! {
    /// The buckets, by connector id: read from `storage.session` once after
    /// the service worker starts, changed here (one thread: no lost update),
    /// written back after each change.
    static BUCKETS: RefCell<BTreeMap<String, Bucket>> = Default::default();
    static WAITERS: RefCell<BTreeMap<String, Vec<Waiter>>> = Default::default();
    static NEXT_WAITER: Cell<u64> = const { Cell::new(1) };
    /// Lookups under way, by cache key: every tab asking the same waits for the same.
    static FLIGHTS: RefCell<BTreeMap<String, js_sys::Promise>> = Default::default();
    /// The cache's index, read once, then kept here and written through.
    static INDEX: RefCell<Option<Index>> = const { RefCell::new(None) };
}

async fn ensure_bucket(env: &Env, connector: &str, size: BucketSize) {
    if BUCKETS.with(|b| b.borrow().contains_key(connector)) {
        return;
    }
    let stored: Option<Bucket> = present(env.session_get(&bucket_key(connector)).await.unwrap_or(JsValue::UNDEFINED));
    let bucket = stored.map_or_else(|| Bucket::full(size, env.now()), |b| b.resized(size));
    BUCKETS.with(|b| {
        b.borrow_mut().entry(connector.to_string()).or_insert(bucket);
    });
}

async fn save_bucket(env: &Env, connector: &str) {
    if let Some(b) = BUCKETS.with(|b| b.borrow().get(connector).copied()) {
        let _ = env.session_set(&bucket_key(connector), to_js(&b)).await;
    }
}

/// Waits for this lookup's turn and a token of its connector's budget.
/// A wait too long to sit through (a 429's `Retry-After`, or past the
/// deadline) is returned as a rate limit for the panel to count down.
async fn take_turn(env: &Env, b: &Budget) -> Result<(), LookupError> {
    ensure_bucket(env, &b.connector, b.size).await;
    let id = NEXT_WAITER.with(|n| n.replace(n.get() + 1));
    WAITERS.with(|w| w.borrow_mut().entry(b.connector.clone()).or_default().push(Waiter { id, visible: b.visible, since_ms: env.now() }));
    let deadline = b.started_ms + f64::from(POLICY.deadline_ms);
    let result = loop {
        let now = env.now();
        let head = WAITERS.with(|w| w.borrow().get(&b.connector).and_then(|l| next_in_line(l))) == Some(id);
        let wait = BUCKETS.with(|m| {
            let mut m = m.borrow_mut();
            let bucket = m.entry(b.connector.clone()).or_insert_with(|| Bucket::full(b.size, now));
            if head {
                bucket.take(b.size, now).err().unwrap_or(0)
            } else {
                bucket.wait_ms(b.size, now).max(1)
            }
        });
        if head && wait == 0 {
            break Ok(());
        }
        if wait > u64::from(POLICY.inline_wait_max_ms) || now + wait as f64 > deadline {
            break Err(LookupError::RateLimited { retry_after_secs: Some(wait.div_ceil(1000) as u32) });
        }
        sleep(if head { wait } else { wait.clamp(5, 100) }).await;
    };
    WAITERS.with(|w| {
        if let Some(l) = w.borrow_mut().get_mut(&b.connector) {
            l.retain(|x| x.id != id);
        }
    });
    if result.is_ok() {
        save_bucket(env, &b.connector).await;
    }
    result
}

/// Sends one request: within the budget (its turn, a token, the time left
/// of the deadline), `Retry-After` read into seconds (both forms), and a
/// rate limit slowing the whole connector.
pub async fn send(env: &Env, via: &Via, req: &HttpRequest) -> Result<HttpResponse, LookupError> {
    let budget = match via {
        Via::Budget(b) => Some(b),
    };
    let timeout = match budget {
        None => ATTEMPT_TIMEOUT_MS,
        Some(b) => {
            take_turn(env, b).await?;
            let elapsed = (env.now() - b.started_ms).max(0.0) as u64;
            if elapsed >= u64::from(POLICY.deadline_ms) {
                return Err(LookupError::Timeout);
            }
            retry::attempt_timeout_ms(&POLICY, elapsed)
        }
    };
    let sent_at = env.now();
    let result = perform_within(req, timeout).await;
    if let Some(b) = budget {
        // Every request a connector sends is counted here, and only here.
        crate::monitor::count(env, &b.watch, sent_at, result.as_ref()).await;
    }
    let mut resp = result?;
    resp.retry_after = resp.retry_after.as_deref().and_then(|v| retry::retry_after_secs(v, env.now(), POLICY.retry_after_cap_secs)).map(|s| s.to_string());
    if let Some(b) = budget {
        if resp.status == 429 || retry::is_rate_limit_body(resp.status, &resp.body) {
            let secs = resp.retry_after.as_deref().and_then(|s| s.parse().ok());
            let wait = retry::rate_limit_wait_ms(&POLICY, secs);
            let now = env.now();
            BUCKETS.with(|m| m.borrow_mut().entry(b.connector.clone()).or_insert_with(|| Bucket::full(b.size, now)).penalize(b.size, now, wait));
            save_bucket(env, &b.connector).await;
        }
    }
    Ok(resp)
}

/// Runs `job` once for every caller with the same `key` while it runs:
/// the others get the same promise.
pub fn flight(key: &str, job: impl std::future::Future<Output = JsValue> + 'static) -> js_sys::Promise {
    if let Some(p) = FLIGHTS.with(|f| f.borrow().get(key).cloned()) {
        return p;
    }
    let k = key.to_string();
    let p = wasm_bindgen_futures::future_to_promise(async move {
        let v = job.await;
        FLIGHTS.with(|f| f.borrow_mut().remove(&k));
        Ok(v)
    });
    FLIGHTS.with(|f| f.borrow_mut().insert(key.to_string(), p.clone()));
    p
}

/// The flight's result if it ends within `ms`.
pub async fn within(p: &js_sys::Promise, ms: u64) -> Option<JsValue> {
    let race = js_sys::Promise::race(&js_sys::Array::of2(p, &timer(ms)));
    JsFuture::from(race).await.ok().filter(|v| !v.is_undefined())
}

/// The flight's result, however long it takes.
pub async fn wait(p: &js_sys::Promise) -> JsValue {
    JsFuture::from(p.clone()).await.unwrap_or(JsValue::UNDEFINED)
}

/// A cached entry, if any and readable.
pub async fn read_entry(env: &Env, key: &str) -> Option<Entry> {
    present(env.local_get(key).await.ok()?)
}

/// Keeps an entry (unless too big, or holding one of `secrets`), keeping the
/// cache within its limits and dropping entries of connectors no longer
/// configured as they were (`live`).
pub async fn write_entry(env: &Env, key: &str, entry: &Entry, live: &[String], secrets: &[String]) {
    let Ok(text) = serde_json::to_string(entry) else { return };
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    if !Index::fits(text.len(), &LIMITS) || cache::holds_secret(&text, &secrets) {
        with_index(env, |i| i.forget(key)).await;
        let _ = env.local_remove(to_js(&[key])).await;
        return;
    }
    let now = env.now();
    let gone = with_index(env, |i| i.admit(key, &entry.config, text.len(), now, live, &LIMITS)).await;
    if let Err(e) = env.local_set(key, to_js(entry)).await {
        crate::log_detail(&format!("cache: {}", js_error_text(&e)));
    }
    save_index(env, gone).await;
}

/// Drops the entries of connectors no longer configured as they were.
pub async fn prune(env: &Env, live: &[String]) {
    let gone = with_index(env, |i| i.prune(live)).await;
    if !gone.is_empty() {
        save_index(env, gone).await;
    }
}

async fn save_index(env: &Env, gone: Vec<String>) {
    if let Some(index) = INDEX.with(|i| i.borrow().clone()) {
        let _ = env.local_set(INDEX_KEY, to_js(&index)).await;
    }
    if !gone.is_empty() {
        let _ = env.local_remove(to_js(&gone)).await;
    }
}

async fn with_index<R>(env: &Env, f: impl FnOnce(&mut Index) -> R) -> R {
    if INDEX.with(|i| i.borrow().is_none()) {
        let stored: Index = match env.local_get(INDEX_KEY).await {
            Ok(v) if !v.is_undefined() && !v.is_null() => from_js(v).unwrap_or_default(),
            _ => Index::default(),
        };
        INDEX.with(|i| {
            let mut i = i.borrow_mut();
            if i.is_none() {
                *i = Some(stored);
            }
        });
    }
    INDEX.with(|i| f(i.borrow_mut().get_or_insert_with(Index::default)))
}
