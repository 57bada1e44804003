//! The background's side of monitoring and the audit trail: counts each
//! request a connector sends (`client::send` calls [`count`]), keeps the
//! samples in `storage.local`, sets the toolbar badge as the core decides,
//! makes the install's audit salt, and answers the options page's
//! `GetActivity`. The numbers are the core's (`deskside_core::monitor`).

use crate::env::Env;
use crate::kept::salt_kept;
use crate::{from_js, js_error_text, to_js};
use deskside_core::audit::{salt_usable, AuditEntry, AUDIT_KEY, SALT_KEY};
use deskside_core::config::{ConnectorConfig, Settings};
use deskside_core::connector::{HttpResponse, LookupError};
use deskside_core::i18n::{format, resolve_language, Catalog, LanguageSetting, Text};
use deskside_core::messages::Response;
use deskside_core::monitor::{self, Sample, MONITOR_KEY};
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// Whom a request is counted for, and how the badge is told.
#[derive(Clone)]
pub struct Watch {
    pub connector: String,
    pub label: String,
    pub threshold_percent: u32,
    pub language: LanguageSetting,
}

impl Watch {
    pub fn new(settings: &Settings, cfg: &ConnectorConfig) -> Watch {
        Watch { connector: cfg.id.clone(), label: cfg.label.clone(), threshold_percent: settings.badge_failure_percent, language: settings.language }
    }
}

thread_local! {
    /// The samples, read from storage once after the service worker starts,
    /// then kept here (one thread: no lost update) and written through.
    static SAMPLES: RefCell<Option<Vec<Sample>>> = const { RefCell::new(None) };
    /// Per connector, the badge's title while it is failing.
    static FAILING: RefCell<BTreeMap<String, Text>> = Default::default();
    static SHOWN: RefCell<Option<String>> = const { RefCell::new(None) };
}

async fn samples(env: &Env) -> Vec<Sample> {
    if SAMPLES.with(|s| s.borrow().is_none()) {
        let stored: Vec<Sample> = match env.local_get(MONITOR_KEY).await {
            Ok(v) if !v.is_undefined() && !v.is_null() => from_js(v).unwrap_or_default(),
            _ => Vec::new(),
        };
        SAMPLES.with(|s| {
            s.borrow_mut().get_or_insert(stored);
        });
    }
    SAMPLES.with(|s| s.borrow().clone().unwrap_or_default())
}

/// Counts one request (sent at `sent_at`, ending now) and updates the badge.
pub async fn count(env: &Env, watch: &Watch, sent_at: f64, result: Result<&HttpResponse, &LookupError>) {
    let now = env.now();
    let sample = Sample::of(&watch.connector, now, now - sent_at, result);
    samples(env).await;
    let log = SAMPLES.with(|s| {
        let mut s = s.borrow_mut();
        let log = s.get_or_insert_with(Vec::new);
        monitor::record(log, sample);
        log.clone()
    });
    if let Err(e) = env.local_set(MONITOR_KEY, to_js(&log)).await {
        crate::log_detail(&format!("monitor: {}", js_error_text(&e)));
    }
    let alert = monitor::badge(&log, &[(watch.connector.clone(), watch.label.clone())], watch.threshold_percent, now);
    let title = FAILING.with(|f| {
        let mut f = f.borrow_mut();
        match alert {
            Some(t) => f.insert(watch.connector.clone(), t),
            None => f.remove(&watch.connector),
        };
        f.values().next().cloned()
    });
    show(env, watch.language, title).await;
}

/// Decides the badge again for every configured connector, with no new
/// request: failures age out of the last hour, a connector removed stops
/// warning (the periodic alarm, and the options page opening).
pub async fn reevaluate(env: &Env, settings: &Settings) {
    let log = samples(env).await;
    let now = env.now();
    let title = FAILING.with(|f| {
        let mut f = f.borrow_mut();
        f.clear();
        for c in &settings.connectors {
            if let Some(t) = monitor::badge(&log, &[(c.id.clone(), c.label.clone())], settings.badge_failure_percent, now) {
                f.insert(c.id.clone(), t);
            }
        }
        f.values().next().cloned()
    });
    show(env, settings.language, title).await;
}

