//! The connector definition: one JSON format for every system Deskside talks
//! to. Shipped presets are files in `crates/deskside-core/connectors/`; the
//! generic REST connector is the same format, written by the admin. A
//! definition is data, never code: requests are built from templates whose
//! only placeholder is the identifier, inserted through named encoders, and
//! answers are read through paths. See `docs/CONNECTORS.md`.

use super::path;
use super::setup::{self, LocalText, SetupField};
use crate::i18n::{data, Msg, Text};
use crate::identify::IdKind;
use crate::model::FieldType;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// `demo_crm`, `generic`…: lower case, digits, `_`.
    pub id: String,
    /// Shown to the admin (the connector's label defaults to it).
    pub name: String,
    pub auth: AuthDef,
    /// How the API is searched, per identifier kind (`email`, `phone`,
    /// `customer_id`, `order_id`, `account_id`): one or more requests, tried
    /// in order until one finds something.
    pub lookups: BTreeMap<String, Vec<RequestDef>>,
    /// Where an API that answers 200 with an error inside says so.
    pub success: Option<SuccessDef>,
    pub results: ResultsDef,
    pub map: MapDef,
    pub limits: Limits,
    /// Sample answers with the customer they must map to: checked by
    /// `cargo test` (shipped presets) and when the admin saves a definition.
    pub samples: Vec<Sample>,
    pub notes: String,
    /// The base URL as a template of the setup values
    /// (`https://{subdomain}.zendesk.com`), or a fixed one; `None`: the
    /// admin types the whole base URL. See [`Definition::base_url_from`].
    pub base_url: Option<String>,
    /// What the admin gives instead of a whole base URL (`connector::setup`).
    pub setup: Vec<SetupField>,
    /// One line for the admin: where the key is made, which scopes it needs.
    pub help: Option<LocalText>,
    /// The definition as JSON (compact): what is stored and shown back.
    pub source: String,
}

/// How requests are authenticated. Each kind names the secrets it needs
/// ([`AuthDef::secrets`]); each is its own masked field on the options page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AuthDef {
    /// `Authorization: Bearer <api_key>`.
    #[default]
    Bearer,
    /// The key as-is in a named header (`X-Api-Key: <api_key>`).
    Header { name: String },
    /// The key in a query parameter (`?api_token=<api_key>`).
    Query { param: String },
    /// HTTP Basic: `username` and `password`; with `password` fixed here,
    /// the key is the user name (Freshdesk: key and `X`).
    Basic {
        password: Option<String>,
    },
    /// OAuth 2 client credentials: `client_id` and `client_secret` are
    /// exchanged at `token_path` (on the API's origin) for an access token,
    /// kept in the background until it expires and sent as a Bearer token.
    ClientCredentials {
        token_path: String,
        scope: Option<String>,
    },
}

