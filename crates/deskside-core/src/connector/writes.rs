//! Write-back: a definition's `writes` (a note on the customer's record, a
//! follow-up task) in the same format as its lookups. Requests are built from
//! templates whose only placeholders are the values of the write (the note
//! text, the ticket link, subject, status, the task's due date, owner and
//! priority, the operation's marker), each inserted through an encoder for
//! where it goes: one path segment, a URL component, a JSON string, HTML
//! text (`{text:html}`, for vendors whose note body is HTML, so markup the
//! agent types is shown as typed), a SOQL literal (`{record_id:soql}`) or a
//! JSON number (`{record_id:number}`).
//! The created object's id and link are read from the answer; a write whose
//! answer was lost is checked (the vendor's idempotency key, or a `verify`
//! request that finds the marker the note carries) before it is ever sent
//! again (`crate::write`). See `docs/CONNECTORS.md`, "Writing back".

use super::def::{fixed_header_ok, link_template_ok, method, request_path_ok, strings_in, text_map, token_name, Definition, HttpMethod};
use super::engine::{authorize, Secrets, Stamp};
use super::{path, HttpRequest, HttpResponse, LookupError};
use crate::i18n::{data, Msg, Text};
use crate::secret::Secret;
use crate::weburl::{encode_component, outside_link, BaseUrl};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a write creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    Note,
    Task,
    /// The helpdesk ticket's priority (or a tag) set for a VIP customer:
    /// `writes.priority`, idempotent by nature.
    Priority,
}

impl WriteKind {
    pub fn name(self) -> &'static str {
        match self {
            WriteKind::Note => "note",
            WriteKind::Task => "task",
            WriteKind::Priority => "priority",
        }
    }
}

/// A definition's `writes`: each kind it can create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WritesDef {
    pub note: Option<WriteDef>,
    pub task: Option<WriteDef>,
    /// "Apply priority": sets the ticket's priority (or a tag) through the
    /// helpdesk's API; `{ticket_id}` from the page adapter.
    pub priority: Option<WriteDef>,
}

impl WritesDef {
    pub fn get(&self, kind: WriteKind) -> Option<&WriteDef> {
        match kind {
            WriteKind::Note => self.note.as_ref(),
            WriteKind::Task => self.task.as_ref(),
            WriteKind::Priority => self.priority.as_ref(),
        }
    }
}

/// One write request: its templates, where the created object's id is in the
/// answer, its link, and how a lost answer is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteDef {
    pub method: HttpMethod,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
    /// The body for a record of one type (`{record_type}`: the module the
    /// lookup found it in) where the vendor wants another shape there
    /// (Zoho: a lead's task names it as `What_Id` with `$se_module`, a
    /// contact's as `Who_Id`); `body` for every other type.
    pub body_for: BTreeMap<String, Value>,
    /// Where the created object's id is in the answer.
    pub id: String,
    /// The created object's link: `https://host/…{id}`, `{origin}/…`, with
    /// `{id}` and `{record_id}`.
    pub link: Option<String>,
    /// The values the agent may choose from for `{priority}` (empty: free text).
    pub priorities: Vec<String>,
    /// `writes.priority` only: the value the one-click "apply priority" sets.
    pub apply: Option<String>,
    /// `writes.priority` only: what the panel calls that value, in the
    /// vendor's own word (Freshdesk's `4` is "Urgent"); the value where none.
    pub apply_label: Option<String>,
    pub check: WriteCheck,
}

/// How a write whose answer was lost is found out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteCheck {
    /// The vendor keeps the first answer per key: the operation id goes in
    /// this header, and sending again with it is the check.
    Idempotency { header: String },
    /// A request that lists the record's recent notes or tasks; the write
    /// landed when one of them carries the operation's marker.
    Verify(Box<VerifyDef>),
    /// Setting a value (a ticket's priority, a tag) is idempotent by
    /// nature: sending it again changes nothing more, so sending again is
    /// the check (`writes.priority` only, which takes neither key nor verify).
    Idempotent,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyDef {
    pub method: HttpMethod,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
    /// Where the items are in the answer (`""`: the answer itself).
    pub list: String,
    /// Where in an item its text is (the marker is looked for in it).
    pub text: String,
    /// Where in an item its id is.
    pub id: String,
}

