//! The whole configuration as one JSON file (export and import on the
//! options page) and the same shape from the organisation's policy
//! (`storage.managed`), which overrides and locks what it sets.
//!
//! The file is the stored settings' own JSON, flat, with a marker key
//! ([`MARKER`]) holding the file format's version. Secrets (API keys, the
//! other secrets of a connector, the profile passcode's hash) are left out
//! unless the admin asks for them, and then named. An import is checked
//! whole: every problem comes back with its JSON path (`$.connectors[0].kind`),
//! and an invalid file changes nothing. A managed policy is the same keys
//! without the marker.

use crate::config::{ConnectorInput, FieldError, IdPatternInput, PasscodeHash, Settings, SettingsInput};
use crate::i18n::{data, Msg, Text};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The key that marks a Deskside configuration file; its value is the
/// file format's version.
pub const MARKER: &str = "deskside_config";
pub const FILE_VERSION: u64 = 1;

/// One problem of an imported file or a policy, where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// A JSON path: `$`, `$.sites[2]`, `$.connectors[0].base_url`.
    pub path: String,
    pub message: Text,
}

fn problem(path: &str, message: impl Into<Text>) -> ImportProblem {
    ImportProblem { path: path.to_string(), message: message.into() }
}

/// The configuration as a file's JSON, and the secrets it holds (each named
/// for the admin's warning; none unless `with_secrets`).
pub fn export(settings: &Settings, with_secrets: bool) -> (Value, Vec<Text>) {
    let mut v = serde_json::to_value(settings).unwrap_or_default();
    let mut named = Vec::new();
    if let Some(obj) = v.as_object_mut() {
        obj.remove("version");
        let mut out = Map::new();
        out.insert(MARKER.into(), Value::from(FILE_VERSION));
        out.extend(std::mem::take(obj));
        *obj = out;
        if let Some(list) = obj.get_mut("connectors").and_then(Value::as_array_mut) {
            for (c, cfg) in list.iter_mut().zip(&settings.connectors) {
                let Some(c) = c.as_object_mut() else { continue };
                if with_secrets {
                    if !cfg.api_key.is_empty() {
                        named.push(Text::new(Msg::OptSecretOf, [data(&cfg.label), crate::config::secret_label("api_key").into()]));
                    }
                    for (name, s) in &cfg.secrets {
                        if !s.is_empty() {
                            named.push(Text::new(Msg::OptSecretOf, [data(&cfg.label), crate::config::secret_label(name).into()]));
                        }
                    }
                } else {
                    c.remove("api_key");
                    c.remove("secrets");
                }
            }
        }
        if settings.profile_lock.is_some() {
            if with_secrets {
                named.push(Msg::OptSecretPasscode.into());
            } else {
                obj.remove("profile_lock");
            }
        }
    }
    (v, named)
}