impl AuthDef {
    /// The secrets this kind needs, by name.
    pub fn secrets(&self) -> &'static [&'static str] {
        match self {
            AuthDef::Bearer | AuthDef::Header { .. } | AuthDef::Query { .. } => &["api_key"],
            AuthDef::Basic { password: Some(_) } => &["api_key"],
            AuthDef::Basic { password: None } => &["username", "password"],
            AuthDef::ClientCredentials { .. } => &["client_id", "client_secret"],
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HttpMethod {
    #[default]
    Get,
    Post,
}

/// One request. Its templates may hold `{value}`, the identifier, written
/// in `value`'s form and encoded for where it goes: a path segment, a query
/// value, a JSON string (`{value:soql}` inside a string: a SOQL literal;
/// `{value:sosl}`: a SOSL search term in its braces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestDef {
    pub method: HttpMethod,
    /// Relative to the base URL: `/v2/people/search`, `/api/v1/customers/{value}`.
    pub path: String,
    pub query: BTreeMap<String, String>,
    /// A JSON body template (POST).
    pub body: Option<Value>,
    pub value: ValueForm,
    /// Statuses that mean "no such record" for this request (e.g. 404 for a
    /// lookup by id). Any other 404 is a configuration error naming the URL.
    pub not_found_status: Vec<u16>,
    /// Fixed headers (`Intercom-Version: 2.14`): no placeholder, no secret.
    pub headers: BTreeMap<String, String>,
}

/// The shape the identifier is sent in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ValueForm {
    /// As found (phones in E.164, emails in lower case).
    #[default]
    AsIs,
    /// A phone without its country code: `13800138000`.
    National,
    /// A phone's digits, country code included: `8613800138000`.
    Digits,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuccessDef {
    /// Where the code is (`/errcode`); absent means success.
    pub path: String,
    /// The values that mean success (`0`, `"ok"`).
    pub ok: Vec<Value>,
    /// Where the API's own words for the error are.
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultsDef {
    /// Where the list of records is (`/data`), or the one record of a lookup
    /// by id; a record is recognised by having an id (`map.id`).
    pub list: String,
    /// Where a lookup by id puts its one record, if elsewhere.
    pub record: String,
    /// Where the total count is, when the API gives one.
    pub total: String,
    /// Keep only records one of whose emails or phones is the identifier
    /// (vendor searches are fuzzy); the panel says how many were dropped.
    pub exact: bool,
}

/// A value read from a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueDef {
    /// A path (`/given_name`); with `*` steps, every value.
    Path(String),
    /// The first non-empty of several.
    First(Vec<ValueDef>),
    /// Several joined (`{"join": ["/first", "/last"], "sep": " "}`).
    Join {
        join: Vec<String>,
        sep: String,
    },
    /// A fixed value.
    Const {
        value: String,
    },
    /// A vendor's labels mapped onto ours (`{"path": "/segment", "map": {"KEY_ACCOUNT": "platinum"}}`).
    Mapped { path: String, map: BTreeMap<String, String> },
}

impl ValueDef {
    /// A value definition from JSON: a path, a list, or an object with
    /// `join`, `const` or `path` + `map`.
    fn from_json(v: &Value) -> Result<ValueDef, String> {
        let strings = |v: &Value| -> Option<Vec<String>> { v.as_array()?.iter().map(|x| x.as_str().map(str::to_string)).collect() };
        match v {
            Value::String(p) => Ok(ValueDef::Path(p.clone())),
            Value::Array(items) if items.len() <= 8 => items.iter().map(ValueDef::from_json).collect::<Result<_, _>>().map(ValueDef::First),
            Value::Object(o) => {
                let keys: Vec<&str> = o.keys().map(String::as_str).collect();
                match keys.as_slice() {
                    ["join"] | ["join", "sep"] | ["sep", "join"] => Ok(ValueDef::Join {
                        join: o.get("join").and_then(strings).ok_or("join is a list of paths")?,
                        sep: o.get("sep").map_or(Some(" "), Value::as_str).ok_or("sep is text")?.to_string(),
                    }),
                    ["const"] => Ok(ValueDef::Const { value: o["const"].as_str().ok_or("const is text")?.to_string() }),
                    ["map", "path"] | ["path", "map"] => Ok(ValueDef::Mapped {
                        path: o["path"].as_str().ok_or("path is text")?.to_string(),
                        map: o["map"]
                            .as_object()
                            .and_then(|m| m.iter().map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect())
                            .ok_or("map is an object of labels")?,
                    }),
                    _ => Err(format!("a value is a path, a list, or {{\"join\"}}, {{\"const\"}} or {{\"path\", \"map\"}}; not {{{}}}", keys.join(", "))),
                }
            }
            _ => Err("a value is a path, a list, or an object".into()),
        }
    }
}


#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapDef {
    pub id: Option<ValueDef>,
    pub name: Option<ValueDef>,
    /// Every value of each listed definition (paths with `*`).
    pub emails: Vec<ValueDef>,
    pub phones: Vec<ValueDef>,
    pub company: Option<ValueDef>,
    pub title: Option<ValueDef>,
    /// Mapped onto our tiers (`platinum`, `gold`, `silver`, `standard`, or kept as written).
    pub tier: Option<ValueDef>,
    pub city: Option<ValueDef>,
    pub country: Option<ValueDef>,
    /// A link to the record (https, or http on this computer, or dropped).
    pub url: Option<ValueDef>,
    pub updated: Option<DateDef>,
    pub orders: Option<OrdersDef>,
    /// Any other field the admin wants shown, with a label and a type.
    pub custom: Vec<CustomDef>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrdersDef {
    /// The array of orders in the record.
    pub each: String,
    pub id: Option<ValueDef>,
    pub status: Option<ValueDef>,
    pub total: Option<MoneyDef>,
    pub currency: Option<ValueDef>,
    pub date: Option<DateDef>,
}

/// An amount: an integer in minor units (`189900`), or a decimal (`"1899.00"`, `1899.5`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyDef {
    Minor(String),
    Decimal(String),
}