/// The placeholders a write's templates may hold.
pub const WRITE_FIELDS: &[&str] = &["record_id", "record_type", "ticket_url", "subject", "status", "text", "note", "marker", "due", "owner", "priority", "now", "ticket_id"];
/// The placeholders a `verify` request may hold.
pub const VERIFY_FIELDS: &[&str] = &["record_id", "record_type", "marker"];

/// How a value is written where it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Enc {
    /// As text: then a path segment, a URL component or a JSON string.
    Plain,
    /// HTML text: `<`, `>`, `&`, quotes escaped, line breaks as `<br>`.
    Html,
    /// A JSON number (the whole string is the placeholder; digits only).
    Number,
    /// A SOQL string literal, quoted and escaped (`WHERE WhoId = {record_id:soql}`).
    Soql,
}

fn parse_ph(inner: &str, allowed: &[&'static str]) -> Option<(&'static str, Enc)> {
    let (name, enc) = match inner.split_once(':') {
        Some((n, "html")) => (n, Enc::Html),
        Some((n, "number")) => (n, Enc::Number),
        Some((n, "soql")) => (n, Enc::Soql),
        Some(_) => return None,
        None => (inner, Enc::Plain),
    };
    allowed.iter().find(|a| **a == name).map(|a| (*a, enc))
}

fn placeholders(t: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    super::def::placeholders_in(t)
}

/// HTML text: markup the agent typed is shown as typed.
pub fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The values of one write, as the agent and the browser gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteInput {
    /// The CRM record the write belongs to (the record shown).
    pub record_id: String,
    /// `{record_type}`: the `record_type` of the lookup request that found
    /// the record (Zoho's `Contacts` or `Leads`), from the definition, never
    /// the page; empty where the lookup names none (a template that needs it
    /// then builds no request).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub record_type: String,
    /// The ticket's address, as the browser reported the tab's URL.
    pub ticket_url: String,
    /// A note: the ticket's subject. A task: the task's subject.
    pub subject: String,
    /// The ticket's status.
    #[serde(default)]
    pub status: String,
    /// The agent's own text.
    #[serde(default)]
    pub text: String,
    /// A task's due date, `YYYY-MM-DD`.
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub priority: String,
    /// The helpdesk's ticket id, from the page adapter's ticket URL shape
    /// applied to the tab's URL (never from the content script).
    #[serde(default)]
    pub ticket_id: String,
}

/// Longest agent text, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Longest subject, status, owner or priority, in characters.
pub const MAX_FIELD_CHARS: usize = 300;

impl WriteInput {
    /// Control characters dropped (line breaks and tabs kept in the text),
    /// surrounding spaces trimmed.
    pub fn cleaned(&self) -> WriteInput {
        let line = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string();
        let text = self.text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect::<String>().trim().to_string();
        WriteInput { record_id: line(&self.record_id), record_type: line(&self.record_type), ticket_url: line(&self.ticket_url), subject: line(&self.subject), status: line(&self.status), text, due: line(&self.due), owner: line(&self.owner), priority: line(&self.priority), ticket_id: line(&self.ticket_id) }
    }

    /// What is wrong with the values for a write of this kind: the first
    /// problem, as a message for the agent.
    pub fn problem(&self, kind: WriteKind, def: &WriteDef) -> Option<Text> {
        if kind == WriteKind::Priority {
            if self.ticket_id.is_empty() {
                return Some(Msg::WritePriorityNoTicket.into());
            }
            if self.priority.is_empty() || (!def.priorities.is_empty() && !def.priorities.contains(&self.priority)) {
                return Some(Text::new(Msg::WriteBadPriority, [data(&self.priority)]));
            }
        }
        if self.record_id.is_empty() {
            return Some(Msg::WriteNoRecord.into());
        }
        if self.record_type.is_empty() && def.uses_record_type() {
            return Some(Msg::WriteNoRecordType.into());
        }
        if self.text.chars().count() > MAX_TEXT_CHARS {
            return Some(Text::new(Msg::WriteTooLong, [data(MAX_TEXT_CHARS)]));
        }
        if [&self.subject, &self.status, &self.owner, &self.priority].iter().any(|s| s.chars().count() > MAX_FIELD_CHARS) {
            return Some(Text::new(Msg::WriteTooLong, [data(MAX_FIELD_CHARS)]));
        }
        if kind == WriteKind::Task && self.subject.is_empty() {
            return Some(Msg::WriteNeedSubject.into());
        }
        if kind == WriteKind::Note && self.text.is_empty() && self.subject.is_empty() {
            return Some(Msg::WriteNeedText.into());
        }
        if !self.due.is_empty() && !valid_date(&self.due) {
            return Some(Text::new(Msg::WriteBadDue, [data(&self.due)]));
        }
        if !self.priority.is_empty() && !def.priorities.is_empty() && !def.priorities.contains(&self.priority) {
            return Some(Text::new(Msg::WriteBadPriority, [data(&self.priority)]));
        }
        None
    }
}

/// `YYYY-MM-DD`, a real day.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || !b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() }) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1970 && (1..=days).contains(&d)
}

