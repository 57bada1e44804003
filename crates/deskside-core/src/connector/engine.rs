//! Runs a [`Definition`]: the requests for an identifier (templates filled
//! through encoders, auth attached for the connector's own origin only) and
//! the answer read back onto the common model.

use super::def::{parse_placeholder, placeholders_in, AuthDef, DateDef, DateFormat, Definition, Encoding, HttpMethod, ItemsDef, ListKind, MoneyDef, RelatedDef, RelatedInto, RequestDef, SignHash, SignedDef, TimeUnit, TokenEndpoint, TokenPlace, ValueDef, ValueForm};
use super::{path, sign};
use super::{HttpRequest, HttpResponse, LookupError, Method, Redact};
use crate::i18n::{currency_code, data, minor_unit_digits, Msg, Text};
use crate::identify::{Candidate, IdKind};
use crate::model::{CustomField, Customer, Deal, FieldType, Note, Order, Ticket, VipTier};
use crate::secret::Secret;
use crate::weburl::{encode_component, origin_of, outside_link, BaseUrl};
use serde_json::Value;
use std::collections::BTreeMap;

/// The secrets of one connector, by the names its auth kind uses.
pub type Secrets = BTreeMap<String, Secret>;

/// The time and a fresh random nonce, given by the caller (the core reads
/// no clock and draws no random numbers): signed requests are computed
/// from them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// Milliseconds since the Unix epoch.
    pub now_ms: u64,
    /// Letters and digits only (others are dropped), at most 64.
    pub nonce: String,
}

impl Stamp {
    pub fn new(now_ms: u64, nonce: &str) -> Stamp {
        Stamp { now_ms, nonce: nonce.chars().filter(char::is_ascii_alphanumeric).take(64).collect() }
    }

    /// The stamp of attempt `k` of one lookup: the same time, a nonce of its
    /// own (vendors refuse a nonce used twice).
    fn attempt(&self, k: usize) -> Stamp {
        Stamp { now_ms: self.now_ms, nonce: if k == 0 { self.nonce.clone() } else { format!("{}{k}", self.nonce) } }
    }
}

/// The requests to try for `id`, in order (each until one finds a record).
/// `token` is the access token of a token-exchange auth kind; `stamp` the
/// time and nonce of a signed one.
pub fn build_requests(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, id: &Candidate, stamp: &Stamp) -> Result<Vec<HttpRequest>, LookupError> {
    let lookups = def.lookups_for(id.kind);
    if lookups.is_empty() {
        return Err(LookupError::Config { message: Text::new(Msg::LookupCannotSearchBy, [id.kind.name_in_sentence().into()]) });
    }
    for name in def.auth.secrets() {
        if secrets.get(*name).is_none_or(Secret::is_empty) {
            return Err(LookupError::Config { message: Text::new(Msg::LookupNoSecret, [data(name)]) });
        }
    }
    let none = BTreeMap::new();
    lookups.iter().enumerate().map(|(k, r)| build_one(def, base, secrets, token, r, id, &none, &stamp.attempt(k))).collect()
}

/// One request: `id` (its value in the request's form) and, for a follow-up,
/// the found record's values (`refs`, by path) inserted into the templates.
#[allow(clippy::too_many_arguments)]
fn build_one(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, r: &RequestDef, id: &Candidate, refs: &BTreeMap<String, String>, stamp: &Stamp) -> Result<HttpRequest, LookupError> {
    let value = value_in_form(id, r.value);
    for (inner, _) in placeholders_in(&r.path) {
        let raw = match parse_placeholder(inner) {
            Some((None, _)) => value.as_str(),
            Some((Some(p), _)) => refs.get(p).map_or("", String::as_str),
            None => continue,
        };
        // `.` and `..` are path steps, even percent-encoded: never a value.
        if raw.is_empty() || raw.chars().all(|c| c == '.') {
            return Err(LookupError::Config { message: Msg::LookupBadRecordId.into() });
        }
    }
    let path = fill_template(&r.path, &value, refs, &|s| encode_component(s));
    let query: Vec<(String, String)> = r.query.iter().map(|(k, v)| (k.clone(), fill_template(v, &value, refs, &|s| s.to_string()))).collect();
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    let body = match (&r.method, &r.body) {
        (HttpMethod::Post, Some(template)) => Some(map_strings(template, &|s| fill_template(s, &value, refs, &|s| s.to_string()))),
        _ => None,
    };
    headers.extend(r.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
    authorize(def, base, secrets, token, stamp, r.method, &path, query, headers, body)
}

/// A request whose templates are filled: the auth attached (for the
/// connector's own origin only), the body serialised, the URL joined and
/// checked. Lookups, follow-ups and writes (`connector::writes`) end here.
#[allow(clippy::too_many_arguments)]
pub(crate) fn authorize(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, stamp: &Stamp, method: HttpMethod, path: &str, mut query: Vec<(String, String)>, mut headers: Vec<(String, String)>, mut body: Option<Value>) -> Result<HttpRequest, LookupError> {
    let mut redact = Redact::default();
    match &def.auth {
        AuthDef::Bearer => headers.push(("Authorization".into(), format!("Bearer {}", secret(secrets, "api_key")))),
        AuthDef::Header { name } => {
            headers.push((name.clone(), secret(secrets, "api_key").to_string()));
            redact.headers.push(name.clone());
        }
        AuthDef::Query { param } => {
            query.push((param.clone(), secret(secrets, "api_key").to_string()));
            redact.params.push(param.clone());
        }
        AuthDef::Basic { password } => {
            let (user, pass) = match password {
                Some(fixed) => (secret(secrets, "api_key"), fixed.as_str()),
                None => (secret(secrets, "username"), secret(secrets, "password")),
            };
            headers.push(("Authorization".into(), format!("Basic {}", base64(format!("{user}:{pass}").as_bytes()))));
        }
        AuthDef::ClientCredentials { place, .. } | AuthDef::RefreshToken { place, .. } => place_token(place, token, &mut headers, &mut query, &mut body, &mut redact)?,
        AuthDef::AppToken(a) => place_token(&a.place, token, &mut headers, &mut query, &mut body, &mut redact)?,
        AuthDef::Signed(_) => {}
    }
    let body = body.map(|b| b.to_string());
    if body.is_some() {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    if let AuthDef::Signed(sd) = &def.auth {
        sign_request(sd, secrets, stamp, body.as_deref().unwrap_or(""), &mut headers, &mut query, &mut redact);
    }
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let url = base.join(path, &pairs);
    // The secrets go only to the configured origin, checked on the final URL.
    if origin_of(&url).as_deref() != Some(base.origin().as_str()) {
        return Err(LookupError::Config { message: Msg::LookupLeftOrigin.into() });
    }
    let method = match method {
        HttpMethod::Get => Method::Get,
        HttpMethod::Post => Method::Post,
        HttpMethod::Put => Method::Put,
    };
    Ok(HttpRequest { method, url, headers, body, redact })
}

/// The access token where the API wants it.
fn place_token(place: &TokenPlace, token: Option<&Secret>, headers: &mut Vec<(String, String)>, query: &mut Vec<(String, String)>, body: &mut Option<Value>, redact: &mut Redact) -> Result<(), LookupError> {
    let token = token.filter(|t| !t.is_empty()).ok_or(LookupError::Config { message: Msg::LookupNoToken.into() })?.expose();
    match place {
        TokenPlace::Header { name, prefix } => {
            headers.push((name.clone(), format!("{prefix}{token}")));
            redact.headers.push(name.clone());
        }
        TokenPlace::Query { name } => {
            query.push((name.clone(), token.to_string()));
            redact.params.push(name.clone());
        }
        TokenPlace::Body { name } => match body {
            Some(Value::Object(fields)) => {
                fields.insert(name.clone(), Value::String(token.to_string()));
                redact.fields.push(format!("/{}", name.replace('~', "~0").replace('/', "~1")));
            }
            // (Validation requires a POST with a JSON object body.)
            _ => return Err(LookupError::Config { message: Text::new(Msg::DefPlaceNeedsBody, [data("-")]) }),
        },
    }
    Ok(())
}

/// A signed request's parameters and headers: the signature over the
/// definition's text, computed from the secret, the stamp and the body sent.
fn sign_request(sd: &SignedDef, secrets: &Secrets, stamp: &Stamp, body: &str, headers: &mut Vec<(String, String)>, query: &mut Vec<(String, String)>, redact: &mut Redact) {
    let timestamp = match sd.timestamp {
        TimeUnit::Seconds => stamp.now_ms / 1000,
        TimeUnit::Millis => stamp.now_ms,
    }
    .to_string();
    let (key_id, key) = (secret(secrets, "key_id"), secret(secrets, "secret"));
    let needs = |p: &str| sd.sign.contains(p) || sd.query.values().chain(sd.headers.values()).any(|t| t.contains(p));
    let body_md5 = if needs("{body_md5}") { sign::hex(&sign::digest(SignHash::Md5, &[], body.as_bytes())) } else { String::new() };
    let body_sha256 = if needs("{body_sha256}") { sign::hex(&sign::digest(SignHash::Sha256, &[], body.as_bytes())) } else { String::new() };
    let fill = |t: &str, signature: &str| {
        // One pass over the template: an inserted value is never read again
        // for placeholders (a body holding `{secret}` stays as it is).
        let mut out = String::with_capacity(t.len() + 64);
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let Some(end) = after.find('}') else { break };
            out.push_str(match &after[..end] {
                "key_id" => key_id,
                "secret" => key,
                "timestamp" => &timestamp,
                "nonce" => &stamp.nonce,
                "body" => body,
                "body_md5" => &body_md5,
                "body_sha256" => &body_sha256,
                "sign" => signature,
                _ => "",
            });
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    };
    let signature = sign::encode(&sign::digest(sd.hash, key.as_bytes(), fill(&sd.sign, "").as_bytes()), sd.output);
    for (k, t) in &sd.query {
        query.push((k.clone(), fill(t, &signature)));
        if t.contains("{key_id}") {
            redact.params.push(k.clone());
        }
    }
    for (k, t) in &sd.headers {
        headers.push((k.clone(), fill(t, &signature)));
        if t.contains("{key_id}") {
            redact.headers.push(k.clone());
        }
    }
}

fn secret<'a>(secrets: &'a Secrets, name: &str) -> &'a str {
    secrets.get(name).map(Secret::expose).unwrap_or("")
}

