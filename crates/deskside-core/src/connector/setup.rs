//! What the admin types instead of a whole base URL: a definition's
//! `base_url` template (`https://{subdomain}.zendesk.com`) and its `setup`
//! fields (a Zendesk subdomain, a Salesforce instance URL, a Zoho data
//! centre), each a text with a pattern or a choice; and the one-line `help`
//! that says where in the vendor's admin screens the key is made. Texts the
//! admin reads are written in the definition in both languages
//! (`{"en": "…", "zh_CN": "…"}`), so a definition stays one file of data.
//!
//! [`Definition::base_url_from`] turns the admin's values into the
//! [`BaseUrl`], every problem named by its field. See `docs/CONNECTORS.md`.

use super::def::{Definition, TokenEndpoint};
use crate::i18n::{data, Lang, Msg, Text};
use crate::idpattern::Pattern;
use crate::weburl::BaseUrl;
use serde_json::Value;
use std::collections::BTreeMap;

/// A text the admin reads, in every language Deskside ships.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalText {
    pub en: String,
    pub zh_cn: String,
}

impl LocalText {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh_cn,
        }
    }

    pub(crate) fn from_json(v: &Value, at: &str) -> Result<LocalText, String> {
        let o = v.as_object().ok_or_else(|| format!("{at} must be {{\"en\": text, \"zh_CN\": text}}"))?;
        if let Some(k) = o.keys().find(|k| !matches!(k.as_str(), "en" | "zh_CN")) {
            return Err(format!("unknown field {at}.{k} (en, zh_CN)"));
        }
        let get = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("{at}.{k} is required text"));
        Ok(LocalText { en: get("en")?, zh_cn: get("zh_CN")? })
    }

    /// Both languages written, on one line, not too long.
    fn ok(&self, max: usize) -> bool {
        [&self.en, &self.zh_cn].iter().all(|t| !t.trim().is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control))
    }
}

/// One value the admin gives when setting a connector up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupField {
    /// Its placeholder in `base_url` (`subdomain` for `{subdomain}`).
    pub name: String,
    pub label: LocalText,
    pub kind: SetupKind,
    /// What a value looks like (`acme`), shown as the field's placeholder
    /// and in the error of a value that does not fit.
    pub example: String,
    /// Taken when the admin leaves the field empty (choices: a choice's value).
    pub default: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupKind {
    /// Free text, which must match `pattern` as a whole (the language of
    /// the admin's identifier patterns, `crate::idpattern`: `(?i)` at the
    /// start for any case). Surrounding spaces and one trailing `/` are
    /// dropped first.
    Text { pattern: String },
    /// One of a list.
    Choice { choices: Vec<SetupChoice> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupChoice {
    /// What goes into `base_url` (`.eu`).
    pub value: String,
    pub label: LocalText,
}

/// A setup value that is missing or does not fit, by the field's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupError {
    /// The setup field's `name`, or `base_url` for a definition without a
    /// template.
    pub field: String,
    pub message: Text,
}

impl SetupField {
    pub(crate) fn from_json(v: &Value, at: &str) -> Result<SetupField, String> {
        let o = v.as_object().ok_or_else(|| format!("{at} must be an object"))?;
        let known = ["name", "label", "kind", "pattern", "choices", "example", "default"];
        if let Some(k) = o.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!("unknown field {at}.{k}"));
        }
        let text = |k: &str| -> Result<Option<String>, String> {
            match o.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{at}.{k} must be text")),
            }
        };
        let kind = match text("kind")?.as_deref() {
            None | Some("text") => {
                if o.contains_key("choices") {
                    return Err(format!("{at}.choices: only a field of kind choice has choices"));
                }
                SetupKind::Text { pattern: text("pattern")?.ok_or_else(|| format!("{at}.pattern is required for a text field"))? }
            }
            Some("choice") => {
                if o.contains_key("pattern") {
                    return Err(format!("{at}.pattern: a choice has no pattern"));
                }
                let list = o.get("choices").and_then(Value::as_array).ok_or_else(|| format!("{at}.choices must be a list"))?;
                let choices = list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let cat = format!("{at}.choices.{i}");
                        let co = c.as_object().ok_or_else(|| format!("{cat} must be an object"))?;
                        if let Some(k) = co.keys().find(|k| !matches!(k.as_str(), "value" | "label")) {
                            return Err(format!("unknown field {cat}.{k}"));
                        }
                        Ok(SetupChoice {
                            value: co.get("value").and_then(Value::as_str).ok_or_else(|| format!("{cat}.value is required text"))?.to_string(),
                            label: LocalText::from_json(co.get("label").unwrap_or(&Value::Null), &format!("{cat}.label"))?,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                SetupKind::Choice { choices }
            }
            Some(k) => return Err(format!("{at}.kind: '{k}' is not text or choice")),
        };
        Ok(SetupField {
            name: text("name")?.ok_or_else(|| format!("{at}.name is required"))?,
            label: LocalText::from_json(o.get("label").unwrap_or(&Value::Null), &format!("{at}.label"))?,
            kind,
            example: text("example")?.unwrap_or_default(),
            default: text("default")?,
        })
    }

    /// The value to use for what the admin typed, or why not.
    pub fn check(&self, typed: Option<&str>) -> Result<String, Text> {
        let raw = typed.unwrap_or("").trim();
        let v = raw.strip_suffix('/').unwrap_or(raw);
        if v.is_empty() {
            return self.default.clone().ok_or_else(|| Msg::SetupRequired.into());
        }
        match &self.kind {
            SetupKind::Text { pattern } => {
                let whole = Pattern::compile(pattern).ok().is_some_and(|p| p.find_all(v).iter().any(|m| m.start == 0 && m.end == v.len()));
                if whole {
                    Ok(v.to_string())
                } else {
                    Err(Text::new(Msg::SetupInvalid, [data(v), data(&self.example)]))
                }
            }
            SetupKind::Choice { choices } => {
                if choices.iter().any(|c| c.value == v) {
                    Ok(v.to_string())
                } else {
                    let all: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
                    Err(Text::new(Msg::SetupNotAChoice, [data(v), data(all.join(", "))]))
                }
            }
        }
    }

    /// A value that fits, to check the template with: the example, the
    /// default, or the first choice.
    fn sample(&self) -> String {
        match &self.kind {
            SetupKind::Text { .. } => self.example.clone(),
            SetupKind::Choice { choices } => self.default.clone().or_else(|| choices.first().map(|c| c.value.clone())).unwrap_or_default(),
        }
    }
}