/// The marker an operation's note or task carries, found by `verify`.
pub fn marker(op_id: &str) -> String {
    format!("[deskside:{op_id}]")
}

/// Whether an operation id is one Deskside makes: `op-` and 8 to 64
/// letters, digits or `-`.
pub fn op_id_ok(op_id: &str) -> bool {
    op_id.strip_prefix("op-").is_some_and(|r| (8..=64).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// The note as it is written (and shown to the agent before): the ticket's
/// subject and status, its link, the agent's text, the marker. No words of
/// ours, so it reads the same in every language.
pub fn compose(kind: WriteKind, input: &WriteInput, marker: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let head = match (kind, input.subject.is_empty(), input.status.is_empty()) {
        (WriteKind::Task, ..) | (_, true, true) => String::new(),
        (_, false, true) => input.subject.clone(),
        (_, true, false) => format!("[{}]", input.status),
        (_, false, false) => format!("{} [{}]", input.subject, input.status),
    };
    if !head.is_empty() {
        parts.push(head);
    }
    if !input.ticket_url.is_empty() {
        parts.push(input.ticket_url.clone());
    }
    let mut out = parts.join("\n");
    if !input.text.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&input.text);
    }
    if !marker.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(marker);
    }
    out
}

/// `2026-11-30T06:00:00Z` from milliseconds since 1970.
pub fn iso_time(now_ms: u64) -> String {
    let secs = (now_ms / 1000) as i64;
    let t = secs.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", super::engine::iso_date(secs), t / 3600, t % 3600 / 60, t % 60)
}

fn values_of(kind: WriteKind, input: &WriteInput, op_id: &str, now_ms: u64) -> BTreeMap<&'static str, String> {
    let m = marker(op_id);
    BTreeMap::from([
        ("record_id", input.record_id.clone()),
        ("record_type", input.record_type.clone()),
        ("ticket_url", input.ticket_url.clone()),
        ("subject", input.subject.clone()),
        ("status", input.status.clone()),
        ("text", input.text.clone()),
        ("note", compose(kind, input, &m)),
        ("marker", m),
        ("due", input.due.clone()),
        ("owner", input.owner.clone()),
        ("priority", input.priority.clone()),
        ("now", iso_time(now_ms)),
        ("ticket_id", input.ticket_id.clone()),
    ])
}

fn config(message: Text) -> LookupError {
    LookupError::Config { message }
}

/// A template filled: each value through its encoder, then `outer` (the
/// encoder of where the string goes). `None` when a value the template needs
/// is empty.
fn fill(t: &str, values: &BTreeMap<&'static str, String>, allowed: &[&'static str], outer: &dyn Fn(&str) -> String) -> Result<String, &'static str> {
    let mut out = String::new();
    let mut last = 0;
    for (inner, range) in placeholders(t) {
        let Some((name, enc)) = parse_ph(inner, allowed) else { continue };
        let v = values.get(name).map_or("", String::as_str);
        if v.is_empty() {
            return Err(name);
        }
        out.push_str(&t[last..range.start]);
        out.push_str(&outer(&match enc {
            Enc::Html => html_text(v),
            Enc::Soql => super::engine::soql_literal(v),
            _ => v.to_string(),
        }));
        last = range.end;
    }
    out.push_str(&t[last..]);
    Ok(out)
}

