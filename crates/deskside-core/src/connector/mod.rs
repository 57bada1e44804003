//! Connectors: building the HTTP request for a lookup and mapping the answer
//! onto [`Customer`]. The browser I/O itself is in `deskside-wasm`; here it is
//! all data in, data out, so every vendor's quirks are tested natively.
//!
//! A connector is declarative: a [`def::Definition`] (a shipped preset's,
//! `crates/deskside-core/connectors/*.json`, or the admin's generic one)
//! names the requests, the auth scheme and where each field of the common
//! model sits in the vendor's JSON; [`engine`] runs it.

pub mod def;
pub mod engine;
pub mod path;
pub mod presets;
pub mod sign;
pub mod setup;
pub mod trial;
pub mod writes;

pub use engine::{Answer, Stamp};

use crate::config::{ConnectorConfig, ConnectorKind};
use crate::i18n::{data, Arg, Msg, Text};
use crate::identify::{Candidate, IdKind};
use crate::secret::Secret;
use crate::weburl::encode_component;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Responses larger than this are refused before parsing.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// One attempt may take this long before it is abandoned.
pub const ATTEMPT_TIMEOUT_MS: u32 = 10_000;

/// Whether a connector of this kind can look customers up by `id`.
pub fn supports(kind: ConnectorKind, id: IdKind) -> bool {
    presets::definition(kind).is_some_and(|d| !d.lookups_for(id).is_empty())
}

/// Whether any shipped connector can look customers up by `id`.
pub fn any_supports(id: IdKind) -> bool {
    ConnectorKind::ALL.into_iter().any(|k| supports(k, id))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
    Put,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// A request ready for `fetch`, key included. Only [`build_lookup`] makes one,
/// and it attaches the key only to the connector's own origin.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// A JSON or form body (POST).
    pub body: Option<String>,
    /// Where it carries secrets, kept out of `Debug` and of what is shown.
    pub redact: Redact,
}

/// Where a request carries a secret (besides headers named like one:
/// `Authorization`, `…key…`, `…token…`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Redact {
    /// Query parameters, and fields of a form body.
    pub params: Vec<String>,
    /// Headers.
    pub headers: Vec<String>,
    /// JSON pointers into a JSON body (`/access_token`).
    pub fields: Vec<String>,
}

impl HttpRequest {
    /// The URL as it may be shown: secret parameters `<redacted>`.
    pub fn shown_url(&self) -> String {
        self.redact.params.iter().fold(self.url.clone(), |url, p| redact_param(&url, p))
    }

    /// Whether a header holds a secret.
    pub fn secret_header(&self, name: &str) -> bool {
        is_secret_header(name) || self.redact.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
    }

    /// The body as it may be shown: secret form fields and JSON fields `<redacted>`.
    pub fn shown_body(&self) -> Option<String> {
        let body = self.body.as_deref()?;
        if self.redact.fields.is_empty() && self.redact.params.is_empty() {
            return Some(body.to_string());
        }
        if let Ok(mut json) = serde_json::from_str::<serde_json::Value>(body) {
            for p in &self.redact.fields {
                if let Some(v) = json.pointer_mut(p) {
                    *v = serde_json::Value::String("<redacted>".into());
                }
            }
            return Some(json.to_string());
        }
        let names: Vec<String> = self.redact.params.iter().map(|p| encode_component(p)).collect();
        Some(
            body.split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if names.iter().any(|n| n == k) => format!("{k}=<redacted>"),
                    _ => kv.to_string(),
                })
                .collect::<Vec<_>>()
                .join("&"),
        )
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if self.secret_header(k) { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("HttpRequest").field("method", &self.method).field("url", &self.shown_url()).field("headers", &headers).field("body", &self.shown_body()).finish()
    }
}

/// `https://h/x?a=1&key=SECRET` → `https://h/x?a=1&key=<redacted>`.
pub fn redact_param(url: &str, param: &str) -> String {
    let Some((head, query)) = url.split_once('?') else { return url.to_string() };
    let name = encode_component(param);
    let parts: Vec<String> = query.split('&').map(|kv| match kv.split_once('=') {
        Some((k, _)) if k == name => format!("{k}=<redacted>"),
        _ => kv.to_string(),
    }).collect();
    format!("{head}?{}", parts.join("&"))
}

pub(crate) fn is_secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization" || n.contains("key") || n.contains("token") || n.contains("secret")
}

