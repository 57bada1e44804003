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
    /// Follow-up requests for the found record's related items.
    pub related: Vec<RelatedDef>,
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
    /// The API's published rate limit (`"rate": {"requests": 100,
    /// "per_secs": 10}`), which the request layer keeps every team inside;
    /// `None`: [`crate::client::bucket::Rate::DEFAULT`].
    pub rate: Option<crate::client::bucket::Rate>,
    /// Write-back: a note, a follow-up task (`connector::writes`); empty:
    /// the connector only reads.
    pub writes: super::writes::WritesDef,
    /// The definition as JSON (compact): what is stored and shown back.
    pub source: String,
    /// Where the agent creates a record the lookup did not find: a link
    /// template of `{origin}` (the API's) and `{value}` (the identifier,
    /// percent-encoded), offered by the panel's "not found".
    pub create_url: Option<String>,
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
    /// exchanged at the token endpoint for an access token, kept in the
    /// background until it expires and placed in every request.
    ClientCredentials {
        endpoint: TokenEndpoint,
        scope: Option<String>,
        place: TokenPlace,
    },
    /// OAuth 2 refresh token grant: `refresh_token` with `client_id` and
    /// `client_secret` exchanged for an access token. A new refresh token in
    /// the answer is not kept: the stored one goes on being used.
    RefreshToken {
        endpoint: TokenEndpoint,
        scope: Option<String>,
        place: TokenPlace,
    },
    /// The app-id + secret → access-token pattern of Chinese business APIs
    /// (WeCom's `gettoken`, Feishu's `app_access_token`…).
    AppToken(Box<AppTokenDef>),
    /// A signature computed per request from the secret, a timestamp, a
    /// nonce, the body's digest (Udesk, NetEase Qiyu).
    Signed(Box<SignedDef>),
}

/// Where a token exchange is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenEndpoint {
    /// `token_path`: on the API's own origin, relative to the base URL.
    Path(String),
    /// `token_url`: an absolute URL on another origin (https, or http on
    /// this computer): `https://login.salesforce.com/services/oauth2/token`.
    Url(String),
}

/// Where the exchanged access token goes in every request (`place`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenPlace {
    /// A header: `Authorization: Bearer <token>` (the default), or a header
    /// of the API's own (`X-Access-Token: <token>`).
    Header { name: String, prefix: String },
    /// A query parameter (`?access_token=<token>`), kept out of logs.
    Query { name: String },
    /// A field of every JSON body (`{"access_token": "<token>", …}`).
    Body { name: String },
}

impl Default for TokenPlace {
    fn default() -> TokenPlace {
        TokenPlace::Header { name: "Authorization".into(), prefix: "Bearer ".into() }
    }
}

/// An app-token exchange: a request with `{app_id}` and `{app_secret}` in
/// its query or JSON body, and where the answer has the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppTokenDef {
    pub endpoint: TokenEndpoint,
    pub method: HttpMethod,
    pub query: BTreeMap<String, String>,
    pub body: Option<Value>,
    /// Where the access token is in the answer (`/access_token`).
    pub token: String,
    /// Where its lifetime in seconds is (`/expires_in`).
    pub expires_in: String,
    /// Where an answer that is 200 with an error inside says so (`/errcode`).
    pub success: Option<SuccessDef>,
    pub place: TokenPlace,
}