/// The one placeholder a whole template is, if it is one.
fn sole(t: &str, allowed: &[&'static str]) -> Option<(&'static str, Enc)> {
    let all = placeholders(t);
    match all.as_slice() {
        [(inner, range)] if range.start == 0 && range.end == t.len() => parse_ph(inner, allowed),
        _ => None,
    }
}

/// A JSON body template filled. A member whose whole template is one value
/// the agent left empty (`"priority": "{priority}"`) is left out; a
/// `{x:number}` member becomes a number.
fn fill_body(v: &Value, values: &BTreeMap<&'static str, String>, allowed: &[&'static str]) -> Result<Option<Value>, &'static str> {
    Ok(Some(match v {
        Value::String(t) => {
            if let Some((name, enc)) = sole(t, allowed) {
                let val = values.get(name).map_or("", String::as_str);
                if val.is_empty() {
                    return Ok(None);
                }
                if enc == Enc::Number {
                    return match val.parse::<u64>() {
                        Ok(n) if val.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(Value::from(n))),
                        _ => Err(name),
                    };
                }
            }
            Value::String(fill(t, values, allowed, &|s| s.to_string())?)
        }
        Value::Array(items) => Value::Array(items.iter().map(|x| fill_body(x, values, allowed)).collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect()),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, x) in map {
                if let Some(x) = fill_body(x, values, allowed)? {
                    out.insert(k.clone(), x);
                }
            }
            // An object all of whose members were left out (`"Owner": {"id":
            // "{owner}"}` with no owner given) is left out too.
            if out.is_empty() && !map.is_empty() {
                return Ok(None);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }))
}

#[allow(clippy::too_many_arguments)]
fn build(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, stamp: &Stamp, method: HttpMethod, path_t: &str, query_t: &BTreeMap<String, String>, headers_t: &BTreeMap<String, String>, body_t: Option<&Value>, values: &BTreeMap<&'static str, String>, allowed: &[&'static str]) -> Result<HttpRequest, LookupError> {
    let missing = |name: &str| config(Text::new(Msg::WriteMissingValue, [data(name)]));
    for (inner, _) in placeholders(path_t) {
        if let Some((name, _)) = parse_ph(inner, allowed) {
            let v = values.get(name).map_or("", String::as_str);
            // `.` and `..` are path steps, even percent-encoded: never a value.
            if v.is_empty() || v.chars().all(|c| c == '.') {
                return Err(config(Msg::LookupBadRecordId.into()));
            }
        }
    }
    let path = fill(path_t, values, allowed, &|s| encode_component(s)).map_err(missing)?;
    let mut query = Vec::new();
    for (k, t) in query_t {
        if sole(t, allowed).is_some_and(|(n, _)| values.get(n).is_none_or(String::is_empty)) {
            continue;
        }
        query.push((k.clone(), fill(t, values, allowed, &|s| s.to_string()).map_err(missing)?));
    }
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    headers.extend(headers_t.iter().map(|(k, v)| (k.clone(), v.clone())));
    let body = match (method, body_t) {
        (HttpMethod::Post | HttpMethod::Put, Some(t)) => fill_body(t, values, allowed).map_err(missing)?,
        _ => None,
    };
    for name in def.auth.secrets() {
        if secrets.get(*name).is_none_or(Secret::is_empty) {
            return Err(config(Text::new(Msg::LookupNoSecret, [data(name)])));
        }
    }
    authorize(def, base, secrets, token, stamp, method, &path, query, headers, body)
}

/// The request that performs a write. `op_id` names the operation (its
/// marker, its idempotency key); `now_ms` is `{now}`.
#[allow(clippy::too_many_arguments)]
pub fn build_write(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, stamp: &Stamp, kind: WriteKind, input: &WriteInput, op_id: &str) -> Result<HttpRequest, LookupError> {
    let wd = def.writes.get(kind).ok_or(config(Text::new(Msg::WriteNotDefined, [data(kind.name())])))?;
    if !op_id_ok(op_id) {
        return Err(config(Msg::WriteBadOp.into()));
    }
    let values = values_of(kind, input, op_id, stamp.now_ms);
    let mut req = build(def, base, secrets, token, stamp, wd.method, &wd.path, &wd.query, &wd.headers, wd.body_for(&input.record_type), &values, WRITE_FIELDS)?;
    if let WriteCheck::Idempotency { header } = &wd.check {
        req.headers.push((header.clone(), op_id.to_string()));
    }
    Ok(req)
}