/// Sets the badge (and its title) when it changes.
async fn show(env: &Env, language: LanguageSetting, title: Option<Text>) {
    let rendered = match &title {
        Some(t) => render(env, language, t).await,
        None => String::new(),
    };
    if SHOWN.with(|s| s.borrow().as_deref() != Some(rendered.as_str())) {
        SHOWN.with(|s| *s.borrow_mut() = Some(rendered.clone()));
        let _ = env.set_badge(if title.is_some() { "!" } else { "" }, &rendered);
    }
}

/// A text in the admin's language (or the browser's).
async fn render(env: &Env, setting: LanguageSetting, text: &Text) -> String {
    let languages: Vec<String> = from_js(env.env_languages()).unwrap_or_default();
    let lang = resolve_language(setting, &languages);
    let catalog = match env.env_catalog(lang.dir()).await.ok().and_then(|v| v.as_string()) {
        Some(json) => Catalog::parse(&json).ok(),
        None => None,
    };
    match catalog {
        Some(c) => format(&c, text),
        None => text.id.key().to_string(),
    }
}

/// The install's salt for the audit trail's hashes: made once, from the
/// browser's random source, kept in `storage.local`, and kept in memory
/// while the worker lives (`kept::salt_kept`: asked on every page scan),
/// forgotten whenever the stored one is written or removed (`salt_changed`).
pub async fn salt(env: &Env) -> Result<String, String> {
    if let Some(s) = salt_kept(env, |k| k.get()) {
        return Ok(s);
    }
    let ticket = salt_kept(env, |k| k.ticket());
    let stored = env.local_get(SALT_KEY).await.map_err(|e| js_error_text(&e))?.as_string();
    if let Some(s) = stored.filter(|s| salt_usable(s)) {
        salt_kept(env, |k| k.fill(ticket, s.clone()));
        return Ok(s);
    }
    // None stored: one this worker made while this read was under way (its
    // write not landed yet) is the install's; never a second one.
    if let Some(s) = salt_kept(env, |k| k.get()) {
        return Ok(s);
    }
    let fresh = format!("{}{}", env.random_token(), env.random_token());
    if !salt_usable(&fresh) {
        return Err("the browser gave no random token".into());
    }
    // Kept before the write, so that calls meanwhile take it too.
    salt_kept(env, |k| k.put(fresh.clone()));
    if let Err(e) = env.local_set(SALT_KEY, JsValue::from_str(&fresh)).await {
        // Not stored: not kept either (the next call reads, or makes one, again).
        salt_kept(env, |k| {
            if k.get().as_deref() == Some(fresh.as_str()) {
                k.invalidate();
            }
        });
        return Err(js_error_text(&e));
    }
    Ok(fresh)
}

/// The options page's `GetActivity`: the audit trail and each configured
/// connector's numbers.
pub async fn activity(env: &Env, settings: &Settings) -> Result<Response, String> {
    // The options page opening: the badge is decided again (failures age out).
    reevaluate(env, settings).await;
    let raw = env.local_get(AUDIT_KEY).await.map_err(|e| js_error_text(&e))?;
    let audit: Vec<AuditEntry> = if raw.is_undefined() || raw.is_null() { Vec::new() } else { from_js(raw).unwrap_or_default() };
    let now = env.now();
    let connectors: Vec<(String, String)> = settings.connectors.iter().map(|c| (c.id.clone(), c.label.clone())).collect();
    let monitor = monitor::stats(&samples(env).await, &connectors, now);
    let forward = crate::forward::status(env, settings).await;
    Ok(Response::Activity { audit, monitor, now_ms: now, forward })
}