/// Why a lookup did not produce customers. Each has a message for the panel.
///
/// Stored (cache entries keep a failure) as `{"kind": "server", "status": 503}`;
/// read through [`LookupErrorForm`], one flat struct, not serde's derived
/// internally tagged reader, which buffers through `Content` (issue 23).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "LookupErrorForm")]
pub enum LookupError {
    /// The connector is misconfigured (bad URL and the like).
    Config { message: Text },
    /// 401/403: the key is wrong or revoked.
    Unauthorized { status: u16 },
    /// The key was accepted but lacks a permission the request needs, as
    /// the vendor says (HubSpot's `MISSING_SCOPES`, Zoho's
    /// `OAUTH_SCOPE_MISMATCH`, a 403 that names a permission): the scopes
    /// to grant when the vendor names them, and its words.
    MissingPermission {
        status: u16,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        scopes: Vec<String>,
        #[serde(default)]
        detail: String,
    },
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

/// A stored [`LookupError`] as written: its `kind` and every variant's fields
/// side by side.
#[derive(Deserialize)]
pub struct LookupErrorForm {
    kind: String,
    message: Option<Text>,
    status: Option<u16>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    detail: String,
    retry_after_secs: Option<u32>,
}

/// A variant's required field, or serde's words for its absence.
pub(crate) fn required<T>(v: Option<T>, name: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("missing field `{name}`"))
}

impl TryFrom<LookupErrorForm> for LookupError {
    type Error = String;
    fn try_from(f: LookupErrorForm) -> Result<Self, String> {
        Ok(match f.kind.as_str() {
            "config" => LookupError::Config { message: required(f.message, "message")? },
            "unauthorized" => LookupError::Unauthorized { status: required(f.status, "status")? },
            "missing_permission" => LookupError::MissingPermission { status: required(f.status, "status")?, scopes: f.scopes, detail: f.detail },
            "rate_limited" => LookupError::RateLimited { retry_after_secs: f.retry_after_secs },
            "server" => LookupError::Server { status: required(f.status, "status")? },
            "bad_response" => LookupError::BadResponse { message: required(f.message, "message")? },
            "timeout" => LookupError::Timeout,
            "network" => LookupError::Network { message: required(f.message, "message")? },
            other => return Err(format!("unknown variant `{other}`")),
        })
    }
}

impl LookupError {
    /// One sentence for the agent, as a message id.
    pub fn user_message(&self) -> Text {
        let detail = |m: &Text| Arg::Text(m.clone());
        match self {
            LookupError::Config { message } => Text::new(Msg::ErrConfig, [detail(message)]),
            LookupError::Unauthorized { status } => Text::new(Msg::ErrUnauthorized, [data(status)]),
            LookupError::MissingPermission { scopes, .. } if !scopes.is_empty() => Text::new(Msg::ErrMissingScopes, [data(scopes.join(", "))]),
            LookupError::MissingPermission { status, detail, .. } => Text::new(Msg::ErrMissingPermission, [data(status), data(detail)]),
            LookupError::RateLimited { retry_after_secs: Some(s) } => Text::new(Msg::ErrRateLimitedSecs, [data(s)]),
            LookupError::RateLimited { retry_after_secs: None } => Msg::ErrRateLimited.into(),
            LookupError::Server { status } => Text::new(Msg::ErrServer, [data(status)]),
            LookupError::BadResponse { message } => Text::new(Msg::ErrBadResponse, [detail(message)]),
            LookupError::Timeout => Msg::ErrTimeout.into(),
            LookupError::Network { message } => Text::new(Msg::ErrNetwork, [detail(message)]),
        }
    }

    /// Whether trying again later may help (no 4xx but 408 and 429).
    pub fn retryable(&self) -> bool {
        crate::client::retry::error_retryable(self)
    }
}

/// The requests to try for one identifier with one connector, in order
/// (each until one finds a record). `token` is the access token of a
/// token-exchange auth kind, kept by the background.
/// `stamp` is the time and a fresh nonce, for signed requests.
pub fn build_lookup(cfg: &ConnectorConfig, token: Option<&Secret>, id: &Candidate, stamp: &Stamp) -> Result<Vec<HttpRequest>, LookupError> {
    let base = cfg.base().map_err(|e| LookupError::Config { message: e.message().into() })?;
    let def = cfg.definition().ok_or(LookupError::Config { message: Msg::CfgEnterDefinition.into() })?;
    engine::build_requests(def, &base, &cfg.all_secrets(), token, id, stamp)
}

