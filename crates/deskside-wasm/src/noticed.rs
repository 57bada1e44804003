//! The background's side of "numbers on many customers' tickets"
//! (`deskside_core::noticed`): after each page scan the page's phone
//! numbers are counted with its customer, and the options page asks for the
//! suggestions, dismisses one, or forgets everything. The store is read
//! from `storage.local` once after the service worker starts, then kept
//! here (one thread: changes are applied in order, none lost) and written
//! through. Only the background writes it.

use crate::env::Env;
use crate::{from_js, js_error_text, to_js};
use deskside_core::config::Settings;
use deskside_core::flow::TabState;
use deskside_core::messages::Response;
use deskside_core::noticed::{day_of, Noticed, NOTICED_KEY};
use std::cell::RefCell;

thread_local! {
    static STORE: RefCell<Option<Noticed>> = const { RefCell::new(None) };
}

async fn load(env: &Env) -> Result<(), String> {
    if STORE.with(|s| s.borrow().is_none()) {
        let raw = env.local_get(NOTICED_KEY).await.map_err(|e| js_error_text(&e))?;
        let stored: Noticed = if raw.is_undefined() || raw.is_null() { Noticed::default() } else { from_js(raw).unwrap_or_default() };
        STORE.with(|s| {
            s.borrow_mut().get_or_insert(stored);
        });
    }
    Ok(())
}

/// Applies `f` to the store and writes it when `f` says it changed.
async fn change<R>(env: &Env, f: impl FnOnce(&mut Noticed) -> (R, bool)) -> Result<R, String> {
    load(env).await?;
    let (r, changed) = STORE.with(|s| f(s.borrow_mut().get_or_insert_with(Noticed::default)));
    if changed {
        let copy = STORE.with(|s| s.borrow().clone().unwrap_or_default());
        env.local_set(NOTICED_KEY, to_js(&copy)).await.map_err(|e| js_error_text(&e))?;
    }
    Ok(r)
}

/// A page was scanned and ranked: its numbers are counted with its customer
/// (a ticket only: not a list of customers, not a CRM contact page).
/// Spawned: the content script's answer does not wait for it.
pub fn observe(env: &Env, settings: &Settings, tab: &TabState) {
    if tab.list > 0 || tab.crm_page || !tab.candidates.iter().any(|c| c.kind == deskside_core::identify::IdKind::Phone) {
        return;
    }
    let (env, candidates, team_phones) = (crate::background::env_clone(env), tab.candidates.clone(), settings.team_phones.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(salt) = crate::monitor::salt(&env).await else { return };
        let day = day_of(env.now());
        if let Err(e) = change(&env, |n| ((), n.observe(&salt, &candidates, &team_phones, day))).await {
            crate::log_detail(&format!("noticed numbers: {e}"));
        }
    });
}

/// The options page's list: the numbers to suggest.
pub async fn suggestions(env: &Env, settings: &Settings) -> Result<Response, String> {
    let suggestions = change(env, |n| (n.suggestions(&settings.team_phones), false)).await?;
    Ok(Response::NoticedNumbers { suggestions })
}

/// "Not ours": the number is forgotten and not counted again.
pub async fn dismiss(env: &Env, settings: &Settings, number: &str) -> Result<Response, String> {
    let salt = crate::monitor::salt(env).await?;
    change(env, |n| {
        n.dismiss(&salt, number);
        ((), true)
    })
    .await?;
    suggestions(env, settings).await
}

/// "Forget what Deskside noticed".
pub async fn forget(env: &Env, settings: &Settings) -> Result<Response, String> {
    change(env, |n| {
        n.forget_all();
        ((), true)
    })
    .await?;
    suggestions(env, settings).await
}