/// A signature computed for every request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedDef {
    /// The text signed, a template of `{key_id}`, `{secret}`, `{timestamp}`,
    /// `{nonce}`, `{body}`, `{body_md5}`, `{body_sha256}` and fixed text:
    /// `{key_id}&{secret}&{timestamp}&{nonce}&v2`.
    pub sign: String,
    pub hash: SignHash,
    pub output: SignOutput,
    pub timestamp: TimeUnit,
    /// Query parameters added to every request: templates of `{key_id}`,
    /// `{timestamp}`, `{nonce}`, `{sign}`, `{body_md5}`, `{body_sha256}`.
    pub query: BTreeMap<String, String>,
    /// Headers added to every request, the same templates.
    pub headers: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignHash {
    Sha1,
    Sha256,
    Md5,
    /// HMAC keyed with the secret.
    HmacSha1,
    HmacSha256,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignOutput {
    /// Lower-case hex.
    #[default]
    Hex,
    HexUpper,
    Base64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeUnit {
    #[default]
    Seconds,
    Millis,
}

/// Placeholders of an app-token request.
pub const APP_TOKEN_PLACEHOLDERS: &[&str] = &["app_id", "app_secret"];
/// Placeholders of the text a signature is computed over.
pub const SIGN_PLACEHOLDERS: &[&str] = &["key_id", "secret", "timestamp", "nonce", "body", "body_md5", "body_sha256"];
/// Placeholders of the query parameters and headers a signed request adds:
/// never the secret itself.
pub const SIGNED_SENT_PLACEHOLDERS: &[&str] = &["key_id", "timestamp", "nonce", "sign", "body_md5", "body_sha256"];

impl AuthDef {
    /// The secrets this kind needs, by name.
    pub fn secrets(&self) -> &'static [&'static str] {
        match self {
            AuthDef::Bearer | AuthDef::Header { .. } | AuthDef::Query { .. } => &["api_key"],
            AuthDef::Basic { password: Some(_) } => &["api_key"],
            AuthDef::Basic { password: None } => &["username", "password"],
            AuthDef::ClientCredentials { .. } => &["client_id", "client_secret"],
            AuthDef::RefreshToken { .. } => &["client_id", "client_secret", "refresh_token"],
            AuthDef::AppToken(_) => &["app_id", "app_secret"],
            AuthDef::Signed(s) if s.uses("key_id") => &["key_id", "secret"],
            AuthDef::Signed(_) => &["secret"],
        }
    }

    /// Where a token-exchange kind asks for its token (`None` for the others).
    pub fn token_endpoint(&self) -> Option<&TokenEndpoint> {
        match self {
            AuthDef::ClientCredentials { endpoint, .. } | AuthDef::RefreshToken { endpoint, .. } => Some(endpoint),
            AuthDef::AppToken(a) => Some(&a.endpoint),
            _ => None,
        }
    }

    /// Where a token-exchange kind puts its access token.
    pub fn token_place(&self) -> Option<&TokenPlace> {
        match self {
            AuthDef::ClientCredentials { place, .. } | AuthDef::RefreshToken { place, .. } => Some(place),
            AuthDef::AppToken(a) => Some(&a.place),
            _ => None,
        }
    }

    /// The token URL's origin, when the token is asked for on another origin
    /// than the API's: its secrets go there too.
    pub fn token_origin(&self) -> Option<String> {
        match self.token_endpoint()? {
            TokenEndpoint::Url(u) => crate::weburl::BaseUrl::parse(u).ok().map(|b| b.origin()),
            TokenEndpoint::Path(_) => None,
        }
    }

    /// The permission pattern the browser must grant for the token URL.
    pub fn token_permission(&self) -> Option<String> {
        match self.token_endpoint()? {
            TokenEndpoint::Url(u) => crate::weburl::BaseUrl::parse(u).ok().map(|b| b.permission_pattern()),
            TokenEndpoint::Path(_) => None,
        }
    }
}

impl SignedDef {
    /// Whether a template of this signature uses `{name}`.
    pub fn uses(&self, name: &str) -> bool {
        let p = format!("{{{name}}}");
        self.sign.contains(&p) || self.query.values().chain(self.headers.values()).any(|t| t.contains(&p))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HttpMethod {
    #[default]
    Get,
    Post,
    /// Writes only (`writes.priority`: setting a ticket's field).
    Put,
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
    /// What a lookup request finds (`Contacts`, `Leads`): follow-ups may be
    /// sent `for` some types only.
    pub record_type: Option<String>,
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
    /// Where a lookup by id puts its one record, if elsewhere (`""`: the
    /// answer itself, as a get-by-id endpoint answers).
    pub record: Option<String>,
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
    /// A link made of fixed text and the record's values
    /// (`{"template": "https://app.intercom.com/a/apps/{record:/workspace_id}/users/{id}"}`):
    /// `{id}` (the record's id), `{record:/path}` (a value of the record),
    /// `{origin}` (the API's origin), `{record_type}` (the lookup's
    /// `record_type`), each inserted as one path segment, and
    /// `{setup:name}` (one of the connector's setup values: a choice's value
    /// as it is, so it may make the host; a text as one path segment).
    /// The second part maps a setup value onto what the link wants
    /// (`"setup": {"region": {"api.eu.intercom.io": "app.eu.intercom.com"}}`).
    /// Only in `map.url`.
    Template(String, BTreeMap<String, BTreeMap<String, String>>),
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
                    ["template"] => Ok(ValueDef::Template(o["template"].as_str().ok_or("template is text")?.to_string(), BTreeMap::new())),
                    ["setup", "template"] | ["template", "setup"] => Ok(ValueDef::Template(
                        o["template"].as_str().ok_or("template is text")?.to_string(),
                        o["setup"]
                            .as_object()
                            .and_then(|m| m.iter().map(|(k, v)| Some((k.clone(), v.as_object()?.iter().map(|(a, b)| b.as_str().map(|b| (a.clone(), b.to_string()))).collect::<Option<BTreeMap<_, _>>>()?))).collect())
                            .ok_or("setup is an object of value maps, by setup field")?,
                    )),
                    ["map", "path"] | ["path", "map"] => Ok(ValueDef::Mapped {
                        path: o["path"].as_str().ok_or("path is text")?.to_string(),
                        map: o["map"]
                            .as_object()
                            .and_then(|m| m.iter().map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect())
                            .ok_or("map is an object of labels")?,
                    }),
                    _ => Err(format!("a value is a path, a list, or {{\"join\"}}, {{\"const\"}}, {{\"template\"}} or {{\"path\", \"map\"}}; not {{{}}}", keys.join(", "))),
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
    pub created: Option<DateDef>,
    /// Every value of each listed definition (`/tags/*/name`).
    pub tags: Vec<ValueDef>,
    /// Lifetime value: an amount and its currency.
    pub lifetime_value: Option<(MoneyDef, Option<ValueDef>)>,
    /// The record's lists, by kind (absent: none in the record; they may
    /// still come from `related` requests).
    pub lists: Vec<(ListKind, ItemsDef)>,
    /// Any other field the admin wants shown, with a label and a type.
    pub custom: Vec<CustomDef>,
}

impl MapDef {
    pub fn list(&self, kind: ListKind) -> Option<&ItemsDef> {
        self.lists.iter().find(|(k, _)| *k == kind).map(|(_, d)| d)
    }
}

/// A list in the common model: a record's orders, deals, tickets or notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    Orders,
    Deals,
    Tickets,
    Notes,
}

/// The shape of one field of a list's items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Value,
    Money,
    Date,
}

impl ListKind {
    pub const ALL: [ListKind; 4] = [ListKind::Orders, ListKind::Deals, ListKind::Tickets, ListKind::Notes];

    pub fn name(self) -> &'static str {
        match self {
            ListKind::Orders => "orders",
            ListKind::Deals => "deals",
            ListKind::Tickets => "tickets",
            ListKind::Notes => "notes",
        }
    }

    fn parse(s: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// The fields an item of this list has, with their shapes.
    fn fields(self) -> &'static [(&'static str, Shape)] {
        use Shape::*;
        match self {
            ListKind::Orders => &[("id", Value), ("status", Value), ("total", Money), ("currency", Value), ("date", Date), ("url", Value)],
            ListKind::Deals => &[("id", Value), ("name", Value), ("stage", Value), ("amount", Money), ("currency", Value), ("close_date", Date), ("url", Value)],
            ListKind::Tickets => &[("id", Value), ("subject", Value), ("status", Value), ("priority", Value), ("updated", Date), ("url", Value)],
            ListKind::Notes => &[("id", Value), ("text", Value), ("date", Date), ("author", Value)],
        }
    }
}

/// Where a list's items are and how each field of an item is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemsDef {
    /// Where the items are in the record; empty when they come only from
    /// [`RelatedDef`] requests (whose `list` says where they are).
    pub each: String,
    pub fields: Vec<(&'static str, ItemField)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemField {
    Value(ValueDef),
    Money(MoneyDef),
    Date(DateDef),
}

impl ItemsDef {
    pub fn value(&self, name: &str) -> Option<&ValueDef> {
        self.fields.iter().find_map(|(n, f)| match f {
            ItemField::Value(v) if *n == name => Some(v),
            _ => None,
        })
    }
    pub fn money(&self, name: &str) -> Option<&MoneyDef> {
        self.fields.iter().find_map(|(n, f)| match f {
            ItemField::Money(m) if *n == name => Some(m),
            _ => None,
        })
    }
    pub fn date(&self, name: &str) -> Option<&DateDef> {
        self.fields.iter().find_map(|(n, f)| match f {
            ItemField::Date(d) if *n == name => Some(d),
            _ => None,
        })
    }
}

/// A follow-up request for a found record's related items (its deals, its
/// tickets) or its company: `{id}` in its templates is the record's id
/// (`map.id`), `{record:/path}` another value of the record (the request is
/// not sent for a record without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelatedDef {
    pub into: RelatedInto,
    /// With `{id}` read as `{value}`: built like a lookup.
    pub request: RequestDef,
    /// Where the items are in the answer (`""`: the answer itself).
    pub list: String,
    /// Sent only for records found by a lookup of one of these
    /// `record_type`s (empty: for every record).
    pub only_for: Vec<String>,
}

/// What a follow-up request fills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RelatedInto {
    /// A list, each item read by the `map` entry of its kind.
    List(ListKind),
    /// The record's company name, read by this value from the first item
    /// (when the record has none of its own).
    Company(ValueDef),
    /// Labels for one field of a list's items (`deals.stage`): the answer's
    /// items each give an id (`key`) and its label (`label`), and an item
    /// whose value is one of the ids shows the label instead (HubSpot's
    /// pipeline stages: `appointmentscheduled` → "Appointment scheduled").
    /// Read before the list's own follow-ups (it comes first in `related`);
    /// when it fails, the field's value map (or the raw value) stands.
    Labels { list: ListKind, field: &'static str, key: String, label: String },
}