/// The token request of a token-exchange auth kind (`None` for the others):
/// an OAuth 2 grant as a form (`client_credentials`, `refresh_token`), or an
/// app-token request with `{app_id}` and `{app_secret}` filled in; sent to
/// the token path on the API's origin or to the token URL (made of the
/// setup values `setup`, as the base URL is: `https://accounts.zoho{dc}/…`).
pub fn token_request(def: &Definition, base: &BaseUrl, setup: &BTreeMap<String, String>, secrets: &Secrets) -> Option<Result<HttpRequest, LookupError>> {
    let endpoint = def.auth.token_endpoint()?;
    let endpoint = match def.token_url_from(setup) {
        Ok(Some(url)) => TokenEndpoint::Url(url.to_string()),
        Ok(None) => endpoint.clone(),
        Err(e) => return Some(Err(LookupError::Config { message: e.into_iter().next().map_or_else(|| Msg::SetupRequired.into(), |e| e.message) })),
    };
    let endpoint = &endpoint;
    for name in def.auth.secrets() {
        if secret(secrets, name).is_empty() {
            return Some(Err(LookupError::Config { message: Text::new(Msg::LookupNoSecret, [data(name)]) }));
        }
    }
    let form = |grant: &str, scope: &Option<String>| {
        let mut form = format!("grant_type={grant}");
        if grant == "refresh_token" {
            form.push_str(&format!("&refresh_token={}", encode_component(secret(secrets, "refresh_token"))));
        }
        form.push_str(&format!("&client_id={}&client_secret={}", encode_component(secret(secrets, "client_id")), encode_component(secret(secrets, "client_secret"))));
        if let Some(scope) = scope {
            form.push_str(&format!("&scope={}", encode_component(scope)));
        }
        form
    };
    let form_headers = || vec![("Accept".into(), "application/json".into()), ("Content-Type".into(), "application/x-www-form-urlencoded".into())];
    let form_redact = || Redact { params: vec!["client_id".into(), "client_secret".into(), "refresh_token".into()], ..Redact::default() };
    let request = match &def.auth {
        AuthDef::ClientCredentials { scope, .. } => token_url(endpoint, base, &[]).map(|url| HttpRequest { method: Method::Post, url, headers: form_headers(), body: Some(form("client_credentials", scope)), redact: form_redact() }),
        AuthDef::RefreshToken { scope, .. } => token_url(endpoint, base, &[]).map(|url| HttpRequest { method: Method::Post, url, headers: form_headers(), body: Some(form("refresh_token", scope)), redact: form_redact() }),
        AuthDef::AppToken(a) => {
            let fill = |t: &str| t.replace("{app_id}", secret(secrets, "app_id")).replace("{app_secret}", secret(secrets, "app_secret"));
            let query: Vec<(String, String)> = a.query.iter().map(|(k, t)| (k.clone(), fill(t))).collect();
            let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut redact = Redact { params: a.query.iter().filter(|(_, t)| t.contains('{')).map(|(k, _)| k.clone()).collect(), ..Redact::default() };
            let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
            let body = match (&a.method, &a.body) {
                (HttpMethod::Post, Some(template)) => {
                    redact.fields = strings_in(template, "").into_iter().filter(|(_, t)| t.contains('{')).map(|(p, _)| p).collect();
                    headers.push(("Content-Type".into(), "application/json".into()));
                    Some(map_strings(template, &fill).to_string())
                }
                _ => None,
            };
            let method = if a.method == HttpMethod::Post { Method::Post } else { Method::Get };
            token_url(endpoint, base, &pairs).map(|url| HttpRequest { method, url, headers, body, redact })
        }
        _ => return None,
    };
    Some(request)
}