/// `{name}` placeholders of a template, in order.
fn placeholders(template: &str) -> Result<Vec<&str>, ()> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        if rest.as_bytes()[i] == b'}' {
            return Err(());
        }
        let after = &rest[i + 1..];
        let end = after.find('}').ok_or(())?;
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    Ok(out)
}

fn fill(template: &str, values: &BTreeMap<&str, String>) -> String {
    values.iter().fold(template.to_string(), |t, (k, v)| t.replace(&format!("{{{k}}}"), v))
}

impl Definition {
    /// The fields the options form shows for this definition: each setup
    /// field, labelled in the page's language. Empty when the definition
    /// has a fixed base URL, or none at all (then the admin types the base URL).
    pub fn setup(&self) -> &[SetupField] {
        &self.setup
    }

    /// Whether the admin types a whole base URL (no `base_url` template).
    pub fn asks_base_url(&self) -> bool {
        self.base_url.is_none()
    }

    /// The base URL for the admin's setup values (by field name): each
    /// value checked (a text against its pattern, a choice against the
    /// list; empty takes the default), put into the `base_url` template and
    /// parsed. Every problem at once, each named by its field. Without a
    /// template the URL is the value named `base_url`.
    pub fn base_url_from(&self, values: &BTreeMap<String, String>) -> Result<BaseUrl, Vec<SetupError>> {
        let Some(template) = &self.base_url else {
            let typed = values.get("base_url").map_or("", String::as_str);
            return BaseUrl::parse(typed).map_err(|e| vec![SetupError { field: "base_url".into(), message: e.message().into() }]);
        };
        let filled = self.checked_values(values)?;
        BaseUrl::parse(&fill(template, &filled)).map_err(|e| {
            // Named by the first text field (the one a typo is in), else the first field.
            let field = self.setup.iter().find(|f| matches!(f.kind, SetupKind::Text { .. })).or(self.setup.first()).map_or("base_url".to_string(), |f| f.name.clone());
            vec![SetupError { field, message: e.message().into() }]
        })
    }