/// A date: ISO 8601 text, or epoch seconds or milliseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateDef {
    pub path: String,
    pub format: DateFormat,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateFormat {
    #[default]
    Iso,
    EpochSeconds,
    EpochMillis,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomDef {
    pub label: String,
    pub path: String,
    pub kind: crate::model::FieldType,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Answers larger than this are refused before parsing.
    pub max_body_bytes: usize,
    /// Records mapped per answer.
    pub max_records: usize,
}

fn max_body() -> usize {
    2 * 1024 * 1024
}

fn max_records() -> usize {
    20
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_body_bytes: max_body(), max_records: max_records() }
    }
}

/// A sample answer and what it must map to (a subset of the customer's
/// fields, as JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The identifier looked up (`{"kind": "email", "value": "…"}`).
    pub identifier: SampleId,
    pub status: u16,
    pub answer: Value,
    /// The customers it maps to, each a subset of [`crate::model::Customer`]'s JSON.
    pub expect: Vec<Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleId {
    pub kind: IdKind,
    pub value: String,
}

/// One problem with a definition: where (`lookups.email.0.path`) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefError {
    pub path: String,
    pub message: Text,
}

/// Largest definition accepted, as JSON.
pub const MAX_DEFINITION_BYTES: usize = 64 * 1024;

impl Definition {
    /// Parses and validates a definition; every problem at once.
    pub fn parse(json: &str) -> Result<Definition, Vec<DefError>> {
        if json.len() > MAX_DEFINITION_BYTES {
            return Err(vec![DefError { path: String::new(), message: Text::new(Msg::DefTooBig, [data(MAX_DEFINITION_BYTES / 1024)]) }]);
        }
        let unreadable = |e: String| vec![DefError { path: String::new(), message: Text::new(Msg::DefUnreadable, [data(e)]) }];
        let value: Value = serde_json::from_str(json).map_err(|e| unreadable(e.to_string()))?;
        let def = Definition::from_json(&value).map_err(unreadable)?;
        def.validate()?;
        Ok(def)
    }

    /// Reads a definition from JSON by hand: serde's derived readers for
    /// this tree of types cost far more wasm than these few lines. Unknown
    /// fields and wrong types are named with their place.
    pub fn from_json(v: &Value) -> Result<Definition, String> {
        let o = Obj::new(v, "", &["id", "name", "auth", "lookups", "success", "results", "map", "limits", "samples", "notes", "base_url", "setup", "help"])?;
        let mut lookups = BTreeMap::new();
        for (kind, list) in o.need("lookups")?.as_object().ok_or("lookups must be an object of kinds")? {
            let at = format!("lookups.{kind}");
            let items = list.as_array().ok_or_else(|| format!("{at} must be a list of requests"))?;
            let requests = items.iter().enumerate().map(|(i, r)| RequestDef::from_json(r, &format!("{at}.{i}"))).collect::<Result<Vec<_>, _>>()?;
            lookups.insert(kind.clone(), requests);
        }
        let success = match o.get("success") {
            None => None,
            Some(v) => {
                let s = Obj::new(v, "success", &["path", "ok", "message"])?;
                Some(SuccessDef { path: s.text("path")?.unwrap_or_default(), ok: s.get("ok").and_then(Value::as_array).cloned().unwrap_or_default(), message: s.text("message")?.unwrap_or_default() })
            }
        };
        let r = Obj::new(o.need("results")?, "results", &["list", "record", "total", "exact"])?;
        let results = ResultsDef {
            list: r.text("list")?.ok_or("results.list is required")?,
            record: r.text("record")?.unwrap_or_default(),
            total: r.text("total")?.unwrap_or_default(),
            exact: r.get("exact").map_or(Ok(true), |v| v.as_bool().ok_or("results.exact must be true or false"))?,
        };
        let limits = match o.get("limits") {
            None => Limits::default(),
            Some(v) => {
                let l = Obj::new(v, "limits", &["max_body_bytes", "max_records"])?;
                let n = |k: &str, d: usize| l.get(k).map_or(Ok(d), |v| v.as_u64().map(|n| n as usize).ok_or(format!("limits.{k} must be a number")));
                Limits { max_body_bytes: n("max_body_bytes", max_body())?, max_records: n("max_records", max_records())? }
            }
        };
        let samples = match o.get("samples") {
            None => Vec::new(),
            Some(v) => v.as_array().ok_or("samples must be a list")?.iter().enumerate().map(|(i, s)| Sample::from_json(s, &format!("samples.{i}"))).collect::<Result<_, _>>()?,
        };
        let (base_url, setup, help) = setup::read(v)?;
        Ok(Definition {
            base_url,
            setup,
            help,
            id: o.text("id")?.ok_or("id is required")?,
            name: o.text("name")?.ok_or("name is required")?,
            auth: o.get("auth").map_or(Ok(AuthDef::Bearer), AuthDef::from_json)?,
            lookups,
            success,
            results,
            map: MapDef::from_json(o.need("map")?)?,
            limits,
            samples,
            notes: o.text("notes")?.unwrap_or_default(),
            source: v.to_string(),
        })
    }
}

