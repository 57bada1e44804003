//! The browser, as the JavaScript glue hands it to us: an object with a few
//! promise-returning methods. Duck-typed, so tests pass a fake object.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Background env (see `extension/background.js`).
    pub type Env;

    /// `{id, base_url}`: `runtime.id` and `runtime.getURL("")`.
    #[wasm_bindgen(method, getter)]
    pub fn identity(this: &Env) -> JsValue;

    #[wasm_bindgen(method, catch, js_name = localGet)]
    pub async fn local_get(this: &Env, key: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = localSet)]
    pub async fn local_set(this: &Env, key: &str, value: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = localRemove)]
    pub async fn local_remove(this: &Env, keys: JsValue) -> Result<JsValue, JsValue>;

    /// `tabs.get(tabId).active`: whether the agent sees the tab (its lookups go first).
    #[wasm_bindgen(method, catch, js_name = tabVisible)]
    pub async fn tab_visible(this: &Env, tab_id: f64) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = sessionGet)]
    pub async fn session_get(this: &Env, key: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = sessionSet)]
    pub async fn session_set(this: &Env, key: &str, value: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = sessionRemove)]
    pub async fn session_remove(this: &Env, keys: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method)]
    pub fn now(this: &Env) -> f64;

    /// `tabs.sendMessage(tabId, msg, {frameId: 0})`: to the tab's content
    /// script; fire and forget (the tab may be gone).
    #[wasm_bindgen(method, js_name = tellTab)]
    pub fn tell_tab(this: &Env, tab_id: f64, msg: JsValue);

    /// `runtime.sendMessage(msg)` to the extension's pages; fire and forget.
    #[wasm_bindgen(method, js_name = notifyPages)]
    pub fn notify_pages(this: &Env, msg: JsValue);

    /// `tabs.get(tabId).url`: undefined where Deskside may not see it.
    #[wasm_bindgen(method, catch, js_name = tabUrl)]
    pub async fn tab_url(this: &Env, tab_id: f64) -> Result<JsValue, JsValue>;

    /// `tabs.get(tabId).title`: the ticket's subject where the page has no
    /// adapter field for it; undefined where Deskside may not see it.
    #[wasm_bindgen(method, catch, js_name = tabTitle)]
    pub async fn tab_title(this: &Env, tab_id: f64) -> Result<JsValue, JsValue>;

    /// `crypto.randomUUID()`: the panel's tokens.
    #[wasm_bindgen(method, js_name = randomToken)]
    pub fn random_token(this: &Env) -> String;

    /// `action.setBadgeText` and `action.setTitle` (an empty title: the
    /// extension's name); fire and forget.
    #[wasm_bindgen(method, catch, js_name = setBadge)]
    pub fn set_badge(this: &Env, text: &str, title: &str) -> Result<JsValue, JsValue>;

    /// The browser's languages, most preferred first (the badge's title).
    #[wasm_bindgen(method, getter, js_name = languages)]
    pub fn env_languages(this: &Env) -> JsValue;

    /// The text of `_locales/<dir>/messages.json`.
    #[wasm_bindgen(method, catch, js_name = loadCatalog)]
    pub async fn env_catalog(this: &Env, dir: &str) -> Result<JsValue, JsValue>;

    /// `storage.managed.get()`: the organisation's policy (undefined where
    /// none is set or the browser has no managed storage).
    #[wasm_bindgen(method, catch, js_name = managedGet)]
    pub async fn managed_get(this: &Env) -> Result<JsValue, JsValue>;

    /// Page env (panel and options pages, see `extension/pages.js`).
    pub type PageEnv;

    /// `runtime.sendMessage` to the background.
    #[wasm_bindgen(method, catch)]
    pub async fn send(this: &PageEnv, msg: JsValue) -> Result<JsValue, JsValue>;

    /// The same `send`, its promise as it is (raced against the panel's
    /// check that the frame still reaches the background).
    #[wasm_bindgen(method, catch, js_name = send)]
    pub fn send_promise(this: &PageEnv, msg: JsValue) -> Result<js_sys::Promise, JsValue>;

    /// Whether this page still reaches the background: resolves to false
    /// when the browser says its extension context is gone, or when a
    /// `Ping` gets no answer within `ms`.
    #[wasm_bindgen(method, catch)]
    pub fn alive(this: &PageEnv, ping: JsValue, ms: u32) -> Result<js_sys::Promise, JsValue>;

    /// The panel frame only: loads the tab's page again (the frame's
    /// parent, at the address the content script gave the frame); must be
    /// called during a click.
    #[wasm_bindgen(method, catch, js_name = reloadPage)]
    pub fn reload_page(this: &PageEnv) -> Result<JsValue, JsValue>;

    /// `permissions.request({origins})`; must be called during a click.
    #[wasm_bindgen(method, js_name = requestOrigins)]
    pub fn request_origins(this: &PageEnv, origins: JsValue) -> js_sys::Promise;

    #[wasm_bindgen(method, js_name = openOptions)]
    pub fn open_options(this: &PageEnv);

    #[wasm_bindgen(method, js_name = openLink)]
    pub fn open_link(this: &PageEnv, url: &str);
    /// The browser's languages, most preferred first (`navigator.languages`,
    /// then `i18n.getUILanguage()`).
    #[wasm_bindgen(method, getter)]
    pub fn languages(this: &PageEnv) -> JsValue;
    /// The text of the extension's `_locales/<dir>/messages.json`.
    #[wasm_bindgen(method, js_name = loadCatalog)]
    pub fn load_catalog(this: &PageEnv, dir: &str) -> js_sys::Promise;

    /// The options page in a new tab, at `#hash` (`connector=ID`).
    #[wasm_bindgen(method, catch, js_name = openOptionsAt)]
    pub fn open_options_at(this: &PageEnv, hash: &str) -> Result<JsValue, JsValue>;

    /// Puts `text` on the clipboard (during a click); resolves to whether it did.
    #[wasm_bindgen(method, catch, js_name = copyText)]
    pub fn copy_text(this: &PageEnv, text: &str) -> Result<js_sys::Promise, JsValue>;

    /// `permissions.contains({origins})` for each pattern: resolves to the
    /// patterns not granted (a fake env without it: every one granted).
    #[wasm_bindgen(method, catch, js_name = missingOrigins)]
    pub async fn missing_origins(this: &Env, origins: JsValue) -> Result<JsValue, JsValue>;
}
