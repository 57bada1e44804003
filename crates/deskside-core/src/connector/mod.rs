//! Connectors: building the HTTP request for a lookup and mapping the answer
//! onto [`Customer`]. The browser I/O itself is in `deskside-wasm`; here it is
//! all data in, data out, so every vendor's quirks are tested natively.
//!
//! A connector is declarative: a [`Preset`] names the endpoint, the auth
//! scheme and where each field of the common model sits in the vendor's JSON.

mod presets;

pub use presets::preset;

use crate::config::{ConnectorConfig, ConnectorKind};
use crate::i18n::{data, Arg, Msg, Text};
use crate::identify::{Candidate, IdKind};
use crate::model::{Customer, Order, VipTier};
use crate::weburl::{encode_component, origin_of, outside_link, BaseUrl};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// Responses larger than this are refused before parsing.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// One attempt may take this long before it is abandoned.
pub const ATTEMPT_TIMEOUT_MS: u32 = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <key>`
    Bearer,
    /// A named header carrying the key as-is.
    Header(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preset {
    pub kind: ConnectorKind,
    pub auth: Auth,
    /// How the API is searched, per identifier kind. A kind not listed
    /// cannot be looked up in this system.
    pub lookups: Vec<(IdKind, Lookup)>,
    /// JSON pointer to the results: an array (a search), or one object (a
    /// record fetched by its id).
    pub results: String,
    pub fields: FieldMap,
}

/// One way to find customers, as a `GET` relative to the base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// `{path}?{param}={value}`, e.g. `/api/v1/customers?email=…`.
    Query { path: String, param: String },
    /// `path` with `{id}` replaced by the value, percent-encoded as one path
    /// segment, e.g. `/api/v1/customers/{id}`. A 404 means not found.
    PathSegment { path: String },
}

impl Preset {
    /// How to look up `kind`, if this system can.
    pub fn lookup(&self, kind: IdKind) -> Option<&Lookup> {
        self.lookups.iter().find(|(k, _)| *k == kind).map(|(_, l)| l)
    }
}

/// Whether a connector of this kind can look customers up by `id`.
pub fn supports(kind: ConnectorKind, id: IdKind) -> bool {
    preset(kind).lookup(id).is_some()
}

/// Whether any known connector kind can look customers up by `id`.
pub fn any_supports(id: IdKind) -> bool {
    ConnectorKind::ALL.into_iter().any(|k| supports(k, id))
}

/// JSON pointers, relative to one result, for each field of [`Customer`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldMap {
    pub id: String,
    pub name: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub company: String,
    pub title: String,
    pub tier: String,
    pub city: String,
    pub country: String,
    pub url: String,
    /// Array of orders and, inside each, its fields.
    pub orders: String,
    pub order_id: String,
    pub order_status: String,
    pub order_total_minor: String,
    pub order_currency: String,
    pub order_date: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
}

/// A request ready for `fetch`, key included. Only [`build_lookup`] makes one,
/// and it attaches the key only to the connector's own origin.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if is_secret_header(k) { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("HttpRequest").field("method", &self.method).field("url", &self.url).field("headers", &headers).finish()
    }
}

fn is_secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization" || n.contains("key") || n.contains("token")
}

/// Why a lookup did not produce customers. Each has a message for the panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LookupError {
    /// The connector is misconfigured (bad URL and the like).
    Config { message: Text },
    /// 401/403: the key is wrong or revoked.
    Unauthorized { status: u16 },
    /// 429 (or a vendor's equivalent).
    RateLimited { retry_after_secs: Option<u32> },
    /// 5xx or another unexpected status.
    Server { status: u16 },
    /// The body was not what the API promises.
    BadResponse { message: Text },
    /// No answer in time.
    Timeout,
    /// The request never got an answer (offline, DNS, refused, CORS, no permission).
    Network { message: Text },
}

impl LookupError {
    /// One sentence for the agent, as a message id.
    pub fn user_message(&self) -> Text {
        let detail = |m: &Text| Arg::Text(m.clone());
        match self {
            LookupError::Config { message } => Text::new(Msg::ErrConfig, [detail(message)]),
            LookupError::Unauthorized { status } => Text::new(Msg::ErrUnauthorized, [data(status)]),
            LookupError::RateLimited { retry_after_secs: Some(s) } => Text::new(Msg::ErrRateLimitedSecs, [data(s)]),
            LookupError::RateLimited { retry_after_secs: None } => Msg::ErrRateLimited.into(),
            LookupError::Server { status } => Text::new(Msg::ErrServer, [data(status)]),
            LookupError::BadResponse { message } => Text::new(Msg::ErrBadResponse, [detail(message)]),
            LookupError::Timeout => Msg::ErrTimeout.into(),
            LookupError::Network { message } => Text::new(Msg::ErrNetwork, [detail(message)]),
        }
    }

    /// Whether trying again later may help.
    pub fn retryable(&self) -> bool {
        matches!(self, LookupError::RateLimited { .. } | LookupError::Server { .. } | LookupError::Timeout | LookupError::Network { .. })
    }
}

/// Builds the lookup request for one identifier.
pub fn build_lookup(cfg: &ConnectorConfig, id: &Candidate) -> Result<HttpRequest, LookupError> {
    let base = BaseUrl::parse(&cfg.base_url).map_err(|e| LookupError::Config { message: e.message().into() })?;
    if cfg.api_key.is_empty() {
        return Err(LookupError::Config { message: Msg::LookupNoApiKey.into() });
    }
    let p = preset(cfg.kind);
    let Some(lookup) = p.lookup(id.kind) else {
        return Err(LookupError::Config { message: Text::new(Msg::LookupCannotSearchBy, [id.kind.name_in_sentence().into()]) });
    };
    let url = match lookup {
        Lookup::Query { path, param } => base.join(path, &[(param, &id.value)]),
        Lookup::PathSegment { path } => {
            // `.` and `..` are path steps, even percent-encoded: never a value.
            let value = id.value.trim();
            if value.is_empty() || value.chars().all(|c| c == '.') {
                return Err(LookupError::Config { message: Msg::LookupBadRecordId.into() });
            }
            base.join(&path.replace("{id}", &encode_component(value)), &[])
        }
    };
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    // The key goes only to the configured origin, checked on the final URL.
    if origin_of(&url).as_deref() != Some(base.origin().as_str()) {
        return Err(LookupError::Config { message: Msg::LookupLeftOrigin.into() });
    }
    match &p.auth {
        Auth::Bearer => headers.push(("Authorization".into(), format!("Bearer {}", cfg.api_key.expose()))),
        Auth::Header(name) => headers.push((name.clone(), cfg.api_key.expose().to_string())),
    }
    Ok(HttpRequest { method: Method::Get, url, headers })
}

/// What came back over the wire, as the wasm crate saw it.
#[derive(Clone, Debug, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
    /// Set when the browser reports a redirect was followed.
    pub redirected: bool,
}

/// Maps an answer onto customers (possibly none), or a typed error.
pub fn map_lookup(cfg: &ConnectorConfig, resp: &HttpResponse) -> Result<Vec<Customer>, LookupError> {
    match resp.status {
        200..=299 => {}
        401 | 403 => return Err(LookupError::Unauthorized { status: resp.status }),
        404 => return Ok(Vec::new()),
        429 => return Err(LookupError::RateLimited { retry_after_secs: resp.retry_after.as_deref().and_then(parse_retry_after) }),
        s => return Err(LookupError::Server { status: s }),
    }
    if resp.redirected {
        return Err(LookupError::BadResponse { message: Msg::LookupRedirected.into() });
    }
    if resp.body.len() > MAX_BODY_BYTES {
        return Err(LookupError::BadResponse { message: Text::new(Msg::LookupTooLarge, [data(MAX_BODY_BYTES / 1024 / 1024)]) });
    }
    let body = resp.body.trim_start_matches('\u{feff}').trim();
    if body.is_empty() || resp.status == 204 {
        return Ok(Vec::new());
    }
    if body.starts_with('<') {
        return Err(LookupError::BadResponse { message: Msg::LookupHtml.into() });
    }
    let json: Value = serde_json::from_str(body).map_err(|e| LookupError::BadResponse { message: Text::new(Msg::LookupBadJson, [data(e)]) })?;
    let p = preset(cfg.kind);
    let results = match json.pointer(&p.results) {
        Some(Value::Array(items)) => items.as_slice(),
        // One record (a lookup by id): it must have its id.
        Some(record @ Value::Object(_)) if text_at(record, &p.fields.id).is_some() => std::slice::from_ref(record),
        Some(Value::Null) | None => return Ok(Vec::new()),
        Some(_) => return Err(LookupError::BadResponse { message: Text::new(Msg::LookupNotAList, [data(&p.results)]) }),
    };
    Ok(results.iter().filter(|r| r.is_object()).take(50).map(|r| map_customer(cfg, &p.fields, r)).collect())
}

/// Seconds to wait from a `Retry-After` header: delta-seconds only, capped at
/// ten minutes; anything else (dates, negatives, junk) yields `None`.
pub fn parse_retry_after(v: &str) -> Option<u32> {
    let v = v.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(v.parse::<u64>().map_or(600, |n| n.min(600)) as u32)
}

fn text_at(v: &Value, ptr: &str) -> Option<String> {
    if ptr.is_empty() {
        return None;
    }
    let s = match v.pointer(ptr)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    // Cap what one field can hold: the panel is not a document viewer.
    let s: String = s.chars().take(500).collect();
    (!s.is_empty()).then_some(s)
}

fn texts_at(v: &Value, ptrs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in ptrs {
        match v.pointer(p) {
            Some(Value::Array(items)) => out.extend(items.iter().filter_map(|i| text_at(i, "").or_else(|| i.as_str().map(str::to_string)))),
            Some(_) => out.extend(text_at(v, p)),
            None => {}
        }
    }
    out.dedup();
    out
}

fn map_customer(cfg: &ConnectorConfig, f: &FieldMap, r: &Value) -> Customer {
    let orders = match r.pointer(&f.orders) {
        Some(Value::Array(items)) if !f.orders.is_empty() => items
            .iter()
            .take(20)
            .map(|o| Order {
                id: text_at(o, &f.order_id).unwrap_or_default(),
                status: text_at(o, &f.order_status).unwrap_or_default(),
                total_minor: o.pointer(&f.order_total_minor).and_then(Value::as_i64),
                currency: text_at(o, &f.order_currency),
                date: text_at(o, &f.order_date),
            })
            .collect(),
        _ => Vec::new(),
    };
    let name = f.name.iter().filter_map(|p| text_at(r, p)).collect::<Vec<_>>().join(" ");
    Customer {
        id: text_at(r, &f.id).unwrap_or_default(),
        source: cfg.label.clone(),
        name,
        emails: texts_at(r, &f.emails),
        phones: texts_at(r, &f.phones),
        company: text_at(r, &f.company),
        title: text_at(r, &f.title),
        tier: text_at(r, &f.tier).and_then(|t| VipTier::from_label(&t)),
        city: text_at(r, &f.city),
        country: text_at(r, &f.country),
        // Parsed, never a prefix: `http://127.0.0.1.evil.test/` is no link.
        url: text_at(r, &f.url).and_then(|u| outside_link(&u)),
        orders,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