/// The request that checks whether an operation landed (`None` for a
/// definition whose check is the idempotency key: sending again is it).
#[allow(clippy::too_many_arguments)]
pub fn build_verify(def: &Definition, base: &BaseUrl, secrets: &Secrets, token: Option<&Secret>, stamp: &Stamp, kind: WriteKind, record_id: &str, record_type: &str, op_id: &str) -> Option<Result<HttpRequest, LookupError>> {
    let wd = def.writes.get(kind)?;
    let WriteCheck::Verify(v) = &wd.check else { return None };
    let values = BTreeMap::from([("record_id", record_id.to_string()), ("record_type", record_type.to_string()), ("marker", marker(op_id))]);
    Some(build(def, base, secrets, token, stamp, v.method, &v.path, &v.query, &v.headers, v.body.as_ref(), &values, VERIFY_FIELDS))
}

/// What a write created: its id and link in the CRM, when the answer says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub id: Option<String>,
    pub link: Option<String>,
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().chars().take(200).collect()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn link_of(t: &str, id: &str, record_id: &str, origin: &str) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    for (inner, range) in placeholders(t) {
        let v = match inner {
            "id" => id,
            "record_id" => record_id,
            "origin" => origin,
            _ => return None,
        };
        if v.is_empty() || v.chars().all(|c| c == '.') {
            return None;
        }
        out.push_str(&t[last..range.start]);
        out.push_str(&if inner == "origin" { v.to_string() } else { encode_component(v) });
        last = range.end;
    }
    out.push_str(&t[last..]);
    outside_link(&out)
}

/// The created object's id and link from a 2xx answer to [`build_write`]
/// (an answer without them, or not JSON, still means the write landed).
pub fn read_created(def: &Definition, kind: WriteKind, origin: &str, record_id: &str, body: &str) -> Created {
    let Some(wd) = def.writes.get(kind) else { return Created::default() };
    let json: Value = serde_json::from_str(body.trim_start_matches('\u{feff}')).unwrap_or(Value::Null);
    let id = path::first(&json, &wd.id).and_then(id_text);
    let link = match (&wd.link, &id) {
        (Some(t), Some(id)) => link_of(t, id, record_id, origin),
        _ => None,
    };
    Created { id, link }
}

/// The answer to [`build_verify`]: `Some` when an item carries the
/// operation's marker (what it created), `None` when none does; an error
/// when the answer is not a 2xx of the definition's shape (the check must
/// be made again, never read as "not there").
pub fn read_verify(def: &Definition, kind: WriteKind, origin: &str, record_id: &str, op_id: &str, url: &str, resp: &HttpResponse) -> Result<Option<Created>, LookupError> {
    let Some(WriteCheck::Verify(v)) = def.writes.get(kind).map(|w| &w.check) else { return Ok(None) };
    let wd = def.writes.get(kind).expect("checked above");
    match resp.status {
        // No content: nothing listed (Zoho answers a related list without records so).
        204 => return Ok(None),
        200..=299 => {}
        401 | 403 => return Err(LookupError::Unauthorized { status: resp.status }),
        429 => return Err(LookupError::RateLimited { retry_after_secs: resp.retry_after.as_deref().and_then(super::parse_retry_after) }),
        s => return Err(LookupError::Server { status: s }),
    }
    let json: Value = serde_json::from_str(resp.body.trim_start_matches('\u{feff}')).map_err(|_| LookupError::BadResponse { message: Text::new(Msg::WriteVerifyShape, [data(url.split('?').next().unwrap_or(url))]) })?;
    let lists = path::all(&json, &v.list);
    if lists.is_empty() {
        return Err(LookupError::BadResponse { message: Text::new(Msg::WriteVerifyShape, [data(url.split('?').next().unwrap_or(url))]) });
    }
    let m = marker(op_id);
    let items = lists.into_iter().flat_map(|l| match l {
        Value::Array(items) => items.iter().collect::<Vec<_>>(),
        other => vec![other],
    });
    for item in items {
        // The whole text (not `path::text`, which shortens): the marker is last.
        let holds = path::all(item, &v.text).into_iter().any(|t| t.as_str().is_some_and(|s| s.contains(&m)));
        if holds {
            let id = path::first(item, &v.id).and_then(id_text);
            let link = match (&wd.link, &id) {
                (Some(t), Some(id)) => link_of(t, id, record_id, origin),
                _ => None,
            };
            return Ok(Some(Created { id, link }));
        }
    }
    Ok(None)
}