impl RelatedInto {
    pub fn name(&self) -> &'static str {
        match self {
            RelatedInto::List(k) => k.name(),
            RelatedInto::Company(_) => "company",
            RelatedInto::Labels { .. } => "labels",
        }
    }
}

impl RelatedDef {
    /// The record paths its templates name (`{record:/AccountId}`).
    pub fn record_paths(&self) -> Vec<&str> {
        let r = &self.request;
        let mut out = Vec::new();
        for t in std::iter::once(r.path.as_str()).chain(r.query.values().map(String::as_str)).chain(r.body.iter().flat_map(|b| strings_in(b, "")).map(|(_, s)| s)) {
            for (p, _) in placeholders_in(t) {
                if let Some(Some(path)) = parse_placeholder(p).map(|(path, _)| path) {
                    if !out.contains(&path) {
                        out.push(path);
                    }
                }
            }
        }
        out
    }
}

/// How an inserted value is written inside its string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// As it is (then encoded for where the string goes).
    Plain,
    /// A SOQL string literal (`{value:soql}`).
    Soql,
    /// A SOSL search term in braces (`{value:sosl}`).
    Sosl,
}

/// What is inside a placeholder's braces: `value` (the identifier, or a
/// follow-up's record id), or `record:/path` (a value of the found record),
/// each optionally with `:soql` or `:sosl`. `None` for anything else.
pub fn parse_placeholder(inner: &str) -> Option<(Option<&str>, Encoding)> {
    let (name, enc) = match inner.rsplit_once(':') {
        Some((n, "soql")) => (n, Encoding::Soql),
        Some((n, "sosl")) => (n, Encoding::Sosl),
        _ => (inner, Encoding::Plain),
    };
    if name == "value" {
        return Some((None, enc));
    }
    let p = name.strip_prefix("record:")?;
    (p.starts_with('/') && path::check(p).is_ok() && !p.split('/').any(|s| s == "*") && !p.contains(['{', '}'])).then_some((Some(p), enc))
}

/// The placeholders of a template (what is inside each pair of braces,
/// with its byte range), or `None` inside when the braces do not close.
pub fn placeholders_in(t: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = t[from..].find('{') {
        let start = from + i;
        let Some(len) = t[start + 1..].find('}') else {
            out.push(("{", start..t.len()));
            break;
        };
        let end = start + 1 + len;
        out.push((&t[start + 1..end], start..end + 1));
        from = end + 1;
    }
    out
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
    /// A calendar date, whatever the vendor writes with it: the day as
    /// written (`2026-12-01T00:00:00Z` → `2026-12-01`, HubSpot's close date),
    /// or of epoch milliseconds (UTC). Shown without a time.
    Day,
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
    /// Follow-up requests per lookup (the first ones listed in `related`).
    pub max_related: usize,
}

fn max_body() -> usize {
    2 * 1024 * 1024
}

fn max_records() -> usize {
    20
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_body_bytes: max_body(), max_records: max_records(), max_related: 4 }
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

