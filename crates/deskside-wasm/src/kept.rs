//! What the background keeps in memory while it lives (issue 23): the parsed
//! settings, the host permissions granted per origin and the install's audit
//! salt (`monitor::salt`, asked on every page scan), by the core's rules
//! (`deskside_core::kept`). The glue tells it of changes: `settings_changed`
//! on `storage.onChanged` (the settings key in the local or sync area, any
//! managed change), `permissions_changed` on `permissions.onAdded`/`onRemoved`,
//! `salt_changed` on `storage.onChanged` (the salt's key in the local area
//! written, removed, or the area cleared, by anyone; with its new value).
//! A restarted worker starts empty and reads fresh.
//!
//! What is kept belongs to the `Env` object it was read through: the worker
//! has one, the tests a fake per test, and a value read through another env
//! is never answered.

use crate::env::Env;
use crate::{from_js, js_error_text, to_js};
use deskside_core::config::{Settings, SETTINGS_KEY};
use deskside_core::kept::{Kept, KeptPerKey};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// A value kept for the env it was read through.
struct ForEnv<T> {
    env: Option<JsValue>,
    kept: T,
}

impl<T: Default> ForEnv<T> {
    /// `f` on what is kept for `env` (emptied first when kept for another).
    fn with<R>(&mut self, env: &Env, reset: impl FnOnce(&mut T), f: impl FnOnce(&mut T) -> R) -> R {
        let js: &JsValue = env.as_ref();
        if !self.env.as_ref().is_some_and(|e| js_sys::Object::is(e, js)) {
            reset(&mut self.kept);
            self.env = Some(js.clone());
        }
        f(&mut self.kept)
    }
}

thread_local! {
    static SETTINGS: RefCell<ForEnv<Kept<Settings>>> = RefCell::new(ForEnv { env: None, kept: Kept::default() });
    static GRANTED: RefCell<ForEnv<KeptPerKey<bool>>> = RefCell::new(ForEnv { env: None, kept: KeptPerKey::default() });
    static SALT: RefCell<ForEnv<Kept<String>>> = RefCell::new(ForEnv { env: None, kept: Kept::default() });
}

fn settings_kept<R>(env: &Env, f: impl FnOnce(&mut Kept<Settings>) -> R) -> R {
    SETTINGS.with(|s| s.borrow_mut().with(env, Kept::invalidate, f))
}

fn granted_kept<R>(env: &Env, f: impl FnOnce(&mut KeptPerKey<bool>) -> R) -> R {
    GRANTED.with(|s| s.borrow_mut().with(env, KeptPerKey::invalidate, f))
}

/// `f` on the audit salt kept for `env` (read and made by `monitor::salt`).
pub(crate) fn salt_kept<R>(env: &Env, f: impl FnOnce(&mut Kept<String>) -> R) -> R {
    SALT.with(|s| s.borrow_mut().with(env, Kept::invalidate, f))
}

/// The stored settings, parsed: kept from the last read or save while
/// nothing changed them.
pub(crate) async fn settings(env: &Env) -> Result<Settings, String> {
    if let Some(s) = settings_kept(env, |k| k.get()) {
        return Ok(s);
    }
    let ticket = settings_kept(env, |k| k.ticket());
    let raw = env.local_get(SETTINGS_KEY).await.map_err(|e| js_error_text(&e))?;
    let value: Option<serde_json::Value> = if raw.is_undefined() || raw.is_null() { None } else { Some(from_js(raw)?) };
    let settings = Settings::from_stored(value)?;
    settings_kept(env, |k| k.fill(ticket, settings.clone()));
    Ok(settings)
}

/// Stores `settings` and keeps them: every message and job after the save
/// sees them at once (a lookup job ending now prunes the cache by them).
pub(crate) async fn store_settings(env: &Env, settings: &Settings) -> Result<(), JsValue> {
    let stored = serde_json::to_value(settings).map_err(|e| JsValue::from_str(&e.to_string()))?;
    // Reads under way may return the old settings: not kept.
    settings_kept(env, Kept::invalidate);
    env.local_set(SETTINGS_KEY, to_js(&stored)).await?;
    settings_kept(env, |k| k.put(settings.clone()));
    Ok(())
}

/// The glue: the stored settings or the organisation's policy changed.
#[wasm_bindgen]
pub fn settings_changed(env: Env) {
    settings_kept(&env, Kept::invalidate);
}

/// The glue: the stored audit salt was written or removed (by this worker
/// too), `stored` its new value (`undefined` when removed or cleared): kept
/// as it now is, or forgotten (the next use reads, or makes, one).
#[wasm_bindgen]
pub fn salt_changed(env: Env, stored: JsValue) {
    match stored.as_string().filter(|s| deskside_core::audit::salt_usable(s)) {
        Some(s) => salt_kept(&env, |k| k.put(s)),
        None => salt_kept(&env, Kept::invalidate),
    }
}

/// The glue: a host permission was granted or removed.
#[wasm_bindgen]
pub fn permissions_changed(env: Env) {
    granted_kept(&env, KeptPerKey::invalidate);
}

/// The patterns of `wanted` the browser has not granted: the browser asked
/// only for those not known granted since the last permission change.
pub(crate) async fn missing_origins(env: &Env, wanted: &[String]) -> Vec<String> {
    let (known, ticket) = granted_kept(env, |k| (wanted.iter().map(|o| k.get(o)).collect::<Vec<_>>(), k.ticket()));
    let unknown: Vec<&String> = wanted.iter().zip(&known).filter(|(_, g)| g.is_none()).map(|(o, _)| o).collect();
    let mut missing = Vec::new();
    if !unknown.is_empty() {
        // The browser did not answer: treated as granted, as before (the
        // request then says what failed); nothing kept.
        let Ok(answer) = env.missing_origins(to_js(&unknown)).await else { return Vec::new() };
        missing = from_js::<Vec<String>>(answer).unwrap_or_default();
        // Only a grant is kept: a permission the agent has just granted on
        // the panel's button may reach this worker's `onAdded` after the
        // panel's next ask, which must not be answered "missing" from here.
        granted_kept(env, |k| {
            for o in unknown.iter().filter(|o| !missing.contains(o)) {
                k.fill(ticket, o, true);
            }
        });
    }
    wanted.iter().zip(known).filter(|(o, g)| *g == Some(false) || (g.is_none() && missing.contains(o))).map(|(o, _)| o.clone()).collect()
}
