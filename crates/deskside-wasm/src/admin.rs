//! The options page's admin sections of issue 22: the panel's fields (order,
//! labels, shown), the profiles and their masking, this browser's profile
//! and its passcode, the whole configuration's export and import, and the
//! settings the organisation's policy sets (shown disabled). Every decision
//! (validation, masking, what a file may hold) is the core's; this binds the form.

use crate::dom::{append, by_id, document, el, on_click};
use crate::env::PageEnv;
use crate::i18n::{current, localize_page, use_language};
use crate::{js_error_text, message_from_js, message_to_js};
use deskside_core::config::{field_name, is_maskable, FieldSetting, Profile, SettingsView, CUSTOM_PREFIX, PANEL_FIELDS, PROFILE_IDS};
use deskside_core::i18n::{data, Msg, Text};
use deskside_core::messages::{Request, Response};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

fn input(doc: &Document, id: &str) -> Option<HtmlInputElement> {
    by_id(doc, id)?.dyn_into().ok()
}

fn all(doc: &Document, selector: &str) -> Vec<Element> {
    let Ok(list) = doc.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

fn checkbox(doc: &Document, class: &str, checked: bool) -> Element {
    let e = el(doc, "input", class, "");
    let _ = e.set_attribute("type", "checkbox");
    if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
        i.set_checked(checked);
    }
    e
}

fn checked(e: &Element) -> bool {
    e.dyn_ref::<HtmlInputElement>().is_some_and(|i| i.checked())
}

/// A field's name on the page: its usual name, or "Custom: <name>".
fn shown_name(key: &str) -> String {
    let loc = current();
    match (field_name(key), key.strip_prefix(CUSTOM_PREFIX)) {
        (Some(m), _) => loc.m(m),
        (None, Some(name)) => loc.t(&Text::new(Msg::OptCustomField, [data(name)])),
        _ => key.to_string(),
    }
}

/// Every field in the form's order: the stored order first, then the
/// known fields not listed, then custom fields the profiles name.
fn field_order(view: &SettingsView) -> Vec<FieldSetting> {
    let mut out: Vec<FieldSetting> = view.fields.clone();
    for (key, _) in PANEL_FIELDS {
        if !out.iter().any(|f| f.field == *key) {
            out.push(FieldSetting { field: key.to_string(), label: String::new(), shown: true });
        }
    }
    for p in &view.profiles {
        for key in p.hidden.iter().chain(&p.masked) {
            if key.starts_with(CUSTOM_PREFIX) && !out.iter().any(|f| f.field == *key) {
                out.push(FieldSetting { field: key.clone(), label: String::new(), shown: true });
            }
        }
    }
    out
}

fn field_row(doc: &Document, f: &FieldSetting) -> Element {
    let loc = current();
    let tr = el(doc, "tr", "field-row", "");
    let _ = tr.set_attribute("data-field", &f.field);
    append(&tr, &el(doc, "td", "field-name", &shown_name(&f.field)));
    let label_cell = el(doc, "td", "", "");
    let label = el(doc, "input", "field-label", "");
    for (k, v) in [("type", "text"), ("autocomplete", "off"), ("aria-label", &format!("{} · {}", shown_name(&f.field), loc.m(Msg::OptLabelColumn)))] {
        let _ = label.set_attribute(k, v);
    }
    if let Some(i) = label.dyn_ref::<HtmlInputElement>() {
        i.set_value(&f.label);
    }
    append(&label_cell, &label);
    append(&tr, &label_cell);
    let shown_cell = el(doc, "td", "", "");
    let shown = checkbox(doc, "field-shown", f.shown);
    let _ = shown.set_attribute("aria-label", &format!("{} · {}", shown_name(&f.field), loc.m(Msg::OptShownColumn)));
    append(&shown_cell, &shown);
    append(&tr, &shown_cell);
    let buttons = el(doc, "td", "", "");
    for (class, text, up) in [("move-up", Msg::OptMoveUp, true), ("move-down", Msg::OptMoveDown, false)] {
        let b = el(doc, "button", &format!("secondary {class}"), if up { "↑" } else { "↓" });
        let _ = b.set_attribute("type", "button");
        let _ = b.set_attribute("title", &loc.m(text));
        let _ = b.set_attribute("aria-label", &format!("{} · {}", shown_name(&f.field), loc.m(text)));
        let row = tr.clone();
        on_click(&b, move || {
            let Some(parent) = row.parent_element() else { return };
            let before = if up {
                match row.previous_element_sibling() {
                    Some(prev) => Some(prev),
                    None => return,
                }
            } else {
                match row.next_element_sibling() {
                    Some(next) => next.next_element_sibling(),
                    None => return,
                }
            };
            let _ = parent.insert_before(&row, before.as_ref().map(|o| o.as_ref() as &web_sys::Node));
        });
        append(&buttons, &b);
    }
    if f.field.starts_with(CUSTOM_PREFIX) {
        let remove = el(doc, "button", "remove", &loc.m(Msg::OptRemove));
        let _ = remove.set_attribute("type", "button");
        let row = tr.clone();
        on_click(&remove, move || {
            row.remove();
            let doc = document();
            let profiles = read_profiles(&doc);
            render_profiles(&doc, &profiles);
        });
        append(&buttons, &remove);
    }
    append(&tr, &buttons);
    tr
}