/// Where a new generic connector starts on the options page: a small,
/// valid definition the admin edits (a test checks it parses).
pub const STARTER_DEFINITION: &str = r#"{
  "id": "my_crm",
  "name": "My CRM",
  "auth": { "kind": "bearer" },
  "lookups": { "email": [{ "path": "/contacts/search", "query": { "email": "{value}" } }] },
  "results": { "list": "/data" },
  "map": { "id": "/id", "name": "/name", "emails": ["/email"] }
}"#;

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

    /// Maps each sample answer and compares it with the customers it says
    /// it maps to (a subset of each one's JSON): every mismatch with its
    /// sample's path. The options page checks an admin's definition with it
    /// on save, `cargo test` the shipped ones.
    pub fn check_samples(&self) -> Result<(), Vec<DefError>> {
        let errors: Vec<DefError> = self
            .samples
            .iter()
            .enumerate()
            .filter_map(|(i, s)| self.check_sample(s).err().map(|message| DefError { path: format!("samples.{i}"), message }))
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// One sample: `Ok`, or what differs (`/0/tier: expected "gold", got
    /// null`), or why the answer could not be read.
    pub fn check_sample(&self, s: &Sample) -> Result<(), Text> {
        self.sample_differs(s).map_err(|e| match e {
            Ok(unreadable) => Text::new(Msg::DefSampleUnreadable, [crate::i18n::Arg::Text(unreadable)]),
            Err(differs) => Text::new(Msg::DefSampleMismatch, [data(differs)]),
        })
    }

    fn sample_differs(&self, s: &Sample) -> Result<(), Result<Text, String>> {
        use crate::identify::{Candidate, Source};
        let id = Candidate { kind: s.identifier.kind, value: s.identifier.value.clone(), source: Source::Text, score: 1, sensitive: false, label: None };
        let request = self.lookups_for(id.kind).first().ok_or(Ok(Text::new(Msg::LookupCannotSearchBy, [id.kind.name_in_sentence().into()])))?;
        let resp = super::HttpResponse { status: s.status, body: s.answer.to_string(), ..Default::default() };
        let answer = super::engine::read_answer(self, request, "sample", &id, "https://sample.test/", &resp).map_err(|e| Ok(e.user_message()))?;
        if answer.customers.len() != s.expect.len() {
            return Err(Err(format!("{} customers, expected {}", answer.customers.len(), s.expect.len())));
        }
        for (i, (c, want)) in answer.customers.iter().zip(&s.expect).enumerate() {
            let got = serde_json::to_value(c).map_err(|e| Err(e.to_string()))?;
            subset(want, &got, &format!("/{i}")).map_err(Err)?;
        }
        Ok(())
    }

    /// Reads a definition from JSON by hand: serde's derived readers for
    /// this tree of types cost far more wasm than these few lines. Unknown
    /// fields and wrong types are named with their place.
    pub fn from_json(v: &Value) -> Result<Definition, String> {
        let o = Obj::new(v, "", &["id", "name", "auth", "lookups", "success", "results", "map", "related", "limits", "samples", "notes", "base_url", "setup", "help", "rate", "writes", "create_url"])?;
        let mut lookups = BTreeMap::new();
        for (kind, list) in o.need("lookups")?.as_object().ok_or("lookups must be an object of kinds")? {
            let at = format!("lookups.{kind}");
            let items = list.as_array().ok_or_else(|| format!("{at} must be a list of requests"))?;
            let requests = items.iter().enumerate().map(|(i, r)| RequestDef::from_json(r, &format!("{at}.{i}"))).collect::<Result<Vec<_>, _>>()?;
            lookups.insert(kind.clone(), requests);
        }
        let success = match o.get("success") {
            None => None,
            Some(v) => Some(SuccessDef::from_json(v, "success")?),
        };
        let r = Obj::new(o.need("results")?, "results", &["list", "record", "total", "exact"])?;
        let results = ResultsDef {
            list: r.text("list")?.ok_or("results.list is required")?,
            record: r.text("record")?,
            total: r.text("total")?.unwrap_or_default(),
            exact: r.get("exact").map_or(Ok(true), |v| v.as_bool().ok_or("results.exact must be true or false"))?,
        };
        let limits = match o.get("limits") {
            None => Limits::default(),
            Some(v) => {
                let l = Obj::new(v, "limits", &["max_body_bytes", "max_records", "max_related"])?;
                let n = |k: &str, d: usize| l.get(k).map_or(Ok(d), |v| v.as_u64().map(|n| n as usize).ok_or(format!("limits.{k} must be a number")));
                Limits { max_body_bytes: n("max_body_bytes", max_body())?, max_records: n("max_records", max_records())?, max_related: n("max_related", 4)? }
            }
        };
        let rate = match o.get("rate") {
            None => None,
            Some(v) => {
                let r = Obj::new(v, "rate", &["requests", "per_secs"])?;
                let n = |k: &str| -> Result<u32, String> {
                    r.need(k)?.as_u64().filter(|n| (1..=1_000_000).contains(n)).map(|n| n as u32).ok_or(format!("rate.{k} must be a whole number from 1 to 1000000"))
                };
                Some(crate::client::bucket::Rate { requests: n("requests")?, per_secs: n("per_secs")? })
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
            related: match o.get("related") {
                None => Vec::new(),
                Some(v) => v.as_array().ok_or("related must be a list of requests")?.iter().enumerate().map(|(i, r)| RelatedDef::from_json(r, &format!("related.{i}"))).collect::<Result<_, _>>()?,
            },
            limits,
            samples,
            notes: o.text("notes")?.unwrap_or_default(),
            rate,
            writes: o.get("writes").map_or(Ok(Default::default()), super::writes::WritesDef::from_json)?,
            source: v.to_string(),
            create_url: o.text("create_url")?,
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
            "client_credentials" | "refresh_token" => &["kind", "token_path", "token_url", "scope", "place"],
            "app_token" => &["kind", "token_path", "token_url", "method", "query", "body", "token", "expires_in", "success", "place"],
            "signed" => &["kind", "sign", "hash", "output", "timestamp", "query", "headers"],
            other => return Err(format!("unknown auth kind '{other}' (bearer, header, query, basic, client_credentials, refresh_token, app_token, signed)")),
        };
        let o = Obj::new(v, "auth", known)?;
        let need = |k: &str| o.text(k)?.ok_or_else(|| format!("auth.{k} is required"));
        let endpoint = || -> Result<TokenEndpoint, String> {
            match (o.text("token_path")?, o.text("token_url")?) {
                (Some(p), None) => Ok(TokenEndpoint::Path(p)),
                (None, Some(u)) => Ok(TokenEndpoint::Url(u)),
                (Some(_), Some(_)) => Err("auth: give token_path (on the API's origin) or token_url (another origin), not both".into()),
                (None, None) => Err("auth.token_path (on the API's origin) or auth.token_url (another origin) is required".into()),
            }
        };
        let place = || o.get("place").map_or(Ok(TokenPlace::default()), TokenPlace::from_json);
        Ok(match kind {
            "header" => AuthDef::Header { name: need("name")? },
            "query" => AuthDef::Query { param: need("param")? },
            "basic" => AuthDef::Basic { password: o.text("password")? },
            "client_credentials" => AuthDef::ClientCredentials { endpoint: endpoint()?, scope: o.text("scope")?, place: place()? },
            "refresh_token" => AuthDef::RefreshToken { endpoint: endpoint()?, scope: o.text("scope")?, place: place()? },
            "app_token" => {
                let success = match o.get("success") {
                    None => None,
                    Some(v) => Some(SuccessDef::from_json(v, "auth.success")?),
                };
                AuthDef::AppToken(Box::new(AppTokenDef {
                    endpoint: endpoint()?,
                    method: method(o.text("method")?.as_deref(), "auth")?,
                    query: text_map(o.get("query"), "auth.query")?,
                    body: o.get("body").cloned(),
                    token: o.text("token")?.unwrap_or_else(|| "/access_token".into()),
                    expires_in: o.text("expires_in")?.unwrap_or_else(|| "/expires_in".into()),
                    success,
                    place: place()?,
                }))
            }
            "signed" => {
                let hash = match need("hash")?.as_str() {
                    "sha1" => SignHash::Sha1,
                    "sha256" => SignHash::Sha256,
                    "md5" => SignHash::Md5,
                    "hmac_sha1" => SignHash::HmacSha1,
                    "hmac_sha256" => SignHash::HmacSha256,
                    h => return Err(format!("auth.hash: '{h}' is not sha1, sha256, md5, hmac_sha1 or hmac_sha256")),
                };
                let output = match o.text("output")?.as_deref() {
                    None | Some("hex") => SignOutput::Hex,
                    Some("hex_upper") => SignOutput::HexUpper,
                    Some("base64") => SignOutput::Base64,
                    Some(x) => return Err(format!("auth.output: '{x}' is not hex, hex_upper or base64")),
                };
                let timestamp = match o.text("timestamp")?.as_deref() {
                    None | Some("seconds") => TimeUnit::Seconds,
                    Some("millis") => TimeUnit::Millis,
                    Some(x) => return Err(format!("auth.timestamp: '{x}' is not seconds or millis")),
                };
                AuthDef::Signed(Box::new(SignedDef { sign: need("sign")?, hash, output, timestamp, query: text_map(o.get("query"), "auth.query")?, headers: text_map(o.get("headers"), "auth.headers")? }))
            }
            _ => AuthDef::Bearer,
        })
    }
}

impl TokenPlace {
    fn from_json(v: &Value) -> Result<TokenPlace, String> {
        let o = Obj::new(v, "auth.place", &["in", "name", "prefix"])?;
        let name = o.text("name")?;
        let needs_name = |name: Option<String>| name.ok_or_else(|| "auth.place.name is required".to_string());
        match o.text("in")?.as_deref() {
            None | Some("header") => {
                let name = name.unwrap_or_else(|| "Authorization".into());
                // `Bearer ` for `Authorization`; a header of the API's own takes the token as it is.
                let default = if name.eq_ignore_ascii_case("authorization") { "Bearer " } else { "" };
                Ok(TokenPlace::Header { prefix: o.text("prefix")?.unwrap_or_else(|| default.into()), name })
            }
            Some(place @ ("query" | "body")) if o.get("prefix").is_some() => Err(format!("auth.place.prefix: only a header has a prefix, not a {place}")),
            Some("query") => Ok(TokenPlace::Query { name: needs_name(name)? }),
            Some("body") => Ok(TokenPlace::Body { name: needs_name(name)? }),
            Some(other) => Err(format!("auth.place.in: '{other}' is not header, query or body")),
        }
    }
}

impl SuccessDef {
    fn from_json(v: &Value, at: &str) -> Result<SuccessDef, String> {
        let s = Obj::new(v, at, &["path", "ok", "message"])?;
        Ok(SuccessDef { path: s.text("path")?.unwrap_or_default(), ok: s.get("ok").and_then(Value::as_array).cloned().unwrap_or_default(), message: s.text("message")?.unwrap_or_default() })
    }
}

pub(super) fn method(m: Option<&str>, at: &str) -> Result<HttpMethod, String> {
    match m {
        None | Some("GET") => Ok(HttpMethod::Get),
        Some("POST") => Ok(HttpMethod::Post),
        Some(m) => Err(format!("{at}.method: '{m}' is not GET or POST")),
    }
}

/// An object of text values (`query`, `headers`).
pub(super) fn text_map(v: Option<&Value>, at: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if let Some(q) = v {
        for (k, v) in q.as_object().ok_or_else(|| format!("{at} must be an object"))? {
            out.insert(k.clone(), v.as_str().ok_or_else(|| format!("{at}.{k} must be text"))?.to_string());
        }
    }
    Ok(out)
}

impl RequestDef {
    fn from_json(v: &Value, at: &str) -> Result<RequestDef, String> {
        let o = Obj::new(v, at, &["method", "path", "query", "body", "value", "not_found_status", "headers", "record_type"])?;
        let method = method(o.text("method")?.as_deref(), at)?;
        let query = text_map(o.get("query"), &format!("{at}.query"))?;
        let headers = text_map(o.get("headers"), &format!("{at}.headers"))?;
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
        Ok(RequestDef { method, path: o.text("path")?.ok_or_else(|| format!("{at}.path is required"))?, query, body: o.get("body").cloned(), value, not_found_status, headers, record_type: o.text("record_type")? })
    }
}

impl MapDef {
    fn from_json(v: &Value) -> Result<MapDef, String> {
        let o = Obj::new(
            v,
            "map",
            &["id", "name", "emails", "phones", "company", "title", "tier", "city", "country", "url", "updated", "created", "tags", "lifetime_value", "orders", "deals", "tickets", "notes", "custom"],
        )?;
        let mut lists = Vec::new();
        for kind in ListKind::ALL {
            if let Some(v) = o.get(kind.name()) {
                lists.push((kind, ItemsDef::from_json(kind, v, &format!("map.{}", kind.name()))?));
            }
        }
        let lifetime_value = match o.get("lifetime_value") {
            None => None,
            Some(v) => {
                let m = Obj::new(v, "map.lifetime_value", &["minor", "decimal", "currency"])?;
                Some((MoneyDef::from_obj(&m)?, m.value("currency")?))
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
            created: o.date("created")?,
            tags: o.values("tags")?,
            lifetime_value,
            lists,
            custom,
        })
    }
}

impl MoneyDef {
    /// `{"minor": path}` or `{"decimal": path}` (other keys checked by the caller).
    fn from_obj(m: &Obj) -> Result<MoneyDef, String> {
        match (m.text("minor")?, m.text("decimal")?) {
            (Some(p), None) => Ok(MoneyDef::Minor(p)),
            (None, Some(p)) => Ok(MoneyDef::Decimal(p)),
            _ => Err(format!("{} is {{\"minor\": path}} or {{\"decimal\": path}}", m.at)),
        }
    }

    pub fn path(&self) -> &str {
        match self {
            MoneyDef::Minor(p) | MoneyDef::Decimal(p) => p,
        }
    }
}

impl ItemsDef {
    fn from_json(kind: ListKind, v: &Value, at: &str) -> Result<ItemsDef, String> {
        let names: Vec<&str> = kind.fields().iter().map(|(n, _)| *n).chain(["each"]).collect();
        let o = Obj::new(v, at, &names)?;
        let mut fields = Vec::new();
        for (name, shape) in kind.fields() {
            let Some(f) = o.get(name) else { continue };
            let field = match shape {
                Shape::Value => ItemField::Value(o.value(name)?.unwrap_or(ValueDef::Const { value: String::new() })),
                Shape::Date => ItemField::Date(DateDef::from_json(f, &o.name(name))?),
                Shape::Money => ItemField::Money(MoneyDef::from_obj(&Obj::new(f, &o.name(name), &["minor", "decimal"])?)?),
            };
            fields.push((*name, field));
        }
        Ok(ItemsDef { each: o.text("each")?.unwrap_or_default(), fields })
    }

    /// The paths it reads, with the field each is for.
    fn paths(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        for (name, f) in &self.fields {
            match f {
                ItemField::Value(v) => out.extend(v.paths().into_iter().map(|p| (*name, p))),
                ItemField::Money(m) => out.push((*name, m.path())),
                ItemField::Date(d) => out.push((*name, d.path.as_str())),
            }
        }
        out
    }
}

impl RelatedDef {
    fn from_json(v: &Value, at: &str) -> Result<RelatedDef, String> {
        let mut o = v.as_object().ok_or_else(|| format!("{at} must be an object"))?.clone();
        let name = o.remove("name");
        let into = match o.remove("into").as_ref().and_then(Value::as_str) {
            Some("labels") => {
                let mut text = |k: &str, what: &str| match o.remove(k) {
                    Some(Value::String(t)) => Ok(t),
                    _ => Err(format!("{at}.{k} ({what}) is required text")),
                };
                let field = text("field", "the list's field the labels are for, as deals.stage")?;
                let (key, label) = (text("key", "where an item's id is")?, text("label", "where its label is")?);
                let (list, f) = field.split_once('.').ok_or_else(|| format!("{at}.field: '{field}' is not list.field, as deals.stage"))?;
                let list = ListKind::parse(list).ok_or_else(|| format!("{at}.field: '{list}' is not orders, deals, tickets or notes"))?;
                let field = list.fields().iter().find(|(n, shape)| *n == f && *shape == Shape::Value && !matches!(*n, "id" | "url")).map(|(n, _)| *n).ok_or_else(|| format!("{at}.field: '{f}' is not a text field of {} (an item's id and link keep their values)", list.name()))?;
                if name.is_some() {
                    return Err(format!("{at}.name is only for \"into\": \"company\""));
                }
                RelatedInto::Labels { list, field, key, label }
            }
            Some("company") => RelatedInto::Company(ValueDef::from_json(name.as_ref().ok_or_else(|| format!("{at}.name (where the company's name is in an item) is required"))?).map_err(|e| format!("{at}.name: {e}"))?),
            Some(k) if name.is_none() => RelatedInto::List(ListKind::parse(k).ok_or_else(|| format!("{at}.into is one of orders, deals, tickets, notes, company"))?),
            Some(_) => return Err(format!("{at}.name is only for \"into\": \"company\"")),
            None => return Err(format!("{at}.into is one of orders, deals, tickets, notes, company, labels")),
        };
        let list = match o.remove("list") {
            Some(Value::String(l)) => l,
            _ => return Err(format!("{at}.list (where the items are in the answer) is required")),
        };
        let only_for = match o.remove("for") {
            None => Vec::new(),
            Some(v) => v.as_array().and_then(|a| a.iter().map(|t| t.as_str().map(str::to_string)).collect::<Option<Vec<_>>>()).ok_or_else(|| format!("{at}.for is a list of record types"))?,
        };
        if o.contains_key("record_type") {
            return Err(format!("unknown field {at}.record_type (a lookup's; a follow-up names the types it is for in \"for\")"));
        }
        // `{id}` is the record's id; `{value}` (the identifier) has no place here.
        let text = Value::Object(o.clone()).to_string();
        if text.contains("{value") {
            return Err(format!("{at}: a related request uses {{id}}, the found record's id, not {{value}}"));
        }
        let request = RequestDef::from_json(&serde_json::from_str(&text.replace("{id}", "{value}").replace("{id:", "{value:")).map_err(|e| e.to_string())?, at)?;
        Ok(RelatedDef { into, request, list, only_for })
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
            Some("day") => DateFormat::Day,
            Some(f) => return Err(format!("{at}.format: '{f}' is not iso, day, epoch_seconds or epoch_millis")),
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
        for (path, message) in self.auth_problems() {
            e(path, message);
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
                r.problems(&format!("{at}.{i}"), false, &mut e);
            }
        }
        if self.related.len() > 8 {
            e("related".into(), Msg::DefRequestCount.into());
        }
        for (i, r) in self.related.iter().enumerate() {
            // A labels follow-up is the same for every record: it needs no {id}.
            let labels = matches!(r.into, RelatedInto::Labels { .. });
            r.request.problems(&format!("related.{i}"), true, &mut |at: String, m: Text| {
                if !(labels && m.id == Msg::DefValueUnused) {
                    e(at, m)
                }
            });
            match &r.into {
                RelatedInto::List(kind) if self.map.list(*kind).is_none() => e(format!("related.{i}.into"), Text::new(Msg::DefRelatedUnmapped, [data(kind.name())])),
                RelatedInto::Labels { list, key, label, .. } => {
                    if self.map.list(*list).is_none() {
                        e(format!("related.{i}.field"), Text::new(Msg::DefRelatedUnmapped, [data(list.name())]));
                    }
                    // Read before the follow-ups that fill the list (answers are read in order).
                    if self.related[..i].iter().any(|r| r.into == RelatedInto::List(*list)) {
                        e(format!("related.{i}.into"), Text::new(Msg::DefLabelsAfterList, [data(list.name())]));
                    }
                    for (k, p) in [("key", key), ("label", label)] {
                        if path::check(p).is_err() || p.contains('*') {
                            e(format!("related.{i}.{k}"), Text::new(Msg::DefBadPath, [data(p)]));
                        }
                    }
                }
                RelatedInto::Company(v) => {
                    if matches!(v, ValueDef::Template(..)) {
                        e(format!("related.{i}.name"), Text::new(Msg::DefBadTemplate, [data("template")]));
                    }
                    for p in v.paths() {
                        if path::check(p).is_err() {
                            e(format!("related.{i}.name"), Text::new(Msg::DefBadPath, [data(p)]));
                        }
                    }
                }
                _ => {}
            }
            for t in &r.only_for {
                if !token_name(t) {
                    e(format!("related.{i}.for"), Text::new(Msg::DefBadHeader, [data(t)]));
                }
            }
        }
        let mut bad_paths: Vec<(String, String)> = Vec::new();
        let mut bad_templates: Vec<(String, String)> = Vec::new();
        let mut check = |at: &str, p: &str| {
            if path::check(p).is_err() {
                bad_paths.push((at.to_string(), p.to_string()));
            }
        };
        check("results.list", &self.results.list);
        if let Some(record) = &self.results.record {
            check("results.record", record);
        }
        check("results.total", &self.results.total);
        if let Some(s) = &self.success {
            check("success.path", &s.path);
            check("success.message", &s.message);
        }
        for (field, v) in self.map.values() {
            for p in v.paths() {
                check(&format!("map.{field}"), p);
            }
            for t in v.templates() {
                if field != "url" || !link_template_ok(t) {
                    bad_templates.push((format!("map.{field}"), t.to_string()));
                }
            }
        }
        for (kind, items) in &self.map.lists {
            check(&format!("map.{}.each", kind.name()), &items.each);
            for (field, p) in items.paths() {
                check(&format!("map.{}.{field}", kind.name()), p);
            }
            // An item's link may be a template (`{origin}/agent/tickets/{id}`); nothing else.
            for (field, f) in &items.fields {
                if let ItemField::Value(v) = f {
                    for t in v.templates() {
                        if *field != "url" || !link_template_ok(t) {
                            bad_templates.push((format!("map.{}.{field}", kind.name()), t.to_string()));
                        }
                    }
                }
            }
        }
        for t in &self.map.tags {
            for p in t.paths() {
                check("map.tags", p);
            }
        }
        if let Some((m, cur)) = &self.map.lifetime_value {
            check("map.lifetime_value", m.path());
            for p in cur.iter().flat_map(ValueDef::paths) {
                check("map.lifetime_value.currency", p);
            }
        }
        for (at, d) in [("map.updated", &self.map.updated), ("map.created", &self.map.created)] {
            if let Some(d) = d {
                check(at, &d.path);
            }
        }
        for (i, r) in self.related.iter().enumerate() {
            check(&format!("related.{i}.list"), &r.list);
        }
        for (i, c) in self.map.custom.iter().enumerate() {
            check(&format!("map.custom.{i}.path"), &c.path);
        }
        for (at, p) in bad_paths {
            e(at, Text::new(Msg::DefBadPath, [data(p)]));
        }
        if let Some(t) = self.create_url.as_deref().filter(|t| !create_template_ok(t)) {
            bad_templates.push(("create_url".into(), t.to_string()));
        }
        for (at, t) in bad_templates {
            e(at, Text::new(Msg::DefBadTemplate, [data(t)]));
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
        self.writes.problems(&mut e);
        if self.limits.max_body_bytes == 0 || self.limits.max_body_bytes > 8 * 1024 * 1024 || self.limits.max_records == 0 || self.limits.max_records > 100 || self.limits.max_related > 8 {
            e("limits".into(), Msg::DefBadLimits.into());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl RequestDef {
    /// What is wrong with a request template, each with its place (`at`).
    fn problems(&self, at: &str, related: bool, e: &mut impl FnMut(String, Text)) {
        let r = self;
        if !path_template_ok(&r.path, related) {
            e(format!("{at}.path"), Text::new(Msg::DefBadRequestPath, [data(&r.path)]));
        }
        if let Some(t) = &r.record_type {
            if related || !token_name(t) {
                e(format!("{at}.record_type"), Text::new(Msg::DefBadHeader, [data(t)]));
            }
        }
        let placeholders_ok = |s: &str| placeholders_ok(s, related);
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
        let uses = |p: &str| r.path.contains(p) || r.query.values().any(|v| v.contains(p)) || r.body.as_ref().is_some_and(|b| strings_in(b, "").iter().any(|(_, s)| s.contains(p)));
        let uses_value = uses("{value") || (related && uses("{record:"));
        if !uses_value {
            e(at.to_string(), Msg::DefValueUnused.into());
        }
    }
}

impl Definition {
    /// What is wrong with the auth part, each with its path (`auth.place.name`).
    fn auth_problems(&self) -> Vec<(String, Text)> {
        let mut out: Vec<(String, Text)> = Vec::new();
        let mut e = |path: &str, message: Text| out.push((path.to_string(), message));
        let template = |t: &str, allowed: &[&str]| Text::new(Msg::DefBadAuthTemplate, [data(t), data(allowed.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", "))]);
        match &self.auth {
            AuthDef::Header { name } if !token_name(name) => e("auth.name", Text::new(Msg::DefBadHeader, [data(name)])),
            AuthDef::Query { param } if !token_name(param) => e("auth.param", Text::new(Msg::DefBadHeader, [data(param)])),
            AuthDef::AppToken(a) => {
                for (k, t) in &a.query {
                    if !token_name(k) || !only_placeholders(t, APP_TOKEN_PLACEHOLDERS) {
                        e(&format!("auth.query.{k}"), template(t, APP_TOKEN_PLACEHOLDERS));
                    }
                }
                if let Some(body) = &a.body {
                    if a.method == HttpMethod::Get {
                        e("auth.body", Msg::DefBodyOnGet.into());
                    }
                    for (p, t) in strings_in(body, "") {
                        if !only_placeholders(t, APP_TOKEN_PLACEHOLDERS) {
                            e(&format!("auth.body{p}"), template(t, APP_TOKEN_PLACEHOLDERS));
                        }
                    }
                }
                let sent: Vec<&str> = a.query.values().map(String::as_str).chain(a.body.iter().flat_map(|b| strings_in(b, "")).map(|(_, t)| t)).collect();
                for p in ["{app_id}", "{app_secret}"] {
                    if !sent.iter().any(|t| t.contains(p)) {
                        e("auth", Text::new(Msg::DefSecretUnused, [data(p)]));
                    }
                }
                for (at, p) in [("auth.token", &a.token), ("auth.expires_in", &a.expires_in)] {
                    if path::check(p).is_err() || (at == "auth.token" && p.is_empty()) {
                        e(at, Text::new(Msg::DefBadPath, [data(p)]));
                    }
                }
                if let Some(s) = &a.success {
                    for (at, p) in [("auth.success.path", &s.path), ("auth.success.message", &s.message)] {
                        if path::check(p).is_err() {
                            e(at, Text::new(Msg::DefBadPath, [data(p)]));
                        }
                    }
                }
            }
            AuthDef::Signed(sd) => {
                if !only_placeholders(&sd.sign, SIGN_PLACEHOLDERS) {
                    e("auth.sign", template(&sd.sign, SIGN_PLACEHOLDERS));
                }
                // A plain hash must cover the secret; an HMAC is keyed with it.
                if !matches!(sd.hash, SignHash::HmacSha1 | SignHash::HmacSha256) && !sd.sign.contains("{secret}") {
                    e("auth.sign", Text::new(Msg::DefSecretUnused, [data("{secret}")]));
                }
                for (at, map) in [("auth.query", &sd.query), ("auth.headers", &sd.headers)] {
                    for (k, t) in map {
                        if !token_name(k) || !only_placeholders(t, SIGNED_SENT_PLACEHOLDERS) || t.chars().any(char::is_control) {
                            e(&format!("{at}.{k}"), template(t, SIGNED_SENT_PLACEHOLDERS));
                        }
                    }
                }
                if !sd.query.values().chain(sd.headers.values()).any(|t| t.contains("{sign}")) {
                    e("auth.query", Msg::DefSignUnsent.into());
                }
            }
            _ => {}
        }
        match self.auth.token_endpoint() {
            Some(TokenEndpoint::Path(p)) if !request_path_ok(p) => e("auth.token_path", Text::new(Msg::DefBadRequestPath, [data(p)])),
            // (A template of setup values is checked with them, in `validate_setup`.)
            Some(TokenEndpoint::Url(u)) if !self.token_url_template() && !token_url_ok(u) => e("auth.token_url", Text::new(Msg::DefBadTokenUrl, [data(u)])),
            Some(TokenEndpoint::Url(u)) if self.token_url_template() && self.base_url.as_deref().is_none_or(|b| !b.contains('{')) => e("auth.token_url", Text::new(Msg::DefBadTokenUrl, [data(u)])),
            _ => {}
        }
        match self.auth.token_place() {
            Some(TokenPlace::Header { name, prefix }) => {
                if !token_name(name) {
                    e("auth.place.name", Text::new(Msg::DefBadHeader, [data(name)]));
                }
                if prefix.len() > 40 || !prefix.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
                    e("auth.place.prefix", Text::new(Msg::DefBadPrefix, [data(prefix)]));
                }
            }
            Some(TokenPlace::Query { name }) if !token_name(name) => e("auth.place.name", Text::new(Msg::DefBadHeader, [data(name)])),
            Some(TokenPlace::Body { name }) => {
                if name.is_empty() || name.len() > 64 {
                    e("auth.place.name", Text::new(Msg::DefBadHeader, [data(name)]));
                }
                // Every request must have a JSON object body to carry it.
                for (kind, requests) in &self.lookups {
                    for (i, r) in requests.iter().enumerate() {
                        if r.method != HttpMethod::Post || !r.body.as_ref().is_some_and(Value::is_object) {
                            e("auth.place.in", Text::new(Msg::DefPlaceNeedsBody, [data(format!("lookups.{kind}.{i}"))]));
                        }
                    }
                }
            }
            _ => {}
        }
        out
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
        out
    }
}

impl ValueDef {
    /// The link templates in it.
    pub fn templates(&self) -> Vec<&str> {
        match self {
            ValueDef::Template(t, _) => vec![t.as_str()],
            ValueDef::First(all) => all.iter().flat_map(ValueDef::templates).collect(),
            _ => Vec::new(),
        }
    }

    /// The paths it reads.
    pub fn paths(&self) -> Vec<&str> {
        match self {
            ValueDef::Path(p) => vec![p.as_str()],
            ValueDef::First(all) => all.iter().flat_map(ValueDef::paths).collect(),
            ValueDef::Join { join, .. } => join.iter().map(String::as_str).collect(),
            ValueDef::Const { .. } => Vec::new(),
            ValueDef::Mapped { path, .. } => vec![path.as_str()],
            // (Its `{record:…}` paths are checked with the template.)
            ValueDef::Template(..) => Vec::new(),
        }
    }
}

/// A header or parameter name: letters, digits, `-`, `_`, `.`.
pub(super) fn token_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'[' | b']'))
}

