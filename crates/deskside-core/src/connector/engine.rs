//! Runs a [`Definition`]: the requests for an identifier (templates filled
//! through encoders, auth attached for the connector's own origin only) and
//! the answer read back onto the common model.

use super::def::{AuthDef, DateDef, DateFormat, Definition, HttpMethod, MoneyDef, RequestDef, ValueDef, ValueForm};
use super::path;
use super::{HttpRequest, HttpResponse, LookupError, Method};
use crate::i18n::{currency_code, data, minor_unit_digits, Msg, Text};
use crate::identify::{Candidate, IdKind};
use crate::model::{CustomField, Customer, FieldType, Order, VipTier};
use crate::secret::Secret;
use crate::weburl::{encode_component, origin_of, outside_link, BaseUrl};
use serde_json::Value;
use std::collections::BTreeMap;

/// The secrets of one connector, by the names its auth kind uses.
pub type Secrets = BTreeMap<String, Secret>;

/// The requests to try for `id`, in order (each until one finds a record).
/// `token` is the access token of a token-exchange auth kind.
pub fn build_requests(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, id: &Candidate) -> Result<Vec<HttpRequest>, LookupError> {
    let lookups = def.lookups_for(id.kind);
    if lookups.is_empty() {
        return Err(LookupError::Config { message: Text::new(Msg::LookupCannotSearchBy, [id.kind.name_in_sentence().into()]) });
    }
    for name in def.auth.secrets() {
        if secrets.get(*name).is_none_or(Secret::is_empty) {
            return Err(LookupError::Config { message: Text::new(Msg::LookupNoSecret, [data(name)]) });
        }
    }
    lookups.iter().map(|r| build_one(def, base, secrets, token, r, id)).collect()
}

fn build_one(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, r: &RequestDef, id: &Candidate) -> Result<HttpRequest, LookupError> {
    let value = value_in_form(id, r.value);
    let path = if r.path.contains("{value}") {
        // `.` and `..` are path steps, even percent-encoded: never a value.
        if value.is_empty() || value.chars().all(|c| c == '.') {
            return Err(LookupError::Config { message: Msg::LookupBadRecordId.into() });
        }
        r.path.replace("{value}", &encode_component(&value))
    } else {
        r.path.clone()
    };
    let mut query: Vec<(String, String)> = r.query.iter().map(|(k, v)| (k.clone(), fill_text(v, &value))).collect();
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    headers.extend(r.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut secret_param = None;
    match &def.auth {
        AuthDef::Bearer => headers.push(("Authorization".into(), format!("Bearer {}", secret(secrets, "api_key")))),
        AuthDef::Header { name } => headers.push((name.clone(), secret(secrets, "api_key").to_string())),
        AuthDef::Query { param } => {
            query.push((param.clone(), secret(secrets, "api_key").to_string()));
            secret_param = Some(param.clone());
        }
        AuthDef::Basic { password } => {
            let (user, pass) = match password {
                Some(fixed) => (secret(secrets, "api_key"), fixed.as_str()),
                None => (secret(secrets, "username"), secret(secrets, "password")),
            };
            headers.push(("Authorization".into(), format!("Basic {}", base64(format!("{user}:{pass}").as_bytes()))));
        }
        AuthDef::ClientCredentials { .. } => {
            let token = token.filter(|t| !t.is_empty()).ok_or(LookupError::Config { message: Msg::LookupNoToken.into() })?;
            headers.push(("Authorization".into(), format!("Bearer {}", token.expose())));
        }
    }
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let url = base.join(&path, &pairs);
    // The secrets go only to the configured origin, checked on the final URL.
    if origin_of(&url).as_deref() != Some(base.origin().as_str()) {
        return Err(LookupError::Config { message: Msg::LookupLeftOrigin.into() });
    }
    let body = match (&r.method, &r.body) {
        (HttpMethod::Post, Some(template)) => {
            headers.push(("Content-Type".into(), "application/json".into()));
            Some(fill_json(template, &value).to_string())
        }
        _ => None,
    };
    let method = match r.method {
        HttpMethod::Get => Method::Get,
        HttpMethod::Post => Method::Post,
    };
    Ok(HttpRequest { method, url, headers, body, secret_param })
}

fn secret<'a>(secrets: &'a Secrets, name: &str) -> &'a str {
    secrets.get(name).map(Secret::expose).unwrap_or("")
}