/// A JSON object being read: its fields checked against the known ones.
struct Obj<'a> {
    map: &'a serde_json::Map<String, Value>,
    at: String,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, at: &str, known: &[&str]) -> Result<Obj<'a>, String> {
        let map = v.as_object().ok_or_else(|| format!("{} must be an object", if at.is_empty() { "the definition" } else { at }))?;
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!("unknown field {}{k}", if at.is_empty() { String::new() } else { format!("{at}.") }));
        }
        Ok(Obj { map, at: at.to_string() })
    }
    fn get(&self, k: &str) -> Option<&'a Value> {
        self.map.get(k).filter(|v| !v.is_null())
    }
    fn need(&self, k: &str) -> Result<&'a Value, String> {
        self.get(k).ok_or_else(|| format!("{} is required", self.name(k)))
    }
    fn name(&self, k: &str) -> String {
        if self.at.is_empty() { k.to_string() } else { format!("{}.{k}", self.at) }
    }
    fn text(&self, k: &str) -> Result<Option<String>, String> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("{} must be text", self.name(k))),
        }
    }
    fn value(&self, k: &str) -> Result<Option<ValueDef>, String> {
        self.get(k).map(|v| ValueDef::from_json(v).map_err(|e| format!("{}: {e}", self.name(k)))).transpose()
    }
    fn values(&self, k: &str) -> Result<Vec<ValueDef>, String> {
        match self.get(k) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(|v| ValueDef::from_json(v).map_err(|e| format!("{}: {e}", self.name(k)))).collect(),
            Some(v) => Ok(vec![ValueDef::from_json(v).map_err(|e| format!("{}: {e}", self.name(k)))?]),
        }
    }
    fn date(&self, k: &str) -> Result<Option<DateDef>, String> {
        self.get(k).map(|v| DateDef::from_json(v, &self.name(k))).transpose()
    }
}

impl AuthDef {
    fn from_json(v: &Value) -> Result<AuthDef, String> {
        let kind = v.get("kind").and_then(Value::as_str).unwrap_or("bearer");
        let known: &[&str] = match kind {
            "bearer" => &["kind"],
            "header" => &["kind", "name"],
            "query" => &["kind", "param"],
            "basic" => &["kind", "password"],
            "client_credentials" => &["kind", "token_path", "scope"],
            other => return Err(format!("unknown auth kind '{other}' (bearer, header, query, basic, client_credentials)")),
        };
        let o = Obj::new(v, "auth", known)?;
        let need = |k: &str| o.text(k)?.ok_or_else(|| format!("auth.{k} is required"));
        Ok(match kind {
            "header" => AuthDef::Header { name: need("name")? },
            "query" => AuthDef::Query { param: need("param")? },
            "basic" => AuthDef::Basic { password: o.text("password")? },
            "client_credentials" => AuthDef::ClientCredentials { token_path: need("token_path")?, scope: o.text("scope")? },
            _ => AuthDef::Bearer,
        })
    }
}