/// The token endpoint's URL; its origin is checked on the final URL.
fn token_url(endpoint: &TokenEndpoint, base: &BaseUrl, query: &[(&str, &str)]) -> Result<String, LookupError> {
    let left = || LookupError::Config { message: Msg::LookupLeftOrigin.into() };
    match endpoint {
        TokenEndpoint::Path(p) => {
            let url = base.join(p, query);
            (origin_of(&url).as_deref() == Some(base.origin().as_str())).then_some(url).ok_or_else(left)
        }
        TokenEndpoint::Url(u) => {
            let at = BaseUrl::parse(u).map_err(|_| LookupError::Config { message: Text::new(Msg::DefBadTokenUrl, [data(u)]) })?;
            let url = at.join("", query);
            (origin_of(&url).as_deref() == Some(at.origin().as_str())).then_some(url).ok_or_else(left)
        }
    }
}

/// "Invalid JSON" with what is wrong and where, in the reader's language
/// (serde_json's own words are English: "EOF while parsing a string at line
/// 1 column 85" was shown as it is in the Chinese panel).
pub(crate) fn bad_json(e: &serde_json::Error) -> Text {
    let what = if e.is_eof() {
        Msg::JsonEndsEarly
    } else if e.to_string().starts_with("recursion limit exceeded") {
        Msg::JsonTooDeep
    } else {
        Msg::JsonSyntax
    };
    Text::new(Msg::LookupBadJson, [crate::i18n::Arg::Text(Text::new(what, [data(e.line()), data(e.column())]))])
}

/// An access token and how long it lasts (seconds), from a token endpoint's
/// answer: `access_token` and `expires_in` (OAuth 2), or where an app-token
/// definition says; an error inside a 200 is a typed error. A new
/// `refresh_token` in the answer is not kept: the stored one goes on being used.
pub fn read_token(auth: &AuthDef, resp: &HttpResponse) -> Result<(Secret, u32), LookupError> {
    match resp.status {
        200..=299 => {}
        403 if crate::client::retry::is_rate_limit_body(403, &resp.body) => return Err(LookupError::RateLimited { retry_after_secs: None }),
        400 | 401 | 403 => return Err(LookupError::Unauthorized { status: resp.status }),
        429 => return Err(LookupError::RateLimited { retry_after_secs: resp.retry_after.as_deref().and_then(super::parse_retry_after) }),
        s => return Err(LookupError::Server { status: s }),
    }
    let json: Value = serde_json::from_str(resp.body.trim()).map_err(|e| LookupError::BadResponse { message: bad_json(&e) })?;
    let envelope = |code: &Value, words: Option<&Value>| LookupError::BadResponse { message: Text::new(Msg::LookupEnvelopeError, [data(path::text(code).unwrap_or_default()), data(words.and_then(path::text).unwrap_or_default())]) };
    let (token_at, expires_at) = match auth {
        AuthDef::AppToken(a) => {
            if let Some(s) = &a.success {
                if let Some(code) = path::first(&json, &s.path) {
                    if !s.ok.iter().any(|ok| same_code(ok, code)) {
                        return Err(envelope(code, path::first(&json, &s.message)));
                    }
                }
            }
            (a.token.as_str(), a.expires_in.as_str())
        }
        _ => {
            // OAuth 2 errors said in a 200 (`{"error": "invalid_code"}`, as Zoho answers).
            if let Some(code) = json.get("error").filter(|e| e.is_string()) {
                return Err(envelope(code, json.get("error_description")));
            }
            ("/access_token", "/expires_in")
        }
    };
    let token = path::first(&json, token_at).and_then(Value::as_str).filter(|t| !t.is_empty() && t.len() < 8192 && !t.chars().any(char::is_control));
    let token = token.ok_or(LookupError::BadResponse { message: Text::new(Msg::LookupMissingField, [data(token_at)]) })?;
    // Renewed a minute early; at most a day, at least a minute; an hour when unsaid.
    let expires = path::first(&json, expires_at).and_then(|v| v.as_u64().or_else(|| path::text(v)?.trim().parse().ok())).unwrap_or(3600).clamp(60, 86_400) as u32;
    Ok((Secret::new(token), expires))
}

/// The identifier in the form a request wants.
fn value_in_form(id: &Candidate, form: ValueForm) -> String {
    let v = id.value.trim();
    if id.kind != IdKind::Phone {
        return v.to_string();
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    match form {
        ValueForm::AsIs => v.to_string(),
        ValueForm::Digits => digits,
        ValueForm::National => national(&digits),
    }
}

/// A phone's digits without the country calling code (`8613800138000` →
/// `13800138000`; `442079460958` → `02079460958` where a trunk 0 is dialled).
fn national(digits: &str) -> String {
    const TRUNK_ZERO: &[&str] = &["44", "49", "33", "61", "81", "886", "91"];
    const CODES: &[&str] = &["1", "7", "33", "44", "49", "61", "65", "81", "82", "86", "91", "852", "853", "886"];
    for len in [3, 2, 1] {
        if digits.len() > len + 4 && CODES.contains(&&digits[..len]) {
            let rest = &digits[len..];
            return if TRUNK_ZERO.contains(&&digits[..len]) { format!("0{rest}") } else { rest.to_string() };
        }
    }
    digits.to_string()
}

/// A template with its placeholders filled in one pass (an inserted value is
/// never read again for placeholders): `{value}` is `value`, `{record:/path}`
/// the record's value at that path (`refs`); each written in its encoding
/// (`:soql`, `:sosl`), then through `outer` (a path segment's
/// percent-encoding; nothing for a query value, which the URL encodes, or a
/// JSON string, which is built as JSON so quotes stay inside it).
fn fill_template(t: &str, value: &str, refs: &BTreeMap<String, String>, outer: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(t.len() + value.len());
    let mut last = 0;
    for (inner, range) in placeholders_in(t) {
        let Some((at, encoding)) = parse_placeholder(inner) else { continue };
        let raw = match at {
            None => value,
            Some(p) => refs.get(p).map_or("", String::as_str),
        };
        let written = match encoding {
            Encoding::Plain => raw.to_string(),
            Encoding::Soql => soql_literal(raw),
            Encoding::Sosl => sosl_term(raw),
        };
        out.push_str(&t[last..range.start]);
        out.push_str(&outer(&written));
        last = range.end;
    }
    out.push_str(&t[last..]);
    out
}

/// A JSON template with the value inserted into its strings.
#[cfg(test)]
fn fill_json(template: &Value, value: &str) -> Value {
    map_strings(template, &|s| fill_template(s, value, &BTreeMap::new(), &|s| s.to_string()))
}

/// A JSON template with each of its strings rewritten.
fn map_strings(template: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match template {
        Value::String(s) => Value::String(f(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| map_strings(v, f)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), map_strings(v, f))).collect()),
        other => other.clone(),
    }
}