/// What a value must be.
enum Shape {
    Text,
    Bool,
    Number,
    Any,
    List(Box<Shape>),
    /// Text keys to values of one shape.
    Map(Box<Shape>),
    /// `[text, text]`.
    Pair,
    Null(Box<Shape>),
    /// Known keys (required or not); others are problems.
    Object(Vec<(&'static str, bool, Shape)>),
}

fn list(s: Shape) -> Shape {
    Shape::List(Box::new(s))
}

/// The shape of every setting this module knows; settings added later
/// (known to [`Settings`] but not here) are checked by reading them.
fn spec(key: &str) -> Shape {
    use Shape::*;
    match key {
        "version" | "cache_ttl_secs" | "agents_per_key" | "badge_failure_percent" => Number,
        "connectors" => list(Object(vec![
            ("id", false, Text),
            ("kind", true, Text),
            ("label", false, Text),
            ("base_url", false, Text),
            ("api_key", false, Text),
            ("secrets", false, Map(Box::new(Text))),
            ("enabled", false, Bool),
            ("definition", false, Null(Box::new(Any))),
            ("pick", false, Text),
            ("plain_http_host", false, Null(Box::new(Text))),
            ("setup", false, Map(Box::new(Text))),
        ])),
        "sites" | "team_domains" | "team_phones" => list(Text),
        "default_region" | "language" | "profile" => Text,
        "id_patterns" => list(Object(vec![("kind", true, Text), ("label", false, Text), ("pattern", true, Text)])),
        "panel_opens_expanded" | "side_panel" => Bool,
        "field_sources" => list(Pair),
        "fields" => list(Object(vec![("field", true, Text), ("label", false, Text), ("shown", false, Bool)])),
        "profiles" => list(Object(vec![("id", true, Text), ("hidden", false, list(Text)), ("masked", false, list(Text)), ("mask_numbers", false, Bool)])),
        "profile_lock" => Null(Box::new(Object(vec![("salt", true, Text), ("hash", true, Text)]))),
        _ => Any,
    }
}

fn expected(what: Msg) -> Text {
    Text::new(Msg::ImpExpected, [what.into()])
}

fn check(path: &str, v: &Value, shape: &Shape, out: &mut Vec<ImportProblem>) {
    match (shape, v) {
        (Shape::Any, _) | (Shape::Text, Value::String(_)) | (Shape::Bool, Value::Bool(_)) => {}
        (Shape::Number, Value::Number(n)) if n.is_u64() => {}
        (Shape::Null(_), Value::Null) => {}
        (Shape::Null(inner), _) => check(path, v, inner, out),
        (Shape::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check(&format!("{path}[{i}]"), item, inner, out);
            }
        }
        (Shape::Map(inner), Value::Object(m)) => {
            for (k, item) in m {
                check(&format!("{path}.{k}"), item, inner, out);
            }
        }
        (Shape::Pair, Value::Array(items)) if items.len() == 2 && items.iter().all(Value::is_string) => {}
        (Shape::Object(keys), Value::Object(m)) => {
            for (k, required, inner) in keys {
                match m.get(*k) {
                    Some(item) => check(&format!("{path}.{k}"), item, inner, out),
                    None if *required => out.push(problem(&format!("{path}.{k}"), Msg::ImpRequired)),
                    None => {}
                }
            }
            for k in m.keys().filter(|k| !keys.iter().any(|(name, _, _)| name == k)) {
                out.push(problem(&format!("{path}.{k}"), Msg::ImpUnknownKey));
            }
        }
        (Shape::Text, _) => out.push(problem(path, expected(Msg::ImpText))),
        (Shape::Bool, _) => out.push(problem(path, expected(Msg::ImpYesNo))),
        (Shape::Number, _) => out.push(problem(path, expected(Msg::ImpNumber))),
        (Shape::List(_), _) => out.push(problem(path, expected(Msg::ImpList))),
        (Shape::Map(_) | Shape::Object(_), _) => out.push(problem(path, expected(Msg::ImpObject))),
        (Shape::Pair, _) => out.push(problem(path, expected(Msg::ImpPair))),
    }
}

/// `connectors.0.base_url` → `$.connectors[0].base_url`.
pub fn json_path(field: &str) -> String {
    let mut out = String::from("$");
    for part in field.split('.').filter(|p| !p.is_empty()) {
        if part.parse::<usize>().is_ok() {
            out.push_str(&format!("[{part}]"));
        } else {
            out.push('.');
            out.push_str(part);
        }
    }
    out
}

fn from_errors(errors: Vec<FieldError>) -> Vec<ImportProblem> {
    errors.into_iter().map(|e| ImportProblem { path: json_path(&e.field), message: e.message }).collect()
}

/// Every key a configuration may hold: the stored settings' own.
fn known_keys() -> Vec<String> {
    let mut keys: Vec<String> = serde_json::to_value(Settings::default()).ok().and_then(|v| v.as_object().map(|o| o.keys().cloned().collect())).unwrap_or_default();
    keys.push("profile_lock".into());
    keys
}

/// The keys of `file` checked: shapes, unknown keys; `marker` says whether
/// the file must carry [`MARKER`] (a policy does not). `Ok`: the keys whose
/// shape is right, and the problems of the others.
fn check_keys(file: &Value, marker: bool) -> Result<(Map<String, Value>, Vec<ImportProblem>), Vec<ImportProblem>> {
    let Some(obj) = file.as_object() else { return Err(vec![problem("$", Msg::ImpNotConfig)]) };
    match obj.get(MARKER) {
        None if marker => return Err(vec![problem("$", Msg::ImpNotConfig)]),
        Some(v) if v.as_u64().is_none() => return Err(vec![problem(&format!("$.{MARKER}"), expected(Msg::ImpNumber))]),
        Some(v) if v.as_u64() > Some(FILE_VERSION) => return Err(vec![problem(&format!("$.{MARKER}"), Text::new(Msg::ImpNewerVersion, [data(v)]))]),
        _ => {}
    }
    let known = known_keys();
    let mut problems = Vec::new();
    let mut good = Map::new();
    for (k, v) in obj.iter().filter(|(k, _)| k.as_str() != MARKER) {
        let before = problems.len();
        if !known.contains(k) {
            problems.push(problem(&format!("$.{k}"), Msg::ImpUnknownKey));
        } else {
            check(&format!("$.{k}"), v, &spec(k), &mut problems);
        }
        if problems.len() == before {
            good.insert(k.clone(), v.clone());
        }
    }
    Ok((good, problems))
}

/// `base` with the keys of `over` replaced, read back as settings.
fn merged(base: &Settings, over: &Map<String, Value>) -> Result<Settings, Vec<ImportProblem>> {
    let mut v = serde_json::to_value(base).map_err(|e| vec![problem("$", Text::new(Msg::ImpUnreadable, [data(e)]))])?;
    if let Some(obj) = v.as_object_mut() {
        for (k, val) in over.iter().filter(|(k, _)| k.as_str() != MARKER && k.as_str() != "version") {
            obj.insert(k.clone(), val.clone());
        }
        // A generic connector's definition may come as its JSON text (a
        // Chrome policy's schema cannot describe an arbitrary object).
        for (i, c) in obj.get_mut("connectors").and_then(Value::as_array_mut).into_iter().flatten().enumerate() {
            if let Some(d) = c.get_mut("definition") {
                if let Some(text) = d.as_str().map(str::to_string) {
                    *d = if text.trim().is_empty() {
                        Value::Null
                    } else {
                        serde_json::from_str(&text).map_err(|e| vec![problem(&format!("$.connectors[{i}].definition"), Text::new(Msg::ImpNotJson, [data(e)]))])?
                    };
                }
            }
        }
    }
    serde_json::from_value(v).map_err(|e| vec![problem("$", Text::new(Msg::ImpUnreadable, [data(e)]))])
}

/// Settings as the options form would submit them (secrets included, so
/// that what a file or policy brings is validated like a typed key).
pub fn to_input(s: &Settings) -> SettingsInput {
    SettingsInput {
        connectors: s
            .connectors
            .iter()
            .map(|c| ConnectorInput {
                id: c.id.clone(),
                kind: c.kind.id().into(),
                label: c.label.clone(),
                // An address built from setup values is built again from them.
                base_url: if c.setup.is_empty() { c.base_url.clone() } else { String::new() },
                api_key: (!c.api_key.is_empty()).then(|| c.api_key.clone()),
                secrets: c.secrets.iter().map(|(k, v)| (k.clone(), (!v.is_empty()).then(|| v.clone()))).collect(),
                enabled: c.enabled,
                definition: c.definition.as_ref().and_then(|d| serde_json::to_string(d).ok()).unwrap_or_default(),
                pick: c.pick.id().into(),
                plain_http: c.plain_http_host.is_some(),
                setup: c.setup.clone(),
                role: c.role.map(|r| r.id().to_string()).unwrap_or_default(),
            })
            .collect(),
        sites: s.sites.clone(),
        team_domains: s.team_domains.clone(),
        team_phones: s.team_phones.clone(),
        default_region: s.default_region.clone(),
        id_patterns: s.id_patterns.iter().map(|p| IdPatternInput { kind: p.kind.id().into(), label: p.label.clone(), pattern: p.pattern.clone() }).collect(),
        language: s.language.id().into(),
        panel_opens_expanded: s.panel_opens_expanded,
        side_panel: s.side_panel,
        field_sources: s.field_sources.clone(),
        cache_ttl_secs: s.cache_ttl_secs.to_string(),
        agents_per_key: s.agents_per_key.to_string(),
        badge_failure_percent: s.badge_failure_percent.to_string(),
        fields: s.fields.clone(),
        profiles: s.profiles.clone(),
        profile: s.profile.clone(),
        audit_forward_url: s.audit_forward_url.clone(),
        vip_rules: s.vip_rules.iter().map(crate::vip::VipRule::input).collect(),
        crm_pages: s.crm_pages.clone(),
        ..SettingsInput::default()
    }
}

/// An imported file's text against the stored settings: the settings to
/// store, or every problem (nothing is stored then). Keys the file leaves
/// out keep their stored values; a connector's secret left out is kept when
/// the connector's id and origin are the same, else it must be entered.
/// Changing a locked profile needs `passcode`.
pub fn import(current: &Settings, text: &str, passcode: &str) -> Result<Settings, Vec<ImportProblem>> {
    let file: Value = serde_json::from_str(text).map_err(|e| vec![problem("$", Text::new(Msg::ImpNotJson, [data(e)]))])?;
    // Keys of the wrong shape are problems; the others are still checked
    // by the settings' own validation, so the admin sees every problem at once.
    let (obj, mut problems) = check_keys(&file, true)?;
    let obj = &obj;
    let incoming = match merged(current, obj) {
        Ok(s) => s,
        Err(mut p) => {
            problems.append(&mut p);
            return Err(sorted(problems));
        }
    };
    let mut input = to_input(&incoming);
    input.passcode = passcode.to_string();
    let lock = obj.get("profile_lock").map(|v| serde_json::from_value::<Option<PasscodeHash>>(v.clone()).unwrap_or(None));
    // A file that brings another lock changes the lock: the current passcode first.
    if let (Some(new_lock), Some(old)) = (&lock, &current.profile_lock) {
        if new_lock.as_ref() != Some(old) && !old.verify(passcode) {
            problems.push(problem("$.profile_lock", if passcode.is_empty() { Msg::CfgPasscodeNeeded } else { Msg::CfgPasscodeWrong }));
        }
    }
    match current.apply(input) {
        Ok(mut s) if problems.is_empty() => {
            if let Some(l) = lock {
                s.profile_lock = l;
            }
            Ok(s)
        }
        Ok(_) => Err(sorted(problems)),
        Err(errors) => {
            problems.extend(from_errors(errors));
            Err(sorted(problems))
        }
    }
}

/// Problems in the order of their paths (stable: one path's keep theirs).
fn sorted(mut problems: Vec<ImportProblem>) -> Vec<ImportProblem> {
    crate::sort::sort_by(&mut problems, |a, b| a.path.cmp(&b.path));
    problems
}

/// The organisation's policy (`storage.managed`: the file's keys, without
/// the marker) over the stored settings: the settings in effect and the
/// keys it sets (locked on the options page). An invalid policy changes
/// nothing and its problems are returned.
pub fn overlay(stored: &Settings, managed: &Value) -> (Settings, Vec<String>, Vec<ImportProblem>) {
    let empty = managed.as_object().is_none_or(|o| o.keys().all(|k| k == MARKER));
    if managed.is_null() || empty {
        return (stored.clone(), Vec::new(), Vec::new());
    }
    let obj = match check_keys(managed, false) {
        Ok((o, p)) if p.is_empty() => o,
        Ok((_, p)) | Err(p) => return (stored.clone(), Vec::new(), p),
    };
    let obj = &obj;
    let incoming = match merged(stored, obj) {
        Ok(s) => s,
        Err(p) => return (stored.clone(), Vec::new(), p),
    };
    // The organisation's word needs no local passcode.
    let unlocked = Settings { profile_lock: None, ..stored.clone() };
    match unlocked.apply(to_input(&incoming)) {
        Ok(mut s) => {
            s.profile_lock = if obj.contains_key("profile_lock") { incoming.profile_lock } else { stored.profile_lock.clone() };
            let keys = obj.keys().filter(|k| k.as_str() != MARKER && k.as_str() != "version").cloned().collect();
            (s, keys, Vec::new())
        }
        Err(errors) => (stored.clone(), Vec::new(), from_errors(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConnectorConfig, FieldSetting};
    use crate::i18n::english;

    fn stored() -> Settings {
        Settings {
            connectors: vec![ConnectorConfig::demo("c1", "Demo CRM", "http://127.0.0.1:7000", "canary-key-123456789")],
            sites: vec!["http://127.0.0.1/*".into()],
            team_domains: vec!["acme.example".into()],
            ..Settings::default()
        }
    }

    fn shown(problems: &[ImportProblem]) -> Vec<(String, String)> {
        problems.iter().map(|p| (p.path.clone(), english(&p.message))).collect()
    }

    #[test]
    fn export_leaves_secrets_out_unless_asked_and_then_names_them() {
        let s = Settings { profile_lock: Some(PasscodeHash::new("0123456789abcdef0123", "1234")), ..stored() };
        let (plain, named) = export(&s, false);
        let text = plain.to_string();
        assert!(!text.contains("canary-key") && !text.contains("profile_lock") && !text.contains("api_key"), "{text}");
        assert!(named.is_empty());
        assert_eq!(plain[MARKER], 1);
        assert_eq!(plain["sites"][0], "http://127.0.0.1/*");
        let (with, named) = export(&s, true);
        assert_eq!(with["connectors"][0]["api_key"], "canary-key-123456789");
        assert!(with["profile_lock"]["hash"].is_string());
        let names: Vec<String> = named.iter().map(english).collect();
        assert_eq!(names, ["Demo CRM: API key", "the profile passcode (its salted hash)"]);
    }

    #[test]
    fn a_round_trip_imports_the_same_settings() {
        let s = Settings { fields: vec![FieldSetting { field: "phone".into(), label: "Mobile".into(), shown: true }], profile: "team_lead".into(), ..stored() };
        let (file, _) = export(&s, false);
        // Into the same browser: the key is kept (same connector, same origin).
        assert_eq!(import(&s, &file.to_string(), ""), Ok(s.clone()));
        // Into a fresh browser without the secrets: the key must be entered.
        let problems = import(&Settings::default(), &file.to_string(), "").unwrap_err();
        assert_eq!(shown(&problems), [("$.connectors[0].api_key".to_string(), "enter the API key".to_string())]);
        // With the secrets: it imports anywhere.
        let (file, _) = export(&s, true);
        assert_eq!(import(&Settings::default(), &file.to_string(), "").unwrap().connectors[0].api_key.expose(), "canary-key-123456789");
    }

    #[test]
    fn a_broken_file_reports_every_problem_with_its_path_and_changes_nothing() {
        let broken = serde_json::json!({
            "deskside_config": 1,
            "sites": ["<all_urls>", 5],
            "team_domains": "acme.example",
            "connectors": [{"kind": "demo_crm", "base_url": "http://127.0.0.1:7000", "colour": "red"}, {"base_url": "x"}],
            "cache_ttl_secs": "ten",
            "fields": [{"field": "phone", "shown": "yes"}],
            "surprise": true
        });
        let problems = import(&stored(), &broken.to_string(), "").unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["$.cache_ttl_secs", "$.connectors[0].colour", "$.connectors[1].kind", "$.fields[0].shown", "$.sites[1]", "$.surprise", "$.team_domains"]
        );
        assert_eq!(english(&problems[0].message), "Expected a whole number.");
        assert_eq!(english(&problems[5].message), "Unknown setting.");
        // Shapes right, values wrong: the settings' own validation, with paths.
        let wrong = serde_json::json!({"deskside_config": 1, "sites": ["<all_urls>"], "default_region": "XX", "profile": "boss", "fields": [{"field": "shoe size"}]});
        let problems = import(&stored(), &wrong.to_string(), "").unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["$.default_region", "$.fields[0].field", "$.profile", "$.sites[0]"]);
        // Both kinds in one file: every problem at once.
        let both = serde_json::json!({"deskside_config": 1, "sites": 5, "default_region": "XX", "colour": "red"});
        let paths: Vec<String> = import(&stored(), &both.to_string(), "").unwrap_err().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["$.colour", "$.default_region", "$.sites"]);
        for (bad, path, msg) in [("not json", "$", "This file is not JSON"), ("[1,2]", "$", "This is not a Deskside configuration file."), (r#"{"sites": []}"#, "$", "This is not a Deskside configuration file."), (r#"{"deskside_config": 7}"#, "$.deskside_config", "newer")] {
            let p = import(&stored(), bad, "").unwrap_err();
            assert_eq!(p[0].path, path, "{bad}");
            assert!(english(&p[0].message).contains(msg), "{bad}: {}", english(&p[0].message));
        }
    }

    #[test]
    fn a_locked_profile_is_not_changed_by_an_import_without_the_passcode() {
        let locked = Settings { profile_lock: Some(PasscodeHash::new("0123456789abcdef0123", "4321")), ..stored() };
        let file = serde_json::json!({"deskside_config": 1, "profile": "team_lead"}).to_string();
        assert_eq!(shown(&import(&locked, &file, "").unwrap_err()), [("$.passcode".to_string(), "The profile is locked: enter its passcode to change it.".to_string())]);
        assert_eq!(shown(&import(&locked, &file, "1111").unwrap_err())[0].1, "Wrong passcode.");
        let s = import(&locked, &file, "4321").unwrap();
        assert_eq!((s.profile.as_str(), s.profile_lock.is_some()), ("team_lead", true));
    }

    #[test]
    fn a_policy_overrides_and_names_what_it_sets() {
        let policy = serde_json::json!({"profile": "agent", "team_domains": ["corp.example"], "profiles": [{"id": "agent", "masked": ["email", "phone"]}]});
        let local = Settings { profile: "team_lead".into(), profile_lock: Some(PasscodeHash::new("0123456789abcdef0123", "4321")), ..stored() };
        let (s, keys, problems) = overlay(&local, &policy);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(keys, ["profile", "profiles", "team_domains"]);
        assert_eq!(s.profile, "agent", "the organisation's profile, whatever the local passcode");
        assert_eq!(s.team_domains, ["corp.example"]);
        assert_eq!(s.active_profile().masked, ["email", "phone"]);
        assert_eq!(s.sites, local.sites, "what the policy does not set stays");
        assert!(s.profile_lock.is_some());
        // Nothing set, or an invalid policy: the stored settings, unchanged.
        assert_eq!(overlay(&local, &Value::Null), (local.clone(), Vec::new(), Vec::new()));
        assert_eq!(overlay(&local, &serde_json::json!({})).1, Vec::<String>::new());
        let (s, keys, problems) = overlay(&local, &serde_json::json!({"sites": "everything", "profile": "boss"}));
        assert_eq!((s, keys.len()), (local.clone(), 0));
        assert_eq!(problems[0].path, "$.sites");
        // A policy may bring the keys (team deployment).
        let policy = serde_json::json!({"connectors": [{"id": "c9", "kind": "demo_crm", "label": "Team CRM", "base_url": "https://crm.corp.example", "api_key": "team-key"}]});
        let (s, _, problems) = overlay(&Settings::default(), &policy);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.connectors[0].api_key.expose(), "team-key");
    }

    #[test]
    fn json_paths() {
        assert_eq!(json_path("connectors.0.setup.subdomain"), "$.connectors[0].setup.subdomain");
        assert_eq!(json_path("sites.2"), "$.sites[2]");
        assert_eq!(json_path("passcode"), "$.passcode");
    }
}