/// A fixed request header: a plain name that is not one the engine or the
/// browser sets (auth, body, cookies, host), a short printable value
/// without placeholders.
pub(super) fn fixed_header_ok(name: &str, value: &str) -> bool {
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
pub(super) fn request_path_ok(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 300
        && p.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'\\'))
        && p.split('/').all(|s| s != ".." && s != ".")
}

/// An absolute token URL: https (or http on this computer), a host, a path
/// like a request path, no user info, query or fragment.
pub(crate) fn token_url_ok(u: &str) -> bool {
    crate::weburl::BaseUrl::parse(u).is_ok_and(|b| !b.path.is_empty() && request_path_ok(&b.path)) && !u.trim().ends_with('/')
}

/// A record link template: `https://` and a host of fixed text, or
/// `{origin}` first; then fixed text and `{id}`, `{record:/path}`.
/// A "create in CRM" link: a fixed https host or the API's `{origin}`, and
/// only `{origin}` (first) and `{value}` in braces.
fn create_template_ok(t: &str) -> bool {
    let fixed_host = t.strip_prefix("https://").and_then(|rest| rest.split(['/', '?', '#']).next()).is_some_and(|host| !host.is_empty() && !host.contains(['{', '}', '@']));
    let fits = placeholders_in(t).iter().all(|(inner, range)| *inner == "value" || (*inner == "origin" && range.start == 0));
    (fixed_host || t.starts_with("{origin}/")) && only_placeholders(t, &["origin", "value"]) && fits && t.len() <= 300 && !t.chars().any(|c| c.is_control() || c == ' ')
}

