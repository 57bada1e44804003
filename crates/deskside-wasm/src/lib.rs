//! Thin bindings: `deskside-core` exposed to the extension's JavaScript glue,
//! plus the browser I/O the core must not do (fetch, storage, DOM).
//!
//! No business logic lives here. Each entry point converts JS values to core
//! types, calls the core, performs the I/O the core asked for, and converts
//! back. Browser APIs reach this crate through an `Env` object the glue
//! passes in (see `env.rs`), so the crate never names `chrome` or `browser`
//! and its tests can pass a fake.

// Two modules from this one crate (issue 23): `./build.sh` builds it once with
// `--features background` (the service worker's module: the router, the request
// layer, fetch) and once with `--features pages` (the panel, side panel and
// options page: DOM, forms, the catalogs' rendering), so the service worker does
// not compile the pages' code on every wake-up. Both features are on by default
// (`cargo test`, `cargo check`). A new module goes under the feature of the side
// that calls it; one both sides use goes outside both.
#[cfg(feature = "background")]
mod background;
#[cfg(feature = "background")]
mod client;
#[cfg(feature = "pages")]
mod dom;
mod env;
#[cfg(feature = "background")]
mod forward;
#[cfg(feature = "background")]
mod http;
#[cfg(feature = "background")]
mod kept;
#[cfg(feature = "pages")]
mod i18n;
#[cfg(feature = "background")]
mod monitor;
#[cfg(feature = "background")]
mod noticed;
#[cfg(feature = "pages")]
mod activity;
#[cfg(feature = "pages")]
mod admin;
#[cfg(feature = "pages")]
mod noticed_page;
#[cfg(feature = "pages")]
mod options;
#[cfg(feature = "pages")]
mod panel;
#[cfg(feature = "pages")]
mod panel_writes;
#[cfg(feature = "background")]
mod writes;

use wasm_bindgen::prelude::*;

#[cfg(feature = "background")]
pub use background::{handle_message, policy_changed, sites_to_register, tab_updated, toggle_panel};
#[cfg(feature = "background")]
pub use writes::resume_writes;
#[cfg(feature = "background")]
pub use kept::{permissions_changed, salt_changed, settings_changed};
pub use env::{Env, PageEnv};
#[cfg(feature = "background")]
pub use forward::background_tick;
#[cfg(feature = "pages")]
pub use options::start_options;
#[cfg(feature = "pages")]
pub use panel::{start_panel, start_side_panel};

/// The identifier scanner on one text, read whole: the ranked candidates for
/// `region` with no settings, as JSON (one string crosses into JS, not an
/// object per candidate). Used by the benchmarks (`tests/bench/scan.mjs`) to
/// time the shipped module, copying the text into wasm included.
#[cfg(feature = "background")]
#[wasm_bindgen(js_name = scanText)]
pub fn scan_text(text: &str, region: &str) -> String {
    let ctx = deskside_core::identify::ScanContext { default_region: region.into(), ..Default::default() };
    deskside_core::identify::candidates_to_json(&deskside_core::identify::identify_text(text, &ctx))
}

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// A promise resolved after `ms` (undefined).
pub(crate) fn timer(ms: u64) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout")).ok().and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
        match set_timeout {
            Some(f) => drop(f.call2(&global, &resolve, &JsValue::from_f64(ms as f64))),
            None => drop(resolve.call0(&JsValue::UNDEFINED)),
        }
    })
}

pub(crate) async fn sleep(ms: u64) {
    let _ = wasm_bindgen_futures::JsFuture::from(timer(ms)).await;
}

/// Converts a Rust value to a plain JS value (objects, not `Map`s): serde_json's
/// text, parsed by the engine's `JSON.parse`. One serde flavour for messages,
/// storage and CRM answers (issue 23): every type's (de)serialiser is
/// monomorphised for serde_json only, not again for serde-wasm-bindgen.
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    match serde_json::to_string(value) {
        Ok(text) => js_sys::JSON::parse(&text).unwrap_or_else(|_| JsValue::from_str("serialisation failed")),
        Err(e) => JsValue::from_str(&format!("serialisation failed: {e}")),
    }
}

/// A plain JS value (what `to_js` made, storage, a message) → a Rust value,
/// through `JSON.stringify` and serde_json. `undefined` reads as `null`
/// (an `Option` is `None`); a lone surrogate in a string (which
/// `JSON.stringify` escapes and serde_json refuses) reads as U+FFFD, as a
/// direct string conversion gives; a value JSON cannot hold (a `BigInt`, a
/// cycle) is an error.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    let text = if value.is_undefined() {
        "null".to_string()
    } else {
        match js_sys::JSON::stringify(&value) {
            Ok(s) => s.as_string().unwrap_or_else(|| "null".into()),
            Err(e) => return Err(js_error_text(&e)),
        }
    };
    serde_json::from_str(&deskside_core::jsontext::lone_surrogates_replaced(&text)).map_err(|e| e.to_string())
}

/// A message ([`deskside_core::messages::Request`] or `Response`) → the plain
/// JS object the extension's contexts exchange, `{type: "Name", ...fields}`
/// (what `content.js` sends and reads). The Rust types are externally tagged
/// (`{"Name": {...}}`, a unit variant `"Name"`), which serde reads without
/// buffering every message through its `Content` tree as `#[serde(tag)]`
/// did (issue 23); the tag is moved here, in the engine, not by Rust code.
pub(crate) fn message_to_js<T: serde::Serialize>(value: &T) -> JsValue {
    let tagged = to_js(value);
    let out = js_sys::Object::new();
    if tagged.is_string() {
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str("type"), &tagged);
        return out.into();
    }
    let Some(obj) = tagged.dyn_ref::<js_sys::Object>() else { return tagged };
    let keys = js_sys::Object::keys(obj);
    if keys.length() != 1 {
        return tagged;
    }
    let name = keys.get(0);
    let _ = js_sys::Reflect::set(&out, &JsValue::from_str("type"), &name);
    if let Some(fields) = js_sys::Reflect::get(obj, &name).ok().and_then(|f| f.dyn_into::<js_sys::Object>().ok()) {
        js_sys::Object::assign(&out, &fields);
    }
    out.into()
}

/// A message as the contexts exchange it (`{type: "Name", ...fields}`) → the
/// Rust type (see [`message_to_js`]). Fields the variant does not have are
/// ignored, as before; no string `type`, or an unknown one, is an error.
pub(crate) fn message_from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    let name = if value.is_object() { js_sys::Reflect::get(&value, &JsValue::from_str("type")).ok().filter(|t| t.is_string()) } else { None };
    let Some(name) = name else { return Err("missing field `type`".into()) };
    let only_type = value.dyn_ref::<js_sys::Object>().is_some_and(|o| js_sys::Object::keys(o).length() == 1);
    if only_type {
        // A unit variant (or a struct variant missing its fields: an error).
        return from_js(name);
    }
    let wrapped = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&wrapped, &name, &value);
    // A unit variant sent with extra fields reads as that variant, as before.
    from_js(wrapped.into()).or_else(|e| from_js(name).map_err(|_| e))
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