// ---- reading and validating ----

fn obj<'a>(v: &'a Value, at: &str, known: &[&str]) -> Result<&'a serde_json::Map<String, Value>, String> {
    let map = v.as_object().ok_or_else(|| format!("{at} must be an object"))?;
    if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown field {at}.{k}"));
    }
    Ok(map)
}

fn text_of(map: &serde_json::Map<String, Value>, k: &str, at: &str) -> Result<Option<String>, String> {
    match map.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{at}.{k} must be text")),
    }
}

impl WritesDef {
    /// Reads `writes` (`{"note": {…}, "task": {…}}`).
    pub fn from_json(v: &Value) -> Result<WritesDef, String> {
        let map = obj(v, "writes", &["note", "task", "priority"])?;
        let one = |k: &str| map.get(k).filter(|v| !v.is_null()).map(|v| WriteDef::from_json(v, &format!("writes.{k}"), k == "priority")).transpose();
        Ok(WritesDef { note: one("note")?, task: one("task")?, priority: one("priority")? })
    }

    /// Every problem, with its path (`writes.note.body.properties.x`).
    pub fn problems(&self, e: &mut impl FnMut(String, Text)) {
        for (k, w) in [("note", &self.note), ("task", &self.task), ("priority", &self.priority)] {
            if let Some(w) = w {
                w.problems(&format!("writes.{k}"), e);
            }
        }
    }
}