impl Definition {
    /// The "create in CRM" link for `value` at the API's `origin`, checked
    /// like every outside link (`None`: the definition has none).
    pub fn create_link(&self, origin: &str, value: &str) -> Option<String> {
        let t = self.create_url.as_deref().filter(|t| create_template_ok(t))?;
        let url = t.replacen("{origin}", origin, 1).replace("{value}", &crate::weburl::encode_component(value));
        crate::weburl::outside_link(&url)
    }
}

pub(super) fn link_template_ok(t: &str) -> bool {
    // The host is fixed text, or made of setup values (checked to be choices
    // with the setup fields: `Definition::link_setup_problems`).
    let host_of = |rest: &str| rest.split(['/', '?', '#']).next().map(|h| setup_refs(h).into_iter().fold(h.to_string(), |h, n| h.replace(&format!("{{setup:{n}}}"), "x")));
    let fixed_host = t.strip_prefix("https://").and_then(host_of).is_some_and(|host| !host.is_empty() && !host.contains(['{', '}', '@']));
    let all = placeholders_in(t);
    let fits = all.iter().all(|(inner, range)| match *inner {
        "id" | "record_type" => true,
        "origin" => range.start == 0,
        other if other.starts_with("setup:") => setup_name_ok(&other["setup:".len()..]),
        other => matches!(parse_placeholder(other), Some((Some(_), Encoding::Plain))),
    });
    (fixed_host || t.starts_with("{origin}/")) && fits && t.len() <= 300 && !t.chars().any(|c| c.is_control() || c == ' ')
}