impl RequestDef {
    fn from_json(v: &Value, at: &str) -> Result<RequestDef, String> {
        let o = Obj::new(v, at, &["method", "path", "query", "body", "value", "not_found_status", "headers"])?;
        let method = match o.text("method")?.as_deref() {
            None | Some("GET") => HttpMethod::Get,
            Some("POST") => HttpMethod::Post,
            Some(m) => return Err(format!("{at}.method: '{m}' is not GET or POST")),
        };
        let mut query = BTreeMap::new();
        if let Some(q) = o.get("query") {
            for (k, v) in q.as_object().ok_or_else(|| format!("{at}.query must be an object"))? {
                query.insert(k.clone(), v.as_str().ok_or_else(|| format!("{at}.query.{k} must be text"))?.to_string());
            }
        }
        let mut headers = BTreeMap::new();
        if let Some(h) = o.get("headers") {
            for (k, v) in h.as_object().ok_or_else(|| format!("{at}.headers must be an object"))? {
                headers.insert(k.clone(), v.as_str().ok_or_else(|| format!("{at}.headers.{k} must be text"))?.to_string());
            }
        }
        let value = match o.text("value")?.as_deref() {
            None | Some("as_is") => ValueForm::AsIs,
            Some("national") => ValueForm::National,
            Some("digits") => ValueForm::Digits,
            Some(f) => return Err(format!("{at}.value: '{f}' is not as_is, national or digits")),
        };
        let not_found_status = match o.get("not_found_status") {
            None => Vec::new(),
            Some(v) => v
                .as_array()
                .and_then(|a| a.iter().map(|n| n.as_u64().filter(|n| (100..600).contains(n)).map(|n| n as u16)).collect())
                .ok_or_else(|| format!("{at}.not_found_status must be a list of statuses"))?,
        };
        Ok(RequestDef { method, path: o.text("path")?.ok_or_else(|| format!("{at}.path is required"))?, query, body: o.get("body").cloned(), value, not_found_status, headers })
    }
}

impl MapDef {
    fn from_json(v: &Value) -> Result<MapDef, String> {
        let o = Obj::new(v, "map", &["id", "name", "emails", "phones", "company", "title", "tier", "city", "country", "url", "updated", "orders", "custom"])?;
        let orders = match o.get("orders") {
            None => None,
            Some(v) => {
                let x = Obj::new(v, "map.orders", &["each", "id", "status", "total", "currency", "date"])?;
                let total = match x.get("total") {
                    None => None,
                    Some(t) => {
                        let m = Obj::new(t, "map.orders.total", &["minor", "decimal"])?;
                        match (m.text("minor")?, m.text("decimal")?) {
                            (Some(p), None) => Some(MoneyDef::Minor(p)),
                            (None, Some(p)) => Some(MoneyDef::Decimal(p)),
                            _ => return Err("map.orders.total is {\"minor\": path} or {\"decimal\": path}".into()),
                        }
                    }
                };
                Some(OrdersDef { each: x.text("each")?.ok_or("map.orders.each is required")?, id: x.value("id")?, status: x.value("status")?, total, currency: x.value("currency")?, date: x.date("date")? })
            }
        };
        let mut custom = Vec::new();
        if let Some(list) = o.get("custom") {
            for (i, c) in list.as_array().ok_or("map.custom must be a list")?.iter().enumerate() {
                let at = format!("map.custom.{i}");
                let c = Obj::new(c, &at, &["label", "path", "type"])?;
                let kind = match c.text("type")?.as_deref() {
                    None | Some("text") => FieldType::Text,
                    Some("number") => FieldType::Number,
                    Some("money") => FieldType::Money,
                    Some("date") => FieldType::Date,
                    Some("url") => FieldType::Url,
                    Some("yes_no") => FieldType::YesNo,
                    Some(t) => return Err(format!("{at}.type: '{t}' is not text, number, money, date, url or yes_no")),
                };
                custom.push(CustomDef { label: c.text("label")?.unwrap_or_default(), path: c.text("path")?.ok_or_else(|| format!("{at}.path is required"))?, kind });
            }
        }
        Ok(MapDef {
            id: o.value("id")?,
            name: o.value("name")?,
            emails: o.values("emails")?,
            phones: o.values("phones")?,
            company: o.value("company")?,
            title: o.value("title")?,
            tier: o.value("tier")?,
            city: o.value("city")?,
            country: o.value("country")?,
            url: o.value("url")?,
            updated: o.date("updated")?,
            orders,
            custom,
        })
    }
}