/// The token request of a connector whose auth exchanges its secrets for an
/// access token (`None` for the others).
pub fn token_request(cfg: &ConnectorConfig) -> Option<Result<HttpRequest, LookupError>> {
    let def = cfg.definition()?;
    let base = match cfg.base() {
        Ok(b) => b,
        Err(e) => return Some(Err(LookupError::Config { message: e.message().into() })),
    };
    // The setup values the base URL was made from (a token URL may be made
    // of them too).
    let setup = cfg.setup_values();
    engine::token_request(def, &base, &setup, &cfg.all_secrets())
}

/// The follow-up requests for a found record's related items (its deals,
/// tickets, notes), sent together once the record is the one shown.
pub fn related_requests(cfg: &ConnectorConfig, token: Option<&Secret>, record: &crate::model::Customer, stamp: &Stamp) -> Result<Vec<HttpRequest>, LookupError> {
    let base = cfg.base().map_err(|e| LookupError::Config { message: e.message().into() })?;
    let def = cfg.definition().ok_or(LookupError::Config { message: Msg::CfgEnterDefinition.into() })?;
    engine::related_requests(def, &base, &cfg.all_secrets(), token, record, stamp)
}

/// What each of [`related_requests`] fills, in the same order (`deals`,
/// `company`), so a failed one can be named.
pub fn related_kinds(cfg: &ConnectorConfig, record: &crate::model::Customer) -> Vec<&'static str> {
    cfg.definition().map(|def| engine::related_kinds(def, record)).unwrap_or_default()
}

/// Reads the answer to follow-up request `k` into `record`'s lists.
pub fn map_related(cfg: &ConnectorConfig, k: usize, url: &str, resp: &HttpResponse, record: &mut crate::model::Customer) -> Result<(), LookupError> {
    let def = cfg.definition().ok_or(LookupError::Config { message: Msg::CfgEnterDefinition.into() })?;
    engine::read_related(def, k, url, resp, record)
}

/// The access token and its lifetime in seconds from the answer to
/// [`token_request`], as the connector's auth kind reads it.
pub fn read_token(cfg: &ConnectorConfig, resp: &HttpResponse) -> Result<(Secret, u32), LookupError> {
    let def = cfg.definition().ok_or(LookupError::Config { message: Msg::CfgEnterDefinition.into() })?;
    engine::read_token(&def.auth, resp)
}

/// What came back over the wire, as the wasm crate saw it (serde: it
/// crosses a promise between the background's tasks as is).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HttpResponse {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
    /// Set when the browser reports a redirect was followed.
    pub redirected: bool,
}

/// Reads the answer to attempt `attempt` of [`build_lookup`] (sent to
/// `url`) onto customers (possibly none), or a typed error.
pub fn map_lookup(cfg: &ConnectorConfig, attempt: usize, id: &Candidate, url: &str, resp: &HttpResponse) -> Result<Answer, LookupError> {
    map_lookup_with(cfg, attempt, id, url, resp, false)
}

/// [`map_lookup`] with each record's provenance (`Answer::provenance`):
/// *Test connection* shows it; a panel's lookup does not compute it.
pub fn map_lookup_traced(cfg: &ConnectorConfig, attempt: usize, id: &Candidate, url: &str, resp: &HttpResponse) -> Result<Answer, LookupError> {
    map_lookup_with(cfg, attempt, id, url, resp, true)
}

fn map_lookup_with(cfg: &ConnectorConfig, attempt: usize, id: &Candidate, url: &str, resp: &HttpResponse, traced: bool) -> Result<Answer, LookupError> {
    let def = cfg.definition().ok_or(LookupError::Config { message: Msg::CfgEnterDefinition.into() })?;
    let request = def.lookups_for(id.kind).get(attempt).ok_or(LookupError::Config { message: Text::new(Msg::LookupCannotSearchBy, [id.kind.name_in_sentence().into()]) })?;
    if traced {
        engine::read_answer_traced(def, request, &cfg.label, id, url, resp, &cfg.setup_values())
    } else {
        engine::read_answer_with(def, request, &cfg.label, id, url, resp, &cfg.setup_values())
    }
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod auth_tests;
#[cfg(test)]
mod labels_tests;