/// A setup field's name (`portal_id`).
fn setup_name_ok(n: &str) -> bool {
    !n.is_empty() && n.len() <= 32 && n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The setup fields a link template names (`{setup:portal_id}`), in order.
pub fn setup_refs(t: &str) -> Vec<&str> {
    placeholders_in(t).into_iter().filter_map(|(inner, _)| inner.strip_prefix("setup:")).collect()
}

/// Only `{name}` for the listed names may appear in braces.
fn only_placeholders(s: &str, allowed: &[&str]) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(end) = after.find('}') else { return false };
        if !allowed.contains(&&after[..end]) {
            return false;
        }
        rest = &after[end + 1..];
    }
    true
}

/// Only `{value}`, `{value:soql}` and `{value:sosl}` may appear in braces;
/// in a follow-up request also `{record:/path}` (with `:soql`, `:sosl`).
fn placeholders_ok(s: &str, related: bool) -> Result<(), ()> {
    for (inner, _) in placeholders_in(s) {
        match parse_placeholder(inner) {
            Some((None, _)) => {}
            Some((Some(_), _)) if related => {}
            _ => return Err(()),
        }
    }
    Ok(())
}

/// Every field of `want` is in `got` with the same value (objects
/// recursively, arrays element by element).
fn subset(want: &Value, got: &Value, at: &str) -> Result<(), String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().try_for_each(|(k, v)| subset(v, g.get(k).unwrap_or(&Value::Null), &format!("{at}/{k}"))),
        (Value::Array(w), Value::Array(g)) if w.len() <= g.len() => w.iter().zip(g).enumerate().try_for_each(|(i, (w, g))| subset(w, g, &format!("{at}/{i}"))),
        (w, g) if w == g => Ok(()),
        (w, g) => Err(format!("{at}: expected {w}, got {g}")),
    }
}