impl DateDef {
    fn from_json(v: &Value, at: &str) -> Result<DateDef, String> {
        if let Some(p) = v.as_str() {
            return Ok(DateDef { path: p.to_string(), format: DateFormat::Iso });
        }
        let o = Obj::new(v, at, &["path", "format"])?;
        let format = match o.text("format")?.as_deref() {
            None | Some("iso") => DateFormat::Iso,
            Some("epoch_seconds") => DateFormat::EpochSeconds,
            Some("epoch_millis") => DateFormat::EpochMillis,
            Some(f) => return Err(format!("{at}.format: '{f}' is not iso, epoch_seconds or epoch_millis")),
        };
        Ok(DateDef { path: o.text("path")?.ok_or_else(|| format!("{at}.path is required"))?, format })
    }
}

impl Sample {
    fn from_json(v: &Value, at: &str) -> Result<Sample, String> {
        let o = Obj::new(v, at, &["identifier", "status", "answer", "expect"])?;
        let id = Obj::new(o.need("identifier")?, &format!("{at}.identifier"), &["kind", "value"])?;
        let kind = id.text("kind")?.and_then(|k| IdKind::parse(&k)).ok_or_else(|| format!("{at}.identifier.kind is not a kind"))?;
        Ok(Sample {
            identifier: SampleId { kind, value: id.text("value")?.unwrap_or_default() },
            status: o.get("status").and_then(Value::as_u64).map_or(200, |n| n as u16),
            answer: o.need("answer")?.clone(),
            expect: o.get("expect").and_then(Value::as_array).cloned().unwrap_or_default(),
        })
    }
}

// Stored and shown as the JSON it was read from; read back by hand.
impl serde::Serialize for Definition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::from_str::<Value>(&self.source).map_err(serde::ser::Error::custom)?.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Definition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Definition, D::Error> {
        let v = Value::deserialize(d)?;
        Definition::from_json(&v).map_err(serde::de::Error::custom)
    }
}

impl Definition {