/// Every string in a JSON template with its JSON pointer.
fn strings_in(v: &Value, at: &str) -> Vec<(String, String)> {
    match v {
        Value::String(s) => vec![(at.to_string(), s.clone())],
        Value::Array(items) => items.iter().enumerate().flat_map(|(i, x)| strings_in(x, &format!("{at}/{i}"))).collect(),
        Value::Object(map) => map.iter().flat_map(|(k, x)| strings_in(x, &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")))).collect(),
        _ => Vec::new(),
    }
}

/// A SOQL string literal: quotes, backslashes and control characters escaped.
pub fn soql_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A SOSL search term in its braces (`FIND {value:sosl} IN EMAIL FIELDS`):
/// every reserved character (`? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -`)
/// escaped with a backslash, so the value is one term and cannot end the
/// braces; control characters dropped.
pub fn sosl_term(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('{');
    for c in s.chars() {
        match c {
            '?' | '&' | '|' | '!' | '{' | '}' | '[' | ']' | '(' | ')' | '^' | '~' | '*' | ':' | '\\' | '"' | '\'' | '+' | '-' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('}');
    out
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What an answer held.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub customers: Vec<Customer>,
    /// Records the API returned that are not the identifier (a fuzzy search's near misses).
    pub near_misses: usize,
    /// The API's total, when it gives one.
    pub total: Option<u64>,
    /// For each customer, where each of its values came from (for *Test
    /// connection*).
    pub provenance: Vec<Vec<FieldSource>>,
}

/// One mapped value and the path in the vendor's record it came from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldSource {
    /// The common model's field (`name`, `emails`, a custom field's label).
    pub field: String,
    pub value: String,
    /// `/given_name + /family_name`, `/segment (mapped)`, `constant`.
    pub path: String,
}

/// Where each value of a record comes from: the path that gave it (for a
/// list of fallbacks, the one that was not empty).
pub fn provenance(def: &Definition, r: &Value) -> Vec<FieldSource> {
    let m = &def.map;
    let mut out = Vec::new();
    let mut single = |field: &str, d: &Option<ValueDef>| {
        if let Some((value, path)) = d.as_ref().and_then(|d| one_with_path(r, d)) {
            out.push(FieldSource { field: field.to_string(), value, path });
        }
    };
    for (field, d) in [("id", &m.id), ("name", &m.name), ("company", &m.company), ("title", &m.title), ("tier", &m.tier), ("city", &m.city), ("country", &m.country), ("url", &m.url)] {
        single(field, d);
    }
    for (field, defs) in [("emails", &m.emails), ("phones", &m.phones), ("tags", &m.tags)] {
        for d in defs {
            for p in d.paths() {
                for v in path::all(r, p).into_iter().flat_map(|v| match v {
                    Value::Array(items) => items.iter().filter_map(path::text).collect::<Vec<_>>(),
                    v => path::text(v).into_iter().collect(),
                }) {
                    out.push(FieldSource { field: field.to_string(), value: v, path: p.to_string() });
                }
            }
        }
    }
    for (field, d) in [("updated", &m.updated), ("created", &m.created)] {
        if let Some(value) = d.as_ref().and_then(|d| date(r, d)) {
            out.push(FieldSource { field: field.to_string(), value, path: d.as_ref().map(|d| d.path.clone()).unwrap_or_default() });
        }
    }
    for c in &m.custom {
        if let Some(v) = path::first(r, &c.path).and_then(path::text) {
            out.push(FieldSource { field: c.label.clone(), value: v, path: c.path.clone() });
        }
    }
    for (kind, items) in &m.lists {
        if !items.each.is_empty() {
            let n = objects(r, &items.each).len();
            if n > 0 {
                out.push(FieldSource { field: kind.name().to_string(), value: n.to_string(), path: items.each.clone() });
            }
        }
    }
    out
}

/// One value and the path it came from.
fn one_with_path(r: &Value, d: &ValueDef) -> Option<(String, String)> {
    match d {
        ValueDef::Path(p) => one(r, d).map(|v| (v, p.clone())),
        ValueDef::First(all) => all.iter().find_map(|d| one_with_path(r, d)),
        ValueDef::Join { join, .. } => one(r, d).map(|v| (v, join.join(" + "))),
        ValueDef::Const { .. } => one(r, d).map(|v| (v, "constant".to_string())),
        ValueDef::Mapped { path, .. } => one(r, d).map(|v| (v, format!("{path} (mapped)"))),
        // Links from a template are built after mapping, not read at a path.
        ValueDef::Template(..) => None,
    }
}

/// An answer's JSON, once its status, size, shape and the API's own success
/// code say it is one; `None`: the API's "no such record".
fn answer_json(def: &Definition, request: &RequestDef, url: &str, resp: &HttpResponse) -> Result<Option<Value>, LookupError> {
    match resp.status {
        200..=299 => {}
        s if request.not_found_status.contains(&s) => return Ok(None),
        403 if crate::client::retry::is_rate_limit_body(403, &resp.body) => return Err(LookupError::RateLimited { retry_after_secs: None }),
        401 | 403 => return Err(missing_permission(resp.status, &resp.body).unwrap_or(LookupError::Unauthorized { status: resp.status })),
        // Not the definition's own "not found": the URL or path is wrong.
        404 => return Err(LookupError::Config { message: Text::new(Msg::LookupHttp404, [data(without_query(url))]) }),
        429 => return Err(LookupError::RateLimited { retry_after_secs: resp.retry_after.as_deref().and_then(super::parse_retry_after) }),
        s => return Err(LookupError::Server { status: s }),
    }
    if resp.redirected {
        return Err(LookupError::BadResponse { message: Msg::LookupRedirected.into() });
    }
    if resp.body.len() > def.limits.max_body_bytes {
        return Err(LookupError::BadResponse { message: Text::new(Msg::LookupTooLarge, [data(def.limits.max_body_bytes / 1024 / 1024)]) });
    }
    let body = resp.body.trim_start_matches('\u{feff}').trim();
    if body.is_empty() || resp.status == 204 {
        return Ok(None);
    }
    if body.starts_with('<') {
        return Err(LookupError::Config { message: Text::new(Msg::LookupHtmlAt, [data(without_query(url))]) });
    }
    let json: Value = serde_json::from_str(body).map_err(|e| LookupError::BadResponse { message: bad_json(&e) })?;
    if let Some(s) = &def.success {
        if let Some(code) = path::first(&json, &s.path) {
            if !s.ok.iter().any(|ok| same_code(ok, code)) {
                let words = path::first(&json, &s.message).and_then(path::text).unwrap_or_default();
                return Err(LookupError::BadResponse { message: Text::new(Msg::LookupEnvelopeError, [data(path::text(code).unwrap_or_default()), data(words)]) });
            }
        }
    }
    Ok(Some(json))
}

/// A refused request whose answer says the key lacks a permission (rather
/// than being wrong or revoked), as the vendors say it: HubSpot's
/// `category: MISSING_SCOPES` with the scopes in
/// `errors[].context.requiredGranularScopes` (or `requiredScopes`); Zoho's
/// `code: OAUTH_SCOPE_MISMATCH` (a 401); and on a 403, Salesforce's
/// `INSUFFICIENT_ACCESS…`/`API_DISABLED_FOR_ORG`, Freshdesk's
/// `access_denied`, Zendesk's `Forbidden`, or words naming a scope or a
/// permission. A bare 401 or 403 stays "key refused".
pub fn missing_permission(status: u16, body: &str) -> Option<LookupError> {
    if !matches!(status, 401 | 403) || body.len() > 64 * 1024 {
        return None;
    }
    let json: Value = serde_json::from_str(body.trim()).ok()?;
    // The vendor's words: HubSpot/Zoho/Freshdesk `message`, Zendesk `description`, Salesforce `[0].message`, Intercom `errors[0].message`.
    let words = ["/message", "/description", "/0/message", "/errors/0/message", "/error"]
        .iter()
        .find_map(|p| path::first(&json, p).and_then(path::text))
        .unwrap_or_default();
    let detail: String = words.chars().take(200).collect();
    let code = |p: &str| path::first(&json, p).and_then(path::text).unwrap_or_default();
    if code("/category") == "MISSING_SCOPES" {
        let mut scopes: Vec<String> = Vec::new();
        for p in ["/errors/*/context/requiredGranularScopes", "/errors/*/context/requiredScopes", "/context/requiredGranularScopes", "/context/requiredScopes"] {
            for v in path::all(&json, p) {
                for s in v.as_array().into_iter().flatten().filter_map(path::text).chain(path::text(v).filter(|_| !v.is_array())) {
                    if !scopes.contains(&s) && scopes.len() < 10 && s.len() < 80 {
                        scopes.push(s);
                    }
                }
            }
        }
        return Some(LookupError::MissingPermission { status, scopes, detail });
    }
    if code("/code") == "OAUTH_SCOPE_MISMATCH" {
        return Some(LookupError::MissingPermission { status, scopes: Vec::new(), detail });
    }
    if status != 403 {
        return None;
    }
    let salesforce = code("/0/errorCode");
    let says = |w: &str| words.to_ascii_lowercase().contains(w);
    let permission = salesforce.starts_with("INSUFFICIENT_ACCESS")
        || salesforce == "API_DISABLED_FOR_ORG"
        || code("/code") == "access_denied"
        || code("/error") == "Forbidden"
        || ["scope", "permission", "not authorized to", "do not have access", "not allowed to access"].iter().any(|w| says(w));
    permission.then_some(LookupError::MissingPermission { status, scopes: Vec::new(), detail })
}

/// Reads an answer to `request` (the definition's `lookups` entry) for `id`.
/// No [`provenance`]: only *Test connection* shows it ([`read_answer_traced`]).
pub fn read_answer(def: &Definition, request: &RequestDef, source: &str, id: &Candidate, url: &str, resp: &HttpResponse) -> Result<Answer, LookupError> {
    read_answer_with(def, request, source, id, url, resp, &BTreeMap::new())
}

/// [`read_answer`] with the connector's setup values, which record link
/// templates may use (`{setup:portal_id}`).
pub fn read_answer_with(def: &Definition, request: &RequestDef, source: &str, id: &Candidate, url: &str, resp: &HttpResponse, setup: &BTreeMap<String, String>) -> Result<Answer, LookupError> {
    read_answer_inner(def, request, source, id, url, resp, setup, false)
}

/// [`read_answer_with`] with where each value came from (`Answer::provenance`),
/// for *Test connection*.
pub fn read_answer_traced(def: &Definition, request: &RequestDef, source: &str, id: &Candidate, url: &str, resp: &HttpResponse, setup: &BTreeMap<String, String>) -> Result<Answer, LookupError> {
    read_answer_inner(def, request, source, id, url, resp, setup, true)
}

#[allow(clippy::too_many_arguments)]
fn read_answer_inner(def: &Definition, request: &RequestDef, source: &str, id: &Candidate, url: &str, resp: &HttpResponse, setup: &BTreeMap<String, String>, traced: bool) -> Result<Answer, LookupError> {
    let Some(json) = answer_json(def, request, url, resp)? else { return Ok(Answer::default()) };
    let id_def = def.map.id.as_ref();
    let has_id = |r: &Value| id_def.and_then(|d| one(r, d)).is_some();
    // (`all`, not `first`: a null list is there, and means none.)
    let records: Vec<&Value> = match path::all(&json, &def.results.list).into_iter().next() {
        Some(Value::Array(items)) => items.iter().filter(|r| r.is_object()).collect(),
        Some(record @ Value::Object(_)) if has_id(record) => vec![record],
        Some(Value::Null) => Vec::new(),
        // `""`: the answer itself is the record (a get-by-id endpoint).
        None if def.results.record.is_some() => match path::first(&json, def.results.record.as_deref().unwrap_or_default()) {
            Some(record @ Value::Object(_)) if has_id(record) => vec![record],
            Some(Value::Null) | None => Vec::new(),
            Some(_) => return Err(LookupError::BadResponse { message: Text::new(Msg::LookupNotAList, [data(def.results.record.as_deref().unwrap_or_default())]) }),
        },
        // The list is not where the definition says: the shape is not the
        // one expected (a wrong path, another API), never "not found".
        None => return Err(LookupError::Config { message: Text::new(Msg::LookupMissingField, [data(&def.results.list)]) }),
        Some(_) => return Err(LookupError::BadResponse { message: Text::new(Msg::LookupNotAList, [data(&def.results.list)]) }),
    };
    let total = path::first(&json, &def.results.total).and_then(Value::as_u64);
    let mut answer = Answer { total, ..Answer::default() };
    let origin = origin_of(url).unwrap_or_default();
    // A setup value not given is its field's default (a choice left as it was).
    let mut setup = setup.clone();
    for f in def.setup() {
        if let (false, Some(d)) = (setup.contains_key(&f.name), &f.default) {
            setup.insert(f.name.clone(), d.clone());
        }
    }
    let link = LinkValues { origin: &origin, setup: &setup, record_type: request.record_type.as_deref() };
    for r in records.into_iter().take(def.limits.max_records) {
        let mut c = map_record_with(def, source, &link, r);
        c.refs.record_type = request.record_type.clone();
        if def.results.exact && matches!(id.kind, IdKind::Email | IdKind::Phone) && !is_identifier_of(&c, id) {
            answer.near_misses += 1;
        } else {
            if traced {
                answer.provenance.push(provenance(def, r));
            }
            answer.customers.push(c);
        }
    }
    Ok(answer)
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

fn same_code(ok: &Value, code: &Value) -> bool {
    ok == code || path::text(ok).is_some_and(|a| path::text(code).is_some_and(|b| a == b))
}

/// Whether one of the record's emails (any case) or phones (as E.164) is the identifier.
pub fn is_identifier_of(c: &Customer, id: &Candidate) -> bool {
    match id.kind {
        IdKind::Email => c.emails.iter().any(|e| e.trim().eq_ignore_ascii_case(id.value.trim())),
        IdKind::Phone => {
            // A number stored in national form is read in the identifier's own country.
            let region = region_of(&id.value);
            c.phones.iter().any(|p| crate::phone::normalize_phone(p, region).as_deref() == Some(id.value.as_str()) || digits(p) == digits(&id.value))
        }
        _ => true,
    }
}

/// The region whose national numbers an E.164 number's calling code is
/// (`+4930…` → `DE`); `ZZ` (international forms only) for others.
fn region_of(e164: &str) -> &'static str {
    const CODES: &[(&str, &str)] = &[
        ("+852", "HK"), ("+886", "TW"), ("+86", "CN"), ("+44", "GB"), ("+49", "DE"), ("+33", "FR"), ("+81", "JP"),
        ("+91", "IN"), ("+65", "SG"), ("+61", "AU"), ("+1", "US"),
    ];
    CODES.iter().find(|(code, _)| e164.starts_with(code)).map_or("ZZ", |(_, r)| r)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// One value: the first non-empty text the definition finds.
fn one(r: &Value, d: &ValueDef) -> Option<String> {
    match d {
        ValueDef::Path(p) => path::all(r, p).into_iter().find_map(path::text),
        ValueDef::First(all) => all.iter().find_map(|d| one(r, d)),
        ValueDef::Join { join, sep } => {
            let parts: Vec<String> = join.iter().filter_map(|p| path::first(r, p).and_then(path::text)).collect();
            (!parts.is_empty()).then(|| parts.join(sep))
        }
        ValueDef::Const { value } => (!value.is_empty()).then(|| value.clone()),
        ValueDef::Mapped { path: p, map } => {
            let v = path::first(r, p).and_then(path::text)?;
            Some(map.get(&v).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(&v)).map(|(_, x)| x)).cloned().unwrap_or(v))
        }
        // A link template is filled only for `map.url` (see `link`).
        ValueDef::Template(..) => None,
    }
}

/// Every value (paths with `*` steps give several).
fn many(r: &Value, defs: &[ValueDef]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in defs {
        let found: Vec<String> = match d {
            ValueDef::Path(p) => path::all(r, p).into_iter().flat_map(|v| match v {
                Value::Array(items) => items.iter().filter_map(path::text).collect::<Vec<String>>(),
                v => path::text(v).into_iter().collect(),
            }).collect(),
            other => one(r, other).into_iter().collect(),
        };
        for f in found {
            if !out.contains(&f) && out.len() < 20 {
                out.push(f);
            }
        }
    }
    out
}

fn date(r: &Value, d: &DateDef) -> Option<String> {
    let v = path::first(r, &d.path)?;
    match d.format {
        DateFormat::Iso => path::text(v).and_then(|s| iso_normalize(&s)),
        DateFormat::EpochSeconds => v.as_i64().or_else(|| path::text(v)?.parse().ok()).map(iso_date),
        DateFormat::EpochMillis => v.as_i64().or_else(|| path::text(v)?.parse().ok()).map(|ms: i64| iso_date(ms.div_euclid(1000))),
        // The day as written (a valid date or time), not moved to UTC.
        DateFormat::Day => match v {
            Value::Number(n) => n.as_i64().map(|ms| iso_date(ms.div_euclid(1000))),
            v => path::text(v).filter(|s| iso_normalize(s).is_some()).map(|s| s.trim()[..10].to_string()),
        },
    }
}

/// An ISO 8601 date or time, checked and written one way, so dates from
/// every vendor compare as text and parse in every browser: a date stays a
/// date (`2026-11-02`); a time with a zone becomes UTC to the second
/// (`2026-11-02T09:30:00.000+0000` → `2026-11-02T09:30:00Z`,
/// `2026-11-02T10:15:42+05:30` → `2026-11-02T04:45:42Z`); a time without one
/// is kept as local (`2026-11-02T09:30:00`). Anything else: `None`.
pub fn iso_normalize(s: &str) -> Option<String> {
    let b = s.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { b.get(r.clone()).filter(|d| d.iter().all(u8::is_ascii_digit))?.iter().try_fold(0i64, |n, d| Some(n * 10 + i64::from(d - b'0'))) };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    if b.len() == 10 {
        return Some(format!("{y:04}-{mo:02}-{d:02}"));
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let (h, mi) = (num(11..13)?, num(14..16)?);
    let mut i = 16;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = num(i + 1..i + 3)?;
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    // The zone: none, `Z`, or ±HH, ±HHMM, ±HH:MM.
    let offset_min = match &b[i..] {
        [] => return Some(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}")),
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (oh, om) = match rest.len() {
                2 => (num(i + 1..i + 3)?, 0),
                4 => (num(i + 1..i + 3)?, num(i + 3..i + 5)?),
                5 if rest[2] == b':' => (num(i + 1..i + 3)?, num(i + 4..i + 6)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            if *sign == b'+' { oh * 60 + om } else { -(oh * 60 + om) }
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec.min(59) - offset_min * 60;
    let t = secs.rem_euclid(86_400);
    Some(format!("{}T{:02}:{:02}:{:02}Z", iso_date(secs), t / 3600, t % 3600 / 60, t % 60))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (the inverse of [`iso_date`]).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Epoch seconds → `YYYY-MM-DD` (UTC).
pub fn iso_date(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), by the civil-from-days algorithm.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An amount in minor units from a decimal (`"1899.5"` EUR → 189950).
pub fn decimal_to_minor(v: &Value, currency: Option<&str>) -> Option<i64> {
    let s = path::text(v)?;
    let s = s.replace([',', ' '], "");
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, s),
    };
    let (units, frac) = s.split_once('.').unwrap_or((&s, ""));
    if units.is_empty() && frac.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || units.len() > 15 {
        return None;
    }
    // The currency's own minor unit, as the panel shows it (`RMB` as `CNY`).
    let digits = currency.and_then(currency_code).map_or(2, |c| minor_unit_digits(&c)) as usize;
    let mut frac: String = frac.chars().take(digits).collect();
    while frac.len() < digits {
        frac.push('0');
    }
    let n: i64 = format!("{}{frac}", if units.is_empty() { "0" } else { units }).parse().ok()?;
    Some(if neg { -n } else { n })
}

fn money(x: &Value, m: &MoneyDef, currency: Option<&str>) -> Option<i64> {
    match m {
        MoneyDef::Minor(p) => path::first(x, p).and_then(|v| v.as_i64().or_else(|| path::text(v)?.parse().ok())),
        MoneyDef::Decimal(p) => path::first(x, p).and_then(|v| decimal_to_minor(v, currency)),
    }
}

/// The items of one list, read from `items` (each an object); `values` fill
/// an item's link template (the API's origin, the setup values).
fn map_items<'a>(kind: ListKind, d: &ItemsDef, items: impl Iterator<Item = &'a Value>, values: &LinkValues, out: &mut Customer) {
    let labels = out.refs.labels.clone();
    for x in items.take(20) {
        // A label a `labels` follow-up read for the raw value wins over the
        // field's own value map (the vendor's own names for its ids).
        let labelled = |name: &str| -> Option<String> {
            let v = d.value(name)?;
            let raw = match v {
                ValueDef::Mapped { path: p, .. } => path::first(x, p).and_then(path::text),
                v => one(x, v),
            }?;
            labels.get(&format!("{}.{name}", kind.name())).and_then(|m| m.get(&raw)).cloned()
        };
        let opt = |name: &str| labelled(name).or_else(|| d.value(name).and_then(|v| one(x, v)));
        let text = |name: &str| opt(name).unwrap_or_default();
        let day = |name: &str| d.date(name).and_then(|v| date(x, v));
        // A path's value, or a template of the item's id and values.
        let link = || d.value("url").and_then(|v| link(x, v, &text("id"), values));
        let currency = || opt("currency").map(|c| c.to_uppercase());
        match kind {
            ListKind::Orders => {
                let currency = currency();
                out.orders.push(Order { id: text("id"), status: text("status"), total_minor: d.money("total").and_then(|m| money(x, m, currency.as_deref())), currency, date: day("date"), url: link() })
            }
            ListKind::Deals => {
                let currency = currency();
                out.deals.push(Deal { id: text("id"), name: text("name"), stage: text("stage"), amount_minor: d.money("amount").and_then(|m| money(x, m, currency.as_deref())), currency, close_date: day("close_date"), url: link() })
            }
            ListKind::Tickets => out.tickets.push(Ticket { id: text("id"), subject: text("subject"), status: text("status"), priority: text("priority"), updated: day("updated"), url: link() }),
            ListKind::Notes => out.notes.push(Note { id: text("id"), text: text("text").chars().take(2000).collect(), date: day("date"), author: opt("author") }),
        }
    }
}

/// The objects at `at` in `v` (a list's items, or one object).
fn objects<'a>(v: &'a Value, at: &str) -> Vec<&'a Value> {
    path::all(v, at)
        .into_iter()
        .flat_map(|v| match v {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            v => vec![v],
        })
        .filter(|v| v.is_object())
        .collect()
}

/// What a record link template is filled with besides the record: the
/// API's origin, the connector's setup values, the lookup's `record_type`.
#[derive(Clone, Copy, Debug)]
pub struct LinkValues<'a> {
    pub origin: &'a str,
    pub setup: &'a BTreeMap<String, String>,
    pub record_type: Option<&'a str>,
}

/// A link to the record: a link template filled (`{id}`, `{record:/path}`,
/// `{origin}`, the API's, `{setup:name}`, `{record_type}`), or the value a
/// path gives; only an outside link.
pub(super) fn link(r: &Value, d: &ValueDef, id: &str, values: &LinkValues) -> Option<String> {
    let url = match d {
        ValueDef::First(all) => return all.iter().find_map(|d| link(r, d, id, values)),
        ValueDef::Template(t, maps) => {
            let mut out = String::new();
            let mut last = 0;
            for (inner, range) in placeholders_in(t) {
                let mut verbatim = inner == "origin";
                let v = match (inner, parse_placeholder(inner)) {
                    ("id", _) => id.to_string(),
                    ("origin", _) => values.origin.to_string(),
                    ("record_type", _) => values.record_type?.to_string(),
                    (n, _) if n.starts_with("setup:") => {
                        let n = &n["setup:".len()..];
                        let v = values.setup.get(n)?;
                        // A choice's value is the definition's own (it may make
                        // the host); a typed one is a path segment.
                        verbatim = host_safe(v) && t.starts_with("https://") && t["https://".len()..].split('/').next().is_some_and(|h| h.contains(inner));
                        maps.get(n).map_or(Some(v.clone()), |m| m.get(v).cloned())?
                    }
                    (_, Some((Some(p), _))) => path::first(r, p).and_then(path::text)?,
                    _ => return None,
                };
                // A value is one path segment; never empty, never a step.
                if v.is_empty() || v.chars().all(|c| c == '.') {
                    return None;
                }
                out.push_str(&t[last..range.start]);
                out.push_str(&if verbatim { v } else { encode_component(&v) });
                last = range.end;
            }
            out.push_str(&t[last..]);
            out
        }
        other => one(r, other)?,
    };
    // Parsed, never a prefix: `http://127.0.0.1.evil.test/` is no link.
    outside_link(&url)
}

/// Text that may stand in a host (`app.eu.intercom.com`, `.com.cn`).
fn host_safe(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// One record onto the common model. `origin` is the API's (record link
/// templates may start with it).
pub fn map_record(def: &Definition, source: &str, origin: &str, r: &Value) -> Customer {
    map_record_with(def, source, &LinkValues { origin, setup: &BTreeMap::new(), record_type: None }, r)
}

/// [`map_record`] with everything a record link template may use.
pub fn map_record_with(def: &Definition, source: &str, link_values: &LinkValues, r: &Value) -> Customer {
    let m = &def.map;
    let get = |d: &Option<ValueDef>| d.as_ref().and_then(|d| one(r, d));
    let custom = m
        .custom
        .iter()
        .filter_map(|c| {
            let v = path::first(r, &c.path)?;
            let value = match c.kind {
                // A custom date is a calendar date (`YYYY-MM-DD`), shown without a time.
                FieldType::Date => date(r, &DateDef { path: c.path.clone(), format: if v.is_number() { DateFormat::EpochSeconds } else { DateFormat::Day } })?,
                FieldType::Url => path::text(v).and_then(|u| outside_link(&u))?,
                FieldType::YesNo => match v {
                    Value::Bool(b) => b.to_string(),
                    v => path::text(v)?,
                },
                _ => path::text(v)?,
            };
            Some(CustomField { label: c.label.trim().to_string(), value, kind: c.kind })
        })
        .collect();
    let lifetime_currency = m.lifetime_value.as_ref().and_then(|(_, c)| c.as_ref()).and_then(|c| one(r, c)).map(|c| c.to_uppercase());
    let id = get(&m.id).unwrap_or_default();
    let mut c = Customer {
        url: m.url.as_ref().and_then(|d| link(r, d, &id, link_values)),
        id,
        source: source.to_string(),
        name: get(&m.name).unwrap_or_default(),
        emails: many(r, &m.emails),
        phones: many(r, &m.phones),
        company: get(&m.company),
        title: get(&m.title),
        tier: get(&m.tier).and_then(|t| VipTier::from_label(&t)),
        city: get(&m.city),
        country: get(&m.country),
        updated: m.updated.as_ref().and_then(|d| date(r, d)),
        created: m.created.as_ref().and_then(|d| date(r, d)),
        tags: many(r, &m.tags),
        lifetime_value_minor: m.lifetime_value.as_ref().and_then(|(v, _)| money(r, v, lifetime_currency.as_deref())),
        lifetime_currency,
        custom,
        ..Customer::default()
    };
    for (kind, items) in &m.lists {
        if !items.each.is_empty() {
            // An item is not the record: no `{record_type}` for its link.
            map_items(*kind, items, objects(r, &items.each).into_iter(), &LinkValues { record_type: None, ..*link_values }, &mut c);
        }
    }
    // What the follow-ups need of the record besides its id.
    for rel in &def.related {
        for p in rel.record_paths() {
            if let Some(v) = path::first(r, p).and_then(path::text) {
                c.refs.values.insert(p.to_string(), v);
            }
        }
    }
    c
}

/// The follow-ups sent for a record, in order (indices into `related`):
/// those for its type, whose record values it has, at most
/// `limits.max_related`. None without an id. (It depends only on what the
/// lookup found, so the answers are read back by the same numbering.)
fn related_for(def: &Definition, record: &Customer) -> Vec<usize> {
    if record.id.trim().is_empty() {
        return Vec::new();
    }
    let refs = &record.refs;
    def.related
        .iter()
        .enumerate()
        .filter(|(_, r)| r.only_for.is_empty() || refs.record_type.as_ref().is_some_and(|t| r.only_for.contains(t)))
        .filter(|(_, r)| r.record_paths().iter().all(|p| refs.values.get(*p).is_some_and(|v| !v.is_empty())))
        .map(|(k, _)| k)
        .take(def.limits.max_related)
        .collect()
}

/// What each of [`related_requests`] fills, in order (`deals`, `company`).
pub fn related_kinds(def: &Definition, record: &Customer) -> Vec<&'static str> {
    related_for(def, record).into_iter().map(|i| def.related[i].into.name()).collect()
}

/// The follow-up requests for a found record's related items, at most
/// `limits.max_related`; `{id}` is the record's id, `{record:/path}` its
/// value there (a follow-up the record has no value for is not sent, nor
/// one `for` other record types). None without an id.
pub fn related_requests(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, record: &Customer, stamp: &Stamp) -> Result<Vec<HttpRequest>, LookupError> {
    let id = Candidate { kind: IdKind::CustomerId, value: record.id.clone(), source: crate::identify::Source::Text, score: 0, sensitive: false, label: None };
    // Each with a nonce of its own, unlike any lookup attempt's.
    related_for(def, record).into_iter().enumerate().map(|(k, i)| build_one(def, base, secrets, token, &def.related[i].request, &id, &record.refs.values, &stamp.attempt(100 + k))).collect()
}

/// Reads the answer to follow-up request `k` (of [`related_requests`]) into
/// the record's lists, or its company when it has none.
pub fn read_related(def: &Definition, k: usize, url: &str, resp: &HttpResponse, record: &mut Customer) -> Result<(), LookupError> {
    let Some(r): Option<&RelatedDef> = related_for(def, record).get(k).map(|i| &def.related[*i]) else { return Ok(()) };
    let json = match answer_json(def, &r.request, url, resp)? {
        Some(json) => json,
        None => return Ok(()),
    };
    let items = match path::all(&json, &r.list).into_iter().next() {
        Some(Value::Null) => return Ok(()),
        Some(Value::Array(_) | Value::Object(_)) => objects(&json, &r.list),
        Some(_) => return Err(LookupError::BadResponse { message: Text::new(Msg::LookupNotAList, [data(&r.list)]) }),
        None => return Err(LookupError::Config { message: Text::new(Msg::LookupMissingField, [data(&r.list)]) }),
    };
    match &r.into {
        RelatedInto::List(kind) => {
            let fallback = ItemsDef { each: String::new(), fields: Vec::new() };
            let origin = origin_of(url).unwrap_or_default();
            map_items(*kind, def.map.list(*kind).unwrap_or(&fallback), items.into_iter(), &LinkValues { origin: &origin, setup: &BTreeMap::new(), record_type: None }, record);
        }
        RelatedInto::Company(name) => {
            if record.company.is_none() {
                record.company = items.first().and_then(|x| one(x, name));
            }
        }
        RelatedInto::Labels { list, field, key, label } => {
            let mut map = BTreeMap::new();
            for x in items.iter().take(500) {
                if let (Some(k), Some(l)) = (path::first(x, key).and_then(path::text), path::first(x, label).and_then(path::text)) {
                    map.entry(k).or_insert(l);
                }
            }
            // Items already there (embedded in the record) whose value is an id.
            let relabel = |v: &mut String| {
                if let Some(l) = map.get(v.as_str()) {
                    *v = l.clone();
                }
            };
            match (list, *field) {
                (ListKind::Deals, "stage") => record.deals.iter_mut().for_each(|d| relabel(&mut d.stage)),
                (ListKind::Deals, "name") => record.deals.iter_mut().for_each(|d| relabel(&mut d.name)),
                (ListKind::Tickets, "status") => record.tickets.iter_mut().for_each(|t| relabel(&mut t.status)),
                (ListKind::Tickets, "priority") => record.tickets.iter_mut().for_each(|t| relabel(&mut t.priority)),
                (ListKind::Orders, "status") => record.orders.iter_mut().for_each(|o| relabel(&mut o.status)),
                _ => {}
            }
            record.refs.labels.insert(format!("{}.{field}", list.name()), map);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identify::Source;
    use serde_json::json;

    fn cand(kind: IdKind, v: &str) -> Candidate {
        Candidate { kind, value: v.into(), source: Source::Text, score: 1, sensitive: false, label: None }
    }

    #[test]
    fn encoders_and_shapes() {
        assert_eq!(soql_literal("o'brien\\x\"\n"), "'o\\'brien\\\\x\\\"\\n'");
        assert_eq!(sosl_term("o'b+r-x}@a.test"), "{o\\'b\\+r\\-x\\}@a.test}");
        assert_eq!(sosl_term("4155550100"), "{4155550100}");
        assert_eq!(base64(b"key:X"), "a2V5Olg=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(national("8613800138000"), "13800138000");
        assert_eq!(national("442079460958"), "02079460958");
        assert_eq!(national("14155550100"), "4155550100");
        assert_eq!(value_in_form(&cand(IdKind::Phone, "+8613800138000"), ValueForm::Digits), "8613800138000");
        assert_eq!(iso_date(1_763_424_000), "2025-11-18");
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(-86_400), "1969-12-31");
        assert_eq!(decimal_to_minor(&json!("1899.00"), Some("EUR")), Some(189_900));
        assert_eq!(decimal_to_minor(&json!(1899.5), Some("EUR")), Some(189_950));
        assert_eq!(decimal_to_minor(&json!("1,200"), Some("JPY")), Some(1_200));
        assert_eq!(decimal_to_minor(&json!("-0.05"), Some("USD")), Some(-5));
        // The same minor units the panel formats with: UGX has none, RMB is CNY.
        assert_eq!(decimal_to_minor(&json!("1000"), Some("UGX")), Some(1_000));
        assert_eq!(decimal_to_minor(&json!("12.5"), Some("rmb")), Some(1_250));
        assert_eq!(decimal_to_minor(&json!("abc"), None), None);
        let body = fill_json(&json!({"filter": {"email": "{value}", "q": "Email = {value:soql}", "n": 3}}), "a\"b'@x.test");
        assert_eq!(body, json!({"filter": {"email": "a\"b'@x.test", "q": "Email = 'a\\\"b\\'@x.test'", "n": 3}}));
    }
}

#[cfg(test)]
mod bad_json_tests {
    use super::bad_json;
    use crate::i18n::{data, Arg, Msg, Text};

    fn detail(body: &str) -> Text {
        let e = serde_json::from_str::<serde_json::Value>(body).expect_err("not JSON");
        let t = bad_json(&e);
        assert_eq!(t.id, Msg::LookupBadJson);
        match &t.args[..] {
            [Arg::Text(inner)] => inner.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_is_wrong_and_where_as_messages_not_the_parsers_english() {
        assert_eq!(detail("{\"items\":[{\"name\":\"Ann"), Text::new(Msg::JsonEndsEarly, [data(1), data(22)]));
        assert_eq!(detail(&format!("{}{}", "[".repeat(200), "]".repeat(200))), Text::new(Msg::JsonTooDeep, [data(1), data(128)]));
        assert_eq!(detail("{\n  \"a\": tru }"), Text::new(Msg::JsonSyntax, [data(2), data(11)]));
    }
}