/// A request path template: at most one `{value}`, `{record:/path}` only in
/// a follow-up, no encodings (each is one path segment); with each
/// placeholder standing for a segment, a request path.
fn path_template_ok(p: &str, related: bool) -> bool {
    let all = placeholders_in(p);
    let mut plain = p.to_string();
    for (inner, range) in all.iter().rev() {
        match parse_placeholder(inner) {
            Some((None, Encoding::Plain)) => {}
            Some((Some(_), Encoding::Plain)) if related => {}
            _ => return false,
        }
        plain.replace_range(range.clone(), "x");
    }
    all.iter().filter(|(i, _)| *i == "value").count() <= 1 && request_path_ok(&plain)
}

/// Every string in a JSON template with its pointer.
pub(super) fn strings_in<'a>(v: &'a Value, at: &str) -> Vec<(String, &'a str)> {
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
    fn the_options_pages_starter_definition_is_valid() {
        assert!(Definition::parse(STARTER_DEFINITION).is_ok());
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
        assert!(placeholders_ok("{value}", false).is_ok());
        assert!(placeholders_ok("Email = {value:soql} AND x", false).is_ok());
        assert!(placeholders_ok("no placeholder", false).is_ok());
        assert!(placeholders_ok("{value", false).is_err());
        assert!(placeholders_ok("{key}", false).is_err());
        // A follow-up may name a value of the found record; a lookup may not.
        assert!(placeholders_ok("AccountId = {record:/AccountId:soql}", true).is_ok());
        assert!(placeholders_ok("{record:/AccountId}", false).is_err());
        for bad in ["{record:AccountId}", "{record:/a/*/b}", "{record:}", "{record:/a{b}", "{value:sql}"] {
            assert!(placeholders_ok(bad, true).is_err(), "{bad}");
        }
        assert!(path_template_ok("/organizations/{record:/organization_id}", true));
        assert!(path_template_ok("/contacts/{value}/notes", false));
        assert!(!path_template_ok("/organizations/{record:/organization_id}", false));
        assert!(!path_template_ok("/a/{value}/{value}", false));
        assert!(!path_template_ok("/a/{value:soql}", false));
        assert!(!path_template_ok("/a/{record:/x}/../b", true));
        assert!(request_path_ok("/v2/people/x"));
        for bad in ["v2", "//evil.test/x", "/a/../b", "/a?x=1", "/a#b", "/a\\b", "/a b"] {
            assert!(!request_path_ok(bad), "{bad}");
        }
    }
}