    /// The lookups for an identifier kind.
    pub fn lookups_for(&self, kind: IdKind) -> &[RequestDef] {
        self.lookups.get(kind.id()).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn validate(&self) -> Result<(), Vec<DefError>> {
        let mut errors = Vec::new();
        let mut e = |path: String, message: Text| errors.push(DefError { path, message });
        if self.id.is_empty() || self.id.len() > 40 || !self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            e("id".into(), Msg::DefBadId.into());
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 60 {
            e("name".into(), Msg::DefBadName.into());
        }
        match &self.auth {
            AuthDef::Header { name } if !token_name(name) => e("auth.name".into(), Text::new(Msg::DefBadHeader, [data(name)])),
            AuthDef::Query { param } if !token_name(param) => e("auth.param".into(), Text::new(Msg::DefBadHeader, [data(param)])),
            AuthDef::ClientCredentials { token_path, .. } if !request_path_ok(token_path) => e("auth.token_path".into(), Text::new(Msg::DefBadRequestPath, [data(token_path)])),
            _ => {}
        }
        if self.lookups.is_empty() {
            e("lookups".into(), Msg::DefNoLookups.into());
        }
        for (kind, requests) in &self.lookups {
            let at = format!("lookups.{kind}");
            // (Not `IdKind::lookupable`: that asks the shipped definitions,
            // which are being validated here.)
            if IdKind::parse(kind).is_none_or(|k| !matches!(k, IdKind::Email | IdKind::Phone | IdKind::CustomerId | IdKind::OrderId | IdKind::AccountId)) {
                e(at.clone(), Text::new(Msg::DefUnknownKind, [data(kind)]));
            }
            if requests.is_empty() || requests.len() > 4 {
                e(at.clone(), Msg::DefRequestCount.into());
            }
            for (i, r) in requests.iter().enumerate() {
                let at = format!("{at}.{i}");
                if !request_path_ok(&r.path.replace("{value}", "x")) || r.path.matches("{value}").count() > 1 {
                    e(format!("{at}.path"), Text::new(Msg::DefBadRequestPath, [data(&r.path)]));
                }
                for (name, v) in &r.query {
                    if !token_name(name) || placeholders_ok(v).is_err() {
                        e(format!("{at}.query.{name}"), Text::new(Msg::DefBadTemplate, [data(v)]));
                    }
                }
                for (name, v) in &r.headers {
                    if !fixed_header_ok(name, v) {
                        e(format!("{at}.headers.{name}"), Text::new(Msg::DefBadHeader, [data(name)]));
                    }
                }
                if let Some(body) = &r.body {
                    if r.method == HttpMethod::Get {
                        e(format!("{at}.body"), Msg::DefBodyOnGet.into());
                    }
                    for (p, s) in strings_in(body, "") {
                        if placeholders_ok(s).is_err() {
                            e(format!("{at}.body{p}"), Text::new(Msg::DefBadTemplate, [data(s)]));
                        }
                    }
                }
                let uses_value = r.path.contains("{value}") || r.query.values().any(|v| v.contains("{value")) || r.body.as_ref().is_some_and(|b| strings_in(b, "").iter().any(|(_, s)| s.contains("{value")));
                if !uses_value {
                    e(at.clone(), Msg::DefValueUnused.into());
                }
            }
        }
        let mut bad_paths: Vec<(String, String)> = Vec::new();
        let mut check = |at: &str, p: &str| {
            if path::check(p).is_err() {
                bad_paths.push((at.to_string(), p.to_string()));
            }
        };
        check("results.list", &self.results.list);
        check("results.record", &self.results.record);
        check("results.total", &self.results.total);
        if let Some(s) = &self.success {
            check("success.path", &s.path);
            check("success.message", &s.message);
        }
        for (field, v) in self.map.values() {
            for p in v.paths() {
                check(&format!("map.{field}"), p);
            }
        }
        if let Some(o) = &self.map.orders {
            check("map.orders.each", &o.each);
        }
        for (i, c) in self.map.custom.iter().enumerate() {
            check(&format!("map.custom.{i}.path"), &c.path);
        }
        for (at, p) in bad_paths {
            e(at, Text::new(Msg::DefBadPath, [data(p)]));
        }
        for (i, c) in self.map.custom.iter().enumerate() {
            if c.label.trim().is_empty() || c.label.chars().count() > 40 {
                e(format!("map.custom.{i}.label"), Msg::DefBadName.into());
            }
        }
        if self.map.id.is_none() {
            e("map.id".into(), Msg::DefNoId.into());
        }
        self.validate_setup(&mut e);
        if self.limits.max_body_bytes == 0 || self.limits.max_body_bytes > 8 * 1024 * 1024 || self.limits.max_records == 0 || self.limits.max_records > 100 {
            e("limits".into(), Msg::DefBadLimits.into());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl MapDef {
    /// Every single-value field with its definition, for validation.
    fn values(&self) -> Vec<(&'static str, &ValueDef)> {
        let mut out: Vec<(&'static str, &ValueDef)> = Vec::new();
        for (name, v) in [
            ("id", &self.id),
            ("name", &self.name),
            ("company", &self.company),
            ("title", &self.title),
            ("tier", &self.tier),
            ("city", &self.city),
            ("country", &self.country),
            ("url", &self.url),
        ] {
            out.extend(v.as_ref().map(|v| (name, v)));
        }
        out.extend(self.emails.iter().map(|v| ("emails", v)));
        out.extend(self.phones.iter().map(|v| ("phones", v)));
        if let Some(o) = &self.orders {
            for v in [&o.id, &o.status, &o.currency].into_iter().flatten() {
                out.push(("orders", v));
            }
        }
        out
    }
}

impl ValueDef {
    /// The paths it reads.
    pub fn paths(&self) -> Vec<&str> {
        match self {
            ValueDef::Path(p) => vec![p.as_str()],
            ValueDef::First(all) => all.iter().flat_map(ValueDef::paths).collect(),
            ValueDef::Join { join, .. } => join.iter().map(String::as_str).collect(),
            ValueDef::Const { .. } => Vec::new(),
            ValueDef::Mapped { path, .. } => vec![path.as_str()],
        }
    }
}

/// A header or parameter name: letters, digits, `-`, `_`, `.`.
fn token_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'[' | b']'))
}

/// A fixed request header: a plain name that is not one the engine or the
/// browser sets (auth, body, cookies, host), a short printable value
/// without placeholders.
fn fixed_header_ok(name: &str, value: &str) -> bool {
    const RESERVED: &[&str] = &["authorization", "cookie", "host", "content-type", "content-length", "accept", "origin", "referer", "proxy-authorization"];
    token_name(name)
        && !name.contains(['[', ']'])
        && !RESERVED.contains(&name.to_ascii_lowercase().as_str())
        && !super::is_secret_header(name)
        && value.len() <= 200
        && value.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'{' && b != b'}')
}

/// A path relative to the base URL: starts with `/`, no `..` or `.` steps,
/// no scheme, query or fragment, printable ASCII.
fn request_path_ok(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 300
        && p.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'\\'))
        && p.split('/').all(|s| s != ".." && s != ".")
}