/// The token request of a token-exchange auth kind: `POST token_path` on the
/// API's origin with the client's id and secret as a form.
pub fn token_request(def: &Definition, base: &BaseUrl, secrets: &Secrets) -> Option<Result<HttpRequest, LookupError>> {
    let AuthDef::ClientCredentials { token_path, scope } = &def.auth else { return None };
    let (id, sec) = (secret(secrets, "client_id"), secret(secrets, "client_secret"));
    if id.is_empty() || sec.is_empty() {
        return Some(Err(LookupError::Config { message: Text::new(Msg::LookupNoSecret, [data(if id.is_empty() { "client_id" } else { "client_secret" })]) }));
    }
    let mut form = format!("grant_type=client_credentials&client_id={}&client_secret={}", encode_component(id), encode_component(sec));
    if let Some(scope) = scope {
        form.push_str(&format!("&scope={}", encode_component(scope)));
    }
    let url = base.join(token_path, &[]);
    if origin_of(&url).as_deref() != Some(base.origin().as_str()) {
        return Some(Err(LookupError::Config { message: Msg::LookupLeftOrigin.into() }));
    }
    let headers = vec![("Accept".into(), "application/json".into()), ("Content-Type".into(), "application/x-www-form-urlencoded".into())];
    Some(Ok(HttpRequest { method: Method::Post, url, headers, body: Some(form), secret_param: None }))
}

/// An access token and how long it lasts, from a token endpoint's answer.
pub fn read_token(resp: &HttpResponse) -> Result<(Secret, u32), LookupError> {
    match resp.status {
        200..=299 => {}
        400 | 401 | 403 => return Err(LookupError::Unauthorized { status: resp.status }),
        s => return Err(LookupError::Server { status: s }),
    }
    let json: Value = serde_json::from_str(resp.body.trim()).map_err(|e| LookupError::BadResponse { message: Text::new(Msg::LookupBadJson, [data(e)]) })?;
    let token = json.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty() && t.len() < 8192 && !t.chars().any(char::is_control));
    let token = token.ok_or(LookupError::BadResponse { message: Text::new(Msg::LookupMissingField, [data("/access_token")]) })?;
    // Renewed a minute early; at most a day, at least a minute.
    let expires = json.get("expires_in").and_then(Value::as_u64).unwrap_or(3600).clamp(60, 86_400) as u32;
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

/// `{value}` in a query template, as text (the URL encodes it).
fn fill_text(template: &str, value: &str) -> String {
    template.replace("{value:soql}", &soql_literal(value)).replace("{value:sosl}", &sosl_term(value)).replace("{value}", value)
}

/// A JSON template with the value inserted into its strings: the result is
/// built as JSON, so quotes in the value stay inside their string.
fn fill_json(template: &Value, value: &str) -> Value {
    match template {
        Value::String(s) => Value::String(fill_text(s, value)),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_json(v, value)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), fill_json(v, value))).collect()),
        other => other.clone(),
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

fn base64(bytes: &[u8]) -> String {
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
}