/// The fields in the form's order, as the admin set them.
pub fn read_fields(doc: &Document) -> Vec<FieldSetting> {
    all(doc, "#field_rows tr.field-row")
        .iter()
        .map(|row| {
            let label = row.query_selector(".field-label").ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default();
            let shown = row.query_selector(".field-shown").ok().flatten().is_some_and(|e| checked(&e));
            FieldSetting { field: row.get_attribute("data-field").unwrap_or_default(), label, shown }
        })
        .collect()
}

fn field_keys(doc: &Document) -> Vec<String> {
    all(doc, "#field_rows tr.field-row").iter().filter_map(|r| r.get_attribute("data-field")).collect()
}

/// The masking table: per field, hidden and masked for each profile.
fn render_profiles(doc: &Document, profiles: &[Profile]) {
    let Some(body) = by_id(doc, "profile_rows") else { return };
    body.set_text_content(None);
    let loc = current();
    for key in field_keys(doc) {
        let tr = el(doc, "tr", "profile-row", "");
        let _ = tr.set_attribute("data-field", &key);
        append(&tr, &el(doc, "td", "", &shown_name(&key)));
        for id in PROFILE_IDS {
            let p = profiles.iter().find(|p| p.id == *id);
            for (what, msg) in [("hidden", Msg::OptHidden), ("masked", Msg::OptMasked)] {
                let td = el(doc, "td", "", "");
                let on = p.is_some_and(|p| if what == "hidden" { p.hidden.contains(&key) } else { p.masked.contains(&key) });
                let b = checkbox(doc, &format!("p-{what}"), on);
                let _ = b.set_attribute("data-profile", id);
                let _ = b.set_attribute("data-field", &key);
                let profile_name = loc.m(if *id == "agent" { Msg::OptProfileAgent } else { Msg::OptProfileTeamLead });
                let _ = b.set_attribute("aria-label", &format!("{profile_name} · {} · {}", shown_name(&key), loc.m(msg)));
                if what == "masked" && !is_maskable(&key) {
                    let _ = b.set_attribute("disabled", "");
                }
                append(&td, &b);
                append(&tr, &td);
            }
        }
        append(&body, &tr);
    }
    for id in PROFILE_IDS {
        if let Some(i) = input(doc, &format!("mask_numbers-{id}")) {
            i.set_checked(profiles.iter().find(|p| p.id == *id).is_none_or(|p| p.mask_numbers));
        }
    }
}

pub fn read_profiles(doc: &Document) -> Vec<Profile> {
    PROFILE_IDS
        .iter()
        .map(|id| {
            let keys = |what: &str| -> Vec<String> {
                all(doc, &format!("#profile_rows input.p-{what}[data-profile=\"{id}\"]")).iter().filter(|e| checked(e)).filter_map(|e| e.get_attribute("data-field")).collect()
            };
            let mask_numbers = input(doc, &format!("mask_numbers-{id}")).is_none_or(|i| i.checked());
            Profile { id: id.to_string(), hidden: keys("hidden"), masked: keys("masked"), mask_numbers }
        })
        .collect()
}