impl WriteDef {
    fn from_json(v: &Value, at: &str, sets_priority: bool) -> Result<WriteDef, String> {
        let known: &[&str] = if sets_priority { &["method", "path", "query", "headers", "body", "id", "link", "priorities", "apply", "apply_label"] } else { &["method", "path", "query", "headers", "body", "body_for", "id", "link", "priorities", "idempotency_key", "verify"] };
        let o = obj(v, at, known)?;
        let check = match (text_of(o, "idempotency_key", at)?, o.get("verify").filter(|v| !v.is_null())) {
            // Setting a value again changes nothing: no key, no marker needed.
            _ if sets_priority => WriteCheck::Idempotent,
            (Some(h), None) => WriteCheck::Idempotency { header: h },
            (None, Some(v)) => WriteCheck::Verify(Box::new(VerifyDef::from_json(v, &format!("{at}.verify"))?)),
            (Some(_), Some(_)) => return Err(format!("{at}: give idempotency_key or verify, not both")),
            (None, None) => return Err(format!("{at}: a write needs idempotency_key (the vendor's header) or verify (a request that finds the marker), so that a lost answer is checked before sending again")),
        };
        let priorities = match o.get("priorities") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.iter().map(|x| x.as_str().map(str::to_string).ok_or(format!("{at}.priorities must be a list of text"))).collect::<Result<_, _>>()?,
            Some(_) => return Err(format!("{at}.priorities must be a list of text")),
        };
        let method = match text_of(o, "method", at)?.as_deref() {
            Some("PUT") => HttpMethod::Put,
            m => method(Some(m.unwrap_or("POST")), at).map_err(|_| format!("{at}.method: '{}' is not POST or PUT", m.unwrap_or_default()))?,
        };
        Ok(WriteDef {
            method,
            path: text_of(o, "path", at)?.ok_or(format!("{at}.path is required"))?,
            query: text_map(o.get("query"), &format!("{at}.query"))?,
            headers: text_map(o.get("headers"), &format!("{at}.headers"))?,
            body: o.get("body").filter(|v| !v.is_null()).cloned(),
            body_for: match o.get("body_for") {
                None | Some(Value::Null) => BTreeMap::new(),
                Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                Some(_) => return Err(format!("{at}.body_for must map a record type to its body")),
            },
            id: text_of(o, "id", at)?.unwrap_or_else(|| "/id".into()),
            link: text_of(o, "link", at)?,
            priorities,
            apply: text_of(o, "apply", at)?,
            apply_label: text_of(o, "apply_label", at)?,
            check,
        })
    }

    /// Whether a template of this write uses `{name}` (the panel asks for
    /// owner and priority only where it does).
    pub fn uses(&self, name: &str) -> bool {
        let hit = |t: &str| placeholders(t).iter().any(|(inner, _)| parse_ph(inner, WRITE_FIELDS).is_some_and(|(n, _)| n == name));
        hit(&self.path) || self.query.values().any(|t| hit(t)) || self.body.iter().chain(self.body_for.values()).flat_map(|b| strings_in(b, "")).any(|(_, t)| hit(t))
    }

    /// Whether the write or its check needs the record's type (`{record_type}`).
    pub fn uses_record_type(&self) -> bool {
        let in_verify = match &self.check {
            WriteCheck::Verify(v) => [&v.path].into_iter().chain(v.query.values()).any(|t| t.contains("{record_type}")),
            _ => false,
        };
        // (A body per record type: which one is sent depends on it.)
        self.uses("record_type") || in_verify || !self.body_for.is_empty()
    }

    /// The body template for a record of `record_type`.
    pub fn body_for(&self, record_type: &str) -> Option<&Value> {
        self.body_for.get(record_type).or(self.body.as_ref())
    }

    fn problems(&self, at: &str, e: &mut impl FnMut(String, Text)) {
        request_problems(at, self.method, &self.path, &self.query, &self.headers, self.body.as_ref(), WRITE_FIELDS, e);
        for (record_type, body) in &self.body_for {
            body_problems(&format!("{at}.body_for.{record_type}"), body, WRITE_FIELDS, e);
        }
        if path::check(&self.id).is_err() || self.id.is_empty() {
            e(format!("{at}.id"), Text::new(Msg::DefBadPath, [data(&self.id)]));
        }
        if let Some(l) = &self.link {
            if !write_link_ok(l) {
                e(format!("{at}.link"), Text::new(Msg::WriteDefBadTemplate, [data(l), data("{id}, {record_id}, {origin}")]));
            }
        }
        if self.check == WriteCheck::Idempotent {
            // The ticket is the page's: its id is in the path.
            if !placeholders(&self.path).iter().any(|(inner, _)| parse_ph(inner, WRITE_FIELDS).is_some_and(|(n, _)| n == "ticket_id")) {
                e(format!("{at}.path"), Text::new(Msg::WriteDefUnused, [data("{ticket_id}")]));
            }
            if !self.uses("priority") {
                e(at.to_string(), Text::new(Msg::WriteDefUnused, [data("{priority}")]));
            }
            match &self.apply {
                None => e(format!("{at}.apply"), Msg::WriteDefNoApply.into()),
                Some(a) if a.trim().is_empty() || (!self.priorities.is_empty() && !self.priorities.contains(a)) => e(format!("{at}.apply"), Text::new(Msg::WriteBadPriority, [data(a)])),
                Some(_) => {}
            }
        } else if !self.uses("record_id") {
            e(at.to_string(), Text::new(Msg::WriteDefUnused, [data("{record_id}")]));
        }
        match &self.check {
            WriteCheck::Idempotent => {}
            WriteCheck::Idempotency { header } => {
                const RESERVED: &[&str] = &["authorization", "cookie", "host", "content-type", "content-length", "accept", "origin", "referer", "proxy-authorization"];
                if !token_name(header) || header.contains(['[', ']']) || RESERVED.contains(&header.to_ascii_lowercase().as_str()) {
                    e(format!("{at}.idempotency_key"), Text::new(Msg::DefBadHeader, [data(header)]));
                }
            }
            WriteCheck::Verify(v) => {
                let vat = format!("{at}.verify");
                request_problems(&vat, v.method, &v.path, &v.query, &v.headers, v.body.as_ref(), VERIFY_FIELDS, e);
                for (k, p) in [("list", &v.list), ("text", &v.text), ("id", &v.id)] {
                    if path::check(p).is_err() || (k != "list" && p.is_empty()) {
                        e(format!("{vat}.{k}"), Text::new(Msg::DefBadPath, [data(p)]));
                    }
                }
                // The marker is what is looked for: the write must carry it.
                if !self.uses("marker") && !self.uses("note") {
                    e(at.to_string(), Text::new(Msg::WriteDefUnused, [data("{note} / {marker}")]));
                }
            }
        }
    }
}