/// Reads an answer to `request` (the definition's `lookups` entry) for `id`.
pub fn read_answer(def: &Definition, request: &RequestDef, source: &str, id: &Candidate, url: &str, resp: &HttpResponse) -> Result<Answer, LookupError> {
    match resp.status {
        200..=299 => {}
        s if request.not_found_status.contains(&s) => return Ok(Answer::default()),
        401 | 403 => return Err(LookupError::Unauthorized { status: resp.status }),
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
        return Ok(Answer::default());
    }
    if body.starts_with('<') {
        return Err(LookupError::Config { message: Text::new(Msg::LookupHtmlAt, [data(without_query(url))]) });
    }
    let json: Value = serde_json::from_str(body).map_err(|e| LookupError::BadResponse { message: Text::new(Msg::LookupBadJson, [data(e)]) })?;
    if let Some(s) = &def.success {
        if let Some(code) = path::first(&json, &s.path) {
            if !s.ok.iter().any(|ok| same_code(ok, code)) {
                let words = path::first(&json, &s.message).and_then(path::text).unwrap_or_default();
                return Err(LookupError::BadResponse { message: Text::new(Msg::LookupEnvelopeError, [data(path::text(code).unwrap_or_default()), data(words)]) });
            }
        }
    }
    let id_def = def.map.id.as_ref();
    let has_id = |r: &Value| id_def.and_then(|d| one(r, d)).is_some();
    // (`all`, not `first`: a null list is there, and means none.)
    let records: Vec<&Value> = match path::all(&json, &def.results.list).into_iter().next() {
        Some(Value::Array(items)) => items.iter().filter(|r| r.is_object()).collect(),
        Some(record @ Value::Object(_)) if has_id(record) => vec![record],
        Some(Value::Null) => Vec::new(),
        None if !def.results.record.is_empty() => match path::first(&json, &def.results.record) {
            Some(record @ Value::Object(_)) if has_id(record) => vec![record],
            Some(Value::Null) | None => Vec::new(),
            Some(_) => return Err(LookupError::BadResponse { message: Text::new(Msg::LookupNotAList, [data(&def.results.record)]) }),
        },
        // The list is not where the definition says: the shape is not the
        // one expected (a wrong path, another API), never "not found".
        None => return Err(LookupError::Config { message: Text::new(Msg::LookupMissingField, [data(&def.results.list)]) }),
        Some(_) => return Err(LookupError::BadResponse { message: Text::new(Msg::LookupNotAList, [data(&def.results.list)]) }),
    };
    let total = path::first(&json, &def.results.total).and_then(Value::as_u64);
    let mut answer = Answer { total, ..Answer::default() };
    for r in records.into_iter().take(def.limits.max_records) {
        let c = map_record(def, source, r);
        if def.results.exact && matches!(id.kind, IdKind::Email | IdKind::Phone) && !is_identifier_of(&c, id) {
            answer.near_misses += 1;
        } else {
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
            let region = id.value.strip_prefix("+86").map_or("US", |_| "CN");
            c.phones.iter().any(|p| crate::phone::normalize_phone(p, region).as_deref() == Some(id.value.as_str()) || digits(p) == digits(&id.value))
        }
        _ => true,
    }
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
        DateFormat::Iso => path::text(v).filter(|s| s.len() >= 10 && s.as_bytes()[4] == b'-').map(|s| s.chars().take(25).collect()),
        DateFormat::EpochSeconds => v.as_i64().or_else(|| path::text(v)?.parse().ok()).map(iso_date),
        DateFormat::EpochMillis => v.as_i64().or_else(|| path::text(v)?.parse().ok()).map(|ms: i64| iso_date(ms.div_euclid(1000))),
    }
}

/// Epoch seconds → `YYYY-MM-DD` (UTC), by the civil-from-days algorithm.
pub fn iso_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
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

/// One record onto the common model.
pub fn map_record(def: &Definition, source: &str, r: &Value) -> Customer {
    let m = &def.map;
    let get = |d: &Option<ValueDef>| d.as_ref().and_then(|d| one(r, d));
    let orders = m
        .orders
        .as_ref()
        .map(|o| {
            path::all(r, &o.each)
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(items) => items.iter().collect::<Vec<_>>(),
                    v => vec![v],
                })
                .take(20)
                .map(|x| {
                    let currency = o.currency.as_ref().and_then(|d| one(x, d)).map(|c| c.to_uppercase());
                    Order {
                        id: o.id.as_ref().and_then(|d| one(x, d)).unwrap_or_default(),
                        status: o.status.as_ref().and_then(|d| one(x, d)).unwrap_or_default(),
                        total_minor: o.total.as_ref().and_then(|t| match t {
                            MoneyDef::Minor(p) => path::first(x, p).and_then(|v| v.as_i64().or_else(|| path::text(v)?.parse().ok())),
                            MoneyDef::Decimal(p) => path::first(x, p).and_then(|v| decimal_to_minor(v, currency.as_deref())),
                        }),
                        currency,
                        date: o.date.as_ref().and_then(|d| date(x, d)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let custom = m
        .custom
        .iter()
        .filter_map(|c| {
            let v = path::first(r, &c.path)?;
            let value = match c.kind {
                FieldType::Date => date(r, &DateDef { path: c.path.clone(), format: if v.is_number() { DateFormat::EpochSeconds } else { DateFormat::Iso } })?,
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
    Customer {
        id: get(&m.id).unwrap_or_default(),
        source: source.to_string(),
        name: get(&m.name).unwrap_or_default(),
        emails: many(r, &m.emails),
        phones: many(r, &m.phones),
        company: get(&m.company),
        title: get(&m.title),
        tier: get(&m.tier).and_then(|t| VipTier::from_label(&t)),
        city: get(&m.city),
        country: get(&m.country),
        // Parsed, never a prefix: `http://127.0.0.1.evil.test/` is no link.
        url: get(&m.url).and_then(|u| outside_link(&u)),
        updated: m.updated.as_ref().and_then(|d| date(r, d)),
        orders,
        custom,
        notes: Vec::new(),
    }
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