/// The fields, profiles and lock sections from the stored settings.
pub fn fill(doc: &Document, view: &SettingsView) {
    if let Some(body) = by_id(doc, "field_rows") {
        body.set_text_content(None);
        for f in field_order(view) {
            append(&body, &field_row(doc, &f));
        }
    }
    render_profiles(doc, &view.profiles);
    if let Some(s) = by_id(doc, "profile").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
        s.set_value(if view.profile.is_empty() { "agent" } else { &view.profile });
    }
    if let Some(p) = by_id(doc, "profile_locked") {
        toggle(&p, view.profile_locked);
    }
    for id in ["passcode", "new_passcode"] {
        if let Some(i) = input(doc, id) {
            i.set_value("");
        }
    }
    if let Some(i) = input(doc, "remove_lock") {
        i.set_checked(false);
    }
    apply_managed(doc, &view.managed);
}

fn toggle(e: &Element, shown: bool) {
    if shown {
        let _ = e.remove_attribute("hidden");
    } else {
        let _ = e.set_attribute("hidden", "");
    }
}

/// What the form submits for these sections.
pub fn read_into(doc: &Document, input_: &mut deskside_core::config::SettingsInput) {
    input_.fields = read_fields(doc);
    input_.profiles = read_profiles(doc);
    input_.profile = by_id(doc, "profile").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
    input_.passcode = input(doc, "passcode").map(|i| i.value()).unwrap_or_default();
    input_.new_passcode = input(doc, "new_passcode").map(|i| i.value()).unwrap_or_default();
    input_.remove_lock = input(doc, "remove_lock").is_some_and(|i| i.checked());
}

/// Each setting's inputs on the page, by its key in the settings.
const MANAGED_INPUTS: &[(&str, &str)] = &[
    ("connectors", "#connectors input, #connectors select, #connectors textarea, #connectors button, #add_connector"),
    ("sites", "#sites"),
    ("team_domains", "#team_domains"),
    ("team_phones", "#team_phones"),
    ("default_region", "#region"),
    ("id_patterns", "#id_pattern_rows input, #id_pattern_rows select, #id_pattern_rows button, #add_id_pattern"),
    ("language", "#language"),
    ("panel_opens_expanded", "#panel_opens_expanded"),
    ("side_panel", "#side_panel"),
    ("field_sources", "select.field-source"),
    ("cache_ttl_secs", "#cache_ttl_secs"),
    ("agents_per_key", "#agents_per_key"),
    ("badge_failure_percent", "#badge_failure_percent"),
    ("fields", "#field_rows input, #field_rows button, #custom_field_name, #add_custom_field"),
    ("profiles", "#profile_rows input, #mask_numbers-agent, #mask_numbers-team_lead"),
    ("profile", "#profile, #passcode, #new_passcode, #remove_lock"),
];

/// The settings the organisation's policy sets: their inputs disabled, each
/// marked "Set by your organisation".
pub fn apply_managed(doc: &Document, managed: &[String]) {
    for note in all(doc, ".managed-note") {
        note.remove();
    }
    if let Some(n) = by_id(doc, "managed_note") {
        toggle(&n, !managed.is_empty());
    }
    let loc = current();
    for (key, selector) in MANAGED_INPUTS {
        let set = managed.iter().any(|m| m == key);
        let inputs = all(doc, selector);
        for e in &inputs {
            if set {
                let _ = e.set_attribute("disabled", "");
                let _ = e.set_attribute("data-managed", "true");
            } else if e.get_attribute("data-managed").is_some() {
                let _ = e.remove_attribute("disabled");
                let _ = e.remove_attribute("data-managed");
            }
        }
        if let (true, Some(first)) = (set, inputs.first()) {
            let note = el(doc, "span", "managed-note", &loc.m(Msg::OptManaged));
            let _ = note.set_attribute("data-managed-for", key);
            // Beside the input's label (or the input itself), once per setting.
            let enclosing = |tag: &str| first.closest(tag).ok().flatten();
            let anchor = enclosing("label").or_else(|| enclosing("table")).or_else(|| enclosing("fieldset")).unwrap_or_else(|| first.clone());
            let _ = anchor.parent_element().map(|p| p.insert_before(&note, Some(&anchor)));
        }
    }
}