impl VerifyDef {
    fn from_json(v: &Value, at: &str) -> Result<VerifyDef, String> {
        let o = obj(v, at, &["method", "path", "query", "headers", "body", "list", "text", "id"])?;
        Ok(VerifyDef {
            method: method(text_of(o, "method", at)?.as_deref(), at)?,
            path: text_of(o, "path", at)?.ok_or(format!("{at}.path is required"))?,
            query: text_map(o.get("query"), &format!("{at}.query"))?,
            headers: text_map(o.get("headers"), &format!("{at}.headers"))?,
            body: o.get("body").filter(|v| !v.is_null()).cloned(),
            list: text_of(o, "list", at)?.ok_or(format!("{at}.list is required"))?,
            text: text_of(o, "text", at)?.ok_or(format!("{at}.text is required"))?,
            id: text_of(o, "id", at)?.unwrap_or_else(|| "/id".into()),
        })
    }
}

fn template_ok(t: &str, allowed: &[&'static str]) -> bool {
    placeholders(t).iter().all(|(inner, range)| match parse_ph(inner, allowed) {
        // A number is a whole value, never part of a text: an id.
        Some((name, Enc::Number)) => matches!(name, "record_id" | "owner" | "priority" | "ticket_id") && range.start == 0 && range.end == t.len(),
        // A SOQL literal is the record's id in a query (`WHERE WhoId = {record_id:soql}`).
        Some((name, Enc::Soql)) => name == "record_id",
        Some(_) => true,
        None => false,
    })
}

#[allow(clippy::too_many_arguments)]
fn request_problems(at: &str, m: HttpMethod, path_t: &str, query: &BTreeMap<String, String>, headers: &BTreeMap<String, String>, body: Option<&Value>, allowed: &[&'static str], e: &mut impl FnMut(String, Text)) {
    let names = allowed.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ");
    let bad = |t: &str| Text::new(Msg::WriteDefBadTemplate, [data(t), data(&names)]);
    let mut plain = path_t.to_string();
    let mut path_ok = true;
    for (inner, range) in placeholders(path_t).iter().rev() {
        match parse_ph(inner, allowed) {
            Some((_, Enc::Plain)) => plain.replace_range(range.clone(), "x"),
            _ => path_ok = false,
        }
    }
    if !path_ok || !request_path_ok(&plain) {
        e(format!("{at}.path"), Text::new(Msg::DefBadRequestPath, [data(path_t)]));
    }
    for (k, t) in query {
        if !token_name(k) {
            e(format!("{at}.query.{k}"), Text::new(Msg::DefBadHeader, [data(k)]));
        } else if !template_ok(t, allowed) || parse_ph_any(t, Enc::Number) {
            e(format!("{at}.query.{k}"), bad(t));
        }
    }
    for (k, v) in headers {
        if !fixed_header_ok(k, v) {
            e(format!("{at}.headers.{k}"), Text::new(Msg::DefBadHeader, [data(k)]));
        }
    }
    if let Some(b) = body {
        if m == HttpMethod::Get {
            e(format!("{at}.body"), Msg::DefBodyOnGet.into());
        }
        body_problems(&format!("{at}.body"), b, allowed, e);
    }
}

/// A body template's strings that are not templates of `allowed` values,
/// each named by its path under `at`.
fn body_problems(at: &str, body: &Value, allowed: &[&'static str], e: &mut impl FnMut(String, Text)) {
    let names = allowed.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ");
    for (p, t) in strings_in(body, "") {
        if !template_ok(t, allowed) {
            e(format!("{at}{p}"), Text::new(Msg::WriteDefBadTemplate, [data(t), data(&names)]));
        }
    }
}

fn parse_ph_any(t: &str, enc: Enc) -> bool {
    placeholders(t).iter().any(|(inner, _)| parse_ph(inner, WRITE_FIELDS).is_some_and(|(_, e)| e == enc))
}

/// A created object's link: `https://` and a fixed host, or `{origin}`
/// first; `{id}`, `{record_id}` as path segments.
fn write_link_ok(t: &str) -> bool {
    let as_lookup = t.replace("{record_id}", "{record:/record_id}");
    link_template_ok(&as_lookup)
}

#[cfg(test)]
#[path = "writes_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "priority_tests.rs"]
mod priority_tests;