/// Only `{value}`, `{value:soql}` and `{value:sosl}` may appear in braces.
fn placeholders_ok(s: &str) -> Result<(), ()> {
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i..];
        let end = after.find('}').ok_or(())?;
        if !matches!(&after[..=end], "{value}" | "{value:soql}" | "{value:sosl}") {
            return Err(());
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// Every string in a JSON template with its pointer.
fn strings_in<'a>(v: &'a Value, at: &str) -> Vec<(String, &'a str)> {
    match v {
        Value::String(s) => vec![(at.to_string(), s.as_str())],
        Value::Array(items) => items.iter().enumerate().flat_map(|(i, x)| strings_in(x, &format!("{at}.{i}"))).collect(),
        Value::Object(map) => map.iter().flat_map(|(k, x)| strings_in(x, &format!("{at}.{k}"))).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> serde_json::Value {
        serde_json::json!({
            "id": "test_api",
            "name": "Test API",
            "auth": {"kind": "client_credentials", "token_path": "/oauth/token"},
            "lookups": {"email": [{"path": "/v2/people/search", "query": {"q": "{value}"}}]},
            "results": {"list": "/result/items", "total": "/result/total"},
            "map": {"id": "/person_id", "name": {"join": ["/given_name", "/family_name"]}, "emails": ["/contact/emails/*/address"]}
        })
    }

    #[test]
    fn a_valid_definition_parses() {
        let d = Definition::parse(&minimal().to_string()).unwrap();
        assert_eq!(d.auth.secrets(), ["client_id", "client_secret"]);
        assert_eq!(d.lookups_for(IdKind::Email).len(), 1);
        assert!(d.lookups_for(IdKind::Phone).is_empty());
        assert!(d.results.exact, "exact matching is the default");
    }

    #[test]
    fn every_problem_is_named_with_its_path() {
        let mut v = minimal();
        v["id"] = "Bad Id".into();
        v["lookups"]["fax"] = serde_json::json!([{"path": "/x/{value}"}]);
        v["lookups"]["email"][0]["path"] = "https://evil.test/x".into();
        v["lookups"]["email"][0]["query"]["q"] = "{value} {secret}".into();
        v["lookups"]["phone"] = serde_json::json!([{"method": "GET", "path": "/p", "body": {"q": "{value}"}}]);
        v["lookups"]["customer_id"] = serde_json::json!([{"path": "/c/../admin/{value}"}]);
        v["results"]["list"] = "result/items".into();
        v["map"]["custom"] = serde_json::json!([{"label": "", "path": "/x", "type": "date"}]);
        let errors = Definition::parse(&v.to_string()).unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            ["id", "lookups.customer_id.0.path", "lookups.email.0.path", "lookups.email.0.query.q", "lookups.fax", "lookups.phone.0.body", "results.list", "map.custom.0.label"]
        );
        // Unknown fields and wrong types are named by serde.
        let mut v = minimal();
        v["auth"] = serde_json::json!({"kind": "magic"});
        assert!(matches!(&Definition::parse(&v.to_string()).unwrap_err()[..], [DefError { message: Text { id: Msg::DefUnreadable, .. }, .. }]));
        assert!(Definition::parse(&"x".repeat(MAX_DEFINITION_BYTES + 1)).is_err());
    }

    #[test]
    fn templates_allow_only_the_identifier() {
        assert!(placeholders_ok("{value}").is_ok());
        assert!(placeholders_ok("Email = {value:soql} AND x").is_ok());
        assert!(placeholders_ok("no placeholder").is_ok());
        assert!(placeholders_ok("{value").is_err());
        assert!(placeholders_ok("{key}").is_err());
        assert!(request_path_ok("/v2/people/x"));
        for bad in ["v2", "//evil.test/x", "/a/../b", "/a?x=1", "/a#b", "/a\\b", "/a b"] {
            assert!(!request_path_ok(bad), "{bad}");
        }
    }
}