/// Saves `text` as a file named `name` (the page's own download: nothing leaves the browser).
pub fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document().create_element("a").map(|a| a.unchecked_into::<web_sys::HtmlAnchorElement>()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn ie_status(doc: &Document, text: &str, kind: &str) {
    if let Some(s) = by_id(doc, "ie_status") {
        s.set_text_content(Some(text));
        let _ = s.set_attribute("data-kind", kind);
    }
}

fn show_problems(doc: &Document, problems: &[deskside_core::configfile::ImportProblem]) {
    let Some(list) = by_id(doc, "import_problems") else { return };
    list.set_text_content(None);
    let loc = current();
    for p in problems {
        let li = el(doc, "li", "", "");
        let _ = li.set_attribute("data-path", &p.path);
        append(&li, &el(doc, "code", "", &p.path));
        append(&li, &el(doc, "span", "", &format!(" {}", loc.t(&p.message))));
        append(&list, &li);
    }
}

/// Binds the fields, export and import controls; `refill` shows new settings.
pub fn wire(env: Rc<PageEnv>, refill: Rc<dyn Fn(&SettingsView)>) {
    let doc = document();
    if let Some(add) = by_id(&doc, "add_custom_field") {
        on_click(&add, || {
            let doc = document();
            let Some(name) = input(&doc, "custom_field_name") else { return };
            let typed = name.value().trim().to_string();
            let key = format!("{CUSTOM_PREFIX}{typed}");
            if typed.is_empty() || field_keys(&doc).contains(&key) {
                return;
            }
            let profiles = read_profiles(&doc);
            if let Some(body) = by_id(&doc, "field_rows") {
                append(&body, &field_row(&doc, &FieldSetting { field: key, label: String::new(), shown: true }));
            }
            render_profiles(&doc, &profiles);
            name.set_value("");
        });
    }
    if let Some(b) = by_id(&doc, "export_config") {
        let env = env.clone();
        let target = b.clone();
        on_click(&b, move || {
            let with_secrets = input(&document(), "export_secrets").is_some_and(|i| i.checked());
            let (env, target) = (env.clone(), target.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let doc = document();
                let loc = current();
                let answer = env.send(message_to_js(&Request::ExportConfig { with_secrets })).await;
                match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
                    Ok(Response::ConfigExport { text, secrets }) => {
                        let _ = target.set_attribute("data-exported", &text);
                        download("deskside-config.json", &text);
                        if secrets.is_empty() {
                            ie_status(&doc, &loc.m(Msg::OptExported), "ok");
                        } else {
                            let names: Vec<String> = secrets.iter().map(|t| loc.t(t)).collect();
                            ie_status(&doc, &loc.t(&Text::new(Msg::OptExportedWithSecrets, [data(names.join(&loc.m(Msg::ListSeparator)))])), "warning");
                        }
                    }
                    Ok(other) => ie_status(&doc, &format!("{other:?}"), "error"),
                    Err(e) => ie_status(&doc, &e, "error"),
                }
            });
        });
    }
    if let Some(i) = input(&doc, "import_config") {
        let target = i.clone();
        let listener = Closure::<dyn FnMut()>::new(move || {
            let (env, refill, target) = (env.clone(), refill.clone(), target.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Some(file) = target.files().and_then(|f| f.get(0)) else { return };
                target.set_value("");
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
                let doc = document();
                let passcode = input(&doc, "passcode").map(|i| i.value()).unwrap_or_default();
                let answer = env.send(message_to_js(&Request::ImportConfig { text, passcode })).await;
                let loc = current();
                match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
                    Ok(Response::Settings { settings, .. }) => {
                        show_problems(&doc, &[]);
                        use_language(&env, &doc, settings.language).await;
                        refill(&settings);
                        localize_page(&doc, &current());
                        ie_status(&doc, &current().m(Msg::OptImported), "ok");
                    }
                    Ok(Response::ImportFailed { problems }) => {
                        show_problems(&doc, &problems);
                        ie_status(&doc, &loc.t(&Text::new(Msg::OptImportProblems, [data(problems.len())])), "error");
                    }
                    Ok(other) => ie_status(&doc, &format!("{other:?}"), "error"),
                    Err(e) => ie_status(&doc, &e, "error"),
                }
            });
        });
        let _ = i.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
        listener.forget();
    }
}
