//! Performs a core-built [`HttpRequest`] with `fetch` (via gloo-net, which
//! works in a service worker), with a per-attempt timeout and redirects
//! refused so the key never follows one.

use deskside_core::i18n::{data, Msg, Text};
use deskside_core::connector::{HttpRequest, HttpResponse, LookupError, ATTEMPT_TIMEOUT_MS, MAX_BODY_BYTES};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit, RequestRedirect, ResponseType};

fn abort_after(controller: &AbortController, ms: u32) {
    let controller = controller.clone();
    let abort = Closure::once_into_js(move || controller.abort());
    let global = js_sys::global();
    if let Ok(set_timeout) = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout")) {
        if let Some(f) = set_timeout.dyn_ref::<js_sys::Function>() {
            let _ = f.call2(&global, &abort, &JsValue::from(ms));
        }
    }
}

pub async fn perform(req: &HttpRequest) -> Result<HttpResponse, LookupError> {
    perform_within(req, ATTEMPT_TIMEOUT_MS).await
}

/// [`perform`], abandoned after `timeout_ms` (the request layer's
/// per-attempt timeout, cut to what is left of its deadline).
pub async fn perform_within(req: &HttpRequest, timeout_ms: u32) -> Result<HttpResponse, LookupError> {
    let controller = AbortController::new().map_err(|_| LookupError::Network { message: Text::new(Msg::LookupBrowser, [data("no AbortController")]) })?;
    // The web_sys::Request is built here, not with gloo-net's builder: that
    // one re-appends the query with a stray '&', altering the URL the core built.
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    init.set_redirect(RequestRedirect::Manual);
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(&controller.signal()));
    let headers = Headers::new().map_err(|_| LookupError::Network { message: Text::new(Msg::LookupBrowser, [data("no Headers")]) })?;
    for (k, v) in &req.headers {
        headers.append(k, v).map_err(|_| LookupError::Config { message: Text::new(Msg::LookupInvalidHeader, [data(k)]) })?;
    }
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = web_sys::Request::new_with_str_and_init(&req.url, &init)
        .map_err(|e| LookupError::Config { message: Text::new(Msg::LookupInvalidRequest, [data(crate::js_error_text(&e))]) })?;
    abort_after(&controller, timeout_ms);
    let resp = match gloo_net::http::Request::from(request).send().await {
        Ok(r) => r,
        Err(_) if controller.signal().aborted() => return Err(LookupError::Timeout),
        Err(e) => return Err(LookupError::Network { message: network_message(&e.to_string()) }),
    };
    if resp.type_() == ResponseType::Opaqueredirect {
        return Ok(HttpResponse { status: 200, redirected: true, ..Default::default() });
    }
    let too_big = resp.headers().get("content-length").and_then(|l| l.trim().parse::<usize>().ok()).is_some_and(|n| n > MAX_BODY_BYTES);
    if too_big {
        return Err(LookupError::BadResponse { message: Text::new(Msg::LookupTooLarge, [data(MAX_BODY_BYTES / 1024 / 1024)]) });
    }
    let status = resp.status();
    let retry_after = resp.headers().get("retry-after");
    let body = match resp.text().await {
        Ok(b) => b,
        Err(_) if controller.signal().aborted() => return Err(LookupError::Timeout),
        Err(e) => return Err(LookupError::BadResponse { message: Text::new(Msg::LookupUnreadable, [data(e)]) }),
    };
    Ok(HttpResponse { status, retry_after, body, redirected: false })
}

fn network_message(raw: &str) -> Text {
    // Browsers say "Failed to fetch" / "NetworkError when attempting to fetch
    // resource." for offline, DNS, refused, CORS and missing permission alike.
    if raw.contains("fetch") {
        Msg::LookupNoService.into()
    } else {
        Text::new(Msg::LookupBrowser, [data(raw.chars().take(200).collect::<String>())])
    }
}