    /// Each setup field's value checked (empty takes the default), by name.
    fn checked_values(&self, values: &BTreeMap<String, String>) -> Result<BTreeMap<&str, String>, Vec<SetupError>> {
        let mut errors = Vec::new();
        let mut filled = BTreeMap::new();
        for f in &self.setup {
            match f.check(values.get(&f.name).map(String::as_str)) {
                Ok(v) => {
                    filled.insert(f.name.as_str(), v);
                }
                Err(message) => errors.push(SetupError { field: f.name.clone(), message }),
            }
        }
        if errors.is_empty() { Ok(filled) } else { Err(errors) }
    }

    /// The values of the setup fields that are not part of the base URL
    /// (for record links only: a HubSpot account id), each checked (empty
    /// takes the default), by name: kept when the admin types a whole base
    /// URL instead of the base URL's own fields.
    pub fn link_setup_from(&self, values: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, Vec<SetupError>> {
        let template = self.base_url.as_deref().unwrap_or("");
        let mut errors = Vec::new();
        let mut out = BTreeMap::new();
        for f in self.setup.iter().filter(|f| !template.contains(&format!("{{{}}}", f.name))) {
            match f.check(values.get(&f.name).map(String::as_str)) {
                Ok(v) if v.is_empty() => {}
                Ok(v) => {
                    out.insert(f.name.clone(), v);
                }
                Err(message) => errors.push(SetupError { field: f.name.clone(), message }),
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }

    /// The token URL for the admin's setup values, when the auth kind asks
    /// for its token at a `token_url` (`None`: at a path on the API's own
    /// origin, or no token exchange). Like the base URL, a function of the
    /// setup values (`https://accounts.zoho{dc}/oauth/v2/token`), so its
    /// origin is known before the browser is asked for permission.
    pub fn token_url_from(&self, values: &BTreeMap<String, String>) -> Result<Option<BaseUrl>, Vec<SetupError>> {
        let Some(TokenEndpoint::Url(template)) = self.auth.token_endpoint() else { return Ok(None) };
        let filled = if template.contains('{') { self.checked_values(values)? } else { BTreeMap::new() };
        let url = fill(template, &filled);
        BaseUrl::parse(&url).map(Some).map_err(|e| {
            let field = self.setup.iter().find(|f| template.contains(&format!("{{{}}}", f.name))).map_or("base_url".to_string(), |f| f.name.clone());
            vec![SetupError { field, message: e.message().into() }]
        })
    }

    /// The origin a token exchange's secrets go to besides the API's, for
    /// these setup values (`https://accounts.zoho.eu`).
    pub fn token_origin_from(&self, values: &BTreeMap<String, String>) -> Option<String> {
        self.token_url_from(values).ok().flatten().map(|u| u.origin())
    }

    /// The permission pattern the browser must grant for the token URL.
    pub fn token_permission_from(&self, values: &BTreeMap<String, String>) -> Option<String> {
        self.token_url_from(values).ok().flatten().map(|u| u.permission_pattern())
    }

    /// The setup values a base URL was made from by this definition's
    /// template (one placeholder at most): `https://www.zohoapis.eu/crm/v8`
    /// gives `dc` = `.eu`. Empty when the URL is not of the template's
    /// form or the value does not fit its field.
    pub fn setup_from_base(&self, base: &BaseUrl) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        // (The one field the base URL is made of; others are for links.)
        let Some(template) = &self.base_url else { return out };
        let in_base: Vec<&SetupField> = self.setup.iter().filter(|f| template.contains(&format!("{{{}}}", f.name))).collect();
        let [f] = in_base.as_slice() else { return out };
        let Some((before, after)) = template.split_once(&format!("{{{}}}", f.name)) else { return out };
        let url = base.to_string();
        if let Some(v) = url.strip_prefix(before).and_then(|rest| rest.strip_suffix(after)) {
            if f.check(Some(v)).is_ok() {
                out.insert(f.name.clone(), v.to_string());
            }
        }
        out
    }

    /// Checks of `base_url`, `setup` and `help` for [`Definition::validate`].
    pub(crate) fn validate_setup(&self, e: &mut dyn FnMut(String, Text)) {
        let names: Vec<&str> = self.setup.iter().map(|f| f.name.as_str()).collect();
        for (i, f) in self.setup.iter().enumerate() {
            let at = format!("setup.{i}");
            let name_ok = !f.name.is_empty() && f.name.len() <= 32 && f.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !name_ok || names.iter().filter(|n| **n == f.name).count() > 1 || f.name == "base_url" {
                e(format!("{at}.name"), Text::new(Msg::DefBadSetup, [data(&f.name)]));
            }
            if !f.label.ok(60) {
                e(format!("{at}.label"), Msg::DefBadName.into());
            }
            match &f.kind {
                SetupKind::Text { pattern } => match Pattern::compile(pattern) {
                    Err(p) => e(format!("{at}.pattern"), p.text()),
                    Ok(_) => {
                        if f.check(Some(&f.example)).is_err() {
                            e(format!("{at}.example"), Text::new(Msg::SetupInvalid, [data(&f.example), data(pattern)]));
                        }
                        if let Some(d) = &f.default {
                            if f.check(Some(d)).is_err() {
                                e(format!("{at}.default"), Text::new(Msg::SetupInvalid, [data(d), data(pattern)]));
                            }
                        }
                    }
                },
                SetupKind::Choice { choices } => {
                    if choices.is_empty() || choices.len() > 20 {
                        e(format!("{at}.choices"), Text::new(Msg::DefBadSetup, [data(&f.name)]));
                    }
                    for (j, c) in choices.iter().enumerate() {
                        if c.value.trim().is_empty() || choices.iter().filter(|o| o.value == c.value).count() > 1 {
                            e(format!("{at}.choices.{j}.value"), Text::new(Msg::DefBadSetup, [data(&c.value)]));
                        }
                        if !c.label.ok(60) {
                            e(format!("{at}.choices.{j}.label"), Msg::DefBadName.into());
                        }
                    }
                    if let Some(d) = &f.default {
                        if !choices.iter().any(|c| &c.value == d) {
                            e(format!("{at}.default"), Text::new(Msg::SetupNotAChoice, [data(d), data(choices.iter().map(|c| c.value.as_str()).collect::<Vec<_>>().join(", "))]));
                        }
                    }
                }
            }
        }
        match &self.base_url {
            None if !self.setup.is_empty() => e("base_url".into(), Msg::DefSetupWithoutBaseUrl.into()),
            None => {}
            Some(template) => match placeholders(template) {
                Err(()) => e("base_url".into(), Text::new(Msg::DefBadBaseUrl, [data(template)])),
                Ok(used) => {
                    for u in &used {
                        if !names.contains(u) {
                            e("base_url".into(), Text::new(Msg::DefBadSetup, [data(u)]));
                        }
                    }
                    // A field is for the base URL, or for record links only
                    // (a HubSpot account id, a Zoho organization).
                    let in_links: Vec<&str> = self.link_templates().iter().flat_map(|(t, _)| super::def::setup_refs(t)).collect();
                    for (i, f) in self.setup.iter().enumerate() {
                        if !used.contains(&f.name.as_str()) && !in_links.contains(&f.name.as_str()) {
                            e(format!("setup.{i}.name"), Text::new(Msg::DefSetupUnused, [data(&f.name)]));
                        }
                    }
                    // Every choice, and each text field's example, makes a base URL.
                    let samples: BTreeMap<&str, String> = self.setup.iter().map(|f| (f.name.as_str(), f.sample())).collect();
                    let mut tries = vec![samples.clone()];
                    for f in &self.setup {
                        if let SetupKind::Choice { choices } = &f.kind {
                            for c in choices {
                                let mut s = samples.clone();
                                s.insert(f.name.as_str(), c.value.clone());
                                tries.push(s);
                            }
                        }
                    }
                    if tries.iter().any(|s| BaseUrl::parse(&fill(template, s)).is_err()) {
                        e("base_url".into(), Text::new(Msg::DefBadBaseUrl, [data(template)]));
                    }
                    // A token URL made of the same values: each a token URL.
                    if let Some(TokenEndpoint::Url(t)) = self.auth.token_endpoint().filter(|_| self.token_url_template()) {
                        let known = placeholders(t).is_ok_and(|used| used.iter().all(|u| names.contains(u)));
                        if !known || tries.iter().any(|s| !super::def::token_url_ok(&fill(t, s))) {
                            e("auth.token_url".into(), Text::new(Msg::DefBadTokenUrl, [data(t)]));
                        }
                    }
                }
            },
        }
        // Link templates: each `{setup:…}` a field; in the host only a choice
        // (values the definition fixes), each choice mapped where a map is given.
        for (t, maps) in self.link_templates() {
            let host = t.strip_prefix("https://").and_then(|r| r.split(['/', '?', '#']).next()).unwrap_or("");
            for n in super::def::setup_refs(t) {
                let field = self.setup.iter().find(|f| f.name == n);
                let choices = match field.map(|f| &f.kind) {
                    Some(SetupKind::Choice { choices }) => Some(choices),
                    _ => None,
                };
                if field.is_none() || (host.contains(&format!("{{setup:{n}}}")) && choices.is_none()) {
                    e("map.url".into(), Text::new(Msg::DefBadSetup, [data(n)]));
                }
                // A value map is for a choice: each of its values mapped onto text for a host.
                match (maps.get(n), choices) {
                    (Some(m), Some(choices)) if choices.iter().any(|c| m.get(&c.value).is_none_or(|v| v.is_empty() || v.contains(['/', '{', '}', '@', '?', '#', ' ']))) => {
                        e(format!("map.url.setup.{n}"), Text::new(Msg::DefBadSetup, [data(n)]));
                    }
                    (Some(_), None) => e(format!("map.url.setup.{n}"), Text::new(Msg::DefBadSetup, [data(n)])),
                    _ => {}
                }
            }
            for n in maps.keys() {
                if !super::def::setup_refs(t).contains(&n.as_str()) {
                    e(format!("map.url.setup.{n}"), Text::new(Msg::DefBadSetup, [data(n)]));
                }
            }
        }
        if let Some(h) = &self.help {
            if !h.ok(400) {
                e("help".into(), Msg::DefBadHelp.into());
            }
        }
    }
}

impl Definition {
    /// The record link templates of `map.url`, with their setup value maps.
    pub fn link_templates(&self) -> Vec<(&str, &BTreeMap<String, BTreeMap<String, String>>)> {
        fn walk<'a>(v: &'a super::def::ValueDef, out: &mut Vec<(&'a str, &'a BTreeMap<String, BTreeMap<String, String>>)>) {
            match v {
                super::def::ValueDef::Template(t, m) => out.push((t.as_str(), m)),
                super::def::ValueDef::First(all) => all.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Some(u) = &self.map.url {
            walk(u, &mut out);
        }
        out
    }

    /// Whether the token URL holds setup placeholders (checked with the
    /// setup values, not on its own).
    pub(crate) fn token_url_template(&self) -> bool {
        matches!(self.auth.token_endpoint(), Some(TokenEndpoint::Url(t)) if t.contains('{'))
    }
}

/// Reads the optional `base_url`, `setup` and `help` of a definition.
pub(crate) fn read(v: &Value) -> Result<(Option<String>, Vec<SetupField>, Option<LocalText>), String> {
    let base_url = match v.get("base_url") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("base_url must be text".into()),
    };
    let setup = match v.get("setup") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.len() <= 8 => items.iter().enumerate().map(|(i, f)| SetupField::from_json(f, &format!("setup.{i}"))).collect::<Result<_, _>>()?,
        Some(_) => return Err("setup must be a list of at most 8 fields".into()),
    };
    let help = match v.get("help") {
        None | Some(Value::Null) => None,
        Some(h) => Some(LocalText::from_json(h, "help")?),
    };
    Ok((base_url, setup, help))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::def::DefError;
    use serde_json::json;

    fn def(extra: Value) -> Result<Definition, Vec<DefError>> {
        let mut v = json!({
            "id": "zd", "name": "Zendesk-like",
            "lookups": {"email": [{"path": "/api/v2/users/search", "query": {"query": "{value}"}}]},
            "results": {"list": "/users"}, "map": {"id": "/id"}
        });
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        Definition::parse(&v.to_string())
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn subdomain() -> Value {
        json!({
            "base_url": "https://{subdomain}.zendesk.com",
            "setup": [{"name": "subdomain", "label": {"en": "Subdomain", "zh_CN": "子域名"}, "pattern": "(?i)[a-z0-9][a-z0-9-]{0,62}", "example": "acme"}],
            "help": {"en": "Admin Center > Apps and integrations > APIs > Zendesk API.", "zh_CN": "管理中心 > 应用和集成 > API > Zendesk API。"}
        })
    }

    #[test]
    fn a_subdomain_makes_the_base_url() {
        let d = def(subdomain()).unwrap();
        assert!(!d.asks_base_url());
        assert_eq!(d.setup()[0].label.get(Lang::ZhCn), "子域名");
        assert_eq!(d.help.as_ref().unwrap().get(Lang::En), "Admin Center > Apps and integrations > APIs > Zendesk API.");
        assert_eq!(d.base_url_from(&values(&[("subdomain", " acme ")])).unwrap().to_string(), "https://acme.zendesk.com");
        for (typed, want) in [("", Msg::SetupRequired), ("evil.test/x?", Msg::SetupInvalid), ("a.b", Msg::SetupInvalid), ("-x", Msg::SetupInvalid)] {
            let e = d.base_url_from(&values(&[("subdomain", typed)])).unwrap_err();
            assert_eq!((e.len(), e[0].field.as_str(), e[0].message.id), (1, "subdomain", want), "{typed:?}");
        }
        let e = d.base_url_from(&values(&[])).unwrap_err();
        assert_eq!(crate::i18n::english(&e[0].message), "required");
        let e = d.base_url_from(&values(&[("subdomain", "evil.test/x?")])).unwrap_err();
        assert_eq!(crate::i18n::english(&e[0].message), "'evil.test/x?' does not fit here; for example: acme");
    }

    #[test]
    fn a_choice_and_a_default() {
        let d = def(json!({
            "base_url": "https://www.zohoapis{dc}/crm/v8",
            "setup": [{"name": "dc", "kind": "choice", "label": {"en": "Data centre", "zh_CN": "数据中心"}, "default": ".com", "choices": [
                {"value": ".com", "label": {"en": "United States", "zh_CN": "美国"}},
                {"value": ".com.cn", "label": {"en": "China", "zh_CN": "中国"}}]}]
        }))
        .unwrap();
        assert_eq!(d.base_url_from(&values(&[])).unwrap().to_string(), "https://www.zohoapis.com/crm/v8");
        assert_eq!(d.base_url_from(&values(&[("dc", ".com.cn")])).unwrap().to_string(), "https://www.zohoapis.com.cn/crm/v8");
        let e = d.base_url_from(&values(&[("dc", ".evil.test/")])).unwrap_err();
        assert_eq!((e[0].field.as_str(), crate::i18n::english(&e[0].message).as_str()), ("dc", "'.evil.test' is not one of .com, .com.cn"));
    }

    #[test]
    fn without_a_template_the_admin_types_the_url() {
        let d = def(json!({})).unwrap();
        assert!(d.asks_base_url() && d.setup().is_empty());
        assert_eq!(d.base_url_from(&values(&[("base_url", "https://crm.example.com/api/")])).unwrap().to_string(), "https://crm.example.com/api");
        assert_eq!(d.base_url_from(&values(&[("base_url", "http://crm.example.com")])).unwrap_err()[0].field, "base_url");
        // A fixed base URL: a template without placeholders.
        let d = def(json!({"base_url": "https://api.hubapi.com"})).unwrap();
        assert_eq!(d.base_url_from(&values(&[])).unwrap().to_string(), "https://api.hubapi.com");
    }

    #[test]
    fn setup_problems_are_named_with_their_path() {
        let bad = json!({
            "base_url": "https://{subdomain}.zendesk.com/{nope}",
            "setup": [
                {"name": "subdomain", "label": {"en": "Subdomain", "zh_CN": ""}, "pattern": "[a-z]+", "example": "ACME"},
                {"name": "Bad Name", "label": {"en": "x", "zh_CN": "x"}, "kind": "choice", "choices": [], "default": "y"}
            ],
            "help": {"en": "", "zh_CN": "帮助"}
        });
        let paths: Vec<String> = def(bad).unwrap_err().into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["setup.0.label", "setup.0.example", "setup.1.name", "setup.1.choices", "setup.1.default", "base_url", "setup.1.name", "help"]);
        // A template whose values do not make a URL, a setup list without a template.
        let paths = |v: Value| def(v).unwrap_err().into_iter().map(|e| e.path).collect::<Vec<_>>();
        assert_eq!(paths(json!({"base_url": "ftp://{s}.x.test", "setup": [{"name": "s", "label": {"en": "S", "zh_CN": "S"}, "pattern": "[a-z]+", "example": "a"}]})), ["base_url"]);
        assert_eq!(paths(json!({"setup": [{"name": "s", "label": {"en": "S", "zh_CN": "S"}, "pattern": "[a-z]+", "example": "a"}]})), ["base_url"]);
        assert_eq!(paths(json!({"base_url": "https://{s.x.test"})), ["base_url"]);
        // Unknown fields and wrong shapes are refused when read.
        assert!(def(json!({"help": "just English"})).is_err());
        assert!(def(json!({"setup": [{"name": "s", "label": {"en": "S", "zh_CN": "S"}, "pattern": "x", "colour": "red"}]})).is_err());
    }
}
