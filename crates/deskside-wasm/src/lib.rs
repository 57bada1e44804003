//! Thin bindings: `deskside-core` exposed to the extension's JavaScript glue,
//! plus the browser I/O the core must not do (fetch, storage, DOM).
//!
//! No business logic lives here. Each entry point converts JS values to core
//! types, calls the core, performs the I/O the core asked for, and converts
//! back. Browser APIs reach this crate through an `Env` object the glue
//! passes in (see `env.rs`), so the crate never names `chrome` or `browser`
//! and its tests can pass a fake.

mod background;
mod client;
mod dom;
mod env;
mod http;
mod i18n;
mod monitor;
mod activity;
mod admin;
mod options;
mod panel;

use wasm_bindgen::prelude::*;

pub use background::{handle_message, policy_changed, sites_to_register, tab_updated, toggle_panel};
pub use env::{Env, PageEnv};
pub use options::start_options;
pub use panel::{start_panel, start_side_panel};

/// The identifier scanner on one text, read whole: the ranked candidates for
/// `region` with no settings, as JSON (one string crosses into JS, not an
/// object per candidate). Used by the benchmarks (`tests/bench/scan.mjs`) to
/// time the shipped module, copying the text into wasm included.
#[wasm_bindgen(js_name = scanText)]
pub fn scan_text(text: &str, region: &str) -> String {
    let ctx = deskside_core::identify::ScanContext { default_region: region.into(), ..Default::default() };
    deskside_core::identify::candidates_to_json(&deskside_core::identify::identify_text(text, &ctx))
}

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Converts a Rust value to a plain JS value (objects, not `Map`s).
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or_else(|e| JsValue::from_str(&format!("serialisation failed: {e}")))
}

pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

pub(crate) fn js_error_text(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    js_sys::Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "unknown error".into())
}

/// A failure's technical detail (the background's reason, a browser error),
/// for support: the console, never the page.
pub(crate) fn log_detail(detail: &str) {
    if !detail.is_empty() {
        web_sys::console::warn_1(&JsValue::from_str(detail));
    }
}
